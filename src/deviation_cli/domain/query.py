"""Questions staff ask of a register, as pure functions over a loaded ``Register``.

Nothing here prints or reads files; arguments a user typed that do not match
the register raise ``UsageError`` with the nearest names.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .deadlines import check_range
from .issues import UsageError, usage_error
from .register import (
    LEAD,
    REF_GROUP,
    REF_OPEN_TAIL,
    REF_UNIT,
    RESPONSIBLE,
    Heading,
    Register,
    Task,
    normalise_name,
)
from .units import UnitDirectory


@dataclass(frozen=True, slots=True)
class DueItem:
    """One milestone of a task; a task with two milestones in range gives two items."""

    task: Task
    milestone: date


@dataclass(frozen=True, slots=True)
class UnitTask:
    """One line of a unit's 责任清单."""

    task: Task
    role: str  # LEAD or RESPONSIBLE
    via: str | None  # the group through which the unit is reached, if any
    open: bool = False  # reached only through an open tail (…等市级相关部门单位)


@dataclass(frozen=True, slots=True)
class Scope:
    """Which tasks a query can answer with, so that an index reads only those.

    A promise, not the answer: every task the query keeps meets every condition
    given, and the query's own rules, run on the tasks read, still decide.
    ``between``: a milestone in the range (an end may be open); ``names``: for each
    set, a lead or a responsible entry resolving to one of its names; ``headings``:
    under each of these heading keys; ``ongoing``: ongoing or not.
    """

    between: tuple[date | None, date | None] | None = None
    names: tuple[frozenset[str], ...] = ()
    headings: tuple[str, ...] = ()
    ongoing: bool | None = None


#: No task: the scope of a query whose arguments name nothing in the register (it raises the error itself).
NOTHING = Scope(names=(frozenset(),))


def directory(register: Register) -> UnitDirectory:
    return UnitDirectory(register.units, register.groups, register.shared_suffixes)


# --- what is due ---------------------------------------------------------------------------


def due(register: Register, before: date, after: date | None = None) -> list[DueItem]:
    """Every milestone in [after, before], both ends inclusive, by date then task id."""
    check_range(before, after)
    items = [
        DueItem(task, milestone)
        for task in register.tasks
        for milestone in task.due
        if milestone <= before and (after is None or milestone >= after)
    ]
    items.sort(key=lambda item: (item.milestone, item.task.id))
    return items


def ongoing(register: Register) -> list[Task]:
    return [task for task in register.tasks if task.ongoing]


# --- who owns what -------------------------------------------------------------------------


def find_unit(register: Register, query: str) -> str:
    """The canonical unit or group name a user means: short name, full name, alias or unique prefix."""
    units = directory(register)
    matches = units.find(query)
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = "、".join(matches[:8]) + (f" …(+{len(matches) - 8})" if len(matches) > 8 else "")
        raise usage_error("arg_ambiguous_unit", name=query, candidates=shown)
    raise usage_error("arg_unknown_unit", name=query, suggestions=units.suggestions(query))


def unit_tasks(
    register: Register,
    name: str,
    include_open: bool = False,
    role: str | None = None,
) -> list[UnitTask]:
    """A unit's 责任清单: the tasks it leads, then the tasks it shares, each by id.

    A county reaches tasks through a closed group (各县区政府) and ``via`` says
    so. An open tail (…等市级相关部门单位) names nobody in particular, so it is
    attributed to a unit of its kind only with ``include_open``, marked ``open``.
    ``name`` may also be a group: its own tasks are those naming it.
    """
    canonical = find_unit(register, name)
    unit = register.unit(canonical)
    kind = unit.kind if unit else None
    lead_rows: list[UnitTask] = []
    shared_rows: list[UnitTask] = []
    for task in register.tasks:
        if canonical in task.leads:
            lead_rows.append(UnitTask(task, LEAD, None))
        shared = _shared_through(register, task, canonical, kind, include_open)
        if shared is not None:
            shared_rows.append(shared)
    if role == LEAD:
        return lead_rows
    if role == RESPONSIBLE:
        return shared_rows
    return lead_rows + shared_rows


def _shared_through(register: Register, task: Task, name: str, kind: str | None, include_open: bool) -> UnitTask | None:
    through_group: str | None = None
    through_open: str | None = None
    for ref in task.refs:
        if ref.name == name and ref.kind in (REF_UNIT, REF_GROUP):
            return UnitTask(task, RESPONSIBLE, None)
        group = register.group(ref.name) if ref.kind in (REF_GROUP, REF_OPEN_TAIL) else None
        if group is None:
            continue
        if ref.kind == REF_GROUP and name in group.members:
            through_group = through_group or group.name
        elif group.is_open and kind in group.open_to:
            through_open = through_open or group.name
    if through_group:
        return UnitTask(task, RESPONSIBLE, through_group)
    if include_open and through_open and name not in task.leads:
        return UnitTask(task, RESPONSIBLE, through_open, open=True)
    return None


