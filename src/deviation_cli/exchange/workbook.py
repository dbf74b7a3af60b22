"""The 任务分解表 as an Excel/WPS workbook (openpyxl).

The sheet looks like the annex: a title row, the header in the plan's own words,
each level above the task (Hanzhong: 管控, 改进措施) merged over its rows, wrapped
text, fixed column widths, A4 landscape fitted to the page width, the header
repeated on every printed page.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar, overload

from ..domain.annex import AnnexColumn, annex_columns, merged_ranges, table_cells, table_title
from ..domain.query import directory, unit_tasks
from ..domain.register import LEAD, Register
from ..words import say

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

#: Column widths in Excel's character units (a CJK character is about two), by field.
WIDTHS = {
    "id": 6,
    "dimension": 11,
    "measure": 14,
    "heading": 14,
    "task": 52,
    "lead": 12,
    "responsible": 38,
    "deadline": 12,
    "remark": 16,
    "role": 10,
}
#: Fields whose cells are centred; the running text is left-aligned.
CENTRED = frozenset({"id", "dimension", "measure", "heading", "lead", "deadline", "role"})
FONT = "宋体"
FIRST_ROW = 3  # title, header, then tasks
LINE_HEIGHT = 14.25  # points per wrapped line at 10.5 pt

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31

# Control characters XML cannot hold, and a "_" that starts a literal _xHHHH_.
_OOXML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


_Value = TypeVar("_Value")


@overload
def ooxml_text(value: str) -> str: ...
@overload
def ooxml_text(value: _Value) -> _Value: ...
def ooxml_text(value: object) -> object:
    """Text as a cell may hold it: control characters as OOXML's ``_x001B_``, as Excel writes them.

    Why: openpyxl refuses a control character (a YAML ``"\\e"`` puts one in a task
    text) with a traceback; Excel and WPS show ``_xHHHH_`` as the character, and
    ``formats.tables.read_xlsx_grid`` turns it back. A literal ``_x0041_`` is kept as ``_x005F_x0041_``.
    """
    if not isinstance(value, str):
        return value
    return _OOXML_UNSAFE.sub(lambda match: f"_x{ord(match.group()):04X}_", value)


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts: no []:*?/\\, not starting/ending with ', at most 31 characters, unique.

    Uniqueness is case-insensitive, as in Excel; a clash gets ``~2``, ``~3``.
    """
    clean = _SHEET_FORBIDDEN.sub("_", name).strip("'").strip() or "Sheet"
    if clean.lower() == "history":  # reserved by Excel
        clean = f"{clean}_"
    candidate = clean[:SHEET_NAME_LIMIT]
    number = 2
    while candidate.lower() in taken:
        suffix = f"~{number}"
        candidate = clean[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def workbook_bytes(register: Register, per_unit: bool = False) -> bytes:
    """The register as an .xlsx file; ``per_unit`` adds a sheet per unit with its lead and shared tasks."""
    from openpyxl import Workbook

    units = directory(register)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet active
    taken: set[str] = set()
    sheet.title = sheet_name(say("workbook.sheet"), taken)
    columns = annex_columns(register)
    rows = [table_cells(register, task, units, columns) for task in register.tasks]
    _write_table(sheet, table_title(register), columns, rows)
    for position, column in enumerate(columns, 1):
        if column.level:
            paths = [task.path[: column.level] for task in register.tasks]
            for start, end in merged_ranges(paths):
                sheet.merge_cells(
                    start_row=FIRST_ROW + start, end_row=FIRST_ROW + end, start_column=position, end_column=position
                )

    if per_unit:
        with_role = (columns[0], AnnexColumn("role", say("workbook.role")), *columns[1:])
        names = [unit.name for unit in register.units] + [group.name for group in register.groups]
        for name in names:
            listing = unit_tasks(register, name)
            if not listing:
                continue
            unit_rows = []
            for row in listing:
                via = say("calendar.via", via=row.via) if row.via else ""
                role = say("workbook.role_lead") if row.role == LEAD else say("workbook.role_responsible") + via
                cells = table_cells(register, row.task, units, columns)
                unit_rows.append((cells[0], role, *cells[1:]))
            unit_sheet = book.create_sheet(sheet_name(name, taken))
            title = say("workbook.unit_sheet_title", unit=name, title=table_title(register))
            _write_table(unit_sheet, title, with_role, unit_rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(
    sheet: Worksheet,
    title: str,
    columns: Sequence[AnnexColumn],
    rows: Sequence[Sequence[str | int]],
) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    header = [column.word for column in columns]
    widths = [WIDTHS.get(column.field, 14) for column in columns]
    centred = {index for index, column in enumerate(columns) if column.field in CENTRED}
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=10.5)

    sheet.cell(row=1, column=1, value=ooxml_text(title)).font = Font(name=FONT, size=16, bold=True)
    if sheet.cell(row=1, column=1).data_type == "f":
        sheet.cell(row=1, column=1).data_type = "s"
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(columns))
    sheet.row_dimensions[1].height = 30

    for column, text in enumerate(header, 1):
        cell = sheet.cell(row=2, column=column, value=text)
        cell.font = Font(name=FONT, size=10.5, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for index, values in enumerate(rows):
        row_number = FIRST_ROW + index
        for column, value in enumerate(values):
            cell = sheet.cell(row=row_number, column=column + 1, value=ooxml_text(value))
            if cell.data_type == "f":
                # Why: openpyxl makes any text starting with "=" a formula; a task text is text
                # (and a formula cell reads back empty, losing the task on import).
                cell.data_type = "s"
            cell.font = body
            cell.border = border
            cell.alignment = Alignment(
                horizontal="center" if column in centred else "left", vertical="center", wrap_text=True
            )
        # Excel does not grow a row to fit wrapped text written by a program, so size it here.
        lines = max(wrapped_lines(str(value), widths[column]) for column, value in enumerate(values))
        sheet.row_dimensions[row_number].height = max(1, lines) * LINE_HEIGHT + 6
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=1).coordinate  # what the setter takes from a cell
    sheet.print_title_rows = "2:2"
    print_landscape_a4(sheet)


def print_landscape_a4(sheet: Worksheet) -> None:
    """Print a sheet on A4 landscape, as wide as one page, centred, with page numbers in the footer."""
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    footer = sheet.oddFooter
    assert footer is not None  # a sheet is made with its header and footer items
    footer.center.text = say("workbook.footer")


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a wrapping column ``width`` characters wide (CJK counting two)."""
    usable = max(1, width - 1)
    total = 0
    for line in text.split("\n"):
        columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        total += max(1, math.ceil(columns / usable))
    return total
