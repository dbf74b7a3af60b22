"""Broken registers a clerk might produce, each beside its expected located messages.

A case is a folder under tests/broken/: the file(s) that differ from the Qinghe
register, and expected.txt (the exact stderr of `deviation validate`, then
`exit: N`). Adding a case is adding two files.
"""

from __future__ import annotations

import shutil

import pytest

from support.paths import BROKEN, QINGHE

CASES = sorted(path.name for path in BROKEN.iterdir() if path.is_dir())


def test_the_corpus_has_at_least_15_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_broken_register_gives_its_located_messages(case, cli, tmp_path, monkeypatch):
    for source in QINGHE.glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    for override in (BROKEN / case).iterdir():
        if override.name != "expected.txt":
            shutil.copy(override, tmp_path / override.name)
    monkeypatch.chdir(tmp_path)
    *expected_lines, exit_line = (BROKEN / case / "expected.txt").read_text(encoding="utf-8").splitlines()

    result = cli("validate", data=".")

    assert result.stderr.splitlines() == expected_lines
    assert f"exit: {result.exit_code}" == exit_line
    assert "Traceback" not in result.stderr
