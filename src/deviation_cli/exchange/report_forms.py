"""Fill-in forms (填报表) out: one workbook per unit for a reporting period, the way offices send them.

A unit's form lists the tasks it leads, then, in a second block, those it shares
(with the group it shares them through, 经由各县区政府), each with what the unit
needs to answer: the plan's levels and task, the lead, the deadline, the next
milestone and the unit's own last report. Six columns are left for the unit:
进展情况, 完成状态 (a drop-down of the statuses), 完成日期 (a date), 存在问题,
下步计划, 佐证材料. Everything else is locked (sheet protection without a
password: a guard against slips, not a seal). A 填报说明 sheet says who fills it,
for which period, by when and how; a very hidden sheet and the document
properties carry the marker (``form_layout``) that ``form_reading`` checks.

Printed the way offices print: A4 landscape, fitted to the page width, the
header row on every page, text wrapped in rows sized to it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.issues import usage_error
from ..domain.progress import STATUSES, ProgressLog, ProgressReport
from ..domain.query import find_unit, unit_tasks
from ..domain.register import LEAD, Register, Task
from ..domain.reporting import ReportingPeriod, form_schedule
from ..domain.tracking import task_states
from ..formats.atomic import make_folder, write_atomic
from ..formats.file_names import file_slug, unique_stems
from ..words import Lang, say
from .form_layout import MARKER_SHEET, MARKER_TITLE, PROPERTY_PREFIX, FormColumn, FormMarker, form_columns
from .form_layout import register_fingerprint as fingerprint
from .workbook import FONT, LINE_HEIGHT, ooxml_text, print_landscape_a4, sheet_name, wrapped_lines

if TYPE_CHECKING:
    from openpyxl.styles import Font
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
#: The first and last day the 完成日期 validation lets a spreadsheet take (import checks the real bounds).
DATE_FLOOR, DATE_CEILING = date(2000, 1, 1), date(2099, 12, 31)
FILL_COLOUR = "FFF7E1"  # a pale yellow: the cells to fill in
HEADER_FILL_COLOUR = "FCE4B6"
BAND_COLOUR = "EDEDED"


@dataclass(frozen=True, slots=True)
class FormLine:
    """One task of a unit's form, with what the unit needs to answer for it."""

    task: Task
    role: str  # LEAD or RESPONSIBLE
    via: str | None  # the group the unit shares the task through
    next_due: date | None  # the earliest open milestone (before the day the form was made when overdue)
    overdue: bool
    last: ProgressReport | None  # the unit's own last report on the task


@dataclass(frozen=True, slots=True)
class UnitForm:
    """What one unit's form holds for one reporting period."""

    unit: str
    period: ReportingPeriod
    declared: bool  # the plan states its schedule (else a calendar month)
    made: date  # the day the form was made (--as-of)
    lines: tuple[FormLine, ...]

    @property
    def led(self) -> tuple[FormLine, ...]:
        return tuple(line for line in self.lines if line.role == LEAD)

    @property
    def shared(self) -> tuple[FormLine, ...]:
        return tuple(line for line in self.lines if line.role != LEAD)


def form_period(register: Register, as_of: date) -> tuple[ReportingPeriod, bool]:
    """The reporting period ``as_of`` falls in (the plan's schedule, else calendar months), and whether
    the plan declares it; a UsageError when the day is outside the plan's periods."""
    schedule = form_schedule(register)
    period = schedule.open(as_of)
    if period is None:
        raise usage_error(
            "form_no_period",
            day=as_of.isoformat(),
            wording=schedule.wording,
            first=schedule.periods[0].start.isoformat() if schedule.periods else "",
            last=schedule.periods[-1].due.isoformat() if schedule.periods else "",
        )
    return period, schedule.declared


def form_units(register: Register) -> list[str]:
    """Who gets a form: every unit with a task it leads or shares, then every group whose members the plan
    does not list (各街道: it reports as itself); a listed group's members get their own."""
    names = [unit.name for unit in register.units] + [group.name for group in register.groups if group.is_unlisted]
    return [name for name in names if unit_tasks(register, name)]


