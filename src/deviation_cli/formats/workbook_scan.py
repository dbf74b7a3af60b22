"""A workbook from a stranger, measured before openpyxl reads it: size, shape, and XML that is only XML.

Why: openpyxl trusts a workbook's own account of itself. A 10 KB file with one
cell at XFD1048576 makes it walk 17 billion cells; a merge ``H1:XFD1048576``
makes it build a MergedCell for each; 90 million empty shared strings in a
3.7 MB file are 90 million list items; and broken XML (an undefined entity, a
DOCTYPE, a raw control character) ends in an uncaught ``ParseError``. Each of
these ran past a minute and gigabytes, or printed a traceback.

``scan_workbook`` streams every XML part once with expat, counting as it
goes and stopping at the first limit passed, so the scan itself is bounded:

- no part may declare a DOCTYPE (OOXML never does; entities are what XML bombs
  and XXE are made of), and every part must be well-formed;
- no part may unpack to more than the file size limit (``DEVIATION_MAX_BYTES``);
- at most ``MAX_SHARED_STRINGS`` shared strings;
- each sheet's used range (rows × columns up to its last cell) at most ``MAX_CELLS``.

What it returns (each sheet's used range and merged ranges) lets the reader
open the workbook in read-only mode, where openpyxl streams rows and never
materialises merged cells.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ..domain.issues import Issue, UsageError
from .register_files import display_path, size_limit

#: Largest used range of a sheet, rows × columns: a 任务分解表 of 100,000 tasks has 700,000.
MAX_CELLS = 2_000_000
#: Most shared strings (distinct texts) a workbook may hold.
MAX_SHARED_STRINGS = 2_000_000

_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class SheetShape:
    """A sheet's used range (1-based, inclusive) and merged ranges, as its XML states them."""

    name: str
    part: str
    rows: int = 0
    columns: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_row, min_col, max_row, max_col


@dataclass
class WorkbookShape:
    sheets: list[SheetShape]

    def sheet(self, name: str | None) -> SheetShape | None:
        if name is None:
            return self.sheets[0] if self.sheets else None
        return next((sheet for sheet in self.sheets if sheet.name == name), None)


class _Refused(Exception):
    def __init__(self, issue: Issue):
        self.issue = issue


def column_letter(number: int) -> str:
    """A spreadsheet's name for a column: 1 -> A, 27 -> AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def parse_cell(ref: str) -> tuple[int, int] | None:
    """``C12`` as (row 12, column 3); None for what is not a cell reference."""
    match = _CELL_REF.match(ref)
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def scan_workbook(path: Path) -> WorkbookShape:
    """Check a workbook's every XML part and measure its sheets; a UsageError names what is wrong."""
    shown = display_path(path)
    try:
        archive = zipfile.ZipFile(path)
    except OSError as error:
        raise UsageError(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise UsageError(Issue("import_not_xlsx", shown)) from None  # RuntimeError: encrypted; NotImplemented: version
    with archive:
        try:
            return _scan(archive, shown)
        except _Refused as refused:
            raise UsageError(refused.issue) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, RuntimeError):
            # a damaged member, an unsupported compression, an encrypted part
            raise UsageError(Issue("import_not_xlsx", shown)) from None
        except OSError as error:
            raise UsageError(Issue("unreadable_file", shown, args={"reason": error.strerror or str(error)})) from None


def _scan(archive: zipfile.ZipFile, shown: str) -> WorkbookShape:
    limit = size_limit()
    members = {info.filename: info for info in archive.infolist()}
    for info in members.values():
        if info.file_size > limit:
            raise _Refused(
                Issue(
                    "import_xlsx_part_too_large",
                    f"{shown}!{info.filename}",
                    args={"size": info.file_size, "limit": limit},
                )
            )
    if "xl/workbook.xml" not in members:
        raise _Refused(Issue("import_not_xlsx", shown))
    # Every XML part is checked, the ones openpyxl reads and the ones it does not.
    xml_parts = [name for name in members if name.endswith((".xml", ".rels", ".vml"))]
    sheets = _sheets(archive, shown)
    by_part = {sheet.part: sheet for sheet in sheets}
    for name in xml_parts:
        if name in by_part:
            _parse(archive, name, shown, _SheetCounter(by_part[name], shown))
        elif name == "xl/sharedStrings.xml":
            _parse(archive, name, shown, _StringCounter(shown))
        else:
            _parse(archive, name, shown, None)
    return WorkbookShape(sheets)


