"""Where printed pages break: column widths, line counts and page breaks of the documents' tables.

A browser breaks a table between rows (or inside a row) without telling the page: a
merged 第一级 cell that runs over a page break prints its label on one page only, and a row
longer than what is left of a page either splits with no 序号 on its continuation or moves
whole, leaving the page half empty. So the documents decide the breaks themselves, from a
model of the printed page, and tell the browser (``break-before: page`` on a row):

- every row starts on the page the model puts it on, merged cells never run over a break
  (a run continued on the next page gets its label again), and a row is split only where
  it is longer than a page, or where moving it whole would leave the page more than half
  empty; its continuation repeats 序号, the level labels, the lead and the deadline;
- every column is at least as wide as its header word, set on one line, and the deadline
  column as wide as its longest unbreakable wording (2023年12月底 never breaks).

Why a model is enough: Chinese is set on a grid, each character one em wide, and the
documents fix font sizes, line heights and paddings in points, so a cell's line count
depends on the font only through the narrower Latin digits. The model counts those wide
(never fewer lines than the browser), keeps a line in reserve per page, and the browser
tests print with Chromium and compare (tests/documents/test_render_browser.py).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PT_PER_MM = 72 / 25.4

#: A4 with the GB/T 9704 margins (37 top, 35 bottom, 28 left, 26 right): the text block in mm.
PORTRAIT = (210 - 28 - 26, 297 - 37 - 35)
#: The same turned for a landscape table: top to the binding edge (28 top, 26 bottom, 35/37 sides).
LANDSCAPE = (297 - 35 - 37, 210 - 28 - 26)
#: The 22-line grid of the body text (3号, 28.95 pt a line, as Word templates of the standard use).
BODY_LINE_PT = 28.95
BODY_FONT_PT = 16.0  # 3号
TITLE_FONT_PT = 22.0  # 2号

#: What a line of the model holds less than its measure: a browser rounds to 1/64 px, and a cell
#: that is exactly four characters wide may set only three of them on a line.
EM_SLACK = 0.1

#: A row that does not fit moves to the next page whole only if the page it leaves is this full; else
#: it is split where the page ends. More than a half: the model's page is a little fuller than the
#: browser's (it counts a merged label on the first row of its run), and no page may be left half empty.
MOVE_WHOLE_FILL = 0.6

_OPENING = frozenset("（《“‘〔【「『〈([{")
_CLOSING = frozenset("，。、；：？！）》”’〕】」』〉,.;:?!)]}%")
#: Where a kept-together wording may still break: after a comma or 、, and after 年 (2023年 / 12月底),
#: which the templates mark with <wbr> (punctuation.py ``deadline_breaks``).
_BREAK_AFTER_KEEP_ALL = frozenset("，。、；：？！,;年")


@dataclass(frozen=True, slots=True)
class TableStyle:
    """How a table prints: its font size and line height, and its cells' padding and rules, in points."""

    font_pt: float
    line_height: float = 1.45
    pad_x_pt: float = 5.0
    pad_y_pt: float = 4.0
    rule_pt: float = 0.75  # 1 CSS px

    @property
    def line_pt(self) -> float:
        return self.font_pt * self.line_height

    @property
    def row_extra_pt(self) -> float:
        return 2 * self.pad_y_pt + self.rule_pt

    def css(self) -> str:
        """The CSS the model assumes, for the table's style attribute in print."""
        return (
            f"--print-font: {self.font_pt:g}pt; --print-line: {self.line_pt:.3f}pt; "
            f"--print-pad: {self.pad_y_pt:g}pt {self.pad_x_pt:g}pt"
        )


#: The full table (landscape) and a 责任清单 set in 小四; an annex of a notice in 五号.
TABLE_STYLE = TableStyle(12.0)
ANNEX_STYLE = TableStyle(10.5)


# --- text ---------------------------------------------------------------------------------------


