"""Fixtures every test may use: the shipped and made-up registers, a CLI runner, a private cache, a git history.

Test data lives in ``fixtures/`` (registers, broken files, golden documents) and its
paths in ``support/paths.py``; helpers that build registers are in ``support/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deviation_cli import load_register
from deviation_cli.cli import app
from support.git_history import register_history
from support.paths import HANZHONG, QINGHE


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    def ids(self) -> list[int]:
        return [record["id"] for record in self.json()]


@pytest.fixture(scope="session")
def hanzhong():
    return load_register(HANZHONG)


@pytest.fixture(scope="session")
def qinghe():
    return load_register(QINGHE)


@pytest.fixture
def cli(monkeypatch):
    """Run `deviation ARGS` in-process; --data defaults to the shipped register."""
    monkeypatch.delenv("DEVIATION_DATA", raising=False)
    monkeypatch.delenv("DEVIATION_LANG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, data: Path | str | None = HANZHONG) -> Run:
        prefix = ["--data", str(data)] if data is not None else []
        result = CliRunner().invoke(app, [*prefix, *args], catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own register cache folder: never the user's, never another test's."""
    monkeypatch.setenv("DEVIATION_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("DEVIATION_NO_CACHE", raising=False)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository holding the Qinghe register through five commits (see support/git_history.py)."""
    return register_history(tmp_path, monkeypatch)
