"""The public shape of a task, as `--format json` prints it and scripts rely on.

Fields (DESIGN.md): ``id`` ``dimension`` ``measure`` ``task`` ``lead``
``responsible`` ``deadline`` ``due`` ``ongoing``; ``due`` adds ``milestone``;
``unit`` adds ``role`` and ``via``. Fields may be added, never renamed or dropped.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .query import DueItem, SearchHit, UnitTask
from .register import Register, Task


def task_record(register: Register, task: Task) -> dict[str, Any]:
    return {
        "id": task.id,
        "dimension": register.dimension_of(task).name,
        "measure": register.measure_of(task).title,
        "task": task.text,
        "lead": task.lead,
        "responsible": list(task.responsible),
        "deadline": task.deadline,
        "due": [milestone.isoformat() for milestone in task.due],
        "ongoing": task.ongoing,
    }


def due_record(register: Register, item: DueItem, as_of: date | None = None) -> dict[str, Any]:
    """A due milestone; with ``as_of``, also how many days are left (negative: overdue)."""
    record = task_record(register, item.task)
    record["milestone"] = item.milestone.isoformat()
    if as_of is not None:
        days = (item.milestone - as_of).days
        record["days_left"] = days
        record["overdue"] = days < 0
    return record


def unit_record(register: Register, row: UnitTask) -> dict[str, Any]:
    record = task_record(register, row.task)
    record["role"] = row.role
    record["via"] = row.via
    record["open"] = row.open
    return record


def search_record(register: Register, hit: SearchHit) -> dict[str, Any]:
    record = task_record(register, hit.task)
    record["matched_field"] = hit.field
    record["matches"] = [list(span) for span in hit.spans]
    return record
