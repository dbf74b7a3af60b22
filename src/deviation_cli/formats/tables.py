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

from ..domain.issues import Issue, UsageError
from .formulas import unguard_formula
from .register_files import display_path


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


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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
    """A CSV file as a grid: UTF-8 (with or without BOM), UTF-16 or GB18030 as Excel/WPS save it."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    if raw.startswith(b"PK\x03\x04"):
        raise UsageError(Issue("import_csv_is_xlsx", shown))
    text = _decode_table_bytes(raw)
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
    rows: list[list[object]] = [
        [unguard_formula(value) for value in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)
    ]
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
    """A workbook's sheet (the first unless named) as a grid, each merged range filled with its value."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    shown = display_path(path)
    try:
        book = load_workbook(path, data_only=True)
    except OSError as error:
        raise UsageError(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    except (BadZipFile, InvalidFileException, KeyError, ValueError):
        raise UsageError(Issue("import_not_xlsx", shown)) from None
    if sheet is None:
        worksheet = book.worksheets[0]
    elif sheet in book.sheetnames:
        worksheet = book[sheet]
    else:
        raise UsageError(Issue("import_no_sheet", shown, args={"sheet": sheet, "sheets": "、".join(book.sheetnames)}))
    rows = [[ooxml_unescape(value) for value in row] for row in worksheet.iter_rows(values_only=True)]
    merged_into: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in worksheet.merged_cells.ranges:
        value = ooxml_unescape(worksheet.cell(row=merged.min_row, column=merged.min_col).value)
        first = (merged.min_row - 1, merged.min_col - 1)
        for row in range(merged.min_row - 1, merged.max_row):
            for column in range(merged.min_col - 1, merged.max_col):
                if row < len(rows) and column < len(rows[row]):
                    rows[row][column] = value
                    merged_into[(row, column)] = first
    return Grid(worksheet.title, rows, merged_into)
