"""The JSON shapes scripts rely on: what ``--format json`` prints for each kind of row.

A task object (DESIGN.md) has ``id`` ``dimension`` ``measure`` ``task``
``lead`` ``responsible`` ``deadline`` ``due`` ``ongoing``; ``due`` adds
``milestone``; ``unit`` adds ``role`` and ``via``; ``status`` adds where the
task stands (``tracking_objects``). Fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.query import DueItem, SearchHit, UnitTask
    from ..domain.register import Register, Task


def task_object(register: Register, task: Task) -> dict[str, Any]:
    """A task as scripts read it.

    ``dimension`` and ``measure`` are the titles of its first- and second-level headings
    (null where the plan has no such level); ``lead`` is its first lead (null where the
    plan names none) and ``leads`` all of them. A plan with a third level adds
    ``headings`` (every title, outermost first), one with 备注 adds ``remark``.
    """
    path = register.path_of(task)
    shown: dict[str, Any] = {
        "id": task.id,
        "dimension": path[0].title if path else None,
        "measure": path[1].title if len(path) > 1 else None,
        "task": task.text,
        "lead": task.lead,
        "responsible": list(task.responsible),
        "deadline": task.deadline,
        "due": [milestone.isoformat() for milestone in task.due],
        "ongoing": task.ongoing,
    }
    shown["leads"] = list(task.leads)
    # Fields a plan of another shape has: present for every task of such a register, absent otherwise.
    if len(register.levels) > 2:
        shown["headings"] = [heading.title for heading in path]
    if register.has_remarks:
        shown["remark"] = task.remark
    return shown


def register_objects(register: Register) -> list[dict[str, Any]]:
    """Every task of the register, for ``export json`` and ``export csv``."""
    return [task_object(register, task) for task in register.tasks]


def due_object(register: Register, item: DueItem, as_of: date | None = None) -> dict[str, Any]:
    """A due milestone; with ``as_of``, also how many days are left (negative: overdue)."""
    shown = task_object(register, item.task)
    shown["milestone"] = item.milestone.isoformat()
    if as_of is not None:
        days = (item.milestone - as_of).days
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
