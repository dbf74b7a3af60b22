"""A 任务分解表 edited in a spreadsheet, read back into a register folder.

``read_table`` takes a grid of cells (from a workbook or a CSV file), finds
the header by its labels, fills merged or blank 管控/改进措施 cells down, and
maps every cell onto the current register: units by their names, dimensions by
their table wording, measures by their titles. Every cell that does not map is
an ``Issue`` located as ``Sheet!C12``. ``import_table`` then writes a register
folder (tasks.yaml + units.yaml) only when nothing is wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.annex import ANNEX_COLUMNS, annex_header, table_title
from ..domain.deadlines import DeadlineError, parse_deadline
from ..domain.issues import ERROR, WARNING, Issue, RegisterInvalid, UsageError
from ..domain.query import directory
from ..domain.register import REF_OPEN_TAIL, REF_UNIT, Register, normalise_name
from ..domain.units import split_unit_list
from ..formats.folder_transaction import FolderTransaction
from ..formats.register_files import TASKS_FILE, UNITS_FILE, display_path, read_text
from ..formats.tables import Grid, cell_text
from ..formats.yaml_reader import control_characters, parse_yaml
from ..formats.yaml_tree import YamlMap
from ..formats.yaml_writer import dump

COLUMNS = ANNEX_COLUMNS
HEADER = annex_header()

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


# --- in: a grid of cells ------------------------------------------------------------------------


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

    def as_yaml(self) -> dict[str, str | list[str]]:
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
            reading.issues.append(
                Issue("import_missing_column", grid.where(header_row, 0), args={"label": HEADER[COLUMNS.index(name)]})
            )
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
        for name, text in cells.items():
            controls = control_characters(text)
            if controls:  # what validate would refuse in the register, said at the cell
                label = HEADER[COLUMNS.index(name)] if name in COLUMNS else name
                reading.issues.append(
                    Issue("text_control_character", at[name], args={"field": label, "characters": " ".join(controls)})
                )
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
        if (
            task_id is not None
            and measure is not None
            and lead is not None
            and responsible is not None
            and deadline is not None
            and text
        ):
            reading.tasks.append(ImportedTask(task_id, measure, text, lead, responsible, deadline, at["id"]))
    if not reading.tasks and not reading.errors:
        reading.issues.append(Issue("import_no_tasks", grid.sheet))
    # A merged cell is read once per row it covers; say what is wrong with it once.
    reading.issues = unique_issues(reading.issues)
    return reading


def unique_issues(issues: list[Issue]) -> list[Issue]:
    """``issues`` without repeats, in their order, in one pass (a list's ``in`` made it quadratic)."""
    seen: set[tuple[object, ...]] = set()
    unique = []
    for issue in issues:
        key = (issue.code, issue.path, issue.line, issue.column, issue.severity, repr(sorted(issue.args.items())))
        if key not in seen:
            seen.add(key)
            unique.append(issue)
    return unique


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
        reading.issues.append(
            Issue(
                "import_title_differs",
                where,
                args={"title": reading.title, "expected": table_title(register)},
                severity=WARNING,
            )
        )


_NUMBERING = re.compile(r"^(?:\d+|[一二三四五六七八九十]+)[.、.)]|^\((?:\d+|[一二三四五六七八九十]+)\)")


class _CellMapper:
    """Turns one kind of cell into register values, adding an issue for each cell it cannot map."""

    def __init__(self, grid: Grid, register: Register, issues: list[Issue]):
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

    def problem(self, code: str, where: str, /, **args: object) -> None:
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
            names = [dim.table_name for dim in self.register.dimensions]
            self.problem(
                "import_unknown_dimension",
                where,
                name=text,
                suggestions=difflib.get_close_matches(text, names, n=3, cutoff=0.4),
            )
            return None
        return key, where

    def measure(self, text: str, where: str, dimension: tuple[str, str] | None) -> int | None:
        clean = normalise_name(text)
        numbers = self.measures.get(clean) or self.measures.get(_NUMBERING.sub("", clean), [])
        if dimension is not None and len(numbers) > 1:
            numbers = [n for n in numbers if self.register.measure(n).dimension == dimension[0]] or numbers
        if not numbers:
            titles = [m.title for m in self.register.measures]
            self.problem(
                "import_unknown_measure",
                where,
                name=text,
                suggestions=difflib.get_close_matches(text, titles, n=3, cutoff=0.4),
            )
            return None
        measure = self.register.measure(numbers[0])
        if dimension is not None and measure.dimension != dimension[0]:
            self.problem(
                "import_measure_dimension",
                where,
                name=text,
                dimension=self.register.dimension(dimension[0]).table_name,
                expected=self.register.dimension(measure.dimension).table_name,
            )
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
        ref = self.units.resolve(spelling)
        assert ref is not None  # a known spelling resolves
        if ref.kind != REF_UNIT:
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
            known = [piece for piece in pieces if piece]
            if len(pieces) > 1 and len(known) == len(pieces):
                entries.extend(known)
                continue
            self.problem("unknown_unit", where, name=written, suggestions=self.units.suggestions(written))
            ok = False
        seen: set[str] = set()
        for entry in entries:
            ref = self.units.resolve(entry)
            assert ref is not None  # every entry is a known spelling
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
    replaced only with ``force``, both files as one unit (``FolderTransaction``):
    a full disk or a kill leaves the old register or the new one, never a mix.
    """
    reading = read_table(grid, register)
    if reading.errors:
        raise RegisterInvalid(reading.issues)
    _check_target(out, force)
    folder = Path(register.folder)
    tasks_text = tasks_yaml(register, reading.tasks, source)
    units_text = read_text(folder / UNITS_FILE)
    _check_written(out, tasks_text, units_text)
    _make_folder(out)
    with FolderTransaction(out) as change:
        change.write(UNITS_FILE, units_text)
        change.write(TASKS_FILE, tasks_text)
    return ImportResult(out, len(reading.tasks), [i for i in reading.issues if i.severity != ERROR])


def _make_folder(out: Path) -> None:
    """Create the output folder (not its parents: a typo in the path should not grow a tree)."""
    try:
        if out.is_dir():
            return
        if not out.parent.is_dir():
            raise UsageError(
                Issue("output_folder_missing", display_path(out), args={"folder": display_path(out.parent)})
            )
        out.mkdir()
    except OSError as error:
        raise UsageError(
            Issue("output_unwritable", display_path(out), args={"reason": error.strerror or str(error)})
        ) from None


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(Issue("not_a_folder", args={"folder": display_path(out)}))
    existing = [name for name in (TASKS_FILE, UNITS_FILE) if (out / name).exists()]
    if existing and not force:
        raise UsageError(Issue("import_target_exists", display_path(out), args={"files": "、".join(existing)}))


def tasks_yaml(register: Register, tasks: list[ImportedTask], source: str = "") -> str:
    """tasks.yaml with the register's document, dimensions and measures, and the imported tasks.

    The first three are taken from the register's own file, value for value as
    written there (its scalars are strings), so nothing is reformatted.
    """
    root, _ = parse_yaml(read_text(Path(register.folder) / TASKS_FILE), TASKS_FILE)
    assert isinstance(root, YamlMap)  # the file the register was just validated from
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


def _check_written(out: Path, tasks_text: str, units_text: str) -> None:
    """Validate what is about to be written, in memory: a wrong write is a bug, never a file.

    Why in memory: a scratch folder in the temporary directory was a full copy of
    the register, left behind by every killed import, and named in messages.
    """
    from ..validation.pipeline import validate_texts  # lazy: pydantic

    shown = {name: f"(imported) {display_path(out / name)}" for name in (TASKS_FILE, UNITS_FILE)}
    report = validate_texts(out, {TASKS_FILE: tasks_text, UNITS_FILE: units_text}, shown)
    if report.errors:
        raise RegisterInvalid(report.errors)
