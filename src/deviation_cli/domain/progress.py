"""Progress reports as the tracking rules see them: statuses, one checked report, the log of all.

A report says, for one task and one unit, on one day, where the work stands
(a status from ``STATUSES``) and optionally why and what was approved. The
office's check of a lead's 已完成 report (销号: 通过 or 退回) is an entry of
its own in the same log (``ProgressCheck``). Reading and checking the progress
files is ``validation.progress_rules``; finding and appending to them is
``store.progress_log``.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .issues import usage_error
from .register import REF_UNIT, Register, Task

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
DONE = "已完成"
LATE = "滞后"
POSTPONED = "延期"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, LATE, POSTPONED)

Status = Literal["未开始", "推进中", "已完成", "滞后", "延期"]

#: What a user may type for a status on the command line (the file keeps the Chinese word).
STATUS_ALIASES = {
    "not-started": NOT_STARTED,
    "in-progress": IN_PROGRESS,
    "done": DONE,
    "late": LATE,
    "postponed": POSTPONED,
}

#: The fields of a report in the order the file writes them.
REPORT_FIELDS = ("task", "unit", "date", "status", "note", "evidence", "reason", "new_deadline")
#: What a report taken from a returned form (``deviation import reports``) adds: the unit's next steps
#: (下步计划), and where it came from: the reporting period, the form's content hash, the day it was
#: imported, and the earlier form of the same unit and period it replaces.
FORM_FIELDS = ("next_steps", "period", "form", "imported", "replaces")

# --- the office's check of a 已完成 report (销号) ---

PASSED = "通过"
RETURNED = "退回"
CHECK_RESULTS = (PASSED, RETURNED)
#: What a task is while its lead's 已完成 report waits for the office's check: a task status, never a report's.
AWAITING_SIGN_OFF = "待销号"
#: Every status a task can have on a day, in the order tables count them.
TASK_STATUSES = (NOT_STARTED, IN_PROGRESS, AWAITING_SIGN_OFF, DONE, LATE, POSTPONED)

#: What a user may type for a check's result on the command line (the file keeps the Chinese word).
CHECK_ALIASES = {"pass": PASSED, "return": RETURNED}

#: The fields of a check in the order the file writes them.
CHECK_FIELDS = ("task", "unit", "date", "check", "by", "report_date", "note")


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A checked report: the unit by its canonical name, and where it was written."""

    task: int
    unit: str
    # Spelt through the module: inside the class, ``date`` names this field.
    date: datetime.date
    status: str
    note: str | None = None
    evidence: str | None = None
    reason: str | None = None
    new_deadline: datetime.date | None = None
    path: str = ""
    line: int = 0
    order: int = 0  # position across all progress files: later wins a tie on date
    next_steps: str | None = None  # 下步计划, from a form
    period: str | None = None  # the reporting period's key (its due day, ISO) of the form it came from
    form: str | None = None  # the content hash of that form
    imported: datetime.date | None = None
    replaces: str | None = None  # the hash of the earlier form of the same unit and period

    def as_entry(self) -> dict[str, str]:
        """The report as the strings its file holds (what ``new_entry`` makes)."""
        return new_entry(
            self.task,
            self.unit,
            self.date,
            self.status,
            self.note,
            self.evidence,
            self.reason,
            self.new_deadline,
            next_steps=self.next_steps,
            period=self.period,
            form=self.form,
            imported=self.imported,
            replaces=self.replaces,
        )


