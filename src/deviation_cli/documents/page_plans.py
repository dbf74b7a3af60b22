"""Each document's printed pages as the model sees them: its blocks in the order its template
prints them, then its tables placed on pages (``printed_tables``).

A plan mirrors its bundled template (title, body, annex); a user's template that prints
more or less above a table only moves where that table's pages break. What the model
measures of the text above a table it measures only: the words printed are the template's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..domain.annex import AnnexColumn, TableRow
from ..domain.query import UnitTask
from ..domain.register import LEAD
from ..domain.unit_lists import UnitList
from .print_layout import (
    ANNEX_STYLE,
    BODY_FONT_PT,
    BODY_LINE_PT,
    LANDSCAPE,
    PORTRAIT,
    PT_PER_MM,
    TABLE_STYLE,
    TITLE_FONT_PT,
    ColumnSpec,
    Flow,
    TableStyle,
    title_lines,
)
from .printed_tables import PrintedTable, decomposition_table, plain_widths, unit_table
from .punctuation import date_zh

#: A unit's table: 序号, task, 职责, lead, deadline (_macros.html ``unit_rows``).
UNIT_TABLE_FIELDS = ("id", "task", "role", "lead", "deadline")
#: The gap under a title and above an annex's title (print CSS: h1.title, .attachment h1.title).
TITLE_GAP_PT = BODY_LINE_PT
ANNEX_TITLE_TOP_PT = 14.0
#: The subtitle is pulled up under the title (.subtitle's margin in print).
SUBTITLE_PULL_PT = -20.0


def _flow(paper: tuple[float, float], style: TableStyle) -> Flow:
    # One table line in reserve at each page's foot: where the model's count is short, the row still fits.
    return Flow(paper[1] * PT_PER_MM, reserve_pt=style.line_pt + 2)


def _width_em(paper: tuple[float, float], font_pt: float) -> float:
    return paper[0] * PT_PER_MM / font_pt


def _title(flow: Flow, paper: tuple[float, float], title: str) -> list[str]:
    lines = title_lines(title, _width_em(paper, TITLE_FONT_PT))
    for _ in lines:
        flow.text("", TITLE_FONT_PT, BODY_LINE_PT, paper[0] * PT_PER_MM)
    flow.space(TITLE_GAP_PT)
    return lines


def title_layout(text: str, landscape: bool = False) -> list[str]:
    """A title's lines (GB/T 9704: balanced, 《…》 whole), on a portrait or landscape page."""
    return title_lines(text, _width_em(LANDSCAPE if landscape else PORTRAIT, TITLE_FONT_PT))


def _annex_start(flow: Flow, paper: tuple[float, float], title: str) -> list[str]:
    """An annex: a new page, its label (附件1), its title."""
    flow.new_page()
    flow.text("", BODY_FONT_PT, BODY_LINE_PT, paper[0] * PT_PER_MM)  # 附件1: one line
    flow.space(ANNEX_TITLE_TOP_PT)
    return _title(flow, paper, title)


