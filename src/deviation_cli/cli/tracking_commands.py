"""Tracking commands: record, status, indicators, report (the 通报)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import typer

from ..documents.bulletin import BULLETIN_FORMATS, bulletin_data, render_bulletin
from ..domain.indicators import evaluate
from ..domain.issues import usage_error
from ..domain.progress import check_new_report, new_entry, normalise_status
from ..domain.query import find_task, find_unit
from ..domain.tracking import parse_rule, task_states, unit_scores
from ..formats.atomic import write_atomic
from ..formats.register_files import PROGRESS_FILE, display_path
from ..output.listing import LISTING_FORMATS, emit
from ..output.tracking_objects import indicator_object, score_object, state_object
from ..words import say
from .app import as_of_option, check_format, command, date_option, settings, tell
from .loading import load
from .render_commands import register_files

FORMAT_HELP = "table | json | csv | md"
PROGRESS_HELP = "Progress file or folder. Default: progress.yaml and progress/*.yaml in the register folder."


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
    if register.unit(canonical) is None:
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
    path, line = append_report(target, entry, register, protect=register_files(register))
    tell(
        "cli.recorded", id=task.id, unit=canonical, date=entry["date"], status=word, file=display_path(path), line=line
    )


@command("status")
def status_command(
    as_of: str | None = typer.Option(
        None, "--as-of", help="The day to look from (reports up to it count). Default: today."
    ),
    within: int = typer.Option(30, "--within", min=0, help="Due soon: next milestone within N days."),
    unit: str | None = typer.Option(None, "--unit", help="Only tasks this unit leads."),
    overdue_only: bool = typer.Option(False, "--overdue", help="Only overdue tasks."),
    by_unit: bool = typer.Option(False, "--by-unit", help="Per-unit completion, on-time and reporting rates instead."),
    progress: str | None = typer.Option(None, "--progress", metavar="PATH", help=PROGRESS_HELP),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Each task's latest status, overdue milestones and what falls due soon.

    A task is overdue when a milestone (or an approved new deadline) is before
    the as-of date and the lead has not reported it 已完成. With --by-unit:
    per-unit rates (the README section on tracking gives the rules).

    Example: deviation status --as-of 2023-08-01 --within 14 --format json
    """
    from ..store.progress_log import load_progress  # lazy: pydantic

    check_format(fmt, LISTING_FORMATS)
    day = as_of_option(as_of)
    register = load()
    log = load_progress(register, progress)
    states = task_states(register, log, day, within)
    if by_unit:
        scores = unit_scores(register, states, log, day)
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
        _emit(
            [score_object(score) for score in scores],
            columns,
            fmt,
            title=say("cli.units_as_of_title", settings.lang, day=day.isoformat()),
        )
        return
    if unit:
        canonical = find_unit(register, unit)
        states = [state for state in states if state.task.lead == canonical]
    if overdue_only:
        states = [state for state in states if state.overdue]
    records = [state_object(register, state, day) for state in states]
    columns = ["id", "lead", "status", "last_report", "deadline", "next_due", "overdue", "due_soon"]
    _emit(records, columns, fmt, title=say("cli.tasks_as_of_title", settings.lang, day=day.isoformat()))


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
    fmt: str = typer.Option("md", "--format", "-f", help="md | html"),
    output: str | None = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    rule: str | None = typer.Option(
        None, "--rule", help="Ranking weights, e.g. on_time:0.5,completion:0.3,reporting:0.2 (the default)."
    ),
    min_due: int = typer.Option(1, "--min-due", min=0, help="Rank only units with at least N milestones fallen due."),
    within: int = typer.Option(30, "--within", min=0, help="Due soon: next milestone within N days."),
    progress: str | None = typer.Option(None, "--progress", metavar="PATH", help=PROGRESS_HELP),
    observed: str | None = typer.Option(None, "--observed", metavar="FILE", help="Observed indicator values."),
    targets: str | None = typer.Option(None, "--targets", metavar="FILE", help="Indicator targets."),
    templates: str | None = typer.Option(
        None, "--templates", metavar="DIR", help="Folder with your own bulletin.md.j2 / bulletin.html.j2."
    ),
) -> None:
    """The periodic 通报: headline figures, overdue tasks by lead unit, the unit
    ranking with 红旗奖 / 蜗牛奖, and indicator deviations.

    HTML is one self-contained page (inline SVG charts, no network) that prints on A4.

    Example: deviation report --as-of 2023-08-01 --format html -o 通报.html
    """
    from ..store.indicator_files import load_indicators  # lazy: pydantic
    from ..store.progress_log import load_progress  # lazy: pydantic

    check_format(fmt, BULLETIN_FORMATS)
    day = as_of_option(as_of)
    weights = parse_rule(rule)
    register = load()
    log = load_progress(register, progress)
    indicators, observations = load_indicators(register, targets, observed)
    data = bulletin_data(register, log, indicators, observations, day, weights, within, min_due)
    text = render_bulletin(data, fmt, templates)
    if output:
        write_atomic(output, text, protect=register_files(register) + tuple(Path(f) for f in data["progress_files"]))
        tell("cli.wrote_file", file=display_path(Path(output)))
    else:
        sys.stdout.write(text)
