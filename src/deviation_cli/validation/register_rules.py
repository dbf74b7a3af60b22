"""Cross-record rules, and the step from validated entries to a resolved ``Register``.

Each rule yields located issues; positions come from the parsed YAML, so every
message points at the line a clerk has to change. Rules run over the whole
register so that one run reports every problem.
"""

from __future__ import annotations

import difflib
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import cast

from ..domain import register as reg
from ..domain.deadlines import DeadlineError, PlanCalendar, parse_deadline
from ..domain.issues import WARNING, Issue
from ..domain.units import UnitDirectory, split_unit_list
from ..formats.yaml_tree import YamlList, YamlMap, YamlPath, YamlValue, locate
from ..words import label, say
from .entries import TaskEntry, TasksFile, UnitsFile


class Located:
    """Collects issues for one file, turning a data path into file:line:col."""

    def __init__(self, path: str, root: YamlValue, issues: list[Issue]):
        self.path = path
        self.root = root
        self.issues = issues

    # ``at_key`` is positional-only so that no message argument can be taken for it.
    def error(self, code: str, where: YamlPath, at_key: bool = False, /, **args: object) -> None:
        line, column = locate(self.root, where, at_key)
        self.issues.append(Issue(code, self.path, line, column, args))

    def warning(self, code: str, where: YamlPath, at_key: bool = False, /, **args: object) -> None:
        line, column = locate(self.root, where, at_key)
        self.issues.append(Issue(code, self.path, line, column, args, severity=WARNING))

    def line_of(self, where: YamlPath) -> int:
        return locate(self.root, where)[0]


def build_units(
    units_file: UnitsFile, path: str, root: YamlValue, issues: list[Issue], written_names: Iterable[str] = ()
) -> UnitDirectory:
    """Check units.yaml on its own and return the directory tasks resolve against.

    ``written_names`` are all unit names the file writes, including those of
    records that failed the schema: they still resolve, so one mistake in
    units.yaml is reported once and not again at every task naming that unit.
    """
    at = Located(path, root, issues)
    first_seen: dict[str, YamlPath] = {}

    def claim(name: str, where: YamlPath) -> None:
        if name in first_seen:
            at.error("duplicate_unit", where, name=name, first=at.line_of(first_seen[name]))
        else:
            first_seen[name] = where

    units = []
    for index, unit in enumerate(units_file.units):
        claim(unit.name, ("units", index, "name"))
        if unit.full_name and unit.full_name != unit.name:
            claim(unit.full_name, ("units", index, "full_name"))
        for alias_index, alias in enumerate(unit.aliases):
            claim(alias, ("units", index, "aliases", alias_index))
        units.append(reg.Unit(unit.name, unit.kind, unit.full_name, tuple(unit.aliases), unit.level))

    valid = {unit.name for unit in units}
    placeholders = [reg.Unit(name, "other") for name in dict.fromkeys(written_names) if name not in valid]
    plain = UnitDirectory(units + placeholders, ())
    groups = []
    for index, group in enumerate(units_file.groups):
        claim(group.name, ("groups", index, "name"))
        for alias_index, alias in enumerate(group.aliases):
            claim(alias, ("groups", index, "aliases", alias_index))
        members = []
        for member_index, member in enumerate(group.members):
            ref = plain.resolve(member)
            if ref is None:
                at.error(
                    "group_member_unknown",
                    ("groups", index, "members", member_index),
                    name=member,
                    suggestions=plain.suggestions(member),
                )
            else:
                members.append(ref.name)
        groups.append(reg.Group(group.name, tuple(members), tuple(group.open_to), tuple(group.aliases)))
    return UnitDirectory(units + placeholders, groups, units_file.shared_suffixes)


