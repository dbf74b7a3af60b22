"""Returned forms become progress reports: what each form adds, replaces or leaves as it was.

``plan_import`` sets the checked forms (``form_reading``) against the progress log:

- a form whose content (``form_layout.content_hash``) the log already holds for
  its unit and period adds nothing: it was imported before;
- a form of a unit and period the log holds another form of is a correction: all
  its rows are appended, marked ``replaces: <the earlier form>``, and the earlier
  form's reports no longer count (``domain.progress.split_superseded``); they stay
  in the file, which is only ever appended to;
- a form the log once held and a later form replaced adds nothing either: an old
  copy sent again must not undo a correction;
- a form with no row filled in adds nothing.

The date of a report: for 已完成, the 完成日期 the unit wrote (the day the work
was done, which on-time counts use); otherwise the day of the import, kept inside
the form's period (its due day when the form comes back late), so the report
counts for the period the form was sent for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain.issues import ERROR, Issue, RegisterInvalid
from ..domain.progress import DONE, ProgressLog, ProgressReport, new_entry
from ..domain.register import Register
from ..domain.reporting import ReportingPeriod
from ..formats.register_files import PROGRESS_FILE
from .form_layout import content_hash
from .form_reading import FormReading, FormRow, read_form

ADDED = "added"  # a first form for its unit and period
REPLACED = "replaced"  # a correction of an earlier form
UNCHANGED = "unchanged"  # imported before: nothing to add
OUTDATED = "outdated"  # an earlier form that a correction has replaced since: nothing to add
EMPTY = "empty"  # no row filled in


@dataclass
class FormImport:
    """What importing one form does."""

    reading: FormReading
    action: str
    form: str = ""  # the form's content hash
    entries: list[dict[str, str]] = field(default_factory=list)
    added: int = 0  # rows on a task the earlier form did not report on (all rows of a first form)
    replaced: int = 0  # rows that say something else than the earlier form did
    unchanged: int = 0  # rows the same as in the earlier form
    withdrawn: int = 0  # tasks the earlier form reported on and this one leaves blank
    #: Each row taken, with its report's date and what it does: ADDED, REPLACED or UNCHANGED.
    rows: list[tuple[FormRow, date, str]] = field(default_factory=list)
    withdrawn_tasks: list[int] = field(default_factory=list)
    earlier_imported: str = ""  # the day the earlier (or the same) form was imported
    later_imported: str = ""  # OUTDATED: the day the form that replaced it was imported
    same_as: str = ""  # the file of this import run that holds the same form


def plan_import(readings: list[FormReading], log: ProgressLog, as_of: date) -> tuple[list[FormImport], list[Issue]]:
    """What each checked form adds to ``log`` if imported on ``as_of``, and the problems of the batch.

    Two forms of one unit and period in one batch are a problem when they differ
    (which one is right?); the second of two identical ones adds nothing.
    """
    imports: list[FormImport] = []
    issues: list[Issue] = []
    in_batch: dict[tuple[str, str], FormImport] = {}
    for reading in readings:
        assert reading.marker is not None and reading.unit is not None and reading.period is not None
        planned = _plan_one(reading, reading.unit, reading.period, log, as_of)
        key = (reading.unit, reading.period.key)
        first = in_batch.get(key)
        if first is not None and planned.action != EMPTY and first.action != EMPTY:
            if first.form != planned.form:
                issues.append(
                    Issue(
                        "form_twice_in_batch",
                        reading.shown,
                        args={"other": first.reading.shown, "unit": reading.unit, "period": reading.period.key},
                    )
                )
            else:
                planned = FormImport(reading, UNCHANGED, planned.form, same_as=first.reading.shown)
        elif planned.action != EMPTY:
            in_batch[key] = planned
        imports.append(planned)
    return imports, issues


def _plan_one(reading: FormReading, unit: str, period: ReportingPeriod, log: ProgressLog, as_of: date) -> FormImport:
    assert reading.marker is not None
    if not reading.rows:
        return FormImport(reading, EMPTY)
    form = content_hash(reading.marker, [row.cells() for row in reading.rows])
    current = [r for r in log.reports if r.form and r.unit == unit and r.period == period.key]
    if current and current[0].form == form:
        return FormImport(reading, UNCHANGED, form, earlier_imported=_imported(current))
    replaced_before = [r for r in log.superseded if r.form == form and r.unit == unit and r.period == period.key]
    if replaced_before:
        return FormImport(
            reading, OUTDATED, form, earlier_imported=_imported(replaced_before), later_imported=_imported(current)
        )
    replaces = current[0].form if current else None
    entries = [_entry(row, unit, period, form, as_of, replaces) for row in reading.rows]
    planned = FormImport(reading, REPLACED if current else ADDED, form, entries, earlier_imported=_imported(current))
    earlier = {report.task: _cells(report) for report in current}
    for row in reading.rows:
        cells = row.cells()
        if row.task not in earlier:
            planned.added += 1
            change = ADDED
        elif earlier[row.task] == cells:
            planned.unchanged += 1
            change = UNCHANGED
        else:
            planned.replaced += 1
            change = REPLACED
        planned.rows.append((row, report_date(row, period, as_of), change))
    planned.withdrawn_tasks = sorted(set(earlier) - {row.task for row in reading.rows})
    planned.withdrawn = len(planned.withdrawn_tasks)
    return planned


def _imported(reports: list[ProgressReport]) -> str:
    days = [report.imported for report in reports if report.imported is not None]
    return max(days).isoformat() if days else ""


def report_date(row: FormRow, period: ReportingPeriod, as_of: date) -> date:
    """A 已完成 row's 完成日期; else the import day, kept inside the form's period."""
    if row.status == DONE and row.done_on is not None:
        return row.done_on
    return min(max(as_of, period.start), period.due)


def _entry(
    row: FormRow, unit: str, period: ReportingPeriod, form: str, as_of: date, replaces: str | None
) -> dict[str, str]:
    return new_entry(
        row.task,
        unit,
        report_date(row, period, as_of),
        row.status,
        note=row.progress,
        evidence=row.evidence,
        reason=row.problems,
        next_steps=row.next_steps,
        period=period.key,
        form=form,
        imported=as_of,
        replaces=replaces,
    )


def _cells(report: ProgressReport) -> dict[str, str]:
    """An imported report as the row of the form it came from said it (``FormRow.cells``)."""
    return {
        "task": str(report.task),
        "status": report.status,
        "done_on": report.date.isoformat() if report.status == DONE else "",
        "progress": report.note or "",
        "problems": report.reason or "",
        "next_steps": report.next_steps or "",
        "evidence": report.evidence or "",
    }


# --- the whole import: read, check, plan and append under the log's lock ----------------------------


@dataclass
class ImportOutcome:
    """What ``import_forms`` did: each form's import, or the problems that stopped it (then nothing was written)."""

    imports: list[FormImport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    written: Path | None = None  # the progress file appended to
    added: int = 0  # reports appended

    @property
    def files_with_problems(self) -> int:
        return len({issue.path.split("!", 1)[0] for issue in self.issues})


class _Refused(Exception):
    def __init__(self, issues: list[Issue]):
        self.issues = issues


def import_forms(
    register: Register,
    paths: list[Path],
    as_of: date,
    progress: Path | None = None,
    dry_run: bool = False,
    protect: tuple[Path, ...] = (),
) -> ImportOutcome:
    """Read the returned forms at ``paths`` into the progress log (``progress``, else the register's).

    All or nothing: if any form has a problem, no report is written and the
    outcome lists every problem of every form. Otherwise the reports of all the
    forms are appended to the log in one atomic write, under the log's lock; what
    each form adds is decided inside that lock, so two imports at once cannot
    both add the same form. ``dry_run`` decides and writes nothing.
    """
    from ..store.progress_log import append_reports, check_progress  # lazy: pydantic

    readings = [read_form(path, register, as_of) for path in paths]
    problems = [issue for reading in readings for issue in reading.issues]
    target, earlier_files = progress_target(register, progress)
    outcome = ImportOutcome()

    def decide() -> list[dict[str, str]]:
        log_issues: list[Issue] = []
        log = check_progress(earlier_files(), register, log_issues)
        errors = [issue for issue in log_issues if issue.severity == ERROR]
        if errors:
            raise RegisterInvalid(errors)
        imports, batch_problems = plan_import([reading for reading in readings if reading.ok], log, as_of)
        if problems or batch_problems:
            raise _Refused(problems + batch_problems)
        outcome.imports = imports
        return [entry for planned in imports for entry in planned.entries]

    try:
        if dry_run:
            decide()
            return outcome
        written, _ = append_reports(target, decide, register, protect=protect)
    except _Refused as refused:
        outcome.issues = refused.issues
        outcome.imports = []
        return outcome
    outcome.added = sum(len(planned.entries) for planned in outcome.imports)
    outcome.written = written if outcome.added else None
    return outcome


def progress_target(register: Register, progress: Path | None) -> tuple[Path, Callable[[], list[Path]]]:
    """The file reports are appended to, and a function listing the files that may hold earlier imports.

    By default the register folder's ``progress.yaml``, with earlier imports looked
    for in every progress file of the folder; ``--progress FILE`` is both; a
    folder is its ``progress.yaml`` and its progress files.
    """
    from ..store.progress_log import files_at, progress_files  # lazy: pydantic

    if progress is None:
        folder = Path(register.folder)
        return folder / PROGRESS_FILE, lambda: progress_files(folder)
    if progress.is_dir():
        chosen = progress
        return chosen / PROGRESS_FILE, lambda: files_at(chosen)
    return progress, lambda: [progress] if progress.exists() else []
