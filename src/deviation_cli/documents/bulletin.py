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
from ..domain.progress import STATUSES, ProgressLog
from ..domain.register import Register
from ..domain.tracking import FIRST, LAST, parse_rule, rank_units, task_states, unit_scores
from ..output.escaping import markdown_escape
from ..output.tracking_objects import indicator_object, score_object, state_object
from ..words import label, value_word
from .templating import build_environment, render_template, template_folders

if TYPE_CHECKING:
    from jinja2 import Environment

BULLETIN_FORMATS = ("md", "html")
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
) -> dict[str, Any]:
    """Everything the 通报 states on ``as_of``, as data."""
    rule = rule or parse_rule(None)
    states = task_states(register, log, as_of, within)
    records = [state_object(register, state, as_of) for state in states]
    scores = unit_scores(register, states, log, as_of)
    ranked = rank_units(scores, rule, min_due)
    evaluated = [indicator_object(register, item) for item in evaluate(indicators, observations, as_of)]

    milestones = [m for state in states for m in state.milestones if m.due < as_of]
    closed = [m for m in milestones if not m.open_on(as_of)]
    overdue = [record for record in records if record["overdue"]]
    by_lead: dict[str, list[dict[str, Any]]] = {}
    for record in overdue:
        by_lead.setdefault(record["lead"], []).append(record)
    unit_order = [unit.name for unit in register.units]
    overdue_by_lead = [
        {"unit": unit, "tasks": by_lead[unit]}
        for unit in sorted(by_lead, key=lambda name: unit_order.index(name) if name in unit_order else len(unit_order))
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
            "done": sum(1 for record in records if record["status"] == "已完成"),
        },
        "status_counts": [
            {"status": status, "count": sum(1 for r in records if r["status"] == status)} for status in STATUSES
        ],
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


def render_bulletin(data: dict[str, Any], fmt: str = "md", templates: str | Path | None = None) -> str:
    """The 通报 as Markdown or as one self-contained HTML page (inline SVG, no network).

    A broken template in the user's folder is a located UsageError (file:line), not a traceback.
    """
    env = _environment(tuple(str(folder) for folder in template_folders(templates, TEMPLATE_SUBFOLDER)))
    return render_template(f"bulletin.{fmt}.j2", data, env=env)


@functools.lru_cache(maxsize=4)
def _environment(folders: tuple[str, ...]) -> Environment:
    """render.py's environment with the 通报's filters on top.

    Every value is HTML-escaped, the Markdown too (a viewer renders HTML in a
    table cell); no full-width finalize: the 通报 prints the figures as computed.
    """
    env = build_environment(folders, escape_all=True, finalize=False)
    env.filters["pct"] = _percent
    env.filters["num"] = _number
    env.filters["signed"] = _signed
    env.filters["cell"] = _markdown_cell
    env.filters["signed_pct"] = _signed_percent
    env.filters["target"] = _target
    env.globals["NUMERALS"] = NUMERALS
    env.globals["LIGHT_WORDS"] = {light: value_word("light." + light, "zh") for light in (GREEN, AMBER, RED, NONE)}
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


def _markdown_cell(value: object) -> str:
    return markdown_escape("" if value is None else str(value))
