"""Plans given as a table: a workbook's sheets, a CSV file, or the tables of a Word document.

The header is found by its words, wherever it stands (a title and an 附件 line
may come first), in one row or two (责任单位 over 牵头单位 | 配合单位). Columns
left of the task column that the header does not name as a field are the
plan's levels, named by their headings (类别, 重点领域); rows that hold only a
numbered heading (一、产业发展, merged across the table) are levels too. A table
continued over pages, with or without its header repeated, is read as one;
merged cells count for every row they cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.register import normalise_name
from ..formats.tables import Grid, cell_text
from .plan_draft import (
    FIELD_WORDS,
    FIRST_LEADS,
    RANK,
    DraftHeading,
    DraftLevel,
    DraftTask,
    Note,
    PlanDraft,
    clean_text,
    field_of,
    numbering,
    plain_word,
    split_units,
)

#: Rows searched for the header: a title, an 附件 line and a blank row or two may come first.
HEADER_SEARCH_ROWS = 20
#: Levels above the task a register holds.
MAX_LEVELS = 3
#: Numbering of a heading row written without its mark: 一 in the 序号 cell.
_BARE_CN = "一二三四五六七八九十"
_OUTERMOST = "plain"  # a heading row without numbering (产业发展类): the outermost level


@dataclass
class _Columns:
    """Which column holds what, and the plan's word for each."""

    fields: dict[str, list[int]] = field(default_factory=dict)  # id, task, lead, leader, responsible, deadline, remark
    words: dict[str, str] = field(default_factory=dict)  # field -> the header's word
    levels: list[tuple[int, str]] = field(default_factory=list)  # (column, the header's word), outermost first
    extra: list[tuple[int, str]] = field(default_factory=list)  # columns right of the task no field names
    width: int = 0
    header: frozenset[str] = frozenset()  # the header's words, to know a repeated header row

    def first(self, name: str) -> int | None:
        found = self.fields.get(name)
        return found[0] if found else None


@dataclass
class _Row:
    """A row of the table, read: a heading row or a task row."""

    where: str
    heading: tuple[str, str, str | None] | None = None  # (style, title, number) of a heading row
    levels: list[tuple[str, str]] = field(default_factory=list)  # (cell text, where) of each level column
    task: DraftTask | None = None


def read_table_plan(grids: list[Grid], draft: PlanDraft) -> bool:
    """Fill ``draft`` with the tasks of the first table(s) that have a 任务分解表's header; False if none has."""
    rows: list[_Row] = []
    columns: _Columns | None = None
    level_words: list[str] = []
    for grid in grids:
        found = _find_header(grid)
        if found is not None:
            header_row, start, found_columns = found
            if columns is not None and [w for _, w in found_columns.levels] != level_words:
                draft.note("init_table_other_header", grid.where(header_row, 0))
                continue
            columns = found_columns
            level_words = [word for _, word in columns.levels]
            draft.first_leads = draft.first_leads or any(FIRST_LEADS.search(word) for word in columns.header)
            _title_above(grid, header_row, draft)
        elif columns is not None and _width(grid) == columns.width:
            start = 0  # a table continued on the next page without its header
        else:
            if any(cell_text(value) for row in grid.rows for value in row):
                draft.note("init_table_skipped", grid.where(0, 0))
            continue
        rows += _read_rows(grid, start, columns, draft)
    if columns is None:
        return False
    _labels(columns, draft)
    _build(rows, level_words, draft)
    return True


def has_task_table(grids: list[Grid]) -> bool:
    """Whether any of the grids has a 任务分解表's header."""
    return any(_find_header(grid) is not None for grid in grids)


def header_words() -> str:
    """The header words looked for, for the message when there is none."""
    return " / ".join(FIELD_WORDS[name][0] for name in ("id", "task", "lead", "responsible", "deadline"))


# --- the header -------------------------------------------------------------------------------


def _find_header(grid: Grid) -> tuple[int, int, _Columns] | None:
    """(header row, first data row, columns) of the first row that reads as a 任务分解表's header."""
    for row_index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        named = _named(row)
        found = set(named.values())
        if "task" not in found or not found & {"lead", "leader", "responsible"} or len(found) < 3:
            continue
        words = [cell_text(value) for value in row]
        start = row_index + 1
        if start < len(grid.rows):
            below = _named(grid.rows[start])
            # A second header row under a merged one: 责任单位 over 牵头单位 | 配合单位.
            if len(below) >= 2 and any(named.get(col) != name for col, name in below.items()):
                words += [""] * (len(grid.rows[start]) - len(words))
                for col, name in below.items():
                    named[col] = name
                    words[col] = cell_text(grid.rows[start][col])
                start += 1
        return row_index, start, _columns(words, named, _width(grid))
    return None


