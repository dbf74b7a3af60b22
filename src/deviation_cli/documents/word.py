"""A document as Word (.docx) in the GB/T 9704 layout, built from its HTML: the same template, the same words.

Offices edit and seal notices in Word or WPS before sending them, so a notice, a 责任清单
and the 通报 come as .docx too. Each is the HTML document the templates print (a user's
templates included), read back by its structure: the title (h1.title), 主送机关
(p.salutation), paragraphs, headings, 附件说明, 落款 (div.signature), annexes
(section.attachment), tables (merged cells, header rows), figures, the 版记 (div.imprint).

The page: A4 (the full table landscape), margins 37/35/28/26 mm, body 3号 仿宋_GB2312 on
28.95 pt lines (22 a page), title 2号 方正小标宋简体, headings 黑体 and 楷体_GB2312, page
numbers "— 1 —" in 4号 宋体 in the footer, right on odd pages and left on even ones. Fonts
are named as offices have them; where one is missing, the font table's alternative name
(仿宋, 楷体, 宋体) and its GB2312 character set let Word, WPS or LibreOffice substitute a
Chinese font of the same kind. A table's header row repeats on every page, its merged cells
are merged, and a row is kept on one page unless it is longer than half a page.

python-docx is imported with this module, which the commands import only when a .docx is asked for.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .print_layout import LANDSCAPE, PORTRAIT, text_em

#: The fonts as Chinese offices name them, each with the font Word may put in its place.
FANGSONG = ("仿宋_GB2312", "仿宋")
XIAOBIAOSONG = ("方正小标宋简体", "宋体")
HEITI = ("黑体", "SimHei")
KAITI = ("楷体_GB2312", "楷体")
SONGTI = ("宋体", "SimSun")

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
IMPRINT_PT = 14.0  # 4号 (版记)
LINE_PT = 28.95  # 22 lines a page
TABLE_PT = 12.0  # 小四

_VOID = frozenset({"br", "wbr", "col", "meta", "img", "hr", "input", "link"})
_SKIP = frozenset({"head", "style", "script", "nav", "title"})


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find(self, tag: str) -> Node | None:
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in _SKIP:
            if tag not in _VOID:
                self.skipping += 1
            return
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag not in _VOID:
                self.skipping -= 1
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping and data:
            self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root


# --- the Word document --------------------------------------------------------------------------


def word_document(html: str) -> bytes:
    """The .docx of an HTML document the templates printed (a notice, a 责任清单, the 通报, a table)."""
    root = parse_html(html)
    body = root.find("body") or root
    main = body.find("main") or body
    landscape = "wide" in body.classes
    document = docx.Document()
    _page(document, landscape)
    _styles(document)
    _font_table(document)
    title = root.find("h1")
    core = document.core_properties
    core.title = " ".join(_inline_text(title).split()) if title is not None else ""
    core.author = core.last_modified_by = "deviation"
    core.comments = ""
    writer = _Writer(document, landscape)
    writer.blocks(main)
    writer.finish()
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _page(document: WordDocument, landscape: bool) -> None:
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
        section.footer_distance = Mm(14)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        # the page number's line 7 mm under the text block
        section.footer_distance = Mm(23)
    section.header_distance = Mm(15)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], right=True)
    _page_number(section.even_page_footer.paragraphs[0], right=False)


def _page_number(paragraph: Paragraph, right: bool) -> None:
    """— 1 —, 4号 宋体, one character in from the right (odd pages) or the left (even pages)."""

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    if right:
        paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)

    def run(text: str = "") -> Any:
        made = paragraph.add_run(text)
        _font(made, SONGTI, PAGE_NUMBER_PT)
        return made

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
        made = run("1" if kind is None and instruction is None else "")
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            made._r.append(char)
        elif instruction is not None:
            text = OxmlElement("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = instruction
            made._r.append(text)
    run(" —")


def _styles(document: WordDocument) -> None:
    normal = document.styles["Normal"]
    _font_of(normal.font, normal.element, FANGSONG, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True


def _font_table(document: WordDocument) -> None:
    """Each office font with its alternative and the GB2312 character set, for Word to substitute."""
    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        # the kind of face each is (a serif, or a sans for 黑体), for a program that substitutes by kind
        for (name, alternative), family in (
            (FANGSONG, "roman"),
            (XIAOBIAOSONG, "roman"),
            (HEITI, "swiss"),
            (KAITI, "roman"),
            (SONGTI, "roman"),
        )
    )
    blob = part.blob.decode("utf-8").replace("</w:fonts>", entries + "</w:fonts>")
    part._blob = blob.encode("utf-8")


def _font(run: Any, font: tuple[str, str], size: float, bold: bool = False) -> None:
    _font_of(run.font, run._r, font, size)
    run.font.bold = bold


def _font_of(font: Any, element: Any, east_asian: tuple[str, str], size: float) -> None:
    """Every character in ``east_asian`` at ``size`` points: Chinese (rFonts w:eastAsia), and digits,
    Latin letters and the quotation marks “” too, which a Western font would set narrow."""

    font.name = east_asian[0]
    font.size = Pt(size)
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian[0])
    fonts.set(qn("w:hint"), "eastAsia")


#: A <br> while a node's text is gathered (source line breaks are white space, as in HTML).
_LINE_BREAK = "\u2028"


def _inline_text(node: Node | None) -> str:
    """A node's text as printed: <br> a line break, what only print repeats (.again, .cont) left out."""
    if node is None:
        return ""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif child.tag == "br":
            parts.append(_LINE_BREAK)
        elif child.tag == "wbr" or child.classes & {"again", "cont", "light"}:
            continue
        else:
            parts.append(_inline_text(child))
    return "".join(parts)


