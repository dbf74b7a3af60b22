"""A unit's 责任清单: the tasks it leads, those it shares, and those an open tail may ask of it.

What the notice, the unit's list, the site and the Word documents all print for one unit,
built from the register's queries (``query.unit_tasks``) as a plain frozen record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .query import UnitTask, find_unit, unit_tasks
from .register import LEAD, Group, Register, Task, Unit


@dataclass(frozen=True, slots=True)
class UnitList:
    """A unit's 责任清单: what it leads, what it shares, what an open tail may ask of it."""

    name: str  # canonical
    display_name: str  # the full official name where the register knows it
    unit: Unit | None
    group: Group | None
    lead: tuple[UnitTask, ...]
    shared: tuple[UnitTask, ...]
    open: tuple[UnitTask, ...] = ()  # reached only through 等…相关部门单位, never counted as assigned
    member_of: tuple[str, ...] = ()  # closed groups that list the unit

    @property
    def rows(self) -> tuple[UnitTask, ...]:
        return self.lead + self.shared

    @property
    def dated(self) -> tuple[UnitTask, ...]:
        return tuple(row for row in self.rows if row.task.due)

    @property
    def ongoing(self) -> tuple[UnitTask, ...]:
        return tuple(row for row in self.rows if row.task.ongoing)

    @property
    def milestones(self) -> list[tuple[date, list[Task]]]:
        return milestones_by_date(row.task for row in self.rows)


def milestones_by_date(tasks: Iterable[Task]) -> list[tuple[date, list[Task]]]:
    """Each milestone date with the tasks due then (by id): 2023-06-30 -> [1, 22, 23]."""
    by_date: dict[date, dict[int, Task]] = {}
    for task in tasks:
        for milestone in task.due:
            by_date.setdefault(milestone, {})[task.id] = task
    return [(day, [found[key] for key in sorted(found)]) for day, found in sorted(by_date.items())]


def unit_list(register: Register, name: str, include_open: bool = False) -> UnitList:
    """The 责任清单 of a unit or group, by any name ``find_unit`` accepts."""
    canonical = find_unit(register, name)
    return build_unit_list(register, canonical, unit_tasks(register, canonical, include_open=include_open))


def build_unit_list(register: Register, canonical: str, rows: Sequence[UnitTask]) -> UnitList:
    unit = register.unit(canonical)
    return UnitList(
        name=canonical,
        display_name=(unit.full_name if unit and unit.full_name else canonical),
        unit=unit,
        group=register.group(canonical),
        lead=tuple(row for row in rows if row.role == LEAD),
        shared=tuple(row for row in rows if row.role != LEAD and not row.open),
        open=tuple(row for row in rows if row.open),
        member_of=tuple(group.name for group in register.groups if canonical in group.members),
    )
