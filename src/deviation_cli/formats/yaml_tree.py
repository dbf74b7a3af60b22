"""The shape a register file is read into: mappings and lists that remember where each value stood.

Every scalar stays a string; every mapping and list keeps the line and column
of its keys and items, so any problem found later (a schema error, an unknown
unit) can point at the line a clerk has to change.
"""

from __future__ import annotations

from typing import TypeAlias

#: Deepest nesting of mappings and sequences a register file may have (it needs
#: four: file, list of tasks, task, list of units). Why a bound of our own:
#: libyaml stops at 1000 levels, but the pure-Python parser (used where no
#: libyaml wheel exists) has no limit and took 53 s on 10,000 ``[``; the same
#: 1000 makes both parsers agree.
MAX_DEPTH = 1000


#: Parsed trees let go of in a process that ends without freeing them (``keep_parsed_until_exit``); None: freed.
_kept_until_exit: list[object] | None = None


def keep_parsed_until_exit() -> None:
    """From now on, ``let_go`` keeps the trees it is given: the process ends without freeing them.

    Only for a process that ends with ``os._exit`` (the command line): there, freeing
    the tree of 100,000 tasks one object at a time, 0.2 s, buys nothing.
    """
    global _kept_until_exit
    if _kept_until_exit is None:
        _kept_until_exit = []


def let_go(*trees: object) -> None:
    """Say a parsed tree is no longer needed: freed with its last reference, or kept to the process's end."""
    if _kept_until_exit is not None:
        _kept_until_exit.extend(trees)


class YamlMap(dict[str, "YamlValue"]):
    """A mapping with the position of the mapping, of each key and of each value."""

    __slots__ = ("line", "column", "positions")

    # No dict.__init__ call: a new dict is empty already, and a register has one mapping per task.
    def __init__(self, line: int, column: int):
        self.line = line
        self.column = column
        #: key -> (key line, key column, value line, value column)
        self.positions: dict[str, tuple[int, int, int, int]] = {}

    def key_position(self, key: str) -> tuple[int, int]:
        pos = self.positions.get(key)
        return (pos[0], pos[1]) if pos else (self.line, self.column)

    def value_position(self, key: str) -> tuple[int, int]:
        pos = self.positions.get(key)
        return (pos[2], pos[3]) if pos else (self.line, self.column)


class YamlList(list["YamlValue"]):
    """A sequence with its own position and that of each item."""

    __slots__ = ("line", "column", "positions")

    def __init__(self, line: int, column: int):
        self.line = line
        self.column = column
        self.positions: list[tuple[int, int]] = []

    def item_position(self, index: int) -> tuple[int, int]:
        if 0 <= index < len(self.positions):
            return self.positions[index]
        return (self.line, self.column)


#: Whatever a register file holds: mappings, lists, strings, and None for an empty value.
YamlValue: TypeAlias = "YamlMap | YamlList | str | None"

#: A place in a file, as pydantic's ``loc`` names it: keys of mappings and indexes of lists.
YamlPath: TypeAlias = tuple[str | int, ...]


def locate(root: YamlValue, path: YamlPath, at_key: bool = False) -> tuple[int, int]:
    """Line and column of the value at ``path`` (or of its key, with ``at_key``).

    A path that runs past what the file has (a missing field) points at the
    deepest mapping or sequence that does exist: where the field belongs.
    """
    node = root
    position = (getattr(root, "line", 1), getattr(root, "column", 1))
    for depth, part in enumerate(path):
        if isinstance(node, YamlMap) and isinstance(part, str) and part in node:
            last = depth == len(path) - 1
            position = node.key_position(part) if (at_key and last) else node.value_position(part)
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            position = node.item_position(part)
            node = node[part]
        else:
            break
    return position