def _clean(text: str) -> str:
    """White space as HTML shows it (a run of it is one space, none at the ends); <br> is a line break."""
    lines = [" ".join(line.split()) for line in text.split(_LINE_BREAK)]
    return "\n".join(lines).strip("\n ")


@dataclass
class _Style:
    font: tuple[str, str] = FANGSONG
    size: float = BODY_PT
    align: str = "justify"
    first_indent: float = 0.0  # in characters
    left_indent: float = 0.0
    right_indent: float = 0.0
    page_break: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    line: float | None = LINE_PT
    keep_with_next: bool = False


class _Writer:
    """Walks the HTML's blocks and writes Word paragraphs and tables."""

    def __init__(self, document: WordDocument, landscape: bool):
        self.document = document
        self.text_width = int(Mm((LANDSCAPE if landscape else PORTRAIT)[0]))
        self.next_page_break = False
        self.imprint: Node | None = None

    # blocks

    def blocks(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    self.paragraph(_clean(child), _Style())
                continue
            self.block(child)

    def block(self, node: Node) -> None:
        tag, classes = node.tag, node.classes
        if tag == "h1":
            self.paragraph(
                _clean(_inline_text(node)),
                _Style(XIAOBIAOSONG, TITLE_PT, "center", space_after=LINE_PT, keep_with_next=True),
            )
        elif tag == "h2":
            self.paragraph(_clean(_inline_text(node)), _Style(HEITI, BODY_PT, "left", keep_with_next=True))
        elif tag in ("h3", "h4"):
            self.paragraph(_clean(_inline_text(node)), _Style(KAITI, BODY_PT, "left", keep_with_next=True))
        elif tag == "p":
            self.p(node, classes)
        elif tag == "section" and "attachment" in classes:
            self.next_page_break = True
            self.blocks(node)
        elif tag == "div" and "signature" in classes:
            self.signature(node)
        elif tag == "div" and "imprint" in classes:
            self.imprint = node  # written last, at the end of the document
        elif tag == "table":
            self.table(node)
        elif tag == "figure":
            self.figure(node)
        elif tag in ("ul", "ol"):
            for item in node.find_all("li"):
                self.paragraph(_clean(_inline_text(item)), _Style(size=self.small(node), first_indent=2, line=None))
        elif tag in ("div", "section", "main", "article", "dl"):
            self.blocks(node)
        else:
            text = _clean(_inline_text(node))
            if text:
                self.paragraph(text, _Style())

    def small(self, node: Node) -> float:
        return TABLE_PT if node.classes & {"quote", "rule", "remark", "note"} else BODY_PT

    def p(self, node: Node, classes: set[str]) -> None:
        text = _clean(_inline_text(node))
        if "subtitle" in classes:
            self.paragraph(text, _Style(KAITI, BODY_PT, "center", space_after=LINE_PT))
        elif "attachment-label" in classes:
            self.paragraph(text, _Style(HEITI, BODY_PT, "left"))
        elif "attachment-note" in classes:
            indent = 5.0 if "more" in classes else 2.0
            self.paragraph(text, _Style(left_indent=indent, space_before=0 if "more" in classes else LINE_PT))
        elif classes & {"quote", "rule", "remark", "note"}:
            self.paragraph(text, _Style(size=TABLE_PT, first_indent=2 if "indent" in classes else 0, line=None))
        elif "salutation" in classes:
            self.paragraph(text, _Style())
        else:
            self.paragraph(text, _Style(first_indent=2 if "indent" in classes else 0))

    def paragraph(self, text: str, style: _Style) -> Paragraph:
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
        }.get(style.align, WD_ALIGN_PARAGRAPH.JUSTIFY)
        if style.first_indent:
            fmt.first_line_indent = Pt(style.first_indent * style.size)
        if style.left_indent:
            fmt.left_indent = Pt(style.left_indent * style.size)
        if style.right_indent:
            fmt.right_indent = Pt(style.right_indent * style.size)
        if style.line is None:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.space_before = Pt(style.space_before)
        fmt.space_after = Pt(style.space_after)
        fmt.keep_with_next = style.keep_with_next or None
        if style.page_break or self.next_page_break:
            fmt.page_break_before = True
            self.next_page_break = False
        self.runs(paragraph, text, style.font, style.size)
        return paragraph

    def runs(self, paragraph: Paragraph, text: str, font: tuple[str, str], size: float, bold: bool = False) -> None:
        for number, line in enumerate(text.split("\n")):
            run = paragraph.add_run()
            if number:
                run.add_break()
            run.add_text(line)
            _font(run, font, size, bold)

    def signature(self, node: Node) -> None:
        """落款 without a seal (GB/T 9704 7.3.5.2): one line under the text, the issuer two characters
        from the right, the date under it starting two characters right of the issuer's start."""
        issuer_text = next((_clean(_inline_text(p)) for p in node.find_all("p") if "issuer" in p.classes), "")
        date_text = next((_clean(_inline_text(p)) for p in node.find_all("p") if "date" in p.classes), "")
        if issuer_text:
            self.paragraph(issuer_text, _Style(align="right", right_indent=2, space_before=LINE_PT))
        if date_text:
            indent = max(0.0, 2 + text_em(issuer_text) - 2 - text_em(date_text)) if issuer_text else 2.0
            self.paragraph(date_text, _Style(align="right", right_indent=indent))

    def finish(self) -> None:
        if self.imprint is not None:
            self.write_imprint(self.imprint)

    def write_imprint(self, node: Node) -> None:
        """版记 (GB/T 9704 7.4): 印发机关 and 印发日期 between two rules, 4号, one character in from each side."""

        cells = [_clean(_inline_text(span)) for span in node.find_all("span")]
        left, right = (cells + ["", ""])[:2]
        table = self.document.add_table(rows=1, cols=2)
        table.autofit = False
        _table_borders(table, outer_only=True)
        half = self.text_width // 2
        for column in table.columns:
            column.width = half
        for index, (text, align) in enumerate(((left, "left"), (right, "right"))):
            cell = table.rows[0].cells[index]
            cell.width = half
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.RIGHT
            if align == "left":
                paragraph.paragraph_format.left_indent = Pt(IMPRINT_PT)
            else:
                paragraph.paragraph_format.right_indent = Pt(IMPRINT_PT)
            self.runs(paragraph, text, FANGSONG, IMPRINT_PT)
        _keep_on_one_page(table.rows[0])
        before = table._tbl.getprevious()
        if before is not None and before.tag.endswith("}p"):
            spacer = self.document.paragraphs[-1]
            spacer.paragraph_format.space_before = Pt(LINE_PT)

    # tables

    def table(self, node: Node) -> None:
        size = _table_font(node)
        shares = [_percent(col.attrs.get("style", "")) for col in node.find_all("col")]
        head = node.find("thead")
        body = node.find("tbody") or node
        header_rows = head.find_all("tr") if head is not None else []
        rows = _merge_continuations([row for row in body.find_all("tr") if row not in header_rows])
        grid, origins = _grid(header_rows + [row.node for row in rows])
        columns = max((len(line) for line in grid), default=0)
        if not columns:
            return
        if len(shares) != columns or not all(shares):
            shares = [1.0] * columns
        total = sum(shares)
        widths = [int(self.text_width * share / total) for share in shares]
        if self.next_page_break:
            self.paragraph("", _Style(line=None)).paragraph_format.page_break_before = True
        table = self.document.add_table(rows=len(grid), cols=columns)
        table.autofit = False
        _table_borders(table)
        for column, width in zip(table.columns, widths):
            column.width = width  # the grid's widths, which LibreOffice reads
        merged: set[tuple[int, int]] = set()
        for r, line in enumerate(grid):
            word_row = table.rows[r]
            is_header = r < len(header_rows)
            if is_header:
                _repeat_header(word_row)
            long_row = not is_header and rows[r - len(header_rows)].long
            if not long_row:
                _keep_on_one_page(word_row)
            for c in range(columns):
                cell = word_row.cells[c]
                cell.width = widths[c]
                entry = line[c] if c < len(line) else None
                if entry is None or (r, c) not in origins:
                    continue
                source, down, across = origins[(r, c)]
                text = _cell_text(source, rows, r - len(header_rows)) if not is_header else _clean(_inline_text(source))
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                paragraph.paragraph_format.first_line_indent = Pt(0)
                paragraph.alignment = _cell_alignment(source, is_header)
                self.runs(paragraph, text, HEITI if is_header else FANGSONG, size)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                if down > 1 or across > 1:
                    end = table.cell(r + down - 1, c + across - 1)
                    if (r, c) not in merged:
                        cell.merge(end)
                        merged.add((r, c))
        # a little air under a table, as the HTML's margin
        self.paragraph("", _Style(line=None, size=TABLE_PT))

    def figure(self, node: Node) -> None:
        """A chart as words: its legend on one line, each bar as a row of label and values; its caption."""

        legend = node.find("ul")
        if legend is not None:
            items = "　".join(_clean(_inline_text(li)) for li in legend.find_all("li"))
            self.paragraph(items, _Style(size=TABLE_PT, align="center", line=None))
        bars = [child for child in node.find_all("div") if "bar-row" in child.classes]
        if bars:
            lines = []
            for bar in bars:
                label = next((s for s in bar.find_all("span") if "bar-label" in s.classes), None)
                values = [_clean(_inline_text(s)) for s in bar.find_all("span") if "value" in s.classes]
                label_text = " ".join(_clean(_inline_text(label)).split()) if label is not None else ""
                lines.append(f"{label_text}：{'，'.join(values)}")
            for line in lines:
                paragraph = self.paragraph(line, _Style(size=TABLE_PT, first_indent=2, line=None))
                paragraph.paragraph_format.keep_with_next = True
        key = next((child for child in node.find_all("div") if "key" in child.classes), None)
        if key is not None:
            self.paragraph(
                "　".join(_clean(_inline_text(s)) for s in key.find_all("span")),
                _Style(size=TABLE_PT, align="center", line=None),
            )
        caption = node.find("figcaption")
        if caption is not None:
            paragraph = self.paragraph(_clean(_inline_text(caption)), _Style(size=TABLE_PT, align="center", line=None))
            paragraph.paragraph_format.space_after = Pt(TABLE_PT / 2)


