"""`deviation verify`: the office's sign-off (销号) of a lead's 已完成 report, appended as its own entry."""

from __future__ import annotations

import shutil

import pytest

from deviation_cli.store.progress_log import HEADER
from support.paths import QINGHE, QINGHE_PROGRESS


@pytest.fixture
def folder(tmp_path):
    """Qinghe with its made-up progress: task 2's 07-03 已完成 waits for the office's check."""
    target = tmp_path / "qinghe"
    shutil.copytree(QINGHE, target)
    shutil.copy(QINGHE_PROGRESS / "progress.yaml", target / "progress.yaml")
    return target


def _states(cli, folder, day):
    return {r["id"]: r for r in cli("status", "--as-of", day, "-f", "json", data=folder).json()}


def test_verify_passes_the_latest_done_report_and_appends_one_entry(cli, folder):
    path = folder / "progress.yaml"
    before = path.read_bytes()
    assert _states(cli, folder, "2024-07-05")[2]["status"] == "待销号"
    run = cli(
        "verify", "2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05", "--note", "结果已核", data=folder
    )
    assert run.exit_code == 0, run.stderr
    assert run.stderr == (
        f"已记录销号核验:第 2 项 县生态环境局 2024-07-03 的“已完成”报告 通过(县河长办,2024-07-05)→ {path}:48\n"
    )
    after = path.read_bytes()
    assert after.startswith(before)  # nothing already recorded is rewritten
    assert after[len(before) :].decode("utf-8") == (
        "  - task: 2\n    unit: 县生态环境局\n    date: 2024-07-05\n    check: 通过\n    by: 县河长办\n"
        "    report_date: 2024-07-03\n    note: 结果已核\n"
    )
    task = _states(cli, folder, "2024-07-05")[2]
    # the 06-30 phase is closed on its report's day (late: 07-03), signed off on 07-05; two phases remain
    assert task["milestones"][1] == {
        "due": "2024-06-30",
        "original": "2024-06-30",
        "closed": "2024-07-03",
        "on_time": False,
        "signed_off": "2024-07-05",
    }
    assert (task["status"], task["sign_off"], task["overdue"], task["light"]) == ("推进中", "通过", False, "green")
    assert cli("validate", str(folder)).exit_code == 0
    # the day before the check, the task still waited for it
    assert _states(cli, folder, "2024-07-04")[2]["status"] == "待销号"


def test_a_returned_task_goes_back_to_work_and_can_be_checked_again(cli, folder):
    assert (
        cli("record", "4", "--unit", "县城投公司", "--status", "已完成", "--date", "2024-07-10", data=folder).exit_code
        == 0
    )
    run = cli(
        "verify", "4", "--by", "县河长办", "--result", "return", "--note", "采砂点复绿未完成", "--date", "2024-07-12",
        data=folder,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    task = _states(cli, folder, "2024-07-15")[4]
    assert {key: task[key] for key in ("status", "sign_off", "done_reported", "checked_on", "check_note", "light")} == {
        "status": "推进中",
        "sign_off": "退回",
        "done_reported": "2024-07-10",
        "checked_on": "2024-07-12",
        "check_note": "采砂点复绿未完成",
        "light": "green",
    }
    assert task["milestones"][0]["closed"] is None
    table = cli("status", "--as-of", "2024-07-15", data=folder).stdout
    assert "销号退回、待整改:1 项\n" in table
    assert " 4      县城投公司     2024-07-10     2024-07-12   县河长办   采砂点复绿未完成\n" in table
    # checked already: refused until the lead reports it done again
    again = cli("verify", "4", "--by", "县河长办", "--result", "通过", "--date", "2024-07-15", data=folder)
    assert (again.exit_code, again.stderr) == (
        1,
        "第 4 项任务 县城投公司 2024-07-10 的“已完成”报告已于 2024-07-12 核验(退回,县河长办);牵头单位再次报告“已完成”后才能再核验\n",
    )
    cli("record", "4", "--unit", "县城投公司", "--status", "done", "--date", "2024-07-20", data=folder)
    assert _states(cli, folder, "2024-07-21")[4]["status"] == "待销号"
    assert (
        cli("verify", "4", "--by", "县河长办", "--result", "pass", "--date", "2024-07-22", data=folder).exit_code == 0
    )
    done = _states(cli, folder, "2024-07-22")[4]
    # closed by the report of 07-20, on time for the approved new deadline (10-31)
    assert (done["status"], done["sign_off"], done["milestones"][0]["closed"], done["milestones"][0]["on_time"]) == (
        "已完成",
        "通过",
        "2024-07-20",
        True,
    )


def test_by_names_a_unit_of_the_register_or_an_office_as_written(cli, folder):
    run = cli("verify", "2", "--by", "清河县水利局", "--result", "通过", "--date", "2024-07-05", data=folder)
    assert run.exit_code == 0, run.stderr
    assert (
        (folder / "progress.yaml")
        .read_text(encoding="utf-8")
        .endswith("    by: 县水利局\n    report_date: 2024-07-03\n")
    )
    assert "(县水利局,2024-07-05)" in run.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["3", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05"], 1,
         "第 3 项任务在 2024-07-05 及以前没有牵头单位报告“已完成”,没有可销号核验的报告"),
        (["2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-02"], 1,
         "第 2 项任务 县生态环境局 2024-03-29 的“已完成”报告已于 2024-04-02 核验(通过,县河长办);牵头单位再次报告“已完成”后才能再核验"),
        (["9", "--by", "县河长办", "--result", "通过"], 2, "没有序号为 9 的任务。是否指:1–4?"),
        (["2", "--by", "县河长办", "--result", "同意"], 2,
         "核验结果应为 通过 / 退回 之一(或 pass, return),而不是“同意”"),
        (["2", "--by", "县河长办", "--result", "退回", "--date", "2024-07-05"], 2,
         "退回须用 --note 写明理由,单位才知道要整改什么"),
        (["2", "--by", "  ", "--result", "通过", "--date", "2024-07-05"], 2, "--by 不能为空"),
        (["2", "--by", "县河长办", "--result", "通过", "--date", "2024-02-30"], 2, "2024-02-30 不是真实日期"),
    ],
)  # fmt: skip
def test_verify_refuses_and_changes_nothing(cli, folder, args, code, message):
    before = (folder / "progress.yaml").read_bytes()
    run = cli("verify", *args, data=folder)
    assert (run.exit_code, run.stdout, run.stderr) == (code, "", message + "\n")
    assert (folder / "progress.yaml").read_bytes() == before


