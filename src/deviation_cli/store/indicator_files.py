"""A register's targets (``indicators.yaml``) and observed values (``observations.yaml``) on disk."""

from __future__ import annotations

from pathlib import Path

from ..domain.indicators import Indicator, Observation
from ..domain.issues import ERROR, Issue, RegisterInvalid, usage_error
from ..domain.register import Register
from ..formats.register_files import INDICATORS_FILE, OBSERVATIONS_FILE, display_path, read_text
from ..validation.indicator_rules import check_indicators_text, check_observations_text


def targets_path(register: Register, path: str | Path | None = None) -> Path | None:
    """The targets file: ``path`` (which must exist), else the register folder's, if any."""
    return _chosen(register, path, INDICATORS_FILE, "indicators_missing")


def observations_path(register: Register, path: str | Path | None = None) -> Path | None:
    """The observations file: ``path`` (which must exist), else the register folder's, if any."""
    return _chosen(register, path, OBSERVATIONS_FILE, "observations_missing")


def _chosen(register: Register, path: str | Path | None, default_name: str, missing_code: str) -> Path | None:
    if path:
        chosen = Path(path)
        if not chosen.is_file():
            raise usage_error(missing_code, file=display_path(chosen))
        return chosen
    default = Path(register.folder) / default_name
    return default if default.is_file() else None


def check_indicators(path: Path, register: Register, issues: list[Issue]) -> list[Indicator]:
    return check_indicators_text(read_text(path), display_path(path), register, issues)


def check_observations(path: Path, indicators: list[Indicator], issues: list[Issue]) -> list[Observation]:
    return check_observations_text(read_text(path), display_path(path), indicators, issues)


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
    errors = [issue for issue in issues if issue.severity == ERROR]
    if errors:
        raise RegisterInvalid(errors)
    return indicators, observations
