"""Sign-off entries (销号 checks) in a progress file: each problem located, checks bound to reports across files."""

from __future__ import annotations

import shutil

import pytest

from deviation_cli.domain.issues import RegisterInvalid
from deviation_cli.store.load import load_register, validate_folder
from deviation_cli.store.progress_log import load_progress
from deviation_cli.validation.progress_rules import check_count, report_count
from support.paths import QINGHE, QINGHE_PROGRESS

REPORT = "  - task: 1\n    unit: 县水利局\n    date: 2024-06-25\n    status: 已完成\n"

BAD_CHECKS = (
    "reports:\n"
    + REPORT  # lines 2-5: the 已完成 report the checks below are of
    + "  - task: 1\n    unit: 县生态环境局\n    date: 2024-06-28\n    check: 通过\n    by: 县河长办\n"  # 6: not the lead
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-28\n    check: 同意\n    by: 县河长办\n"  # 11: no such result
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-20\n    check: 通过\n    by: 县河长办\n"  # 16: before any report
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-28\n    check: 通过\n    by: 县河长办\n"  # 21: no report that day
    + "    report_date: 2024-06-24\n"
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-29\n    check: 退回\n    by: 县河长办\n"  # 27: no reason
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-26\n    check: 通过\n    by: 县河长办\n"  # 32: before its report
    + "    report_date: 2024-06-27\n"
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-06-30\n    check: 通过\n"  # 38: nobody checked
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-07-01\n    check: 通过\n    by: 县河长办\n"  # 42: both kinds,
    + "    status: 已完成\n"
    + "  - task: 1\n    unit: 县水利局\n    date: 2024-07-02\n    check: 通过\n    by: 县河长办\n"  # 48: checked again, and again
)


def _qinghe_with(tmp_path, progress: str):
    folder = tmp_path / "qinghe"
    shutil.copytree(QINGHE, folder)
    (folder / "progress.yaml").write_text(progress, encoding="utf-8")
    return folder


def test_check_problems_are_located(tmp_path):
    folder = _qinghe_with(tmp_path, BAD_CHECKS)
    report = validate_folder(folder)
    assert [(i.line, i.column, i.code, i.severity) for i in report.issues] == [
        (7, 11, "check_unit_not_lead", "error"),
        (14, 12, "bad_choice", "error"),
        (18, 11, "check_nothing_before", "error"),
        (26, 18, "check_report_missing", "error"),
        (30, 12, "check_return_without_note", "warning"),
        (37, 18, "check_before_report", "error"),
        (38, 5, "missing_field", "error"),
        (44, 11, "check_repeated", "warning"),  # read as the check it also is
        (47, 5, "progress_check_and_status", "error"),
        (50, 11, "check_repeated", "warning"),
    ]
    messages = {issue.line: issue.message() for issue in report.issues}
    assert messages[7] == "县生态环境局 不是第 1 项任务的牵头单位(县水利局);销号核验的是牵头单位的“已完成”报告"
    assert messages[18] == "第 1 项任务在 2024-06-20 及以前没有 县水利局 报告“已完成”,这条核验对不上任何报告"
    assert messages[26] == "第 1 项任务没有 县水利局 在 2024-06-24 报告“已完成”,这条核验对不上任何报告"
    assert messages[47] == "一条记录要么是进度报告(写 status),要么是销号核验(写 check),不能两者都写"
    assert messages[50] == (
        f"第 1 项任务 县水利局 2024-06-25 的“已完成”报告已在 {folder / 'progress.yaml'}:42 核验过;以较晚的这条为准"
    )
    assert report.issues[0].message("en") == (
        "县生态环境局 does not lead task 1 (县水利局); a sign-off checks a lead's 已完成 (done) report"
    )
    # the register still loads; the progress log does not
    assert report.register is not None
    with pytest.raises(RegisterInvalid):
        load_progress(load_register(folder))


def test_a_check_finds_its_report_in_another_progress_file(tmp_path):
    folder = _qinghe_with(tmp_path, "reports:\n" + REPORT)
    (folder / "progress").mkdir()
    (folder / "progress" / "checks.yaml").write_text(
        "reports:\n  - task: 1\n    unit: 清河县水利局\n    date: 2024-06-28\n    check: 通过\n    by: 县河长办\n",
        encoding="utf-8",
    )
    assert validate_folder(folder).issues == []
    log = load_progress(load_register(folder))
    assert [(c.task, c.unit, c.result, c.by, c.report_date, c.line) for c in log.checks] == [
        (1, "县水利局", "通过", "县河长办", None, 2)  # the unit by its canonical name; the office as written
    ]
    assert len(log.reports) == 1


def test_counting_entries_tells_reports_from_checks():
    text = (QINGHE_PROGRESS / "progress.yaml").read_text(encoding="utf-8")
    assert (report_count(text, "p"), check_count(text, "p")) == (7, 2)
    assert (report_count(BAD_CHECKS, "p"), check_count(BAD_CHECKS, "p")) == (1, 9)
