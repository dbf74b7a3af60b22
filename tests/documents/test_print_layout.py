"""The page model the printed tables are placed by: lines, titles, column widths, page breaks.

The browser tests (test_render_browser.py) check the model against Chromium's printing.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from deviation_cli.documents.print_layout import (
    TABLE_STYLE,
    Cell,
    ColumnSpec,
    Flow,
    column_widths,
    line_bounds,
    split_rows,
    text_em,
    title_lines,
    wrap,
)
from deviation_cli.documents.punctuation import date_zh, deadline_breaks

CLOSING = "，。、；：？！）》”"


def test_lines_never_start_with_a_closing_mark_nor_end_with_an_opening_one():
    text = "对照一季度80%、二季度100%开工率目标，倒排新开工项目前期手续（试行）办理时间，《办法》逐项分解。"
    for width in (3.0, 4.0, 5.5, 7.0, 12.0):
        lines = wrap(text, width)
        assert all(line[0] not in CLOSING for line in lines[1:]), (width, lines)
        assert all(line[-1] not in "（《“" for line in lines), (width, lines)
        assert all(text_em(line) <= width for line in lines if len(line) > 1), (width, lines)
    assert wrap("2023年12月底", 3.5, keep_all=True) == ["2023年", "12月底"]  # only after the year
    assert wrap("持续推进", 2.2, keep_all=True) == ["持续", "推进"]  # too long for a line: anywhere


@given(st.text(alphabet="汉字任务，。、（）《》“”80% abc\n", max_size=200), st.floats(min_value=1.0, max_value=40.0))
def test_the_lines_of_a_text_join_back_into_it(text, width):
    bounds = line_bounds(text, width)
    assert "".join(text[start:end] for start, end in bounds) == text
    assert all(end >= start for start, end in bounds)


def test_a_title_is_balanced_and_never_broken_inside_its_book_title():
    assert title_lines("关于落实《加强管控重点产业项目偏离度实施方案》任务分工的通知", 20.09) == [
        "关于落实",
        "《加强管控重点产业项目偏离度实施方案》",
        "任务分工的通知",
    ]
    assert title_lines("市发改委责任清单", 20.09) == ["市发改委责任清单"]
    # a book title too long for a line breaks where a reader pauses (after the year), not in a word
    assert title_lines("关于《城东区2024年优化营商环境重点任务清单》落实情况的通报", 20.09) == [
        "关于《城东区2024年",
        "优化营商环境重点任务清单》",
        "落实情况的通报",
    ]


def test_columns_hold_their_header_words_and_deadlines_and_fill_the_width():
    specs = [
        ColumnSpec("id", "序号", keep_all=True),
        ColumnSpec("measure", "改进措施", share=0.09),
        ColumnSpec("task", "具体任务", rest=True),
        ColumnSpec("deadline", "完成时限", share=0.05, keep_all=True),
    ]
    cells = [["1", "全力攻坚项目前期工作", "对照一季度80%开工率目标" * 8, "2023年12月底"]] * 3
    widths = column_widths(specs, cells, 442.0, TABLE_STYLE)
    assert abs(sum(widths) - 442.0) < 0.01
    inner = [(width - 10.75) / TABLE_STYLE.font_pt for width in widths]
    assert inner[1] >= text_em("改进措施") and inner[3] >= text_em("12月底")
    assert widths[2] == max(widths)  # what is left goes where it shortens the table most


def row_of(lines: int, width: float = 10.0) -> list[Cell]:
    return [Cell("1", keep_all=True), Cell("字" * int(width) * lines, split=True)]


def test_rows_move_whole_or_split_where_a_page_would_be_left_half_empty():
    style = TABLE_STYLE
    height = 40 * style.line_pt  # a page of about 36 table lines
    widths = [40.0, 10.2 * style.font_pt + 10.75]
    # three rows of 14 lines: two fit, the third moves whole to the next page (the first is full)
    flow = Flow(height)
    placed = flow.table([1, 2, 3], [row_of(14) for _ in range(3)], widths, style).rows
    assert [(p.row, p.part, p.page, p.page_break) for p in placed] == [
        (1, 0, 0, False),
        (2, 0, 0, False),
        (3, 0, 1, True),
    ]
    # a row longer than a page goes on over the next, its continuation starting that page
    flow = Flow(height)
    placed = flow.table([1], [row_of(60)], widths, style).rows
    assert [(p.part, p.page, p.page_break) for p in placed] == [(0, 0, False), (1, 1, True)]
    assert "".join(p.texts[0] for p in placed) == "字" * 600
    # a row that would leave the page more than half empty is split there instead of moved
    flow = Flow(height)
    placed = flow.table([1, 2], [row_of(5), row_of(34)], widths, style).rows
    assert [(p.row, p.part, p.page) for p in placed] == [(1, 0, 0), (2, 0, 0), (2, 1, 1)]


def test_a_bulletin_row_taller_than_the_limit_is_cut_into_parts():
    parts = split_rows([row_of(30)], [40.0, 10.2 * TABLE_STYLE.font_pt + 10.75], TABLE_STYLE, 12 * TABLE_STYLE.line_pt)
    assert len(parts[0]) == 3 and "".join(part[0] for part in parts[0]) == "字" * 300


def test_dates_and_deadlines_as_printed():
    assert date_zh("2023-08-01") == date_zh(date(2023, 8, 1)) == "2023年8月1日"
    assert str(deadline_breaks("2023年 6月12月底")) == "2023年<wbr> 6月12月底"
    assert str(deadline_breaks("<b>2023年12月底")) == "&lt;b&gt;2023年<wbr>12月底"
