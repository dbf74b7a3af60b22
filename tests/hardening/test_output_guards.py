"""No output lands on a file of the register folder, however it is spelt, and no -o turns a device,
a FIFO or a symlink into a regular file unless --write-through says to write through it.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
from pathlib import Path

import pytest

from deviation_cli.domain.issues import UsageError
from deviation_cli.formats.atomic import write_atomic
from support.paths import QINGHE, QINGHE_PROGRESS

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


@pytest.fixture
def folder(tmp_path):
    """The Qinghe register with every kind of file a register folder may hold."""
    target = tmp_path / "qinghe"
    shutil.copytree(QINGHE, target)
    for name in ("progress.yaml", "indicators.yaml", "observations.yaml"):
        shutil.copyfile(QINGHE_PROGRESS / name, target / name)
    (target / "progress").mkdir()
    shutil.copyfile(QINGHE_PROGRESS / "progress.yaml", target / "progress" / "2024-q2.yaml")
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


#: Every command that writes the file -o names, with the arguments it needs.
WRITERS = [
    ("render", "table"),
    ("render", "notice", "--unit", "县水利局"),
    ("export", "xlsx"),
    ("export", "ics"),
    ("export", "csv"),
    ("export", "json"),
    ("report", "--as-of", "2024-07-01"),
]
REGISTER_FILES = ["tasks.yaml", "units.yaml", "progress.yaml", "indicators.yaml", "observations.yaml"]


@pytest.mark.parametrize("name", [*REGISTER_FILES, "progress/2024-q2.yaml", "progress/new.yaml"])
@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
def test_no_writing_command_overwrites_any_file_of_the_register_folder(cli, folder, writer, name):
    before = snapshot(folder)
    run = cli("--lang", "en", *writer, "-o", str(folder / name), data=folder)
    assert (run.exit_code, run.stderr) == (
        2,
        f"{folder / name}: refusing to overwrite a register file; choose another output path\n",
    )
    assert snapshot(folder) == before


def test_a_register_file_that_does_not_exist_yet_is_refused_too(cli, folder):
    (folder / "progress.yaml").unlink()
    run = cli("export", "csv", "-o", str(folder / "progress.yaml"), data=folder)
    assert run.exit_code == 2
    assert not (folder / "progress.yaml").exists()


@posix_only
def test_another_spelling_of_a_register_file_is_the_same_file(cli, folder, tmp_path):
    """A hard link, a symlinked folder and a folder bound elsewhere reach the same inode: refused."""
    before = snapshot(folder)
    hard = tmp_path / "hard.yaml"
    os.link(folder / "progress.yaml", hard)
    through = tmp_path / "through"
    through.symlink_to(folder)
    for target in (hard, through / "indicators.yaml", through / "PROGRESS.yaml".lower()):
        run = cli("export", "json", "-o", str(target), data=folder)
        assert run.exit_code == 2, target
    assert snapshot(folder) == before


@posix_only
@pytest.mark.skipif(os.geteuid() != 0, reason="bind mounts need root")
def test_a_bind_mount_of_the_register_folder_is_the_same_folder(cli, folder, tmp_path):
    import subprocess

    mount = tmp_path / "mount"
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(mount)], capture_output=True).returncode != 0:
        pytest.skip("mount --bind is not allowed here")
    try:
        before = snapshot(folder)
        run = cli("export", "csv", "-o", str(mount / "observations.yaml"), data=folder)
        assert run.exit_code == 2
        assert snapshot(folder) == before
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_record_still_appends_to_progress_but_not_to_the_other_files(cli, folder):
    ok = cli("record", "1", "--unit", "县水利局", "--status", "推进中", data=folder)
    assert ok.exit_code == 0, ok.stderr
    for name in ("indicators.yaml", "observations.yaml", "units.yaml"):
        before = (folder / name).read_bytes()
        run = cli(
            "record", "1", "--unit", "县水利局", "--status", "推进中", "--progress", str(folder / name), data=folder
        )
        assert run.exit_code != 0, name
        assert (folder / name).read_bytes() == before


# --- devices, FIFOs, symlinks -------------------------------------------------------------------


@posix_only
@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
def test_a_device_is_refused_not_replaced_by_a_file(cli, tmp_path, writer):
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    run = cli("--lang", "en", *writer, "-o", str(device), data=QINGHE)
    assert run.exit_code == 2
    assert run.stderr == (
        f"{device}: the output is a device, not a file; it is not replaced: "
        "write to a file, or add --write-through to write into it\n"
    )
    assert stat.S_ISCHR(device.lstat().st_mode)
    through = cli(*writer, "-o", str(device), "--write-through", data=QINGHE)
    assert through.exit_code == 0, through.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)


@posix_only
@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_writing_through_into_a_full_device_is_a_message(cli, tmp_path):
    device = tmp_path / "full"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a /dev/full of our own
    run = cli("--lang", "en", "export", "csv", "-o", str(device), "--write-through", data=QINGHE)
    assert (run.exit_code, run.stderr) == (2, f"{device}: cannot write: No space left on device\n")
    assert stat.S_ISCHR(device.lstat().st_mode)


@posix_only
def test_a_fifo_is_refused_or_written_through(cli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    run = cli("--lang", "en", "render", "table", "-o", str(fifo), data=QINGHE)
    assert run.exit_code == 2 and "the output is a FIFO, not a file" in run.stderr
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    through = cli("render", "table", "-o", str(fifo), "--write-through", data=QINGHE)
    reader.join(timeout=30)
    assert through.exit_code == 0, through.stderr
    assert received and received[0].startswith(b"# ")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@posix_only
def test_a_symlink_is_refused_or_its_file_written(cli, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    run = cli("--lang", "en", "render", "table", "-o", str(link), data=QINGHE)
    assert run.exit_code == 2
    assert run.stderr == (
        f"{link}: the output is a symbolic link (to {real}); it is not replaced: "
        "name the file itself, or add --write-through to write to the file it points to\n"
    )
    assert real.read_text(encoding="utf-8") == "old"
    assert cli("render", "table", "-o", str(link), "--write-through", data=QINGHE).exit_code == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("# ")


@posix_only
def test_writing_through_a_symlink_to_the_register_is_still_refused(tmp_path, folder):
    link = tmp_path / "link.yaml"
    link.symlink_to(folder / "observations.yaml")
    with pytest.raises(UsageError) as caught:
        write_atomic(link, "x", protect=(folder / "observations.yaml",), follow_links=True)
    assert caught.value.issues[0].code == "output_is_register"


# --- one file per unit ----------------------------------------------------------------------------


def test_all_units_numbers_names_that_give_one_file_name(cli, tmp_path):
    from support.fuzzing import copy_register

    units = (QINGHE / "units.yaml").read_text(encoding="utf-8")
    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    units = units.replace("name: 县水利局", "name: 县水务/局", 1).replace("name: 县农业农村局", "name: 县水务:局", 1)
    tasks = tasks.replace("县水利局", "县水务/局").replace("县农业农村局", "县水务:局")
    folder = copy_register(tmp_path / "r", QINGHE, units=units, tasks=tasks)
    assert cli("validate", str(folder), data=None).exit_code == 0
    out = tmp_path / "out"
    run = cli("render", "unit", "--all-units", "-o", str(out), data=folder)
    assert run.exit_code == 0, run.stderr
    files = sorted(p.name for p in out.iterdir())
    assert "县水务_局.md" in files and "县水务_局-2.md" in files
    assert run.stderr == f"已写入 {len(files)} 个文件到 {out}\n"
    heads = {(out / name).read_text(encoding="utf-8").splitlines()[0] for name in ("县水务_局.md", "县水务_局-2.md")}
    assert heads == {"# 县水务/局责任清单", "# 县水务：局责任清单"}  # the heading prints the colon full-width


@posix_only
def test_writing_through_a_link_to_a_fifo_writes_into_the_fifo(cli, tmp_path):
    """As `-o /dev/stdout --write-through` does when stdout is a pipe (/dev/stdout -> /proc/self/fd/1 -> pipe)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    run = cli("export", "csv", "-o", str(link), "--write-through", data=QINGHE)
    reader.join(timeout=30)
    assert run.exit_code == 0, run.stderr
    assert received and received[0].startswith("\ufeff序号".encode())
    assert link.is_symlink() and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_report_does_not_overwrite_the_files_it_was_told_to_read(cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("progress.yaml", "indicators.yaml", "observations.yaml"):
        shutil.copyfile(QINGHE_PROGRESS / name, elsewhere / name)
    before = snapshot(elsewhere)
    for name, option in (
        ("progress.yaml", "--progress"),
        ("indicators.yaml", "--targets"),
        ("observations.yaml", "--observed"),
    ):
        args = ["--progress", str(elsewhere / "progress.yaml"), "--targets", str(elsewhere / "indicators.yaml")]
        args += ["--observed", str(elsewhere / "observations.yaml")]
        run = cli("report", "--as-of", "2024-07-01", *args, "-o", str(elsewhere / name), data=QINGHE)
        assert run.exit_code == 2, (option, run.stderr)
    assert snapshot(elsewhere) == before
