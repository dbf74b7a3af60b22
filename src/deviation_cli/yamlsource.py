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
_CORE_TAG_PREFIX = "tag:yaml.org,2002:"

#: PyYAML's words for common slips, and the message code that says it plainly.
_SYNTAX_PROBLEMS = (
    ("while scanning a quoted scalar", "yaml_unclosed_quote"),
    ("mapping values are not allowed here", "yaml_colon_in_value"),
    ("could not find expected ':'", "yaml_missing_colon"),
    ("did not find expected key", "yaml_bad_indent"),
    ("did not find expected '-' indicator", "yaml_bad_indent"),
    ("expected <block end>", "yaml_bad_indent"),
    ("exceeded maximum nesting depth", "yaml_too_deep"),
)

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


def parse_yaml(text: str, path: str, progress: Any = None) -> tuple[Any, list[Issue]]:
    """Parse one YAML document into YamlMap/YamlList/str/None, with every issue found.

    A register written in the plain block style it is kept in (nearly every
    one) is read by ``parse_plain_subset``, several times faster than PyYAML's
    events on large registers; anything else goes through libyaml's events.
    """

    # The fast path refuses NUL, BOM and tab, so when it succeeds the scan below finds nothing.
    fast = parse_plain_subset(text, progress)
    if fast is not _UNSUPPORTED:
        return fast, []
    issues, fatal = scan_characters(text, path)
    if fatal:
        return None, issues
    tab_lines = {issue.line for issue in issues}

    import yaml

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
            shown = "!!" + tag[len(_CORE_TAG_PREFIX):] if tag.startswith(_CORE_TAG_PREFIX) else tag
            issues.append(Issue("yaml_tag", path, line, column, {"tag": shown}))

    try:
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            line, column = mark.line + 1, mark.column + 1
            kind = type(event).__name__
            if kind == "ScalarEvent":
                check_node(event, line, column)
                plain_empty = event.value == "" and not event.style and event.implicit[0]
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
        issue = _syntax_issue(error, path)
        if issue.line not in tab_lines:
            issues.append(issue)
        return None, issues
    except yaml.YAMLError as error:
        issues.append(Issue("yaml_syntax", path, 0, 0, {"problem": str(error)}))
        return None, issues
    return root, issues


def _syntax_issue(error: Any, path: str) -> Issue:
    """A PyYAML error in plain words, pointing where the clerk has to look."""
    words = f"{error.context or ''} {error.problem or ''}"
    code = next((code for phrase, code in _SYNTAX_PROBLEMS if phrase in words), "yaml_syntax")
    # An unclosed quote is found at the end of the file; the fix is where it opened.
    mark = error.context_mark if code == "yaml_unclosed_quote" and error.context_mark else error.problem_mark
    mark = mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    return Issue(code, path, line, column, {"problem": problem})


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


# --- the fast path: the block-style subset a register is written in ------------------------
#
# Why: libyaml hands Python one event object (with two Mark objects) per scalar,
# which costs seconds on a 100,000-task register before any check runs. Registers
# are written in a small, regular part of YAML: block mappings and sequences,
# one-line plain or quoted scalars, ``[a, b]`` lists of plain words, ``|``/``|-``
# blocks and comments. ``parse_plain_subset`` reads exactly that part line by
# line and gives the same YamlMap/YamlList tree, values and positions as the
# event path (tests/test_fast_yaml.py compares both); at the first line outside
# it, it gives up and the event path reads the file, so every unusual file
# (and every file with a problem) is still read, and reported, by libyaml.

_UNSUPPORTED = object()

#: Characters libyaml treats as line breaks or refuses; their presence sends a file to libyaml.
_UNUSUAL_CHARACTERS = re.compile("[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\u2028\\u2029]")
#: One line: indent, a dash, a key, the rest (the rest alone for a scalar item or a comment).
_LINE = re.compile(r"( *)(?:(-)(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_]*):(?: +|$))?(.*)")
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
        if end == -1 or "\\" in text[:end] or not _after_quote(text[end + 1:]):
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
        return "".join(value) if _after_quote(text[end + 1:]) else None
    return _plain(text)


def _flow_list(text: str, line: int, column: int) -> YamlList | None:
    """``[a, b]`` of plain words on one line; ``column`` is that of ``[``."""
    end = text.find("]")
    if end == -1 or not _after_quote(text[end + 1:]):
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