def char_em(ch: str) -> float:
    """A character's advance in em, never less than the browser's: CJK and full-width forms 1, Latin about 0.6."""
    found = _EM.get(ch)
    if found is None:
        found = _EM[ch] = _char_em(ch)
    return found


def _char_em(ch: str) -> float:
    if _is_wide(ch):
        return 1.0
    if ch == " ":
        return 0.3
    if "A" <= ch <= "Z" or ch in "MW@%":
        return 0.7
    return 0.58


#: Each character's width and whether it is wide, as met: the model measures every cell of a
#: table, and unicodedata's look-ups were most of its time.
_EM: dict[str, float] = {}
_WIDE: dict[str, bool] = {}


def text_em(text: str) -> float:
    em = _EM
    total = 0.0
    for ch in text:
        width = em.get(ch)
        total += width if width is not None else char_em(ch)
    return total


def _is_wide(ch: str) -> bool:
    found = _WIDE.get(ch)
    if found is None:
        found = _WIDE[ch] = ord(ch) > 0x7F and unicodedata.east_asian_width(ch) in "WFA"
    return found


def segments(text: str, keep_all: bool = False) -> list[str]:
    """The pieces a line may break between, as a browser breaks Chinese.

    Between any two Chinese characters, but never before a closing mark (，。、）》” …) nor
    after an opening one (（《“); a run of Latin letters and digits (2023, 80%) is one piece.
    With ``keep_all`` (CSS word-break: keep-all), Chinese characters hold together too and a
    line breaks only after a comma or 、 and at spaces. A piece keeps the spaces after it.
    """
    return [text[start:end] for start, end in _piece_bounds(text, keep_all)]


def _piece_bounds(text: str, keep_all: bool) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for index, ch in enumerate(text):
        if index == start:
            continue
        previous = text[index - 1]
        if ch == " ":
            continue
        if previous == " ":
            bounds.append((start, index))
            start = index
            continue
        if ch in _CLOSING:
            continue
        if keep_all:
            breaks = previous in _BREAK_AFTER_KEEP_ALL
        else:
            joins = previous in _OPENING or (not _is_wide(ch) and not _is_wide(previous) and previous not in _CLOSING)
            breaks = not joins
        if breaks:
            bounds.append((start, index))
            start = index
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds


def line_bounds(text: str, width_em: float, keep_all: bool = False) -> tuple[tuple[int, int], ...]:
    """Where each line a browser sets ``text`` in starts and ends, at ``width_em`` ems a line.

    A newline always breaks (the cells keep them: white-space: pre-line); a piece wider than a
    line breaks anywhere (overflow-wrap: anywhere). The lines cover the text: cut at their
    bounds, the parts join back into it exactly.
    """
    # Remembered: a table repeats its leads, deadlines and labels on many rows.
    return _line_bounds(text, round(width_em, 4), keep_all)


@functools.lru_cache(maxsize=1 << 16)
def _line_bounds(text: str, width_em: float, keep_all: bool) -> tuple[tuple[int, int], ...]:
    width_em -= EM_SLACK
    lines: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        line_start, used = offset, 0.0
        for start, end in _piece_bounds(paragraph, keep_all):
            piece = paragraph[start:end]
            width = text_em(piece.rstrip(" "))
            if used and used + width > width_em + 1e-6:
                lines.append((line_start, offset + start))
                line_start, used = offset + start, 0.0
            if not used and width > width_em + 1e-6:
                for position, ch in enumerate(piece):
                    if used and used + char_em(ch) > width_em + 1e-6:
                        lines.append((line_start, offset + start + position))
                        line_start, used = offset + start + position, 0.0
                    used += char_em(ch)
                continue
            used += text_em(piece)
        end = offset + len(paragraph)
        lines.append((line_start, end + (1 if end < len(text) else 0)))
        offset = end + 1
    return tuple(lines)


def wrap(text: str, width_em: float, keep_all: bool = False) -> list[str]:
    """The lines of ``text`` at ``width_em`` ems a line, without their line ends."""
    return [text[start:end].rstrip(" \n") for start, end in line_bounds(text, width_em, keep_all)]


