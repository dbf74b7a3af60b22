"""Warnings: what a reviewer would question in a register that is valid.

Why warnings and not errors: each of these can be what the plan really says
(the register stays faithful to the source), so they never stop
``load_register``; ``validate --strict`` makes them fail a CI run.
"""

from __future__ import annotations

import operator
from unicodedata import is_normalized

from ..domain import register as reg
from ..domain.issues import WARNING, Issue
from ..formats.yaml_tree import YamlPath, YamlValue
from .register_rules import Located

#: A milestone this many years after the plan was written is more likely a typo (2203年) than a plan.
FAR_FUTURE_YEARS = 10


def review_register(
    register: reg.Register,
    units_file: tuple[str, YamlValue],
    tasks_file: tuple[str, YamlValue],
    issues: list[Issue],
) -> None:
    """Add warnings (severity ``warning``) about a register that is valid but looks wrong.

    Why warnings and not errors: each of these can be what the plan really says
    (the register stays faithful to the source), so they never stop
    ``load_register``; ``validate --strict`` makes them fail a CI run.
    Usage and structure warnings need every reference resolved, so they wait until
    there are no errors: a misspelt lead would otherwise also make its unit look
    unused, a misspelt dimension key its dimension look empty.
    """
    units_at = Located(*units_file, issues)
    tasks_at = Located(*tasks_file, issues)
    resolved = not any(issue.severity != WARNING for issue in issues)
    _review_unconfirmed(tasks_at, ("document", "plan", ("plan", "levels"), "headings", "tasks"))
    _review_unconfirmed(units_at, ("units", "groups"))
    _review_tasks(register, tasks_at)
    if resolved:
        _review_structure(register, tasks_at)
        _review_usage(register, units_at)


#: Where ``unconfirmed`` may stand: a top-level mapping, or the items of a list (a name, or a path to it).
_Section = str | tuple[str, str]


def _review_unconfirmed(at: Located, sections: tuple[_Section, ...]) -> None:
    """Each ``unconfirmed`` note (what ``deviation init`` guessed) as a warning, until a person deletes it."""
    root = at.root
    if not isinstance(root, dict):
        return
    for section in sections:
        names = (section,) if isinstance(section, str) else section
        value: YamlValue = root
        for name in names:
            value = value.get(name) if isinstance(value, dict) else None
        if isinstance(value, dict):
            _note_unconfirmed(at, names, value)
        elif isinstance(value, list):
            # 100,000 tasks, nearly none with a note: the path of an entry is made only for one that has it.
            for index, item in enumerate(value):
                if isinstance(item, dict) and "unconfirmed" in item:
                    _note_unconfirmed(at, (*names, index), item)


def _note_unconfirmed(at: Located, where: YamlPath, entry: dict[str, YamlValue]) -> None:
    note = entry.get("unconfirmed")
    if isinstance(note, str) and note:
        at.warning("unconfirmed", (*where, "unconfirmed"), note=note)


_name_of = operator.attrgetter("name")


