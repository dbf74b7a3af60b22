"""A register of another shape than Hanzhong's: levels the plan names, its own column words,
co-leads, a task without a lead, 备注, deadlines that take the plan's year and span."""

from __future__ import annotations

from datetime import date

import pytest

from deviation_cli import load_register, validate_folder
from support.editing import edit
from support.paths import DISTRICT, QINGHE

#: Words only Hanzhong's plan uses: no output of another plan may contain them.
HANZHONG_WORDS = ("管控", "改进措施", "偏离度", "红旗奖", "蜗牛奖", "市级部门", "存在问题", "牵头部门", "具体任务")


@pytest.fixture(scope="module")
def district():
    return load_register(DISTRICT)


def test_the_plan_names_its_levels_and_columns(district):
    assert [(level.name, level.column, level.counter) for level in district.levels] == [
        ("方向", "方向", "个"),
        ("重点", "重点工作", "项"),
        ("事项", "事项", "项"),
    ]
    words = district.plan.words()
    assert [words[field] for field in ("task", "lead", "responsible", "deadline", "remark")] == [
        "工作任务",
        "牵头单位",
        "配合单位",
        "时间节点",
        "备注",
    ]
    assert (district.plan.year, district.plan.reporting, district.plan.awards) == (2023, "每月28日前", ())


def test_tasks_sit_at_any_depth_with_one_lead_several_or_none(district):
    assert [(task.id, task.path, task.leads) for task in district.tasks] == [
        (1, ("1", "1.1", "1.1.1"), ("区发改局",)),
        (2, ("1", "1.1"), ("区发改局", "区统计局")),
        (3, ("2",), ()),
    ]
    assert [task.remark for task in district.tasks] == [None, "与市级调度同步", None]
    assert district.heading("1.1.1").number == "1."


def test_deadlines_take_the_plans_year_and_span(district):
    first, monthly, year_end = district.tasks
    assert first.due == (date(2023, 9, 30),)  # 三季度末
    assert year_end.due == (date(2023, 12, 31),)  # 年底前
    assert monthly.due == tuple(date(2023, month, 28) for month in range(3, 13))  # 每月28日前, from 2023-03-01


def test_a_task_without_a_lead_is_a_warning_at_the_task():
    report = validate_folder(DISTRICT)
    assert report.errors == []
    assert [(issue.code, issue.line, issue.column) for issue in report.warnings] == [("task_without_lead", 61, 5)]


def test_json_adds_leads_headings_and_remark(cli):
    records = cli("tasks", "--format", "json", data=DISTRICT).json()
    assert [
        (r["id"], r["dimension"], r["measure"], r["headings"], r["lead"], r["leads"], r["remark"]) for r in records
    ] == [
        (1, "稳增长", "扩大有效投资", ["稳增长", "扩大有效投资", "重大项目建设"], "区发改局", ["区发改局"], None),
        (
            2,
            "稳增长",
            "扩大有效投资",
            ["稳增长", "扩大有效投资"],
            "区发改局",
            ["区发改局", "区统计局"],
            "与市级调度同步",
        ),
        (3, "惠民生", None, ["惠民生"], None, [], None),
    ]


def test_a_co_lead_finds_the_task_and_a_group_answers_for_itself(cli):
    assert cli("unit", "区统计局", "--format", "json", data=DISTRICT).ids() == [2]
    streets = cli("unit", "各街道", "--format", "json", data=DISTRICT).json()
    assert [(r["id"], r["role"]) for r in streets] == [(1, "responsible")]
    assert cli("tasks", "--heading", "扩大有效投资", "--format", "json", data=DISTRICT).ids() == [1, 2]
    assert cli("tasks", "--heading", "（一）", "--format", "json", data=DISTRICT).ids() == [1, 2]
    assert cli("tasks", "--dimension", "惠民生", "--format", "json", data=DISTRICT).ids() == [3]


def test_units_carry_the_plans_administrative_level(cli):
    rows = cli("units", "--format", "json", data=DISTRICT).json()
    assert [(r["unit"], r["kind_name"], r["led"], r["shared"]) for r in rows] == [
        ("区发改局", "区级部门", 2, 0),
        ("区财政局", "区级部门", 0, 1),
        ("区统计局", "区级部门", 1, 0),
        ("区人社局", "区级部门", 0, 1),
        ("各街道", "单位组(未列成员)", 0, 1),
        ("区直有关部门", "开放式单位组", 0, 0),
    ]


