"""The documents' tables as they print: column widths, and rows placed on pages (``print_layout``).

Templates get a ``PrintedTable``: the columns' widths and the rows, each the whole row of a
task or one part of it, with the merged cells each page shows. On screen the parts of a row
and a label repeated at a page's top are drawn as one (the CSS hides what print repeats).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..domain.annex import AnnexColumn, TableRow, run_spans
from ..domain.query import UnitTask
from ..domain.register import LEAD, Heading, Task
from .print_layout import (
    LANDSCAPE,
    PT_PER_MM,
    TABLE_STYLE,
    Cell,
    ColumnSpec,
    Flow,
    Placed,
    TableStyle,
    column_widths,
    percentages,
)
from .punctuation import cjk_punctuation

_Source = TypeVar("_Source", TableRow, UnitTask)

#: Beyond this many rows (some 2,000 pages) a table is not placed page by page: it prints with its
#: rows whole and its cells merged as the source merges them. Nobody prints it, and placing its
#: rows would take longer than writing it (``render table`` of a province's 100,000 tasks).
PAGED_ROWS = 5_000

#: Preferred shares of the width, as the source's table has them; the task text takes the rest.
SHARES = {"dimension": 0.08, "measure": 0.09, "heading": 0.09, "lead": 0.09, "responsible": 0.2, "deadline": 0.08}
UNIT_SHARES = {"role": 0.14, "lead": 0.16, "deadline": 0.15}


@dataclass(frozen=True, slots=True)
class MergedCell:
    """A level's cell on a printed row: its heading, the rows it spans on this page (0: inside a
    run), and whether it repeats a label from the page before (drawn on screen as one cell)."""

    heading: Heading | None
    span: int
    repeated: bool = False


@dataclass(frozen=True, slots=True)
class PrintedRow(Generic[_Source]):
    """One printed row: a task's whole row, or one part of a row longer than a page."""

    source: _Source  # the TableRow or the UnitTask it shows
    task: Task
    text: str  # the task's text on this row (all of it unless the row is split)
    responsible: str  # the 责任单位 cell on this row
    levels: tuple[MergedCell, ...] = ()
    part: int = 0  # 0: the row or its first part; 1, 2 …: its continuation on the following pages
    page_break: bool = False  # starts a printed page
    last_part: bool = True

    @property
    def continued(self) -> bool:
        return self.part > 0


@dataclass(frozen=True, slots=True)
class PrintedTable(Generic[_Source]):
    widths: tuple[str, ...]  # each column's width, as a CSS percentage
    rows: tuple[PrintedRow[_Source], ...]
    style: str  # the print font, line and padding the model assumed (CSS custom properties)
    break_before: bool = False


def role_text(row: UnitTask) -> str:
    """The 职责 cell as the templates write it, lines apart (see _macros.html ``role``)."""
    if row.role == LEAD:
        return "牵头"
    if row.open:
        return f"可能涉及\n（等{row.via}）"
    if row.via:
        return f"参与\n（经{row.via}）"
    return "参与"


def decomposition_specs(columns: Sequence[AnnexColumn]) -> list[ColumnSpec]:
    return [
        ColumnSpec(
            column.field,
            column.word,
            share=SHARES.get(column.field, 0.08 if column.field == "remark" else 0.0),
            rest=column.field == "task",
            keep_all=column.field in ("id", "deadline"),
            min_em=2.0 if column.level else 0.0,
        )
        for column in columns
    ]


def _decomposition_cells(row: TableRow, columns: Sequence[AnnexColumn]) -> list[Cell]:
    """A row's cells as printed: punctuation next to Chinese full width, as the templates print it.

    A merged label counts on the first row of its run: the rows it spans share its height.
    """
    cells = []
    for column in columns:
        field = column.field
        if column.level:
            heading = row.headings[column.level - 1]
            label = cjk_punctuation(heading.table_name) if heading else ""
            cells.append(Cell(label, merged=True, starts_run=row.spans[column.level - 1] > 0))
        elif field == "id":
            cells.append(Cell(str(row.task.id), keep_all=True))
        elif field == "task":
            cells.append(Cell(cjk_punctuation(row.task.text), split=True))
        elif field == "lead":
            cells.append(Cell(row.task.lead_text))
        elif field == "responsible":
            cells.append(Cell(cjk_punctuation(row.responsible), split=True))
        elif field == "deadline":
            cells.append(Cell(cjk_punctuation(row.task.deadline), keep_all=True))
        else:
            cells.append(Cell(cjk_punctuation(row.task.remark or ""), split=True))
    return cells


def decomposition_table(
    rows: Sequence[TableRow],
    columns: Sequence[AnnexColumn],
    flow: Flow | None = None,
    width_mm: float = LANDSCAPE[0],
    style: TableStyle = TABLE_STYLE,
    widths: Sequence[float] | None = None,
) -> PrintedTable[TableRow]:
    """The 任务分解表 as printed; without a ``flow`` (the site, a table of more than ``PAGED_ROWS``),
    rows whole and merged as the source merges them. ``widths``: the columns', if already known."""
    if flow is not None and len(rows) > PAGED_ROWS:
        flow = None
    cells = [_decomposition_cells(row, columns) for row in rows] if flow is not None else []
    if widths is None:
        measured_rows = cells or [_decomposition_cells(row, columns) for row in _sample(rows)]
        measured = [[cell.text if not cell.merged or cell.starts_run else "" for cell in row] for row in measured_rows]
        whole = None if cells else _whole(columns, rows)
        widths = column_widths(decomposition_specs(columns), measured, width_mm * PT_PER_MM, style, whole)
    if flow is None:
        printed = tuple(
            PrintedRow(row, row.task, row.task.text, row.responsible, tuple(MergedCell(h, s) for h, s in row.levels))
            for row in rows
        )
        return PrintedTable(tuple(percentages(widths)), printed, style.css())
    placed = flow.table(rows, cells, widths, style)
    return PrintedTable(
        tuple(percentages(widths)), _with_levels(placed.rows, columns), style.css(), placed.break_before
    )