def build_register(
    folder: str,
    tasks_file: TasksFile,
    tasks_path: str,
    tasks_root: YamlValue,
    directory: UnitDirectory,
    issues: list[Issue],
    progress: Callable[[float], None] | None = None,
) -> reg.Register:
    """Resolve every reference in tasks.yaml, reporting each one that does not hold."""
    at = Located(tasks_path, tasks_root, issues)
    headings = _headings(tasks_file, at)
    plan = _plan(tasks_file, headings, at)
    calendar = plan_calendar(plan, tasks_file.document.written)
    if plan.reporting:
        _check_reporting(plan.reporting, calendar, at)
    # Each measure's path once, shared by the tasks under it.
    measure_paths: dict[int, tuple[str, ...]] = {}
    for heading in headings.values():
        if heading.level == 2 and heading.parent and tasks_file.measures:
            measure_paths[int(heading.key)] = (heading.parent, heading.key)

    tasks: dict[int, reg.Task] = {}
    # Registers repeat a few hundred wordings over thousands of tasks: parse each once.
    deadlines: dict[str, tuple[tuple[date, ...], bool] | DeadlineError] = {}
    task_lines = _item_lines(tasks_root, "tasks")
    exact = directory.exact_names()
    make_task = reg.record_builder(reg.Task)
    due: tuple[date, ...]
    for index, task in enumerate(tasks_file.tasks):
        if progress is not None and not index % 4096:
            progress(index / len(tasks_file.tasks))
        where: YamlPath = ("tasks", index)
        if task.id in tasks:
            at.error("duplicate_id", (*where, "id"), id=task.id, first=tasks[task.id].line)
        path = _task_path(task, where, headings, measure_paths, at)
        # Nearly every task names its lead and responsible units exactly as units.yaml writes
        # them, with nothing to report: looked up directly, and only the rest resolved entry by entry.
        lead = exact.get(task.lead) if task.lead.__class__ is str else None
        if lead is not None and lead.kind == reg.REF_UNIT:
            leads: tuple[str, ...] = (lead.name,)
        else:
            leads = _resolve_leads(task.lead, (*where, "lead"), directory, at)
        refs = _plain_refs(task.responsible, directory)
        if refs is None:
            refs = _resolve_responsible(task.responsible, (*where, "responsible"), directory, at)
        parsed = deadlines.get(task.deadline)
        if parsed is None:
            try:
                deadline = parse_deadline(task.deadline, calendar)
                parsed = deadlines[task.deadline] = (deadline.due, deadline.ongoing)
            except DeadlineError as error:
                parsed = deadlines[task.deadline] = error
        if isinstance(parsed, DeadlineError):
            at.error(parsed.code, (*where, "deadline"), wording=task.deadline, **parsed.args_)
            due, ongoing = (), False
        else:
            due, ongoing = parsed
        if task.id not in tasks:
            # Positional, in Task's field order (checked by the records' codec): keywords cost a lookup each.
            tasks[task.id] = make_task(
                task.id,
                path,
                task.text,
                leads,
                tuple(task.responsible),
                refs,
                task.deadline,
                due,
                ongoing,
                task.remark,
                task_lines[index] if index < len(task_lines) else at.line_of(where),
            )

    doc = tasks_file.document
    document = reg.Document(
        title=doc.title,
        written=doc.written,
        index_no=doc.index_no,
        source=doc.source,
        publisher=doc.publisher,
        published=doc.published,
        recipients=doc.recipients,
        cover_letter=doc.cover_letter,
        annex_title=doc.annex_title,
        doc_number=doc.doc_number,
        sections=tuple(reg.Section(s.heading, s.text) for s in doc.sections),
    )
    return reg.Register(
        folder=folder,
        document=document,
        plan=plan,
        headings=tuple(headings.values()),
        tasks=tuple(tasks.values()),
        units=tuple(directory.units.values()),
        groups=tuple(directory.groups.values()),
        shared_suffixes=directory.shared_suffixes,
    )


#: The deepest a plan nests headings above its tasks (一、 → (一) → 1. → (1) task).
MAX_LEVELS = 3
#: Fields a plan may give its own word for (``plan.labels``).
LABEL_FIELDS = ("id", "task", "lead", "responsible", "deadline", "remark")


def _check_reporting(wording: str, calendar: PlanCalendar, at: Located) -> None:
    """``plan.reporting`` must be a deadline wording with dates in the plan's span (每月28日前, 每季度末)."""
    try:
        parsed = parse_deadline(wording, calendar)
    except DeadlineError:
        parsed = None
    if parsed is None or parsed.ongoing or not parsed.due:
        at.error("reporting_unparsed", ("plan", "reporting"), wording=wording)


def plan_calendar(plan: reg.Plan, written: date) -> PlanCalendar:
    """The year deadlines without one fall in, and the span recurring ones fill (``Plan.calendar``)."""
    return plan.calendar(written)