@dataclass(frozen=True, slots=True)
class ProgressCheck:
    """The office's check of one lead's 已完成 report (销号), as checked from its file.

    ``unit`` is the lead whose report is checked; ``by`` the office that checked it,
    as written (市政府督查室) or a unit's canonical name. ``report_date`` names the
    report; without it, the check is of the unit's latest 已完成 report on the task
    dated on or before the check.
    """

    task: int
    unit: str
    date: datetime.date
    result: str  # 通过 or 退回 (the file's ``check``)
    by: str
    note: str | None = None
    report_date: datetime.date | None = None
    path: str = ""
    line: int = 0
    # (line, column) a problem with the check points at: its report_date, else its date
    blamed: tuple[int, int] = (0, 0)
    order: int = 0

    def as_entry(self) -> dict[str, str]:
        """The check as the strings its file holds (what ``new_check_entry`` makes)."""
        return new_check_entry(self.task, self.unit, self.date, self.result, self.by, self.note, self.report_date)


@dataclass(frozen=True, slots=True)
class ProgressLog:
    """Every valid report of a register, in date order (file order on the same date), and every check."""

    reports: tuple[ProgressReport, ...] = ()
    files: tuple[str, ...] = ()
    #: Reports of a form a later form of the same unit and period replaced: kept in the file, out of every count.
    superseded: tuple[ProgressReport, ...] = ()
    checks: tuple[ProgressCheck, ...] = ()  # in date order, like the reports

    def until(self, as_of: date) -> list[ProgressReport]:
        return [report for report in self.reports if report.date <= as_of]

    def checks_until(self, as_of: date) -> list[ProgressCheck]:
        return [check for check in self.checks if check.date <= as_of]


def checked_report(check: ProgressCheck, reports: Sequence[ProgressReport]) -> ProgressReport | None:
    """The 已完成 report ``check`` is of: the unit's on the task dated ``report_date`` (the later
    one in the file if it sent two that day), else its latest dated on or before the check."""
    found = None
    for report in reports:  # in date order
        if report.task != check.task or report.unit != check.unit or report.status != DONE:
            continue
        if check.report_date is not None:
            if report.date == check.report_date:
                found = report
        elif report.date <= check.date:
            found = report
    return found


def sign_offs(
    reports: Sequence[ProgressReport], checks: Sequence[ProgressCheck]
) -> dict[ProgressReport, ProgressCheck]:
    """Each checked 已完成 report with the check that counts for it: the latest (a check no
    report matches is left out; validation points at it)."""
    done: dict[tuple[int, str], list[ProgressReport]] = {}
    for report in reports:
        if report.status == DONE:
            done.setdefault((report.task, report.unit), []).append(report)
    found: dict[ProgressReport, ProgressCheck] = {}
    for check in sorted(checks, key=lambda c: (c.date, c.order)):
        checked = checked_report(check, done.get((check.task, check.unit), ()))
        if checked is not None:
            found[checked] = check
    return found


def latest_done_report(task: Task, reports: Sequence[ProgressReport]) -> ProgressReport | None:
    """The latest 已完成 report of any of the task's leads (reports in date order): what a check checks."""
    found = None
    for report in reports:
        if report.task == task.id and report.unit in task.leads and report.status == DONE:
            found = report
    return found


def involved_units(register: Register, task: Task) -> set[str]:
    """Units that lead or share a task: named, members of a closed group, or of an open tail's kind."""
    names = set(task.leads)
    for ref in task.refs:
        if ref.kind == REF_UNIT:
            names.add(ref.name)
            continue
        group = register.group(ref.name)
        if group is None:
            continue
        if group.is_unlisted:
            names.add(group.name)  # it answers for itself
        names.update(group.members)
        if group.is_open:
            names.update(unit.name for unit in register.units if unit.kind in group.open_to)
    return names


def normalise_check(value: str) -> str:
    """The file's word for a check's result from what a user typed (通过 / 退回, pass / return)."""
    return _file_word(value, CHECK_RESULTS, CHECK_ALIASES, "arg_bad_check")


def normalise_status(value: str) -> str:
    """The file's status word for what a user typed (Chinese or an English alias)."""
    return _file_word(value, STATUSES, STATUS_ALIASES, "arg_bad_status")


