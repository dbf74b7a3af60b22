"""Returned forms (填报表) in: each filled row read and checked, every problem pointed at by its cell.

A form comes back as it was sent, or as Excel, WPS or LibreOffice saved it:
renamed, with styles, formulas, extra sheets, columns moved or hidden. So the
reader finds what it needs by what it is, never by position: the marker by its
sheet (or, failing that, the document properties), the main sheet and its
columns by their headings, the rows by their 序号. Formulas are read by the value
the spreadsheet last computed; a formula without one is a problem, not a blank.

Each filled row becomes a ``FormRow``; every cell that cannot be taken is an
``Issue`` located ``file!C12`` (``file!Sheet!C12`` on any sheet but the form's
main one). A row left blank is counted, never reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..domain.issues import Issue, UsageError
from ..domain.progress import DONE, STATUSES, status_word
from ..domain.query import directory, unit_tasks
from ..domain.register import REF_UNIT, Register, normalise_name
from ..domain.reporting import ReportingPeriod, form_schedule
from ..formats.register_files import display_path
from ..formats.tables import Grid, cell_text, read_xlsx_grids
from ..formats.yaml_reader import control_characters
from .form_layout import (
    FILL_FIELDS,
    FORM_VERSION,
    MARKER_SHEET,
    MARKER_TITLE,
    PROPERTY_PREFIX,
    FormMarker,
    form_word,
    register_fingerprint,
)

#: How far down a sheet the header row is looked for.
HEADER_SEARCH_ROWS = 20
#: Columns a form cannot be read without.
REQUIRED_FIELDS = ("id", "status")
#: Text columns and the report field each becomes.
TEXT_FIELDS = ("progress", "problems", "next_steps", "evidence")

_DAY = re.compile(r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True, slots=True)
class FormRow:
    """One filled row of a form, checked: what the unit reports on one task."""

    task: int
    status: str
    done_on: date | None  # 完成日期, given for 已完成 only
    progress: str | None  # 进展情况
    problems: str | None  # 存在问题
    next_steps: str | None  # 下步计划
    evidence: str | None  # 佐证材料
    where: str  # the 序号 cell, for messages

    def cells(self) -> dict[str, str]:
        """The row as the text it says, for the form's content hash and to compare with an earlier form."""
        return {
            "task": str(self.task),
            "status": self.status,
            "done_on": self.done_on.isoformat() if self.done_on else "",
            "progress": self.progress or "",
            "problems": self.problems or "",
            "next_steps": self.next_steps or "",
            "evidence": self.evidence or "",
        }


@dataclass
class FormReading:
    """What one returned form says, or why it cannot be taken."""

    path: Path
    shown: str
    marker: FormMarker | None = None
    unit: str | None = None  # canonical
    period: ReportingPeriod | None = None
    rows: list[FormRow] = field(default_factory=list)
    blank: int = 0  # the form's task rows left blank
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def read_form(path: Path, register: Register, as_of: date) -> FormReading:
    """Read and check one returned form against ``register``; ``as_of`` is the day of the import."""
    reading = FormReading(path, display_path(path))
    try:
        grids = read_xlsx_grids(path)
    except UsageError as error:
        reading.issues.extend(_as_form_issue(issue) for issue in error.issues)
        return reading
    marker = _marker(grids) or _property_marker(path)
    if marker is None:
        reading.issues.append(Issue("form_no_marker", reading.shown))
        return reading
    reading.marker = marker
    if not _belongs(reading, marker, register, as_of):
        return reading
    main = _main_sheet(grids, register)
    if main is None:
        reading.issues.append(Issue("form_no_header", reading.shown, args={"words": _header_hint(register)}))
        return reading
    grid, header_row, columns = main
    missing = [name for name in REQUIRED_FIELDS if name not in columns]
    if missing:
        for name in missing:
            where = _where(reading, grid, header_row, 0, grid)
            reading.issues.append(Issue("form_missing_column", where, args={"label": _field_word(register, name)}))
        return reading
    formulas = _formulas_without_values(path, grid, header_row, columns)
    _read_rows(reading, register, grid, header_row, columns, formulas, as_of)
    return reading