def _headings(tasks_file: TasksFile, at: Located) -> dict[str, reg.Heading]:
    """Every heading above tasks: Hanzhong's dimensions and measures, or a plan's own ``headings``."""
    found: dict[str, reg.Heading] = {}
    if tasks_file.headings and (tasks_file.dimensions or tasks_file.measures):
        at.error("headings_and_dimensions", ("headings",), True)
    for index, dim in enumerate(tasks_file.dimensions):
        if dim.key in found:
            first = _first_index(tasks_file.dimensions, "key", dim.key)
            at.error(
                "duplicate_dimension",
                ("dimensions", index, "key"),
                key=dim.key,
                first=at.line_of(("dimensions", first, "key")),
            )
            continue
        found[dim.key] = reg.Heading(
            key=dim.key,
            level=1,
            title=dim.name,
            table_title=dim.table_name or dim.name,
            body_title=dim.name,
            problem=dim.problem,
        )
    dimension_keys = set(found)
    numbers: set[int] = set()
    for index, measure in enumerate(tasks_file.measures):
        if measure.number in numbers:
            first = _first_index(tasks_file.measures, "number", measure.number)
            at.error(
                "duplicate_measure",
                ("measures", index, "number"),
                number=measure.number,
                first=at.line_of(("measures", first, "number")),
            )
            continue
        numbers.add(measure.number)
        if measure.dimension not in dimension_keys:
            at.error(
                "unknown_dimension",
                ("measures", index, "dimension"),
                key=measure.dimension,
                suggestions=_close(measure.dimension, dict.fromkeys(dimension_keys)),
            )
        key = str(measure.number)
        found[key] = reg.Heading(
            key=key,
            level=2,
            title=measure.title,
            parent=measure.dimension if measure.dimension in dimension_keys else None,
            number=f"{measure.number}.",
            table_title=measure.title,
            body_title=measure.body_title or measure.title,
            text=measure.text,
        )
    for index, heading in enumerate(tasks_file.headings):
        where: YamlPath = ("headings", index)
        if heading.key in found:
            first = _first_index(tasks_file.headings, "key", heading.key)
            at.error(
                "duplicate_heading", (*where, "key"), key=heading.key, first=at.line_of(("headings", first, "key"))
            )
            continue
        level = 1
        if heading.parent is not None:
            parent = found.get(heading.parent)
            if parent is None:
                at.error(
                    "unknown_heading_parent",
                    (*where, "parent"),
                    key=heading.parent,
                    suggestions=_close(heading.parent, found),
                )
                continue
            level = parent.level + 1
            if level > MAX_LEVELS:
                at.error("heading_too_deep", (*where, "parent"), levels=MAX_LEVELS)
                continue
        found[heading.key] = reg.Heading(
            key=heading.key,
            level=level,
            title=heading.title,
            parent=heading.parent,
            number=heading.number,
            table_title=heading.table_title or heading.title,
            body_title=heading.body_title or heading.title,
            text=heading.text,
            problem=heading.problem,
        )
    return found


def _plan(tasks_file: TasksFile, headings: Mapping[str, reg.Heading], at: Located) -> reg.Plan:
    """The plan's words and calendar; levels it leaves unnamed take the tool's words for them."""
    entry = tasks_file.plan
    depth = max((heading.level for heading in headings.values()), default=0)
    declared = list(entry.levels) if entry else []
    levels: list[reg.Level] = []
    for index in range(depth):
        if index < len(declared):
            level = declared[index]
            levels.append(reg.Level(level.name, level.column or level.name, level.counter or say("level.counter")))
        elif tasks_file.dimensions or tasks_file.measures:
            field_name = reg.LEVEL_FIELDS[index]
            levels.append(reg.Level(say(f"level.{field_name}"), label(field_name), say(f"level.{field_name}.counter")))
        else:
            levels.append(
                reg.Level(say("level.generic", n=index + 1), say("level.generic", n=index + 1), say("level.counter"))
            )
    if entry is None:
        return reg.Plan(levels=tuple(levels))
    for name in entry.labels:
        if name not in LABEL_FIELDS:
            at.error(
                "unknown_label_field",
                ("plan", "labels", name),
                True,
                field=name,
                choices=", ".join(LABEL_FIELDS),
                suggestions=_close(name, dict.fromkeys(LABEL_FIELDS)),
            )
    if entry.start and entry.end and entry.end < entry.start:
        at.error("plan_span_backwards", ("plan", "end"), start=entry.start.isoformat(), end=entry.end.isoformat())
    return reg.Plan(
        levels=tuple(levels),
        labels=tuple((name, word) for name, word in entry.labels.items() if name in LABEL_FIELDS),
        year=entry.year,
        start=entry.start,
        end=entry.end,
        reporting=entry.reporting,
        awards=(entry.awards.first, entry.awards.last) if entry.awards else (),
        admin_level=entry.admin_level,
    )


def _task_path(
    task: TaskEntry,
    where: YamlPath,
    headings: Mapping[str, reg.Heading],
    measure_paths: Mapping[int, tuple[str, ...]],
    at: Located,
) -> tuple[str, ...]:
    """The keys of the headings a task sits under, outermost first."""
    if task.measure is not None and task.heading is not None:
        at.error("task_measure_and_heading", (*where, "heading"))
        return ()
    if task.measure is not None:
        found = measure_paths.get(task.measure)
        if found is None:
            if str(task.measure) not in headings:
                at.error("unknown_measure", (*where, "measure"), number=task.measure)
            return ()
        return found
    if task.heading is not None:
        heading = headings.get(task.heading)
        if heading is None:
            at.error(
                "unknown_heading", (*where, "heading"), key=task.heading, suggestions=_close(task.heading, headings)
            )
            return ()
        path = [heading.key]
        while heading.parent is not None and heading.parent in headings:
            heading = headings[heading.parent]
            path.append(heading.key)
        return tuple(reversed(path))
    if headings:
        at.error("task_without_heading", where, id=task.id)
    return ()


