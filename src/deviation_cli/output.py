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
import re
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
    if isinstance(value, str) and text.lstrip("'").startswith(_FORMULA_STARTS):
        # Also '=...: so that removing one ' on import (exchange.read_csv_grid) gives the text back.
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
        lines.append("| " + " | ".join(markdown_escape(html_escape(shown_cell(record.get(c), lang, c))) for c in columns) + " |")
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
    table = Table(title=terminal_safe(title) if title else title, box=box.SIMPLE_HEAD, show_lines=False, expand=False, pad_edge=False)
    rows = [[terminal_safe(shown_cell(record.get(column), lang, column)) for column in columns] for record in records]
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
    return "".join(_text_line(issue, lang) + "\n" for issue in issues)


_WARNING_WORD = ("警告", "warning")


def _text_line(issue: Any, lang: str) -> str:
    """``file:line:col: message``; a warning says so, so it is never read as an error."""
    if issue.severity == "error":
        return issue.format(lang)
    word = _WARNING_WORD[0 if lang == "zh" else 1]
    where = issue.location()
    message = f"{word}:{issue.message(lang)}" if lang == "zh" else f"{word}: {issue.message(lang)}"
    return f"{where}: {message}" if where else message


# GitHub workflow commands, escaped as @actions/core does (toolkit packages/core/src/command.ts):
# the message escapes % CR LF; property values also escape : and , (they delimit properties).
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


# --- changes between two register versions (`deviation diff`) --------------------------------

_CHANGE_WORDS: dict[str, tuple[str, str]] = {
    "task_no": ("第{id}项", "Task {id}"),
    "added": ("新增任务", "added"),
    "task_text": ("具体任务", "text"),
    "removed": ("删除任务", "removed"),
    "measure_no": ("第{n}条", "measure {n}"),
    "plus": ("增加", "added"),
    "minus": ("删除", "removed"),
    "extended": ("延后 {days} 天", "extended by {days} days"),
    "advanced": ("提前 {days} 天", "advanced by {days} days"),
    "last_extended": ("最后节点延后 {days} 天", "final milestone extended by {days} days"),
    "last_advanced": ("最后节点提前 {days} 天", "final milestone advanced by {days} days"),
    "milestone": ("节点 {day} ", "milestone {day} "),
    "same_last": ("最后节点不变", "final milestone unchanged"),
    "milestones_added": ("增加节点 {days}", "milestones added: {days}"),
    "milestones_removed": ("去掉节点 {days}", "milestones dropped: {days}"),
    "now_ongoing": ("不再有完成日期", "no end date any more"),
    "now_dated": ("原为持续推进", "was ongoing"),
    "reworded": ("写法改变,日期不变", "reworded, same dates"),
    "wording": ("原文“{old}”改为“{new}”", "wording '{old}' → '{new}'"),
    "unit": ("单位", "Unit"),
    "group": ("单位组", "Group"),
    "renamed": ("更名为", "renamed to"),
    "measure": ("改进措施", "Measure"),
    "dimension": ("方面", "Dimension"),
    "document": ("方案", "Plan"),
    "no_changes": ("没有变更", "No changes"),
    "heading": ("登记册变更", "Register changes"),
    "count": ("共 {n} 处变更", "{n} changes"),
    "open_to": ("开放类别", "open to"),
    "members": ("成员", "members"),
    "title": ("标题", "title"),
    "body_title": ("正文标题", "body title"),
    "text": ("正文", "text"),
    "name": ("名称", "name"),
    "table_name": ("表中名称", "table name"),
    "kind": ("类别", "kind"),
    "full_name": ("全称", "full name"),
    "aliases": ("别名", "aliases"),
    "index_no": ("索引号", "index no."),
    "source": ("来源", "source"),
    "publisher": ("发布机构", "publisher"),
    "written": ("成文日期", "written"),
    "published": ("发布时间", "published"),
    "recipients": ("主送机关", "recipients"),
    "cover_letter": ("印发通知", "cover letter"),
    "annex_title": ("附件标题", "annex title"),
    "sections": ("正文章节", "sections"),
    "ongoing_word": ("持续推进", "ongoing"),
    "empty": ("(空)", "(none)"),
}

#: How much unchanged text stays around each edit in a text diff.
DIFF_CONTEXT = 12


