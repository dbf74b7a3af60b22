"""The 任务分解表 as staff exchange it: rows out of a register, and a table back into one.

Out: ``table_rows`` lays the register out as the source annex does (序号 / 管控 /
改进措施 / 具体任务 / 牵头部门 / 责任单位 / 完成时限), with the runs of rows that
share a dimension or measure, so a spreadsheet can merge them.

In: ``read_table`` takes a grid of cells (from a workbook or a CSV file), finds
the header by its labels, fills merged or blank 管控/改进措施 cells down, and
maps every cell onto the current register: units by their names, dimensions by
their table wording, measures by their titles. Every cell that does not map is
an ``Issue`` located as ``Sheet!C12``. ``import_table`` then writes a register
folder (tasks.yaml + units.yaml) only when nothing is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .errors import ERROR, WARNING, Issue, RegisterInvalid, UsageError
from .register import REF_OPEN_TAIL, REF_UNIT, Register, Task, normalise_name
from .units import UnitDirectory, join_unit_list, split_unit_list

#: The columns of the annex, in the source's order.
COLUMNS = ("id", "dimension", "measure", "task", "lead", "responsible", "deadline")
HEADER = ("序号", "管控", "改进措施", "具体任务", "牵头部门", "责任单位", "完成时限")

#: Header wordings accepted on import (after removing spaces and folding widths),
#: including the English labels of ``export csv --lang en``.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "序", "编号", "id"),
    "dimension": ("管控", "管控方面", "方面", "dimension"),
    "measure": ("改进措施", "措施", "measure"),
    "task": ("具体任务", "任务", "工作任务", "task"),
    "lead": ("牵头部门", "牵头单位", "lead"),
    "responsible": ("责任单位", "责任部门", "responsible"),
    "deadline": ("完成时限", "完成", "时限", "完成时间", "完成期限", "deadline"),
}
REQUIRED_COLUMNS = ("id", "measure", "task", "lead", "responsible", "deadline")
HEADER_SEARCH_ROWS = 20


# --- out: the register as the annex lays it out ------------------------------------------------


def table_title(register: Register) -> str:
    return register.document.annex_title or register.document.title


def table_cells(register: Register, task: Task, units: UnitDirectory) -> tuple[Any, ...]:
    """One task as the seven cells of the annex; 责任单位 written the source's way."""
    return (
        task.id,
        register.dimension_of(task).table_name,
        register.measure_of(task).title,
        task.text,
        task.lead,
        join_unit_list(task.responsible, units),
        task.deadline,
    )


def runs(keys: list[Any]) -> list[tuple[int, int]]:
    """Index ranges (first, last) of two or more consecutive equal keys: the cells to merge.

    Why merge every run of equal dimensions, even where the source restates one
    (rows 9 and 19 of the Hanzhong annex repeat 投资结构/项目效益偏离度方面 after a
    page break): the restatement carries no meaning, and one merged cell per
    dimension is what the table says. Import reads both layouts the same way.
    """
    spans = []
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if index - start > 1:
                spans.append((start, index - 1))
            start = index
    return spans


def register_records(register: Register) -> list[dict[str, Any]]:
    """Every task as the JSON contract's record (DESIGN.md), for ``export json`` and ``export csv``."""
    from .records import task_record

    return [task_record(register, task) for task in register.tasks]


# --- in: a grid of cells ------------------------------------------------------------------------


@dataclass
class Grid:
    """A sheet's cells as values; merged cells already hold their range's value."""

    sheet: str
    rows: list[list[Any]]
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


def cell_text(value: Any) -> str:
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


@dataclass
class ImportedTask:
    """One row of the table, mapped onto the register's spellings."""

    id: int
    measure: int
    text: str
    lead: str
    responsible: list[str]
    deadline: str
    where: str  # the 序号 cell, for messages

    def as_yaml(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "measure": str(self.measure),
            "text": self.text,
            "lead": self.lead,
            "responsible": list(self.responsible),
            "deadline": self.deadline,
        }


@dataclass
class TableReading:
    """What ``read_table`` made of a grid: the tasks, the title row, and every problem."""

    tasks: list[ImportedTask] = field(default_factory=list)
    title: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == ERROR]