@functools.lru_cache(maxsize=1 << 14)
def longest_piece_em(text: str, keep_all: bool = True) -> float:
    """The widest piece a line cannot break inside: what a column must hold."""
    return max(
        (text_em(piece.rstrip(" ")) for line in text.split("\n") for piece in segments(line, keep_all)), default=0
    )


# --- titles -------------------------------------------------------------------------------------


def title_lines(title: str, width_em: float) -> list[str]:
    """A title set on as few lines as fit, balanced, never broken inside 《…》 (GB/T 9704 7.2.3).

    Lines are as even as the breaks allow (a title's lines form a trapezoid or a diamond),
    a break is preferred next to 《》, and no line is a single character. A book title too long
    for a line breaks inside after all: after a year or a 、 where it can, at the cost of a
    line more rather than through a word.
    """
    width_em -= EM_SLACK
    pieces, inside = _title_pieces(title, width_em)
    count = len(pieces)
    widths = [text_em(piece) for piece in pieces]
    best: tuple[float, list[int]] | None = None
    fewest = None
    for lines in range(1, count + 1):
        if fewest is not None and lines > fewest + 1:
            break
        for cuts in _cuts(widths, lines, width_em):
            bounds = [0, *cuts, count]
            lengths = [sum(widths[a:b]) for a, b in zip(bounds, bounds[1:])]
            if min(lengths) < 2 and lines > 1:
                continue
            fewest = lines if fewest is None else fewest
            mean = sum(lengths) / lines
            score = sum((length - mean) ** 2 for length in lengths) + 12.0 * (lines - fewest)
            for cut in cuts:
                bonus = _BREAK_BONUS.get(pieces[cut][0], 0.0) + _BREAK_BONUS.get(pieces[cut - 1][-1], 0.0)
                score += (40.0 - 10.0 * bonus) if cut in inside else -bonus
            if best is None or score < best[0]:
                best = (score, cuts)
    if best is None:
        return [title]
    bounds = [0, *best[1], count]
    return ["".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:])]


#: Where a title's line likes to end: before 《 and after 》, and (inside a book title too long for
#: a line) after a year (2024年) or a 、 or 的: where a reader pauses, never inside a word it can see.
_BREAK_BONUS = {"《": 4.0, "》": 4.0, "年": 3.0, "、": 3.0, "的": 1.0}


def _title_pieces(title: str, width_em: float) -> tuple[list[str], set[int]]:
    """The title's unbreakable pieces, and the positions where a cut would fall inside a book title."""
    pieces: list[tuple[str, bool]] = []
    for part in _book_titles(title):
        if part.startswith("《") and text_em(part) <= width_em:
            pieces.append((part, False))
        else:
            within = part.startswith("《")
            pieces.extend((piece, within and number > 0) for number, piece in enumerate(segments(part)))
    # A closing mark never starts a line, an opening one never ends one: join them to their neighbour.
    joined: list[tuple[str, bool]] = []
    for piece, within in pieces:
        if joined and (piece[0] in _CLOSING or joined[-1][0][-1] in _OPENING):
            joined[-1] = (joined[-1][0] + piece, joined[-1][1])
        else:
            joined.append((piece, within))
    return [piece for piece, _ in joined], {index for index, (_, within) in enumerate(joined) if within}


def _book_titles(title: str) -> list[str]:
    parts: list[str] = []
    rest = title
    while "《" in rest and "》" in rest[rest.index("《") :]:
        start = rest.index("《")
        end = rest.index("》", start) + 1
        if start:
            parts.append(rest[:start])
        parts.append(rest[start:end])
        rest = rest[end:]
    if rest:
        parts.append(rest)
    return parts


