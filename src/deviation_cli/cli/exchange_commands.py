"""Exchange with the tools staff already use: `deviation export xlsx|ics|csv|json`, `deviation import xlsx|csv`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

import typer

from .app import app, command, load, print_issues, settings

export_app = typer.Typer(
    help="Write the register for Excel/WPS, calendars and scripts.\n\nExample: deviation export xlsx -o 任务分解表.xlsx",
    no_args_is_help=True,
    rich_markup_mode=None,
)
import_app = typer.Typer(
    help="Read a 任务分解表 (Excel/WPS or CSV) back into a register folder.\n\n"
    "Example: deviation import xlsx 任务分解表.xlsx -o imported/",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

OUTPUT_HELP = "File to write; - for standard output."


def _say(code: str, **args: Any) -> None:
    from ..messages import render_message

    sys.stderr.write(render_message(code, args, settings.lang) + "\n")


def _write(register: Any, out: str, content: str | bytes, what: str) -> None:
    """Write an export to a file (atomically, never over the register) or to stdout with ``-``."""
    if out == "-":
        if isinstance(content, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(content)
        return
    from ..fileio import write_atomic
    from ..load import TASKS_FILE, UNITS_FILE

    folder = Path(register.folder)
    write_atomic(out, content, protect=(folder / TASKS_FILE, folder / UNITS_FILE))
    _say("export_written", file=out, what=what)


def _zh_en(zh: str, en: str) -> str:
    return zh if settings.lang == "zh" else en


@command("xlsx", on=export_app)
def export_xlsx(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    per_unit: bool = typer.Option(False, "--per-unit", help="Add a sheet per unit: the tasks it leads, then those it shares."),
) -> None:
    """The 任务分解表 as an Excel/WPS workbook laid out like the source annex.

    Title row, header 序号/管控/改进措施/具体任务/牵头部门/责任单位/完成时限, 管控 and
    改进措施 merged over their rows, A4 landscape with the header on every page.

    Example: deviation export xlsx -o 任务分解表.xlsx --per-unit
    """
    from ..xlsx import workbook_bytes

    register = load()
    content = workbook_bytes(register, per_unit)
    _write(register, out, content, _zh_en(f"{len(register.tasks)} 项任务", f"{len(register.tasks)} tasks"))


@command("ics", on=export_app)
def export_ics(
    out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only the milestones of the tasks this unit leads or shares."),
    alarms: str = typer.Option("7,3", "--alarms", metavar="DAYS", help="Reminders, days before: 7,3 (default); none for no reminder."),
    include_open: bool = typer.Option(False, "--include-open", help="With --unit: also tasks reached only through an open tail."),
) -> None:
    """Due milestones as an iCalendar file: one all-day event each, with reminders.

    Ongoing tasks (持续推进) have no date and are left out. UIDs stay the same
    across exports, so a re-import updates events instead of copying them.

    Example: deviation export ics --unit 汉台区 --alarms 7,3 -o 汉台区.ics
    """
    from ..calendar_export import calendar_bytes, calendar_entries, parse_alarms
    from ..query import find_unit

    days = parse_alarms(alarms)
    register = load()
    canonical = find_unit(register, unit) if unit is not None else None
    content = calendar_bytes(register, canonical, days, include_open)
    count = len(calendar_entries(register, canonical, include_open))
    _write(register, out, content, _zh_en(f"{count} 个到期事件", f"{count} events"))


@command("csv", on=export_app)
def export_csv(out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP)) -> None:
    """Every task as CSV (UTF-8 with BOM, so Excel and WPS open it as Chinese).

    Example: deviation export csv -o tasks.csv
    """
    from ..exchange import register_records
    from ..output import to_csv

    register = load()
    records = register_records(register)
    _write(register, out, to_csv(records, settings.lang), _zh_en(f"{len(records)} 项任务", f"{len(records)} tasks"))


@command("json", on=export_app)
def export_json(out: str = typer.Option(..., "--output", "-o", metavar="FILE", help=OUTPUT_HELP)) -> None:
    """Every task as a JSON array of task objects (the contract of --format json).

    Example: deviation export json -o - | jq '.[] | select(.ongoing | not) | .id'
    """
    import io

    from ..exchange import register_records
    from ..output import emit

    register = load()
    records = register_records(register)
    buffer = io.StringIO()
    emit(records, [], "json", settings.lang, stream=buffer)
    _write(register, out, buffer.getvalue(), _zh_en(f"{len(records)} 项任务", f"{len(records)} tasks"))


def _import(grid: Any, source: str, out: str, force: bool) -> None:
    from ..exchange import import_table
    from ..load import display_path

    register = load()
    result = import_table(grid, register, Path(out), force=force, source=Path(source).name)
    if result.warnings:
        print_issues(result.warnings)
    _say("import_done", source=source, count=result.tasks, folder=display_path(result.folder))


OUT_FOLDER_HELP = "Register folder to write (tasks.yaml, units.yaml); created if missing."
FORCE_HELP = "Replace a register already in the folder."


@command("xlsx", on=import_app)
def import_xlsx(
    file: str = typer.Argument(..., metavar="FILE", help="The .xlsx workbook."),
    out: str = typer.Option(..., "--output", "-o", metavar="DIR", help=OUT_FOLDER_HELP),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="Sheet to read; default the first."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Read a 任务分解表 workbook into a register folder, resolving units against --data.

    Merged cells count for every row they cover. Each cell that does not map
    onto the register is reported as Sheet!C12 and nothing is written.

    Example: deviation import xlsx 任务分解表-修改.xlsx -o new/ && deviation diff data new
    """
    from ..xlsx import read_xlsx_grid

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
    from ..exchange import read_csv_grid

    _import(read_csv_grid(Path(file)), file, out, force)
