"""`deviation export forms` and `deviation import reports` through the command line: a month of forms.

Each test works on a copy of the Hanzhong register (or the district fixture), exports the
forms, fills some in as units would (``support.forms.fill``) and imports them, then looks
at what the progress log and `deviation status` say.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest

from deviation_cli import load_register
from deviation_cli.domain.progress import ProgressLog
from deviation_cli.exchange.report_forms import form_units, unit_form, write_forms
from support.forms import fill
from support.paths import DISTRICT, HANZHONG

FIRST_FORM = {
    3: {"进展情况": "已梳理项目清单", "完成状态": "推进中", "下步计划": "8月上报"},
    4: {"完成状态": "已完成", "完成日期": datetime(2023, 7, 28), "佐证材料": "汉发改发〔2023〕9号"},
    22: {"完成状态": "滞后", "存在问题": "统计数据未齐"},
}


@pytest.fixture
def register(tmp_path):
    folder = tmp_path / "登记册"
    shutil.copytree(HANZHONG, folder)
    return folder


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """Every unit's form of July 2023, made once: the register copies of the tests are the same plan."""
    hanzhong = load_register(HANZHONG)
    out = tmp_path_factory.mktemp("forms") / "填报表"
    made = [unit_form(hanzhong, unit, ProgressLog(), date(2023, 7, 20)) for unit in form_units(hanzhong)]
    write_forms(hanzhong, out, made)
    return out


def form_of(forms, unit: str):
    return forms / f"填报表-{unit}-2023-07-31.xlsx"


def returned(forms, tmp_path, unit: str, rows, name: str | None = None):
    """A unit's form filled in and saved under another name, as it comes back by mail."""
    target = tmp_path / (name or f"{unit}-7月.xlsx")
    return fill(form_of(forms, unit), rows, target=target)


def by_unit(cli, register, unit: str, day: str = "2023-08-01") -> dict:
    run = cli("status", "--as-of", day, "--by-unit", "--unit", unit, "--format", "json", data=register)
    assert run.exit_code == 0, run.stderr
    (score,) = run.json()
    return {key: score[key] for key in ("reported", "reports", "closed", "on_time", "overdue_tasks")}


def status_of(cli, register, day: str = "2023-08-01") -> dict[int, tuple[str, str | None]]:
    run = cli("status", "--as-of", day, "--format", "json", data=register)
    return {row["id"]: (row["status"], row["last_report"]) for row in run.json()}


# --- export forms ----------------------------------------------------------------------------------


def test_export_forms_writes_one_per_unit_and_says_for_which_period(cli, register, tmp_path):
    out = tmp_path / "表"
    run = cli("export", "forms", "-o", str(out), "--as-of", "2023-07-20", data=register)
    assert run.exit_code == 0
    assert run.stderr == (
        f"已写入 45 份填报表到 {out}:报送期 2023年7月1日至7月31日,2023年7月31日前报回(方案未规定报送时间,按自然月)\n"
    )
    assert len(list(out.glob("填报表-*-2023-07-31.xlsx"))) == 45


def test_export_forms_for_one_unit_of_a_plan_with_a_schedule(cli, tmp_path):
    out = tmp_path / "表"
    run = cli("export", "forms", "-o", str(out), "--unit", "统计局", "--as-of", "2023-07-10", data=DISTRICT)
    assert run.exit_code == 0
    assert run.stderr == (
        f"已写入 1 份填报表到 {out}:报送期 2023年6月29日至7月28日,2023年7月28日前报回(方案规定的报送期)\n"
    )
    assert [path.name for path in out.iterdir()] == ["填报表-区统计局-2023-07-28.xlsx"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--unit", "各县区政府"], "“各县区政府”是单位组;请写出填报的具体单位"),
        (["--unit", "市国资局"], "没有单位“市国资局”。是否指:市国资委、市自然资源局、市财政局?"),
        (
            ["--as-of", "2024-02-01"],
            "2024-02-01 不在方案的报送期内(按“每月末”,报送期从 2023-06-18 到 2023-12-31);请用 --as-of 选定报送期内的一天",
        ),
    ],
)
def test_export_forms_refuses_what_has_no_form(cli, register, tmp_path, args, message):
    run = cli("export", "forms", "-o", str(tmp_path / "表"), "--as-of", "2023-07-20", *args, data=register)
    assert (run.exit_code, run.stderr) == (2, message + "\n")
    assert not (tmp_path / "表").exists()


