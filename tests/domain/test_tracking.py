"""Status rules, unit rates and the ranking, on the Hanzhong sample and on a Qinghe progress file."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from deviation_cli.domain.issues import RegisterInvalid, UsageError
from deviation_cli.domain.reporting import ReportingPeriod
from deviation_cli.domain.tracking import (
    DEFAULT_RULE,
    owed_period,
    parse_rule,
    rank_units,
    task_states,
    unit_scores,
    unreported_units,
)
from deviation_cli.store.load import load_register, validate_folder
from deviation_cli.store.progress_log import load_progress
from support.editing import edited_register
from support.paths import DISTRICT, DISTRICT_PROGRESS, HANZHONG, QINGHE, QINGHE_PROGRESS, ROOT

SAMPLE = ROOT / "examples" / "hanzhong-progress"


@pytest.fixture(scope="module")
def sample_log(hanzhong):
    return load_progress(hanzhong, SAMPLE / "progress.yaml")


@pytest.fixture(scope="module")
def district():
    return load_register(DISTRICT)


@pytest.fixture(scope="module")
def district_log(district):
    return load_progress(district, DISTRICT_PROGRESS / "progress.yaml")


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
        1: "已完成",  # signed off 通过 on 07-10
        2: "推进中",
        3: "推进中",
        4: "待销号",  # 市发改委 reported it done on 07-28; the office has not checked it yet
        5: "滞后",
        6: "推进中",
        9: "推进中",
        22: "延期",
    }
    assert states[23].status == "未开始" and not states[23].reported
    # 4's milestone (07-31) stays open until its report is signed off
    assert sorted(i for i, s in states.items() if s.overdue) == [4, 5, 23]
    assert states[23].overdue_since == date(2023, 6, 30)
    assert states[22].next_due == date(2023, 8, 15)  # the approved new deadline replaced 2023-06-30
    assert [(m.due, m.original) for m in states[22].milestones] == [
        (date(2023, 8, 15), date(2023, 6, 30)),
        (date(2023, 12, 31), date(2023, 12, 31)),
    ]
    assert sorted(i for i, s in states.items() if s.due_soon) == [22]
    # closed on the report's date, once signed off; late, as 07-06 is after 06-30
    first = states[1].milestones[0]
    assert (first.closed, first.signed_off, first.on_time) == (date(2023, 7, 6), date(2023, 7, 10), False)
    assert (states[1].sign_off, states[1].check.by, states[1].done_on) == ("通过", "市政府督查室", date(2023, 7, 10))
    assert (states[4].sign_off, states[4].check, states[4].milestones[0].closed) == ("待销号", None, None)
    assert states[4].done_report.date == date(2023, 7, 28) and states[4].done_on is None


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
    # task 4's 已完成 (07-28) awaits sign-off: its milestone is neither closed nor on time yet
    assert (ndrc.fallen_due, ndrc.closed, ndrc.on_time, ndrc.overdue_tasks) == (2, 0, 0, [4, 23])
    assert (ndrc.completion_rate, ndrc.on_time_rate, ndrc.reporting_rate) == (0.0, 0.0, 0.1875)
    # Hanzhong's plan states no reporting schedule: no period rates
    assert (ndrc.periods_owed, ndrc.periods_reported, ndrc.period_rate, ndrc.missing_report) == (None,) * 4
    approval = scores["市行政审批服务局"]
    assert (approval.completion_rate, approval.on_time_rate, approval.reporting_rate) == (1.0, 0.0, 0.25)
    assert scores["市国资委"].overdue_tasks == [5]
    assert scores["汉台区"].completion_rate is None and scores["汉台区"].reporting_rate == 0.1


def test_sample_ranking_default_rule(hanzhong, sample_log):
    day = date(2023, 8, 1)
    scores = unit_scores(hanzhong, task_states(hanzhong, sample_log, day), sample_log, day)
    ranked = rank_units(scores, DEFAULT_RULE)
    # 0.5×0 + 0.3×1 + 0.2×0.25; 0.2×0.25; 0.2×0.1875 (task 4 not signed off yet)
    assert [(r.rank, r.unit.unit, r.score, r.award) for r in ranked] == [
        (1, "市行政审批服务局", 0.35, "first"),
        (2, "市国资委", 0.05, None),
        (3, "市发改委", 0.0375, "last"),
    ]
    by_completion = rank_units(scores, parse_rule("completion:1"))
    # 市国资委 and 市发改委 both 0: fewer overdue tasks first (1 against 2)
    assert [(r.unit.unit, r.award) for r in by_completion] == [
        ("市行政审批服务局", "first"),
        ("市国资委", None),
        ("市发改委", "last"),
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
    # the 06-30 phase was reported done on 07-03, and waits for the office's check
    assert (later[2].status, later[2].overdue, later[2].milestones[1].closed) == ("待销号", True, None)
    assert [(m.closed, m.signed_off) for m in later[2].milestones[:1]] == [(date(2024, 3, 29), date(2024, 4, 2))]


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


# --- lights ---------------------------------------------------------------------------------------


def _lights(register, log, day, **options):
    return {state.task.id: state.light for state in task_states(register, log, day, **options)}


def _not_green(register, log, day, **options):
    return {i: light for i, light in _lights(register, log, day, **options).items() if light != "green"}


def test_lights_on_the_hanzhong_sample(hanzhong, sample_log):
    # 23 missed 06-30; 4 and 5 fall due 07-31, within the week; 22's approved 08-15 is three weeks off
    assert _not_green(hanzhong, sample_log, date(2023, 7, 25)) == {4: "yellow", 5: "yellow", 23: "red"}
    # 4 is reported done on 07-28: waiting for sign-off is not yellow; 5, due in two days, still is
    assert _not_green(hanzhong, sample_log, date(2023, 7, 29)) == {5: "yellow", 23: "red"}
    # due today is not overdue yet
    assert _not_green(hanzhong, sample_log, date(2023, 7, 31)) == {5: "yellow", 23: "red"}
    # the next day, a milestone not signed off is red, reported done or not
    assert _not_green(hanzhong, sample_log, date(2023, 8, 1)) == {4: "red", 5: "red", 23: "red"}
    # ongoing tasks (持续推进) have no milestone: green whatever was reported
    ongoing = [task.id for task in hanzhong.tasks if task.ongoing]
    assert {_lights(hanzhong, sample_log, date(2023, 8, 1))[i] for i in ongoing} == {"green"}


def test_the_warning_window_is_its_own_option(hanzhong, sample_log):
    day = date(2023, 8, 1)
    # 22 falls due on 08-15, 14 days on: yellow only with a window of 14 days or more
    assert _not_green(hanzhong, sample_log, day, warn_days=13) == {4: "red", 5: "red", 23: "red"}
    assert _not_green(hanzhong, sample_log, day, warn_days=14)[22] == "yellow"
    # --within (due soon) is another window: it does not change a light
    assert _not_green(hanzhong, sample_log, day, within=60) == {4: "red", 5: "red", 23: "red"}


def test_lights_on_the_district_plan(district, district_log):
    day = date(2023, 9, 25)  # task 1 falls due 09-30; task 2 (monthly) missed its milestones since 04-28
    assert _lights(district, district_log, day) == {1: "yellow", 2: "red", 3: "green"}
    assert _lights(district, district_log, day, warn_days=5) == {1: "yellow", 2: "red", 3: "green"}
    assert _lights(district, district_log, day, warn_days=4) == {1: "green", 2: "red", 3: "green"}


# --- sign-off on the district plan: passed, returned, passed again ----------------------------------


def test_district_sign_offs(district, district_log):
    states = _by_id(task_states(district, district_log, date(2023, 5, 1)))
    task = states[2]  # co-led by 区发改局 and 区统计局, due every month on the 28th
    assert (task.status, task.sign_off, task.check.note) == ("推进中", "退回", "缺少街道分项数据")
    assert [(m.due, m.closed, m.signed_off) for m in task.milestones[:2]] == [
        (date(2023, 3, 28), date(2023, 3, 27), date(2023, 3, 30)),  # 区发改局's report, signed off on 03-30
        (date(2023, 4, 28), None, None),  # 区统计局's report was returned
    ]
    later = _by_id(task_states(district, district_log, date(2023, 6, 1)))[2]
    assert (later.status, later.sign_off, later.done_report.date, later.check) == (
        "待销号",
        "待销号",
        date(2023, 5, 26),
        None,
    )
    assert later.overdue_since == date(2023, 4, 28)


# --- the reporting schedule: 未报送 and period rates ------------------------------------------------


def _periods(register, log, day):
    scores = unit_scores(register, task_states(register, log, day), log, day)
    return {
        s.unit: (s.periods_owed, s.periods_reported, s.missing_report.key if s.missing_report else None) for s in scores
    }


def test_who_has_not_reported_on_the_district_plan(district, district_log):
    # 每月28日前: on 06-01 the period owed is 04-29..05-28
    assert owed_period(district, date(2023, 6, 1)) == ReportingPeriod(date(2023, 4, 29), date(2023, 5, 28))
    assert _periods(district, district_log, date(2023, 6, 1)) == {
        "区发改局": (3, 3, None),
        "区财政局": (3, 1, "2023-05-28"),  # last reported 03-20
        "区统计局": (3, 2, None),
        "区人社局": (3, 1, None),
        "各街道": (3, 1, "2023-05-28"),  # a group the plan lists no members of answers for itself
    }
    on_may_1 = _periods(district, district_log, date(2023, 5, 1))
    assert {unit for unit, (_, _, missing) in on_may_1.items() if missing} == {"区财政局", "区人社局"}
    assert on_may_1["区人社局"] == (2, 0, "2023-04-28")
    # on the due day the period is owed, and a report that day counts for it
    assert _periods(district, district_log, date(2023, 5, 28))["区人社局"] == (3, 1, None)
    scores = unit_scores(
        district, task_states(district, district_log, date(2023, 6, 1)), district_log, date(2023, 6, 1)
    )
    assert unreported_units(scores) == ["区财政局", "各街道"]
    assert [round(s.period_rate, 4) for s in scores] == [1.0, 0.3333, 0.6667, 0.3333, 0.3333]


def test_before_the_first_due_day_nothing_is_owed(district, district_log):
    assert owed_period(district, date(2023, 3, 27)) is None
    assert set(_periods(district, district_log, date(2023, 3, 27)).values()) == {(0, 0, None)}


def test_a_plan_without_a_schedule_owes_no_report(hanzhong, sample_log):
    assert owed_period(hanzhong, date(2023, 8, 1)) is None
    assert set(_periods(hanzhong, sample_log, date(2023, 8, 1)).values()) == {(None, None, None)}


def test_a_unit_owes_no_report_once_its_tasks_are_signed_off(tmp_path):
    """县城投公司 has one task (4); signed off done on 06-20, it owes nothing for the quarter from 07-01."""
    folder = edited_register(
        tmp_path / "q", {"tasks.yaml": [("  admin_level: 县", "  admin_level: 县\n  reporting: 每季度末")]}
    )
    progress = tmp_path / "progress.yaml"
    progress.write_text(
        (QINGHE_PROGRESS / "progress.yaml").read_text(encoding="utf-8")
        + "  - task: 4\n    unit: 县城投公司\n    date: 2024-06-15\n    status: 已完成\n"
        + "  - task: 4\n    unit: 县城投公司\n    date: 2024-06-20\n    check: 通过\n    by: 县河长办\n",
        encoding="utf-8",
    )
    register = load_register(folder)
    log = load_progress(register, progress)
    day = date(2024, 10, 8)
    assert _by_id(task_states(register, log, day))[4].done_on == date(2024, 6, 20)
    periods = _periods(register, log, day)
    assert periods["县城投公司"] == (2, 1, None)  # owed Q1 and Q2, reported in Q2; Q3 not owed
    assert periods["西河镇"] == (3, 0, "2024-09-30")  # its other tasks go on