@dataclass
class _Row:
    node: Node
    extra: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # a cell's continuations' texts
    long: bool = False  # printed in parts: Word may break it over pages
    continuation: bool = False


#: The cells a row printed in parts carries on in (the others repeat on each part).
_SPLIT_CELLS = ("task", "responsible", "remark", "text")


def _cell_key(row: Node, cell: Node) -> tuple[str, int] | None:
    """Which long-text cell of its row ``cell`` is: its class, and how many of that class come before it."""
    kind = next((name for name in _SPLIT_CELLS if name in cell.classes), None)
    if kind is None:
        return None
    same = [c for c in row.children if isinstance(c, Node) and c.tag == "td" and kind in c.classes]
    return kind, same.index(cell)


def _merge_continuations(rows: list[Node]) -> list[_Row]:
    """A row the HTML printed in parts is one row again in Word, which breaks its own pages: the
    parts' texts join the first part's cells, and each continuation merges into the row above
    (its cells are written as part of the cells they continue, see ``_grid``)."""
    merged: list[_Row] = []
    first: _Row | None = None
    for row in rows:
        if "continued" in row.classes and first is not None:
            first.long = True
            for cell in (c for c in row.children if isinstance(c, Node) and c.tag == "td"):
                key = _cell_key(row, cell)
                if key is not None:
                    first.extra.setdefault(key, []).append(_clean(_inline_text(cell)))
            merged.append(_Row(row, long=True, continuation=True))
            continue
        first = _Row(row)
        merged.append(first)
    return merged


