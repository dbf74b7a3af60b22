"""Writing a register's text for print: full-width punctuation beside Chinese, 成文日期, safe Markdown.

The register is kept NFKC-normalised (half-width ``,`` and ``()``); what a
document shows is NFKC-equal to it, so only the width of punctuation changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar, overload

from markupsafe import Markup, escape


def date_zh(value: date | str | None) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2023年6月18日).

    An ISO date string (as the 通报's data holds dates) is written the same way.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return f"{value.year}年{value.month}月{value.day}日"


def date_span_zh(start: date | str, end: date | str) -> str:
    """A span of days as Chinese prose writes it: the end's year left out when it is the start's
    (2023年4月29日至5月28日; 2023年12月29日至2024年1月28日)."""
    first, last = (date.fromisoformat(day) if isinstance(day, str) else day for day in (start, end))
    shown = date_zh(last) if last.year != first.year else f"{last.month}月{last.day}日"
    return f"{date_zh(first)}至{shown}"


_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019"
_FULL_WIDTH = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "!": "\uff01", "?": "\uff1f", "(": "\uff08", ")": "\uff09"}
_CJK_PUNCT = re.compile(rf"(?<=[{_CJK}])[ \t]*([,;:!?])[ \t]*|[ \t]*([,;:!?])[ \t]*(?=[{_CJK}])")
_CJK_PARENS = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")


_Value = TypeVar("_Value")


@overload
def cjk_punctuation(value: str) -> str: ...
@overload
def cjk_punctuation(value: _Value) -> _Value: ...
def cjk_punctuation(value: object) -> object:
    """Half-width punctuation next to Chinese text written full-width, as print expects.

    Why: the register is kept NFKC-normalised (制度(试行), 一季度80%,), which reads
    wrong in a printed notice; the text shown is NFKC-equal to the register, so
    nothing is changed but the width. Other values pass through untouched.
    """
    if type(value) is not str:  # Markup is already final (a macro's output, an escaped cell)
        return value
    if _memo is not None:
        found = _memo.get(value)
        if found is None:
            found = _memo[value] = _full_width(value)
        return found
    return _full_width(value)


#: While many documents are written: text -> its full-width form. A site prints a task's
#: text on its own page, the table, its dimension and every unit page naming it; a
#: single document prints it once, so only ``remembered`` keeps one (and drops it after).
_memo: dict[str, str] | None = None


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, each distinct text is converted once."""
    global _memo
    _memo = {}
    try:
        yield
    finally:
        _memo = None


def _full_width(value: str) -> str:
    text = _CJK_PARENS.sub(lambda m: "\uff08" + m.group(1) + "\uff09", value)
    return _CJK_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(1) or m.group(2)], text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>&~])")


def markdown_inline(value: object) -> Markup:
    """Text made safe for one line or one table cell of GitHub Markdown.

    Pipes, Markdown punctuation, ``<``, ``>`` and ``&`` are backslash-escaped (so a
    task text holding ``<script>`` shows as text, not as HTML); line breaks become ``<br>``.
    """
    text = cjk_punctuation("" if value is None else str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Markup: final, so the environment's finalize does not process it a second time.
    return Markup(re.sub(r"\r\n|\r|\n", "<br>", text))


_AFTER_YEAR = re.compile(r"(?<=\d年)(?=\s*\d)")


def deadline_breaks(value: object) -> Markup:
    """A deadline for a narrow column: full-width punctuation, escaped, and a line may break after
    its year (2023年 / 12月底) but nowhere inside a month or a date (the cell is word-break: keep-all)."""
    text = escape(cjk_punctuation("" if value is None else str(value)))
    return Markup(_AFTER_YEAR.sub("<wbr>", str(text)))


_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")


def markdown_text(value: object) -> object:
    """A value printed into a Markdown document whose values are also HTML-escaped (the 通报), kept text.

    Markdown's inline punctuation (``\\ ` * _ [ ] | ~``) is backslash-escaped, so
    no link, image, emphasis, code span or extra table column comes from the data;
    ``& < >`` become entities, so no HTML; a line break becomes ``<br>``, so a value
    never starts a line of its own (a heading, a list, a table row); control
    characters show as ``<U+001B>``. Markup (a macro's output, ``|safe``) and
    numbers pass as they are.
    """
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    text = _MD_INLINE.sub(r"\\\1", _show_controls(value))
    text = str(Markup.escape(text))
    return Markup(re.sub(r"\r\n|\r|\n", "<br>", text))


def _show_controls(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) == "Cc" and char not in "\n\r\t" else char for char in text
    )
