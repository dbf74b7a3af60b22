"""Exchange with the tools staff use: `deviation export xlsx|ics|csv|json|sqlite|forms`,
`deviation import xlsx|csv|reports`."""

from __future__ import annotations

import io
from pathlib import Path

import typer

from ..domain.issues import Issue, UsageError
from ..domain.query import find_unit
from ..domain.register import Register
from ..exchange.calendar import calendar_bytes, calendar_entries, parse_alarms
from ..exchange.form_import import ADDED, OUTDATED, REPLACED, UNCHANGED, FormImport, import_forms
from ..exchange.report_forms import (
    chinese_date,
    form_period,
    form_unit,
    form_units,
    period_words,
    unit_form,
    write_forms,
)
from ..exchange.table_import import import_table
from ..exchange.workbook import workbook_bytes
from ..formats.atomic import write_atomic
from ..formats.register_files import PROGRESS_FILE, PROGRESS_FOLDER, display_path
from ..formats.tables import Grid, read_csv_grid, read_xlsx_grid
from ..output.json_objects import register_objects
from ..output.listing import emit, to_csv
from ..words import say
from .app import (
    app,
    as_of_option,
    command,
    max_problems_option,
    print_issues,
    settings,
    tell,
    write_stdout,
    write_through_option,
)
from .loading import load
from .render_commands import register_files