def _named(row: list[object]) -> dict[int, str]:
    """Column -> field, for each cell of a row that is a known header word."""
    named: dict[int, str] = {}
    for col, value in enumerate(row):
        name = field_of(cell_text(value))
        if name is not None:
            named[col] = name
    return named


def _columns(header: list[str], named: dict[int, str], width: int) -> _Columns:
    columns = _Columns(width=width)
    columns.header = frozenset(normalise_name(word) for word in header if word)
    words = [plain_word(word) for word in header]
    # Several task-like columns (主要任务 | 具体任务): the last is the task, the others are levels.
    task = [col for col, name in named.items() if name == "task"][-1]
    for col, word in enumerate(words):
        name = named.get(col)
        if col < task and name in (None, "task"):
            if word and word not in (level for _, level in columns.levels):  # one level merged over two columns
                columns.levels.append((col, word))
        elif col == task or name not in (None, "task"):
            key = "task" if col == task else name
            assert key is not None
            columns.fields.setdefault(key, []).append(col)
            columns.words.setdefault(key, word)
        elif word:
            columns.extra.append((col, word))
    return columns


def _labels(columns: _Columns, draft: PlanDraft) -> None:
    """The plan's own words for its columns: what ``plan.labels`` keeps."""
    for name in ("id", "task", "responsible", "deadline", "remark"):
        if name in columns.words:
            draft.labels[name] = columns.words[name]
    lead = "lead" if "lead" in columns.fields else "leader" if "leader" in columns.fields else None
    if lead is not None:
        draft.labels["lead"] = columns.words[lead]


def _width(grid: Grid) -> int:
    return max((len(row) for row in grid.rows), default=0)


def _title_above(grid: Grid, header_row: int, draft: PlanDraft) -> None:
    """The table's title: the first text above the header that is not an 附件 line."""
    for row in grid.rows[:header_row]:
        for value in row:
            text = clean_text(cell_text(value)).replace("\n", "")
            if not text or text.rstrip(":0123456789一二三四五六七八九十") in ("附件", "附表"):
                continue
            if draft.title is None:
                draft.title = text
            elif normalise_name(text) != normalise_name(draft.title):
                draft.annex_title = draft.annex_title or text
            return


# --- the rows ---------------------------------------------------------------------------------


def _read_rows(grid: Grid, start: int, columns: _Columns, draft: PlanDraft) -> list[_Row]:
    rows: list[_Row] = []
    for row_index in range(start, len(grid.rows)):
        values = grid.rows[row_index]
        cells = [clean_text(cell_text(value)) for value in values]
        if not any(cells):
            continue
        if sum(1 for cell in cells if normalise_name(cell) in columns.header) >= 3 and _named(list(values)):
            continue  # the header repeated on a new page
        where = grid.where(row_index, 0)
        heading = _heading_row(cells, columns)
        if heading is not None:
            rows.append(_Row(where, heading=heading))
            continue
        task_col = columns.first("task")
        assert task_col is not None
        text = cells[task_col] if task_col < len(cells) else ""
        if not text:
            draft.note("init_row_without_task", grid.where(row_index, task_col))
            continue
        row = _Row(where)
        row.levels = [(cells[col] if col < len(cells) else "", grid.where(row_index, col)) for col, _ in columns.levels]
        row.task = _task(cells, grid, row_index, columns, draft.leaders)
        rows.append(row)
    return rows


def _heading_row(cells: list[str], columns: _Columns) -> tuple[str, str, str | None] | None:
    """(style, title, number) when a row holds a heading and no task: 一、产业发展 merged across the table."""
    filled = list(dict.fromkeys(cell for cell in cells if cell))
    merged = len(filled) == 1 and sum(1 for cell in cells if cell == filled[0]) > 1
    unit_cols = [col for name in ("lead", "leader", "responsible", "deadline") for col in columns.fields.get(name, [])]
    if not merged and any(col < len(cells) and cells[col] for col in unit_cols):
        return None
    id_col = columns.first("id")
    id_text = cells[id_col] if id_col is not None and id_col < len(cells) else ""
    if len(filled) == 2 and id_text in filled and id_text.strip("()、.") and id_text.strip("()、.") in _BARE_CN:
        title = filled[1] if filled[0] == id_text else filled[0]
        style = "paren_cn" if id_text.startswith("(") else "cn"
        return style, title, id_text if id_text[-1] in ")、." else id_text + "、"
    if len(filled) != 1:
        return None
    # One text: a heading when merged across the row, written outside the task column (产业发展类
    # in column A) or numbered as headings are (一、, (一)); else a task that names no unit.
    text = filled[0]
    numbered = numbering(text)
    task_col = columns.first("task")
    in_task = task_col is not None and task_col < len(cells) and cells[task_col] == text
    if in_task and not merged and (numbered is None or numbered[0] not in ("cn", "paren_cn")):
        return None
    if numbered is not None:
        style, number, title = numbered
        return style, title, number
    return _OUTERMOST, text, None


