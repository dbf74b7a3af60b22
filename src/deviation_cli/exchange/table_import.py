"""A 任务分解表 edited in a spreadsheet, read back into a register folder.

``read_table`` takes a grid of cells (from a workbook or a CSV file), finds
the header by its labels (the plan's own words, or common ones), fills merged
or blank level cells (Hanzhong: 管控, 改进措施) down, and maps every cell onto
the current register: units by their names, headings by their wording. Every cell that does not map is
an ``Issue`` located as ``Sheet!C12``. ``import_table`` then writes a register
folder (tasks.yaml + units.yaml) only when nothing is wrong.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.annex import table_title
from ..domain.deadlines import DeadlineError, parse_deadline
from ..domain.issues import ERROR, WARNING, Issue, RegisterInvalid, UsageError
from ..domain.query import directory
from ..domain.register import REF_OPEN_TAIL, REF_UNIT, Register, normalise_name
from ..domain.units import split_unit_list
from ..formats.atomic import make_folder
from ..formats.folder_transaction import FolderTransaction
from ..formats.register_files import TASKS_FILE, UNITS_FILE, display_path, read_text
from ..formats.tables import Grid, cell_text
from ..formats.yaml_reader import control_characters, parse_yaml
from ..formats.yaml_tree import YamlMap, YamlValue
from ..formats.yaml_writer import dump
from ..words import label, say

#: Header wordings accepted on import (after removing spaces and folding widths), beside the
#: register's own words for its columns and levels; English ones are those of ``export csv --lang en``.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "序", "编号", "id"),
    "level1": ("管控", "管控方面", "方面", "类别", "dimension"),
    "level2": ("改进措施", "措施", "measure"),
    "task": ("具体任务", "任务", "工作任务", "任务内容", "重点任务", "主要任务", "工作内容", "task"),
    "lead": ("牵头部门", "牵头单位", "牵头领导", "牵头责任单位", "责任领导", "lead"),
    "responsible": ("责任单位", "责任部门", "配合单位", "协办单位", "参与单位", "responsible"),
    "deadline": ("完成时限", "完成", "时限", "完成时间", "完成期限", "时间节点", "时间要求", "deadline"),
    "remark": ("备注", "remark"),
}
#: Columns every table must have; the innermost level's column too, where the register has levels.
REQUIRED_COLUMNS = ("id", "task", "lead", "deadline")
HEADER_SEARCH_ROWS = 20


# --- in: a grid of cells ------------------------------------------------------------------------


@dataclass
class ImportedTask:
    """One row of the table, mapped onto the register's spellings."""

    id: int
    heading: str | None  # the key of the innermost heading it sits under
    text: str
    leads: list[str]
    responsible: list[str]
    deadline: str
    where: str  # the 序号 cell, for messages
    remark: str | None = None

    def as_yaml(self, by_measure: bool) -> dict[str, str | list[str]]:
        """The task as tasks.yaml writes it: under a ``measure`` number (Hanzhong's files) or a ``heading``."""
        entry: dict[str, str | list[str]] = {"id": str(self.id)}
        if self.heading is not None:
            entry["measure" if by_measure else "heading"] = self.heading
        entry["text"] = self.text
        if self.leads:
            entry["lead"] = self.leads[0] if len(self.leads) == 1 else list(self.leads)
        entry["responsible"] = list(self.responsible)
        entry["deadline"] = self.deadline
        if self.remark:
            entry["remark"] = self.remark
        return entry


@dataclass
class TableReading:
    """What ``read_table`` made of a grid: the tasks, the title row, and every problem."""

    tasks: list[ImportedTask] = field(default_factory=list)
    title: str | None = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == ERROR]


def column_words(register: Register) -> dict[str, str]:
    """Each column's heading as the register's plan words it: id, level1.., task, lead, ..."""
    words = register.plan.words()
    found = {field: label(field, "zh", words) for field in ("id", "task", "lead", "responsible", "deadline", "remark")}
    for index, level in enumerate(register.levels, 1):
        found[f"level{index}"] = level.column
    return found


