"""Progress files checked: each report against the file format, then against the register.

A report naming a task that does not exist, or a unit no one knows, is an
error at its line; a unit reporting on a task it has no part in, or a
postponement without an approved new deadline, is a warning.
"""

from __future__ import annotations

from ..domain.issues import ERROR, WARNING, Issue
from ..domain.progress import POSTPONED, ProgressReport, involved_units
from ..domain.query import directory
from ..domain.register import REF_GROUP, REF_UNIT, Register, UnitRef
from ..formats.yaml_reader import control_character_issues, parse_yaml
from ..formats.yaml_tree import YamlValue, locate
from .entries import ProgressFile, ReportEntry
from .entry_checks import validate_entries


def check_progress_text(
    text: str, shown: str, register: Register, issues: list[Issue], start: int = 0
) -> list[ProgressReport]:
    """The valid reports of one progress file; every problem added to ``issues``.

    ``start`` is the number of reports read before this file: a report's
    ``order`` across all files breaks ties between reports of one day.
    """
    root, parse_issues = parse_yaml(text, shown)
    issues.extend(parse_issues)
    if parse_issues or root is None:
        return []  # an empty progress file is allowed: no reports yet
    issues.extend(control_character_issues(root, text, shown))
    if isinstance(root, dict) and "reports" in root and root["reports"] in (None, ""):
        del root["reports"]  # `reports:` with nothing under it yet: a fresh file
    kept: dict[str, list[int]] = {}
    parsed = validate_entries(root, ProgressFile, shown, issues, kept_indexes=kept)
    if parsed is None:
        return []
    return [
        report
        for number, (index, entry) in enumerate(zip(kept.get("reports", []), parsed.reports))
        if (report := _resolve(entry, index, root, shown, register, issues, start + number)) is not None
    ]


def report_count(text: str, shown: str) -> int:
    """How many items the ``reports:`` list of a progress file has, valid or not."""
    root, _ = parse_yaml(text, shown)
    reports = root.get("reports") if isinstance(root, dict) else None
    return len(reports) if isinstance(reports, list) else 0


def _resolve(
    entry: ReportEntry, index: int, root: YamlValue, shown: str, register: Register, issues: list[Issue], order: int
) -> ProgressReport | None:
    def issue(code: str, key: str | None, severity: str = ERROR, /, **args: object) -> None:
        where = ("reports", index, key) if key else ("reports", index)
        line, column = locate(root, where)
        issues.append(Issue(code, shown, line, column, args, severity))

    task = register.task(entry.task)
    if task is None:
        ids = [t.id for t in register.tasks]
        issue("progress_unknown_task", "task", id=entry.task, first=ids[0] if ids else 0, last=ids[-1] if ids else 0)
    units = directory(register)
    ref = units.resolve_loosely(entry.unit)
    if ref is None:
        issue("unknown_unit", "unit", name=entry.unit, suggestions=units.suggestions(entry.unit))
    elif not _reports(register, ref):
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


def _reports(register: Register, ref: UnitRef) -> bool:
    """Whether what a report names can report: a unit, or a group whose members the plan does not list."""
    if ref.kind == REF_UNIT:
        return True
    group = register.group(ref.name)
    return ref.kind == REF_GROUP and group is not None and group.is_unlisted