def _as_form_issue(issue: Issue) -> Issue:
    """A workbook problem as a form's: the CSV hint of ``import_not_xlsx`` does not apply to a form."""
    if issue.code == "import_not_xlsx":
        return Issue("form_not_xlsx", issue.path, issue.line, issue.column, issue.args)
    return issue


# --- which register, unit and period ----------------------------------------------------------------


def _marker(grids: list[Grid]) -> FormMarker | None:
    for grid in grids:
        first = cell_text(grid.rows[0][0]) if grid.rows and grid.rows[0] else ""
        if grid.sheet != MARKER_SHEET and first != MARKER_TITLE:
            continue
        pairs = {cell_text(row[0]): cell_text(row[1]) for row in grid.rows[1:] if len(row) > 1 and cell_text(row[0])}
        found = FormMarker.from_pairs(pairs)
        if found is not None:
            return found
    return None


def _property_marker(path: Path) -> FormMarker | None:
    """The marker from the custom document properties, for a form whose hidden sheet a program dropped.

    The workbook's XML parts were all checked by ``read_xlsx_grids`` (no DOCTYPE,
    well-formed, bounded) before this reads one of them.
    """
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            if "docProps/custom.xml" not in archive.namelist():
                return None
            root = ElementTree.fromstring(archive.read("docProps/custom.xml"))
    except (OSError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError):
        return None
    pairs: dict[str, str] = {}
    for item in root:
        name = item.get("name", "")
        if name.startswith(PROPERTY_PREFIX) and len(item):
            pairs[name[len(PROPERTY_PREFIX) :]] = (item[0].text or "").strip()
    return FormMarker.from_pairs(pairs)


def _belongs(reading: FormReading, marker: FormMarker, register: Register, as_of: date) -> bool:
    """Whether the form is one of this register's, for a unit it knows and a period that has begun."""
    shown = reading.shown
    if marker.version != FORM_VERSION:
        reading.issues.append(Issue("form_version", shown, args={"version": marker.version}))
        return False
    if marker.register != register_fingerprint(register):
        reading.issues.append(
            Issue(
                "form_other_register", shown, args={"title": marker.title or "?", "expected": register.document.title}
            )
        )
        return False
    ref = directory(register).resolve_loosely(marker.unit)
    group = register.group(ref.name) if ref is not None else None
    if ref is None or (ref.kind != REF_UNIT and (group is None or not group.is_unlisted)):
        reading.issues.append(Issue("form_unknown_unit", shown, args={"name": marker.unit}))
        return False
    reading.unit = ref.name
    schedule = form_schedule(register)
    period = schedule.period(marker.period)
    if period is None:
        reading.issues.append(
            Issue("form_unknown_period", shown, args={"period": marker.period, "wording": schedule.wording})
        )
        return False
    if period.start > as_of:
        reading.issues.append(
            Issue("form_period_not_begun", shown, args={"period": marker.period, "start": period.start.isoformat()})
        )
        return False
    reading.period = period
    return True


# --- the main sheet and its columns -----------------------------------------------------------------


def _headings(register: Register) -> dict[str, str]:
    """Each field the reader needs, by the heading the form writes for it (spaces and widths folded)."""
    id_word = register.plan.words().get("id", form_word("id"))
    found = {normalise_name(id_word): "id", normalise_name(form_word("id")): "id"}
    for name in FILL_FIELDS:
        found[normalise_name(form_word(name))] = name
    return found


def _field_word(register: Register, name: str) -> str:
    return register.plan.words().get("id", form_word("id")) if name == "id" else form_word(name)


def _header_hint(register: Register) -> str:
    return "、".join(_field_word(register, name) for name in ("id", *FILL_FIELDS))