def read_table(grid: Grid, register: Register) -> TableReading:
    """Map a 任务分解表 grid onto ``register``: tasks in the register's spellings, or located issues."""
    reading = TableReading()
    words = column_words(register)
    depth = len(register.levels)
    header_row, columns = _find_header(grid, words)
    if header_row is None:
        shown = [
            words[name]
            for name in ("id", *[f"level{n}" for n in range(1, depth + 1)], "task", "lead", "responsible", "deadline")
        ]
        reading.issues.append(Issue("import_no_header", grid.sheet, args={"labels": " / ".join(shown)}))
        return reading
    required = (*REQUIRED_COLUMNS, f"level{depth}") if depth else REQUIRED_COLUMNS
    missing = [name for name in required if name not in columns]
    if missing:
        for name in missing:
            reading.issues.append(
                Issue("import_missing_column", grid.where(header_row, 0), args={"label": words[name]})
            )
        return reading
    reading.title, title_at = _title_above(grid, header_row)
    _check_title(reading, title_at, register)

    mapper = _CellMapper(grid, register, reading.issues, words)
    seen_ids: dict[int, str] = {}
    # Each level's cell as last written, filled down over the rows a merged or blank cell continues.
    level_cells: dict[int, tuple[str, int]] = {}
    for row_index in range(header_row + 1, len(grid.rows)):
        row = grid.rows[row_index]
        cells = {name: cell_text(row[col]) if col < len(row) else "" for name, col in columns.items()}
        if not any(cells.values()):
            continue
        at = {name: grid.where(row_index, col) for name, col in columns.items()}
        for name, text in cells.items():
            controls = control_characters(text)
            if controls:  # what validate would refuse in the register, said at the cell
                reading.issues.append(
                    Issue(
                        "text_control_character",
                        at[name],
                        args={"field": words.get(name, name), "characters": " ".join(controls)},
                    )
                )
        task_id = mapper.task_id(cells["id"], at["id"], seen_ids)
        for level in range(1, depth + 1):
            name = f"level{level}"
            if name in columns and cells[name]:
                level_cells[level] = (cells[name], row_index)
                for deeper in range(level + 1, depth + 1):
                    if f"level{deeper}" in columns and not cells[f"level{deeper}"]:
                        level_cells.pop(deeper, None)
        heading: str | None = None
        placed = True
        if depth:
            written = {
                level: (text, grid.where(row, columns[f"level{level}"]))
                for level, (text, row) in level_cells.items()
                if f"level{level}" in columns
            }
            if depth not in written:
                reading.issues.append(
                    Issue("import_empty_cell", at[f"level{depth}"], args={"label": words[f"level{depth}"]})
                )
                placed = False
            else:
                heading = mapper.heading(written)
                placed = heading is not None

        text = cells["task"]
        if not text:
            reading.issues.append(Issue("import_empty_cell", at["task"], args={"label": words["task"]}))
        leads = mapper.leads(cells["lead"], at["lead"])
        responsible = mapper.responsible(cells.get("responsible", ""), at.get("responsible", at["lead"]))
        deadline = mapper.deadline(cells["deadline"], at["deadline"])
        if (
            task_id is not None
            and placed
            and leads is not None
            and responsible is not None
            and deadline is not None
            and text
        ):
            reading.tasks.append(
                ImportedTask(
                    task_id, heading, text, leads, responsible, deadline, at["id"], cells.get("remark") or None
                )
            )
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


