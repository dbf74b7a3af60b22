"""The plan's quantitative targets, what was observed, and how far apart they are.

Targets live in the register folder (``indicators.yaml``), each quoting the
sentence of the plan it comes from. Observed values are kept in a separate
file (``observations.yaml``, or any file given with ``--observed``), so the
shipped register never holds a figure nobody measured.

Traffic light (``light``), for a target to reach (``at_least``):
green when the actual meets the target; amber when it falls short by no more
than the tolerance (default 10 % of the target, ``tolerance`` per indicator);
red when it falls further short; none when nothing was observed.
``at_most`` targets mirror this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_TOLERANCE = 10.0  # percent of the target

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
LIGHTS = (GREEN, AMBER, RED, NONE)


@dataclass(frozen=True, slots=True)
class Indicator:
    """One target the plan states, with the sentence that states it."""

    key: str
    name: str
    dimension: str  # a dimension key of the register
    period: str  # when the target applies: 2023-Q1, 2023, ...
    target: float
    quote: str  # the policy sentence
    measure: int | None = None
    comparison: str = "at_least"  # or "at_most"
    unit: str | None = None  # "%", "亿元", ...
    wording: str | None = None  # the target as the plan words it: ≥60%, 超额完成
    baseline: float | None = None
    baseline_quote: str | None = None
    tolerance: float | None = None  # amber band, percent of the target


@dataclass(frozen=True, slots=True)
class Observation:
    """One figure someone measured for an indicator."""

    indicator: str
    period: str
    value: float
    date: date  # when the figure was reported: --as-of ignores later ones
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluated:
    """One indicator set against its latest observation."""

    indicator: Indicator
    observation: Observation | None

    @property
    def actual(self) -> float | None:
        return self.observation.value if self.observation else None

    @property
    def deviation(self) -> float | None:
        """Actual minus target, in the indicator's unit."""
        return None if self.actual is None else round(self.actual - self.indicator.target, 4)

    @property
    def relative(self) -> float | None:
        """Deviation as a fraction of the target (−0.05 = 5 % short)."""
        if self.actual is None or not self.indicator.target:
            return None
        return round((self.actual - self.indicator.target) / self.indicator.target, 4)

    @property
    def light(self) -> str:
        if self.actual is None:
            return NONE
        target = self.indicator.target
        tolerance = self.indicator.tolerance if self.indicator.tolerance is not None else DEFAULT_TOLERANCE
        band = abs(target) * tolerance / 100
        short = target - self.actual if self.indicator.comparison == "at_least" else self.actual - target
        if short <= 0:
            return GREEN
        return AMBER if short <= band + 1e-9 else RED


def evaluate(
    indicators: list[Indicator], observations: list[Observation], as_of: date | None = None
) -> list[Evaluated]:
    """Each indicator with its latest observation dated on or before ``as_of`` (file order breaks a tie)."""
    latest: dict[str, Observation] = {}
    for observation in observations:
        if as_of is not None and observation.date > as_of:
            continue
        current = latest.get(observation.indicator)
        if current is None or observation.date >= current.date:
            latest[observation.indicator] = observation
    return [Evaluated(indicator, latest.get(indicator.key)) for indicator in indicators]


def target_text(indicator: Indicator) -> str:
    """``≥60%``: the direction, the number and the unit, as a table cell shows a target."""
    sign = "≥" if indicator.comparison == "at_least" else "≤"
    value = f"{indicator.target:g}"
    return f"{sign}{value}{indicator.unit or ''}"