def _main_sheet(grids: list[Grid], register: Register) -> tuple[Grid, int, dict[str, int]] | None:
    """The first sheet with the form's header row: the grid, the row, and each field's column."""
    headings = _headings(register)
    for grid in grids:
        if grid.sheet == MARKER_SHEET:
            continue
        for row_index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
            columns: dict[str, int] = {}
            for column, value in enumerate(row):
                name = headings.get(normalise_name(cell_text(value)))
                if name is not None and name not in columns:
                    columns[name] = column
            if "id" in columns and "status" in columns:
                return grid, row_index, columns
    return None


def _where(reading: FormReading, grid: Grid, row: int, column: int, main: Grid) -> str:
    """``file!C12`` on the form's main sheet, ``file!Sheet!C12`` elsewhere."""
    cell = grid.where(row, column)[len(grid.sheet) + 1 :]
    return f"{reading.shown}!{cell}" if grid is main else f"{reading.shown}!{grid.sheet}!{cell}"


def _formulas_without_values(path: Path, grid: Grid, header_row: int, columns: dict[str, int]) -> set[tuple[int, int]]:
    """The cells of the fill-in columns that hold a formula the spreadsheet never computed.

    Why: a formula written by a program (not by Excel, WPS or LibreOffice, which save
    the value they show) reads back empty, and a row would silently look blank.
    """
    import zlib
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    wanted = {column for name, column in columns.items() if name != "id"}
    width = max(wanted) + 1
    found: set[tuple[int, int]] = set()
    try:
        # The workbook was measured and read once already (read_xlsx_grids): it opens, and its size is bounded.
        book = load_workbook(path, read_only=True, data_only=False)
    except (OSError, BadZipFile, KeyError, ValueError, TypeError, ParseError, EOFError, zlib.error):
        return found
    try:
        rows = book[grid.sheet].iter_rows(
            min_row=header_row + 2, max_row=len(grid.rows), max_col=width, values_only=True
        )
        for row_index, values in enumerate(rows, header_row + 1):
            for column in wanted:
                value = values[column] if column < len(values) else None
                if isinstance(value, str) and value.startswith("=") and grid.rows[row_index][column] is None:
                    found.add((row_index, column))
    except (KeyError, ValueError, TypeError, ParseError, BadZipFile, EOFError, zlib.error):
        return found
    finally:
        book.close()
    return found


# --- the rows ---------------------------------------------------------------------------------------


def _read_rows(
    reading: FormReading,
    register: Register,
    grid: Grid,
    header_row: int,
    columns: dict[str, int],
    formulas: set[tuple[int, int]],
    as_of: date,
) -> None:
    rows = _RowReader(reading, register, grid, columns, formulas, as_of)
    for row_index in range(header_row + 1, len(grid.rows)):
        rows.read(row_index)