# Named here as well as in add_typer: the command line builds each group from its own Typer when first used.
export_app = typer.Typer(
    name="export",
    help="Write the register for Excel/WPS, calendars, scripts and SQL tools.\n\n"
    "Example: deviation export xlsx -o 任务分解表.xlsx",
    no_args_is_help=True,
    rich_markup_mode=None,
)
import_app = typer.Typer(
    name="import",
    help="Read a 任务分解表 (Excel/WPS or CSV) back into a register folder.\n\n"
    "Example: deviation import xlsx 任务分解表.xlsx -o imported/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

OUTPUT_HELP = "File to write; - for standard output."


def _write(register: Register, out: str, content: str | bytes, what: str, write_through: bool = False) -> None:
    """Write an export to a file (atomically, never over the register) or to stdout with ``-``."""
    if out == "-":
        write_stdout(content)
        return
    write_atomic(out, content, protect=register_files(register), follow_links=write_through, into_special=write_through)
    tell("export_written", file=out, what=what)


@command("xlsx", on=export_app)
def export_xlsx(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    per_unit: bool = typer.Option(
        False, "--per-unit", help="Add a sheet per unit: the tasks it leads, then those it shares."
    ),
    write_through: bool = write_through_option(),
) -> None:
    """The 任务分解表 as an Excel/WPS workbook laid out like the source annex.

    Title row, header 序号/管控/改进措施/具体任务/牵头部门/责任单位/完成时限, 管控 and
    改进措施 merged over their rows, A4 landscape with the header on every page.

    Example: deviation export xlsx -o 任务分解表.xlsx --per-unit
    """
    register = load()
    content = workbook_bytes(register, per_unit)
    _write(register, out, content, say("cli.tasks_count", settings.lang, count=len(register.tasks)), write_through)


@command("ics", on=export_app)
def export_ics(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    unit: str | None = typer.Option(None, "--unit", help="Only the milestones of the tasks this unit leads or shares."),
    alarms: str = typer.Option(
        "7,3", "--alarms", metavar="DAYS", help="Reminders, days before: 7,3 (default); none for no reminder."
    ),
    include_open: bool = typer.Option(
        False, "--include-open", help="With --unit: also tasks reached only through an open tail."
    ),
    write_through: bool = write_through_option(),
) -> None:
    """Due milestones as an iCalendar file: one all-day event each, with reminders.

    Ongoing tasks (持续推进) have no date and are left out. UIDs stay the same
    across exports, so a re-import updates events instead of copying them.

    Example: deviation export ics --unit 汉台区 --alarms 7,3 -o 汉台区.ics
    """
    days = parse_alarms(alarms)
    register = load()
    canonical = find_unit(register, unit) if unit is not None else None
    content = calendar_bytes(register, canonical, days, include_open)
    count = len(calendar_entries(register, canonical, include_open))
    _write(register, out, content, say("cli.events_count", settings.lang, count=count), write_through)


@command("csv", on=export_app)
def export_csv(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    write_through: bool = write_through_option(),
) -> None:
    """Every task as CSV (UTF-8 with BOM, so Excel and WPS open it as Chinese).

    Example: deviation export csv -o tasks.csv
    """
    register = load()
    records = register_objects(register)
    # The first two levels' columns are in every task object (the JSON contract); a table has the plan's levels only.
    for field, level in (("dimension", 1), ("measure", 2)):
        if len(register.levels) < level:
            for record in records:
                record.pop(field, None)
    _write(
        register,
        out,
        to_csv(records, settings.lang, settings.words),
        say("cli.tasks_count", settings.lang, count=len(records)),
        write_through,
    )


@command("json", on=export_app)
def export_json(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    write_through: bool = write_through_option(),
) -> None:
    """Every task as a JSON array of task objects (the contract of --format json).

    Example: deviation export json -o - | jq '.[] | select(.ongoing | not) | .id'
    """
    register = load()
    records = register_objects(register)
    buffer = io.StringIO()
    emit(records, [], "json", settings.lang, stream=buffer)
    _write(register, out, buffer.getvalue(), say("cli.tasks_count", settings.lang, count=len(records)), write_through)


@command("sqlite", on=export_app)
def export_sqlite(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    write_through: bool = write_through_option(),
) -> None:
    """The register as an SQLite database, for Datasette or any SQL client.

    Tables: tasks (the fields of --format json), milestones, headings, units and
    group_members, task_units (who leads or shares each task, as `deviation unit`
    lists it), and reports, indicators and observations when the register has them;
    linked by foreign keys, indexed by date and unit.

    Example: deviation export sqlite -o plan.db
    """
    from ..exchange.database import database_bytes  # lazy: pydantic, through the progress and indicator files

    register = load()
    content = database_bytes(register)
    _write(register, out, content, say("cli.tasks_count", settings.lang, count=len(register.tasks)), write_through)


def _import(grid: Grid, source: str, out: str, force: bool) -> None:
    register = load()
    result = import_table(grid, register, Path(out), force=force, source=Path(source).name)
    if result.warnings:
        print_issues(result.warnings)
    tell("import_done", source=source, count=result.tasks, folder=display_path(result.folder))


OUT_FOLDER_HELP = "Register folder to write (tasks.yaml, units.yaml); created if missing."
FORCE_HELP = "Replace a register already in the folder."


@command("xlsx", on=import_app)
def import_xlsx(
    file: str = typer.Argument(..., metavar="FILE", help="The .xlsx workbook."),
    out: str = typer.Option(..., "--output", "-o", metavar="DIR", help=OUT_FOLDER_HELP),
    sheet: str | None = typer.Option(None, "--sheet", help="Sheet to read; default the first."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    max_problems: int = max_problems_option(),
) -> None:
    """Read a 任务分解表 workbook into a register folder, resolving units against --data.

    Merged cells count for every row they cover. Each cell that does not map
    onto the register is reported as Sheet!C12 and nothing is written.

    Example: deviation import xlsx 任务分解表-修改.xlsx -o new/ && deviation diff data new
    """
    settings.max_problems = max_problems
    _import(read_xlsx_grid(Path(file), sheet), file, out, force)


@command("csv", on=import_app)
def import_csv(
    file: str = typer.Argument(..., metavar="FILE", help="The .csv file (UTF-8, UTF-16 or GBK, as Excel/WPS save it)."),
    out: str = typer.Option(..., "--output", "-o", metavar="DIR", help=OUT_FOLDER_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
    max_problems: int = max_problems_option(),
) -> None:
    """Read a 任务分解表 saved as CSV into a register folder, resolving units against --data.

    A blank 管控 or 改进措施 cell continues the row above. Problems are reported
    as FILE!C12 and nothing is written.

    Example: deviation import csv 任务分解表.csv -o new/
    """
    settings.max_problems = max_problems
    _import(read_csv_grid(Path(file)), file, out, force)


# --- fill-in forms out, returned forms in ----------------------------------------------------------

FORMS_PROGRESS_HELP = (
    "Progress file or folder the last reports are read from. "
    "Default: progress.yaml and progress/*.yaml in the register folder."
)


@command("forms", on=export_app)
def export_forms(
    out: str = typer.Option(
        ..., "--output", "-o", metavar="DIR", help="Folder to write the forms into (created if missing)."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The day the forms are made: the reporting period it falls in, milestones and last reports as of it. "
        "Default: today.",
    ),
    unit: str | None = typer.Option(None, "--unit", help="Only this unit's form."),
    progress: str | None = typer.Option(None, "--progress", metavar="PATH", help=FORMS_PROGRESS_HELP),
) -> None:
    """Fill-in forms (填报表): one workbook per unit for the reporting period of --as-of.

    Each lists the tasks the unit leads, then those it shares, with the columns it
    fills in: 进展情况, 完成状态 (a drop-down), 完成日期, 存在问题, 下步计划, 佐证材料.
    The period is the plan's (plan.reporting, e.g. 每月28日前), else the calendar
    month. Files are named 填报表-<unit>-<period>.xlsx; send them out, and read the
    returned ones with `deviation import reports`.

    Example: deviation export forms -o 填报表/ --as-of 2023-07-20
    """
    from ..store.progress_log import load_progress  # lazy: pydantic

    day = as_of_option(as_of)
    register = load()
    period, declared = form_period(register, day)
    names = [form_unit(register, unit)] if unit is not None else form_units(register)
    log = load_progress(register, progress)
    forms = [unit_form(register, name, log, day) for name in names]
    protect = register_files(register) + ((Path(progress),) if progress else ())
    folder = Path(out)
    write_forms(register, folder, forms, protect)
    tell(
        "cli.forms_written",
        count=len(forms),
        folder=display_path(folder),
        period=period_words(period, settings.lang),
        due=chinese_date(period.due, settings.lang),
        schedule=say("cli.forms_declared" if declared else "cli.forms_monthly", settings.lang),
    )


@command("reports", on=import_app)
def import_reports(
    files: list[str] = typer.Argument(..., metavar="FILE...", help="Returned forms (.xlsx), any number."),
    progress: str | None = typer.Option(
        None,
        "--progress",
        metavar="FILE",
        help="Progress file to append to, and to look for earlier imports in. "
        "Default: progress.yaml in the register folder (earlier imports also in progress/*.yaml).",
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="The day of the import: no 完成日期 may be later. Default: today."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Say what would be added, replaced or ignored; write nothing."
    ),
    max_problems: int = max_problems_option(),
) -> None:
    """Read returned fill-in forms (填报表) into the progress log, all at once or not at all.

    Every filled cell is checked (status, date, the task is the unit's, the form is
    this register's); each problem is reported as FILE!C12, and if there is any,
    nothing is written (exit 1). A row left blank adds nothing. The same form
    imported twice adds nothing; a corrected form of the same unit and period
    replaces the earlier one (both stay in the file; only the later counts).

    Example: deviation import reports 回收/*.xlsx --as-of 2023-07-29 --dry-run
    """
    settings.max_problems = max_problems
    day = as_of_option(as_of)
    paths = [Path(file) for file in files]
    missing = [Issue("form_missing", display_path(path)) for path in paths if not path.is_file()]
    if missing:
        raise UsageError(missing)
    register = load()
    # The progress files are what an import writes; the register's other files it must not.
    protect = tuple(path for path in register_files(register) if path.name not in (PROGRESS_FILE, PROGRESS_FOLDER))
    outcome = import_forms(register, paths, day, Path(progress) if progress else None, dry_run, protect)
    if outcome.issues:
        print_issues(outcome.issues)
        tell("cli.forms_refused", count=len(outcome.issues), files=outcome.files_with_problems)
        raise typer.Exit(1)
    for planned in outcome.imports:
        _tell_import(planned, rows=dry_run)
    if dry_run:
        tell("cli.forms_dry_run")
    elif outcome.written is not None:
        tell("cli.forms_appended", count=outcome.added, file=display_path(outcome.written))
    else:
        tell("cli.forms_nothing_added")


def _tell_import(result: FormImport, rows: bool = False) -> None:
    """One line per form (unit, period, what it adds), and with ``rows`` one per row."""
    reading = result.reading
    assert reading.period is not None
    where = {"file": reading.shown, "unit": reading.unit, "period": reading.period.key}
    blank = say("cli.forms_blank", settings.lang, count=reading.blank) if reading.blank else ""
    if result.action == ADDED:
        tell("cli.forms_added", **where, added=result.added, blank=blank)
    elif result.action == REPLACED:
        counts = {"added": result.added, "replaced": result.replaced, "unchanged": result.unchanged}
        withdrawn = say("cli.forms_withdrawn", settings.lang, count=result.withdrawn) if result.withdrawn else ""
        tell("cli.forms_replaced", **where, earlier=result.earlier_imported, **counts, withdrawn=withdrawn, blank=blank)
    elif result.action == UNCHANGED and result.same_as:
        tell("cli.forms_same_in_batch", **where, other=result.same_as)
    elif result.action == UNCHANGED:
        tell("cli.forms_unchanged", **where, earlier=result.earlier_imported)
    elif result.action == OUTDATED:
        tell("cli.forms_outdated", **where, earlier=result.earlier_imported, later=result.later_imported)
    else:
        tell("cli.forms_empty", **where)
    if rows:
        for row, reported_on, change in result.rows:
            tell(f"cli.forms_row_{change}", id=row.task, status=row.status, date=reported_on.isoformat())
        for task in result.withdrawn_tasks:
            tell("cli.forms_row_withdrawn", id=task)
