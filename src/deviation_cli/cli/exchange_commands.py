"""Exchange with the tools staff use: `deviation export xlsx|ics|csv|json|sqlite`, `deviation import xlsx|csv`."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import typer

from ..domain.query import find_unit
from ..domain.register import Register
from ..exchange.calendar import calendar_bytes, calendar_entries, parse_alarms
from ..exchange.table_import import import_table
from ..exchange.workbook import workbook_bytes
from ..formats.atomic import write_atomic
from ..formats.register_files import display_path
from ..formats.tables import Grid, read_csv_grid, read_xlsx_grid
from ..output.json_objects import register_objects
from ..output.listing import emit, to_csv
from ..words import say
from .app import app, command, print_issues, settings, tell
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


def _write(register: Register, out: str, content: str | bytes, what: str) -> None:
    """Write an export to a file (atomically, never over the register) or to stdout with ``-``."""
    if out == "-":
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    write_atomic(out, content, protect=register_files(register))
    tell("export_written", file=out, what=what)


@command("xlsx", on=export_app)
def export_xlsx(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    per_unit: bool = typer.Option(
        False, "--per-unit", help="Add a sheet per unit: the tasks it leads, then those it shares."
    ),
) -> None:
    """The 任务分解表 as an Excel/WPS workbook laid out like the source annex.

    Title row, header 序号/管控/改进措施/具体任务/牵头部门/责任单位/完成时限, 管控 and
    改进措施 merged over their rows, A4 landscape with the header on every page.

    Example: deviation export xlsx -o 任务分解表.xlsx --per-unit
    """
    register = load()
    content = workbook_bytes(register, per_unit)
    _write(register, out, content, say("cli.tasks_count", settings.lang, count=len(register.tasks)))


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
    _write(register, out, content, say("cli.events_count", settings.lang, count=count))


@command("csv", on=export_app)
def export_csv(out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP)) -> None:
    """Every task as CSV (UTF-8 with BOM, so Excel and WPS open it as Chinese).

    Example: deviation export csv -o tasks.csv
    """
    register = load()
    records = register_objects(register)
    _write(
        register,
        out,
        to_csv(records, settings.lang, settings.words),
        say("cli.tasks_count", settings.lang, count=len(records)),
    )


@command("json", on=export_app)
def export_json(out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP)) -> None:
    """Every task as a JSON array of task objects (the contract of --format json).

    Example: deviation export json -o - | jq '.[] | select(.ongoing | not) | .id'
    """
    register = load()
    records = register_objects(register)
    buffer = io.StringIO()
    emit(records, [], "json", settings.lang, stream=buffer)
    _write(register, out, buffer.getvalue(), say("cli.tasks_count", settings.lang, count=len(records)))


@command("sqlite", on=export_app)
def export_sqlite(out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP)) -> None:
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
    _write(register, out, content, say("cli.tasks_count", settings.lang, count=len(register.tasks)))


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
) -> None:
    """Read a 任务分解表 workbook into a register folder, resolving units against --data.

    Merged cells count for every row they cover. Each cell that does not map
    onto the register is reported as Sheet!C12 and nothing is written.

    Example: deviation import xlsx 任务分解表-修改.xlsx -o new/ && deviation diff data new
    """
    _import(read_xlsx_grid(Path(file), sheet), file, out, force)


@command("csv", on=import_app)
def import_csv(
    file: str = typer.Argument(..., metavar="FILE", help="The .csv file (UTF-8, UTF-16 or GBK, as Excel/WPS save it)."),
    out: str = typer.Option(..., "--output", "-o", metavar="DIR", help=OUT_FOLDER_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Read a 任务分解表 saved as CSV into a register folder, resolving units against --data.

    A blank 管控 or 改进措施 cell continues the row above. Problems are reported
    as FILE!C12 and nothing is written.

    Example: deviation import csv 任务分解表.csv -o new/
    """
    _import(read_csv_grid(Path(file)), file, out, force)