def _find_header(grid: Grid, words: dict[str, str]) -> tuple[int | None, dict[str, int]]:
    known = {normalise_name(word).lower(): name for name, options in HEADER_WORDS.items() for word in options}
    # The register's own words win over the common ones (a plan whose level is called 类别).
    known.update({normalise_name(word).lower(): name for name, word in words.items()})
    for row_index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for col, value in enumerate(row):
            name = known.get(normalise_name(cell_text(value)).lower())
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

    def __init__(self, grid: Grid, register: Register, issues: list[Issue], words: dict[str, str]):
        self.register = register
        self.issues = issues
        self.words = words
        self.units = directory(register)
        # Each level: every wording of a heading (key, title, table and body wording, numbering stripped) -> keys.
        self.headings: dict[int, dict[str, list[str]]] = {}
        for heading in register.headings:
            spellings = {heading.title, heading.table_name, heading.body_title or heading.title}
            if heading.level == 1:
                spellings.add(heading.key)
            for wording in spellings:
                clean = normalise_name(wording).lower()
                for form in {clean, _NUMBERING.sub("", clean)}:
                    found = self.headings.setdefault(heading.level, {}).setdefault(form, [])
                    if heading.key not in found:
                        found.append(heading.key)

    def problem(self, code: str, where: str, /, **args: object) -> None:
        self.issues.append(Issue(code, where, args=args))

    def task_id(self, text: str, where: str, seen: dict[int, str]) -> int | None:
        clean = normalise_name(text).rstrip(".")
        if not clean:
            self.problem("import_empty_cell", where, label=self.words["id"])
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

    def _keys(self, level: int, text: str) -> list[str]:
        clean = normalise_name(text).lower()
        table = self.headings.get(level, {})
        return table.get(clean) or table.get(_NUMBERING.sub("", clean), [])

    def heading(self, written: dict[int, tuple[str, str]]) -> str | None:
        """The innermost heading the row's level cells name, agreeing with the outer ones where written."""
        outer: dict[int, str] = {}
        for level in sorted(written):
            text, where = written[level]
            keys = self._keys(level, text)
            if level > 1 and level - 1 in outer and len(keys) > 1:
                keys = [key for key in keys if self.register.heading(key).parent == outer[level - 1]] or keys
            if not keys:
                code = "import_unknown_dimension" if level == 1 else "import_unknown_measure"
                titles = [h.table_name for h in self.register.headings_at(level)]
                self.problem(
                    code,
                    where,
                    name=text,
                    label=self.words[f"level{level}"],
                    level=self.register.levels[level - 1].name,
                    suggestions=difflib.get_close_matches(text, titles, n=3, cutoff=0.4),
                )
                return None
            key = keys[0]
            parent = self.register.heading(key).parent
            if level - 1 in outer and parent != outer[level - 1]:
                self.problem(
                    "import_measure_dimension",
                    where,
                    name=text,
                    dimension=self.register.heading(outer[level - 1]).table_name,
                    expected=self.register.heading(parent).table_name if parent else "",
                )
                return None
            outer[level] = key
        return outer[max(outer)]

    def leads(self, text: str, where: str) -> list[str] | None:
        """The lead cell's units: one, several co-leads (甲、乙), or none where the cell is empty."""
        if not text:
            return []
        spelling = self.units.known_spelling(text)
        parts = [spelling] if spelling is not None else self._parts(text)
        found: list[str] = []
        for part in parts:
            known = self.units.known_spelling(part) if part is not None else None
            if known is None:
                self.problem(
                    "unknown_unit",
                    where,
                    name=text if len(parts) == 1 else part,
                    suggestions=self.units.suggestions(text if len(parts) == 1 else part or text),
                )
                return None
            ref = self.units.resolve(known)
            assert ref is not None  # a known spelling resolves
            group = self.units.groups.get(ref.name) if ref.kind != REF_UNIT else None
            if ref.kind != REF_UNIT and (group is None or not group.is_unlisted):
                self.problem("lead_is_group", where, name=known)
                return None
            found.append(known)
        return found

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
    make_folder(out, display_path(out), parents=False)
    with FolderTransaction(out) as change:
        change.write(UNITS_FILE, units_text)
        change.write(TASKS_FILE, tasks_text)
    return ImportResult(out, len(reading.tasks), [i for i in reading.issues if i.severity != ERROR])


def _check_target(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(Issue("not_a_folder", args={"folder": display_path(out)}))
    existing = [name for name in (TASKS_FILE, UNITS_FILE) if (out / name).exists()]
    if existing and not force:
        raise UsageError(Issue("import_target_exists", display_path(out), args={"files": "、".join(existing)}))


def tasks_yaml(register: Register, tasks: list[ImportedTask], source: str = "") -> str:
    """tasks.yaml with the register's document, plan and headings, and the imported tasks.

    All but the tasks are taken from the register's own file, value for value as
    written there (its scalars are strings), so nothing is reformatted.
    """
    root, _ = parse_yaml(read_text(Path(register.folder) / TASKS_FILE), TASKS_FILE)
    assert isinstance(root, YamlMap)  # the file the register was just validated from
    by_measure = "measures" in root
    tree: dict[str, YamlValue | list[dict[str, str | list[str]]]] = {
        name: root[name] for name in ("document", "plan", "dimensions", "measures", "headings") if name in root
    }
    tree["tasks"] = [task.as_yaml(by_measure) for task in sorted(tasks, key=lambda t: t.id)]
    comments = [
        say("import.comment_register", title=register.document.title),
        say("import.comment_source", source=source) if source else say("import.comment_no_source"),
        say("import.comment_parts"),
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
