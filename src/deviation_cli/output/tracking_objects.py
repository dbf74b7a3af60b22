"""The JSON shapes of the supervision loop: where a task stands, a unit's rates, an indicator against its target.

Apart from ``json_objects`` so that a listing of tasks does not load the tracking rules.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from ..domain.indicators import Evaluated, target_text
from ..domain.register import Register
from ..domain.reporting import ReportingPeriod
from ..domain.tracking import Ranked, TaskState, UnitScore, named_units
from .json_objects import task_object


def state_object(
    register: Register,
    state: TaskState,
    as_of: date,
    owed: ReportingPeriod | None = None,
    unreported: Collection[str] = (),
) -> dict[str, Any]:
    """A task object with where it stands on ``as_of``.

    ``owed`` is the reporting period owed on ``as_of`` (None when the plan states no
    schedule, or none is due yet) and ``unreported`` the units that filed no report in it.
    """
    shown = task_object(register, state.task)
    last = state.last_report
    check = state.check
    shown.update(
        {
            "status": state.status,
            "reported": state.reported,
            "last_report": last.date.isoformat() if last else None,
            "last_unit": last.unit if last else None,
            "note": last.note if last else None,
            "reason": last.reason if last else None,
            "overdue": state.overdue,
            "overdue_since": state.overdue_since.isoformat() if state.overdue_since else None,
            "next_due": state.next_due.isoformat() if state.next_due else None,
            "days_left": (state.next_due - as_of).days if state.next_due else None,
            "due_soon": state.due_soon,
            "postponed_to": state.postponed_to.isoformat() if state.postponed_to else None,
            "milestones": [
                {
                    "due": m.due.isoformat(),
                    "original": m.original.isoformat() if m.original else None,
                    "closed": m.closed.isoformat() if m.closed and not m.open_on(as_of) else None,
                    "on_time": m.on_time,
                    "signed_off": m.signed_off.isoformat() if m.signed_off and not m.open_on(as_of) else None,
                }
                for m in state.milestones
            ],
            "light": state.light,
            "done_reported": state.done_report.date.isoformat() if state.done_report else None,
            "done_unit": state.done_report.unit if state.done_report else None,
            "sign_off": state.sign_off,
            "checked_on": check.date.isoformat() if check else None,
            "checked_by": check.by if check else None,
            "check_note": check.note if check else None,
            "report_period": _period(owed),
            "unreported": (
                None if owed is None else [name for name in unreported if name in named_units(register, state.task)]
            ),
        }
    )
    return shown


def _period(period: ReportingPeriod | None) -> dict[str, str] | None:
    return None if period is None else {"start": period.start.isoformat(), "due": period.due.isoformat()}


def score_object(score: UnitScore, ranked: Ranked | None = None) -> dict[str, Any]:
    """One unit's rates (``status --by-unit``); with ``ranked``, its place in the 通报's ranking."""
    shown: dict[str, Any] = {
        "unit": score.unit,
        "led": score.led,
        "involved": score.involved,
        "reported": score.reported,
        "reports": score.reports,
        "fallen_due": score.fallen_due,
        "closed": score.closed,
        "on_time": score.on_time,
        "completion_rate": _rate(score.completion_rate),
        "on_time_rate": _rate(score.on_time_rate),
        "reporting_rate": _rate(score.reporting_rate),
        "overdue_tasks": score.overdue_tasks,
        "periods_owed": score.periods_owed,
        "periods_reported": score.periods_reported,
        "period_rate": _rate(score.period_rate),
        "missing_report": score.missing_report.key if score.missing_report else None,
    }
    if ranked is not None:
        shown.update({"rank": ranked.rank, "score": ranked.score, "award": ranked.award})
    return shown


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def indicator_object(register: Register, item: Evaluated) -> dict[str, Any]:
    """An indicator set against its latest observation."""
    indicator = item.indicator
    dimension = next((d.name for d in register.dimensions if d.key == indicator.dimension), indicator.dimension)
    return {
        "key": indicator.key,
        "indicator": indicator.name,
        "dimension": dimension,
        "period": indicator.period,
        "comparison": indicator.comparison,
        "target": indicator.target,
        "target_text": target_text(indicator),
        "unit": indicator.unit,
        "wording": indicator.wording,
        "baseline": indicator.baseline,
        "baseline_quote": indicator.baseline_quote,
        "actual": item.actual,
        "observed_period": item.observation.period if item.observation else None,
        "observed_on": item.observation.date.isoformat() if item.observation else None,
        "deviation": item.deviation,
        "relative": item.relative,
        "light": item.light,
        "quote": indicator.quote,
    }
