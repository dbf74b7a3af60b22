"""Progress files checked: each report against the file format, then against the register.

A report naming a task that does not exist, or a unit no one knows, is an
error at its line; a unit reporting on a task it has no part in, or a
postponement without an approved new deadline, is a warning. A check (销号)
must name a lead of its task and a 已完成 report of that lead (which may sit in
another progress file: ``check_sign_offs`` looks once every file is read).
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.issues import ERROR, WARNING, Issue
from ..domain.progress import (
    DONE,
    POSTPONED,
    RETURNED,
    ProgressCheck,
    ProgressReport,
    checked_report,
    involved_units,
)
from ..domain.query import directory
from ..domain.register import REF_GROUP, REF_UNIT, Register, Task, UnitRef
from ..domain.units import UnitDirectory
from ..formats.yaml_reader import parse_yaml, parse_yaml_checked
from ..formats.yaml_tree import YamlValue, locate
from .entries import CheckEntry, ProgressFile, ReportEntry, progress_entry_kind
from .entry_checks import validate_entries


def check_progress_text(
    text: str, shown: str, register: Register, issues: list[Issue], start: int = 0
) -> list[ProgressReport]:
    """The valid reports of one progress file; every problem added to ``issues``.

    ``start`` is the number of reports read before this file: a report's
    ``order`` across all files breaks ties between reports of one day. The
    file's checks are checked too (their problems added), and left out.
    """
    return check_progress_entries(text, shown, register, issues, start)[0]


def check_progress_entries(
    text: str, shown: str, register: Register, issues: list[Issue], start: int = 0
) -> tuple[list[ProgressReport], list[ProgressCheck]]:
    """The valid reports and checks of one progress file; every problem added to ``issues``.

    ``start`` is the number of entries read before this file (their ``order``).
    """
    root, parse_issues, controls = parse_yaml_checked(text, shown)
    issues.extend(parse_issues)
    if parse_issues or root is None:
        return [], []  # an empty progress file is allowed: no reports yet
    issues.extend(controls)
    if isinstance(root, dict) and "reports" in root and root["reports"] in (None, ""):
        del root["reports"]  # `reports:` with nothing under it yet: a fresh file
    items = root.get("reports") if isinstance(root, dict) else None
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and "check" in item and "status" in item:
            # one problem, said plainly, rather than a check with an unknown field `status`
            line, column = locate(root, ("reports", index, "status"), at_key=True)
            issues.append(Issue("progress_check_and_status", shown, line, column))
            del item["status"]
    kept: dict[str, list[int]] = {}
    parsed = validate_entries(root, ProgressFile, shown, issues, kept_indexes=kept)
    if parsed is None:
        return [], []
    reports: list[ProgressReport] = []
    checks: list[ProgressCheck] = []
    for number, (index, entry) in enumerate(zip(kept.get("reports", []), parsed.reports)):
        if isinstance(entry, CheckEntry):
            check = _resolve_check(entry, index, root, shown, register, issues, start + number)
            if check is not None:
                checks.append(check)
        else:
            report = _resolve(entry, index, root, shown, register, issues, start + number)
            if report is not None:
                reports.append(report)
    return reports, checks


def report_count(text: str, shown: str) -> int:
    """How many reports (not checks) the ``reports:`` list of a progress file has, valid or not."""
    return sum(1 for item in _items(text, shown) if progress_entry_kind(item) == "report")


def check_count(text: str, shown: str) -> int:
    """How many checks the ``reports:`` list of a progress file has, valid or not."""
    return sum(1 for item in _items(text, shown) if progress_entry_kind(item) == "check")


def _items(text: str, shown: str) -> list[YamlValue]:
    root, _ = parse_yaml(text, shown)
    items = root.get("reports") if isinstance(root, dict) else None
    return list(items) if isinstance(items, list) else []


def check_sign_offs(reports: list[ProgressReport], checks: list[ProgressCheck], issues: list[Issue]) -> None:
    """Every check matches a 已完成 report of its unit (an error where none does); a report
    checked twice is a warning at the later check, which is the one that counts.

    Run once every progress file is read: a check may be in another file than its report.
    """
    done: dict[tuple[int, str], list[ProgressReport]] = {}
    for found in reports:
        if found.status == DONE:
            done.setdefault((found.task, found.unit), []).append(found)
    seen: dict[ProgressReport, ProgressCheck] = {}
    for check in sorted(checks, key=lambda c: (c.date, c.order)):
        report = checked_report(check, done.get((check.task, check.unit), []))
        if report is None:
            code = "check_report_missing" if check.report_date else "check_nothing_before"
            day = (check.report_date or check.date).isoformat()
            args = {"id": check.task, "unit": check.unit, "date": day}
            issues.append(Issue(code, check.path, *check.blamed, args))
            continue
        earlier = seen.get(report)
        if earlier is not None:
            issues.append(
                Issue(
                    "check_repeated",
                    check.path,
                    *check.blamed,
                    {
                        "id": check.task,
                        "unit": check.unit,
                        "report": report.date.isoformat(),
                        "where": f"{earlier.path}:{earlier.line}",
                    },
                    WARNING,
                )
            )
        seen[report] = check


def _task_and_unit(
    task_id: int, unit: str, register: Register, issue: Callable[..., None]
) -> tuple[Task | None, UnitRef | None]:
    """The task and the unit an entry of the log names, each one the register does not know reported."""
    task = register.task(task_id)
    if task is None:
        ids = [t.id for t in register.tasks]
        issue("progress_unknown_task", "task", id=task_id, first=ids[0] if ids else 0, last=ids[-1] if ids else 0)
    units = _directory(register)
    ref = units.resolve_loosely(unit)
    if ref is None:
        issue("unknown_unit", "unit", name=unit, suggestions=units.suggestions(unit))
    return task, ref


def _resolve(
    entry: ReportEntry, index: int, root: YamlValue, shown: str, register: Register, issues: list[Issue], order: int
) -> ProgressReport | None:
    def issue(code: str, key: str | None, severity: str = ERROR, /, **args: object) -> None:
        where = ("reports", index, key) if key else ("reports", index)
        line, column = locate(root, where)
        issues.append(Issue(code, shown, line, column, args, severity))

    task, ref = _task_and_unit(entry.task, entry.unit, register, issue)
    if ref is not None and not _reports(register, ref):
        issue("progress_unit_is_group", "unit", name=entry.unit)
    if task is None or ref is None or not _reports(register, ref):
        return None
    if ref.name not in involved_units(register, task):
        issue("progress_unit_not_on_task", "unit", WARNING, name=ref.name, id=task.id)
    if entry.status == POSTPONED and entry.new_deadline is None:
        issue("progress_postponed_no_deadline", "status", WARNING, id=task.id)
    if (entry.form is None) != (entry.period is None):
        issue("progress_form_needs_period", "form" if entry.form is not None else "period")
        return None
    if entry.new_deadline is not None and entry.new_deadline <= entry.date:
        issue(
            "progress_deadline_not_after",
            "new_deadline",
            new=entry.new_deadline.isoformat(),
            date=entry.date.isoformat(),
        )
        return None
    return ProgressReport(
        task=entry.task,
        unit=ref.name,
        date=entry.date,
        status=entry.status,
        note=entry.note,
        evidence=entry.evidence,
        reason=entry.reason,
        new_deadline=entry.new_deadline,
        path=shown,
        line=locate(root, ("reports", index))[0],
        order=order,
        next_steps=entry.next_steps,
        period=entry.period.isoformat() if entry.period else None,
        form=entry.form,
        imported=entry.imported,
        replaces=entry.replaces,
    )


def _resolve_check(
    entry: CheckEntry, index: int, root: YamlValue, shown: str, register: Register, issues: list[Issue], order: int
) -> ProgressCheck | None:
    def issue(code: str, key: str, severity: str = ERROR, /, **args: object) -> None:
        line, column = locate(root, ("reports", index, key))
        issues.append(Issue(code, shown, line, column, args, severity))

    task, ref = _task_and_unit(entry.task, entry.unit, register, issue)
    if ref is not None and task is not None and ref.name not in task.leads:
        issue("check_unit_not_lead", "unit", name=ref.name, id=task.id, leads="、".join(task.leads) or "—")
    if entry.report_date is not None and entry.report_date > entry.date:
        issue("check_before_report", "report_date", report=entry.report_date.isoformat(), date=entry.date.isoformat())
        return None
    if task is None or ref is None or ref.name not in task.leads:
        return None
    if entry.check == RETURNED and entry.note is None:
        issue("check_return_without_note", "check", WARNING, id=task.id)
    return ProgressCheck(
        task=entry.task,
        unit=ref.name,
        date=entry.date,
        result=entry.check,
        by=entry.by,
        note=entry.note,
        report_date=entry.report_date,
        path=shown,
        line=locate(root, ("reports", index))[0],
        blamed=locate(root, ("reports", index, "report_date" if entry.report_date else "date")),
        order=order,
    )


#: The unit directory of the register last checked against, kept with the register itself (so never another's).
_DIRECTORY: list[tuple[Register, UnitDirectory]] = []


def _directory(register: Register) -> UnitDirectory:
    """The register's unit directory, made once for a whole log rather than once per entry.

    Why: making it walks every name of every unit; per entry, on 15,000 reports of a
    10,000-task register, that was two thirds of the time ``status`` took.
    """
    if not _DIRECTORY or _DIRECTORY[0][0] is not register:
        _DIRECTORY[:] = [(register, directory(register))]
    return _DIRECTORY[0][1]


def _reports(register: Register, ref: UnitRef) -> bool:
    """Whether what a report names can report: a unit, or a group whose members the plan does not list."""
    if ref.kind == REF_UNIT:
        return True
    group = register.group(ref.name)
    return ref.kind == REF_GROUP and group is not None and group.is_unlisted
