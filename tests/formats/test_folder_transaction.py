"""Replacing a register folder's files as one unit: after a kill, a signal or a full disk at any step,
the folder holds the old register or the new one, whole and valid, and no temporary stays behind.

`deviation import --force` is the command that writes a register folder today; the kills run it
in forked children (modules already imported, so each costs a fraction of a second).
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deviation_cli.cli import app
from deviation_cli.domain.issues import UsageError
from deviation_cli.store.load import load_register, validate_folder
from support.paths import HANZHONG

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="children are forked and killed")


#: The journal of a replacement in progress (formats.folder_transaction.JOURNAL), named here so the
#: kill tests run, and fail as they should, on code that has no folder transaction at all.
JOURNAL = ".deviation-transaction.json"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if "deviation-txn" in p.name or p.name == JOURNAL)


# --- the primitive ----------------------------------------------------------------------------


def test_a_transaction_replaces_every_file_at_its_end(tmp_path):
    from deviation_cli.formats.folder_transaction import FolderTransaction

    (tmp_path / "a.yaml").write_text("old a", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("old b", encoding="utf-8")
    with FolderTransaction(tmp_path) as change:
        change.write("a.yaml", "new a")
        change.write("b.yaml", "new b")
        assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "old a"  # nothing replaced before the end
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in ("a.yaml", "b.yaml")] == ["new a", "new b"]
    assert leftovers(tmp_path) == []


def test_an_exception_in_the_block_keeps_every_old_file_and_no_temporary(tmp_path):
    from deviation_cli.formats.folder_transaction import FolderTransaction

    (tmp_path / "a.yaml").write_text("old a", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with FolderTransaction(tmp_path) as change:
            change.write("a.yaml", "new a")
            raise KeyboardInterrupt
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "old a"
    assert leftovers(tmp_path) == []


def test_a_committed_journal_is_finished_by_the_next_reader(tmp_path):
    from deviation_cli.formats.folder_transaction import recover

    (tmp_path / "a.yaml").write_text("old a", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("new b", encoding="utf-8")  # renamed before the interruption
    (tmp_path / ".a.yaml.deviation-txn-1-x").write_text("new a", encoding="utf-8")
    (tmp_path / JOURNAL).write_text(
        '{"version": 1, "files": [[".a.yaml.deviation-txn-1-x", "a.yaml"], [".b.yaml.deviation-txn-1-x", "b.yaml"]]}',
        encoding="utf-8",
    )
    assert recover(tmp_path)
    assert (tmp_path / "a.yaml").read_text(encoding="utf-8") == "new a"
    assert leftovers(tmp_path) == []
    assert not recover(tmp_path)


@pytest.mark.parametrize(
    "journal", ["{", '{"files": [["../../etc/passwd", "a.yaml"]]}', '{"files": [[".x.deviation-txn-1", "../a"]]}']
)
def test_a_damaged_or_hostile_journal_is_a_message_and_renames_nothing(tmp_path, journal):
    from deviation_cli.formats.folder_transaction import recover

    (tmp_path / JOURNAL).write_text(journal, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        recover(tmp_path)
    assert raised.value.issues[0].code == "transaction_journal_broken"


def test_temporaries_of_a_killed_writer_are_removed_by_the_next_transaction(tmp_path):
    from deviation_cli.formats.folder_transaction import FolderTransaction

    orphan = tmp_path / ".a.yaml.deviation-txn-99-dead"
    orphan.write_text("half", encoding="utf-8")
    with FolderTransaction(tmp_path) as change:
        change.write("a.yaml", "new")
    assert not orphan.exists()


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_a_full_disk_at_any_write_keeps_the_old_files(tmp_path, monkeypatch, failing):
    from deviation_cli.formats.folder_transaction import FolderTransaction

    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(f"old {name}", encoding="utf-8")
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == failing:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    try:
        with FolderTransaction(tmp_path) as change:
            change.write("a.yaml", "new a")
            change.write("b.yaml", "new b")
    except UsageError as error:
        assert "No space left on device" in error.issues[0].message("en")
    contents = {(tmp_path / n).read_text(encoding="utf-8") for n in ("a.yaml", "b.yaml")}
    assert contents in ({"old a.yaml", "old b.yaml"}, {"new a", "new b"})
    monkeypatch.setattr(os, "fsync", real_fsync)
    from deviation_cli.formats.folder_transaction import recover

    recover(tmp_path)
    assert leftovers(tmp_path) == []


# --- import --force, killed at every step -----------------------------------------------------


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """An old register folder, a table whose import is a different register, and that register's bytes."""
    base = tmp_path_factory.mktemp("versions")
    old = base / "old"
    shutil.copytree(HANZHONG, old, ignore=shutil.ignore_patterns("source", "indicators.yaml"))
    # The import copies units.yaml from --data; the old folder's differs (a comment), so a folder holding
    # one file of each version is told apart from both.
    units = old / "units.yaml"
    units.write_text("# 旧版本\n" + units.read_text(encoding="utf-8"), encoding="utf-8")
    table = base / "table.csv"
    runner = CliRunner()
    assert runner.invoke(app, ["--data", str(HANZHONG), "export", "csv", "-o", str(table)]).exit_code == 0
    table.write_text(table.read_text(encoding="utf-8").replace("持续推进", "2099年底", 1), encoding="utf-8")
    new = base / "new"
    shutil.copytree(old, new)
    run = runner.invoke(app, ["--data", str(HANZHONG), "import", "csv", str(table), "-o", str(new), "--force"])
    assert run.exit_code == 0, run.stderr
    read = {name: (old / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
    written = {name: (new / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
    assert read["tasks.yaml"] != written["tasks.yaml"] and read["units.yaml"] != written["units.yaml"]
    return old, table, read, written


def import_in_child(folder: Path, table: Path, step: int, how: str, scratch: Path) -> int:
    """Run `import csv --force` in a forked child; at the ``step``-th fsync/rename/unlink, ``how`` strikes.

    The child's temporary directory is ``scratch``, so what it leaves there is its own.
    """
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            tempfile.tempdir = str(scratch)
            count = {"n": 0}

            def strike() -> None:
                count["n"] += 1
                if count["n"] != step:
                    return
                if how == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                elif how == "term":
                    os.kill(os.getpid(), signal.SIGTERM)
                else:
                    raise OSError(errno.ENOSPC, "No space left on device")

            for name in ("fsync", "replace", "unlink"):
                real = getattr(os, name)

                def wrapped(*args, _real=real, **kwargs):
                    strike()
                    return _real(*args, **kwargs)

                setattr(os, name, wrapped)
            args = ["--no-cache", "--data", str(HANZHONG), "import", "csv", str(table), "-o", str(folder), "--force"]
            code = CliRunner().invoke(app, args).exit_code
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def register_state(folder: Path, read, written) -> str:
    now = {name: (folder / name).read_bytes() for name in ("tasks.yaml", "units.yaml")}
    return "old" if now == read else "new" if now == written else "mixed"


@posix_only
@pytest.mark.parametrize("how", ["kill", "term", "disk-full"])
def test_import_interrupted_at_every_step_leaves_the_old_or_the_new_register(tmp_path, versions, how):
    old, table, read, written = versions
    scratch = tmp_path / "temporary-directory"
    scratch.mkdir()
    seen, step = [], 1
    while True:
        folder = tmp_path / f"{how}-{step}"
        shutil.copytree(old, folder)
        status = import_in_child(folder, table, step, how, scratch)
        if how == "term" and status not in (0, 99):
            assert status == 128 + signal.SIGTERM, status
        assert leftovers(folder) == [] or how == "kill", leftovers(folder)
        assert validate_folder(folder).errors == []  # the reader finishes a committed replacement
        state = register_state(folder, read, written)
        assert state in ("old", "new"), f"step {step}: {state}"
        assert not any(".deviation-txn-" in p.name and "transaction" in p.name for p in folder.iterdir())
        seen.append(state)
        if status == 0:
            break
        step += 1
        assert step < 40
    # An interruption before the commit point keeps the old register, after it gives the new one.
    assert seen[0] == "old" and seen[-1] == "new" and seen == sorted(seen, key=["old", "new"].index)
    if how == "kill":  # the next import removes what the killed ones left
        CliRunner().invoke(app, ["--data", str(HANZHONG), "import", "csv", str(table), "-o", str(folder), "--force"])
        assert leftovers(folder) == []
    assert list(scratch.iterdir()) == []  # no deviation-import-* copy of the register, or anything else


@posix_only
def test_import_onto_a_disk_that_fills_up_keeps_the_old_register(tmp_path, versions):
    """A real write failure, no mock: the file size limit (RLIMIT_FSIZE) stops the second file's write."""
    old, table, read, written = versions
    folder = tmp_path / "full"
    shutil.copytree(old, folder)
    limit = (len(written["units.yaml"]) + len(written["tasks.yaml"])) // 2
    assert len(written["units.yaml"]) < limit < len(written["tasks.yaml"])
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
            args = ["--data", str(HANZHONG), "import", "csv", str(table), "-o", str(folder), "--force"]
            run = CliRunner().invoke(app, args)
            code = run.exit_code if "File too large" in run.stderr else 98
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 2
    assert register_state(folder, read, written) == "old"
    assert leftovers(folder) == []


def test_import_into_a_folder_it_may_not_create_is_a_message(cli, tmp_path, versions, monkeypatch):
    _, table, _, _ = versions

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    run = cli("--lang", "en", "import", "csv", str(table), "-o", str(tmp_path / "new"))
    assert (run.exit_code, run.stderr) == (2, f"{tmp_path / 'new'}: cannot write: Permission denied\n")


@posix_only
@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_import_under_a_read_only_folder_is_a_message(cli, tmp_path, versions):
    _, table, _, _ = versions
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        run = cli("--lang", "en", "import", "csv", str(table), "-o", str(parent / "new"))
    finally:
        parent.chmod(0o700)
    assert run.exit_code == 2 and "cannot write: Permission denied" in run.stderr


def test_a_loaded_register_after_a_committed_import_is_the_new_one(tmp_path, versions):
    old, table, read, written = versions
    folder = tmp_path / "r"
    shutil.copytree(old, folder)
    for name in ("tasks.yaml", "units.yaml"):
        (folder / f".{name}.deviation-txn-1-x").write_bytes(written[name])
    (folder / JOURNAL).write_text(
        '{"version": 1, "files": [[".units.yaml.deviation-txn-1-x", "units.yaml"],'
        ' [".tasks.yaml.deviation-txn-1-x", "tasks.yaml"]]}',
        encoding="utf-8",
    )
    load_register(folder)
    assert register_state(folder, read, written) == "new"
    assert leftovers(folder) == []
