"""The one place that turns records into text: table, JSON, CSV, Markdown; and issues into lines.

Every listing command hands its records (dicts of the JSON contract) and the
columns it wants shown to ``emit``. JSON prints the records whole; CSV prints
every field; table and Markdown print the chosen columns with labels in the
user's language.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

FORMATS = ("table", "json", "csv", "md")

LABELS: dict[str, tuple[str, str]] = {
    "id": ("序号", "ID"),
    "dimension": ("管控", "Dimension"),
    "measure": ("改进措施", "Measure"),
    "task": ("具体任务", "Task"),
    "lead": ("牵头部门", "Lead"),
    "responsible": ("责任单位", "Responsible"),
    "deadline": ("完成时限", "Deadline"),
    "due": ("到期日", "Due dates"),
    "ongoing": ("持续推进", "Ongoing"),
    "milestone": ("节点日期", "Milestone"),
    "days_left": ("距今", "Days left"),
    "overdue": ("已逾期", "Overdue"),
    "status": ("状态", "Status"),
    "role": ("职责", "Role"),
    "via": ("经由", "Via"),
    "open": ("开放式", "Open tail"),
    "matched_field": ("匹配字段", "Matched in"),
    "measure_text": ("措施正文", "Measure text"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
    "matches": ("匹配位置", "Matches"),
    "unit": ("单位", "Unit"),
    "kind": ("类别", "Kind"),
    "full_name": ("全称", "Full name"),
    "aliases": ("别名", "Aliases"),
    "led": ("牵头任务数", "Leads"),
    "shared": ("参与任务数", "Shares"),
    "key": ("键", "Key"),
    "name": ("名称", "Name"),
    "problem": ("存在问题", "Problem"),
    "measures": ("改进措施数", "Measures"),
    "tasks": ("任务数", "Tasks"),
    # progress tracking
    "reported": ("已报告", "Reported"),
    "last_report": ("最近报告", "Last report"),
    "last_unit": ("报告单位", "Reported by"),
    "next_due": ("下一节点", "Next due"),
    "due_soon": ("临近到期", "Due soon"),
    "overdue_since": ("逾期节点", "Overdue since"),
    "postponed_to": ("批准新时限", "New deadline"),
    "note": ("进展说明", "Note"),
    "reason": ("滞后原因", "Reason"),
    "involved": ("涉及任务数", "Involved"),
    "reports": ("报告数", "Reports"),
    "fallen_due": ("已到期节点", "Fallen due"),
    "closed": ("已完成节点", "Closed"),
    "on_time": ("按期完成", "On time"),
    "completion_rate": ("完成率", "Completion"),
    "on_time_rate": ("按期完成率", "On-time rate"),
    "reporting_rate": ("报告率", "Reporting rate"),
    "overdue_tasks": ("逾期任务", "Overdue tasks"),
    "rank": ("名次", "Rank"),
    "score": ("得分", "Score"),
    "award": ("奖项", "Award"),
    "indicator": ("指标", "Indicator"),
    "period": ("期间", "Period"),
    "target": ("目标", "Target"),
    "target_text": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "deviation": ("偏差", "Deviation"),
    "relative": ("相对偏差", "Relative"),
    "light": ("信号灯", "Light"),
    "observed_period": ("观测期间", "Observed period"),
    "wording": ("原文表述", "As worded"),
}

VALUE_WORDS: dict[str, tuple[str, str]] = {
    "lead": ("牵头", "lead"),
    "responsible": ("责任", "responsible"),
    "task": ("具体任务", "task"),
    "measure": ("改进措施", "measure"),
    "measure_text": ("措施正文", "measure text"),
    "county": ("县区", "county"),
    "zone": ("园区管委会", "zone"),
    "institution": ("事业单位", "institution"),
    "department": ("市级部门", "department"),
    "company": ("平台公司", "company"),
    "other": ("其他", "other"),
    "未开始": ("未开始", "not started"),
    "推进中": ("推进中", "in progress"),
    "已完成": ("已完成", "done"),
    "滞后": ("滞后", "late"),
    "延期": ("延期", "postponed"),
    "green": ("绿", "green"),
    "amber": ("黄", "amber"),
    "red": ("红", "red"),
    "none": ("无数据", "no data"),
    "red_flag": ("红旗奖", "red flag"),
    "snail": ("蜗牛奖", "snail"),
}


def label(key: str, lang: str) -> str:
    pair = LABELS.get(key)
    return key if pair is None else pair[0 if lang == "zh" else 1]


def word(value: str, lang: str) -> str:
    pair = VALUE_WORDS.get(value)
    return value if pair is None else pair[0 if lang == "zh" else 1]


def cell(value: Any, lang: str, key: str = "") -> str:
    """A value as one table/CSV cell: lists joined with 、, booleans as 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(cell(v, lang) for v in value)
    if key in ("role", "matched_field", "kind", "status", "light", "award"):
        return word(str(value), lang)
    if key.endswith(("_rate", "relative")) and isinstance(value, float):
        return f"{value * 100:.1f}%"
    return str(value)