def form_unit(register: Register, query: str) -> str:
    """The unit ``--unit`` names, if it can get a form: a UsageError for a listed group or a unit without tasks."""
    name = find_unit(register, query)
    group = register.group(name)
    if group is not None and not group.is_unlisted:
        raise usage_error("arg_unit_is_group", name=query)
    if not unit_tasks(register, name):
        raise usage_error("form_unit_no_tasks", name=name)
    return name


def unit_form(register: Register, unit: str, log: ProgressLog, as_of: date) -> UnitForm:
    """The form of ``unit`` for the period ``as_of`` falls in, with the progress ``log`` up to that day."""
    period, declared = form_period(register, as_of)
    states = {state.task.id: state for state in task_states(register, log, as_of)}
    last: dict[int, ProgressReport] = {}
    for report in log.until(as_of):  # in date order: the last one wins
        if report.unit == unit:
            last[report.task] = report
    lines = []
    for row in unit_tasks(register, unit):
        state = states[row.task.id]
        next_due = state.overdue_since or state.next_due
        lines.append(
            FormLine(row.task, row.role, row.via, next_due, state.overdue_since is not None, last.get(row.task.id))
        )
    return UnitForm(unit, period, declared, as_of, tuple(lines))


def form_marker(register: Register, form: UnitForm) -> FormMarker:
    return FormMarker(
        register=fingerprint(register),
        unit=form.unit,
        period=form.period.key,
        title=register.document.title,
        exported=form.made.isoformat(),
    )


def form_file_names(forms: Sequence[UnitForm]) -> dict[str, str]:
    """Each unit's file name: 填报表-<unit>-<period>.xlsx, safe on Windows, unique ignoring case."""
    stems = unique_stems(
        [form.unit for form in forms],
        [file_slug(say("form.file", unit=form.unit, period=form.period.key)) for form in forms],
    )
    return {unit: f"{stem}.xlsx" for unit, stem in stems.items()}


def write_forms(
    register: Register, folder: Path, forms: Sequence[UnitForm], protect: tuple[Path, ...] = ()
) -> list[Path]:
    """Write each form into ``folder`` (created if missing), each file atomically; the paths written."""
    make_folder(folder)
    names = form_file_names(forms)
    written = []
    for form in forms:
        target = folder / names[form.unit]
        write_atomic(target, form_workbook(register, form), protect=protect)
        written.append(target)
    return written


# --- the workbook -------------------------------------------------------------------------------


def chinese_date(day: date, lang: Lang = "zh") -> str:
    """2023年7月28日 (ISO in English)."""
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else day.isoformat()


def period_words(period: ReportingPeriod, lang: Lang = "zh") -> str:
    """2023年6月29日至7月28日: the period as the form's heading and instructions write it (ISO in English)."""
    if lang != "zh":
        return say("form.period", lang, start=period.start.isoformat(), end=period.due.isoformat())
    same_year = period.due.year == period.start.year
    end = f"{period.due.month}月{period.due.day}日" if same_year else chinese_date(period.due)
    return say("form.period", start=chinese_date(period.start), end=end)


def form_title(register: Register) -> str:
    return say("form.title", title=register.document.title)