def test_verify_reads_and_appends_to_the_progress_file_it_is_given(cli, folder, tmp_path):
    elsewhere = tmp_path / "elsewhere.yaml"
    (folder / "progress.yaml").rename(elsewhere)
    nothing = cli("verify", "2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05", data=folder)
    assert nothing.exit_code == 1  # the register folder holds no reports now
    run = cli(
        "verify", "2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05", "--progress", str(elsewhere),
        data=folder,
    )  # fmt: skip
    assert run.exit_code == 0, run.stderr
    assert run.stderr.endswith(f"→ {elsewhere}:48\n")
    assert not (folder / "progress.yaml").exists()


def test_a_crlf_file_keeps_its_line_endings_and_record_still_appends_after_a_check(cli, folder):
    path = folder / "progress.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert (
        cli("verify", "2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05", data=folder).exit_code == 0
    )
    run = cli("record", "3", "--unit", "县水利局", "--status", "推进中", "--date", "2024-07-06", data=folder)
    assert run.exit_code == 0, run.stderr
    text = path.read_bytes()
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert text.endswith(b"    report_date: 2024-07-03\r\n  - task: 3\r\n    unit: \xe5\x8e\xbf\xe6\xb0\xb4\xe5\x88\xa9\xe5\xb1\x80\r\n"
                         b"    date: 2024-07-06\r\n    status: \xe6\x8e\xa8\xe8\xbf\x9b\xe4\xb8\xad\r\n")  # fmt: skip


def test_verify_speaks_english(cli, folder):
    run = cli("--lang", "en", "verify", "3", "--by", "x", "--result", "pass", "--date", "2024-07-05", data=folder)
    assert (run.exit_code, run.stderr) == (
        1,
        "no lead has reported task 3 已完成 (done) on or before 2024-07-05: there is no report to sign off\n",
    )


def test_verify_makes_progress_yaml_when_the_reports_are_in_the_progress_folder(cli, folder):
    (folder / "progress").mkdir()
    (folder / "progress.yaml").rename(folder / "progress" / "2024.yaml")
    run = cli("verify", "2", "--by", "县河长办", "--result", "通过", "--date", "2024-07-05", data=folder)
    assert run.exit_code == 0, run.stderr
    assert (folder / "progress.yaml").read_text(encoding="utf-8") == HEADER + (
        "  - task: 2\n    unit: 县生态环境局\n    date: 2024-07-05\n    check: 通过\n    by: 县河长办\n"
        "    report_date: 2024-07-03\n"
    )
    assert cli("validate", str(folder)).exit_code == 0
    assert _states(cli, folder, "2024-07-05")[2]["sign_off"] == "通过"