def _file_word(value: str, words: Sequence[str], aliases: Mapping[str, str], code: str) -> str:
    """One of ``words`` as typed, or the word an alias (any case) stands for; else a usage error ``code``."""
    text = value.strip()
    if text in words:
        return text
    alias = aliases.get(text.lower())
    if alias is None:
        raise usage_error(code, value=value, choices=" / ".join(words), aliases=", ".join(aliases))
    return alias


def new_entry(
    task: int,
    unit: str,
    day: date,
    status: str,
    note: str | None = None,
    evidence: str | None = None,
    reason: str | None = None,
    new_deadline: date | None = None,
    *,
    next_steps: str | None = None,
    period: str | None = None,
    form: str | None = None,
    imported: date | None = None,
    replaces: str | None = None,
) -> dict[str, str]:
    """A report as the strings the file will hold, empty fields left out."""
    values = {
        "task": str(task),
        "unit": unit,
        "date": day.isoformat(),
        "status": status,
        "note": note,
        "evidence": evidence,
        "reason": reason,
        "new_deadline": new_deadline.isoformat() if new_deadline else None,
        "next_steps": next_steps,
        "period": period,
        "form": form,
        "imported": imported.isoformat() if imported else None,
        "replaces": replaces,
    }
    return {key: value.strip() for key, value in values.items() if value is not None and value.strip()}


def new_check_entry(
    task: int,
    unit: str,
    day: date,
    result: str,
    by: str,
    note: str | None = None,
    report_date: date | None = None,
) -> dict[str, str]:
    """A check as the strings the file will hold, empty fields left out."""
    values = {
        "task": str(task),
        "unit": unit,
        "date": day.isoformat(),
        "check": result,
        "by": by,
        "report_date": report_date.isoformat() if report_date else None,
        "note": note,
    }
    return {key: value.strip() for key, value in values.items() if value is not None and value.strip()}


def check_new_report(entry: dict[str, str]) -> None:
    """Refuse a report before anything is written (UsageError with the reason)."""
    if entry.get("new_deadline") and entry["new_deadline"] <= entry["date"]:
        raise usage_error("arg_deadline_not_after", new=entry["new_deadline"], date=entry["date"])
    value = entry.get("evidence")
    if value and any(ch.isspace() for ch in value):
        raise usage_error("arg_bad_link", value=value)
    for field in ("note", "reason", "evidence"):
        text = entry.get(field) or ""
        controls = [f"<U+{ord(ch):04X}>" for ch in text if ch not in "\t\n" and unicodedata.category(ch) == "Cc"]
        if controls:
            raise usage_error("arg_control_character", option="--" + field, characters=" ".join(controls))


# --- reports from returned forms (deviation import reports) ------------------------------------


def status_word(value: str) -> str | None:
    """The file's status word for what a form cell says (Chinese or an English alias), else None."""
    text = unicodedata.normalize("NFKC", value).strip()
    if text in STATUSES:
        return text
    return STATUS_ALIASES.get(text.lower())


def split_superseded(
    reports: list[ProgressReport],
) -> tuple[list[ProgressReport], list[ProgressReport]]:
    """The reports that count, and those of a form a later one replaced.

    Reports imported from a form carry its ``period`` and ``form`` (a content
    hash). For each unit and period, the form of the last such report in the
    log (``order``: file order across the progress files) is the one that
    counts; the reports of any other form of that unit and period are
    superseded. Nothing is removed from a file: the log stays append-only.
    """
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for report in reports:
        if report.form and report.period:
            key = (report.unit, report.period)
            if key not in latest or latest[key][0] < report.order:
                latest[key] = (report.order, report.form)
    if not latest:
        return list(reports), []
    kept: list[ProgressReport] = []
    superseded: list[ProgressReport] = []
    for report in reports:
        if report.form and report.period and latest[(report.unit, report.period)][1] != report.form:
            superseded.append(report)
        else:
            kept.append(report)
    return kept, superseded