def unit_scope(register: Register, name: str, include_open: bool = False) -> Scope:
    """The tasks ``unit_tasks(register, name, include_open)`` can list (``register`` may hold no task)."""
    try:
        return Scope(names=(_reaching(register, find_unit(register, name), include_open),))
    except UsageError:
        return NOTHING


def _reaching(register: Register, canonical: str, include_open: bool) -> frozenset[str]:
    """The names a task must mention to be on ``canonical``'s list: itself, a group listing it,
    and with ``include_open`` an open group of its kind (what ``_shared_through`` looks for)."""
    unit = register.unit(canonical)
    kind = unit.kind if unit else None
    names = {canonical}
    for group in register.groups:
        if canonical in group.members or (include_open and group.is_open and kind in group.open_to):
            names.add(group.name)
    return frozenset(names)


def unit_task_index(register: Register, include_open: bool = False) -> dict[str, list[UnitTask]]:
    """``unit_tasks`` of every unit and group at once, by canonical name, in one pass over the tasks.

    Why: asking ``unit_tasks`` once per unit reads every task once per unit, which on
    a province-wide register (10,000 tasks, 200 units) was most of the site's time.
    The lists are equal to what ``unit_tasks(register, name, include_open)`` returns.
    """
    names = [unit.name for unit in register.units] + [group.name for group in register.groups]
    lead_rows: dict[str, list[UnitTask]] = {name: [] for name in names}
    shared_rows: dict[str, list[UnitTask]] = {name: [] for name in names}
    by_kind: dict[str, list[str]] = {}
    for unit in register.units:
        by_kind.setdefault(unit.kind, []).append(unit.name)
    for task in register.tasks:
        for lead in task.leads:
            if lead in lead_rows:
                lead_rows[lead].append(UnitTask(task, LEAD, None))
        # What _shared_through decides for each name: named directly, else reached
        # through the first closed group listing it, else (include_open) the first
        # open tail standing for its kind.
        reached: dict[str, UnitTask] = {}
        for ref in task.refs:
            if ref.kind in (REF_UNIT, REF_GROUP) and ref.name in shared_rows:
                reached.setdefault(ref.name, UnitTask(task, RESPONSIBLE, None))
        groups = [
            (ref.kind, group)
            for ref in task.refs
            if ref.kind in (REF_GROUP, REF_OPEN_TAIL) and (group := register.group(ref.name)) is not None
        ]
        for kind, group in groups:
            if kind == REF_GROUP:
                for member in group.members:
                    if member in shared_rows and member not in reached:
                        reached[member] = UnitTask(task, RESPONSIBLE, group.name)
        if include_open:
            for _, group in groups:
                for unit_kind in group.open_to:
                    for name in by_kind.get(unit_kind, ()):
                        if name not in reached and name not in task.leads:
                            reached[name] = UnitTask(task, RESPONSIBLE, group.name, open=True)
        for name, row in reached.items():
            shared_rows[name].append(row)
    return {name: lead_rows[name] + shared_rows[name] for name in names}


def unit_counts(register: Register) -> list[tuple[str, int, int]]:
    """Every unit, then every group, with how many tasks it leads and shares (open tails not counted).

    A group counts the tasks that name it; its members count them too, through it.
    """
    index = unit_task_index(register)
    counts = []
    for name in [unit.name for unit in register.units] + [group.name for group in register.groups]:
        rows = index[name]
        led = sum(1 for row in rows if row.role == LEAD)
        counts.append((name, led, len(rows) - led))
    return counts


# --- headings (dimensions, measures, any level), filters ----------------------------------


def find_heading(register: Register, query: str, level: int | None = None) -> Heading:
    """A heading at ``level`` (any level without one) by key (investment, 8), number as written
    (一、), title (投资结构偏离度), table wording, or a unique prefix of its key or title."""
    text = normalise_name(query).lower()
    candidates = register.headings_at(level) if level is not None else register.headings
    bare = text.strip("、.()（）")
    for heading in candidates:
        spellings = {heading.key.lower(), normalise_name(heading.title), normalise_name(heading.table_name)}
        if heading.number:
            spellings.add(normalise_name(heading.number).strip("、.()（）"))
        if text in spellings or (bare and bare in spellings):
            return heading
    prefixed = [
        heading
        for heading in candidates
        if text
        and (
            heading.key.lower().startswith(text)
            or normalise_name(heading.title).startswith(text)
            or normalise_name(heading.body_title or heading.title).startswith(text)
        )
    ]
    if len(prefixed) == 1:
        return prefixed[0]
    code = "arg_unknown_dimension" if level == 1 else "arg_unknown_measure" if level == 2 else "arg_unknown_heading"
    if prefixed and level != 2:
        raise usage_error("arg_ambiguous_unit", name=query, candidates="、".join(h.title for h in prefixed))
    names = [h.key for h in candidates] + [h.title for h in candidates] if level != 2 else [h.title for h in candidates]
    raise usage_error(code, name=query, suggestions=difflib.get_close_matches(query, names, n=3, cutoff=0.4))