def shown_cell(value: Any, lang: str, key: str = "") -> str:
    """A cell as a reader sees it in a table or document: days left said in words."""
    if key == "days_left" and isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            return f"逾期 {-value} 天" if lang == "zh" else f"{-value} days overdue"
        if value == 0:
            return "今天到期" if lang == "zh" else "due today"
        return f"{value} 天后" if lang == "zh" else f"in {value} days"
    return cell(value, lang, key)


def use_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def emit(
    records: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str = "table",
    lang: str = "zh",
    stream: IO[str] | None = None,
    title: str | None = None,
    highlight: str | None = None,
) -> None:
    """Print records in the chosen format to ``stream`` (stdout by default)."""
    out = stream or sys.stdout
    if fmt == "json":
        out.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        out.write(to_csv(records, lang))
    elif fmt == "md":
        out.write(to_markdown(records, columns, lang))
    else:
        print_table(records, columns, lang, out, title, highlight)


def to_csv(records: Sequence[dict[str, Any]], lang: str = "zh") -> str:
    """CSV with every field and one header row, starting with a BOM so Excel/WPS read UTF-8."""
    keys: list[str] = []
    for record in records:
        keys.extend(key for key in record if key not in keys)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label(key, lang) for key in keys])
    for record in records:
        writer.writerow([cell(record.get(key), lang, key) for key in keys])
    return "\ufeff" + buffer.getvalue()


def markdown_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def to_markdown(records: Sequence[dict[str, Any]], columns: Sequence[str], lang: str = "zh") -> str:
    lines = [
        "| " + " | ".join(markdown_escape(label(c, lang)) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for record in records:
        lines.append("| " + " | ".join(markdown_escape(shown_cell(record.get(c), lang, c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


_WIDE_COLUMNS = {"task", "problem", "value", "measure_text"}


def print_table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[str],
    lang: str,
    stream: IO[str],
    title: str | None = None,
    highlight: str | None = None,
) -> None:
    """A rich table; CJK text wraps by character (never cut with …), fits 80 columns."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.cells import cell_len
    from rich.text import Text

    colour = use_colour(stream)
    # Without colour the table is rendered to text first so that lines carry no
    # trailing padding (clean to diff, paste or pipe).
    target = stream if colour else io.StringIO()
    console = Console(
        file=target,
        no_color=not colour,
        force_terminal=colour,
        color_system="auto" if colour else None,
        width=None if colour else _plain_width(),
        highlight=False,
        emoji=False,
        markup=False,
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, show_lines=False, expand=False, pad_edge=False)
    rows = [[shown_cell(record.get(column), lang, column) for column in columns] for record in records]
    naturals = [
        max([cell_len(label(column, lang))] + [cell_len(row[index]) for row in rows])
        for index, column in enumerate(columns)
    ]
    for column, width in zip(columns, column_widths(columns, naturals, console.width)):
        table.add_column(label(column, lang), overflow="fold", width=width)
    for row in rows:
        cells = []
        for column, value in zip(columns, row):
            text = Text(value)
            if highlight and column == "task":
                text.highlight_words([highlight], style="bold reverse", case_sensitive=False)
            if column == "days_left" and value.startswith(("逾期", "overdue")) or value.endswith("overdue"):
                text.stylize("red")
            cells.append(text)
        table.add_row(*cells)
    console.print(table)
    if not colour:
        stream.write("\n".join(line.rstrip() for line in target.getvalue().splitlines()) + "\n")


def column_widths(columns: Sequence[str], naturals: Sequence[int], total: int) -> list[int]:
    """Widths that keep short values (dates, ids, names) whole and give long text the rest.

    Why by hand: rich measures a CJK string as one unbreakable word, so it
    cannot shrink a column of unit names and squeezes the task text instead.
    """
    # the box's two edges, and a divider plus two padding cells between columns
    available = total - 2 - 3 * (len(columns) - 1)
    wide = [i for i, c in enumerate(columns) if c in _WIDE_COLUMNS]
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


def _plain_width() -> int:
    try:
        return max(60, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 100


# --- issues ---------------------------------------------------------------------------------


def format_issues(issues: Sequence[Any], fmt: str = "text", lang: str = "zh") -> str:
    """Issues as text lines (file:line:col: message), a JSON list, or GitHub annotations."""
    if fmt == "json":
        return json.dumps([issue.as_dict(lang) for issue in issues], ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_github_annotation(issue, lang) + "\n" for issue in issues)
    return "".join(issue.format(lang) + "\n" for issue in issues)


def _github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github_annotation(issue: Any, lang: str) -> str:
    command = "error" if issue.severity == "error" else "warning"
    properties = []
    if issue.path:
        properties.append(f"file={_github_escape_property(issue.path)}")
        if issue.line:
            properties.append(f"line={issue.line}")
            properties.append(f"col={issue.column or 1}")
    properties.append(f"title={_github_escape_property(issue.code)}")
    return f"::{command} {','.join(properties)}::{_github_escape_data(issue.message(lang))}"
