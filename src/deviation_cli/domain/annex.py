"""The register laid out as the source's annex table (任务分解表): its columns, its rows, and the runs
merged cells span.

The columns are the plan's own: 序号, one per level above the task (Hanzhong: 管控, 改进措施),
the task, its lead, the units that share it, the deadline, and 备注 where the plan has one.
A run of consecutive rows under one heading shares one merged cell at that heading's
level; documents write a rowspan on the first row of a run, a workbook merges the cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from ..words import label
from .query import directory
from .register import LEVEL_FIELDS, Heading, Register, Task
from .units import UnitDirectory, join_unit_list


@dataclass(frozen=True, slots=True)
class AnnexColumn:
    """One column of the annex: the task object's field it shows, and its heading as the plan words it."""

    field: str  # id, dimension, measure, heading, task, lead, responsible, deadline, remark
    word: str
    level: int = 0  # 1.. for a level above the task; 0 for the task's own fields


def level_field(level: int) -> str:
    """The task object's field for a level: dimension (1), measure (2), heading (3)."""
    return LEVEL_FIELDS[min(level, len(LEVEL_FIELDS)) - 1]


def annex_columns(register: Register) -> tuple[AnnexColumn, ...]:
    """The annex's columns in the source's order, each headed with the plan's word."""
    words = register.plan.words()

    def column(field: str) -> AnnexColumn:
        return AnnexColumn(field, label(field, "zh", words))

    levels = tuple(
        AnnexColumn(level_field(index + 1), level.column, index + 1) for index, level in enumerate(register.levels)
    )
    remark = (column("remark"),) if register.has_remarks else ()
    return (
        column("id"),
        *levels,
        column("task"),
        column("lead"),
        column("responsible"),
        column("deadline"),
        *remark,
    )


def annex_header(register: Register) -> tuple[str, ...]:
    """The annex's header row as the plan writes it.

    Hanzhong's: 序号 管控 改进措施 具体任务 牵头部门 责任单位 完成时限.
    """
    return tuple(column.word for column in annex_columns(register))


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the 任务分解表; merged cells are written on the first row of their run."""

    task: Task
    headings: tuple[Heading | None, ...]  # one per level of the plan; None below a task's own depth
    spans: tuple[int, ...]  # rows each level's cell covers; 0 on rows it continues over
    responsible: str  # the 责任单位 cell, laid out as the source writes it

    # Hanzhong's two levels under the names templates have used for them.
    @property
    def dimension(self) -> Heading | None:
        return self.headings[0] if self.headings else None

    @property
    def measure(self) -> Heading | None:
        return self.headings[1] if len(self.headings) > 1 else None

    @property
    def dimension_span(self) -> int:
        return self.spans[0] if self.spans else 0

    @property
    def measure_span(self) -> int:
        return self.spans[1] if len(self.spans) > 1 else 0

    @property
    def levels(self) -> tuple[tuple[Heading | None, int], ...]:
        """Each level's heading with the rows its cell spans."""
        return tuple(zip(self.headings, self.spans))


def table_rows(register: Register, tasks: Iterable[Task] | None = None) -> list[TableRow]:
    """The table's rows in order, with the rowspans of the source's merged cells."""
    chosen = list(register.tasks if tasks is None else tasks)
    units = directory(register)
    depth = len(register.levels)
    spans = [run_spans([task.path[: level + 1] for task in chosen]) for level in range(depth)]
    return [
        TableRow(
            task=task,
            headings=tuple(register.heading_of(task, level + 1) for level in range(depth)),
            spans=tuple(spans[level][index] for level in range(depth)),
            responsible=join_unit_list(task.responsible, units),
        )
        for index, task in enumerate(chosen)
    ]


def run_spans(keys: Sequence[Hashable]) -> list[int]:
    """For each position: the length of the run starting there, or 0 inside a run."""
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


def merged_ranges(keys: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Index ranges (first, last) of two or more consecutive equal keys: the cells to merge.

    Why merge every run of equal dimensions, even where the source restates one
    (rows 9 and 19 of the Hanzhong annex repeat 投资结构/项目效益偏离度方面 after a
    page break): the restatement carries no meaning, and one merged cell per
    dimension is what the table says. Import reads both layouts the same way.
    """
    return [(start, start + span - 1) for start, span in enumerate(run_spans(keys)) if span > 1]


def table_title(register: Register) -> str:
    return register.document.annex_title or register.document.title


def table_cells(
    register: Register, task: Task, units: UnitDirectory, columns: Sequence[AnnexColumn]
) -> tuple[str | int, ...]:
    """One task as the cells of ``columns`` (``annex_columns``); 责任单位 written the source's way."""
    cells: list[str | int] = []
    for column in columns:
        if column.level:
            heading = register.heading_of(task, column.level)
            cells.append(heading.table_name if heading else "")
        elif column.field == "id":
            cells.append(task.id)
        elif column.field == "task":
            cells.append(task.text)
        elif column.field == "lead":
            cells.append(task.lead_text)
        elif column.field == "responsible":
            cells.append(join_unit_list(task.responsible, units))
        elif column.field == "deadline":
            cells.append(task.deadline)
        else:
            cells.append(task.remark or "")
    return tuple(cells)
