"""The JSON shapes scripts rely on: what ``--format json`` prints for each kind of row.

A task object (DESIGN.md) has ``id`` ``dimension`` ``measure`` ``task``
``lead`` ``responsible`` ``deadline`` ``due`` ``ongoing``; ``due`` adds
``milestone``; ``unit`` adds ``role`` and ``via``; ``status`` adds where the
task stands (``tracking_objects``). Fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.query import DueItem, SearchHit, UnitTask
    from ..domain.register import Register, Task
    from ..formats.register_index import ListedTask


def task_object(register: Register, task: Task) -> dict[str, Any]:
    """A task as scripts read it.

    ``dimension`` and ``measure`` are the titles of its first- and second-level headings
    (null where the plan has no such level); ``lead`` is its first lead (null where the
    plan names none) and ``leads`` all of them. A plan with a third level adds
    ``heading`` (the third level's title, the column a table gives it) and ``headings``
    (every title, outermost first); one with 备注 adds ``remark``.
    """
    return _task_fields(
        task.id,
        [heading.title for heading in register.path_of(task)],
        task.text,
        task.leads,
        task.responsible,
        task.deadline,
        [milestone.isoformat() for milestone in task.due],
        task.ongoing,
        task.remark,
        len(register.levels) > 2,
        register.has_remarks,
    )


def listed_object(task: ListedTask, headings: bool, remarks: bool) -> dict[str, Any]:
    """``task_object`` of a task read from the register's index (``RegisterIndex.shows`` gives the two flags)."""
    return _task_fields(
        task.id,
        task.titles,
        task.text,
        task.leads,
        task.responsible,
        task.deadline,
        list(task.due),
        task.ongoing,
        task.remark,
        headings,
        remarks,
    )


def _task_fields(
    task_id: int,
    titles: Sequence[str],
    text: str,
    leads: Sequence[str],
    responsible: Sequence[str],
    deadline: str,
    due: list[str],
    ongoing: bool,
    remark: str | None,
    headings: bool,
    remarks: bool,
) -> dict[str, Any]:
    """The one place the task object's fields and their order are set."""
    shown: dict[str, Any] = {
        "id": task_id,
        "dimension": titles[0] if titles else None,
        "measure": titles[1] if len(titles) > 1 else None,
        "task": text,
        "lead": leads[0] if leads else None,
        "responsible": list(responsible),
        "deadline": deadline,
        "due": due,
        "ongoing": ongoing,
    }
    shown["leads"] = list(leads)
    # Fields a plan of another shape has: present for every task of such a register, absent otherwise.
    if headings:
        shown["heading"] = titles[2] if len(titles) > 2 else None
        shown["headings"] = list(titles)
    if remarks:
        shown["remark"] = remark
    return shown


def register_objects(register: Register) -> list[dict[str, Any]]:
    """Every task of the register, for ``export json`` and ``export csv``."""
    return [task_object(register, task) for task in register.tasks]


def due_object(register: Register, item: DueItem, as_of: date | None = None) -> dict[str, Any]:
    """A due milestone; with ``as_of``, also how many days are left (negative: overdue)."""
    return with_milestone(task_object(register, item.task), item.milestone, as_of)


def with_milestone(shown: dict[str, Any], milestone: date, as_of: date | None = None) -> dict[str, Any]:
    """A task object as ``due`` lists it: the milestone that matched, and days left when ``as_of`` is given."""
    shown["milestone"] = milestone.isoformat()
    if as_of is not None:
        days = (milestone - as_of).days
        shown["days_left"] = days
        shown["overdue"] = days < 0
    return shown


def unit_object(register: Register, row: UnitTask) -> dict[str, Any]:
    shown = task_object(register, row.task)
    shown["role"] = row.role
    shown["via"] = row.via
    shown["open"] = row.open
    return shown


def search_object(register: Register, hit: SearchHit) -> dict[str, Any]:
    shown = task_object(register, hit.task)
    shown["matched_field"] = hit.field
    shown["matches"] = [list(span) for span in hit.spans]
    return shown
