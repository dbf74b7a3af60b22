"""`deviation record`: a report is checked first, then appended without touching a byte already written."""

from __future__ import annotations

import shutil

import pytest

from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_writer import scalar as yaml_scalar
from deviation_cli.store.load import load_register
from deviation_cli.store.progress_log import HEADER, load_progress
from support.paths import QINGHE


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "qinghe"
    shutil.copytree(QINGHE, target)
    return target


HAND_WRITTEN = """\
# 清河县进度报告 — 手工维护
reports:
    # 一季度
    - task: 2
      unit: 县生态环境局
      date: 2024-03-29
      status: 已完成   # 按期
      note: '一季度通报: 已发'
"""


def test_record_creates_the_file_with_a_header(cli, folder):
    run = cli(
        "record",
        "1",
        "--unit",
        "清河县水利局",
        "--status",
        "推进中",
        "--date",
        "2024-05-20",
        "--note",
        "完成选址",
        data=folder,
    )
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"已记录:第 1 项 县水利局 2024-05-20 推进中 → {folder / 'progress.yaml'}:5\n"
    assert (folder / "progress.yaml").read_text(encoding="utf-8") == HEADER + (
        "  - task: 1\n    unit: 县水利局\n    date: 2024-05-20\n    status: 推进中\n    note: 完成选址\n"
    )


def test_record_appends_and_keeps_every_byte(cli, folder):
    path = folder / "progress.yaml"
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    before = path.read_bytes()
    run = cli(
        "record",
        "4",
        "--unit",
        "县城投公司",
        "--status",
        "postponed",
        "--date",
        "2024-06-01",
        "--reason",
        "汛期停采: 禁采期 #2",
        "--new-deadline",
        "2024-10-31",
        "--evidence",
        "https://example.org/a?b=1&c=2",
        data=folder,
    )
    assert run.exit_code == 0, run.stderr
    after = path.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode("utf-8") == (
        "    - task: 4\n"
        "      unit: 县城投公司\n"
        "      date: 2024-06-01\n"
        "      status: 延期\n"
        "      evidence: https://example.org/a?b=1&c=2\n"
        '      reason: "汛期停采: 禁采期 #2"\n'
        "      new_deadline: 2024-10-31\n"
    )
    log = load_progress(load_register(folder))
    assert [(r.task, r.status, r.reason, r.line) for r in log.reports] == [
        (2, "已完成", None, 4),
        (4, "延期", "汛期停采: 禁采期 #2", 9),
    ]
    assert log.reports[0].note == "一季度通报: 已发"


def test_record_keeps_crlf_files_as_they_are(cli, folder):
    path = folder / "progress.yaml"
    path.write_bytes(HAND_WRITTEN.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    assert (
        cli("record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20", data=folder).exit_code
        == 0
    )
    after = path.read_bytes()
    assert after.startswith(before) and b"\n" not in after[len(before) :].replace(b"\r\n", b"")
    assert len(load_progress(load_register(folder)).reports) == 2


def test_record_to_a_file_without_final_newline(cli, folder):
    path = folder / "progress.yaml"
    path.write_bytes(HAND_WRITTEN.rstrip("\n").encode("utf-8"))
    before = path.read_bytes()
    assert (
        cli("record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20", data=folder).exit_code
        == 0
    )
    assert path.read_bytes().startswith(before)
    assert len(load_progress(load_register(folder)).reports) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["9", "--unit", "县水利局", "--status", "推进中"], "没有序号为 9 的任务。是否指:1–4?\n"),
        (["1", "--unit", "县水力局", "--status", "推进中"], "没有单位“县水力局”。是否指:县水利局?\n"),
        (
            ["1", "--unit", "县水利局", "--status", "完成"],
            "状态应为 未开始 / 推进中 / 已完成 / 滞后 / 延期 之一(或 not-started, in-progress, done, late, postponed),而不是“完成”\n",
        ),
        (["1", "--unit", "各镇人民政府", "--status", "推进中"], "“各镇人民政府”是单位组;请写出填报的具体单位\n"),
        (
            ["1", "--unit", "县水利局", "--status", "延期", "--date", "2024-05-01", "--new-deadline", "2024-04-30"],
            "--new-deadline 2024-04-30 应晚于报告日期 2024-05-01\n",
        ),
        (["1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-02-30"], "2024-02-30 不是真实日期\n"),
        (
            ["1", "--unit", "县水利局", "--status", "推进中", "--evidence", "see file"],
            "佐证链接“see file”中不能有空格\n",
        ),
    ],
)
def test_a_bad_report_is_refused_and_nothing_changes(cli, folder, args, message):
    path = folder / "progress.yaml"
    assert cli("record", *args, data=folder).stderr == message
    assert not path.exists()
    path.write_bytes(HAND_WRITTEN.encode("utf-8"))
    run = cli("record", *args, data=folder)
    assert (run.exit_code, run.stderr) == (2, message)
    assert path.read_bytes() == HAND_WRITTEN.encode("utf-8")