def _cell_text(source: Node, rows: list[_Row], row_index: int) -> str:
    text = _clean(_inline_text(source))
    if 0 <= row_index < len(rows):
        row = rows[row_index]
        key = _cell_key(row.node, source) if source in row.node.children else None
        if key is not None:
            text += "".join(row.extra.get(key, []))
    return text


def _grid(rows: list[Node]) -> tuple[list[list[Node | None]], dict[tuple[int, int], tuple[Node, int, int]]]:
    """The table as a grid of cells: rowspans and colspans placed; a cell that repeats a merged label
    at a printed page's top (td.repeated), and every cell of a row's continuation (tr.continued),
    goes on merging with the cell above."""
    grid: list[list[Node | None]] = [[] for _ in rows]
    origins: dict[tuple[int, int], tuple[Node, int, int]] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in (child for child in row.children if isinstance(child, Node) and child.tag in ("td", "th")):
            if "flat" in cell.classes:
                continue
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1
            down = max(1, int(cell.attrs.get("rowspan", "1") or 1))
            across = max(1, int(cell.attrs.get("colspan", "1") or 1))
            for dr in range(down):
                for dc in range(across):
                    if r + dr >= len(grid):
                        continue
                    line = grid[r + dr]
                    while len(line) <= c + dc:
                        line.append(None)
                    line[c + dc] = cell
            # a label repeated at a printed page's top, or any cell of a row's printed continuation
            repeats = "repeated" in cell.classes or "continued" in row.classes
            above = _origin_above(origins, r, c) if repeats else None
            if above is not None:
                top, (source, span, width) = above
                origins[(top, c)] = (source, span + down, width)
            else:
                origins[(r, c)] = (cell, down, across)
            c += across
    return grid, origins