def _sheets(archive: zipfile.ZipFile, shown: str) -> list[SheetShape]:
    """The sheets in workbook order, each with the part that holds it (workbook.xml and its rels)."""
    names: list[tuple[str, str]] = []  # (sheet name, relationship id)
    targets: dict[str, str] = {}

    def workbook_start(tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} sheet":
            names.append((attributes.get("name", ""), attributes.get(f"{_RELS} id", "")))

    def rels_start(tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_PACKAGE_RELS} Relationship":
            targets[attributes.get("Id", "")] = attributes.get("Target", "")

    _parse(archive, "xl/workbook.xml", shown, workbook_start)
    if "xl/_rels/workbook.xml.rels" in archive.namelist():
        _parse(archive, "xl/_rels/workbook.xml.rels", shown, rels_start)
    sheets = []
    for name, relation in names:
        target = targets.get(relation, "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        sheets.append(SheetShape(name, part))
    return sheets


class _SheetCounter:
    """Follows a sheet's cells and merges, refusing a used range over ``MAX_CELLS`` as soon as it shows."""

    def __init__(self, sheet: SheetShape, shown: str):
        self.sheet = sheet
        self.shown = shown
        self.cells = 0

    def __call__(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} c":
            self.cells += 1
            where = parse_cell(attributes.get("r", ""))
            if where is not None:
                self._reach(*where, attributes.get("r", ""))
            elif self.cells > MAX_CELLS:
                self._refuse(attributes.get("r", "") or "?")
        elif tag == f"{_MAIN} row":
            number = attributes.get("r", "")
            if number.isdigit() and int(number) > self.sheet.rows:
                self.sheet.rows = int(number)
                self._check(number)
        elif tag == f"{_MAIN} mergeCell":
            first, _, last = attributes.get("ref", "").partition(":")
            start, end = parse_cell(first), parse_cell(last or first)
            if start is not None and end is not None:
                self.sheet.merged.append((start[0], start[1], end[0], end[1]))
                if len(self.sheet.merged) > MAX_CELLS:
                    self._refuse(attributes.get("ref", ""))

    def _reach(self, row: int, column: int, ref: str) -> None:
        if row > self.sheet.rows or column > self.sheet.columns:
            self.sheet.rows = max(self.sheet.rows, row)
            self.sheet.columns = max(self.sheet.columns, column)
            self._check(ref)

    def _check(self, ref: str) -> None:
        if self.sheet.rows * max(1, self.sheet.columns) > MAX_CELLS:
            self._refuse(f"{column_letter(max(1, self.sheet.columns))}{self.sheet.rows}")

    def _refuse(self, ref: str) -> None:
        raise _Refused(
            Issue(
                "import_sheet_too_large",
                f"{self.shown}!{self.sheet.name}",
                args={"cell": ref, "limit": MAX_CELLS},
            )
        )


class _StringCounter:
    def __init__(self, shown: str):
        self.shown = shown
        self.count = 0

    def __call__(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == f"{_MAIN} si":
            self.count += 1
            if self.count > MAX_SHARED_STRINGS:
                raise _Refused(
                    Issue(
                        "import_too_many_strings",
                        f"{self.shown}!xl/sharedStrings.xml",
                        args={"limit": MAX_SHARED_STRINGS},
                    )
                )


def _parse(archive: zipfile.ZipFile, name: str, shown: str, on_start: object) -> None:
    """Stream one XML part through expat: no DOCTYPE, well-formed, ``on_start`` called for each element."""
    parser = expat.ParserCreate(namespace_separator=" ")
    where = f"{shown}!{name}"

    def doctype(*_: object) -> None:
        raise _Refused(Issue("import_xml_doctype", where, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    if callable(on_start):
        parser.StartElementHandler = on_start
    try:
        with archive.open(name) as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise _Refused(
            Issue(
                "import_xml_broken",
                where,
                error.lineno,
                error.offset + 1,
                args={"problem": expat.ErrorString(error.code)},
            )
        ) from None