def find_dimension(register: Register, query: str) -> Heading:
    """A first-level heading (Hanzhong: a dimension) by key, name, table wording or unique prefix."""
    return find_heading(register, query, 1)


def find_measure(register: Register, query: str) -> Heading:
    """A second-level heading (Hanzhong: a measure) by number (8), title or unique prefix."""
    return find_heading(register, query, 2)


def _is_number(text: str) -> bool:
    """Digits int() takes without complaint: not 5,000 of them (int_max_str_digits), not ²."""
    return text.isascii() and text.isdigit() and len(text) <= 15


def find_task(register: Register, task_id: int | str) -> Task:
    text = normalise_name(str(task_id))
    task = register.task(int(text)) if _is_number(text) else None
    if task is None:
        ids = [str(t.id) for t in register.tasks]
        hint = [f"{ids[0]}–{ids[-1]}"] if ids else []
        raise usage_error("arg_unknown_task", id=task_id, suggestions=hint)
    return task


def filter_tasks(
    register: Register,
    *,
    unit: str | None = None,
    lead: str | None = None,
    dimension: str | None = None,
    measure: str | None = None,
    heading: str | None = None,
    before: date | None = None,
    after: date | None = None,
    ongoing: bool | None = None,
    include_open: bool = False,
) -> list[Task]:
    """Tasks matching every filter given; dates keep tasks with a milestone in range.

    ``dimension`` and ``measure`` name a first- and second-level heading, ``heading``
    one at any level: a task under it, however deep, matches.
    """
    tasks = list(register.tasks)
    if unit is not None:
        ids = {row.task.id for row in unit_tasks(register, unit, include_open)}
        tasks = [task for task in tasks if task.id in ids]
    if lead is not None:
        canonical = find_unit(register, lead)
        tasks = [task for task in tasks if canonical in task.leads]
    for query, level in ((dimension, 1), (measure, 2), (heading, None)):
        if query is not None:
            key = find_heading(register, query, level).key
            tasks = [task for task in tasks if key in task.path]
    if before is not None or after is not None:
        if before is not None:
            check_range(before, after)
        tasks = [
            task
            for task in tasks
            if any((before is None or d <= before) and (after is None or d >= after) for d in task.due)
        ]
    if ongoing is not None:
        tasks = [task for task in tasks if task.ongoing == ongoing]
    return tasks


def filter_scope(
    register: Register,
    *,
    unit: str | None = None,
    lead: str | None = None,
    dimension: str | None = None,
    measure: str | None = None,
    heading: str | None = None,
    before: date | None = None,
    after: date | None = None,
    ongoing: bool | None = None,
    include_open: bool = False,
) -> Scope:
    """The tasks ``filter_tasks`` can keep with the same filters (``register`` may hold no task)."""
    try:
        names = []
        if unit is not None:
            names.append(_reaching(register, find_unit(register, unit), include_open))
        if lead is not None:
            names.append(frozenset({find_unit(register, lead)}))
        headings = tuple(
            find_heading(register, query, level).key
            for query, level in ((dimension, 1), (measure, 2), (heading, None))
            if query is not None
        )
    except UsageError:
        return NOTHING
    between = (after, before) if before is not None or after is not None else None
    return Scope(between, tuple(names), headings, ongoing)


# --- search --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    task: Task
    field: str  # "task"; "measure"/"measure_text" (second level) or "heading"/"heading_text" (any other)
    spans: tuple[tuple[int, int], ...]  # character ranges of the matches in that field


def search(register: Register, text: str) -> list[SearchHit]:
    """Tasks whose text, or the title or text of the heading right above them, contains ``text``
    (width-insensitive)."""
    needle = unicodedata.normalize("NFKC", text).strip()
    if not needle:
        return []
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    hits = []
    for task in register.tasks:
        fields = [("task", task.text)]
        if task.path:
            above = register.heading(task.path[-1])
            word = "measure" if above.level == 2 else "heading"
            fields += [(word, above.title), (f"{word}_text", above.text or "")]
        for field_name, value in fields:
            spans = tuple(m.span() for m in pattern.finditer(unicodedata.normalize("NFKC", value)))
            if spans:
                hits.append(SearchHit(task, field_name, spans))
                break
    return hits