def _cuts(widths: Sequence[float], lines: int, width_em: float) -> Iterable[list[int]]:
    """Positions to cut ``widths`` into ``lines`` runs, each no wider than ``width_em``."""
    if lines == 1:
        if sum(widths) <= width_em + 1e-6:
            yield []
        return
    total = 0.0
    for cut in range(1, len(widths)):
        total += widths[cut - 1]
        if total > width_em + 1e-6:
            break
        for rest in _cuts(widths[cut:], lines - 1, width_em):
            yield [cut, *(cut + position for position in rest)]


# --- columns ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """A column as the model sees it: its header word, a preferred share of the width, how it breaks."""

    field: str
    header: str
    share: float = 0.0  # of the table's width; 0: only as wide as it must be
    rest: bool = False  # takes what the other columns leave (the task text)
    keep_all: bool = False  # breaks only after a comma or 、 (deadlines: 2023年12月底 stays whole)
    min_em: float = 0.0  # at least this wide, besides the header and the longest piece


def column_widths(
    specs: Sequence[ColumnSpec],
    cells: Sequence[Sequence[str]],
    width_pt: float,
    style: TableStyle,
    whole: Mapping[int, Iterable[str]] | None = None,
) -> list[float]:
    """Each column's width in points, adding up to ``width_pt``: the table as short as the width allows.

    A column is never narrower than its header word on one line, nor than the longest piece
    its cells cannot break (a deadline's wording, a run of digits). What the minimums leave
    goes, a slice at a time, to the column that shortens the table most (each row as tall as
    its tallest cell); a slice that shortens nothing goes to the column furthest below its
    preferred ``share``, else to the ``rest`` column. ``cells``: each row's texts as printed
    (a merged cell's label on the first row of its run only), or a sample of the rows with
    ``whole``: for each keep-all column, every text it must hold whole.
    """
    frame = 2 * style.pad_x_pt + style.rule_pt
    count = len(specs)
    # A sample is enough to see which column makes rows tall (and keeps a large table quick);
    # the pieces a keep-all column must hold whole are looked for in every row.
    sample = cells if len(cells) <= 120 else [cells[i * len(cells) // 120] for i in range(120)]
    minimum = []
    for index, spec in enumerate(specs):
        if whole is not None and index in whole:
            texts: Iterable[str] = whole[index]
        else:
            texts = (row[index] for row in (cells if spec.keep_all else sample))
        widest = max((longest_piece_em(text, spec.keep_all) for text in texts), default=0.0)
        minimum.append((max(text_em(spec.header), widest, spec.min_em) + 2 * EM_SLACK) * style.font_pt + frame)
    widths = list(minimum)
    left = width_pt - sum(widths)
    if left <= 0:
        return [width * width_pt / sum(widths) for width in widths]
    measured = [[_measure(row[i], spec.keep_all) for i, spec in enumerate(specs)] for row in sample]
    rows = range(len(sample))

    def lines(column: int, width: float) -> list[int]:
        return [_line_count(row[column], (width - frame) / style.font_pt) for row in measured]

    step = max(left / 60, style.font_pt)
    current = [lines(i, widths[i]) for i in range(count)]
    wider = [lines(i, widths[i] + step) for i in range(count)]  # each column one slice wider
    rest = next((i for i, spec in enumerate(specs) if spec.rest), count - 1)
    while left >= step:
        # each row's tallest cell, and the tallest but for the column that sets it
        tops = []
        for r in rows:
            heights = sorted(((current[i][r], i) for i in range(count)), reverse=True)
            tops.append((heights[0][0], heights[0][1], heights[1][0] if count > 1 else 0))
        best, best_gain = -1, 0
        for i in range(count):
            gain = 0
            for r in rows:
                top, by, second = tops[r]
                if by == i:
                    gain += top - max(wider[i][r], second)
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            deficits = [specs[i].share * width_pt - widths[i] for i in range(count)]
            best = max(range(count), key=lambda i: deficits[i])
            if deficits[best] <= 0:
                best = rest
        widths[best] += step
        current[best] = wider[best]
        wider[best] = lines(best, widths[best] + step)
        left -= step
    widths[rest] += left
    return widths


@functools.lru_cache(maxsize=1 << 14)
def _measure(text: str, keep_all: bool) -> list[list[tuple[float, float]]]:
    """Each paragraph's pieces as (width without the spaces after it, width with them), in em."""
    measured = []
    for paragraph in text.split("\n"):
        pieces = []
        for start, end in _piece_bounds(paragraph, keep_all):
            piece = paragraph[start:end]
            pieces.append((text_em(piece.rstrip(" ")), text_em(piece)))
        measured.append(pieces)
    return measured


def _line_count(paragraphs: list[list[tuple[float, float]]], width_em: float) -> int:
    """How many lines ``line_bounds`` sets the measured text in (a piece wider than a line, over as many)."""
    width_em -= EM_SLACK
    total = 0
    for pieces in paragraphs:
        total += 1
        used = 0.0
        for bare, full in pieces:
            if used and used + bare > width_em + 1e-6:
                total += 1
                used = 0.0
            if not used and bare > width_em + 1e-6:
                whole = int(bare // width_em) if width_em > 0 else 0
                total += whole
                used = bare - whole * width_em
                continue
            used += full
    return total


def percentages(widths: Sequence[float]) -> list[str]:
    total = sum(widths)
    return [f"{100 * width / total:.2f}%" for width in widths]


# --- pages --------------------------------------------------------------------------------------

_Row = TypeVar("_Row")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text for the model; a ``split`` cell carries on in a row's continuation, others repeat."""

    text: str
    split: bool = False
    keep_all: bool = False
    # A merged cell's label (a level's heading): it makes a row taller only where the row starts
    # the run, or starts a page (the label is printed again there).
    merged: bool = False
    starts_run: bool = False


@dataclass(frozen=True, slots=True)
class Placed(Generic[_Row]):
    """A row as the model places it: the whole row or one part of it, and whether it starts a page."""

    row: _Row
    part: int  # 0: the row, or its first part; 1, 2 …: continuations on the following pages
    texts: tuple[str, ...]  # each split cell's text on this part, in the order of the cells
    page: int
    page_break: bool  # the row starts a page (a forced break before it)
    last_part: bool = True


@dataclass(frozen=True, slots=True)
class PlacedTable(Generic[_Row]):
    rows: tuple[Placed[_Row], ...]
    break_before: bool  # not even the header and one row fitted where the table would start


@dataclass
class Flow:
    """The page being filled, in points from the top of its text block.

    ``used`` is where the next block starts. A document adds its blocks in the order its
    template prints them; a table places its rows with ``table``.
    """

    height_pt: float
    page: int = 0
    used: float = 0.0
    reserve_pt: float = 0.0  # kept free at the foot of each page: what the model may be short by

    @property
    def room(self) -> float:
        return self.height_pt - self.reserve_pt

    def new_page(self) -> None:
        """A forced break (an annex starts a page)."""
        if self.used > 0:
            self.page += 1
        self.used = 0.0

    def space(self, points: float) -> None:
        """A margin (negative: one that pulls the next block up); a margin at a page's foot is dropped."""
        self.used = max(0.0, min(self.used + points, self.room))

    def text(self, text: str, font_pt: float, line_pt: float, width_pt: float, indent_em: float = 0.0) -> None:
        """A paragraph or heading on ``line_pt`` lines; the browser breaks it between any two lines."""
        lines = len(line_bounds("\u3000" * round(indent_em) + text, width_pt / font_pt)) if text else 1
        for _ in range(lines):
            if self.used + line_pt > self.room + 1e-6:
                self.page, self.used = self.page + 1, 0.0
            self.used += line_pt

    def table(
        self,
        rows: Sequence[_Row],
        cells: Sequence[Sequence[Cell]],
        widths_pt: Sequence[float],
        style: TableStyle,
    ) -> PlacedTable[_Row]:
        """Place a table's rows (``cells``: each row's) from ``used`` on, its header repeated on each page."""
        inner = [(width - 2 * style.pad_x_pt - style.rule_pt) / style.font_pt for width in widths_pt]
        head = style.line_pt + style.row_extra_pt
        one_line = style.line_pt + style.row_extra_pt
        break_before = self.used > 0 and self.used + head + 2 * one_line > self.room
        if break_before:
            self.page, self.used = self.page + 1, 0.0
        self.used += head
        placed: list[Placed[_Row]] = []
        starts_page = False
        for row, row_cells in zip(rows, cells):
            bounds = [line_bounds(cell.text, inner[i], cell.keep_all) for i, cell in enumerate(row_cells)]
            split = [i for i, cell in enumerate(row_cells) if cell.split]
            whole = max((len(bounds[i]) for i, cell in enumerate(row_cells) if not cell.split), default=1)
            # the cells that repeat on a continuation; a label only where the row starts its run
            fixed_in_run = max(
                [
                    1,
                    *(
                        len(bounds[i])
                        for i, c in enumerate(row_cells)
                        if not c.split and (not c.merged or c.starts_run)
                    ),
                ]
            )
            done = {i: 0 for i in split}  # lines of each split cell already placed
            part = 0
            while True:
                fresh = self.used <= head + 1e-6
                fixed = whole if fresh or part > 0 else fixed_in_run
                if part > 0:
                    fixed = max(fixed, 2)  # the 序号 and （续） under it
                tallest = max([fixed, *(len(bounds[i]) - done[i] for i in split)])
                height = tallest * style.line_pt + style.row_extra_pt
                left = self.room - self.used
                if height <= left + 1e-6:
                    take = tallest
                elif not fresh and height <= self.room - head + 1e-6 and self.used >= self.room * MOVE_WHOLE_FILL:
                    take = 0  # moves whole: the page it leaves is at least half full
                else:
                    # Longer than a page, or moving it would leave the page more than half empty:
                    # it is split where the page ends, if a fair part of it fits there.
                    take = int((left - style.row_extra_pt + 1e-6) // style.line_pt)
                    if take < max(2, fixed) and not fresh:
                        take = 0
                    take = max(take, 1)
                if take == 0:
                    self.page, self.used = self.page + 1, head
                    starts_page = True
                    continue
                more = any(len(bounds[i]) - done[i] > take for i in split)
                texts = []
                for i in split:
                    lines = bounds[i][done[i] : done[i] + take]
                    texts.append(row_cells[i].text[lines[0][0] : lines[-1][1]] if lines else "")
                placed.append(Placed(row, part, tuple(texts), self.page, starts_page, not more))
                starts_page = False
                if not more:
                    self.used += height
                    break
                done = {i: min(done[i] + take, len(bounds[i])) for i in split}
                part += 1
                self.page, self.used = self.page + 1, head
                starts_page = True
        return PlacedTable(tuple(placed), break_before)


def split_rows(
    cells: Sequence[Sequence[Cell]], widths_pt: Sequence[float], style: TableStyle, limit_pt: float
) -> list[list[tuple[str, ...]]]:
    """Each row's parts where the page a table starts on is not known (the 通报's tables).

    A row taller than ``limit_pt`` is cut into parts no taller, each the split cells' texts;
    other rows are one part. With every part under half a page and no row split by the
    browser (break-inside: avoid), no page is left more than half empty by one row.
    """
    inner = [(width - 2 * style.pad_x_pt - style.rule_pt) / style.font_pt for width in widths_pt]
    most = max(2, int((limit_pt - style.row_extra_pt) // style.line_pt))
    rows = []
    for row in cells:
        split = [i for i, cell in enumerate(row) if cell.split]
        bounds = {i: line_bounds(row[i].text, inner[i], row[i].keep_all) for i in split}
        tallest = max((len(lines) for lines in bounds.values()), default=1)
        parts = []
        for first in range(0, max(tallest, 1), most):
            texts = []
            for i in split:
                lines = bounds[i][first : first + most]
                texts.append(row[i].text[lines[0][0] : lines[-1][1]] if lines else "")
            parts.append(tuple(texts))
        rows.append(parts)
    return rows