# --- import reports --------------------------------------------------------------------------------


def test_a_returned_form_becomes_reports_and_a_second_import_adds_nothing(cli, register, forms, tmp_path):
    path = returned(forms, tmp_path, "市发改委", FIRST_FORM)
    run = cli("import", "reports", str(path), "--as-of", "2023-07-30", data=register)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines() == [
        f"{path}:市发改委,报送期 2023-07-31:新增 3 条报告,13 项留空",
        f"已追加 3 条报告 → {register}/progress.yaml",
    ]
    text = (register / "progress.yaml").read_text(encoding="utf-8")
    assert text.split("reports:\n", 1)[1].splitlines()[:18] == [
        "  - task: 3",
        "    unit: 市发改委",
        "    date: 2023-07-30",
        "    status: 推进中",
        "    note: 已梳理项目清单",
        "    next_steps: 8月上报",
        "    period: 2023-07-31",
        f"    form: {text.split('form: ')[1][:12]}",
        "    imported: 2023-07-30",
        "  - task: 4",
        "    unit: 市发改委",
        "    date: 2023-07-28",
        "    status: 已完成",
        "    evidence: 汉发改发〔2023〕9号",
        "    period: 2023-07-31",
        f"    form: {text.split('form: ')[1][:12]}",
        "    imported: 2023-07-30",
        "  - task: 22",
    ]
    # A 已完成 from a form is the unit's word: the task is done once the office signs it off.
    assert status_of(cli, register)[4] == ("待销号", "2023-07-28")
    verify = cli("verify", "4", "--by", "市政府督查室", "--result", "通过", "--date", "2023-07-31", data=register)
    assert verify.exit_code == 0, verify.stderr
    assert status_of(cli, register)[4] == ("已完成", "2023-07-28")
    text = (register / "progress.yaml").read_text(encoding="utf-8")
    assert by_unit(cli, register, "市发改委") == {
        "reported": 3,
        "reports": 3,
        "closed": 1,  # task 4's milestone of 2023-07-31, on time; task 22's of 2023-06-30 stays open
        "on_time": 1,
        "overdue_tasks": [22, 23],
    }
    assert cli("validate", data=register).exit_code == 0

    again = cli("import", "reports", str(path), "--as-of", "2023-07-31", data=register)
    assert again.exit_code == 0
    assert again.stderr.splitlines() == [
        f"{path}:市发改委,报送期 2023-07-31:已于 2023-07-30 导入过,未作改动",
        "没有新的报告,未作改动",
    ]
    assert (register / "progress.yaml").read_text(encoding="utf-8") == text


