"""One value as one cell of a table, CSV or document: lists joined, booleans and codes in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..words import DEFAULT_LANG, Lang, say, value_word

if TYPE_CHECKING:
    from ..domain.register import Group, Plan, Unit

#: Fields whose values are codes that read better as words (``lead`` → 牵头).
WORDED_FIELDS = frozenset({"role", "matched_field", "status", "light", "award", "sign_off"})


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


def shown_value(record: Mapping[str, Any], column: str) -> Any:
    """The value a column shows: the ``lead`` column every lead of a task with co-leads."""
    if column == "lead" and len(record.get("leads") or ()) > 1:
        return record["leads"]
    return record.get(column)


def kind_name(unit: Unit, plan: Plan, lang: Lang = DEFAULT_LANG) -> str:
    """What a unit is, in the plan's terms: a district's bureau is a 区级部门, a city's a 市级部门."""
    level = unit.level or plan.admin_level
    if unit.kind == "department" and level:
        return say("kind.department_at", lang, level=level)
    return value_word(unit.kind, lang)


def group_kind_name(group: Group | None, lang: Lang = DEFAULT_LANG) -> str:
    """A group as closed (listed members), open (…等相关单位) or unlisted (各街道: it answers for itself)."""
    if group is None or group.is_unlisted:
        return value_word("group_unlisted", lang)
    return value_word("group_open" if group.is_open else "group", lang)
