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
    name = f"{canonical}:{title} 完成时限" if canonical else f"{title} 完成时限"
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
        event.add("categories", [register.dimension_of(task).name])
        event.add("transp", "TRANSPARENT")
        for days in alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"还有 {days} 天:{summary}" if days else f"今天:{summary}")
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()  # icalendar leaves to_ical unannotated
    return ical


def _summary(register: Register, entry: CalendarEntry) -> str:
    task = entry.task
    return f"第{task.id}项任务到期:{register.measure_of(task).title}({task.lead}牵头)"


def _description(register: Register, entry: CalendarEntry) -> str:
    task = entry.task
    milestone = entry.milestone.isoformat()
    if len(task.due) > 1:
        milestone += f",第 {entry.number} 个节点,共 {len(task.due)} 个"
    lines = [
        f"序号:{task.id}",
        f"完成时限:{task.deadline}({milestone})",
        f"牵头部门:{task.lead}",
        f"责任单位:{join_unit_list(task.responsible, directory(register))}",
    ]
    if entry.role is not None:
        role = "牵头" if entry.role == LEAD else "责任单位" + (f"(经由{entry.via})" if entry.via else "")
        lines.append(f"本单位职责:{role}")
    lines += [
        f"管控:{register.dimension_of(task).table_name}",
        f"改进措施:{register.measure_of(task).title}",
        f"具体任务:{task.text}",
        f"出处:《{register.document.title}》",
    ]
    return "\n".join(lines)


def _default_stamp() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(UTC).replace(microsecond=0)