def test_a_corrected_form_replaces_the_earlier_one_and_only_it_counts(cli, register, forms, tmp_path):
    first = returned(forms, tmp_path, "市发改委", FIRST_FORM, "第一次.xlsx")
    assert cli("import", "reports", str(first), "--as-of", "2023-07-30", data=register).exit_code == 0
    corrected = returned(
        forms,
        tmp_path,
        "市发改委",
        {
            3: FIRST_FORM[3],  # the same
            4: {"完成状态": "推进中", "进展情况": "调整清单待审定"},  # not done after all
            7: {"完成状态": "推进中"},  # new; task 22 is left blank this time
        },
        "更正.xlsx",
    )
    dry = cli("import", "reports", str(corrected), "--as-of", "2023-08-02", "--dry-run", data=register)
    assert dry.exit_code == 0
    assert dry.stderr.splitlines() == [
        f"{corrected}:市发改委,报送期 2023-07-31:替换 2023-07-30 导入的表格,新增 1 条、替换 1 条、不变 1 条、撤回 1 条,13 项留空",
        "  第 3 项 推进中 2023-07-31:不变",
        "  第 4 项 推进中 2023-07-31:替换",
        "  第 7 项 推进中 2023-07-31:新增",
        "  第 22 项:撤回(更正的表格中留空)",
        "试运行:未写入任何文件",
    ]
    before = (register / "progress.yaml").read_text(encoding="utf-8")
    run = cli("import", "reports", str(corrected), "--as-of", "2023-08-02", data=register)
    assert run.exit_code == 0
    assert run.stderr.splitlines()[-1] == f"已追加 3 条报告 → {register}/progress.yaml"
    after = (register / "progress.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: nothing recorded is rewritten
    assert after[len(before) :].count("    replaces: ") == 3

    assert by_unit(cli, register, "市发改委") == {
        "reported": 3,  # tasks 3, 4 and 7: the first form's report on 22 no longer counts
        "reports": 3,
        "closed": 0,
        "on_time": 0,
        "overdue_tasks": [4, 22, 23],
    }
    states = status_of(cli, register)
    assert (states[4], states[7], states[22]) == (("推进中", "2023-07-31"), ("推进中", "2023-07-31"), ("未开始", None))

    # the first form sent again must not undo the correction
    old = cli("import", "reports", str(first), "--as-of", "2023-08-03", data=register)
    assert old.exit_code == 0
    assert old.stderr.splitlines() == [
        f"{first}:市发改委,报送期 2023-07-31:这份表格已于 2023-07-30 导入,后被 2023-08-02 导入的更正表格替换;未作改动",
        "没有新的报告,未作改动",
    ]


def test_every_problem_of_every_form_is_listed_and_nothing_is_written(cli, register, forms, tmp_path):
    good = returned(forms, tmp_path, "市发改委", FIRST_FORM)
    county = returned(
        forms,
        tmp_path,
        "汉台区",
        {1: {"完成状态": "已完成", "完成日期": datetime(2023, 8, 9)}, 5: {"完成状态": "推进中"}},
    )
    district = tmp_path / "东城区.xlsx"
    cli("export", "forms", "-o", str(tmp_path / "东城区"), "--unit", "区发改局", "--as-of", "2023-07-10", data=DISTRICT)
    fill(tmp_path / "东城区" / "填报表-区发改局-2023-07-28.xlsx", {1: {"完成状态": "推进中"}}, target=district)

    run = cli("import", "reports", str(good), str(county), str(district), "--as-of", "2023-07-30", data=register)
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        f"{county}!L5: 完成日期 2023-08-09 晚于导入当日 2023-07-30",
        f"{county}!A25: 第 5 项任务不是汉台区牵头或参与的任务;请只填写本单位的任务",
        f"{district}: 这是《东城区2023年重点工作任务分解方案》的填报表,不是《加强管控重点产业项目偏离度实施方案》的;"
        "是否用 --data 选错了登记册?",
        "2 份表格中有 3 处问题;未导入任何内容。改正后请把这批表格重新导入",
    ]
    assert not (register / "progress.yaml").exists()

    capped = cli(
        "import", "reports", str(county), str(district), "--as-of", "2023-07-30", "--max-problems", "1", data=register
    )
    assert capped.stderr.splitlines()[1] == "……另有 2 个问题未列出(--max-problems 0 列出全部)"