class _RowReader:
    """Reads a form's rows one by one, adding each filled row or the problems of its cells to ``reading``."""

    def __init__(
        self,
        reading: FormReading,
        register: Register,
        grid: Grid,
        columns: dict[str, int],
        formulas: set[tuple[int, int]],
        as_of: date,
    ):
        assert reading.unit is not None  # checked by _belongs before the rows are read
        self.reading = reading
        self.register = register
        self.grid = grid
        self.columns = columns
        self.formulas = formulas
        self.as_of = as_of
        self.unit = reading.unit
        self.own = {row.task.id for row in unit_tasks(register, reading.unit, include_open=True)}
        self.fill = [name for name in FILL_FIELDS if name in columns]
        self.seen: dict[int, str] = {}

    def at(self, row: int, name: str) -> str:
        return _where(self.reading, self.grid, row, self.columns[name], self.grid)

    def problem(self, code: str, row: int, name: str, **args: object) -> None:
        self.reading.issues.append(Issue(code, self.at(row, name), args=args))

    def value(self, row: int, name: str) -> object:
        values = self.grid.rows[row]
        column = self.columns[name]
        return values[column] if column < len(values) else None

    def read(self, row: int) -> None:
        id_text = cell_text(self.value(row, "id"))
        texts = {name: cell_text(self.value(row, name)) for name in self.fill}
        uncomputed = [name for name in self.fill if (row, self.columns[name]) in self.formulas]
        for name in uncomputed:
            self.problem("form_formula_no_value", row, name, label=form_word(name))
        filled = [name for name in self.fill if texts[name] and not self._spans_from_id(row, name)]
        if not id_text:
            if filled:
                self.problem("form_row_without_id", row, filled[0], label=_field_word(self.register, "id"))
            return
        task_id = _task_number(self.value(row, "id"))
        if task_id is None:
            if filled:  # a block heading (一、牵头的任务) spans its row; anything else in 序号 is a mistake
                self.problem("form_bad_id", row, "id", value=id_text)
            return
        if not filled:
            if not uncomputed:
                self.reading.blank += 1
            return
        if self.register.task(task_id) is None:
            ids = [task.id for task in self.register.tasks]
            self.problem("form_unknown_task", row, "id", id=task_id, first=ids[0], last=ids[-1])
            return
        if task_id not in self.own:
            self.problem("form_task_not_unit", row, "id", id=task_id, unit=self.unit)
            return
        if task_id in self.seen:
            self.problem("form_duplicate_task", row, "id", id=task_id, first=self.seen[task_id])
            return
        self.seen[task_id] = self.at(row, "id")
        taken = self._checked(row, task_id, texts)
        if taken is not None:
            self.reading.rows.append(taken)

    def _spans_from_id(self, row: int, name: str) -> bool:
        """Whether the cell is part of a range merged from the row's 序号 cell (a block heading)."""
        return self.grid.merged_into.get((row, self.columns[name])) == (row, self.columns["id"])

    def _checked(self, row: int, task_id: int, texts: dict[str, str]) -> FormRow | None:
        before = len(self.reading.issues)
        status = None
        if texts.get("status"):
            status = status_word(texts["status"])
            if status is None:
                self.problem("form_bad_status", row, "status", value=texts["status"], statuses="、".join(STATUSES))
        else:
            self.problem("form_no_status", row, "status", label=form_word("status"))

        done_on = None
        if texts.get("done_on"):
            done_on = _day(self.value(row, "done_on"))
            if done_on is None:
                self.problem("form_bad_date", row, "done_on", value=texts["done_on"])
            elif done_on > self.as_of:
                self.problem("form_future_date", row, "done_on", day=done_on.isoformat(), today=self.as_of.isoformat())
            elif status is not None and status != DONE:
                self.problem("form_date_not_done", row, "done_on", status=status)
        elif status == DONE:
            self.problem("form_done_needs_date", row, "done_on" if "done_on" in self.columns else "status")

        for name in TEXT_FIELDS:
            found = control_characters(texts.get(name, ""))
            if found:
                self.problem("form_control_character", row, name, label=form_word(name), characters=" ".join(found))
        if len(self.reading.issues) > before or status is None:
            return None
        return FormRow(
            task=task_id,
            status=status,
            done_on=done_on,
            progress=texts.get("progress") or None,
            problems=texts.get("problems") or None,
            next_steps=texts.get("next_steps") or None,
            evidence=texts.get("evidence") or None,
            where=self.at(row, "id"),
        )


def _task_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    text = unicodedata.normalize("NFKC", cell_text(value))
    return int(text) if text.isascii() and text.isdigit() and not text.startswith("0") and len(text) < 16 else None


def _day(value: object) -> date | None:
    """A 完成日期 cell as a day: a date cell, or text such as 2023-07-15, 2023/7/15, 2023.7.15, 2023年7月15日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None  # a bare number: a serial day the cell does not show as a date
    match = _DAY.match(unicodedata.normalize("NFKC", value).strip())
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