def _origin_above(
    origins: dict[tuple[int, int], tuple[Node, int, int]], row: int, column: int
) -> tuple[int, tuple[Node, int, int]] | None:
    for (top, c), found in origins.items():
        if c == column and top + found[1] == row:
            return top, found
    return None


def _percent(style: str) -> float:
    found = re.search(r"width:\s*([\d.]+)%", style)
    return float(found.group(1)) if found else 0.0


def _table_font(node: Node) -> float:
    found = re.search(r"--print-font:\s*([\d.]+)pt", node.attrs.get("style", ""))
    return float(found.group(1)) if found else TABLE_PT


def _cell_alignment(cell: Node, header: bool) -> Any:
    classes = cell.classes
    if header or classes & {"id", "deadline", "role", "merged", "date", "dates"}:
        return WD_ALIGN_PARAGRAPH.CENTER
    if "num" in classes:
        return WD_ALIGN_PARAGRAPH.RIGHT
    if classes & {"task", "text"}:
        return WD_ALIGN_PARAGRAPH.JUSTIFY
    return WD_ALIGN_PARAGRAPH.LEFT


def _repeat_header(row: Any) -> None:
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)
    _keep_on_one_page(row)


def _keep_on_one_page(row: Any) -> None:
    mark = OxmlElement("w:cantSplit")
    mark.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _table_borders(table: Any, outer_only: bool = False) -> None:
    """Single rules round every cell (0.5 pt); the 版记's only above and below (0.35 mm, thick)."""

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    edges = ("top", "bottom") if outer_only else ("top", "left", "bottom", "right", "insideH", "insideV")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in edges:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "8" if outer_only else "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
