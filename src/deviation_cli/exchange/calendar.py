"""Due milestones as an iCalendar file (RFC 5545) that calendar applications import or subscribe to.

Each milestone is an all-day event (DTSTART;VALUE=DATE, DTEND the next day)
with reminders some days before. Ongoing tasks have no date and are not events.
The icalendar package does the folding and escaping.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ..domain.issues import usage_error
from ..domain.query import directory, find_unit, unit_tasks
from ..domain.register import LEAD, Register, Task
from ..domain.units import join_unit_list
from ..words import label, say

DEFAULT_ALARMS = (7, 3)
PRODID = "-//deviation-cli//任务分解表//ZH"


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    task: Task
    milestone: date
    number: int  # which milestone of the task, from 1
    role: str | None = None  # with a unit: lead or responsible
    via: str | None = None


def parse_alarms(text: str) -> tuple[int, ...]:
    """``7,3`` → (7, 3); ``0`` on the day; ``none`` or empty → no reminders. Days before the milestone."""
    clean = text.replace(",", ",").replace(" ", "")
    if clean.lower() in ("", "none"):
        return ()
    days = []
    for part in clean.split(","):
        if not part.isascii() or not part.isdigit() or int(part) > 366:
            raise usage_error("arg_bad_alarms", value=text)
        if int(part) not in days:
            days.append(int(part))
    return tuple(days)


def register_identity(register: Register) -> str:
    """A short, stable name for the register in UIDs: from its title, so two plans never share one."""
    return hashlib.sha256(register.document.title.encode("utf-8")).hexdigest()[:12]


def event_uid(register: Register, task: Task, milestone: date) -> str:
    """Stable across exports: the same task and milestone of the same plan keep their UID.

    Why: a calendar that re-imports or re-subscribes updates the event instead
    of adding a copy.
    """
    return f"task-{task.id}-{milestone:%Y%m%d}-{register_identity(register)}@deviation-cli"


def calendar_entries(register: Register, unit: str | None = None, include_open: bool = False) -> list[CalendarEntry]:
    """Every dated milestone (of one unit's tasks, with ``unit``), by date then task id."""

    rows: list[tuple[Task, str | None, str | None]]
    if unit is None:
        rows = [(task, None, None) for task in register.tasks]
    else:
        rows = [(row.task, row.role, row.via) for row in unit_tasks(register, unit, include_open)]
    entries = [
        CalendarEntry(task, milestone, number, role, via)
        for task, role, via in rows
        for number, milestone in enumerate(task.due, 1)
    ]
    entries.sort(key=lambda entry: (entry.milestone, entry.task.id))
    return entries


def calendar_bytes(
    register: Register,
    unit: str | None = None,
    alarms: tuple[int, ...] = DEFAULT_ALARMS,
    include_open: bool = False,
    stamp: datetime | None = None,
) -> bytes:
    """The .ics file. ``stamp`` (DTSTAMP) defaults to $SOURCE_DATE_EPOCH, else now, in UTC."""
    from icalendar import Alarm, Calendar, Event, vText

    canonical = find_unit(register, unit) if unit is not None else None
    stamp = stamp or _default_stamp()
    title = register.document.title
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = say("calendar.unit_name", unit=canonical, title=title) if canonical else say("calendar.name", title=title)
    # A calendar's name is one line (a title written as a YAML block has several), and icalendar
    # has no type for X-WR-CALNAME: as vText it is escaped like every other text.
    calendar.add("x-wr-calname", vText(" ".join(name.splitlines())))

    for entry in calendar_entries(register, canonical, include_open):
        task = entry.task
        summary = _summary(register, entry)
        event = Event()
        event.add("uid", event_uid(register, task, entry.milestone))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.milestone)
        event.add("dtend", entry.milestone + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _description(register, entry))
        top = register.dimension_of(task)
        if top is not None:
            event.add("categories", [top.title])
        event.add("transp", "TRANSPARENT")
        for days in alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add(
                "description",
                say("calendar.alarm", days=days, summary=summary)
                if days
                else say("calendar.alarm_today", summary=summary),
            )
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical unannotated
    return ical


#: How much of a task's text names it in a calendar's summary when no heading does.
SUMMARY_TEXT = 24


def _summary(register: Register, entry: CalendarEntry) -> str:
    task = entry.task
    path = register.path_of(task)
    what = path[-1].title if path else task.text[:SUMMARY_TEXT] + ("…" if len(task.text) > SUMMARY_TEXT else "")
    who = say("calendar.summary_lead", leads=task.lead_text) if task.leads else ""
    return say("calendar.summary", id=task.id, what=what, who=who)


def _description(register: Register, entry: CalendarEntry) -> str:
    """The event's text, in the plan's own words for each column."""
    task = entry.task
    words = register.plan.words()

    def word(field: str) -> str:
        return label(field, "zh", words)

    milestone = entry.milestone.isoformat()
    if len(task.due) > 1:
        milestone += say("calendar.milestone_of", number=entry.number, count=len(task.due))
    lines = [
        f"{word('id')}:{task.id}",
        f"{word('deadline')}:{task.deadline}({milestone})",
        f"{word('lead')}:{task.lead_text}",
        f"{word('responsible')}:{join_unit_list(task.responsible, directory(register))}",
    ]
    if entry.role is not None:
        via = say("calendar.via", via=entry.via) if entry.via else ""
        role = say("calendar.role_lead") if entry.role == LEAD else word("responsible") + via
        lines.append(say("calendar.role", role=role))
    lines += [f"{level.column}:{heading.table_name}" for level, heading in zip(register.levels, register.path_of(task))]
    lines += [f"{word('task')}:{task.text}", say("calendar.source", title=register.document.title)]
    return "\n".join(lines)


def _default_stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)
