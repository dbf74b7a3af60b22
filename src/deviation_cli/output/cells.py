"""One value as one cell of a table, CSV or document: lists joined, booleans and codes in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..words import DEFAULT_LANG, Lang, say, value_word

#: Fields whose values are codes that read better as words (``lead`` → 牵头).
WORDED_FIELDS = frozenset({"role", "matched_field", "kind", "status", "light", "award"})


def cell(value: object, lang: Lang = DEFAULT_LANG, key: str = "") -> str:
    """A value as one table/CSV cell: lists joined with 、, booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return say("cell.yes" if value else "cell.no", lang)
    if isinstance(value, (list, tuple)):
        return say("cell.list_join", lang).join(cell(v, lang) for v in value)
    if key in WORDED_FIELDS:
        return value_word(str(value), lang)
    if key.endswith(("_rate", "relative")) and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def shown_cell(value: object, lang: Lang = DEFAULT_LANG, key: str = "") -> str:
    """A cell as a reader sees it in a table or document: days left said in words."""
    if key == "days_left" and isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            return say("cell.days_overdue", lang, days=-value)
        if value == 0:
            return say("cell.due_today", lang)
        return say("cell.days_left", lang, days=value)
    return cell(value, lang, key)


def row_cells(record: Mapping[str, Any], columns: list[str], lang: Lang) -> list[str]:
    return [shown_cell(record.get(column), lang, column) for column in columns]