def _task(cells: list[str], grid: Grid, row_index: int, columns: _Columns, leaders: set[str]) -> DraftTask:
    """A task row; the names of a 牵头领导 column are added to ``leaders``."""

    def cell(name: str) -> str:
        # A field over several columns (a merged header); a cell merged across them is read once.
        found = [cells[col] for col in columns.fields.get(name, []) if col < len(cells) and cells[col]]
        return "\n".join(dict.fromkeys(found))

    task_col = columns.first("task")
    assert task_col is not None
    task = DraftTask(cell("task"), grid.where(row_index, task_col), number=cell("id"))
    lead_name = "lead" if "lead" in columns.fields else "leader"
    leads = split_units(cell(lead_name))
    if lead_name == "leader":
        leaders.update(leads.names)
    responsible = split_units(cell("responsible"))
    task.leads = leads.names + [name for name in responsible.leads if name not in leads.names]
    task.responsible = [name for name in responsible.names if name not in responsible.leads]
    task.deadline = cell("deadline") or None
    remarks = [cell("remark")] if cell("remark") else []
    if lead_name == "lead" and cell("leader"):
        remarks.append(f"{columns.words['leader']}:{cell('leader')}")
        task.notes.append(Note("init_leader_in_remark", {"names": cell("leader")}))
    remarks += [f"{word}:{cells[col]}" for col, word in columns.extra if col < len(cells) and cells[col]]
    task.remark = "\n".join(remarks) or None
    return task


# --- levels and headings ----------------------------------------------------------------------


def _build(rows: list[_Row], level_words: list[str], draft: PlanDraft) -> None:
    """Headings from heading rows (outermost) and level columns (inner), then the tasks under them."""
    row_styles = sorted(
        {row.heading[0] for row in rows if row.heading is not None},
        key=lambda style: RANK.get(style, -1),
    )
    levels: list[DraftLevel] = [DraftLevel(None, style) for style in row_styles]
    levels += [DraftLevel(word) for word in level_words]
    dropped = len(levels) - MAX_LEVELS
    if dropped > 0:
        names = "、".join(level.name or level.numbering or "" for level in levels[:dropped])
        draft.note("init_levels_dropped", numbers=names)
    draft.levels = levels[max(dropped, 0) :]
    first_column_level = len(row_styles) - max(dropped, 0) + 1  # the level number of the first level column

    open_headings: list[DraftHeading] = []
    counts: dict[str | None, int] = {}
    column_cells: list[str] = []  # the level columns' texts as last written

    def open_heading(level: int, title: str, number: str | None) -> None:
        while open_headings and open_headings[-1].level >= level:
            open_headings.pop()
        parent = open_headings[-1].key if open_headings else None
        counts[parent] = counts.get(parent, 0) + 1
        key = f"{parent}.{counts[parent]}" if parent else str(counts[parent])
        heading = DraftHeading(key, level, title, number, parent)
        draft.headings.append(heading)
        open_headings.append(heading)

    for row in rows:
        if row.heading is not None:
            style, title, number = row.heading
            level = row_styles.index(style) + 1 - max(dropped, 0)
            if level >= 1:
                open_heading(level, title, number)
            column_cells = []
            continue
        assert row.task is not None
        written = [text for text, _ in row.levels]
        changed = False
        for index, text in enumerate(written):
            level = first_column_level + index
            previous = column_cells[index] if index < len(column_cells) else ""
            if not text or level < 1:
                continue
            if changed or text != previous:
                numbered = numbering(text)
                number, title = (numbered[1], numbered[2]) if numbered else (None, text)
                open_heading(level, title, number)
                changed = True
        column_cells = [text or (column_cells[i] if i < len(column_cells) else "") for i, text in enumerate(written)]
        row.task.heading = open_headings[-1].key if open_headings else None
        draft.tasks.append(row.task)
