"""The office's sign-off (销号) of a task: which report a new check is of, and when there is none to check.

A lead reports 已完成; the office checks that report and records 通过 (the task,
or the phase, is done) or 退回 (back to work, with the reason). ``new_check``
makes the entry ``deviation verify`` appends, or refuses: nothing to check, the
report checked already, a 退回 without its reason. The tracking rules that read
the checks are ``domain.tracking``.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .issues import Issue, Refused, usage_error
from .progress import RETURNED, ProgressLog, latest_done_report, new_check_entry, sign_offs
from .query import directory
from .register import REF_UNIT, Register, Task


def checking_office(register: Register, written: str) -> str:
    """Who signs off, as the file keeps it: a unit of the register by its canonical name
    (an alias or full name works), else the office as written (市政府督查室)."""
    text = " ".join(written.split())
    if not text:
        raise usage_error("arg_empty", option="--by")
    ref = directory(register).resolve_loosely(text)
    return ref.name if ref is not None and ref.kind == REF_UNIT else text


def new_check(
    register: Register, log: ProgressLog, task: Task, by: str, result: str, day: date, note: str | None = None
) -> dict[str, str]:
    """The check of the latest 已完成 report of the task's lead(s) dated on or before ``day``, as file strings.

    Refused (exit 1) when no lead has reported the task 已完成 by ``day``, or when that
    report has a check already: a later 已完成 report is what can be checked again.
    A 退回 needs its reason (``note``): the unit has to know what to put right.
    """
    reports = log.until(day)
    report = latest_done_report(task, reports)
    if report is None:
        raise Refused(Issue("verify_nothing_to_check", args={"id": task.id, "date": day.isoformat()}))
    earlier = sign_offs(log.reports, log.checks).get(report)
    if earlier is not None:
        raise Refused(
            Issue(
                "verify_checked_already",
                args={
                    "id": task.id,
                    "unit": report.unit,
                    "report": report.date.isoformat(),
                    "result": earlier.result,
                    "by": earlier.by,
                    "date": earlier.date.isoformat(),
                },
            )
        )
    if result == RETURNED and not (note and note.strip()):
        raise usage_error("verify_return_needs_note")
    entry = new_check_entry(task.id, report.unit, day, result, checking_office(register, by), note, report.date)
    for field, option in (("note", "--note"), ("by", "--by")):
        text = entry.get(field) or ""
        controls = [f"<U+{ord(ch):04X}>" for ch in text if ch not in "\t\n" and unicodedata.category(ch) == "Cc"]
        if controls:
            raise usage_error("arg_control_character", option=option, characters=" ".join(controls))
    return entry
