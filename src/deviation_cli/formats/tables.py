"""Tables as staff send them, read into a grid of cell values: CSV files and Excel/WPS workbooks.

A ``Grid`` holds a sheet's values row by row, each merged cell already holding
its range's value, and names any cell the way a spreadsheet does (``Sheet!C12``),
so a problem with a cell can be pointed at in words a clerk follows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.issues import Issue, UsageError
from .formulas import unguard_formula
from .register_files import display_path, read_bytes
from .workbook_scan import SheetShape, column_letter, scan_workbook

#: Most rows a table to import may have: a 任务分解表 of 100,000 tasks (about 15 s and 1 GB to import).
MAX_TABLE_ROWS = 100_000
#: Longest cell of a CSV file (the csv module's own default); a task text is a paragraph or two.
MAX_CELL_CHARS = 131_072

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


@dataclass
class Grid:
    """A sheet's cells as values; merged cells already hold their range's value."""

    sheet: str
    rows: list[list[object]]  # str from a CSV file; whatever openpyxl reads from a workbook
    #: (row, column) of each merged cell -> (row, column) of its range's first cell, 0-based.
    merged_into: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def where(self, row: int, column: int) -> str:
        """``Sheet!C12`` for 0-based row and column; a merged cell is named by its range's first cell."""
        row, column = self.merged_into.get((row, column), (row, column))
        return f"{self.sheet}!{column_letter(column + 1)}{row + 1}"


def cell_text(value: object) -> str:
    """A cell as the text a clerk sees: dates as ISO, 1.0 as 1, line ends unified, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_csv_grid(path: Path, sheet: str | None = None) -> Grid:
    """A CSV file as a grid: UTF-8 (with or without BOM), UTF-16 or GB18030 as Excel/WPS save it.

    Bounded like a register file: over the size limit it is refused unread, a
    cell over ``MAX_CELL_CHARS`` or a file over ``MAX_TABLE_ROWS`` rows is a message.
    """
    shown = display_path(path)
    raw = read_bytes(path)
    if raw.startswith(b"PK\x03\x04"):
        raise UsageError(Issue("import_csv_is_xlsx", shown))
    text = _decode_table_bytes(raw)
    del raw
    if text is None:
        raise UsageError(Issue("encoding_not_utf8", shown))
    sample = text[:4096]
    # Only the delimiter is sniffed; quoting is always Excel's. Why: on cells holding quotes
    # (<a href="x">) the sniffer also guessed quoting and split a task text wrongly.
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","

    class dialect(csv.excel):
        pass

    dialect.delimiter = delimiter
    rows: list[list[object]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # The field limit is the csv module's, for the whole process: set for this read only.
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        for row in reader:
            if len(rows) == MAX_TABLE_ROWS:
                raise UsageError(Issue("import_too_many_rows", shown, reader.line_num, args={"limit": MAX_TABLE_ROWS}))
            rows.append([unguard_formula(value) for value in row])
    except csv.Error as error:
        code = "import_cell_too_long" if "field larger" in str(error) else "import_csv_broken"
        raise UsageError(
            Issue(code, shown, reader.line_num or 1, args={"limit": MAX_CELL_CHARS, "problem": str(error)})
        ) from None
    finally:
        csv.field_size_limit(previous)
    return Grid(sheet or path.name, rows)


def _decode_table_bytes(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# --- workbooks (openpyxl, imported only when a workbook is read) -----------------------------------------

_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_unescape(value: object) -> object:
    """A cell's text with OOXML's ``_xHHHH_`` escapes (what Excel writes for control characters) undone."""
    if not isinstance(value, str) or "_x" not in value:
        return value
    return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def read_xlsx_grid(path: Path, sheet: str | None = None) -> Grid:
    """A workbook's sheet (the first unless named) as a grid, each merged range filled with its value.

    The workbook is measured first (``workbook_scan``): a DOCTYPE, broken XML, a
    part or a sheet too large is a message before openpyxl reads anything. Then
    openpyxl reads it in read-only mode, streaming the rows of the used range.
    """
    shown = display_path(path)
    shape = scan_workbook(path)
    measured = shape.sheet(sheet)
    if measured is None:
        if sheet is None:
            raise UsageError(Issue("import_not_xlsx", shown))
        names = "、".join(found.name for found in shape.sheets)
        raise UsageError(Issue("import_no_sheet", shown, args={"sheet": sheet, "sheets": names}))
    return _read_sheets(path, [measured])[0]


def read_xlsx_grids(path: Path) -> list[Grid]:
    """Every sheet of a workbook as a grid, in the workbook's order (measured first, as ``read_xlsx_grid``)."""
    return _read_sheets(path, scan_workbook(path).sheets)


def _read_sheets(path: Path, sheets: list[SheetShape]) -> list[Grid]:
    import zlib
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    shown = display_path(path)
    for measured in sheets:
        if measured.rows > MAX_TABLE_ROWS:
            raise UsageError(Issue("import_too_many_rows", f"{shown}!{measured.name}", args={"limit": MAX_TABLE_ROWS}))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        raise UsageError(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    except (BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, ParseError, EOFError, zlib.error):
        raise UsageError(Issue("import_not_xlsx", shown)) from None
    try:
        return [_sheet_grid(book, measured, shown) for measured in sheets]
    except (KeyError, ValueError, TypeError, ParseError, BadZipFile, EOFError, zlib.error):
        raise UsageError(Issue("import_not_xlsx", shown)) from None
    finally:
        book.close()


def _sheet_grid(book: Workbook, measured: SheetShape, shown: str) -> Grid:
    if measured.name not in book.sheetnames:
        raise UsageError(Issue("import_not_xlsx", shown))
    worksheet = book[measured.name]
    rows: list[list[object]] = []
    if measured.rows and measured.columns:
        for values in worksheet.iter_rows(
            min_row=1, max_row=measured.rows, min_col=1, max_col=measured.columns, values_only=True
        ):
            rows.append([ooxml_unescape(value) for value in values])
    merged_into: dict[tuple[int, int], tuple[int, int]] = {}
    for min_row, min_col, max_row, max_col in measured.merged:
        # Only the part of a range inside the used range holds cells; the scan bounded that part.
        if min_row - 1 >= len(rows):
            continue
        value = rows[min_row - 1][min_col - 1] if min_col - 1 < len(rows[min_row - 1]) else None
        first = (min_row - 1, min_col - 1)
        for row in range(min_row - 1, min(max_row, len(rows))):
            for column in range(min_col - 1, min(max_col, len(rows[row]))):
                rows[row][column] = value
                merged_into[(row, column)] = first
    return Grid(measured.name, rows, merged_into)
