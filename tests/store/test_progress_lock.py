"""Appends to a progress log under an exclusive lock: writers at the same moment lose nothing.

The children are forked from the test process (register already loaded, modules already
imported), so 50 of them cost well under a second; each runs `deviation record` itself.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys

import pytest
from typer.testing import CliRunner

from deviation_cli.cli import app
from deviation_cli.store.load import load_register
from deviation_cli.store.progress_log import load_progress
from support.paths import QINGHE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="children are forked")


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "qinghe"
    shutil.copytree(QINGHE, target)
    return target


def _record(folder: str, number: int, start, results) -> None:
    start.wait()
    run = CliRunner().invoke(
        app,
        ["--data", folder, "record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20"]
        + ["--note", f"第{number}次"],
    )
    results.put((number, run.exit_code, run.stderr))


def record_in_parallel(folder, count: int) -> list[tuple[int, int, str]]:
    context = multiprocessing.get_context("fork")
    start = context.Barrier(count)
    results = context.Queue()
    children = [context.Process(target=_record, args=(str(folder), n, start, results)) for n in range(count)]
    for child in children:
        child.start()
    answers = [results.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
    return answers


def test_fifty_parallel_records_keep_fifty_reports(folder):
    load_register(folder, cache=True)  # validated once; the children read the cache
    answers = record_in_parallel(folder, 50)
    assert [code for _, code, _ in answers] == [0] * 50, [err for _, code, err in answers if code]
    notes = sorted(report.note for report in load_progress(load_register(folder)).reports)
    assert notes == sorted(f"第{n}次" for n in range(50))


def test_two_parallel_records_keep_both_again_and_again(folder):
    for round_number in range(1, 6):
        record_in_parallel(folder, 2)
        assert len(load_progress(load_register(folder)).reports) == 2 * round_number


def test_a_writer_that_cannot_get_the_lock_says_so_and_changes_nothing(cli, folder, monkeypatch):
    from deviation_cli.formats.locking import exclusive, lock_path

    monkeypatch.setenv("DEVIATION_LOCK_SECONDS", "0.2")
    path = folder / "progress.yaml"
    with exclusive(path):
        run = cli("--lang", "en", "record", "1", "--unit", "县水利局", "--status", "推进中", data=folder)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"{path}: another deviation has been writing this file for 0.2 s;")
    assert lock_path(path).name in run.stderr
    assert not path.exists()


def test_the_lock_is_released_after_a_refused_report(cli, folder, monkeypatch):
    monkeypatch.setenv("DEVIATION_LOCK_SECONDS", "0.2")
    (folder / "progress.yaml").write_text("reports: [{task: 1}]\n", encoding="utf-8")  # flow style: refused
    refused = cli("record", "1", "--unit", "县水利局", "--status", "推进中", data=folder)
    assert refused.exit_code == 1
    (folder / "progress.yaml").unlink()
    accepted = cli("record", "1", "--unit", "县水利局", "--status", "推进中", data=folder)
    assert accepted.exit_code == 0, accepted.stderr
