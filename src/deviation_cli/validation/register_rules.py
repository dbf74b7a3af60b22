"""Cross-record rules, and the step from validated entries to a resolved ``Register``.

Each rule yields located issues; positions come from the parsed YAML, so every
message points at the line a clerk has to change. Rules run over the whole
register so that one run reports every problem.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date

from ..domain import register as reg
from ..domain.deadlines import DeadlineError, parse_deadline
from ..domain.issues import WARNING, Issue
from ..domain.units import UnitDirectory, split_unit_list
from ..formats.yaml_tree import YamlList, YamlMap, YamlPath, YamlValue, locate
from .entries import TasksFile, UnitsFile


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
        units.append(reg.Unit(unit.name, unit.kind, unit.full_name, tuple(unit.aliases)))

    valid = {unit.name for unit in units}
    placeholders = [reg.Unit(name, "other") for name in dict.fromkeys(written_names) if name not in valid]
    plain = UnitDirectory(units + placeholders, ())
    groups = []
    for index, group in enumerate(units_file.groups):
        claim(group.name, ("groups", index, "name"))
        for alias_index, alias in enumerate(group.aliases):
            claim(alias, ("groups", index, "aliases", alias_index))
        if not group.members and not group.open_to:
            at.error("group_needs_members", ("groups", index, "name"), name=group.name)
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

    dimensions: dict[str, reg.Dimension] = {}
    for index, dim in enumerate(tasks_file.dimensions):
        if dim.key in dimensions:
            first = _first_index(tasks_file.dimensions, "key", dim.key)
            at.error(
                "duplicate_dimension",
                ("dimensions", index, "key"),
                key=dim.key,
                first=at.line_of(("dimensions", first, "key")),
            )
            continue
        dimensions[dim.key] = reg.Dimension(dim.key, dim.name, dim.table_name or dim.name, dim.problem)

    measures: dict[int, reg.Measure] = {}
    for index, measure in enumerate(tasks_file.measures):
        if measure.number in measures:
            first = _first_index(tasks_file.measures, "number", measure.number)
            at.error(
                "duplicate_measure",
                ("measures", index, "number"),
                number=measure.number,
                first=at.line_of(("measures", first, "number")),
            )
            continue
        if measure.dimension not in dimensions:
            at.error(
                "unknown_dimension",
                ("measures", index, "dimension"),
                key=measure.dimension,
                suggestions=_close(measure.dimension, dimensions),
            )
        measures[measure.number] = reg.Measure(
            measure.number, measure.dimension, measure.title, measure.body_title or measure.title, measure.text
        )

    tasks: dict[int, reg.Task] = {}
    # Registers repeat a few hundred wordings over thousands of tasks: parse each once.
    deadlines: dict[str, tuple[tuple[date, ...], bool] | DeadlineError] = {}
    task_lines = _item_lines(tasks_root, "tasks")
    make_task = reg.record_builder(reg.Task)
    due: tuple[date, ...]
    for index, task in enumerate(tasks_file.tasks):
        if progress is not None and not index % 4096:
            progress(index / len(tasks_file.tasks))
        where = ("tasks", index)
        if task.id in tasks:
            at.error("duplicate_id", (*where, "id"), id=task.id, first=tasks[task.id].line)
        task_measure = measures.get(task.measure)
        if task_measure is None:
            at.error("unknown_measure", (*where, "measure"), number=task.measure)
        lead = _resolve_lead(task.lead, (*where, "lead"), directory, at)
        refs = _resolve_responsible(task.responsible, (*where, "responsible"), directory, at)
        parsed = deadlines.get(task.deadline)
        if parsed is None:
            try:
                deadline = parse_deadline(task.deadline)
                parsed = deadlines[task.deadline] = (deadline.due, deadline.ongoing)
            except DeadlineError as error:
                parsed = deadlines[task.deadline] = error
        if isinstance(parsed, DeadlineError):
            at.error(parsed.code, (*where, "deadline"), wording=task.deadline, **parsed.args_)
            due, ongoing = (), False
        else:
            due, ongoing = parsed
        if task.id not in tasks:
            tasks[task.id] = make_task(
                id=task.id,
                measure=task.measure,
                dimension=task_measure.dimension if task_measure else "",
                text=task.text,
                lead=lead,
                responsible=tuple(task.responsible),
                refs=refs,
                deadline=task.deadline,
                due=due,
                ongoing=ongoing,
                line=task_lines[index] if index < len(task_lines) else at.line_of(where),
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
        sections=tuple(reg.Section(s.heading, s.text) for s in doc.sections),
    )
    return reg.Register(
        folder=folder,
        document=document,
        dimensions=tuple(dimensions.values()),
        measures=tuple(measures.values()),
        tasks=tuple(tasks.values()),
        units=tuple(directory.units.values()),
        groups=tuple(directory.groups.values()),
        shared_suffixes=directory.shared_suffixes,
    )


def _item_lines(root: YamlValue, name: str) -> list[int]:
    """The line of each item of a top-level list: what ``locate(root, (name, i))`` gives, in one go."""
    items = root.get(name) if isinstance(root, YamlMap) else None
    if not isinstance(items, YamlList):
        return []
    return [position[0] for position in items.positions[: len(items)]]


def _resolve_lead(written: str, where: YamlPath, directory: UnitDirectory, at: Located) -> str:
    ref = directory.resolve(written)
    if ref is None:
        _report_unknown(written, where, directory, at)
        return written
    if ref.kind != reg.REF_UNIT:
        at.error("lead_is_group", where, name=written)
    return ref.name


def _resolve_responsible(
    entries: list[str], where: YamlPath, directory: UnitDirectory, at: Located
) -> tuple[reg.UnitRef, ...]:
    refs = []
    seen: set[tuple[str, str]] = set()
    known = directory.exact_names()
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
