"""`deviation export ics`: the file parsed back with icalendar, its events checked one by one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from deviation_cli.domain.issues import UsageError
from deviation_cli.exchange.calendar import calendar_bytes, event_uid, parse_alarms, register_identity
from support.paths import QINGHE


def events(data: bytes):
    return [component for component in Calendar.from_ical(data).walk("VEVENT")]


def export(cli, tmp_path, *args, data=None):
    path = tmp_path / "out.ics"
    kwargs = {} if data is None else {"data": data}
    run = cli("export", "ics", "-o", str(path), *args, **kwargs)
    assert run.exit_code == 0, run.stderr
    return path.read_bytes(), run


def test_every_dated_milestone_is_one_all_day_event(cli, tmp_path, hanzhong):
    raw, run = export(cli, tmp_path)
    assert run.stderr == f"已写入 {tmp_path / 'out.ics'}:8 个到期事件\n"
    found = events(raw)
    # Tasks 1, 3, 4, 5 once each; 22 and 23 twice (2023年 6月12月底); the 17 ongoing tasks never.
    assert [(int(str(e["uid"]).split("-")[1]), e["dtstart"].dt) for e in found] == [
        (1, date(2023, 6, 30)),
        (22, date(2023, 6, 30)),
        (23, date(2023, 6, 30)),
        (4, date(2023, 7, 31)),
        (5, date(2023, 7, 31)),
        (3, date(2023, 12, 31)),
        (22, date(2023, 12, 31)),
        (23, date(2023, 12, 31)),
    ]
    for event in found:
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is date and end == start + timedelta(days=1)
        assert event["dtstart"].params["VALUE"] == "DATE"
    text = raw.decode("utf-8")
    assert "DTSTART;VALUE=DATE:20230630\r\n" in text
    assert "DTEND;VALUE=DATE:20230701\r\n" in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))  # RFC 5545 folding


def test_summary_and_description_say_who_leads_and_by_when(cli, tmp_path, hanzhong):
    raw, _ = export(cli, tmp_path)
    event = events(raw)[1]
    assert str(event["summary"]) == "第22项任务到期:坚持月调度季观摩(市发改委牵头)"
    description = str(event["description"]).split("\n")
    assert description[:3] == [
        "序号:22",
        "完成时限:2023年 6月12月底(2023-06-30,第 1 个节点,共 2 个)",
        "牵头部门:市发改委",
    ]
    assert (
        description[3]
        == "责任单位:各县区政府,汉中经开区、兴汉新区、航空经开区管委会,滨江新区发展服务中心,市级相关部门单位"
    )
    assert description[-1] == "出处:《加强管控重点产业项目偏离度实施方案》"
    assert event["categories"].cats == ["管理服务偏离度"]


def test_uids_are_stable_across_exports(hanzhong):
    first = calendar_bytes(hanzhong, stamp=datetime(2023, 1, 1, tzinfo=UTC))
    second = calendar_bytes(hanzhong, stamp=datetime(2024, 5, 6, tzinfo=UTC))
    assert first != second
    uids = [str(e["uid"]) for e in events(first)]
    assert uids == [str(e["uid"]) for e in events(second)]
    assert len(set(uids)) == 8
    identity = register_identity(hanzhong)
    assert uids[0] == f"task-1-20230630-{identity}@deviation-cli"
    assert event_uid(hanzhong, hanzhong.task(22), date(2023, 12, 31)) == f"task-22-20231231-{identity}@deviation-cli"


def test_two_registers_never_share_uids(hanzhong, qinghe):
    assert register_identity(hanzhong) != register_identity(qinghe)


def test_reminders_seven_and_three_days_before_by_default(cli, tmp_path):
    raw, _ = export(cli, tmp_path)
    for event in events(raw):
        alarms = event.walk("VALARM")
        assert [alarm["trigger"].dt for alarm in alarms] == [timedelta(days=-7), timedelta(days=-3)]
        assert all(str(alarm["action"]) == "DISPLAY" for alarm in alarms)
    assert str(events(raw)[0].walk("VALARM")[0]["description"]).startswith("还有 7 天:第1项任务到期")


@pytest.mark.parametrize(("alarms", "triggers"), [("1", [-1]), ("14,7,1", [-14, -7, -1]), ("none", []), ("0", [0])])
def test_reminders_are_configurable(cli, tmp_path, alarms, triggers):
    raw, _ = export(cli, tmp_path, "--alarms", alarms)
    assert [a["trigger"].dt for a in events(raw)[0].walk("VALARM")] == [timedelta(days=d) for d in triggers]


def test_bad_reminders_are_a_usage_error(cli, tmp_path):
    run = cli("export", "ics", "-o", str(tmp_path / "x.ics"), "--alarms", "7,三")
    assert (run.exit_code, run.stderr) == (2, "--alarms 应为提前天数,用逗号分隔(如 7,3),或 none;而不是“7,三”\n")
    assert not (tmp_path / "x.ics").exists()
    with pytest.raises(UsageError):
        parse_alarms("-3")


def test_a_units_calendar_holds_its_lead_and_shared_milestones(cli, tmp_path):
    raw, run = export(cli, tmp_path, "--unit", "市国资委")
    found = events(raw)
    assert [int(str(e["uid"]).split("-")[1]) for e in found] == [5]
    assert "本单位职责:牵头" in str(found[0]["description"])
    assert str(Calendar.from_ical(raw)["x-wr-calname"]) == "市国资委:加强管控重点产业项目偏离度实施方案 完成时限"
    raw, _ = export(cli, tmp_path, "--unit", "汉台区政府")
    # 1, 3, 4, 22 ×2, 23 ×2 through 各县区政府; task 5 is the platform companies'.
    assert [int(str(e["uid"]).split("-")[1]) for e in events(raw)] == [1, 22, 23, 4, 3, 22, 23]
    assert "本单位职责:责任单位(经由各县区政府)" in str(events(raw)[0]["description"])


def test_unknown_unit_is_a_usage_error(cli, tmp_path):
    run = cli("export", "ics", "--unit", "市国资局", "-o", str(tmp_path / "x.ics"))
    assert (run.exit_code, run.stderr) == (2, "没有单位“市国资局”。是否指:市国资委、市自然资源局、市财政局?\n")
    assert not (tmp_path / "x.ics").exists()


def test_qinghe_calendar(cli, tmp_path):
    raw, _ = export(cli, tmp_path, data=QINGHE)
    assert [(int(str(e["uid"]).split("-")[1]), e["dtstart"].dt.isoformat()) for e in events(raw)] == [
        (2, "2024-03-31"),
        (1, "2024-06-30"),
        (2, "2024-06-30"),
        (2, "2024-09-30"),
        (4, "2024-09-30"),
        (2, "2024-12-31"),
    ]
    raw, _ = export(cli, tmp_path, "--unit", "东关镇", data=QINGHE)
    assert len(events(raw)) == 5


def test_ics_to_stdout(cli):
    run = cli("export", "ics", "-o", "-", data=QINGHE)
    assert run.exit_code == 0
    # (the test runner turns CRLF into LF; the file test above checks CRLF)
    assert run.stdout.startswith("BEGIN:VCALENDAR\nVERSION:2.0\n")
    assert run.stdout.count("BEGIN:VEVENT") == 6


def test_a_title_of_several_lines_is_one_calendar_name_not_a_traceback(cli, tmp_path):
    """A `title: |-` block is valid YAML; icalendar refused its line break in X-WR-CALNAME with an AssertionError."""
    from support.fuzzing import copy_register
    from support.paths import QINGHE

    tasks = (QINGHE / "tasks.yaml").read_text(encoding="utf-8")
    tasks = tasks.replace(
        "  title: 清河县2024年河湖长制重点工作任务\n", "  title: |-\n    清河县2024年\n    河湖长制重点工作任务\n", 1
    )
    folder = copy_register(tmp_path / "r", QINGHE, tasks=tasks)
    out = tmp_path / "t.ics"
    run = cli("export", "ics", "-o", str(out), data=folder)
    assert run.exit_code == 0, run.stderr
    text = out.read_bytes().decode("utf-8")
    assert "X-WR-CALNAME:清河县2024年 河湖长制重点工作任务 完成时限\r\n" in text.replace("\r\n ", "")
    assert "DESCRIPTION:" in text and "清河县2024年\\n河湖长制重点工作任务" in text.replace("\r\n ", "")