def test_record_in_english(cli, folder):
    run = cli("--lang", "en", "record", "1", "--unit", "县水利局", "--status", "bogus", data=folder)
    assert run.stderr == (
        "the status should be one of 未开始 / 推进中 / 已完成 / 滞后 / 延期 "
        "(or not-started, in-progress, done, late, postponed), not 'bogus'\n"
    )


def test_flow_style_list_is_not_appended_to(cli, folder):
    path = folder / "progress.yaml"
    path.write_text("reports: []\n", encoding="utf-8")
    run = cli("record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20", data=folder)
    assert run.exit_code == 1
    assert "无法安全追加" in run.stderr
    assert path.read_text(encoding="utf-8") == "reports: []\n"


def test_a_broken_file_is_reported_not_appended_to(cli, folder):
    path = folder / "progress.yaml"
    broken = HAND_WRITTEN.replace("status: 已完成", "status: 完成")
    path.write_text(broken, encoding="utf-8")
    run = cli("record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20", data=folder)
    assert run.exit_code == 1
    assert run.stderr.startswith(f"{path}:7:15: ")
    assert path.read_text(encoding="utf-8") == broken


def test_record_to_an_explicit_file(cli, folder, tmp_path):
    target = tmp_path / "july.yaml"
    run = cli(
        "record",
        "2",
        "--unit",
        "东关镇人民政府",
        "--status",
        "in-progress",
        "--date",
        "2024-07-02",
        "--progress",
        str(target),
        data=folder,
    )
    assert run.exit_code == 0, run.stderr
    assert not (folder / "progress.yaml").exists()
    assert load_progress(load_register(folder), target).reports[0].unit == "东关镇"


def test_record_refuses_to_write_over_the_register(cli, folder):
    run = cli(
        "record", "1", "--unit", "县水利局", "--status", "推进中", "--progress", str(folder / "tasks.yaml"), data=folder
    )
    assert run.exit_code != 0
    assert (folder / "tasks.yaml").read_bytes() == (QINGHE / "tasks.yaml").read_bytes()


@pytest.mark.parametrize(
    "value", ["完成选址", "a: b", "#1", "- x", "yes", "null", "2024-05-20", "'q'", "多行\n文字", " 空格 ", "{x}", "10%"]
)
def test_yaml_scalar_reads_back_as_the_same_string(value):
    root, issues = parse_yaml(f"k: {yaml_scalar(value)}\n", "t.yaml")
    assert issues == [] and root["k"] == value


@pytest.mark.parametrize("start", ["", "# 进度报告\n", "# 进度报告", "reports:\n", "reports:\r\n", "\ufeffreports:\n"])
def test_record_into_a_fresh_file(cli, folder, start):
    path = folder / "progress.yaml"
    if start:
        path.write_bytes(start.encode("utf-8"))
    run = cli("record", "1", "--unit", "县水利局", "--status", "推进中", "--date", "2024-05-20", data=folder)
    assert run.exit_code == 0, run.stderr
    assert path.read_bytes().startswith(start.encode("utf-8"))
    assert [r.task for r in load_progress(load_register(folder)).reports] == [1]