def form_workbook(register: Register, form: UnitForm) -> bytes:
    """One unit's form as an .xlsx file."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet active
    taken: set[str] = set()
    sheet.title = sheet_name(say("form.sheet"), taken)
    columns = form_columns(register)
    _write_form_sheet(sheet, register, form, columns)
    _write_instructions(book.create_sheet(sheet_name(say("form.instructions_sheet"), taken)), register, form)
    marker = form_marker(register, form)
    _write_marker(book.create_sheet(sheet_name(MARKER_SHEET, taken)), marker)
    _set_properties(book, register, form, marker)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_form_sheet(sheet: Worksheet, register: Register, form: UnitForm, columns: Sequence[FormColumn]) -> None:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last_column = get_column_letter(len(columns))
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=10.5)
    wrap = Alignment(vertical="center", wrap_text=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fill = PatternFill("solid", fgColor=FILL_COLOUR)
    unlocked = Protection(locked=False)

    _merged_line(sheet, TITLE_ROW, len(columns), form_title(register), Font(name=FONT, size=16, bold=True), 30)
    info = say(
        "form.info",
        unit=form.unit,
        period=period_words(form.period),
        due=chinese_date(form.period.due),
    )
    _merged_line(sheet, INFO_ROW, len(columns), info, Font(name=FONT, size=11), 20)

    for number, column in enumerate(columns, 1):
        heading = sheet.cell(row=HEADER_ROW, column=number, value=ooxml_text(column.word))
        heading.data_type = "s"  # the plan's word for a column is text, even one starting with "="
        heading.font = Font(name=FONT, size=10.5, bold=True)
        heading.alignment = centred
        heading.border = border
        heading.fill = PatternFill("solid", fgColor=HEADER_FILL_COLOUR if column.fill else BAND_COLOUR)
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.row_dimensions[HEADER_ROW].height = 30

    status_column = next(n for n, c in enumerate(columns, 1) if c.field == "status")
    date_column = next(n for n, c in enumerate(columns, 1) if c.field == "done_on")
    row = HEADER_ROW + 1
    task_rows: list[int] = []
    blocks = [("form.band_led", form.led), ("form.band_shared", form.shared)]
    for number, (key, lines) in enumerate([block for block in blocks if block[1]], 1):
        band = say(key, number=say(f"form.number.{number}"), count=len(lines))
        _merged_line(sheet, row, len(columns), band, Font(name=FONT, size=11, bold=True), 20, BAND_COLOUR, left=True)
        row += 1
        for line in lines:
            for position, column in enumerate(columns, 1):
                cell = sheet.cell(row=row, column=position)
                assert isinstance(cell, Cell)  # nothing is merged on a task row
                value = _cell_value(register, line, column)
                if value not in (None, ""):
                    cell.value = ooxml_text(value) if isinstance(value, str) else value
                    if cell.data_type == "f":  # a text starting with "=" is text, not a formula
                        cell.data_type = "s"
                cell.font = body
                cell.border = border
                cell.alignment = centred if column.field in ("id", "role", "status", "done_on") else wrap
                if column.fill:
                    cell.protection = unlocked
                    cell.fill = fill
                if column.field == "done_on":
                    cell.number_format = "yyyy-mm-dd"
            sheet.row_dimensions[row].height = _row_height(register, line, columns)
            task_rows.append(row)
            row += 1

    if task_rows:
        statuses = DataValidation(
            type="list",
            formula1='"' + ",".join(STATUSES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle=say("form.column.status"),
            error=say("form.status_error", statuses="、".join(STATUSES)),
            promptTitle=say("form.column.status"),
            prompt=say("form.status_prompt"),
        )
        days = DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({DATE_FLOOR.year},{DATE_FLOOR.month},{DATE_FLOOR.day})",
            formula2=f"DATE({DATE_CEILING.year},{DATE_CEILING.month},{DATE_CEILING.day})",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle=say("form.column.done_on"),
            error=say("form.date_error"),
            promptTitle=say("form.column.done_on"),
            prompt=say("form.date_prompt"),
        )
        for validation, number in ((statuses, status_column), (days, date_column)):
            letter = get_column_letter(number)
            for start, end in _runs(task_rows):
                validation.add(f"{letter}{start}:{letter}{end}")
            sheet.add_data_validation(validation)

    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{last_column}{max(row - 1, HEADER_ROW)}"
    print_landscape_a4(sheet)
    _protect(sheet)


def _cell_value(register: Register, line: FormLine, column: FormColumn) -> str | int | None:
    task = line.task
    if column.field == "id":
        return task.id
    if column.field.startswith("level"):
        heading = register.heading_of(task, int(column.field[len("level") :]))
        return heading.table_name if heading else ""
    if column.field == "task":
        return task.text
    if column.field == "role":
        if line.role == LEAD:
            return say("form.role_lead")
        return say("form.role_shared") + (say("calendar.via", via=line.via) if line.via else "")
    if column.field == "lead":
        return task.lead_text
    if column.field == "deadline":
        return task.deadline
    if column.field == "next_due":
        if line.next_due is None:
            return ""
        return say("form.overdue", day=line.next_due.isoformat()) if line.overdue else line.next_due.isoformat()
    if column.field == "last_report":
        if line.last is None:
            return ""
        return say("form.last_report", status=line.last.status, day=line.last.date.isoformat())
    return None  # a column the unit fills in


def _merged_line(
    sheet: Worksheet,
    row: int,
    width: int,
    text: str,
    font: Font,
    height: float,
    colour: str | None = None,
    left: bool = False,
) -> None:
    from openpyxl.styles import Alignment, PatternFill

    cell = sheet.cell(row=row, column=1, value=ooxml_text(text))
    if cell.data_type == "f":
        cell.data_type = "s"
    cell.font = font
    cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
    if colour:
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).fill = PatternFill("solid", fgColor=colour)
    sheet.merge_cells(start_row=row, end_row=row, start_column=1, end_column=width)
    sheet.row_dimensions[row].height = height


def _row_height(register: Register, line: FormLine, columns: Sequence[FormColumn]) -> float:
    """Tall enough for the longest wrapped cell: Excel does not grow a row a program wrote."""
    lines = 2  # room for the unit to write a line or two even beside a short task
    for column in columns:
        value = _cell_value(register, line, column)
        if value:
            lines = max(lines, wrapped_lines(str(value), column.width))
    return lines * LINE_HEIGHT + 6


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges: the task rows between the block headings."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet without a password; the unit may still resize rows and columns to read and write."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False
    protection.formatRows = False


def _write_instructions(sheet: Worksheet, register: Register, form: UnitForm) -> None:
    from openpyxl.styles import Alignment, Font

    document = register.document
    plan = f"《{document.title}》" + (f"({document.doc_number})" if document.doc_number else "")
    period = period_words(form.period)
    schedule = (
        say("form.help.schedule_declared", wording=register.plan.reporting or "")
        if form.declared
        else say("form.help.schedule_monthly")
    )
    lines = [
        (say("form.help.title"), True),
        (say("form.help.unit", unit=form.unit), False),
        (say("form.help.plan", plan=plan), False),
        (say("form.help.period", period=period, schedule=schedule), False),
        (say("form.help.due", due=chinese_date(form.period.due)), False),
        (say("form.help.tasks", led=len(form.led), shared=len(form.shared)), False),
        ("", False),
        (say("form.help.how"), True),
        *((say(f"form.help.{field}", statuses="、".join(STATUSES)), False) for field in _HELP_FIELDS),
        ("", False),
        (say("form.help.rules"), True),
        *((say(f"form.help.rule_{number}"), False) for number in range(1, 6)),
    ]
    for number, (text, bold) in enumerate(lines, 1):
        cell = sheet.cell(row=number, column=1, value=ooxml_text(text) or None)
        if cell.data_type == "f":
            cell.data_type = "s"
        cell.font = Font(name=FONT, size=14 if number == 1 else 11, bold=bold)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.row_dimensions[number].height = wrapped_lines(text, 100) * 18 + 4
    sheet.column_dimensions["A"].width = 100
    print_landscape_a4(sheet)
    sheet.page_setup.orientation = "portrait"
    _protect(sheet)


_HELP_FIELDS = ("progress", "status", "done_on", "problems", "next_steps", "evidence")


def _write_marker(sheet: Worksheet, marker: FormMarker) -> None:
    sheet.cell(row=1, column=1, value=MARKER_TITLE)
    for number, (key, value) in enumerate(marker.pairs(), 2):
        sheet.cell(row=number, column=1, value=key)
        cell = sheet.cell(row=number, column=2, value=ooxml_text(value))
        cell.data_type = "s"
    sheet.sheet_state = "veryHidden"
    _protect(sheet)


def _set_properties(book: Workbook, register: Register, form: UnitForm, marker: FormMarker) -> None:
    from openpyxl.packaging.custom import StringProperty

    properties = book.properties
    properties.title = say("form.file", unit=form.unit, period=form.period.key)
    properties.subject = register.document.title
    properties.creator = register.document.source or "deviation"
    properties.keywords = say("form.keywords", unit=form.unit, period=form.period.key)
    properties.description = say("form.description", unit=form.unit, period=period_words(form.period))
    properties.category = say("form.sheet")
    custom = book.custom_doc_props  # type: ignore[attr-defined]  # openpyxl 3.1 has it; its stubs do not
    for key, value in marker.pairs():
        custom.append(StringProperty(name=PROPERTY_PREFIX + key, value=value))