def _w(key: str, lang: str, **args: Any) -> str:
    text = _CHANGE_WORDS[key][0 if lang == "zh" else 1]
    return text.format(**args) if args else text


def format_changes(changes: Sequence[Any], fmt: str = "text", lang: str = "zh",
                   old_label: str = "", new_label: str = "") -> str:
    """Changes as text lines, a Markdown PR comment, or a JSON list of change records."""
    if fmt == "json":
        return json.dumps([change.as_dict() for change in changes], ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _changes_markdown(changes, lang, old_label, new_label)
    if not changes:
        return _w("no_changes", lang) + "\n"
    return "".join(_change_line(change, lang, markdown=False) + "\n" for change in changes)


def _changes_markdown(changes: Sequence[Any], lang: str, old_label: str, new_label: str) -> str:
    # The marker lets a CI job find and update its own earlier comment.
    lines = ["<!-- deviation-diff -->"]
    versions = f" `{old_label}` → `{new_label}`" if old_label or new_label else ""
    lines.append(f"### {_w('heading', lang)}{versions}")
    lines.append("")
    if not changes:
        lines.append(_w("no_changes", lang) + ".")
        return "\n".join(lines) + "\n"
    lines.append(_w("count", lang, n=len(changes)) + ("。" if lang == "zh" else "."))
    lines.append("")
    lines.extend("- " + _change_line(change, lang, markdown=True) for change in changes)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside a Markdown list item (and inside <ins>/<del>)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_~\[\]|#])", r"\\\1", text)
    return text.replace("\r", " ").replace("\n", "<br>")


def _change_line(change: Any, lang: str, markdown: bool) -> str:
    zh = lang == "zh"
    q = _md if markdown else (lambda text: text)
    arrow = " → "
    colon = ":" if zh else ": "
    joiner = "、" if zh else ", "

    def names(values: Any) -> str:
        return joiner.join(q(str(value)) for value in values) if values else _w("empty", lang)

    def value(raw: Any) -> str:
        if raw is None or raw == "" or raw == []:
            return _w("empty", lang)
        return names(raw) if isinstance(raw, list) else q(str(raw))

    kind = change.kind

    def field_label(key: str) -> str:
        # Mid-sentence in English: "Task 4 lead A → B".
        return label(key, lang) if zh else label(key, lang).lower()

    if change.task is not None:
        head = _w("task_no", lang, id=change.task)
        if markdown:
            head = f"**{head}**"
        details = change.details
        if kind in ("task-added", "task-removed"):
            text = change.new if kind == "task-added" else change.old
            extra = (f"({field_label('lead')}:{q(details['lead'])};{field_label('deadline')}:{q(details['deadline'])})" if zh
                     else f" ({field_label('lead')}: {q(details['lead'])}; {field_label('deadline')}: {q(details['deadline'])})")
            return f"{head} {_w('added' if kind == 'task-added' else 'removed', lang)}{colon}{q(text)}{extra}"
        if kind == "task-moved":
            if zh:
                return (f"{head} {field_label('measure')} {_w('measure_no', lang, n=change.old)}“{q(details['old_title'])}”"
                        f"{arrow}{_w('measure_no', lang, n=change.new)}“{q(details['new_title'])}”")
            return (f"{head} moved from measure {change.old} '{q(details['old_title'])}'"
                    f" to measure {change.new} '{q(details['new_title'])}'")
        if kind == "text-changed":
            return f"{head} {_w('task_text', lang)}{colon}{_segments(details['segments'], markdown)}"
        if kind == "lead-changed":
            return f"{head} {field_label('lead')} {q(change.old)}{arrow}{q(change.new)}"
        if kind in ("responsible-added", "responsible-removed"):
            verb = _w("plus" if kind == "responsible-added" else "minus", lang)
            listed = change.new if kind == "responsible-added" else change.old
            return f"{head} {field_label('responsible')} {verb}{colon}{names(listed)}"
        return f"{head} {field_label('deadline')} {_deadline_text(change, lang, q)}"
    subject_word = kind.split("-")[0]  # unit, group, measure, dimension or document
    if subject_word == "document":
        head = _w("document", lang)
    elif subject_word == "measure":
        head = f"{_w('measure', lang)}{_w('measure_no', lang, n=change.subject)}" if zh else f"Measure {change.subject}"
    else:
        head = f"{_w(subject_word, lang)} {q(str(change.subject))}"
    if markdown:
        head = f"**{head}**"
    action = kind.split("-", 1)[1]
    if action == "added":
        return f"{head} {_w('plus', lang)}" + (f"{colon}{q(change.new)}" if subject_word in ("measure", "dimension") else "")
    if action == "removed":
        return f"{head} {_w('minus', lang)}" + (f"{colon}{q(change.old)}" if subject_word in ("measure", "dimension") else "")
    if action == "renamed":
        return f"{head} {_w('renamed', lang)} {q(change.new)}"
    field_word = _w(change.field, lang) if change.field in _CHANGE_WORDS else field_label(change.field)
    if change.field == "members":
        parts = []
        if change.old:
            parts.append(f"{_w('minus', lang)}{colon}{names(change.old)}")
        if change.new:
            parts.append(f"{_w('plus', lang)}{colon}{names(change.new)}")
        return f"{head} {field_word} " + (";" if zh else "; ").join(parts)
    if "segments" in change.details and len(str(change.old or "")) + len(str(change.new or "")) > 60:
        return f"{head} {field_word}{colon}{_segments(change.details['segments'], markdown)}"
    return f"{head} {field_word} {value(change.old)}{arrow}{value(change.new)}"


def _deadline_text(change: Any, lang: str, q: Any) -> str:
    zh = lang == "zh"
    details = change.details
    old_due, new_due = details["old_due"], details["new_due"]
    joiner = "、" if zh else ", "
    before = joiner.join(old_due) or _w("ongoing_word", lang)
    after = joiner.join(new_due) or _w("ongoing_word", lang)
    notes: list[str] = []
    days = details.get("days")
    several = len(old_due) > 1 or len(new_due) > 1
    if change.kind == "deadline-reworded":
        notes.append(_w("reworded", lang))
    elif not new_due and old_due:
        notes.append(_w("now_ongoing", lang))
    elif not old_due and new_due:
        notes.append(_w("now_dated", lang))
    elif details.get("shifts") and several:
        for before_day, shift in zip(old_due, details["shifts"]):
            if shift:
                word = "extended" if shift > 0 else "advanced"
                notes.append(_w("milestone", lang, day=before_day) + _w(word, lang, days=abs(shift)))
    elif days:
        word = ("last_" if several else "") + ("extended" if days > 0 else "advanced")
        notes.append(_w(word, lang, days=abs(days)))
    elif several:
        notes.append(_w("same_last", lang))
    if details.get("added"):
        notes.append(_w("milestones_added", lang, days=joiner.join(details["added"])))
    if details.get("removed"):
        notes.append(_w("milestones_removed", lang, days=joiner.join(details["removed"])))
    wording_is_dates = change.old.strip() == before and change.new.strip() == after
    if change.kind == "deadline-reworded":
        moved = _w("wording", lang, old=q(change.old), new=q(change.new))
        return f"{moved}(" + ";".join(notes) + ")" if zh else f"{moved} ({'; '.join(notes)})"
    line = f"{before} → {after}" + (f"({';'.join(notes)})" if zh else f" ({'; '.join(notes)})")
    if not wording_is_dates:
        line += ("——" if zh else " — ") + _w("wording", lang, old=q(change.old), new=q(change.new))
    return line


def _segments(segments: Sequence[dict[str, str]], markdown: bool) -> str:
    """Changed text with edits marked: [-old-]{+new+} in text, <del>/<ins> in Markdown;
    long unchanged stretches shortened to their ends, so each edit keeps its context."""
    parts = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment["op"] == "equal":
            text = segment["old"]
            keep_head = index > 0
            keep_tail = index < last
            limit = DIFF_CONTEXT * (int(keep_head) + int(keep_tail))
            if len(text) > limit + 1:
                head = text[:DIFF_CONTEXT] if keep_head else ""
                tail = text[-DIFF_CONTEXT:] if keep_tail else ""
                text = f"{head}…{tail}"
            parts.append(_md(text) if markdown else text)
            continue
        old, new = segment["old"], segment["new"]
        if markdown:
            parts.append((f"<del>{_md(old)}</del>" if old else "") + (f"<ins>{_md(new)}</ins>" if new else ""))
        else:
            parts.append((f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else ""))
    return "".join(parts)
