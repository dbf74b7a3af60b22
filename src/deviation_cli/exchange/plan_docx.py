"""A Word document (.docx) as ``deviation init`` reads it: its paragraphs as lines, its tables as grids.

python-docx is imported here only, when a .docx is read: no other command pays for it.
Tables are read from their XML so that merged cells are known as such: a cell merged
across columns (gridSpan) or down rows (vMerge) holds its range's text in every
position it covers, and names the range's first cell in messages, as a workbook's do.
A paragraph numbered by Word itself (a list, not typed 一、) gets its number written
before its text, as Word shows it, so the numbering reads as if typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
        numbers = _ListNumbers(document)
        paragraphs = 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                grids.append(_grid(block, f"[{path.name}]{table_word.format(n=len(grids) + 1)}"))
            else:
                paragraphs += 1
                if block.text.strip():
                    text = numbers.label(block) + block.text
                    lines.append(SourceLine(text, f"{shown} {paragraph_word.format(n=paragraphs)}"))
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


# --- Word's own list numbering ---------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"
#: Word's number formats that count in Chinese: 一, 二, … 十一.
_CHINESE_FORMATS = frozenset(
    {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional", "japaneseCounting"}
)


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五: as documents count their parts."""
    if number < 10:
        return _CN_DIGITS[number]
    if number < 20:
        return "十" + (_CN_DIGITS[number % 10] if number % 10 else "")
    if number < 100:
        return _CN_DIGITS[number // 10] + "十" + (_CN_DIGITS[number % 10] if number % 10 else "")
    rest = number % 100
    middle = "" if not rest else ("零" if rest < 10 else "一" if rest < 20 else "")
    return _CN_DIGITS[number // 100 % 10] + "百" + middle + (chinese_number(rest) if rest else "")


class _ListNumbers:
    """The numbers Word shows before paragraphs it numbers itself, counted as Word counts them.

    Each list (numId) counts each of its levels; a number at one level starts the
    levels below it again. Bullets and formats other than decimal, Chinese and
    circled numbers give no number.
    """

    def __init__(self, document: Any):
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> level -> (format, text, start)
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str | None, dict[int, tuple[str, str, int]]] = {}
        for definition in root.findall(qn("w:abstractNum")):
            found: dict[int, tuple[str, str, int]] = {}
            for level in definition.findall(qn("w:lvl")):
                found[int(level.get(qn("w:ilvl"), "0"))] = (
                    self._value(level, "w:numFmt", "decimal"),
                    self._value(level, "w:lvlText", ""),
                    int(self._value(level, "w:start", "1")),
                )
            abstract[definition.get(qn("w:abstractNumId"))] = found
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.levels[num.get(qn("w:numId"), "")] = abstract.get(ref.get(qn("w:val")), {})

    def _value(self, element: Any, tag: str, default: str) -> str:
        child = element.find(self.qn(tag))
        value = child.get(self.qn("w:val")) if child is not None else None
        return value if value is not None else default

    def label(self, paragraph: Any) -> str:
        """The number Word shows before ``paragraph`` (一、 (一) 1.), or "" for none."""
        num_id, level = self._numbering(paragraph)
        if num_id is None or num_id not in self.levels or level not in self.levels[num_id]:
            return ""
        counts = self.counts.setdefault(num_id, {})
        formats = self.levels[num_id]
        counts[level] = counts.get(level, formats[level][2] - 1) + 1
        for deeper in [known for known in counts if known > level]:
            del counts[deeper]
        text = formats[level][1]
        for shown in range(level + 1):
            number = counts.get(shown, formats.get(shown, ("decimal", "", 1))[2])
            rendered = self._format(formats.get(shown, ("decimal", "", 1))[0], number)
            if rendered is None:
                return ""
            text = text.replace(f"%{shown + 1}", rendered)
        return text

    def _numbering(self, paragraph: Any) -> tuple[str | None, int]:
        """(numId, level) from the paragraph's own properties, else from its style's."""
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        for properties in sources:
            numbering = properties.numPr if properties is not None else None
            if numbering is not None and numbering.numId is not None:
                level = numbering.ilvl.val if numbering.ilvl is not None else 0
                return str(numbering.numId.val), int(level)
        return None, 0

    @staticmethod
    def _format(kind: str, number: int) -> str | None:
        if kind == "decimal":
            return str(number)
        if kind in _CHINESE_FORMATS:
            return chinese_number(number)
        if kind.startswith("decimalEnclosedCircle") and 1 <= number <= 20:
            return chr(ord("①") + number - 1)
        return None
