"""Atomic writes: a failure at any step of `write_atomic` leaves the old file whole.

Every file the tool writes goes through `fileio.write_atomic` (BRIEF, SECURITY.md),
so these tests stand for every command that writes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from deviation_cli.domain.issues import UsageError
from deviation_cli.formats import atomic as fileio
from deviation_cli.formats.atomic import write_atomic

OLD = "第一版:旧内容\n" * 100


@pytest.fixture
def target(tmp_path) -> Path:
    path = tmp_path / "notice.md"
    path.write_text(OLD, encoding="utf-8")
    os.chmod(path, 0o640)
    return path


def left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "notice.md")


def test_a_write_replaces_the_file_and_keeps_its_mode(target):
    write_atomic(target, "新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert target.stat().st_mode & 0o777 == 0o640
    assert left_behind(target.parent) == []


def test_a_new_file_is_readable_by_others(tmp_path):
    path = write_atomic(tmp_path / "new.md", b"x")
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("step", ["write", "fsync", "chmod", "replace"])
def test_an_os_error_at_any_step_leaves_the_old_file_and_no_temporary(target, monkeypatch, step):
    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if step == "write":
        real_fdopen = os.fdopen

        class FailingStream:
            def __init__(self, *args, **kwargs):
                self.inner = real_fdopen(*args, **kwargs)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.inner.close()

            def write(self, data):
                self.inner.write(data[: len(data) // 2])  # half the bytes reach the temporary file
                fail()

        monkeypatch.setattr(fileio.os, "fdopen", FailingStream)
    else:
        monkeypatch.setattr(fileio.os, step, fail)
    with pytest.raises(UsageError) as caught:
        write_atomic(target, "新内容" * 10000)
    assert caught.value.issues[0].format("en") == f"{target}: cannot write: No space left on device"
    assert target.read_text(encoding="utf-8") == OLD
    assert left_behind(target.parent) == []


def test_an_interrupt_mid_write_leaves_the_old_file_and_no_temporary(target, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "新内容")
    assert target.read_text(encoding="utf-8") == OLD
    assert left_behind(target.parent) == []


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_process_killed_mid_write_leaves_the_old_file_whole(target):
    """SIGKILL cannot be caught: the old file is whole; only a hidden temporary remains."""
    child = textwrap.dedent(
        f"""
        import os, sys, time
        from deviation_cli.formats import atomic as fileio

        def slow_fsync(fd):
            print("written", flush=True)
            time.sleep(60)

        fileio.os.fsync = slow_fsync
        fileio.write_atomic({str(target)!r}, "新内容" * 1_000_000)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "written\n"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert target.read_text(encoding="utf-8") == OLD
    leftovers = left_behind(target.parent)
    assert len(leftovers) == 1 and leftovers[0].startswith(".notice.md.") and leftovers[0].endswith(".tmp")
    # the next write is not confused by it
    write_atomic(target, "第二版")
    assert target.read_text(encoding="utf-8") == "第二版"


def test_a_reader_never_sees_a_half_written_file(target):
    """While a child rewrites the file 60 times, every read sees one whole version."""
    versions = {OLD, "甲" * 100_000, "乙" * 100_000}
    child = textwrap.dedent(
        f"""
        from deviation_cli.formats.atomic import write_atomic
        for i in range(60):
            write_atomic({str(target)!r}, ("甲" if i % 2 else "乙") * 100_000)
        """
    )
    process = subprocess.Popen([sys.executable, "-c", child])
    seen = set()
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        seen.add(target.read_text(encoding="utf-8"))
    process.wait(timeout=30)
    assert seen <= versions
    assert left_behind(target.parent) == []


def test_a_file_written_by_name_replaces_the_target_whole_or_not_at_all(tmp_path):
    """replaced_atomically: what the cache uses to let sqlite3 write a file by name."""
    target = tmp_path / "entry.sqlite"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with fileio.replaced_atomically(target) as temporary:
            temporary.write_bytes(b"half")
            raise RuntimeError("the writer failed")
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["entry.sqlite"]
    with fileio.replaced_atomically(target) as temporary:
        assert temporary.parent == tmp_path and temporary != target
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["entry.sqlite"]