def _item_lines(root: YamlValue, name: str) -> list[int]:
    """The line of each item of a top-level list: what ``locate(root, (name, i))`` gives, in one go."""
    items = root.get(name) if isinstance(root, YamlMap) else None
    if not isinstance(items, YamlList):
        return []
    return [position[0] for position in items.positions[: len(items)]]


def _resolve_leads(
    written: str | list[str] | None, where: YamlPath, directory: UnitDirectory, at: Located
) -> tuple[str, ...]:
    """The canonical names of a task's leads: one, several co-leads, or none (a warning)."""
    if written is None or written == []:
        at.warning("task_without_lead", where[:-1])
        return ()
    entries = [written] if isinstance(written, str) else written
    leads: list[str] = []
    for index, entry in enumerate(entries):
        at_entry: YamlPath = where if isinstance(written, str) else (*where, index)
        ref = directory.resolve(entry)
        if ref is None:
            _report_unknown(entry, at_entry, directory, at)
            leads.append(entry)
            continue
        group = directory.groups.get(ref.name) if ref.kind == reg.REF_GROUP else None
        if ref.kind == reg.REF_OPEN_TAIL or (group is not None and not group.is_unlisted):
            at.error("lead_is_group", at_entry, name=entry)
        if ref.name in leads:
            at.error("lead_repeated", at_entry, name=entry)
            continue
        leads.append(ref.name)
    return tuple(leads)


_name_of = operator.attrgetter("name")


def _plain_refs(entries: list[str], directory: UnitDirectory) -> tuple[reg.UnitRef, ...] | None:
    """A responsible list naming units, groups and open tails (等…) as units.yaml writes them,
    each once, resolved by a lookup each; None for any other list (``_resolve_responsible`` says why)."""
    known = directory.exact_names()
    found = list(map(known.get, entries))
    # UnitRef has no __bool__: only None is false, and all() asks no Python-level __eq__.
    if all(found):
        plain = cast(list[reg.UnitRef], found)
        if len(set(map(_name_of, plain))) == len(plain):  # units and groups: names are unique across both
            return tuple(plain)
    else:
        resolve = directory.resolve
        found = [ref if ref is not None else resolve(written) for ref, written in zip(found, entries)]
        if all(found):
            plain = cast(list[reg.UnitRef], found)
            tails = [ref for ref in plain if ref.kind == reg.REF_OPEN_TAIL]
            if all(directory.groups[ref.name].is_open for ref in tails):
                if len({(ref.kind, ref.name) for ref in plain}) == len(plain):
                    return tuple(plain)
    return None


def _resolve_responsible(
    entries: list[str], where: YamlPath, directory: UnitDirectory, at: Located
) -> tuple[reg.UnitRef, ...]:
    """A responsible list entry by entry, reporting each entry that does not hold."""
    known = directory.exact_names()
    refs = []
    seen: set[tuple[str, str]] = set()
    for index, written in enumerate(entries):
        ref = known.get(written)
        if ref is None or ref.written != written:
            ref = directory.resolve(written)
        if ref is None:
            bare = written[len(reg.OPEN_TAIL_PREFIX) :]
            if written.startswith(reg.OPEN_TAIL_PREFIX) and directory.resolve(bare) is not None:
                at.error("open_tail_not_open", (*where, index), name=bare)
            else:
                _report_unknown(written, (*where, index), directory, at)
            continue
        if ref.kind == reg.REF_OPEN_TAIL and not directory.groups[ref.name].is_open:
            at.error("open_tail_not_open", (*where, index), name=ref.name)
        key = (ref.kind, ref.name)
        if key in seen:
            at.error("responsible_repeated", (*where, index), name=written)
        seen.add(key)
        refs.append(ref)
    return tuple(refs)


def _report_unknown(written: str, where: YamlPath, directory: UnitDirectory, at: Located) -> None:
    clean = directory.clean_spelling(written)
    parts = split_unit_list(written, directory)
    if clean is not None:
        at.error("unit_name_spacing", where, name=written, clean=clean)
    elif len(parts) > 1 and all(directory.resolve_loosely(part) for part in parts):
        at.error("several_units_in_one", where, name=written, parts=", ".join(parts))
    else:
        at.error("unknown_unit", where, name=written, suggestions=directory.suggestions(written))


def _first_index(records: Sequence[object], attribute: str, value: object) -> int:
    return next(i for i, record in enumerate(records) if getattr(record, attribute) == value)


def _close(word: str, known: Mapping[str, object]) -> list[str]:
    return difflib.get_close_matches(word, list(known), n=3, cutoff=0.5)