def read_table(grid: Grid, register: Register) -> TableReading:
    """Map a 任务分解表 grid onto ``register``: tasks in the register's spellings, or located issues."""
    reading = TableReading()
    header_row, columns = _find_header(grid)
    if header_row is None:
        reading.issues.append(Issue("import_no_header", grid.sheet, args={"labels": " / ".join(HEADER)}))
        return reading
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        for name in missing:
            reading.issues.append(Issue("import_missing_column", grid.where(header_row, 0),
                                        args={"label": HEADER[COLUMNS.index(name)]}))
        return reading
    reading.title, title_at = _title_above(grid, header_row)
    _check_title(reading, title_at, register)

    mapper = _CellMapper(grid, register, reading.issues)
    seen_ids: dict[int, str] = {}
    dimension: tuple[str, str] | None = None  # (key, where)
    measure_text: tuple[str, int] | None = None  # (text, row) of the cell filled down
    for row_index in range(header_row + 1, len(grid.rows)):
        row = grid.rows[row_index]
        cells = {name: cell_text(row[col]) if col < len(row) else "" for name, col in columns.items()}
        if not any(cells.values()):
            continue
        at = {name: grid.where(row_index, col) for name, col in columns.items()}
        task_id = mapper.task_id(cells["id"], at["id"], seen_ids)

        if "dimension" in columns and cells["dimension"]:
            dimension = mapper.dimension(cells["dimension"], at["dimension"])
        elif "dimension" in columns and dimension is None:
            reading.issues.append(Issue("import_empty_cell", at["dimension"], args={"label": HEADER[1]}))
        if cells["measure"]:
            measure_text = (cells["measure"], row_index)
        measure = None
        if measure_text is None:
            reading.issues.append(Issue("import_empty_cell", at["measure"], args={"label": HEADER[2]}))
        else:
            measure_at = grid.where(measure_text[1], columns["measure"])
            measure = mapper.measure(measure_text[0], measure_at, dimension)

        text = cells["task"]
        if not text:
            reading.issues.append(Issue("import_empty_cell", at["task"], args={"label": HEADER[3]}))
        lead = mapper.lead(cells["lead"], at["lead"])
        responsible = mapper.responsible(cells["responsible"], at["responsible"])
        deadline = mapper.deadline(cells["deadline"], at["deadline"])
        if None not in (task_id, measure, lead, responsible, deadline) and text:
            reading.tasks.append(ImportedTask(task_id, measure, text, lead, responsible, deadline, at["id"]))
    if not reading.tasks and not reading.errors:
        reading.issues.append(Issue("import_no_tasks", grid.sheet))
    # A merged cell is read once per row it covers; say what is wrong with it once.
    unique: list[Issue] = []
    for issue in reading.issues:
        if issue not in unique:
            unique.append(issue)
    reading.issues = unique
    return reading


def _find_header(grid: Grid) -> tuple[int | None, dict[str, int]]:
    words = {normalise_name(word).lower(): name for name, options in HEADER_WORDS.items() for word in options}
    for row_index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            name = words.get(normalise_name(cell_text(value)).lower())
            if name is not None and name not in columns:
                columns[name] = col
        if {"task", "lead"} <= set(columns) and len(columns) >= 4:
            return row_index, columns
    return None, {}


def _title_above(grid: Grid, header_row: int) -> tuple[str | None, str]:
    for row_index, row in enumerate(grid.rows[:header_row]):
        for col, value in enumerate(row):
            text = cell_text(value)
            if text:
                return text, grid.where(row_index, col)
    return None, grid.sheet


def _check_title(reading: TableReading, where: str, register: Register) -> None:
    if reading.title is None:
        return
    known = {normalise_name(register.document.title)}
    if register.document.annex_title:
        known.add(normalise_name(register.document.annex_title))
    if normalise_name(reading.title) not in known:
        reading.issues.append(Issue(
            "import_title_differs", where,
            args={"title": reading.title, "expected": table_title(register)}, severity=WARNING,
        ))


_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、.)]|^\((?:\d+|[一二三四五六七八九十]+)\)")


