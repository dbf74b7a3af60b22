"""`deviation validate` as a whole: exit codes, output formats, folder-level problems."""

from __future__ import annotations

import json
import shutil

from support.paths import HANZHONG, QINGHE


def copy_register(source, target):
    target.mkdir(exist_ok=True)
    for name in ("tasks.yaml", "units.yaml"):
        shutil.copy(source / name, target / name)
    return target


def test_the_shipped_register_is_valid(cli):
    run = cli("validate", data=None)
    assert run.exit_code == 0
    assert run.stderr.endswith(": 登记册有效(23 项任务)\n")


def test_path_argument_and_data_after_the_command(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_register(QINGHE, tmp_path / "reg")
    assert cli("validate", "reg", data=None).stderr == "reg: 登记册有效(4 项任务)\n"
    assert cli("validate", "--data", "reg", data=None).stderr == "reg: 登记册有效(4 项任务)\n"
    assert cli("validate", "--data", "reg", "--lang", "en", data=None).stderr == "reg: register is valid (4 tasks)\n"


def test_missing_folder_file_and_not_a_folder_are_exit_2(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = cli("validate", "nowhere", data=None)
    assert (missing.exit_code, missing.stderr) == (2, "找不到登记册目录 nowhere\n")
    (tmp_path / "half").mkdir()
    shutil.copy(QINGHE / "tasks.yaml", tmp_path / "half" / "tasks.yaml")
    half = cli("validate", "half", data=None)
    assert (half.exit_code, half.stderr) == (2, "找不到 half/units.yaml:登记册目录应包含 tasks.yaml 和 units.yaml\n")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    assert cli("validate", "file.txt", data=None).stderr == "file.txt 不是目录\n"


def test_a_file_over_the_size_limit_is_refused_unread(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_register(QINGHE, tmp_path / "reg")
    monkeypatch.setenv("DEVIATION_MAX_BYTES", "1000")
    run = cli("validate", "reg", data=None)
    size = (QINGHE / "tasks.yaml").stat().st_size
    assert run.exit_code == 2
    assert (
        run.stderr == f"reg/tasks.yaml: 文件有 {size} 字节,超过上限 1000 字节(可用环境变量 DEVIATION_MAX_BYTES 调整)\n"
    )


def test_a_nonsense_size_limit_falls_back_to_the_default(cli, monkeypatch):
    monkeypatch.setenv("DEVIATION_MAX_BYTES", "lots")
    assert cli("validate", data=QINGHE).exit_code == 0


def broken_copy(tmp_path):
    reg = copy_register(QINGHE, tmp_path / "reg")
    text = (reg / "tasks.yaml").read_text(encoding="utf-8")
    text = text.replace("    lead: 县城投公司", "    lead: 县城头公司").replace("2024年上半年", "2024年13月底")
    (reg / "tasks.yaml").write_text(text, encoding="utf-8")
    return reg


def test_json_format_lists_every_issue(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path)
    run = cli("validate", "reg", "--format", "json", data=None)
    assert run.exit_code == 1
    assert json.loads(run.stdout) == [
        {
            "path": "reg/tasks.yaml",
            "line": 28,
            "column": 15,
            "severity": "error",
            "code": "deadline_bad_month",
            "message": "完成时限“2024年13月底”中没有 13 月;月份应在 1 到 12 之间",
        },
        {
            "path": "reg/tasks.yaml",
            "line": 50,
            "column": 11,
            "severity": "error",
            "code": "unknown_unit",
            "message": "未知单位“县城头公司”。是否指:县城投公司?",
        },
    ]


def test_github_format_prints_annotations(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path)
    run = cli("validate", "reg", "--format", "github", "--lang", "en", data=None)
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        "::error file=reg/tasks.yaml,line=28,col=15,title=deadline_bad_month::"
        "deadline '2024年13月底' names month 13; months run from 1 to 12",
        "::error file=reg/tasks.yaml,line=50,col=11,title=unknown_unit::"
        "unknown unit '县城头公司'; did you mean: 县城投公司?",
    ]


def test_an_invalid_register_stops_queries_with_the_same_messages(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken_copy(tmp_path)
    run = cli("due", "--before", "2024-12-31", data="reg")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "reg/tasks.yaml:28:15: 完成时限“2024年13月底”中没有 13 月;月份应在 1 到 12 之间",
        "reg/tasks.yaml:50:11: 未知单位“县城头公司”。是否指:县城投公司?",
    ]


def test_hanzhong_copy_with_crlf_line_ends_is_the_same_register(tmp_path):
    from deviation_cli import load_register

    reg = copy_register(HANZHONG, tmp_path / "crlf")
    for name in ("tasks.yaml", "units.yaml"):
        path = reg / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert load_register(reg).tasks == load_register(HANZHONG).tasks
