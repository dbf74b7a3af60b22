"""Every word the tool says to a person, in Chinese (the default) and English.

Why one layer: a problem is data (a code and its arguments) until it is shown,
and a label is a key until a table prints it; the same thing then reads the
same in a terminal table, JSON, CI annotations and documents, in either
language, and tests can assert the exact words. Each language has one catalog
(``zh.py``, ``en.py``) with the same keys; ``tests`` checks they match.

Keys: issue codes as they are (``unknown_unit``), ``label.<field>`` for column
headings, ``value.<value>`` for words a value stands for (``value.county``),
``change.<word>`` for ``diff``, ``cli.<sentence>`` for what commands say.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, overload

from . import zh

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"


class _Catalogs(dict[Lang, dict[str, str]]):
    """Each language's catalog, the English one read when first asked for.

    Why: most runs speak Chinese, and reading the second catalog is a noticeable
    part of a query's start-up (importlib rather than ``from . import en``: an
    import of our own inside a function is kept for heavy libraries).
    """

    def __missing__(self, lang: Lang) -> dict[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        words: dict[str, str] = importlib.import_module(f"{__name__}.{lang}").WORDS
        self[lang] = words
        return words


CATALOGS: dict[Lang, dict[str, str]] = _Catalogs({"zh": zh.WORDS})


def as_lang(value: str) -> Lang:
    """``value`` as a Lang; ValueError for anything but ``zh`` or ``en``."""
    if value not in LANGS:
        raise ValueError(value)
    return value  # narrowed to Lang by the test above


def say(key: str, lang: Lang = DEFAULT_LANG, **args: object) -> str:
    """The catalog's sentence for ``key``, filled with ``args`` (not quoted: the caller's own values)."""
    template = CATALOGS[lang].get(key)
    if template is None:
        return key
    return template.format(**args) if args else template


def has(key: str) -> bool:
    return key in CATALOGS[DEFAULT_LANG]


def label(field: str, lang: Lang = DEFAULT_LANG, plan: Mapping[str, str] | None = None) -> str:
    """The heading of a column or field; a plan's own word for it wins in Chinese.

    ``plan`` maps field names to the words a register declares (牵头单位 for
    ``lead`` where the plan says so); English keeps the tool's words.
    """
    if plan and lang == "zh" and field in plan:
        return plan[field]
    return CATALOGS[lang].get("label." + field, field)


def value_word(value: str, lang: Lang = DEFAULT_LANG) -> str:
    """What a stored value (``county``, ``已完成``, ``red``) is called in ``lang``."""
    return CATALOGS[lang].get("value." + value, value)


#: Longest piece of the user's own text repeated in a message.
MAX_QUOTED_CHARS = 120
#: Arguments that name files the user chose: shown whole, however long the path.
_PATHS = frozenset({"file", "folder"})


_Value = TypeVar("_Value")


@overload
def quoted(value: str) -> str: ...
@overload
def quoted(value: _Value) -> _Value: ...
def quoted(value: object) -> object:
    """A piece of the user's text made safe and short enough to repeat in a message.

    Why: a message quotes what the file says. Invisible characters (U+200B,
    U+FEFF, bidi controls) must show, or "unit '市审计局' is unknown" reads
    as nonsense; control characters (ESC from a YAML "\\e") must not reach the
    terminal; and a megabyte-long value must not be printed back in full.
    """
    if not isinstance(value, str):
        return value
    shown = "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in value[:MAX_QUOTED_CHARS]
    )
    if len(value) > MAX_QUOTED_CHARS:
        shown += f"…(+{len(value) - MAX_QUOTED_CHARS})"
    return shown


def suggestion_hint(candidates: list[str], lang: Lang) -> str:
    """The 'did you mean' tail added to a message, empty when there is nothing close."""
    if not candidates:
        return ""
    return say("hint.prefix", lang) + say("hint.join", lang).join(candidates) + say("hint.end", lang)


def message(code: str, args: Mapping[str, Any], lang: Lang = DEFAULT_LANG) -> str:
    """An issue's sentence: the user's text in ``args`` quoted, ``suggestions`` turned into a hint."""
    template = CATALOGS[lang].get(code)
    if template is None:
        return f"{code}: {dict(args)}"
    values = {key: value if key in _PATHS else quoted(value) for key, value in args.items()}
    if "suggestions" in values:
        values["hint"] = suggestion_hint(values.pop("suggestions"), lang)
    values.setdefault("hint", "")
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
