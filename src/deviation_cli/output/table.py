"""Records as a table on a terminal: CJK text wrapped by character, short values kept whole.

Why rich, imported only here: it measures East Asian wide characters as two
cells, so columns of Chinese line up; it is imported when a table is printed,
never for JSON or CSV output.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import IO, Any

from ..words import Lang, label
from .cells import shown_cell, shown_value
from .escaping import terminal_safe

#: Columns holding running text: they take the width the short columns leave.
WIDE_COLUMNS = frozenset({"task", "problem", "value", "measure_text", "check_note"})
#: A light's word (红, 黄, 绿) is coloured on a terminal that shows colour; it reads the same without.
LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "amber": "bold yellow", "green": "bold green"}


def use_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def print_table(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    lang: Lang,
    stream: IO[str],
    title: str | None = None,
    highlight: str | None = None,
    words: Mapping[str, str] | None = None,
) -> None:
    """A rich table; CJK text wraps by character (never cut with …), fits the terminal or $COLUMNS."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    colour = use_colour(stream)
    # Without colour the table is rendered to text first so that lines carry no
    # trailing padding (clean to diff, paste or pipe).
    buffer = None if colour else io.StringIO()
    target = stream if buffer is None else buffer
    console = Console(
        file=target,
        no_color=not colour,
        force_terminal=colour,
        color_system="auto" if colour else None,
        width=None if colour else plain_width(),
        highlight=False,
        emoji=False,
        markup=False,
    )
    table = Table(
        title=terminal_safe(title) if title else title,
        box=box.SIMPLE_HEAD,
        show_lines=False,
        expand=False,
        pad_edge=False,
    )
    rows = [
        [terminal_safe(shown_cell(shown_value(record, column), lang, column)) for column in columns]
        for record in records
    ]
    naturals = [
        max([cell_len(label(column, lang, words))] + [cell_len(row[index]) for row in rows])
        for index, column in enumerate(columns)
    ]
    widths = column_widths(columns, naturals, console.width)
    for column, width in zip(columns, widths):
        table.add_column(label(column, lang, words), overflow="fold", width=width)
    for record, row in zip(records, rows):
        pieces = [cell_pieces(value, width) for value, width in zip(row, widths)]
        for number in range(max(len(piece) for piece in pieces) if pieces else 0):
            cells = []
            for column, piece in zip(columns, pieces):
                text = Text(piece[number] if number < len(piece) else "")
                if highlight and column == "task":
                    text.highlight_words([highlight], style="bold reverse", case_sensitive=False)
                if number == 0 and column == "days_left" and _is_negative(record.get(column)):
                    text.stylize("red")
                if colour and column == "light" and record.get(column) in LIGHT_STYLES:
                    text.stylize(LIGHT_STYLES[record[column]])
                cells.append(text)
            table.add_row(*cells)
    console.print(table)
    if buffer is not None:
        stream.write("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n")


#: A cell longer than this is printed as several rows of the table, each a run of whole lines.
LONG_CELL = 4096


def cell_pieces(text: str, width: int) -> list[str]:
    """``text`` cut into runs of whole lines of ``width`` cells, at most LONG_CELL characters each.

    Why: rich re-splits the rest of a cell's text for every line it wraps, so one
    cell of 16 MB took 47 s and 50 MB over 300 s. A table has no lines between its
    rows, so a long cell printed as consecutive rows of whole lines looks the same,
    and each piece costs rich a few thousand characters. Only cells longer than
    LONG_CELL are cut, folded at the column's width (rich folds CJK text the same way;
    text with spaces may break mid-word instead of at a space).
    """
    if len(text) <= LONG_CELL:
        return [text]
    from rich.cells import get_character_cell_size

    pieces: list[str] = []
    lines: list[str] = []
    size = 0
    for paragraph in text.split("\n"):
        start, used = 0, 0
        for index, char in enumerate(paragraph):
            cells = get_character_cell_size(char)
            if used + cells > width and index > start:
                size = _add_line(paragraph[start:index], lines, pieces, size)
                start, used = index, 0
            used += cells
        size = _add_line(paragraph[start:], lines, pieces, size)
    if lines:
        pieces.append("\n".join(lines))
    return pieces


def _add_line(line: str, lines: list[str], pieces: list[str], size: int) -> int:
    if lines and size + len(line) > LONG_CELL:
        pieces.append("\n".join(lines))
        lines.clear()
        size = 0
    lines.append(line)
    return size + len(line) + 1


def _is_negative(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value < 0


def column_widths(columns: Sequence[str], naturals: Sequence[int], total: int) -> list[int]:
    """Widths that keep short values (dates, ids, names) whole and give long text the rest.

    Why by hand: rich measures a CJK string as one unbreakable word, so it
    cannot shrink a column of unit names and squeezes the task text instead.
    """
    # the box's two edges, and a divider plus two padding cells between columns
    available = total - 2 - 3 * (len(columns) - 1)
    wide = [i for i, c in enumerate(columns) if c in WIDE_COLUMNS]
    widths = [n if (i in wide or n <= 10) else min(n, 16) for i, n in enumerate(naturals)]
    if not wide:
        wide = [max(range(len(columns)), key=lambda i: naturals[i])] if columns else []
    fixed = sum(w for i, w in enumerate(widths) if i not in wide)
    share = (available - fixed) // max(1, len(wide))
    if share < 16:
        # Too narrow: let names and wordings wrap before the main text does.
        for i, n in enumerate(naturals):
            if i not in wide and n > 10:
                widths[i] = 10
        fixed = sum(w for i, w in enumerate(widths) if i not in wide)
        share = (available - fixed) // max(1, len(wide))
    for i in wide:
        widths[i] = max(12, min(naturals[i], share))
    return widths


def plain_width() -> int:
    """The width of a table that is not on a terminal: $COLUMNS, else 100."""
    try:
        return max(60, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 100
