"""Targets and observed values checked: the file formats, then against the register and each other."""

from __future__ import annotations

import difflib
from typing import TypeVar

from pydantic import BaseModel

from ..domain.indicators import Indicator, Observation
from ..domain.issues import Issue
from ..domain.register import Register
from ..formats.yaml_reader import parse_yaml_checked
from ..formats.yaml_tree import YamlValue, locate
from .entries import IndicatorsFile, ObservationsFile
from .entry_checks import validate_entries

_File = TypeVar("_File", bound=BaseModel)


def _entries(
    text: str, shown: str, file_model: type[_File], issues: list[Issue]
) -> tuple[YamlValue, _File | None, dict[str, list[int]]]:
    """The file parsed and validated: its tree, its valid entries (or None), where each kept entry stands."""
    root, parse_issues, controls = parse_yaml_checked(text, shown)
    issues.extend(parse_issues)
    kept_at: dict[str, list[int]] = {}
    if parse_issues:
        return root, None, kept_at
    issues.extend(controls)
    return root, validate_entries(root, file_model, shown, issues, kept_indexes=kept_at), kept_at


def check_indicators_text(text: str, shown: str, register: Register, issues: list[Issue]) -> list[Indicator]:
    """Targets of a file, each checked against the register's dimensions and measures."""
    root, parsed, kept_at = _entries(text, shown, IndicatorsFile, issues)
    if parsed is None:
        return []
    keys = {dim.key for dim in register.dimensions}
    measures = {measure.key for measure in register.measures}
    seen: set[str] = set()
    kept = []

    # Positional-only: the messages' own arguments include ``key`` (the indicator's key).
    def issue(index: int, code: str, field: str, /, **args: object) -> None:
        line, column = locate(root, ("indicators", index, field))
        issues.append(Issue(code, shown, line, column, args))

    for index, entry in zip(kept_at.get("indicators", []), parsed.indicators):
        if entry.key in seen:
            issue(index, "indicator_duplicate", "key", key=entry.key)
            continue
        seen.add(entry.key)
        if entry.dimension not in keys:
            issue(
                index,
                "unknown_dimension",
                "dimension",
                key=entry.dimension,
                suggestions=difflib.get_close_matches(entry.dimension, sorted(keys), n=3, cutoff=0.5),
            )
            continue
        if entry.measure is not None and str(entry.measure) not in measures:
            issue(index, "unknown_measure", "measure", number=entry.measure)
            continue
        kept.append(
            Indicator(
                key=entry.key,
                name=entry.name,
                dimension=entry.dimension,
                period=entry.period,
                target=entry.target,
                quote=entry.quote,
                measure=entry.measure,
                comparison=entry.comparison,
                unit=entry.unit,
                wording=entry.wording,
                baseline=entry.baseline,
                baseline_quote=entry.baseline_quote,
                tolerance=entry.tolerance,
            )
        )
    return kept


def check_observations_text(
    text: str, shown: str, indicators: list[Indicator], issues: list[Issue]
) -> list[Observation]:
    """Observed values of a file, each naming an indicator that exists."""
    root, parsed, kept_at = _entries(text, shown, ObservationsFile, issues)
    if parsed is None:
        return []
    known = {indicator.key for indicator in indicators}
    kept = []
    for index, entry in zip(kept_at.get("observations", []), parsed.observations):
        if entry.indicator not in known:
            line, column = locate(root, ("observations", index, "indicator"))
            issues.append(
                Issue(
                    "indicator_unknown",
                    shown,
                    line,
                    column,
                    {
                        "key": entry.indicator,
                        "suggestions": difflib.get_close_matches(entry.indicator, sorted(known), n=3, cutoff=0.5),
                    },
                )
            )
            continue
        kept.append(
            Observation(
                indicator=entry.indicator,
                period=entry.period,
                value=entry.value,
                date=entry.date,
                source=entry.source,
                note=entry.note,
            )
        )
    return kept
