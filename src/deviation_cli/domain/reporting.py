"""When units report progress: the plan's reporting wording as periods, each with its due date.

A plan says when reports are due in the words of a deadline (``每月28日前``,
``每季度末``, ``每年6月底、12月底``); the deadline grammar turns that into the
due dates inside the plan's span. Each due date closes a period that began the
day after the previous one (the first begins on the plan's first day): a report
dated inside a period counts for it, on time when dated on or before its due day.

What is owed on a day is the last period whose due day has passed: on 2023-08-01
under ``每月28日前`` that is the period due 2023-07-28. A unit with no report in
it has not reported (未报送).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

from .deadlines import DeadlineError, parse_deadline
from .register import Register

#: The schedule a register without ``plan.reporting`` gets where one is needed (a form's period).
DEFAULT_WORDING = "每月末"


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    """The days a report counts for (``start``..``due``, both inclusive)."""

    start: date
    due: date

    @property
    def key(self) -> str:
        """The period's name in files and JSON: its due day, ISO (2023-07-28)."""
        return self.due.isoformat()

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.due


@dataclass(frozen=True, slots=True)
class ReportingSchedule:
    """A plan's reporting periods, in date order.

    ``declared``: the plan states the schedule; a default one (monthly, for a form's
    period) never makes a unit 未报送.
    """

    wording: str
    periods: tuple[ReportingPeriod, ...]
    declared: bool = True

    def owed(self, as_of: date) -> ReportingPeriod | None:
        """The last period due on or before ``as_of``: the report a unit should have sent by then."""
        index = bisect.bisect_right([period.due for period in self.periods], as_of)
        return self.periods[index - 1] if index else None

    def open(self, as_of: date) -> ReportingPeriod | None:
        """The period ``as_of`` falls in: the next report to send (None after the last due day)."""
        index = bisect.bisect_left([period.due for period in self.periods], as_of)
        if index == len(self.periods) or as_of < self.periods[index].start:
            return None
        return self.periods[index]

    def period(self, key: str) -> ReportingPeriod | None:
        """The period of this key (its due day, ISO), if the schedule has one."""
        return next((period for period in self.periods if period.key == key), None)


def schedule_from(wording: str, register: Register) -> ReportingSchedule:
    """The periods ``wording`` (a deadline wording) sets inside the register's plan span.

    Raises ``DeadlineError`` when the wording is not a deadline, or names no day.
    """
    calendar = register.plan.calendar(register.document.written)
    parsed = parse_deadline(wording, calendar)
    if parsed.ongoing or not parsed.due:
        raise DeadlineError("reporting_unparsed", wording=wording)
    periods = []
    start = min(calendar.start, parsed.due[0])
    for due in parsed.due:
        periods.append(ReportingPeriod(start, due))
        start = due + timedelta(days=1)
    return ReportingSchedule(wording, tuple(periods))


def reporting_schedule(register: Register) -> ReportingSchedule | None:
    """The schedule the plan declares (``plan.reporting``), or None when it declares none.

    A register that validated has a wording that parses (validation checks it).
    """
    wording = register.plan.reporting
    return schedule_from(wording, register) if wording else None


def form_schedule(register: Register) -> ReportingSchedule:
    """The declared schedule, else a monthly one: every form names a period, even in a plan without one."""
    declared = reporting_schedule(register)
    if declared is not None:
        return declared
    found = schedule_from(DEFAULT_WORDING, register)
    return ReportingSchedule(found.wording, found.periods, declared=False)
