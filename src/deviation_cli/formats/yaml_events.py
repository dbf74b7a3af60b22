"""Parse events to located data: the full YAML reader, for every file the line reader gives up on.

Why not ``yaml.safe_load``: it silently keeps the last of two repeated keys,
expands aliases (billion laughs), turns ``no``/``010``/``2023-06-30`` into
bool/int/date, and throws positions away. Here the register is built straight
from parse events: every scalar stays a string, every mapping and sequence
keeps the line and column of its keys and items, and whatever a register does
not need (anchors, aliases, custom tags, a second document) is an issue.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..domain.issues import Issue
from .yaml_tree import MAX_DEPTH, YamlList, YamlMap, YamlValue

if TYPE_CHECKING:
    from yaml import MarkedYAMLError
    from yaml.events import CollectionStartEvent, ScalarEvent

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


def parse_events(text: str, path: str) -> tuple[YamlValue, list[Issue]]:
    """Parse one YAML document from libyaml's events into YamlMap/YamlList/str/None, with every issue found."""
    issues, fatal = scan_characters(text, path)
    if fatal:
        return None, issues
    tab_lines = {issue.line for issue in issues}

    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
    )

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    root: YamlValue = None
    documents = 0
    # Each frame: [container, pending key or None, key line, key column]
    stack: list[list[Any]] = []

    def add(value: YamlValue, line: int, column: int) -> None:
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

    def check_node(event: ScalarEvent | CollectionStartEvent, line: int, column: int) -> None:
        if event.anchor is not None:
            issues.append(Issue("anchor", path, line, column, {"anchor": event.anchor}))
        tag = event.tag
        if tag is not None and tag not in PLAIN_TAGS:
            shown = "!!" + tag[len(_CORE_TAG_PREFIX) :] if tag.startswith(_CORE_TAG_PREFIX) else tag
            issues.append(Issue("yaml_tag", path, line, column, {"tag": shown}))

    try:
        for event in yaml.parse(text, Loader=loader):
            mark = event.start_mark
            assert mark is not None  # both parsers mark where every event starts
            line, column = mark.line + 1, mark.column + 1
            if isinstance(event, ScalarEvent):
                check_node(event, line, column)
                plain_empty = event.value == "" and not event.style and event.implicit[0]
                add(None if plain_empty else event.value, line, column)
            elif isinstance(event, (MappingStartEvent, SequenceStartEvent)):
                check_node(event, line, column)
                if len(stack) >= MAX_DEPTH:
                    issues.append(Issue("yaml_too_deep", path, line, column, {"depth": MAX_DEPTH}))
                    return None, issues
                container_type = YamlMap if isinstance(event, MappingStartEvent) else YamlList
                stack.append([container_type(line, column), None, 0, 0])
            elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
                container = stack.pop()[0]
                add(container, container.line, container.column)
            elif isinstance(event, AliasEvent):
                issues.append(Issue("alias", path, line, column, {"anchor": event.anchor}))
                add(None, line, column)
            elif isinstance(event, DocumentStartEvent):
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


def _syntax_issue(error: MarkedYAMLError, path: str) -> Issue:
    """A PyYAML error in plain words, pointing where the clerk has to look."""
    words = f"{error.context or ''} {error.problem or ''}"
    code = next((code for phrase, code in _SYNTAX_PROBLEMS if phrase in words), "yaml_syntax")
    # An unclosed quote is found at the end of the file; the fix is where it opened.
    mark = error.context_mark if code == "yaml_unclosed_quote" and error.context_mark else error.problem_mark
    mark = mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    return Issue(code, path, line, column, {"problem": problem})