def test_the_table_is_headed_with_the_plans_words(cli):
    table = cli("render", "table", data=DISTRICT).stdout.splitlines()
    assert table[2] == "| 序号 | 方向 | 重点工作 | 事项 | 工作任务 | 牵头单位 | 配合单位 | 时间节点 | 备注 |"
    assert table[4] == (
        "| 1 | 稳增长 | 扩大有效投资 | 重大项目建设 | 推动10个区级重点项目开工建设。 | 区发改局 | 区财政局，各街道 | 三季度末 |  |"
    )
    assert table[5].startswith("| 2 |  |  |  | 每月调度项目进展并通报。 | 区发改局、区统计局 | 等区直有关部门 |")


@pytest.mark.parametrize(
    "args",
    [
        ["render", "table"],
        ["render", "table", "--format", "html"],
        ["render", "notice", "--date", "2023-03-10"],
        ["render", "notice", "--format", "html", "--date", "2023-03-10"],
        ["render", "notice", "--unit", "区发改局", "--date", "2023-03-10"],
        ["render", "unit", "--unit", "各街道"],
        ["render", "due", "--as-of", "2023-06-01"],
        ["tasks"],
        ["due", "--before", "2023-12-31", "--as-of", "2023-06-01"],
        ["show", "1"],
        ["units"],
        ["status", "--as-of", "2023-10-01"],
        ["report", "--as-of", "2023-10-01"],
        ["report", "--as-of", "2023-10-01", "--format", "html"],
        ["export", "csv", "-o", "-"],
    ],
    ids=lambda args: " ".join(args),
)
def test_no_output_speaks_hanzhongs_words(cli, args):
    run = cli(*args, data=DISTRICT)
    assert run.exit_code == 0, run.stderr
    assert [word for word in HANZHONG_WORDS if word in run.stdout] == []


def test_no_site_page_speaks_hanzhongs_words(cli, tmp_path):
    assert cli("site", str(tmp_path / "site"), "--as-of", "2023-06-01", data=DISTRICT).exit_code == 0
    leaks = {
        str(page.relative_to(tmp_path)): [word for word in HANZHONG_WORDS if word in page.read_text(encoding="utf-8")]
        for page in (tmp_path / "site").rglob("*.html")
    }
    assert {page: words for page, words in leaks.items() if words} == {}


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (
            [("    remark: 备注\n", "    remarks: 备注\n")],
            "tasks.yaml:15:5: plan.labels 中的“remarks”不是可改名的栏目。是否指:remark?;"
            "可改名的有:id, task, lead, responsible, deadline, remark",
        ),
        (
            [('    heading: "2"\n', '    heading: "3"\n')],
            "tasks.yaml:62:14: 没有层级标题“3”",
        ),
        (
            [('    heading: "2"\n', '    heading: "2"\n    measure: 1\n')],
            "tasks.yaml:62:14: 任务只能写 measure 或 heading 之一",
        ),
        (
            [('  - key: "2"\n', '  - key: "1.1.1.1"\n    parent: "1.1.1"\n    title: 太深\n  - key: "2"\n')],
            "tasks.yaml:40:13: 任务之上最多 3 级标题",
        ),
        (
            [("    lead: 区发改局\n", "    lead:\n      - 区发改局\n      - 区发改局\n")],
            "tasks.yaml:48:9: 牵头单位“区发改局”重复列出",
        ),
    ],
    ids=["unknown label field", "unknown heading", "measure and heading", "too deep", "lead repeated"],
)
def test_mistakes_in_the_new_parts_point_at_their_line(tmp_path, edits, expected):
    folder = tmp_path / "reg"
    folder.mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        (folder / name).write_bytes((DISTRICT / name).read_bytes())
    edit(folder, {"tasks.yaml": edits})
    errors = [issue.format().replace(f"{folder}/", "") for issue in validate_folder(folder).errors]
    assert errors == [expected]


def test_headings_and_dimensions_do_not_mix(tmp_path):
    folder = tmp_path / "reg"
    folder.mkdir()
    for name in ("tasks.yaml", "units.yaml"):
        (folder / name).write_bytes((QINGHE / name).read_bytes())
    edit(folder, {"tasks.yaml": [("dimensions:\n", 'headings:\n  - key: "x"\n    title: 另一种写法\ndimensions:\n')]})
    codes = [issue.code for issue in validate_folder(folder).errors]
    assert codes == ["headings_and_dimensions"]
