"""The register laid out as the source's annex table (任务分解表): rows, and the runs merged cells span.

A run of consecutive rows with one dimension shares one 管控 cell; within it,
a run with one measure shares one 改进措施 cell. Documents write a rowspan on
the first row of a run; a workbook merges the run's cells.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from ..words import label
from .query import directory
from .register import Dimension, Measure, Register, Task
from .units import UnitDirectory, join_unit_list

#: The columns of the annex, in the source's order.
ANNEX_COLUMNS = ("id", "dimension", "measure", "task", "lead", "responsible", "deadline")


def annex_header() -> tuple[str, ...]:
    """The annex's header row as the source writes it: 序号 管控 改进措施 具体任务 牵头部门 责任单位 完成时限."""
    return tuple(label(column, "zh") for column in ANNEX_COLUMNS)


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the 任务分解表; merged cells are written on the first row of their run."""

    task: Task
    dimension: Dimension
    measure: Measure
    dimension_span: int  # rows the 管控 cell covers; 0 on rows it continues over
    measure_span: int  # rows the 改进措施 cell covers; 0 on rows it continues over
    responsible: str  # the 责任单位 cell, laid out as the source writes it


def table_rows(register: Register, tasks: Iterable[Task] | None = None) -> list[TableRow]:
    """The table's rows in order, with the rowspans of the source's merged cells.

    A run of consecutive rows with one dimension shares one 管控 cell; within it,
    a run with one measure shares one 改进措施 cell.
    """
    chosen = list(register.tasks if tasks is None else tasks)
    units = directory(register)
    spans_dimension = run_spans([task.dimension for task in chosen])
    spans_measure = run_spans([(task.dimension, task.measure) for task in chosen])
    return [
        TableRow(
            task=task,
            dimension=register.dimension_of(task),
            measure=register.measure_of(task),
            dimension_span=spans_dimension[index],
            measure_span=spans_measure[index],
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


def table_cells(register: Register, task: Task, units: UnitDirectory) -> tuple[int, str, str, str, str, str, str]:
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