def _review_tasks(register: reg.Register, at: Located) -> None:
    written = register.document.written
    last_year = written.year + FAR_FUTURE_YEARS
    groups = {group.name: group for group in register.groups}
    group_names = frozenset(groups)
    grouped_units = frozenset(member for group in register.groups for member in group.members)
    texts: dict[str, int] = {}
    previous_id = 0
    # Where each task stands in the file: one pass over its records (not one per task, quadratic
    # on 100,000 tasks), made the first time a task has something to say about it.
    file_index: dict[str, int] = {}

    def where(index: int, task: reg.Task) -> tuple[str, int]:
        if not file_index:
            file_index.update(_first_yaml_indexes(at.root, "tasks", "id"))
        return ("tasks", file_index.get(str(task.id), index))

    for index, task in enumerate(register.tasks):
        if task.id < previous_id:
            at.warning("task_out_of_order", (*where(index, task), "id"), id=task.id, previous=previous_id)
        previous_id = max(previous_id, task.id)
        # Milestones are in date order: the first and the last say whether any needs a word.
        if task.due and (task.due[0] < written or task.due[-1].year > last_year):
            for milestone in task.due:
                if milestone < written:
                    at.warning(
                        "deadline_before_written",
                        (*where(index, task), "deadline"),
                        wording=task.deadline,
                        date=milestone.isoformat(),
                        written=written.isoformat(),
                    )
                elif milestone.year > last_year:
                    at.warning(
                        "deadline_far_future",
                        (*where(index, task), "deadline"),
                        wording=task.deadline,
                        date=milestone.isoformat(),
                        years=FAR_FUTURE_YEARS,
                    )
        # Whether a responsible unit can be a lead or a member of a group the task also names, asked in C
        # first; only a task where one can is read entry by entry (few are, on any register).
        names = set(map(_name_of, task.refs))
        may_overlap = not names.isdisjoint(task.leads) or (
            not names.isdisjoint(group_names) and not names.isdisjoint(grouped_units)
        )
        covered: dict[str, str] | None = None
        for ref in task.refs if may_overlap else ():
            if ref.kind != reg.REF_UNIT:
                continue
            if ref.name in task.leads:
                entry = (*where(index, task), "responsible", task.responsible.index(ref.written))
                at.warning("lead_also_responsible", entry, name=ref.written)
                continue
            if covered is None:
                covered = {}
                for other in task.refs:
                    if other.kind == reg.REF_GROUP:
                        for member in groups[other.name].members:
                            covered[member] = other.name
            if ref.name in covered:
                entry = (*where(index, task), "responsible", task.responsible.index(ref.written))
                at.warning("responsible_in_group", entry, name=ref.written, group=covered[ref.name])
        # A text already in normal form (nearly every one: a quick check, in C) is its own key.
        key = (
            task.text if is_normalized("NFKC", task.text) and task.text.isprintable() else reg.normalise_name(task.text)
        )
        if key in texts:
            at.warning("duplicate_task_text", (*where(index, task), "text"), id=task.id, first=texts[key])
        else:
            texts[key] = task.id


def _review_structure(register: reg.Register, at: Located) -> None:
    """A heading with nothing under it: no task, and no heading one level down."""
    used = {key for task in register.tasks for key in task.path}
    parents = {heading.parent for heading in register.headings if heading.parent is not None}
    unused = [heading for heading in register.headings if heading.key not in used and heading.key not in parents]
    if not unused:
        return  # the file's records need no reading (16,000 measures on a province-wide register)
    measures = _first_yaml_indexes(at.root, "measures", "number")
    dimensions = _first_yaml_indexes(at.root, "dimensions", "key")
    headings = _first_yaml_indexes(at.root, "headings", "key")
    for heading in unused:
        if heading.level == 2 and heading.key in measures:
            where = ("measures", measures[heading.key], "number")
            at.warning("measure_without_tasks", where, number=int(heading.key), title=heading.title)
        elif heading.level == 1 and heading.key in dimensions:
            where = ("dimensions", dimensions[heading.key], "key")
            at.warning("dimension_without_measures", where, key=heading.key, name=heading.title)
        elif heading.key in headings:
            where = ("headings", headings[heading.key], "key")
            at.warning("heading_without_tasks", where, key=heading.key, title=heading.title)


def _review_usage(register: reg.Register, at: Located) -> None:
    used: set[str] = set()
    for task in register.tasks:
        used.update(task.leads)
        used.update(map(_name_of, task.refs))
    members = {member for group in register.groups for member in group.members}
    # Where each name stands in the file, found in one pass: a search per unused unit was
    # quadratic (100,000 units, nearly all unused: 665 s).
    unit_index = _first_yaml_indexes(at.root, "units", "name")
    group_index = _first_yaml_indexes(at.root, "groups", "name")
    for index, unit in enumerate(register.units):
        if unit.name not in used and unit.name not in members:
            where = ("units", unit_index.get(unit.name, index), "name")
            at.warning("unit_unused", where, name=unit.name)
    for index, group in enumerate(register.groups):
        if group.name not in used:
            where = ("groups", group_index.get(group.name, index), "name")
            at.warning("group_unused", where, name=group.name)


def _first_yaml_indexes(root: YamlValue, section: str, field: str) -> dict[str, int]:
    """For every value of ``field`` in ``section``, where its first record stands: ``_yaml_index`` for all at once."""
    first: dict[str, int] = {}
    items = root.get(section) if isinstance(root, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                first.setdefault(str(item.get(field, "")).strip(), index)
    return first


def _yaml_index(root: YamlValue, section: str, field: str, value: str, fallback: int) -> int:
    """Where a record stands in the file; records dropped as invalid shift the register's order."""
    items = root.get(section) if isinstance(root, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict) and str(item.get(field, "")).strip() == value:
                return index
    return fallback