def _sample(rows: Sequence[_Source]) -> Sequence[_Source]:
    """Rows enough to size the columns by (column_widths looks at 120)."""
    return rows if len(rows) <= 120 else [rows[i * len(rows) // 120] for i in range(120)]


def _deadlines(rows: Sequence[TableRow] | Sequence[UnitTask]) -> set[str]:
    return {cjk_punctuation(row.task.deadline) for row in rows}


def _whole(columns: Sequence[AnnexColumn], rows: Sequence[TableRow]) -> dict[int, Iterable[str]]:
    """What the keep-all columns of the full table must hold whole, from every row: 序号, deadlines."""
    fields = [column.field for column in columns]
    return {
        fields.index("id"): [str(max((row.task.id for row in rows), default=0))],
        fields.index("deadline"): _deadlines(rows),
    }


def _with_levels(
    placed: Sequence[Placed[TableRow]], columns: Sequence[AnnexColumn]
) -> tuple[PrintedRow[TableRow], ...]:
    """Each level's merged cells, run by run within each page: a run over a page break starts again."""
    depth = sum(1 for column in columns if column.level)
    spans = [run_spans([(item.page, item.row.task.path[: level + 1]) for item in placed]) for level in range(depth)]
    split_fields = [column.field for column in columns if column.field in ("task", "responsible", "remark")]
    rows = []
    for index, item in enumerate(placed):
        texts = dict(zip(split_fields, item.texts))
        levels = []
        for level in range(depth):
            heading = item.row.headings[level]
            previous = placed[index - 1] if index else None
            repeated = (
                spans[level][index] > 0
                and previous is not None
                and previous.page != item.page
                and previous.row.task.path[: level + 1] == item.row.task.path[: level + 1]
            )
            levels.append(MergedCell(heading, spans[level][index], repeated))
        rows.append(
            PrintedRow(
                item.row,
                item.row.task,
                texts.get("task", item.row.task.text),
                texts.get("responsible", item.row.responsible),
                tuple(levels),
                item.part,
                item.page_break,
                item.last_part,
            )
        )
    return tuple(rows)


def unit_specs(words: Sequence[str]) -> list[ColumnSpec]:
    """序号, task, 职责, lead, deadline: ``words`` are their headers."""
    fields = ("id", "task", "role", "lead", "deadline")
    return [
        ColumnSpec(
            field,
            word,
            share=UNIT_SHARES.get(field, 0.0),
            rest=field == "task",
            keep_all=field in ("id", "deadline"),
        )
        for field, word in zip(fields, words)
    ]


def _unit_cells(row: UnitTask) -> list[Cell]:
    return [
        Cell(str(row.task.id), keep_all=True),
        Cell(cjk_punctuation(row.task.text), split=True),
        Cell(role_text(row)),
        Cell(row.task.lead_text),
        Cell(cjk_punctuation(row.task.deadline), keep_all=True),
    ]


def unit_table(
    rows: Sequence[UnitTask],
    words: Sequence[str],
    flow: Flow | None,
    width_mm: float,
    style: TableStyle,
    widths: Sequence[float] | None = None,
) -> PrintedTable[UnitTask]:
    """A unit's tasks as printed (its 责任清单, the annex of a notice to it)."""
    if flow is not None and len(rows) > PAGED_ROWS:
        flow = None
    cells = [_unit_cells(row) for row in rows] if flow is not None else []
    if widths is None:
        measured = [[cell.text for cell in row] for row in (cells or [_unit_cells(row) for row in _sample(rows)])]
        whole = None if cells else {0: [str(max((row.task.id for row in rows), default=0))], 4: _deadlines(rows)}
        widths = column_widths(unit_specs(words), measured, width_mm * PT_PER_MM, style, whole)
    if flow is None:
        printed = tuple(PrintedRow(row, row.task, row.task.text, "") for row in rows)
        return PrintedTable(tuple(percentages(widths)), printed, style.css())
    placed = flow.table(rows, cells, widths, style)
    printed = tuple(
        PrintedRow(
            item.row,
            item.row.task,
            item.texts[0],
            "",
            (),
            item.part,
            item.page_break,
            item.last_part,
        )
        for item in placed.rows
    )
    return PrintedTable(tuple(percentages(widths)), printed, style.css(), placed.break_before)


def plain_widths(
    specs: Sequence[ColumnSpec], cells: Sequence[Sequence[str]], width_mm: float, style: TableStyle
) -> tuple[str, ...]:
    """Widths of a table the model does not place (short rows): headers whole, keep-all cells whole."""
    return tuple(percentages(column_widths(specs, cells, width_mm * PT_PER_MM, style)))
