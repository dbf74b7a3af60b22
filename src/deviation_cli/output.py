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
import unicodedata
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
    "days_left": ("剩余天数", "Days left"),
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
    if key in ("role", "matched_field", "kind"):
        return word(str(value), lang)
    return str(value)


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
        writer.writerow([_csv_cell(record.get(key), lang, key) for key in keys])
    return "\ufeff" + buffer.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any, lang: str, key: str) -> str:
    """A CSV cell; text that Excel/WPS would run as a formula is kept as text.

    Why: a task text starting with ``=`` (``=HYPERLINK(...)``) is a formula to a
    spreadsheet (CSV injection); a leading ``'`` makes it text, as OWASP advises.
    Numbers (days_left -3) are not text and stay as they are.
    """
    text = cell(value, lang, key)
    if isinstance(value, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def terminal_safe(text: str) -> str:
    """Text with control characters shown as <U+001B>, so data cannot drive the terminal.

    Why: YAML's ``"\\e"`` puts ESC into a value, and ``ESC]0;…`` or colour codes
    printed raw would retitle or repaint the user's terminal.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char in "\n\t" or unicodedata.category(char) != "Cc" else f"<U+{ord(char):04X}>"
        for char in text
    )


def markdown_escape(text: str) -> str:
    """A Markdown table cell: no broken columns, no control characters."""
    text = terminal_safe(text.replace("\r", " "))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def html_escape(text: str) -> str:
    """Text that a Markdown renderer shows as written, never as HTML (``<script>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_markdown(records: Sequence[dict[str, Any]], columns: Sequence[str], lang: str = "zh") -> str:
    lines = [
        "| " + " | ".join(markdown_escape(label(c, lang)) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for record in records:
        lines.append("| " + " | ".join(markdown_escape(html_escape(cell(record.get(c), lang, c))) for c in columns) + " |")
    return "\n".join(lines) + "\n"


_NARROW_COLUMNS = {"id", "milestone", "days_left", "overdue", "role", "open", "led", "shared", "measures", "tasks", "kind"}


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
    from rich.text import Text

    colour = use_colour(stream)
    console = Console(
        file=stream,
        no_color=not colour,
        force_terminal=colour,
        color_system="auto" if colour else None,
        width=None if colour else 100,
        highlight=False,
        emoji=False,
        markup=False,
    )
    table = Table(title=terminal_safe(title) if title else title, box=box.SIMPLE_HEAD, show_lines=False, expand=False, pad_edge=False)
    for column in columns:
        narrow = column in _NARROW_COLUMNS
        table.add_column(
            label(column, lang),
            overflow="fold",
            no_wrap=narrow,
            min_width=None if narrow else 6,
            ratio=None if narrow else (3 if column in ("task", "name", "problem") else 1),
        )
    for record in records:
        row = []
        for column in columns:
            text = Text(terminal_safe(cell(record.get(column), lang, column)))
            if highlight and column == "task":
                text.highlight_words([highlight], style="bold reverse", case_sensitive=False)
            if column == "days_left" and isinstance(record.get(column), int) and record[column] < 0:
                text.stylize("red")
            row.append(text)
        table.add_row(*row)
    console.print(table)


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
