"""A Word document (.docx) as ``deviation init`` reads it: its paragraphs as lines, its tables as grids.

python-docx is imported here only, when a .docx is read: no other command pays for it.
Tables are read from their XML so that merged cells are known as such: a cell merged
across columns (gridSpan) or down rows (vMerge) holds its range's text in every
position it covers, and names the range's first cell in messages, as a workbook's do.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.issues import Issue
from ..formats.tables import Grid
from .plan_text import SourceLine

if TYPE_CHECKING:
    from docx.table import Table


class DocxUnreadable(Exception):
    """The file is not a Word document python-docx can open (carries the issue to report)."""

    def __init__(self, issue: Issue):
        super().__init__(issue.code)
        self.issue = issue


def read_docx(path: Path, shown: str, paragraph_word: str, table_word: str) -> tuple[list[SourceLine], list[Grid]]:
    """The body's paragraphs (each located as ``plan.docx ¶12``) and its tables, in the document's order.

    ``paragraph_word`` and ``table_word`` name a paragraph and a table in messages
    (第{n}段, 表{n}). Raises DocxUnreadable for anything that is not a readable .docx.
    """
    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency; only a broken install lacks it
        raise DocxUnreadable(Issue("init_docx_missing", shown)) from None
    from docx.table import Table

    lines: list[SourceLine] = []
    grids: list[Grid] = []
    # Why catch everything here: python-docx raises what its XML parser and zip reader raise
    # (KeyError, ValueError, lxml's errors, ...) on a damaged or disguised file; any of them
    # means the same thing to the person who handed the file over.
    try:
        document = docx.Document(str(path))
        paragraphs = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                grids.append(_grid(block, f"[{path.name}]{table_word.format(n=len(grids) + 1)}"))
            else:
                paragraphs += 1
                if block.text.strip():
                    lines.append(SourceLine(block.text, f"{shown} {paragraph_word.format(n=paragraphs)}"))
    except Exception:
        raise DocxUnreadable(Issue("init_not_docx", shown)) from None
    return lines, grids


def _grid(table: Table, sheet: str) -> Grid:
    """A table's cells as a grid, each merged cell holding its range's text."""
    from docx.table import _Cell

    rows: list[list[object]] = []
    merged_into: dict[tuple[int, int], tuple[int, int]] = {}
    for row_index, tr in enumerate(table._tbl.tr_lst):
        row: list[object] = [""] * int(getattr(tr, "grid_before", 0) or 0)
        for tc in tr.tc_lst:
            span = max(int(tc.grid_span or 1), 1)
            column = len(row)
            if tc.vMerge == "continue" and row_index > 0:
                origin = merged_into.get((row_index - 1, column), (row_index - 1, column))
                above = rows[origin[0]]
                text = above[origin[1]] if origin[1] < len(above) else ""
            else:
                origin = (row_index, column)
                text = _Cell(tc, table).text
            for offset in range(span):
                if (row_index, column + offset) != origin:
                    merged_into[(row_index, column + offset)] = origin
                row.append(text)
        rows.append(row)
    return Grid(sheet, rows, merged_into)