@dataclass(frozen=True)
class PagePlans:
    """What a document's template asks of the page model, with its own words: title lines, tables.

    The template passes the texts it prints (its title, its headings); the plan measures them
    and places the tables after them. ``rows`` is the full table, ``recipient`` the unit a
    notice or a 责任清单 is about, ``recipients`` every unit's list (the notice to all).
    """

    columns: tuple[AnnexColumn, ...]
    words: tuple[str, ...]  # the header words of a unit's table: 序号, task, 职责, lead, deadline
    rows: tuple[TableRow, ...] = ()
    recipient: UnitList | None = None
    recipients: tuple[UnitList, ...] = ()
    _widths: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False, repr=False)

    def title(self, text: str, landscape: bool = False) -> list[str]:
        """A title's lines (GB/T 9704: balanced, 《…》 whole), on a portrait or landscape page."""
        return title_layout(text, landscape)

    def table(self, title: str) -> PrintedTable[TableRow]:
        """The full table under ``title``, on landscape pages."""
        flow = _flow(LANDSCAPE, TABLE_STYLE)
        _title(flow, LANDSCAPE, title)
        return decomposition_table(self.rows, self.columns, flow, LANDSCAPE[0], TABLE_STYLE)

    def site_table(self, rows: Sequence[TableRow] | None = None) -> PrintedTable[TableRow]:
        """``rows`` (default: the full table) on a screen: rows whole, merged as the source merges them.

        Every table of a site has the full table's column widths (preferences on a screen),
        worked out once: a site has a table on every heading's page.
        """
        widths = self._widths.get("table")
        if widths is None:
            widths = self._widths["table"] = tuple(_points(decomposition_table(self.rows, self.columns).widths))
        return decomposition_table(self.rows if rows is None else rows, self.columns, widths=widths)

    def site_unit(self, rows: Sequence[UnitTask]) -> PrintedTable[UnitTask]:
        """A unit's tasks on a screen, with the widths every unit's page shares (worked out once)."""
        widths = self._widths.get("unit")
        if widths is None:
            every = [UnitTask(row.task, LEAD, None) for row in self.rows] or list(rows)
            found = unit_table(every, self.words, None, LANDSCAPE[0], TABLE_STYLE).widths
            widths = self._widths["unit"] = tuple(_points(found))
        return unit_table(rows, self.words, None, LANDSCAPE[0], TABLE_STYLE, widths=widths)

    def annex_table(self, title: str) -> PrintedTable[TableRow]:
        """附件1 of the notice to every unit: the full table under its label and ``title``."""
        flow = _flow(PORTRAIT, ANNEX_STYLE)
        _annex_start(flow, PORTRAIT, title)
        return decomposition_table(self.rows, self.columns, flow, PORTRAIT[0], ANNEX_STYLE)

    def annex_unit(self, title: str) -> PrintedTable[UnitTask]:
        """The annex of a notice to one unit: its tasks under the label and ``title``."""
        assert self.recipient is not None
        flow = _flow(PORTRAIT, ANNEX_STYLE)
        _annex_start(flow, PORTRAIT, title)
        return unit_table(self.recipient.rows, self.words, flow, PORTRAIT[0], ANNEX_STYLE)

    def summary_widths(self, headers: Sequence[str]) -> tuple[str, ...]:
        """附件2 of the notice to every unit: unit, tasks it leads, tasks it shares, dates."""
        cells = [
            [
                unit.name,
                "、".join(str(row.task.id) for row in unit.lead),
                "、".join(str(row.task.id) for row in unit.shared),
                # measured as the template prints it: 2023年6月30日（1、22、23）, a line each
                "\n".join(
                    date_zh(day) + "（" + "、".join(str(task.id) for task in tasks) + "）"
                    for day, tasks in unit.milestones
                ),
            ]
            for unit in self.recipients
        ]
        specs = [
            ColumnSpec("unit", headers[0], share=0.2),
            ColumnSpec("lead", headers[1], share=0.2),
            ColumnSpec("shared", headers[2], rest=True),
            ColumnSpec("dates", headers[3], share=0.26, keep_all=True),
        ]
        return plain_widths(specs, cells, PORTRAIT[0], ANNEX_STYLE)

    def unit_list(self, title: str, intro: str, headings: Sequence[str]) -> dict[str, PrintedTable[UnitTask] | None]:
        """A 责任清单 on portrait pages: ``title`` (the full name under it), ``intro``, then under
        each of ``headings`` its tasks: ``lead`` and ``shared``, None where it has none."""
        unit = self.recipient
        assert unit is not None
        flow = _flow(PORTRAIT, TABLE_STYLE)
        width = PORTRAIT[0] * PT_PER_MM
        _title(flow, PORTRAIT, title)
        if unit.display_name != unit.name:
            flow.space(SUBTITLE_PULL_PT)
            flow.text(unit.display_name, BODY_FONT_PT, BODY_LINE_PT, width)
            flow.space(BODY_LINE_PT)
        flow.text(intro, BODY_FONT_PT, BODY_LINE_PT, width, indent_em=2)
        tables: dict[str, PrintedTable[UnitTask] | None] = {}
        for key, rows, heading in (("lead", unit.lead, headings[0]), ("shared", unit.shared, headings[1])):
            flow.text(heading, BODY_FONT_PT, BODY_LINE_PT, width)
            if rows:
                tables[key] = unit_table(rows, self.words, flow, PORTRAIT[0], TABLE_STYLE)
            else:
                flow.text("", BODY_FONT_PT, BODY_LINE_PT, width)  # 无。: one line
                tables[key] = None
        return tables


def _points(percent: Sequence[str]) -> list[float]:
    """Widths as CSS percentages ("12.50%") back to shares the tables can take again."""
    return [float(width.rstrip("%")) for width in percent]