def parse_plain_subset(text: str, progress: Any = None) -> Any:
    """The register tree of a file in the plain block subset, or ``_UNSUPPORTED``.

    Written as one flat loop because it runs once per line of the register:
    on 100,000 tasks that is 1.7 million lines, and every call counts.
    """
    line_match = _LINE.match
    # One string object per distinct short value (unit names, deadlines, ids):
    # 100,000 tasks name a few hundred units some 700,000 times, and later
    # lookups by name compare by identity instead of by content.
    shared = {}.setdefault
    refused = _PLAIN_START_REFUSED
    root: Any = None
    # Open containers, innermost last, and the indent of their keys or dashes.
    containers: list[Any] = []
    indents: list[int] = []
    container: Any = None
    top = -1
    # A key whose value is on the next lines: (map, key, key line, key column, empty-value column)
    pending: tuple[YamlMap, str, int, int, int] | None = None
    lines = text.split("\n")
    count = len(lines)
    numbered = enumerate(lines, 1)
    # Reported every 2**16 lines when asked; never otherwise.
    report_at = 1 << 16 if progress is not None else count + 1
    for number, raw in numbered:
        if number >= report_at:
            progress(number / count)
            report_at += 1 << 16
        if not raw.isprintable() and _UNUSUAL_CHARACTERS.search(raw):
            return _UNSUPPORTED
        match = line_match(raw)
        spaces, dash, key, rest = match.groups()
        if dash is None and key is None and (not rest or rest[0] == "#"):
            continue
        indent = len(spaces)
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
                    return _UNSUPPORTED  # the full parser reports the depth where it is
            else:
                owner[pending_key] = _EMPTY_PLAIN
                owner.positions[pending_key] = (key_line, key_column, key_line, empty_column)
        elif root is None:
            if indent or dash is not None or key is None:
                return _UNSUPPORTED
            root = container = YamlMap(number, 1)
            containers.append(root)
            indents.append(0)
            top = 0
        if indent != top:
            while indents and indent < indents[-1]:
                containers.pop()
                indents.pop()
            if not indents or indent != indents[-1]:
                return _UNSUPPORTED
            container, top = containers[-1], indent
        column = indent + 1
        if dash is not None:
            if container.__class__ is not YamlList:
                return _UNSUPPORTED
            # "- - x" leaves "- x" as the rest, which no scalar below accepts.
            column = match.start(4 if key is None else 3) + 1
            if key is not None:
                item = YamlMap(number, column)
                container.append(item)
                container.positions.append((number, column))
                containers.append(item)
                indents.append(column - 1)
                container, top = item, column - 1
                if len(containers) >= MAX_DEPTH:
                    return _UNSUPPORTED
            else:
                if not rest or rest[0] == "#":
                    return _UNSUPPORTED
                if rest[0] in refused or ": " in rest or " #" in rest or rest[-1] == ":":
                    value = _scalar(rest)
                    if value is None:
                        return _UNSUPPORTED
                else:
                    value = rest.rstrip(" ") if rest[-1] == " " else rest
                value = shared(value, value)
                container.append(value)
                container.positions.append((number, column))
                continue
        elif key is None or container.__class__ is not YamlMap:
            return _UNSUPPORTED
        if key in container:
            return _UNSUPPORTED  # the event path reports the duplicate
        if not rest or rest[0] == "#":
            pending = (container, key, number, column, column + len(key) + 1)
            continue
        value_column = match.start(4) + 1
        first = rest[0]
        if first in refused or ": " in rest or " #" in rest or rest[-1] == ":":
            line = number
            if first == "[":
                value = _flow_list(rest, line, value_column)
            elif first == "|":
                value, last = _literal_block(rest, lines, number, indent)
                for _ in range(last - number):
                    next(numbered)
            else:
                value = _scalar(rest)
            if value is None:
                return _UNSUPPORTED
            container[key] = value
            container.positions[key] = (line, column, line, value_column)
            continue
        value = rest.rstrip(" ") if rest[-1] == " " else rest
        container[key] = shared(value, value) if len(value) <= _SHARED_LENGTH else value
        container.positions[key] = (number, column, number, value_column)
    if pending is not None:
        owner, pending_key, key_line, key_column, empty_column = pending
        owner[pending_key] = _EMPTY_PLAIN
        owner.positions[pending_key] = (key_line, key_column, key_line, empty_column)
    return _UNSUPPORTED if root is None else root


def _literal_block(header: str, lines: list[str], number: int, parent_indent: int) -> tuple[str | None, int]:
    """A ``|`` or ``|-`` block after a key at ``parent_indent``; returns its value and the last line used."""
    chomp = header[1:].rstrip(" ")
    if chomp not in ("", "-"):
        return None, number
    body: list[str] = []
    indent = -1
    last = number
    while last < len(lines):
        raw = lines[last]
        content = raw.lstrip(" ")
        if not content:
            if indent != -1 and len(raw) > indent:
                return None, number  # spaces beyond the indent on a blank line: leave it to libyaml
            if indent == -1 and raw:
                return None, number
            body.append("")
            last += 1
            continue
        here = len(raw) - len(content)
        if indent == -1:
            if here <= parent_indent or body:
                return None, number  # empty block, or leading blank lines
            indent = here
        elif here < indent:
            break
        body.append(raw[indent:])
        last += 1
    if indent == -1:
        return None, number
    while body and body[-1] == "":
        body.pop()
    value = "\n".join(body)
    return (value if chomp == "-" else value + "\n"), last
