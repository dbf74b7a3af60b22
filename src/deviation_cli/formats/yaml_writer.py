"""Writing register YAML the way a person would: block style, plain where safe, nothing lost.

Why not ``yaml.safe_dump``: it folds long Chinese lines, quotes or leaves plain
by its own type rules, and sorts nothing the way data/tasks.yaml is laid out.
Here every scalar is a string (the register's loader reads them so), written
plain when a YAML parser reads the very same string back, as a ``|-`` block
when it spans lines, and double-quoted otherwise.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping

#: Plain words that YAML 1.1 tools (not this project's loader) would turn into booleans or null.
_SURPRISING = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})


def dump(tree: Mapping[str, object], comments: Iterable[str] = ()) -> str:
    """A mapping of strings, lists and mappings as hand-style YAML; top-level keys apart by a blank line."""
    lines = [f"# {_comment_text(comment)}" if comment else "#" for comment in comments]
    for index, (key, value) in enumerate(tree.items()):
        if index or lines:
            lines.append("")
        _entry(key, value, 0, lines)
    return "\n".join(lines) + "\n"


def _comment_text(text: str) -> str:
    """A comment kept to its one line: control characters and line breaks shown as <U+000A>.

    Why: a comment quotes register text (the document title); a line break in it
    would end the comment and turn the rest into YAML, an ESC would make the file unreadable.
    """
    import unicodedata

    return "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\t" else char
        for char in text
    )


@functools.lru_cache(maxsize=1 << 16)
def scalar(text: str) -> str:
    """One string as a YAML scalar on a single line (plain or double-quoted).

    Cached, and digits answered without the loader: an imported table of 50,000 rows
    repeats its unit names and deadlines, and asking the YAML loader about every one
    of its 700,000 values was two thirds of the import's time.
    """
    if text.isascii() and text.isdigit():
        return text  # a plain run of digits reads back as itself (every scalar is a string)
    if _reads_back(text, text):
        return text
    # JSON escapes C0 controls only; YAML may hold neither DEL and C1 controls nor a BOM raw,
    # and reads NEL and the Unicode line separators as line breaks.
    return _RAW_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(text, ensure_ascii=False))


_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _entry(key: str, value: object, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if value is None:
        # An absent optional field: leaving the key out reads back the same.
        return
    if isinstance(value, dict) and value:
        lines.append(f"{pad}{key}:")
        for sub_key, sub_value in value.items():
            _entry(sub_key, sub_value, indent + 2, lines)
    elif isinstance(value, list) and value:
        lines.append(f"{pad}{key}:")
        _items(value, indent + 2, lines)
    elif isinstance(value, (dict, list)):
        lines.append(f"{pad}{key}: {'{}' if isinstance(value, dict) else '[]'}")
    else:
        _scalar_line(f"{pad}{key}:", value, indent, lines)


def _items(values: list[object], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for value in values:
        if isinstance(value, dict) and value:
            first = True
            for sub_key, sub_value in ((k, v) for k, v in value.items() if v is not None):
                if first:
                    # The first key shares the dash's line: "- id: 1".
                    marker: list[str] = []
                    _entry(sub_key, sub_value, indent + 2, marker)
                    marker[0] = f"{pad}- " + marker[0][indent + 2 :]
                    lines.extend(marker)
                    first = False
                else:
                    _entry(sub_key, sub_value, indent + 2, lines)
        elif isinstance(value, list) and value:
            lines.append(f"{pad}-")
            _items(value, indent + 2, lines)
        elif isinstance(value, (dict, list)):
            lines.append(f"{pad}- {'{}' if isinstance(value, dict) else '[]'}")
        else:
            _scalar_line(f"{pad}-", value, indent, lines)


def _scalar_line(prefix: str, value: object, indent: int, lines: list[str]) -> None:
    text = "" if value is None else str(value)
    if "\n" in text and _block_fits(text):
        lines.append(f"{prefix} |-")
        lines.extend((" " * (indent + 2) + line) if line else "" for line in text.split("\n"))
        return
    lines.append(f"{prefix} {scalar(text)}")


def _block_fits(text: str) -> bool:
    # A line starting with a tab would read as tab indentation, which the loader refuses.
    if any(line[:1] in ("\t", " ") for line in text.split("\n")) or _RAW_UNSAFE.search(text):
        return False
    block = "k: |-\n" + "\n".join(("  " + line) if line else "" for line in text.split("\n"))
    return _loads(block) == {"k": text}


def _reads_back(text: str, expected: str) -> bool:
    if not text or text != text.strip() or text.lower() in _SURPRISING or "\n" in text or _RAW_UNSAFE.search(text):
        return False
    return _loads("k: " + text) == {"k": expected}


def _loads(document: str) -> object:
    import yaml

    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        return yaml.load(document, Loader=loader)
    except yaml.YAMLError:
        return None
