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

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from .errors import Issue, RegisterInvalid, usage_error
from .model import IsoDate, Number, Text
from .register import Register

INDICATORS_FILE = "indicators.yaml"
OBSERVATIONS_FILE = "observations.yaml"
DEFAULT_TOLERANCE = 10.0  # percent of the target

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _decimal(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip().rstrip("%").strip()
    if not _DECIMAL.match(text):
        raise PydanticCustomError("bad_decimal", "not a number", {"value": value})
    return float(text)


Decimal = Annotated[float, BeforeValidator(_decimal)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Indicator(_Strict):
    """One target the plan states, with the sentence that states it."""

    key: Text
    name: Text
    dimension: Text  # a dimension key of the register
    measure: Number | None = None
    period: Text  # when the target applies: 2023-Q1, 2023, ...
    target: Decimal
    comparison: Literal["at_least", "at_most"] = "at_least"
    unit: Text | None = None  # "%", "亿元", ...
    wording: Text | None = None  # the target as the plan words it: ≥60%, 超额完成
    quote: Text  # the policy sentence
    baseline: Decimal | None = None
    baseline_quote: Text | None = None
    tolerance: Decimal | None = None  # amber band, percent of the target


class IndicatorsFile(_Strict):
    indicators: list[Indicator]


class Observation(_Strict):
    """One figure someone measured for an indicator."""

    indicator: Text
    period: Text
    value: Decimal
    date: IsoDate  # when the figure was reported: --as-of ignores later ones
    source: Text | None = None
    note: Text | None = None


class ObservationsFile(_Strict):
    note: Text | None = None  # e.g. that the figures are a sample
    observations: list[Observation] = []


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


def _load(path: Path, file_model: type, issues: list[Issue]) -> Any:
    from .load import display_path, read_text, validate_records
    from .yamlsource import parse_yaml

    shown = display_path(path)
    root, parse_issues = parse_yaml(read_text(path), shown)
    issues.extend(parse_issues)
    if parse_issues:
        return None, None, shown
    return validate_records(root, file_model, shown, issues), root, shown


def check_indicators(path: Path, register: Register, issues: list[Issue]) -> list[Indicator]:
    """Targets of a file, each checked against the register's dimensions and measures."""
    from .yamlsource import locate

    parsed, root, shown = _load(path, IndicatorsFile, issues)
    if parsed is None:
        return []
    keys = {dim.key for dim in register.dimensions}
    measures = {measure.number for measure in register.measures}
    seen: set[str] = set()
    kept = []
    raw = root.get("indicators") or []
    for index, indicator in zip(_valid_indexes(raw, Indicator), parsed.indicators):
        def issue(code: str, key: str, **args: Any) -> None:
            line, column = locate(root, ("indicators", index, key))
            issues.append(Issue(code, shown, line, column, args))

        if indicator.key in seen:
            issue("indicator_duplicate", "key", key=indicator.key)
            continue
        seen.add(indicator.key)
        if indicator.dimension not in keys:
            import difflib

            issue("unknown_dimension", "dimension", key=indicator.dimension,
                  suggestions=difflib.get_close_matches(indicator.dimension, sorted(keys), n=3, cutoff=0.5))
            continue
        if indicator.measure is not None and indicator.measure not in measures:
            issue("unknown_measure", "measure", number=indicator.measure)
            continue
        kept.append(indicator)
    return kept


def check_observations(path: Path, indicators: list[Indicator], issues: list[Issue]) -> list[Observation]:
    from .yamlsource import locate

    parsed, root, shown = _load(path, ObservationsFile, issues)
    if parsed is None:
        return []
    known = {indicator.key for indicator in indicators}
    kept = []
    raw = root.get("observations") or []
    for index, observation in zip(_valid_indexes(raw, Observation), parsed.observations):
        if observation.indicator not in known:
            import difflib

            line, column = locate(root, ("observations", index, "indicator"))
            issues.append(Issue("indicator_unknown", shown, line, column, {
                "key": observation.indicator,
                "suggestions": difflib.get_close_matches(observation.indicator, sorted(known), n=3, cutoff=0.5),
            }))
            continue
        kept.append(observation)
    return kept


def _valid_indexes(raw: list[Any], item_model: type) -> list[int]:
    from pydantic import ValidationError

    indexes = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            item_model.model_validate(item)
        except ValidationError:
            continue
        indexes.append(index)
    return indexes


def targets_path(register: Register, path: str | Path | None = None) -> Path | None:
    if path:
        chosen = Path(path)
        if not chosen.is_file():
            from .load import display_path

            raise usage_error("indicators_missing", file=display_path(chosen))
        return chosen
    default = Path(register.folder) / INDICATORS_FILE
    return default if default.is_file() else None


def observations_path(register: Register, path: str | Path | None = None) -> Path | None:
    if path:
        chosen = Path(path)
        if not chosen.is_file():
            from .load import display_path

            raise usage_error("observations_missing", file=display_path(chosen))
        return chosen
    default = Path(register.folder) / OBSERVATIONS_FILE
    return default if default.is_file() else None


def load_indicators(
    register: Register, targets: str | Path | None = None, observed: str | Path | None = None
) -> tuple[list[Indicator], list[Observation]]:
    """Targets and observations, checked; RegisterInvalid when either file has an error."""
    issues: list[Issue] = []
    indicators: list[Indicator] = []
    observations: list[Observation] = []
    chosen = targets_path(register, targets)
    if chosen is not None:
        indicators = check_indicators(chosen, register, issues)
    seen = observations_path(register, observed)
    if seen is not None:
        observations = check_observations(seen, indicators, issues)
    errors = [issue for issue in issues if issue.severity == "error"]
    if errors:
        raise RegisterInvalid(errors)
    return indicators, observations


def evaluate(indicators: list[Indicator], observations: list[Observation], as_of: date | None = None) -> list[Evaluated]:
    """Each indicator with its latest observation dated on or before ``as_of`` (file order breaks a tie)."""
    latest: dict[str, Observation] = {}
    for observation in observations:
        if as_of is not None and observation.date > as_of:
            continue
        current = latest.get(observation.indicator)
        if current is None or observation.date >= current.date:
            latest[observation.indicator] = observation
    return [Evaluated(indicator, latest.get(indicator.key)) for indicator in indicators]


def indicator_record(register: Register, item: Evaluated) -> dict[str, Any]:
    """The JSON shape of an evaluated indicator."""
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


def target_text(indicator: Indicator) -> str:
    """``≥60%``: the direction, the number and the unit, as a table cell shows a target."""
    sign = "≥" if indicator.comparison == "at_least" else "≤"
    value = f"{indicator.target:g}"
    return f"{sign}{value}{indicator.unit or ''}"