def test_two_different_forms_of_one_unit_and_period_in_one_batch_are_refused(cli, register, forms, tmp_path):
    one = returned(forms, tmp_path, "市审计局", {2: {"完成状态": "推进中"}}, "甲.xlsx")
    two = returned(forms, tmp_path, "市审计局", {2: {"完成状态": "滞后"}}, "乙.xlsx")
    same = returned(forms, tmp_path, "市审计局", {2: {"完成状态": "推进中"}}, "丙.xlsx")
    run = cli("import", "reports", str(one), str(two), "--as-of", "2023-07-30", data=register)
    assert (run.exit_code, run.stderr.splitlines()[0]) == (
        1,
        f"{two}: 与 {one} 是同一单位(市审计局)同一报送期(2023-07-31)的填报表,但内容不同;请只导入其中正确的一份",
    )
    run = cli("import", "reports", str(one), str(same), "--as-of", "2023-07-30", data=register)
    assert run.exit_code == 0
    assert run.stderr.splitlines() == [
        f"{one}:市审计局,报送期 2023-07-31:新增 1 条报告",
        f"{same}:市审计局,报送期 2023-07-31:与 {one} 相同,不再导入",
        f"已追加 1 条报告 → {register}/progress.yaml",
    ]


def test_blank_forms_add_nothing_and_a_missing_file_is_a_usage_error(cli, register, forms, tmp_path):
    run = cli("import", "reports", str(form_of(forms, "市水利局")), "--as-of", "2023-07-30", data=register)
    assert run.exit_code == 0
    assert run.stderr.splitlines() == [
        f"{form_of(forms, '市水利局')}:市水利局,报送期 2023-07-31:没有填写任何任务,未导入",
        "没有新的报告,未作改动",
    ]
    assert not (register / "progress.yaml").exists()
    missing = cli("import", "reports", str(tmp_path / "没有.xlsx"), data=register)
    assert (missing.exit_code, missing.stderr) == (2, f"{tmp_path / '没有.xlsx'}: 找不到这个文件\n")


def test_import_into_another_progress_file(cli, register, forms, tmp_path):
    path = returned(forms, tmp_path, "市审计局", {2: {"完成状态": "推进中", "进展情况": "审帮促已开展"}})
    log = tmp_path / "回收" / "2023-07.yaml"
    log.parent.mkdir()
    run = cli("import", "reports", str(path), "--progress", str(log), "--as-of", "2023-07-30", data=register)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines()[-1] == f"已追加 1 条报告 → {log}"
    assert not (register / "progress.yaml").exists()
    status = cli("status", "--progress", str(log), "--as-of", "2023-07-31", "--format", "json", data=register)
    assert status.json()[1]["last_report"] == "2023-07-30"


def test_district_forms_returned_late_count_for_their_period(cli, tmp_path):
    register = tmp_path / "东城区"
    shutil.copytree(DISTRICT, register)
    out = tmp_path / "表"
    assert cli("export", "forms", "-o", str(out), "--as-of", "2023-07-10", data=register).exit_code == 0
    streets = fill(
        out / "填报表-各街道-2023-07-28.xlsx",
        {1: {"完成状态": "推进中", "进展情况": "已完成征地摸底"}},
        target=tmp_path / "各街道.xlsx",
    )
    statistics = fill(
        out / "填报表-区统计局-2023-07-28.xlsx",
        {2: {"完成状态": "已完成", "完成日期": "2023/7/27", "佐证材料": "7月调度通报"}},
        target=tmp_path / "统计局.xlsx",
    )
    run = cli("import", "reports", str(streets), str(statistics), "--as-of", "2023-08-02", data=register)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.splitlines() == [
        f"{streets}:各街道,报送期 2023-07-28:新增 1 条报告",
        f"{statistics}:区统计局,报送期 2023-07-28:新增 1 条报告",
        f"已追加 2 条报告 → {register}/progress.yaml",
    ]
    reports = cli("status", "--as-of", "2023-08-02", "--format", "json", data=register).json()
    # returned after the period's due day (07-28): dated on it, so they count for that period
    assert [(row["id"], row["status"], row["last_report"], row["last_unit"]) for row in reports] == [
        (1, "推进中", "2023-07-28", "各街道"),
        (2, "待销号", "2023-07-27", "区统计局"),  # a co-lead's 已完成 waits for the office's check (销号)
        (3, "未开始", None, None),
    ]
    assert cli("validate", data=register).exit_code == 0
