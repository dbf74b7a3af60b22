"""The fast reader: the plain block-style subset a register is written in, line by line.

Why: libyaml hands Python one event object (with two Mark objects) per scalar,
which costs seconds on a 100,000-task register before any check runs. Registers
are written in a small, regular part of YAML: block mappings and sequences,
one-line plain or quoted scalars, ``[a, b]`` lists of plain words, ``|``/``|-``
blocks and comments. ``parse_plain_subset`` reads exactly that part line by
line and gives the same YamlMap/YamlList tree, values and positions as the
event path (tests/test_fast_yaml.py compares both); at the first line outside
it, it gives up and the event path reads the file, so every unusual file
(and every file with a problem) is still read, and reported, by libyaml.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from .yaml_tree import MAX_DEPTH, YamlList, YamlMap


class _Unsupported(enum.Enum):
    """The one value ``parse_plain_subset`` gives for a file outside its subset (an enum: a sentinel with a type)."""

    UNSUPPORTED = "unsupported"


UNSUPPORTED: Final = _Unsupported.UNSUPPORTED

#: Characters libyaml treats as line breaks or refuses; their presence sends a file to libyaml.
_UNUSUAL_CHARACTERS = re.compile(
    "[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\u2028\\u2029]"
)
#: One line where it stands in the text: indent, the spaces after a dash (None: no dash), a key, the
#: spaces after its colon, the rest (the rest alone for a scalar item or a comment), the newline if any.
#: Columns follow from the lengths of the parts, without asking the match where each group starts.
_LINE_IN_TEXT = re.compile(r"( *)(?:-( +|$))?(?:([A-Za-z_][A-Za-z0-9_]*):( +|$))?(.*)\n?", re.MULTILINE)
#: First characters a plain scalar may not start with (YAML indicators, quotes handled apart).
_PLAIN_START_REFUSED = frozenset("-?:,[]{}#&*!|>%@`'\"")
#: Values up to this many characters are shared (see ``shared`` in parse_plain_subset).
_SHARED_LENGTH = 40
#: What the event path gives for a plain empty value (``key:``).
_EMPTY_PLAIN = None


def _plain(text: str) -> str | None:
    """The value of a one-line plain scalar in block context, or None when unsure."""
    comment = text.find(" #")
    if comment != -1:
        text = text[:comment]
    text = text.rstrip(" ")
    if not text or text[0] in _PLAIN_START_REFUSED or ": " in text or text.endswith(":") or text in ("---", "..."):
        return None
    return text


def _after_quote(rest: str) -> bool:
    rest = rest.lstrip(" ")
    return not rest or rest.startswith("#")


def _scalar(text: str) -> str | None:
    """A one-line value: plain, or quoted without escapes."""
    first = text[0]
    if first == '"':
        end = text.find('"', 1)
        if end == -1 or "\\" in text[:end] or not _after_quote(text[end + 1 :]):
            return None
        return text[1:end]
    if first == "'":
        value, position = [], 1
        while True:
            end = text.find("'", position)
            if end == -1:
                return None
            value.append(text[position:end])
            if text.startswith("'", end + 1):
                value.append("'")
                position = end + 2
                continue
            break
        return "".join(value) if _after_quote(text[end + 1 :]) else None
    return _plain(text)


def _flow_list(text: str, line: int, column: int) -> YamlList | None:
    """``[a, b]`` of plain words on one line; ``column`` is that of ``[``."""
    end = text.find("]")
    if end == -1 or not _after_quote(text[end + 1 :]):
        return None
    inner = text[1:end]
    if any(char in inner for char in "[]{}#:'\"!&*|>%@`"):
        return None
    items = YamlList(line, column)
    if not inner.strip(" "):
        return items
    offset = column + 1
    for part in inner.split(","):
        word = part.strip(" ")
        if not word or word[0] in _PLAIN_START_REFUSED:
            return None
        items.append(word)
        items.positions.append((line, offset + len(part) - len(part.lstrip(" "))))
        offset += len(part) + 1
    return items


def _no_progress(fraction: float) -> None:
    pass


#: The keys of a list's records in the order the register's own writer puts them, each with whether
#: its value is a block list of one-line scalars (``responsible:`` then ``- 市发改委`` lines) rather
#: than a one-line scalar. A record laid out so (any of its keys left out) is read in one match.
RecordLayout = tuple[tuple[str, bool], ...]


def parse_plain_subset(
    text: str,
    progress: Callable[[float], None] | None = None,
    layouts: Mapping[str, RecordLayout] | None = None,
) -> YamlMap | Literal[_Unsupported.UNSUPPORTED]:
    """The register tree of a file in the plain block subset, or ``UNSUPPORTED``.

    Written as one flat loop because it runs once per line of the register:
    on 100,000 tasks that is 1.7 million lines, and every call counts. Lines
    are matched where they stand in the text (``finditer``), never split out:
    a list of 1.7 million line strings was 200 MB, held for the whole parse.

    ``layouts``, by the first key of a record (``id`` for a task), name the order its
    keys are written in; a run of records in that order is read a record per match
    (``_read_records``), about twice as fast, into the same tree. A record in any
    other order or shape is read line by line as before.
    """
    # Characters libyaml refuses or takes for line breaks, anywhere, send the whole file to libyaml.
    if not text.isprintable() and _UNUSUAL_CHARACTERS.search(text):
        return UNSUPPORTED
    # One string object per distinct short value (unit names, deadlines, ids):
    # 100,000 tasks name a few hundred units some 700,000 times, and later
    # lookups by name compare by identity instead of by content.
    shared_values: dict[str, str] = {}
    shared = shared_values.setdefault
    refused = _PLAIN_START_REFUSED
    root: YamlMap | None = None
    # Open containers, innermost last, and the indent of their keys or dashes.
    # Typed loosely: the loop tells a map from a list by ``__class__``, which the checker does not follow.
    containers: list[Any] = []
    indents: list[int] = []
    container: Any = None
    value: str | YamlList | None
    top = -1
    # A key whose value is on the next lines: (map, key, key line, key column, empty-value column)
    pending: tuple[YamlMap, str, int, int, int] | None = None
    size = len(text) or 1
    number = 0
    # Reported every 2**16 lines when asked; never otherwise.
    report_at = 1 << 16 if progress is not None else -1
    report = progress if progress is not None else _no_progress
    record_patterns: dict[tuple[str, int], re.Pattern[str]] = {}
    # The lines from ``position`` on; a literal block (``|``) or a run of records in a known layout
    # reads its own lines, and the loop resumes after them.
    position = 0
    while position >= 0:
        resume = -1
        # ``_LINE_IN_TEXT`` matches at every position (each part is optional), so each match is one line,
        # and a text ending in a newline ends with an empty match: the lines ``text.split("\n")`` gives.
        for match in _LINE_IN_TEXT.finditer(text, position):
            number += 1
            if number == report_at:
                report_at += 1 << 16
                report(match.start() / size)
            spaces, dash, key, colon, rest = match.groups()
            indent = len(spaces)
            # The two lines most of a register is made of, taken first with only the checks they need:
            # a plain item of a list of names (``  - 市发改委``), and a key with a plain value beside its
            # siblings (``deadline: 2023年底``). Every other line, and any doubt, takes the general path.
            if (
                indent == top
                and pending is None
                and rest
                and rest[0] not in refused
                and rest[-1] != ":"
                and ": " not in rest
                and " #" not in rest
            ):
                if key is None:
                    if dash is not None and container.__class__ is YamlList:
                        value = rest.rstrip(" ") if rest[-1] == " " else rest
                        container.append(shared(value, value))
                        container.positions.append((number, indent + len(dash) + 2))
                        continue
                elif dash is None and container.__class__ is YamlMap and key not in container:
                    value = rest.rstrip(" ") if rest[-1] == " " else rest
                    container[key] = shared(value, value) if len(value) <= _SHARED_LENGTH else value
                    container.positions[key] = (number, indent + 1, number, indent + len(key) + len(colon) + 2)
                    continue
            if dash is None and key is None and (not rest or rest[0] == "#"):
                continue
            if pending is not None:
                owner, pending_key, key_line, key_column, empty_column = pending
                pending = None
                if indent >= key_column:
                    block = YamlList(number, indent + 1) if dash is not None else YamlMap(number, indent + 1)
                    owner[pending_key] = block
                    owner.positions[pending_key] = (key_line, key_column, number, indent + 1)
                    containers.append(block)
                    indents.append(indent)
                    container, top = block, indent
                    if len(containers) >= MAX_DEPTH:
                        return UNSUPPORTED  # the full parser reports the depth where it is
                else:
                    owner[pending_key] = _EMPTY_PLAIN
                    owner.positions[pending_key] = (key_line, key_column, key_line, empty_column)
            elif root is None:
                if indent or dash is not None or key is None:
                    return UNSUPPORTED
                root = container = YamlMap(number, 1)
                containers.append(root)
                indents.append(0)
                top = 0
            if indent != top:
                while indents and indent < indents[-1]:
                    containers.pop()
                    indents.pop()
                if not indents or indent != indents[-1]:
                    return UNSUPPORTED
                container, top = containers[-1], indent
            column = indent + 1
            if dash is not None:
                if container.__class__ is not YamlList:
                    return UNSUPPORTED
                # "- - x" leaves "- x" as the rest, which no scalar below accepts.
                column = indent + len(dash) + 2
                if key is not None:
                    layout = layouts.get(key) if layouts and dash == " " else None
                    if layout is not None:
                        pattern = record_patterns.get((key, indent))
                        if pattern is None:
                            pattern = record_patterns[key, indent] = _record_pattern(layout, indent)
                        read = _read_records(pattern, layout, text, match.start(), indent, number, container, shared)
                        if read is not None:
                            resume, number = read
                            if number >= report_at > 0:
                                report_at = (number >> 16) + 1 << 16
                                report(resume / size)
                            break
                    item = YamlMap(number, column)
                    container.append(item)
                    container.positions.append((number, column))
                    containers.append(item)
                    indents.append(column - 1)
                    container, top = item, column - 1
                    if len(containers) >= MAX_DEPTH:
                        return UNSUPPORTED
                else:
                    if not rest or rest[0] == "#":
                        return UNSUPPORTED
                    if rest[0] in refused or ": " in rest or " #" in rest or rest[-1] == ":":
                        value = _scalar(rest)
                        if value is None:
                            return UNSUPPORTED
                    else:
                        value = rest.rstrip(" ") if rest[-1] == " " else rest
                    value = shared(value, value)
                    container.append(value)
                    container.positions.append((number, column))
                    continue
            elif key is None or container.__class__ is not YamlMap:
                return UNSUPPORTED
            if key in container:
                return UNSUPPORTED  # the event path reports the duplicate
            if not rest or rest[0] == "#":
                pending = (container, key, number, column, column + len(key) + 1)
                continue
            value_column = column + len(key) + len(colon) + 1
            first = rest[0]
            if first in refused or ": " in rest or " #" in rest or rest[-1] == ":":
                line = number
                if first == "[":
                    value = _flow_list(rest, line, value_column)
                elif first == "|":
                    after = match.end() if match.group().endswith("\n") else len(text) + 1
                    value, used, resume = _literal_block(rest, text, after, indent)
                    number += used
                else:
                    value = _scalar(rest)
                if value is None:
                    return UNSUPPORTED
                container[key] = value
                container.positions[key] = (line, column, line, value_column)
                if resume >= 0:
                    break
                continue
            value = rest.rstrip(" ") if rest[-1] == " " else rest
            container[key] = shared(value, value) if len(value) <= _SHARED_LENGTH else value
            container.positions[key] = (number, column, number, value_column)
        position = resume
    if pending is not None:
        owner, pending_key, key_line, key_column, empty_column = pending
        owner[pending_key] = _EMPTY_PLAIN
        owner.positions[pending_key] = (key_line, key_column, key_line, empty_column)
    return UNSUPPORTED if root is None else root


def _record_pattern(layout: RecordLayout, indent: int) -> re.Pattern[str]:
    """One record in ``layout`` whose dash stands at ``indent``, up to a line indented no deeper than the dash.

    Every value is a group: a scalar's text after ``key: ``, or a list's ``- item`` lines.
    """
    inner = " " * (indent + 2)
    (first, first_is_list), *others = layout
    assert not first_is_list  # the first key shares the dash's line
    parts = [f"{' ' * indent}- {re.escape(first)}: ([^\n]*)\n"]
    for key, is_list in others:
        if is_list:
            parts.append(f"(?:{inner}{re.escape(key)}:\n((?:{inner}  - [^\n]*\n)+))?")
        else:
            parts.append(f"(?:{inner}{re.escape(key)}: ([^\n]*)\n)?")
    parts.append(f"(?! {{{indent + 1}}})")
    return re.compile("".join(parts))


def _read_records(
    pattern: re.Pattern[str],
    layout: RecordLayout,
    text: str,
    start: int,
    indent: int,
    number: int,
    items: YamlList,
    shared: Callable[[str, str], str],
) -> tuple[int, int] | None:
    """Append to ``items`` each record from ``start`` on that ``pattern`` matches and whose values
    the line path would read the same way; stop at the first that is not one.

    Returns where the next line starts and the number of the last line read, or None when
    not even the first record (on line ``number``) is read this way. Positions are those the
    line path gives: the key's column is the dash's plus two, a list stands one column
    right of its keys and its items two further.
    """
    column = indent + 3
    list_column = indent + 5
    item_column = indent + 7
    cut = indent + 6  # the characters before an item's value: its indent and "- "
    line = number
    match = pattern.match(text, start)
    while match is not None:
        record = YamlMap(line, column)
        positions = record.positions
        at = line
        for (key, is_list), value in zip(layout, match.groups()):
            if value is None:
                continue
            if is_list:
                block = YamlList(at + 1, list_column)
                for entry in value.split("\n")[:-1]:
                    at += 1
                    scalar = _listed_scalar(entry[cut:])
                    if scalar is None:
                        return (start, line - 1) if line > number else None
                    block.append(shared(scalar, scalar))
                    block.positions.append((at, item_column))
                record[key] = block
                positions[key] = (at - len(block), column, at - len(block) + 1, list_column)
            else:
                scalar = _keyed_scalar(value, shared)
                if scalar is None:
                    return (start, line - 1) if line > number else None
                record[key] = scalar
                positions[key] = (at, column, at, column + len(key) + 2)
            at += 1
        items.append(record)
        items.positions.append((line, column))
        line = at
        start = match.end()
        match = pattern.match(text, start)
    return (start, line - 1) if line > number else None


def _keyed_scalar(value: str, shared: Callable[[str, str], str]) -> str | None:
    """What the line path makes of ``key: value`` (one space after the colon), or None where it would
    read the line otherwise (a comment, more spaces, a flow list, a block) or decline it."""
    if not value or value[0] == " ":
        return None
    if value[0] in _PLAIN_START_REFUSED or ": " in value or " #" in value or value[-1] == ":":
        return None if value[0] in "#[|" else _scalar(value)
    value = value.rstrip(" ") if value[-1] == " " else value
    return shared(value, value) if len(value) <= _SHARED_LENGTH else value


def _listed_scalar(rest: str) -> str | None:
    """What the line path makes of an item ``- rest`` of a list of scalars, or None where it reads it otherwise."""
    if not rest or rest[0] == " " or rest[0] == "#":
        return None
    if rest[0] in _PLAIN_START_REFUSED or ": " in rest or " #" in rest or rest[-1] == ":":
        return _scalar(rest)
    return rest.rstrip(" ") if rest[-1] == " " else rest


def _literal_block(header: str, text: str, start: int, parent_indent: int) -> tuple[str | None, int, int]:
    """A ``|`` or ``|-`` block after a key at ``parent_indent``, its lines starting at ``start``.

    Returns its value, how many lines it took, and where the line after them starts
    (``len(text) + 1`` past the end); (None, 0, -1) when the block is outside the subset.
    """
    chomp = header[1:].rstrip(" ")
    if chomp not in ("", "-"):
        return None, 0, -1
    body: list[str] = []
    indent = -1
    used = 0
    position = start
    end = len(text)
    while position <= end:
        stop = text.find("\n", position)
        following = stop + 1 if stop != -1 else end + 1
        raw = text[position : stop if stop != -1 else end]
        content = raw.lstrip(" ")
        if not content:
            if indent != -1 and len(raw) > indent:
                return None, 0, -1  # spaces beyond the indent on a blank line: leave it to libyaml
            if indent == -1 and raw:
                return None, 0, -1
            body.append("")
            used += 1
            position = following
            continue
        here = len(raw) - len(content)
        if indent == -1:
            if here <= parent_indent or body:
                return None, 0, -1  # empty block, or leading blank lines
            indent = here
        elif here < indent:
            break
        body.append(raw[indent:])
        used += 1
        position = following
    if indent == -1:
        return None, 0, -1
    while body and body[-1] == "":
        body.pop()
    value = "\n".join(body)
    return (value if chomp == "-" else value + "\n"), used, position
