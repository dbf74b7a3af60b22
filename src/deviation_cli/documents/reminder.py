"""The 催办通知 (reminder): what one unit is reminded of on a day, gathered as data, and its rendering.

A unit is reminded of the tasks it leads (the lead answers for a milestone):

- each milestone overdue on the day, with its date and the days since;
- each next milestone due within ``within`` days;
- each task whose 已完成 report the office returned (退回) and that has not been
  reported done again, with the reason;

leaving out a task whose 已完成 report waits for the office's check (待销号): the
unit has done its part, and the check is the office's to make. Under the plan's
reporting schedule, any unit with a part in a task is reminded of the period it
has not reported for (未报送). A unit with none of these gets no reminder.

``reminder_data`` returns plain dicts and lists; ``render_reminder`` fills
``templates/reminder.<fmt>.j2``, which a user's template folder can replace.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from ..domain.progress import AWAITING_SIGN_OFF, RETURNED, ProgressLog
from ..domain.query import find_unit
from ..domain.register import Register
from ..domain.reporting import ReportingPeriod
from ..domain.tracking import TaskState, named_units, owed_period, task_states, unit_scores
from ..words import label
from .bulletin import WORDED_FIELDS, official_environment
from .templating import render_template, template_folders

REMINDER_FORMATS = ("md", "html", "docx")
#: Due soon, for a reminder: the next milestone within this many days (the yellow light's window).
DEFAULT_REMINDER_DAYS = 7


def reminder_units(register: Register) -> list[str]:
    """Who may be reminded, in register order: each unit that leads or shares a task by name or
    closed group, then each group whose members the plan does not list (it answers for itself)."""
    answering = {name for task in register.tasks for name in named_units(register, task)}
    names = [unit.name for unit in register.units] + [group.name for group in register.groups if group.is_unlisted]
    return [name for name in names if name in answering]


def reminder_data(
    register: Register,
    log: ProgressLog,
    unit: str,
    as_of: date,
    within: int = DEFAULT_REMINDER_DAYS,
    issuer: str | None = None,
    written: date | None = None,
) -> dict[str, Any]:
    """What ``unit`` (any name ``find_unit`` accepts) is reminded of on ``as_of``, as data.

    ``items`` counts them: 0 means there is nothing to remind the unit of. ``issuer``
    signs it (落款; default: the plan's issuing office) and ``written`` is its 成文日期
    (default: ``as_of``).
    """
    name = find_unit(register, unit)
    return reminders(register, log, [name], as_of, within, issuer, written)[0]


def reminders(
    register: Register,
    log: ProgressLog,
    units: list[str],
    as_of: date,
    within: int = DEFAULT_REMINDER_DAYS,
    issuer: str | None = None,
    written: date | None = None,
) -> list[dict[str, Any]]:
    """``reminder_data`` for each of ``units`` (canonical names), in that order.

    Why together: where things stand is worked out once for the day, not once per unit.
    """
    states = task_states(register, log, as_of, within)
    led: dict[str, list[TaskState]] = {}
    for state in states:
        if state.status != AWAITING_SIGN_OFF:
            for lead in state.task.leads:
                led.setdefault(lead, []).append(state)
    owed = owed_period(register, as_of)
    missing = {
        score.unit: score.missing_report
        for score in unit_scores(register, states, log, as_of)
        if score.missing_report is not None and score.missing_report == owed
    }
    common = {
        "title": register.document.title,
        "as_of": as_of.isoformat(),
        "date": (written or as_of).isoformat(),
        "issuer": issuer or register.document.source,
        "within": within,
        "words": {field: label(field, "zh", register.plan.words()) for field in WORDED_FIELDS},
        "progress_files": list(log.files),
    }
    return [_reminder(register, name, led.get(name, []), missing.get(name), as_of, within, common) for name in units]


def _reminder(
    register: Register,
    name: str,
    led: list[TaskState],
    period: ReportingPeriod | None,
    as_of: date,
    within: int,
    common: dict[str, Any],
) -> dict[str, Any]:
    overdue = [
        {
            "id": state.task.id,
            "task": state.task.text,
            "deadline": state.task.deadline,
            "milestone": milestone.due.isoformat(),
            "days_overdue": (as_of - milestone.due).days,
            "status": state.status,
            "reason": state.last_report.reason if state.last_report else None,
        }
        for state in led
        for milestone in state.milestones
        if milestone.open_on(as_of) and milestone.due < as_of
    ]
    due_soon = [
        {
            "id": state.task.id,
            "task": state.task.text,
            "deadline": state.task.deadline,
            "milestone": state.next_due.isoformat(),
            "days_left": (state.next_due - as_of).days,
            "status": state.status,
        }
        for state in led
        if state.next_due is not None and (state.next_due - as_of).days <= within
    ]
    returned = [
        {
            "id": state.task.id,
            "task": state.task.text,
            "reported": state.done_report.date.isoformat(),
            "checked_on": state.check.date.isoformat(),
            "checked_by": state.check.by,
            "note": state.check.note,
        }
        for state in led
        if state.sign_off == RETURNED and state.done_report is not None and state.check is not None
    ]
    missing = None
    if period is not None:
        missing = {"start": period.start.isoformat(), "due": period.due.isoformat(), "wording": register.plan.reporting}
    known = register.unit(name)
    return {
        **common,
        "unit": name,
        "display_name": known.full_name if known is not None and known.full_name else name,
        "overdue": sorted(overdue, key=lambda item: (item["milestone"], item["id"])),
        "due_soon": sorted(due_soon, key=lambda item: (item["milestone"], item["id"])),
        "returned": returned,
        "missing_report": missing,
        "items": len(overdue) + len(due_soon) + len(returned) + (missing is not None),
    }


def render_reminder(data: dict[str, Any], fmt: str = "md", templates: str | Path | None = None) -> str:
    """The 催办通知 as Markdown, or as one self-contained HTML page in the notices' official form.

    A broken template in the user's folder is a located UsageError (file:line), not a traceback.
    """
    folders = tuple(str(folder) for folder in template_folders(templates))
    return render_template(f"reminder.{fmt}.j2", data, env=official_environment(folders, fmt == "md"))