class _CellMapper:
    """Turns one kind of cell into register values, adding an issue for each cell it cannot map."""

    def __init__(self, grid: Grid, register: Register, issues: list[Issue]):
        from .query import directory

        self.register = register
        self.issues = issues
        self.units = directory(register)
        self.dimensions: dict[str, str] = {}
        for dim in register.dimensions:
            for wording in (dim.key, dim.name, dim.table_name):
                self.dimensions.setdefault(normalise_name(wording).lower(), dim.key)
        self.measures: dict[str, list[int]] = {}
        for measure in register.measures:
            for wording in {measure.title, measure.body_title}:
                self.measures.setdefault(normalise_name(wording), []).append(measure.number)

    def problem(self, code: str, where: str, **args: Any) -> None:
        self.issues.append(Issue(code, where, args=args))

    def task_id(self, text: str, where: str, seen: dict[int, str]) -> int | None:
        clean = normalise_name(text).rstrip(".")
        if not clean:
            self.problem("import_empty_cell", where, label=HEADER[0])
            return None
        if not clean.isascii() or not clean.isdigit() or int(clean) < 1:
            self.problem("import_bad_id", where, value=text)
            return None
        number = int(clean)
        if number in seen:
            self.problem("import_duplicate_id", where, id=number, first=seen[number])
            return None
        seen[number] = where
        return number

    def dimension(self, text: str, where: str) -> tuple[str, str] | None:
        key = self.dimensions.get(normalise_name(text).lower())
        if key is None:
            import difflib

            names = [dim.table_name for dim in self.register.dimensions]
            self.problem("import_unknown_dimension", where, name=text,
                         suggestions=difflib.get_close_matches(text, names, n=3, cutoff=0.4))
            return None
        return key, where

    def measure(self, text: str, where: str, dimension: tuple[str, str] | None) -> int | None:
        clean = normalise_name(text)
        numbers = self.measures.get(clean) or self.measures.get(_NUMBERING.sub("", clean), [])
        if dimension is not None and len(numbers) > 1:
            numbers = [n for n in numbers if self.register.measure(n).dimension == dimension[0]] or numbers
        if not numbers:
            import difflib

            titles = [m.title for m in self.register.measures]
            self.problem("import_unknown_measure", where, name=text,
                         suggestions=difflib.get_close_matches(text, titles, n=3, cutoff=0.4))
            return None
        measure = self.register.measure(numbers[0])
        if dimension is not None and measure.dimension != dimension[0]:
            self.problem("import_measure_dimension", where, name=text,
                         dimension=self.register.dimension(dimension[0]).table_name,
                         expected=self.register.dimension(measure.dimension).table_name)
            return None
        return measure.number

    def lead(self, text: str, where: str) -> str | None:
        if not text:
            self.problem("import_empty_cell", where, label=HEADER[4])
            return None
        spelling = self.units.known_spelling(text)
        if spelling is None:
            parts = self._parts(text)
            if len(parts) > 1 and all(self.units.known_spelling(part) for part in parts):
                self.problem("several_units_in_one", where, name=text, parts=", ".join(parts))
            else:
                self.problem("unknown_unit", where, name=text, suggestions=self.units.suggestions(text))
            return None
        if self.units.resolve(spelling).kind != REF_UNIT:
            self.problem("lead_is_group", where, name=text)
            return None
        return spelling

    def _parts(self, text: str) -> list[str]:
        parts = split_unit_list(text, self.units)
        return parts if len(parts) > 1 else text.split()

    def responsible(self, text: str, where: str) -> list[str] | None:
        entries: list[str] = []
        ok = True
        for written in split_unit_list(text, self.units):
            spelling = self.units.known_spelling(written)
            if spelling is not None:
                entries.append(spelling)
                continue
            # Staff sometimes separate names by spaces alone: 市发改委 市工信局.
            pieces = [self.units.known_spelling(piece) for piece in written.split()]
            if len(pieces) > 1 and all(pieces):
                entries.extend(pieces)
                continue
            self.problem("unknown_unit", where, name=written, suggestions=self.units.suggestions(written))
            ok = False
        seen: set[str] = set()
        for entry in entries:
            ref = self.units.resolve(entry)
            if ref.kind == REF_OPEN_TAIL and not self.units.groups[ref.name].is_open:
                self.problem("open_tail_not_open", where, name=ref.name)
                ok = False
            key = f"{ref.kind}:{ref.name}"
            if key in seen:
                self.problem("responsible_repeated", where, name=entry)
                ok = False
            seen.add(key)
        return entries if ok else None

    def deadline(self, text: str, where: str) -> str | None:
        from .deadline import DeadlineError, parse_deadline

        if not text:
            self.problem("deadline_empty", where)
            return None
        try:
            parse_deadline(text)
        except DeadlineError as error:
            self.problem(error.code, where, wording=text, **error.args_)
            return None
        return text


# --- in: writing the register folder ------------------------------------------------------------


