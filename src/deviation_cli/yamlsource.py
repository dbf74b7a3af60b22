"""Bytes to plain data that remembers where each value stood in the file.

Why not ``yaml.safe_load``: it silently keeps the last of two repeated keys,
expands aliases (billion laughs), turns ``no``/``010``/``2023-06-30`` into
bool/int/date, and throws positions away. Here the register is built straight
from parse events: every scalar stays a string, every mapping and sequence
keeps the line and column of its keys and items, and whatever a register does
not need (anchors, aliases, custom tags, a second document) is an issue.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import Issue, RegisterUnreadable

#: Tags a plain register may carry explicitly; anything else (``!!python/...``,
#: ``!!binary``, local tags) is refused, never constructed.
PLAIN_TAGS = frozenset(
    {
        None,
        "!",
        "tag:yaml.org,2002:str",
        "tag:yaml.org,2002:map",
        "tag:yaml.org,2002:seq",
    }
)

MAX_REPEATED_ISSUES = 20

#: Deepest nesting of mappings and sequences a register file may have (it needs
#: four: file, list of tasks, task, list of units). Why a bound of our own:
#: libyaml stops at 1000 levels, but the pure-Python parser (used where no
#: libyaml wheel exists) has no limit and took 53 s on 10,000 ``[``; the same
#: 1000 makes both parsers agree.
MAX_DEPTH = 1000


class YamlMap(dict):
    """A mapping with the position of the mapping, of each key and of each value."""

    __slots__ = ("line", "column", "positions")

    def __init__(self, line: int, column: int):
        super().__init__()
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


class YamlList(list):
    """A sequence with its own position and that of each item."""

    __slots__ = ("line", "column", "positions")

    def __init__(self, line: int, column: int):
        super().__init__()
        self.line = line
        self.column = column
        self.positions: list[tuple[int, int]] = []

    def item_position(self, index: int) -> tuple[int, int]:
        if 0 <= index < len(self.positions):
            return self.positions[index]
        return (self.line, self.column)


def decode_register_bytes(raw: bytes, path: str) -> str:
    """Decode a register file as UTF-8 (a BOM at the very start is allowed).

    Raises RegisterUnreadable with a hint when the bytes are another encoding:
    GBK/GB18030 is what Chinese Windows editors save by default.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(raw):
        raise RegisterUnreadable(Issue("encoding_utf16", path))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        code = "encoding_gbk" if _decodes_as_gb18030(raw) else "encoding_not_utf8"
        raise RegisterUnreadable(Issue(code, path, line, column)) from None


def _looks_like_utf16(raw: bytes) -> bool:
    """UTF-16 without a BOM: what some Windows tools save as "Unicode".

    Why by parity and not by how many NULs: Chinese text in UTF-16 has few NUL
    bytes, but the ASCII it always holds (newlines, ``: ``, ``- ``, keys) puts
    a NUL in the same half of every pair; and a UTF-8 file with a stray NUL
    must be told about the NUL, not called UTF-16.
    """
    sample = raw[:65536]
    sample = sample[: len(sample) // 2 * 2]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) < 2 or min(odd, even) * 4 > max(odd, even):
        return False
    text = sample.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    if "\x00" in text or "\n" not in text:
        return False
    printable = sum(1 for char in text if char.isprintable() or char in "\t\r\n")
    return printable >= 0.9 * len(text)


def _decodes_as_gb18030(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


def scan_characters(text: str, path: str) -> tuple[list[Issue], bool]:
    """Find what the YAML parser would choke on or hide: NUL, a BOM mid-file, tab indents.

    Returns the issues and whether parsing can still be attempted.
    """
    issues: list[Issue] = []
    fatal = False
    for char, code in (("\x00", "nul_character"), ("\ufeff", "bom_mid_file")):
        start = text.find(char)
        while start != -1 and len(issues) < MAX_REPEATED_ISSUES:
            issues.append(Issue(code, path, *_line_column(text, start)))
            fatal = True
            start = text.find(char, start + 1)
    for match in _TAB_INDENT.finditer(text):
        if len(issues) >= MAX_REPEATED_ISSUES:
            break
        tab = match.end() - 1
        issues.append(Issue("tab_indent", path, *_line_column(text, tab)))
    return issues, fatal


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


class _Duplicate:
    """Marks a mapping slot whose key repeated: its value is read and dropped."""


def parse_yaml(text: str, path: str) -> tuple[Any, list[Issue]]:
    """Parse one YAML document into YamlMap/YamlList/str/None, with every issue found."""
    import yaml

    issues, fatal = scan_characters(text, path)
    if fatal:
        return None, issues
    tab_lines = {issue.line for issue in issues}

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root: Any = None
    documents = 0
    # Each frame: [container, pending key or None, key line, key column]
    stack: list[list[Any]] = []

    def add(value: Any, line: int, column: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, YamlList):
            container.append(value)
            container.positions.append((line, column))
            return
        if frame[1] is None:
            if not isinstance(value, str):
                issues.append(Issue("key_not_text", path, line, column))
                frame[1:] = [_Duplicate, line, column]
            elif value in container:
                first = container.positions[value][0]
                issues.append(Issue("duplicate_key", path, line, column, {"key": value, "first": first}))
                frame[1:] = [_Duplicate, line, column]
            else:
                frame[1:] = [value, line, column]
            return
        key, key_line, key_column = frame[1:]
        if key is not _Duplicate:
            container[key] = value
            container.positions[key] = (key_line, key_column, line, column)
        frame[1] = None

    def check_node(event: Any, line: int, column: int) -> None:
        if getattr(event, "anchor", None) is not None:
            issues.append(Issue("anchor", path, line, column, {"anchor": event.anchor}))
        tag = getattr(event, "tag", None)
        if tag not in PLAIN_TAGS:
            issues.append(Issue("yaml_tag", path, line, column, {"tag": tag}))

    try:
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            kind = type(event).__name__
            if kind == "ScalarEvent":
                check_node(event, line, column)
                plain_empty = event.value == "" and event.style is None and event.implicit[0]
                add(None if plain_empty else event.value, line, column)
            elif kind in ("MappingStartEvent", "SequenceStartEvent"):
                check_node(event, line, column)
                if len(stack) >= MAX_DEPTH:
                    issues.append(Issue("yaml_too_deep", path, line, column, {"depth": MAX_DEPTH}))
                    return None, issues
                container_type = YamlMap if kind == "MappingStartEvent" else YamlList
                stack.append([container_type(line, column), None, 0, 0])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                container = stack.pop()[0]
                add(container, container.line, container.column)
            elif kind == "AliasEvent":
                issues.append(Issue("alias", path, line, column, {"anchor": event.anchor}))
                add(None, line, column)
            elif kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    issues.append(Issue("several_documents", path, line, column))
                    break
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if line not in tab_lines:
            problem = error.problem or error.context or str(error)
            # libyaml's own depth limit, in the same words as ours
            code = "yaml_too_deep" if "exceeded maximum nesting depth" in problem else "yaml_syntax"
            issues.append(Issue(code, path, line, column, {"problem": problem}))
        return None, issues
    except yaml.YAMLError as error:
        issues.append(Issue("yaml_syntax", path, 0, 0, {"problem": str(error)}))
        return None, issues
    return root, issues


def locate(root: Any, path: tuple[Any, ...], at_key: bool = False) -> tuple[int, int]:
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
