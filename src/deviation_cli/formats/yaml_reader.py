"""Reading one YAML file of a register: the fast line reader where it can, libyaml's events where not.

Both give the same located tree (``yaml_tree``): strings, lists and mappings
with the line and column of everything in them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

from ..domain.issues import Issue
from .yaml_events import parse_events
from .yaml_lines import UNSUPPORTED, RecordLayout, parse_plain_subset
from .yaml_tree import YamlList, YamlMap, YamlValue


def parse_yaml(text: str, path: str, progress: Callable[[float], None] | None = None) -> tuple[YamlValue, list[Issue]]:
    """Parse one YAML document into YamlMap/YamlList/str/None, with every issue found.

    A register written in the plain block style it is kept in (nearly every
    one) is read by ``parse_plain_subset``, several times faster than PyYAML's
    events on large registers; anything else goes through libyaml's events.
    """
    root, issues, _ = parse_yaml_checked(text, path, progress)
    return root, issues


def parse_yaml_checked(
    text: str,
    path: str,
    progress: Callable[[float], None] | None = None,
    layouts: Mapping[str, RecordLayout] | None = None,
) -> tuple[YamlValue, list[Issue], list[Issue]]:
    """``parse_yaml``, and apart from its issues those of every control character in a key or text
    (``control_character_issues``), which validation adds and goes on checking.
    ``layouts``: the order the file's records are written in (``parse_plain_subset``).

    Why together: the fast path refuses every control character and every escape, so a file
    it reads holds none, and the scan of the whole text (a tenth of a second on 100,000
    tasks) is only needed for a file libyaml reads.
    """
    # The fast path refuses NUL, BOM and tab, so when it succeeds the event path's scan would find nothing.
    fast = parse_plain_subset(text, progress, layouts)
    if fast is not UNSUPPORTED:
        return fast, [], []
    root, issues = parse_events(text, path)
    return root, issues, [] if issues else control_character_issues(root, text, path)


def control_character_issues(root: YamlValue, text: str, path: str) -> list[Issue]:
    """An issue for every key and text of a parsed file that holds a control character (but tab, line feed).

    Validation adds these to what it finds and goes on checking the file: a stray
    ESC is one mistake among the others, not a file that cannot be read.
    """
    issues: list[Issue] = []
    if _MAY_HOLD_CONTROLS.search(text):
        _control_characters(root, path, "", (1, 1), issues)
    return issues


#: What a file needs to hold for a value to hold a control character: the character itself, or an escape.
_MAY_HOLD_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\\")


def control_characters(text: str) -> list[str]:
    """The control characters in ``text`` (but tab and line feed), each as ``<U+0000>``."""
    return [f"<U+{ord(char):04X}>" for char in text if char not in "\t\n" and unicodedata.category(char) == "Cc"]


def _control_characters(node: YamlValue, path: str, field: str, at: tuple[int, int], issues: list[Issue]) -> None:
    """Every key and text of the tree that holds a control character, as an issue at its position.

    Why: a register is text people read and print. NUL, ESC or a C1 control written
    as a YAML escape (``"\\u0000"``, ``"\\e"``) passed validation, then turned the
    cache off (NUL) or reached spreadsheets and calendars that choke on them.
    """
    if isinstance(node, str):
        found = control_characters(node)
        if found:
            issues.append(
                Issue("text_control_character", path, at[0], at[1], {"field": field, "characters": " ".join(found)})
            )
    elif isinstance(node, YamlMap):
        for key, value in node.items():
            key_found = control_characters(key)
            if key_found:
                line, column = node.key_position(key)
                issues.append(
                    Issue(
                        "text_control_character", path, line, column, {"field": key, "characters": " ".join(key_found)}
                    )
                )
            _control_characters(value, path, key, node.value_position(key), issues)
    elif isinstance(node, YamlList):
        for index, item in enumerate(node):
            _control_characters(item, path, field, node.item_position(index), issues)
