"""Tracking commands: record, verify (销号), status, indicators, report (the 通报)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typer

from ..documents.bulletin import BULLETIN_FORMATS, bulletin_data, render_bulletin
from ..domain.indicators import evaluate
from ..domain.issues import usage_error
from ..domain.progress import RETURNED, check_new_report, new_entry, normalise_check, normalise_status
from ..domain.query import find_task, find_unit
from ..domain.reporting import ReportingPeriod
from ..domain.sign_off import new_check
from ..domain.tracking import (
    DEFAULT_WARN_DAYS,
    last_reports,
    owed_period,
    parse_rule,
    task_states,
    unit_scores,
    unreported_units,
)
from ..formats.register_files import PROGRESS_FILE, PROGRESS_FOLDER, display_path
from ..output.listing import LISTING_FORMATS, emit
from ..output.tracking_objects import indicator_object, score_object, state_object
from ..words import say
from .app import as_of_option, check_format, command, date_option, settings, tell, write_through_option
from .loading import load
from .render_commands import format_of, register_files, write_output

FORMAT_HELP = "table | json | csv | md"
PROGRESS_HELP = "Progress file or folder. Default: progress.yaml and progress/*.yaml in the register folder."
WARN_DAYS_HELP = "Yellow light: the next milestone within N days, not reported 已完成."


def _emit(records: Sequence[Mapping[str, Any]], columns: list[str], fmt: str, title: str | None = None) -> None:
    emit(records, columns, fmt, settings.lang, title=title, words=settings.words)


@command("record")
def record_command(
    task_id: str = typer.Argument(..., metavar="TASK", help="The task's 序号."),
    unit: str = typer.Option(..., "--unit", help="The reporting unit: short name, full name, alias or unique prefix."),
    status: str = typer.Option(
        ...,
        "--status",
        help="未开始 | 推进中 | 已完成 | 滞后 | 延期 (or not-started, in-progress, done, late, postponed).",
    ),
    note: str | None = typer.Option(None, "--note", help="What was done."),
    day: str | None = typer.Option(None, "--date", help="Date of the report. Default: today."),
    evidence: str | None = typer.Option(None, "--evidence", metavar="URL", help="Link to the supporting document."),
    reason: str | None = typer.Option(None, "--reason", help="Why it is late or postponed."),
    new_deadline: str | None = typer.Option(
        None, "--new-deadline", metavar="DATE", help="Approved new deadline (replaces open milestones before it)."
    ),
    progress: str | None = typer.Option(
        None, "--progress", metavar="FILE", help="File to append to. Default: progress.yaml in the register folder."
    ),
) -> None:
    """Add one progress report; a bad report is refused and nothing changes.

    The report is appended to progress.yaml as a new YAML block: every byte
    already in the file stays as it was (the file is created if missing).

    Example: deviation record 4 --unit 市发改委 --status 已完成 --date 2023-07-28 --note 已上报调整清单
    """
    from ..store.progress_log import append_report  # lazy: pydantic

    register = load()
    task = find_task(register, task_id)
    canonical = find_unit(register, unit)
    group = register.group(canonical)
    if group is not None and not group.is_unlisted:  # a group the plan lists no one in reports as itself
        raise usage_error("arg_unit_is_group", name=unit)
    word = normalise_status(status)
    today = as_of_option(None)
    reported_on = date_option(day, today, "--date") or today
    deadline = date_option(new_deadline, reported_on, "--new-deadline")
    entry = new_entry(task.id, canonical, reported_on, word, note, evidence, reason, deadline)
    check_new_report(entry)
    target = Path(progress) if progress else Path(register.folder) / PROGRESS_FILE
    if target.is_dir():
        target = target / PROGRESS_FILE
    # The progress files are what record writes; the register's other files it must not.
    protect = tuple(path for path in register_files(register) if path.name not in (PROGRESS_FILE, PROGRESS_FOLDER))
    path, line = append_report(target, entry, register, protect=protect)
    tell(
        "cli.recorded", id=task.id, unit=canonical, date=entry["date"], status=word, file=display_path(path), line=line
    )


@command("verify")
def verify_command(
    task_id: str = typer.Argument(..., metavar="TASK", help="The task's 序号."),
    by: str = typer.Option(
        ..., "--by", help="Who checked: the office as written (市政府督查室), or a unit of the register."
    ),
    result: str = typer.Option(..., "--result", help="通过 | 退回 (or pass, return)."),
    note: str | None = typer.Option(None, "--note", help="What was checked; for 退回, what to put right (required)."),
    day: str | None = typer.Option(None, "--date", help="Date of the check. Default: today."),
    progress: str | None = typer.Option(
        None,
        "--progress",
        metavar="FILE",
        help="Progress file (or folder) to read the report from and append to. Default: the register folder's.",
    ),
) -> None:
    """Sign off (销号) a task: the office's check of the latest 已完成 report of its lead.

    通过: the task (or the phase that report closed) counts as done, dated by the
    report. 退回: the task goes back to 推进中 with the reason; a later 已完成
    report can be checked again. The check is appended to progress.yaml as its own
    entry; nothing already recorded changes. Refused (exit 1) when no lead has
    reported the task 已完成 by --date, or that report has been checked already.

    Example: deviation verify 1 --by 市政府督查室 --result 通过 --date 2023-07-10
    """
    from ..store.progress_log import append_check, load_progress  # lazy: pydantic

    register = load()
    task = find_task(register, task_id)
    word = normalise_check(result)
    today = as_of_option(None)
    checked_on = date_option(day, today, "--date") or today
    log = load_progress(register, progress)
    entry = new_check(register, log, task, by, word, checked_on, note)
    target = Path(progress) if progress else Path(register.folder) / PROGRESS_FILE
    if target.is_dir():
        target = target / PROGRESS_FILE
    protect = tuple(path for path in register_files(register) if path.name not in (PROGRESS_FILE, PROGRESS_FOLDER))
    line = append_check(target, entry, register, protect=protect)
    tell(
        "cli.verified",
        id=task.id,
        unit=entry["unit"],
        report=entry["report_date"],
        result=word,
        by=entry["by"],
        date=entry["date"],
        file=display_path(target),
        line=line,
    )


@command("status")
def status_command(
    as_of: str | None = typer.Option(
        None, "--as-of", help="The day to look from (reports up to it count). Default: today."
    ),
    within: int = typer.Option(30, "--within", min=0, help="Due soon: next milestone within N days."),
    warn_days: int = typer.Option(DEFAULT_WARN_DAYS, "--warn-days", min=0, metavar="N", help=WARN_DAYS_HELP),
    unit: str | None = typer.Option(None, "--unit", help="Only tasks this unit leads."),
    overdue_only: bool = typer.Option(False, "--overdue", help="Only overdue tasks."),
    by_unit: bool = typer.Option(False, "--by-unit", help="Per-unit completion, on-time and reporting rates instead."),
    progress: str | None = typer.Option(None, "--progress", metavar="PATH", help=PROGRESS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Each task's light and latest status, what is overdue and what falls due soon.

    Then, for a person (table, md): the tasks returned at sign-off (退回), and, when
    the plan states when reports are due (plan.reporting), who has not reported for
    the period owed on the as-of day (未报送). JSON rows carry the same in their fields.

    A task is overdue when a milestone (or an approved new deadline) is before
    the as-of date and the lead's 已完成 report has not been signed off (销号,
    see verify); until it is, the task is 待销号. With --by-unit: per-unit rates
    (the documentation's tracking page gives the rules).

    Lights: red when a milestone has passed without the task signed off as done;
    yellow when the next milestone is within --warn-days days (default 7) and
    the lead has not reported it 已完成; green otherwise (on track, signed off,
    or ongoing with no milestone). --within is a separate, wider window (30
    days): due_soon, the 临近到期 column.

    Example: deviation status --as-of 2023-08-01 --warn-days 14 --format json
    """
    from ..store.progress_log import load_progress  # lazy: pydantic

    check_format(fmt, LISTING_FORMATS)
    day = as_of_option(as_of)
    register = load()
    log = load_progress(register, progress)
    states = task_states(register, log, day, within, warn_days)
    owed = owed_period(register, day)
    # the per-unit figures cost a pass over the tasks per unit: only when shown or owed
    scores = unit_scores(register, states, log, day) if by_unit or owed is not None else []
    missing = unreported_units(scores)
    if by_unit:
        if unit:
            canonical = find_unit(register, unit)
            scores = [score for score in scores if score.unit == canonical]
        columns = [
            "unit",
            "led",
            "fallen_due",
            "closed",
            "on_time",
            "completion_rate",
            "on_time_rate",
            "reporting_rate",
            "overdue_tasks",
        ]
        if register.plan.reporting:
            columns += ["period_rate", "missing_report"]
        _emit(
            [score_object(score) for score in scores],
            columns,
            fmt,
            title=say("cli.units_as_of_title", settings.lang, day=day.isoformat()),
        )
        return
    shown_missing = missing  # the 未报送 section: with --unit, whether that unit has reported
    if unit:
        canonical = find_unit(register, unit)
        states = [state for state in states if canonical in state.task.leads]
        shown_missing = [name for name in missing if name == canonical]
    if overdue_only:
        states = [state for state in states if state.overdue]
    records = [state_object(register, state, day, owed, missing) for state in states]
    # The light stands where 已逾期 stood: red is overdue.
    columns = ["id", "light", "lead", "status", "last_report", "deadline", "next_due", "due_soon"]
    _emit(records, columns, fmt, title=say("cli.tasks_as_of_title", settings.lang, day=day.isoformat()))
    if fmt in ("table", "md"):
        returned = [record for record in records if record["sign_off"] == RETURNED]
        if returned:
            _emit_section(
                say("cli.returned_title", settings.lang, count=len(returned)), returned, RETURNED_COLUMNS, fmt
            )
        if owed is not None:
            _emit_unreported(owed, shown_missing, last_reports(log, day), fmt)


