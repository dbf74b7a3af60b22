"""The listing commands through the CLI: exact ids in every format, labels, bad arguments."""

from __future__ import annotations

import csv
import io
import re

import pytest

from support.paths import QINGHE

FORMATS = ["json", "csv", "md", "table"]


def csv_rows(stdout: str) -> list[dict]:
    assert stdout.startswith("\ufeff"), "CSV starts with a BOM so Excel/WPS read UTF-8"
    return list(csv.DictReader(io.StringIO(stdout[1:])))


def md_ids(stdout: str) -> list[int]:
    lines = stdout.strip().splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    position = header.index("序号")
    return [int(line.strip("|").split("|")[position]) for line in lines[2:]]


def test_due_json_contract(cli):
    run = cli("due", "--before", "2023-07-31", "--as-of", "2023-07-01", "--format", "json")
    assert run.exit_code == 0
    records = run.json()
    assert [(r["id"], r["milestone"]) for r in records] == [
        (1, "2023-06-30"),
        (22, "2023-06-30"),
        (23, "2023-06-30"),
        (4, "2023-07-31"),
        (5, "2023-07-31"),
    ]
    first = records[0]
    assert first == {
        "id": 1,
        "dimension": "项目推进偏离度",
        "measure": "全力攻坚项目前期工作",
        "task": first["task"],
        "lead": "市行政审批服务局",
        "responsible": [
            "各县区政府",
            "汉中经开区管委会",
            "兴汉新区管委会",
            "航空经开区管委会",
            "滨江新区发展服务中心",
            "市发改委",
            "市自然资源局",
            "市生态环境局",
            "等市级相关部门单位",
        ],
        "deadline": "2023年6月底",
        "due": ["2023-06-30"],
        "leads": ["市行政审批服务局"],
        "ongoing": False,
        "milestone": "2023-06-30",
        "days_left": -1,
        "overdue": True,
    }
    assert first["task"].startswith("对照一季度80%、二季度100%开工率目标")
    assert records[1]["due"] == ["2023-06-30", "2023-12-31"]
    assert "\\u" not in run.stdout  # UTF-8, not escaped


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_due_other_formats_list_the_same_ids(cli, fmt):
    run = cli("due", "--before", "2023-07-31", "--format", fmt)
    ids = [int(r["序号"]) for r in csv_rows(run.stdout)] if fmt == "csv" else md_ids(run.stdout)
    assert ids == [1, 22, 23, 4, 5]


def test_due_table_wraps_and_never_cuts(cli):
    run = cli("due", "--before", "2023-07-31", "--as-of", "2023-07-01")
    assert run.exit_code == 0
    assert "…" not in run.stdout
    assert "\x1b[" not in run.stdout  # no colour when not a terminal
    flat = re.sub(r"\s+", "", run.stdout)
    for text in ("节点日期", "市行政审批服务局", "2023年6月12月底", "逾期1天", "30天后"):
        assert text in flat


def test_due_takes_what_staff_say(cli):
    run = cli("due", "--before", "月底", "--as-of", "2023-07-15", "--format", "json")
    assert [(r["id"], r["milestone"]) for r in run.json()] == [
        (1, "2023-06-30"),
        (22, "2023-06-30"),
        (23, "2023-06-30"),
        (4, "2023-07-31"),
        (5, "2023-07-31"),
    ]
    run = cli("due", "--after", "2023-07-01", "--before", "eoy", "--as-of", "2023-07-15", "--format", "json")
    assert [r["id"] for r in run.json()] == [4, 5, 3, 22, 23]
    run = cli("due", "--before", "2023年7月底", "--format", "json")
    assert run.ids() == [1, 22, 23, 4, 5]


def test_due_include_ongoing_keeps_them_apart(cli):
    run = cli("due", "--before", "2023-07-31", "--include-ongoing", "--format", "json")
    records = run.json()
    assert [r["id"] for r in records if r["milestone"]] == [1, 22, 23, 4, 5]
    assert [r["id"] for r in records if r["milestone"] is None] == [
        2,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
        21,
    ]
    table = cli("due", "--before", "2023-07-31", "--include-ongoing")
    assert "持续推进" in table.stdout.split("前到期")[1]


@pytest.mark.parametrize(
    "args, code_text",
    [
        (["due", "--before", "2023-02-30"], "2023-02-30 不是真实日期"),
        (["due", "--before", "next week"], "“next week”不是日期;请写 YYYY-MM-DD,例如 2023-07-31"),
        (["due", "--before", "2023-01-01", "--after", "2023-02-01"], "--after 2023-02-01 晚于 --before 2023-01-01"),
        (["unit", "市发该委"], "没有单位“市发该委”。是否指:市发改委、市委办、市国资委?"),
        (["unit", "市水"], "“市水”可指多个单位:市水利局、市水投集团;请写完整"),
        (["tasks", "--dimension", "环保"], "没有方面“环保”"),
        (["show", "99"], "没有序号为 99 的任务。是否指:1–23?"),
        (["due", "--before", "2023-07-31", "--format", "xml"], "--format 应为 table, json, csv, md 之一,而不是“xml”"),
        (["unit", "市发改委", "--role", "boss"], "--role 应为 lead, responsible 之一,而不是“boss”"),
    ],
)
def test_bad_arguments_are_usage_errors(cli, args, code_text):
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stderr.strip() == code_text
    assert run.stdout == ""