@dataclass
class ImportResult:
    folder: Path
    tasks: int
    warnings: list[Issue]


def import_table(grid: Grid, register: Register, out: Path, *, force: bool = False, source: str = "") -> ImportResult:
    """Write ``out/tasks.yaml`` and ``out/units.yaml`` from a table, or raise with every problem.

    Document metadata, dimensions and measures come from ``register`` (the table
    names them; it does not hold their full text); units.yaml is copied as it
    stands, comments and all, since every unit was resolved against it.
    Nothing is written when any cell fails, and an existing register is
    replaced only with ``force``.
    """
    from .fileio import write_atomic
    from .load import TASKS_FILE, UNITS_FILE, display_path

    reading = read_table(grid, register)
    if reading.errors:
        raise RegisterInvalid(reading.issues)
    _check_target(out, force)
    folder = Path(register.folder)
    tasks_text = tasks_yaml(register, reading.tasks, source)
    units_text = _read(folder / UNITS_FILE)
    _check_written(tasks_text, units_text)
    if not out.exists():
        if not out.parent.is_dir():
            raise UsageError(Issue("output_folder_missing", display_path(out), args={"folder": display_path(out.parent)}))
        out.mkdir()
    write_atomic(out / UNITS_FILE, units_text)
    write_atomic(out / TASKS_FILE, tasks_text)
    return ImportResult(out, len(reading.tasks), [i for i in reading.issues if i.severity != ERROR])


def _check_target(out: Path, force: bool) -> None:
    from .load import TASKS_FILE, UNITS_FILE, display_path

    if out.exists() and not out.is_dir():
        raise UsageError(Issue("not_a_folder", args={"folder": display_path(out)}))
    existing = [name for name in (TASKS_FILE, UNITS_FILE) if (out / name).exists()]
    if existing and not force:
        raise UsageError(Issue("import_target_exists", display_path(out), args={"files": "、".join(existing)}))


def _read(path: Path) -> str:
    from .load import read_text

    return read_text(path)


def tasks_yaml(register: Register, tasks: list[ImportedTask], source: str = "") -> str:
    """tasks.yaml with the register's document, dimensions and measures, and the imported tasks.

    The first three are taken from the register's own file, value for value as
    written there (its scalars are strings), so nothing is reformatted.
    """
    from .load import TASKS_FILE
    from .yamlsource import parse_yaml
    from .yamlwrite import dump

    root, _ = parse_yaml(_read(Path(register.folder) / TASKS_FILE), TASKS_FILE)
    tree = {
        "document": root["document"],
        "dimensions": root["dimensions"],
        "measures": root["measures"],
        "tasks": [task.as_yaml() for task in sorted(tasks, key=lambda t: t.id)],
    }
    comments = [
        f"任务登记册:《{register.document.title}》",
        f"由 deviation import 从 {source} 导入;" if source else "由 deviation import 导入;",
        "文件信息、方面(dimensions)和改进措施(measures)取自导入时的登记册,任务(tasks)取自表格。",
    ]
    return dump(tree, comments)


def _check_written(tasks_text: str, units_text: str) -> None:
    """Validate what is about to be written, in a scratch folder: a wrong write is a bug, never a file."""
    import tempfile

    from .load import TASKS_FILE, UNITS_FILE, validate_folder

    with tempfile.TemporaryDirectory(prefix="deviation-import-") as scratch:
        Path(scratch, TASKS_FILE).write_text(tasks_text, encoding="utf-8")
        Path(scratch, UNITS_FILE).write_text(units_text, encoding="utf-8")
        report = validate_folder(scratch)
    if report.errors:
        raise RegisterInvalid([Issue(i.code, f"(imported) {TASKS_FILE}", i.line, i.column, i.args) for i in report.errors])


# --- in: CSV --------------------------------------------------------------------------------------


def read_csv_grid(path: Path, sheet: str | None = None) -> Grid:
    """A CSV file as a grid: UTF-8 (with or without BOM), UTF-16 or GB18030 as Excel/WPS save it."""
    import csv
    import io

    from .load import display_path

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
    rows = [[_unguard(value) for value in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    return Grid(sheet or path.name, rows)


def _unguard(value: str) -> str:
    """A cell without the ' that ``export csv`` puts before text a spreadsheet would run as a formula."""
    from .output import _FORMULA_STARTS

    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_STARTS):
        return value[1:]
    return value


def _decode_table_bytes(raw: bytes) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
