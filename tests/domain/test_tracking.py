"""Status rules, unit rates and the ranking, on the Hanzhong sample and on a Qinghe progress file."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from deviation_cli.domain.issues import RegisterInvalid, UsageError
from deviation_cli.domain.tracking import DEFAULT_RULE, parse_rule, rank_units, task_states, unit_scores
from deviation_cli.store.load import load_register, validate_folder
from deviation_cli.store.progress_log import load_progress
from support.paths import HANZHONG, QINGHE, QINGHE_PROGRESS, ROOT

SAMPLE = ROOT / "examples" / "hanzhong-progress"


@pytest.fixture(scope="module")
def sample_log(hanzhong):
    return load_progress(hanzhong, SAMPLE / "progress.yaml")


@pytest.fixture(scope="module")
def qinghe_log(qinghe):
    return load_progress(qinghe, QINGHE_PROGRESS / "progress.yaml")


def _by_id(states):
    return {state.task.id: state for state in states}


def test_sample_loads_every_report_in_date_order(sample_log):
    assert len(sample_log.reports) == 13
    assert [r.date.isoformat() for r in sample_log.reports][:3] == ["2023-06-25", "2023-06-28", "2023-07-05"]
    assert sample_log.reports[2].task == 22 and sample_log.reports[2].line == 21


def test_sample_states_on_1_august(hanzhong, sample_log):
    states = _by_id(task_states(hanzhong, sample_log, date(2023, 8, 1), within=30))
    assert {i: s.status for i, s in states.items() if s.reported} == {
        1: "已完成",
        2: "推进中",
        3: "推进中",
        4: "已完成",
        5: "滞后",
        6: "推进中",
        9: "推进中",
        22: "延期",
    }
    assert states[23].status == "未开始" and not states[23].reported
    assert sorted(i for i, s in states.items() if s.overdue) == [5, 23]
    assert states[23].overdue_since == date(2023, 6, 30)
    assert states[22].next_due == date(2023, 8, 15)  # the approved new deadline replaced 2023-06-30
    assert [(m.due, m.original) for m in states[22].milestones] == [
        (date(2023, 8, 15), date(2023, 6, 30)),
        (date(2023, 12, 31), date(2023, 12, 31)),
    ]
    assert sorted(i for i, s in states.items() if s.due_soon) == [22]
    assert states[1].milestones[0].closed == date(2023, 7, 6) and not states[1].milestones[0].on_time
    assert states[4].milestones[0].on_time


def test_sample_states_on_1_july(hanzhong, sample_log):
    states = _by_id(task_states(hanzhong, sample_log, date(2023, 7, 1), within=10))
    # 22 is postponed only on 2023-07-05; 1 is completed only on 2023-07-06
    assert sorted(i for i, s in states.items() if s.overdue) == [1, 22, 23]
    # 汉台区's report is the latest, and a sharing unit's report reads as it is
    assert states[1].status == "推进中" and states[1].last_report.unit == "汉台区"
    assert [i for i, s in states.items() if s.due_soon] == []


def test_sharing_unit_done_is_not_task_done(hanzhong, sample_log):
    states = _by_id(task_states(hanzhong, sample_log, date(2023, 7, 20)))
    assert states[4].status == "推进中"  # 汉台区 said 已完成 on 07-15; the lead had not
    assert states[4].last_report.unit == "汉台区"


def test_sample_unit_scores(hanzhong, sample_log):
    day = date(2023, 8, 1)
    scores = {s.unit: s for s in unit_scores(hanzhong, task_states(hanzhong, sample_log, day), sample_log, day)}
    ndrc = scores["市发改委"]
    assert (ndrc.led, ndrc.involved, ndrc.reported, ndrc.reports) == (9, 16, 3, 4)
    assert (ndrc.fallen_due, ndrc.closed, ndrc.on_time, ndrc.overdue_tasks) == (2, 1, 1, [23])
    assert (ndrc.completion_rate, ndrc.on_time_rate, ndrc.reporting_rate) == (0.5, 0.5, 0.1875)
    approval = scores["市行政审批服务局"]
    assert (approval.completion_rate, approval.on_time_rate, approval.reporting_rate) == (1.0, 0.0, 0.25)
    assert scores["市国资委"].overdue_tasks == [5]
    assert scores["汉台区"].completion_rate is None and scores["汉台区"].reporting_rate == 0.1


def test_sample_ranking_default_rule(hanzhong, sample_log):
    day = date(2023, 8, 1)
    scores = unit_scores(hanzhong, task_states(hanzhong, sample_log, day), sample_log, day)
    ranked = rank_units(scores, DEFAULT_RULE)
    assert [(r.rank, r.unit.unit, r.score, r.award) for r in ranked] == [
        (1, "市发改委", 0.4375, "first"),
        (2, "市行政审批服务局", 0.35, None),
        (3, "市国资委", 0.05, "last"),
    ]
    by_completion = rank_units(scores, parse_rule("completion:1"))
    assert [(r.unit.unit, r.award) for r in by_completion] == [
        ("市行政审批服务局", "first"),
        ("市发改委", None),
        ("市国资委", "last"),
    ]


def test_qinghe_states(qinghe, qinghe_log):
    day = date(2024, 7, 1)
    states = _by_id(task_states(qinghe, qinghe_log, day, within=122))
    assert {i: s.status for i, s in states.items()} == {1: "已完成", 2: "推进中", 3: "推进中", 4: "延期"}
    # quarterly task: Q1 closed on time; the 06-30 milestone is open (its 已完成 comes on 07-03)
    assert [i for i, s in states.items() if s.overdue] == [2]
    assert states[2].next_due == date(2024, 9, 30) and states[4].next_due == date(2024, 10, 31)
    assert sorted(i for i, s in states.items() if s.due_soon) == [2, 4]
    later = _by_id(task_states(qinghe, qinghe_log, date(2024, 7, 5)))
    assert not later[2].overdue and later[2].milestones[1].closed == date(2024, 7, 3)


def test_qinghe_units_and_ranking(qinghe, qinghe_log):
    day = date(2024, 7, 1)
    scores = unit_scores(qinghe, task_states(qinghe, qinghe_log, day), qinghe_log, day)
    assert [(s.unit, s.led, s.involved, s.reported, s.fallen_due, s.closed, s.on_time) for s in scores] == [
        ("县水利局", 2, 3, 1, 1, 1, 1),
        ("县生态环境局", 1, 2, 1, 2, 1, 1),
        ("县农业农村局", 0, 1, 1, 0, 0, 0),
        ("县城投公司", 1, 1, 1, 0, 0, 0),
        ("东关镇", 0, 3, 1, 0, 0, 0),
        ("西河镇", 0, 3, 0, 0, 0, 0),
        ("南山乡", 0, 2, 0, 0, 0, 0),
    ]
    assert [(r.unit.unit, r.score, r.award) for r in rank_units(scores, DEFAULT_RULE)] == [
        ("县水利局", 0.866667, "first"),
        ("县生态环境局", 0.5, "last"),
    ]
    everyone = rank_units(scores, DEFAULT_RULE, min_due=0)
    assert [r.unit.unit for r in everyone] == [
        "县农业农村局",
        "县城投公司",
        "县水利局",
        "县生态环境局",
        "东关镇",
        "西河镇",
        "南山乡",
    ]
    assert [r.award for r in everyone] == ["first", None, None, None, None, None, "last"]


def test_no_awards_when_nobody_stands_out(qinghe, qinghe_log):
    day = date(2024, 7, 1)
    scores = unit_scores(qinghe, task_states(qinghe, qinghe_log, day), qinghe_log, day)
    ranked = rank_units(scores, parse_rule("reporting:1"), min_due=1)
    assert [(r.unit.unit, r.score, r.award) for r in ranked] == [
        ("县生态环境局", 0.5, "first"),
        ("县水利局", 0.333333, "last"),
    ]
    # one unit alone, or everyone level: no awards
    assert [r.award for r in rank_units(scores[:1], DEFAULT_RULE)] == [None]
    level = rank_units(scores, parse_rule("completion:1,on_time:1"), min_due=1)
    assert [(r.unit.unit, r.score, r.award) for r in level] == [
        ("县水利局", 1.0, "first"),
        ("县生态环境局", 0.5, "last"),
    ]
    tied = rank_units([scores[2], scores[3]], parse_rule("reporting:1"), min_due=0)
    assert [(r.unit.unit, r.score, r.award) for r in tied] == [("县农业农村局", 1.0, None), ("县城投公司", 1.0, None)]


@pytest.mark.parametrize("text", ["speed:1", "on_time:x", "on_time:-1", "on_time:0", "on_time:1,on_time:2"])
def test_bad_rule_is_a_usage_error(text):
    with pytest.raises(UsageError) as error:
        parse_rule(text)
    assert error.value.issues[0].code == "arg_bad_rule"


def test_rule_accepts_full_width_comma_and_bare_names():
    assert parse_rule("on_time:2,reporting") == {"on_time": 2.0, "reporting": 1.0}


BAD_PROGRESS = """\
reports:
  - task: 30
    unit: 县水利局
    date: 2024-05-01
    status: 推进中
  - task: 1
    unit: 县水力局
    date: 2024-02-30
    status: 完成
  - task: 1
    unit: 县水力局
    date: 2024-05-01
    status: 推进中
  - task: 4
    unit: 各镇人民政府
    date: 2024-05-01
    status: 延期
    colour: red
  - task: 4
    unit: 南山乡
    date: 2024-05-01
    status: 延期
  - task: 1
    unit: 县水利局
    date: 2024-05-01
    status: 延期
    new_deadline: 2024-04-01
