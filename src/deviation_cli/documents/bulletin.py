"""The periodic 通报: the figures it states, gathered as data, and its rendering through Jinja.

``bulletin_data`` returns plain dicts and lists (the same records ``status``
and ``indicators`` print as JSON); ``render_bulletin`` fills
``templates/report/bulletin.<fmt>.j2`` with them. A template folder given by
the user is searched first, so an office can restyle the 通报 without code.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.indicators import AMBER, GREEN, NONE, RED, Indicator, Observation, evaluate
from ..domain.progress import AWAITING_SIGN_OFF, RETURNED, TASK_STATUSES, ProgressLog
from ..domain.register import Register
from ..domain.reporting import ReportingPeriod
from ..domain.tracking import (
    DEFAULT_WARN_DAYS,
    FIRST,
    LAST,
    LIGHTS,
    YELLOW,
    last_reports,
    owed_period,
    parse_rule,
    rank_units,
    task_states,
    unit_scores,
    unreported_units,
)
from ..output.tracking_objects import indicator_object, score_object, state_object
from ..words import label, say, value_word
from .print_layout import PORTRAIT, PT_PER_MM, TABLE_STYLE, Cell, ColumnSpec, column_widths, percentages, split_rows
from .punctuation import cjk_punctuation, date_span_zh, date_zh, markdown_text
from .templating import build_environment, render_template, template_folders

if TYPE_CHECKING:
    from jinja2 import Environment

BULLETIN_FORMATS = ("md", "html", "docx")
#: The columns whose heading the 通报 writes in the plan's own words.
WORDED_FIELDS = ("id", "task", "lead", "responsible", "deadline")
#: Section numbers of an official document: 一、二、三 …
NUMERALS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
TEMPLATE_SUBFOLDER = "report"


def bulletin_data(
    register: Register,
    log: ProgressLog,
    indicators: list[Indicator],
    observations: list[Observation],
    as_of: date,
    rule: dict[str, float] | None = None,
    within: int = 30,
    min_due: int = 1,
    issuer: str | None = None,
    written: date | None = None,
    warn_days: int = DEFAULT_WARN_DAYS,
) -> dict[str, Any]:
    """Everything the 通报 states on ``as_of``, as data.

    ``issuer`` signs it (落款; default: the plan's issuing office, if the register names one)
    and ``written`` is its 成文日期 (default: ``as_of``). ``within`` is the due-soon window,
    ``warn_days`` the yellow light's.
    """
    rule = rule or parse_rule(None)
    states = task_states(register, log, as_of, within, warn_days)
    scores = unit_scores(register, states, log, as_of)
    owed = owed_period(register, as_of)
    missing = unreported_units(scores)
    records = [state_object(register, state, as_of, owed, missing) for state in states]
    for record in records:
        # why a task stands as it does, where its last 已完成 was returned: the office's reason, not the unit's note
        record["returned_note"] = record["check_note"] if record["sign_off"] == RETURNED else None
    ranked = rank_units(scores, rule, min_due)
    evaluated = [indicator_object(register, item) for item in evaluate(indicators, observations, as_of)]

    milestones = [m for state in states for m in state.milestones if m.due < as_of]
    closed = [m for m in milestones if not m.open_on(as_of)]
    overdue = [record for record in records if record["overdue"]]
    # A co-led task is listed under each of its leads (each answers for it); one the plan gives no
    # lead comes last, under a heading that says so.
    by_lead: dict[str | None, list[dict[str, Any]]] = {}
    for record in overdue:
        for lead in record["leads"] or [None]:
            by_lead.setdefault(lead, []).append(record)
    unit_order = {unit.name: index for index, unit in enumerate(register.units)}
    no_lead = say("bulletin.no_lead", "zh", word=label("lead", "zh", register.plan.words()))
    overdue_by_lead = [
        {"unit": no_lead if unit is None else unit, "tasks": by_lead[unit]}
        for unit in sorted(by_lead, key=lambda name: (name is None, unit_order.get(name or "", len(unit_order))))
    ]
    dimensions = []
    for dim in register.dimensions:
        items = [item for item in evaluated if item["dimension"] == dim.name]
        if items:
            dimensions.append({"key": dim.key, "name": dim.name, "indicators": items})
    ranking = [score_object(item.unit, item) for item in ranked]
    reports_until = log.until(as_of)
    return {
        "title": register.document.title,
        "as_of": as_of.isoformat(),
        "issuer": issuer or register.document.source,
        "date": (written or as_of).isoformat(),
        "recipients": register.document.recipients,
        "within": within,
        "headline": {
            "tasks": len(records),
            "dated_tasks": sum(1 for state in states if state.milestones),
            "reported_tasks": sum(1 for record in records if record["reported"]),
            "reports": len(reports_until),
            "reporting_units": len({report.unit for report in reports_until}),
            "fallen_due": len(milestones),
            "closed": len(closed),
            "on_time": sum(1 for m in closed if m.on_time),
            "completion_rate": round(len(closed) / len(milestones), 4) if milestones else None,
            "on_time_rate": round(sum(1 for m in closed if m.on_time) / len(milestones), 4) if milestones else None,
            "overdue": len(overdue),
            "due_soon": sum(1 for record in records if record["due_soon"]),
            "done": sum(1 for record in records if record["status"] == "已完成"),  # signed off
            "awaiting_sign_off": sum(1 for record in records if record["status"] == AWAITING_SIGN_OFF),
            "returned": sum(1 for record in records if record["sign_off"] == RETURNED),
        },
        "status_counts": [
            {"status": status, "count": sum(1 for r in records if r["status"] == status)} for status in TASK_STATUSES
        ],
        # the tasks' lights (``lights`` below counts the indicators')
        "task_lights": {light: sum(1 for r in records if r["light"] == light) for light in LIGHTS},
        "warn_days": warn_days,
        # tasks reported 已完成 that wait for the office's check, and those it returned (退回)
        "sign_off": {
            "awaiting": [r for r in records if r["status"] == AWAITING_SIGN_OFF],
            "returned": [r for r in records if r["sign_off"] == RETURNED],
        },
        # the plan's reporting schedule: the period owed and who has not reported in it (None: no schedule)
        "reporting": _reporting(register, owed, missing, log, as_of),
        "overdue_by_lead": overdue_by_lead,
        "due_soon": sorted((r for r in records if r["due_soon"]), key=lambda r: (r["next_due"], r["id"])),
        "late_reasons": [r for r in records if r["reason"] and r["status"] in ("滞后", "延期")],
        "ranking": ranking,
        "first_place": [row["unit"] for row in ranking if row["award"] == FIRST],
        "last_place": [row["unit"] for row in ranking if row["award"] == LAST],
        # The names earlier templates used for the two places (Hanzhong's awards); kept for users' own templates.
        "red_flag": [row["unit"] for row in ranking if row["award"] == FIRST],
        "snail": [row["unit"] for row in ranking if row["award"] == LAST],
        # What the plan calls the two places (Hanzhong: 红旗奖, 蜗牛奖); None leaves awards out.
        "awards": dict(zip((FIRST, LAST), register.plan.awards)) if register.plan.awards else None,
        "words": {field: label(field, "zh", register.plan.words()) for field in WORDED_FIELDS},
        "rule": {"weights": rule, "min_due": min_due},
        "indicator_groups": dimensions,
        "lights": {
            light: sum(1 for item in evaluated if item["light"] == light) for light in (GREEN, AMBER, RED, NONE)
        },
        "tasks": records,
        "progress_files": list(log.files),
    }


def _reporting(
    register: Register, owed: ReportingPeriod | None, missing: list[str], log: ProgressLog, as_of: date
) -> dict[str, Any] | None:
    if register.plan.reporting is None:
        return None
    last = last_reports(log, as_of)
    return {
        "wording": register.plan.reporting,
        "period": None if owed is None else {"start": owed.start.isoformat(), "due": owed.due.isoformat()},
        "unreported": [
            {"unit": name, "last_report": last[name].isoformat() if name in last else None} for name in missing
        ],
    }


def render_bulletin(data: dict[str, Any], fmt: str = "md", templates: str | Path | None = None) -> str:
    """The 通报 as Markdown or as one self-contained HTML page (charts in HTML, no network).

    A broken template in the user's folder is a located UsageError (file:line), not a traceback.
    """
    env = official_environment(
        tuple(str(folder) for folder in template_folders(templates, TEMPLATE_SUBFOLDER)), fmt == "md"
    )
    return render_template(f"bulletin.{fmt}.j2", data, env=env)


@functools.lru_cache(maxsize=4)
def official_environment(folders: tuple[str, ...], markdown: bool = False) -> Environment:
    """render.py's environment with the 通报's filters on top (the 催办通知 is rendered in it too).

    Every value is HTML-escaped, the Markdown too (a viewer renders HTML in a
    table cell), and punctuation next to Chinese is printed full width, as in the
    notices: the plan's text is quoted as the plan writes it. In Markdown every
    printed value is also Markdown-escaped (``markdown_text``): a title with a line
    break and a link, or a unit name with ``|``, is text.
    """
    env = build_environment(folders, escape_all=True)
    if markdown:
        # Set before any template is compiled: the compiler reads finalize then.
        env.finalize = _markdown_value
    env.filters["pct"] = _percent
    env.filters["num"] = _number
    env.filters["signed"] = _signed
    env.filters["cell"] = _markdown_cell
    env.filters["signed_pct"] = _signed_percent
    env.filters["target"] = _target
    env.globals["date_span"] = date_span_zh
    env.globals["NUMERALS"] = NUMERALS
    env.globals["printed_rows"] = printed_rows
    env.globals["LIGHT_WORDS"] = {
        light: value_word("light." + light, "zh") for light in (GREEN, AMBER, YELLOW, RED, NONE)
    }
    return env


def _percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    text = _number(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def _signed_percent(value: float | None) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "−" if value < 0 else "±") + f"{abs(value) * 100:.1f}%"


def _target(item: dict[str, Any]) -> str:
    text: str = item["target_text"]  # an indicator object's (``indicator_object``)
    return text


def _markdown_cell(value: object) -> object:
    return markdown_text(cjk_punctuation("" if value is None else str(value)))


def _markdown_value(value: object) -> object:
    return markdown_text(cjk_punctuation(value))


#: A row of a 通报 table taller than this is printed in parts (under half the portrait page).
PART_LIMIT_PT = 0.45 * PORTRAIT[1] * PT_PER_MM


def printed_rows(records: list[dict[str, Any]], columns: list[list[str]]) -> dict[str, Any]:
    """A 通报 table as printed: the columns' widths, and each record's rows.

    ``columns`` are [header, field, how] for each column: how is ``split`` (long text, cut
    where a row is taller than ``PART_LIMIT_PT``), ``keep`` (a date or a deadline: whole)
    or ``plain``; field names the record's key (``reason|note``: the first of them given).
    A record taller than the limit becomes several rows; the template repeats its short
    cells on each (``part`` > 0: （续）).
    """
    specs = [
        ColumnSpec(field, header, share=0.0 if how != "split" else 0.2, rest=index == 1, keep_all=how == "keep")
        for index, (header, field, how) in enumerate(columns)
    ]
    cells = [
        [
            Cell(_printed_value(_field(record, field), how), split=how == "split", keep_all=how == "keep")
            for _, field, how in columns
        ]
        for record in records
    ]
    widths = column_widths(specs, [[cell.text for cell in row] for row in cells], PORTRAIT[0] * PT_PER_MM, TABLE_STYLE)
    parts = split_rows(cells, widths, TABLE_STYLE, PART_LIMIT_PT)
    split_fields = [field for _, field, how in columns if how == "split"]
    rows = [
        {"record": record, "part": number, "texts": dict(zip(split_fields, texts)), "last": number == len(found) - 1}
        for record, found in zip(records, parts)
        for number, texts in enumerate(found)
    ]
    return {"widths": percentages(widths), "rows": rows, "style": TABLE_STYLE.css()}


def _field(record: dict[str, Any], field: str) -> object:
    return next((record[name] for name in field.split("|") if record.get(name)), None)


def _printed_value(value: object, how: str) -> str:
    if value is None:
        return ""
    text = str(value)
    if how == "keep" and len(text) == 10 and text[4] == "-":
        return date_zh(text)  # an ISO date, printed as 2023年6月30日
    return cjk_punctuation(text)