def test_missing_register_folder_is_exit_2(cli, tmp_path):
    run = cli("due", "--before", "2023-07-31", data=tmp_path / "nowhere")
    assert run.exit_code == 2
    assert run.stderr.strip() == f"找不到登记册目录 {tmp_path / 'nowhere'}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_in_every_format(cli, fmt):
    run = cli("unit", "汉台区", "--format", fmt)
    assert run.exit_code == 0
    expected = [i for i in range(1, 24) if i not in (5, 8, 10)]
    if fmt == "json":
        records = run.json()
        assert [r["id"] for r in records] == expected
        assert {(r["role"], r["via"]) for r in records} == {("responsible", "各县区政府")}
    elif fmt == "csv":
        assert [int(r["序号"]) for r in csv_rows(run.stdout)] == expected
        assert {r["经由"] for r in csv_rows(run.stdout)} == {"各县区政府"}
    elif fmt == "md":
        assert md_ids(run.stdout) == expected
    else:
        assert "汉台区 责任清单" in run.stdout


def test_unit_lead_first_then_shared_and_open_tails(cli):
    run = cli("unit", "市发改委", "--format", "json")
    assert [(r["id"], r["role"]) for r in run.json()] == [
        (3, "lead"),
        (4, "lead"),
        (7, "lead"),
        (11, "lead"),
        (14, "lead"),
        (17, "lead"),
        (20, "lead"),
        (22, "lead"),
        (23, "lead"),
        (1, "responsible"),
        (2, "responsible"),
        (6, "responsible"),
        (12, "responsible"),
        (13, "responsible"),
        (15, "responsible"),
        (21, "responsible"),
    ]
    opened = cli("unit", "市教育局", "--include-open", "--role", "responsible", "--format", "json").json()
    assert [r["id"] for r in opened if not r["open"]] == [13]
    assert len([r for r in opened if r["open"]]) == 20


def test_tasks_filters_through_the_cli(cli):
    assert cli("tasks", "--dimension", "投资结构", "--format", "json").ids() == [4, 5, 6, 7, 8, 9]
    assert cli("tasks", "--lead", "市发改委", "--dimension", "service", "--format", "json").ids() == [20, 22, 23]
    assert cli("tasks", "--unit", "市税务局", "--format", "json").ids() == [17, 18, 19]
    assert cli("tasks", "--no-ongoing", "--format", "json").ids() == [1, 3, 4, 5, 22, 23]
    assert cli("tasks", "--measure", "大力发展数字经济", "--format", "json").ids() == [11, 12]
    assert len(cli("tasks", "--format", "json").ids()) == 23


def test_show_prints_measure_text_and_problem(cli):
    run = cli("show", "22")
    assert run.exit_code == 0
    flat = re.sub(r"\s+", "", run.stdout)  # the table wraps long text
    for text in (
        "坚持月调度季观摩机制。建立重点项目",
        "在加强协同配合,消除合成谬误方面还需用力。",
        "2023-06-30、2023-12-31",
    ):
        assert text in flat
    record = cli("show", "22", "--format", "json").json()[0]
    assert record["measure_number"] == 17
    assert record["problem"] == "在加强协同配合,消除合成谬误方面还需用力。"


def test_units_and_dimensions(cli):
    units = cli("units", "--format", "json").json()
    by_name = {u["unit"]: u for u in units}
    assert (by_name["市发改委"]["led"], by_name["市发改委"]["shared"]) == (9, 7)
    assert by_name["市行政审批服务局"]["aliases"] == ["市行政审批局"]
    assert len([u for u in units if u["kind"] == "county"]) == 11
    dims = cli("dimensions", "--format", "json").json()
    assert [(d["key"], d["measures"], d["tasks"]) for d in dims] == [
        ("progress", 3, 3),
        ("investment", 3, 6),
        ("industry", 3, 4),
        ("chain", 2, 2),
        ("benefit", 3, 4),
        ("service", 4, 4),
    ]


def test_search_highlights_and_returns_ids(cli):
    assert cli("search", "数字经济", "--format", "json").ids() == [11, 12]
    table = cli("search", "红旗奖")
    assert "22" in table.stdout


def test_markdown_escapes_pipes(cli, tmp_path):
    for name in ("tasks.yaml", "units.yaml"):
        text = (QINGHE / name).read_text(encoding="utf-8")
        if name == "tasks.yaml":
            text = text.replace("完成河道采砂专项整治。", "完成河道采砂|专项整治。")
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = cli("tasks", "--format", "md", data=tmp_path)
    assert "完成河道采砂\\|专项整治。" in run.stdout
    assert all(line.count("|") - line.count("\\|") == 6 for line in run.stdout.strip().splitlines())


def test_english_labels(cli):
    run = cli("--lang", "en", "due", "--before", "2023-07-31", "--format", "csv")
    header = run.stdout[1:].splitlines()[0]
    assert header.startswith("ID,Dimension,Measure,Task,Lead,Responsible,Deadline,Due dates,Ongoing,Milestone")
    run = cli("unit", "市发该委", "--lang", "en")
    assert run.stderr.strip() == "no unit '市发该委'; did you mean: 市发改委, 市委办, 市国资委?"
    table = cli("--lang", "en", "unit", "汉台区")
    assert "Responsibility list: 汉台区" in table.stdout and "responsible" in table.stdout


def test_the_second_register(cli):
    run = cli("due", "--before", "2024-09-30", "--format", "json", data=QINGHE)
    assert [(r["id"], r["milestone"]) for r in run.json()] == [
        (2, "2024-03-31"),
        (1, "2024-06-30"),
        (2, "2024-06-30"),
        (2, "2024-09-30"),
        (4, "2024-09-30"),
    ]
    run = cli("unit", "东关", "--format", "json", data=QINGHE)
    assert [(r["id"], r["via"]) for r in run.json()] == [(1, None), (2, "各镇人民政府"), (3, "各镇人民政府")]
    assert cli("tasks", "--dimension", "河湖", "--format", "json", data=QINGHE).ids() == [3, 4]
    assert cli("search", "水质", "--format", "json", data=QINGHE).ids() == [2]
