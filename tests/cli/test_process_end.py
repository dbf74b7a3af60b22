"""The installed command ends its process itself: the exit code, what it printed, and output that cannot be written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import HANZHONG

#: The entry point the installed `deviation` runs, as a process of its own (CliRunner never calls it).
MAIN = "import sys; from deviation_cli.cli import main; sys.argv[0] = 'deviation'; main()"


def run(*args: str, stdout: int | None = subprocess.PIPE, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEVIATION_NO_CACHE": "1", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args], stdout=stdout, stderr=subprocess.PIPE, env=env, cwd=cwd, check=False
    )


def test_each_exit_code_and_all_output_reach_the_caller():
    done = run("--data", str(HANZHONG), "due", "--before", "2023-07-31", "--format", "csv")
    assert done.returncode == 0 and done.stderr == b""
    assert [line.split(",")[0] for line in done.stdout.decode("utf-8-sig").splitlines()] == [
        "序号",
        "1",
        "22",
        "23",
        "4",
        "5",
    ]
    usage = run("--data", str(HANZHONG), "due", "--before", "xx")
    assert usage.returncode == 2 and usage.stdout == b""
    assert usage.stderr.decode() == "“xx”不是日期;请写 YYYY-MM-DD,例如 2023-07-31\n"


def test_an_invalid_register_exits_1_with_every_problem(tmp_path):
    shutil.copytree(HANZHONG, tmp_path / "登记册")
    tasks = tmp_path / "登记册" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: 市审计局", "lead: 市审记局"), encoding="utf-8")
    done = run("validate", "登记册", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.decode().startswith("登记册/tasks.yaml:171:11: 未知单位“市审记局”")


def test_a_large_output_into_a_pipe_is_complete():
    # Everything buffered is written before the process ends: the whole CSV, not its first block.
    done = run("--data", str(HANZHONG), "tasks", "--format", "json")
    assert done.returncode == 0
    assert done.stdout.decode().rstrip().endswith("]") and done.stdout.count(b'"id":') == 23


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["csv", "table", "json"])
def test_output_onto_a_full_disk_is_a_message_and_exit_1_not_a_traceback(fmt):
    with open("/dev/full", "wb") as full:
        done = run("--data", str(HANZHONG), "tasks", "--format", fmt, stdout=full.fileno())
    assert (done.returncode, done.stderr.decode()) == (1, "无法写入:No space left on device\n")


def test_a_reader_that_left_ends_the_command_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write is a broken pipe
    try:
        done = run("--data", str(HANZHONG), "tasks", "--format", "json", stdout=write_end)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, b"")