"""


def _qinghe_copy(tmp_path, progress: str | None = None):
    folder = tmp_path / "qinghe"
    shutil.copytree(QINGHE, folder)
    if progress is not None:
        (folder / "progress.yaml").write_text(progress, encoding="utf-8")
    return folder


def test_progress_issues_are_located(tmp_path):
    folder = _qinghe_copy(tmp_path, BAD_PROGRESS)
    report = validate_folder(folder)
    found = [(i.line, i.column, i.code, i.severity) for i in report.issues]
    assert found == [
        (2, 11, "progress_unknown_task", "error"),
        (8, 11, "bad_date", "error"),
        (9, 13, "bad_choice", "error"),
        (11, 11, "unknown_unit", "error"),
        (18, 5, "unknown_field", "error"),
        (20, 11, "progress_unit_not_on_task", "warning"),
        (22, 13, "progress_postponed_no_deadline", "warning"),
        (27, 19, "progress_deadline_not_after", "error"),
    ]
    assert report.issues[3].message() == "未知单位“县水力局”。是否指:县水利局?"
    assert report.issues[0].message() == "没有序号为 30 的任务(序号为 1–4)"
    # the register itself still loads: a typo in progress.yaml must not stop `due`
    assert report.register is not None
    assert len(load_register(folder).tasks) == 4
    with pytest.raises(RegisterInvalid):
        load_progress(load_register(folder))


def test_folder_without_progress_has_no_reports(qinghe):
    assert load_progress(qinghe).reports == ()


def test_empty_and_fresh_progress_files_are_fine(tmp_path):
    for text in ("", "# nothing yet\n", "reports:\n"):
        folder = _qinghe_copy(tmp_path / str(len(text)), text)
        assert validate_folder(folder).issues == []


def test_progress_folder_files_are_read_too(tmp_path):
    folder = _qinghe_copy(tmp_path)
    (folder / "progress").mkdir()
    shutil.copy(QINGHE_PROGRESS / "progress.yaml", folder / "progress" / "2024-h1.yaml")
    log = load_progress(load_register(folder))
    assert len(log.reports) == 7 and len(log.files) == 1 and log.files[0].endswith("2024-h1.yaml")


def test_hanzhong_shipped_register_holds_no_progress():
    assert not (HANZHONG / "progress.yaml").exists() and not (HANZHONG / "observations.yaml").exists()
