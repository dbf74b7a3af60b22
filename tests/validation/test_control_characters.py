"""NUL and every other control character (but tab and line feed) are refused in every text of every file
validate reads, with the character shown as an escape: a register is text people read, print and send on.
"""

from __future__ import annotations

import shutil

import pytest

from support.fuzzing import copy_register
from support.paths import QINGHE, QINGHE_PROGRESS

MESSAGE = "holds the control character {}, which no register text may hold"


@pytest.mark.parametrize(
    "escape, shown",
    [("\\u0000", "<U+0000>"), ("\\e", "<U+001B>"), ("\\x7f", "<U+007F>"), ("\\x85", "<U+0085>"), ("\\r", "<U+000D>")],
)
def test_an_escaped_control_character_in_a_task_is_refused(cli, tmp_path, escape, shown):
    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    tasks = tasks.replace("text: 完成县级饮用水水源地规范化建设。", f'text: "完成{escape}建设"', 1)
    folder = copy_register(tmp_path / "r", QINGHE, tasks=tasks)
    run = cli("--lang", "en", "validate", str(folder), data=None)
    line = tasks.split("\n").index('    text: "完成' + escape + '建设"') + 1
    assert run.exit_code == 1
    assert run.stderr.startswith(f"{folder / 'tasks.yaml'}:{line}:11: 'text' " + MESSAGE.format(shown))


def test_tab_and_line_breaks_stay_allowed(cli, tmp_path):
    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    tasks = tasks.replace("text: 完成县级饮用水水源地规范化建设。", 'text: "完成\\t水源地\\n规范化建设"', 1)
    folder = copy_register(tmp_path / "r", QINGHE, tasks=tasks)
    assert cli("validate", str(folder), data=None).exit_code == 0


def test_names_and_aliases_are_checked_too(cli, tmp_path):
    units = (QINGHE / "units.yaml").read_text(encoding="utf-8")
    units = units.replace("aliases: [东关镇人民政府]", 'aliases: ["东关\\a镇"]', 1)
    folder = copy_register(tmp_path / "r", QINGHE, units=units)
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr.startswith(f"{folder / 'units.yaml'}:13:15: 'aliases' " + MESSAGE.format("<U+0007>"))


@pytest.mark.parametrize("name", ["progress.yaml", "indicators.yaml", "observations.yaml"])
def test_the_tracking_files_are_checked_too(cli, tmp_path, name):
    folder = copy_register(tmp_path / "r", QINGHE)
    for each in ("progress.yaml", "indicators.yaml", "observations.yaml"):
        shutil.copyfile(QINGHE_PROGRESS / each, folder / each)
    text = (folder / name).read_text(encoding="utf-8")
    lines = text.split("\n")
    number = next(
        n
        for n, line in enumerate(lines)
        if ": " in line and line.split(": ", 1)[0].strip("- ") in ("note", "quote", "source", "name", "period")
    )
    head, value = lines[number].split(": ", 1)
    lines[number] = head + ': "' + value.strip("'\"") + '\\u0001"'
    (folder / name).write_text("\n".join(lines), encoding="utf-8")
    run = cli("--lang", "en", "validate", str(folder), data=None)
    assert run.exit_code == 1
    assert f"{folder / name}:{number + 1}:" in run.stderr and MESSAGE.format("<U+0001>") in run.stderr


def test_a_register_with_nul_is_not_cached_as_valid(cli, tmp_path):
    """The probe: an escaped NUL passed validate and silently turned the cache off."""
    tasks = (
        (QINGHE / "tasks.yaml")
        .read_text(encoding="utf-8")
        .replace("text: 完成县级饮用水水源地规范化建设。", 'text: "a\\u0000b"', 1)
    )
    folder = copy_register(tmp_path / "r", QINGHE, tasks=tasks)
    assert cli("validate", str(folder), data=None).exit_code == 1
    assert cli("tasks", data=folder).exit_code == 1


def test_record_refuses_a_control_character_in_its_text(cli, tmp_path):
    folder = copy_register(tmp_path / "r", QINGHE)
    run = cli(
        "--lang", "en", "record", "1", "--unit", "县水利局", "--status", "推进中", "--note", "a\x1b[31mb", data=folder
    )
    assert (run.exit_code, run.stderr) == (
        2,
        "--note holds the control character <U+001B>; a report is text, without control characters\n",
    )
    assert not (folder / "progress.yaml").exists()


def test_an_imported_cell_with_a_control_character_is_named_by_its_cell(cli, tmp_path):
    out = cli("export", "csv", "-o", "-", data=QINGHE).stdout
    table = tmp_path / "t.csv"
    table.write_text(out.replace("完成县级饮用水水源地规范化建设。", "完成\x1b建设", 1), encoding="utf-8")
    run = cli("--lang", "en", "import", "csv", str(table), "-o", str(tmp_path / "out"), data=QINGHE)
    assert run.exit_code == 1
    assert run.stderr.startswith("t.csv!D2: '任务' " + MESSAGE.format("<U+001B>"))
    assert not (tmp_path / "out").exists()