#: What the section on tasks whose 已完成 report was returned (退回) shows, after the status table.
RETURNED_COLUMNS = ["id", "done_unit", "done_reported", "checked_on", "checked_by", "check_note"]


def _emit_section(title: str, records: Sequence[Mapping[str, Any]], columns: list[str], fmt: str) -> None:
    """A second table after the first, for a person (table and md only): a title line, then the rows."""
    # a terminal table already ends with a blank line, and starts with one
    sys.stdout.write(("\n" + title + "\n\n") if fmt == "md" else (title + "\n"))
    _emit(records, columns, fmt)


def _emit_unreported(owed: ReportingPeriod, missing: list[str], last: dict[str, Any], fmt: str) -> None:
    """After the tasks, for a person: the period owed and the units that have not reported in it (未报送)."""
    period = {"start": owed.start.isoformat(), "due": owed.due.isoformat()}
    if not missing:
        sys.stdout.write(("\n" if fmt == "md" else "") + say("cli.all_reported", settings.lang, **period) + "\n")
        return
    title = say("cli.unreported_title", settings.lang, count=len(missing), **period)
    rows = [{"unit": name, "last_report": last[name].isoformat() if name in last else None} for name in missing]
    _emit_section(title, rows, ["unit", "last_report"], fmt)


@command("indicators")
def indicators_command(
    observed: str | None = typer.Option(
        None,
        "--observed",
        metavar="FILE",
        help="Observed values. Default: observations.yaml in the register folder, if any.",
    ),
    targets: str | None = typer.Option(
        None, "--targets", metavar="FILE", help="Targets. Default: indicators.yaml in the register folder."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Ignore observations reported after this day. Default: all."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """The plan's quantitative targets against observed values, grouped by dimension.

    Deviation = actual − target; relative = deviation / target. Light: green
    when the target is met, amber when short by at most 10 % of the target
    (or the indicator's tolerance), red beyond, none without an observation.

    Example: deviation indicators --observed examples/hanzhong-progress/observations.yaml
    """
    from ..store.indicator_files import load_indicators  # lazy: pydantic

    check_format(fmt, LISTING_FORMATS)
    day = date_option(as_of, as_of_option(None), "--as-of") if as_of else None
    register = load()
    indicators, observations = load_indicators(register, targets, observed)
    records = [indicator_object(register, item) for item in evaluate(indicators, observations, day)]
    columns = ["indicator", "period", "target_text", "actual", "deviation", "relative", "light"]
    if fmt in ("table", "md"):
        for dim in register.dimensions:
            group = [record for record in records if record["dimension"] == dim.name]
            if group:
                _emit(group, columns, fmt, title=dim.name)
    else:
        _emit(records, columns, fmt)


@command("report")
def report_command(
    as_of: str = typer.Option(..., "--as-of", help="The day the 通报 speaks of."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="md | html | docx. Default: from -o's extension, else md."
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout (- for stdout)."
    ),
    rule: str | None = typer.Option(
        None, "--rule", help="Ranking weights, e.g. on_time:0.5,completion:0.3,reporting:0.2 (the default)."
    ),
    min_due: int = typer.Option(1, "--min-due", min=0, help="Rank only units with at least N milestones fallen due."),
    within: int = typer.Option(30, "--within", min=0, help="Due soon: next milestone within N days."),
    warn_days: int = typer.Option(DEFAULT_WARN_DAYS, "--warn-days", min=0, metavar="N", help=WARN_DAYS_HELP),
    progress: str | None = typer.Option(None, "--progress", metavar="PATH", help=PROGRESS_HELP),
    observed: str | None = typer.Option(None, "--observed", metavar="FILE", help="Observed indicator values."),
    targets: str | None = typer.Option(None, "--targets", metavar="FILE", help="Indicator targets."),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Folder with your own bulletin.md.j2 / bulletin.html.j2."
    ),
    issuer: str | None = typer.Option(
        None, "--issuer", help="The issuing office (落款). Default: the plan's issuing office, if named."
    ),
    on: str | None = typer.Option(None, "--date", help="成文日期. Default: the --as-of day."),
    write_through: bool = write_through_option(),
) -> None:
    """The periodic 通报: headline figures and lights, overdue tasks by lead unit,
    sign-offs (销号) awaited and returned, who has not reported (未报送, when the
    plan states a reporting schedule), the unit ranking with the plan's awards,
    and indicator deviations.

    An official document like the notices (GB/T 9704): full-width punctuation, dates
    as 2023年8月1日, 落款 and 成文日期. HTML is one self-contained page (charts drawn
    in HTML, no network) that prints on A4 with page numbers; docx is the same for Word
    and WPS (written to a file with -o, never to a terminal).

    Example: deviation report --as-of 2023-08-01 --format html -o 通报.html
    """
    from ..store.indicator_files import load_indicators  # lazy: pydantic
    from ..store.progress_log import load_progress  # lazy: pydantic

    fmt = fmt or (format_of(output) if output else "md")
    check_format(fmt, BULLETIN_FORMATS)
    if fmt == "docx" and output is None:
        raise usage_error("render_binary_needs_output", format="docx")
    day = as_of_option(as_of)
    written = date_option(on, day, "--date")
    weights = parse_rule(rule)
    register = load()
    log = load_progress(register, progress)
    indicators, observations = load_indicators(register, targets, observed)
    data = bulletin_data(
        register,
        log,
        indicators,
        observations,
        day,
        weights,
        within,
        min_due,
        issuer=issuer,
        written=written,
        warn_days=warn_days,
    )
    if fmt == "docx":
        from ..documents.word import word_document  # lazy: docx

        content: str | bytes = word_document(render_bulletin(data, "html", templates))
    else:
        content = render_bulletin(data, fmt, templates)
    # the files it read, wherever they are: the register folder's, and any named by an option
    protect = (
        register_files(register)
        + tuple(Path(f) for f in data["progress_files"])
        + tuple(Path(f) for f in (targets, observed) if f)
    )
    if write_output(output, content, protect, write_through):
        tell("cli.wrote_file", file=display_path(Path(output or "")))
