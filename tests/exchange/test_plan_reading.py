"""How `deviation init` reads the pieces of a plan: unit names, cells of units, headers, and the document's head.

The whole plans are in test_plan_intake.py; these are the shapes one plan has and another has not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deviation_cli import load_register
from deviation_cli.exchange.plan_draft import numbering, split_units
from deviation_cli.exchange.plan_intake import read_plan
from deviation_cli.exchange.unit_guesses import group_open_to, guess_unit, is_group, plan_level


@pytest.mark.parametrize(
    ("name", "kind", "level"),
    [
        ("区发改局", "department", "区"),
        ("县委宣传部", "department", "县"),
        ("市场监管局", "department", None),  # 市场 is no 市
        ("区人民法院", "department", "区"),
        ("人民银行临川市中心支行", "department", None),
        ("区融媒体中心", "institution", "区"),
        ("区委党校", "institution", "区"),
        ("高新区管委会", "zone", None),
        ("区供电公司", "company", "区"),
        ("东关街道", "township", None),
        ("青山镇人民政府", "township", None),
        ("城固县", "county", None),
        ("张三副区长", "leader", None),
        ("王强常务副县长", "leader", None),
        ("市贸促会", "other", "市"),
    ],
)
def test_a_units_name_says_its_kind_and_level(name, kind, level):
    guess = guess_unit(name)
    assert (guess.kind, guess.level) == (kind, level)


def test_a_name_in_a_leaders_column_is_a_leader_whatever_it_says():
    assert guess_unit("张三", leader=True).kind == "leader"


@pytest.mark.parametrize(
    ("name", "open_to"),
    [
        ("各街道", ()),  # the plan lists no members: it answers for itself
        ("各镇(街道)", ()),
        ("各县区政府", ()),
        ("各相关单位", ("department", "institution")),
        ("等相关单位", ("department", "institution")),
        ("区直有关部门", ("department",)),
        ("等有关企业", ("company",)),
        ("各有关街道", ("township",)),
    ],
)
def test_a_group_stands_for_itself_or_for_others_of_some_kinds(name, open_to):
    assert is_group(name)
    assert group_open_to(name) == open_to


def test_the_plans_level_comes_from_its_issuer_or_its_title():
    assert plan_level("青山县人民政府办公室", None) == "县"
    assert plan_level(None, "汉中市汉台区2023年重点任务") == "区"
    assert plan_level(None, "关于加快发展的意见") is None


@pytest.mark.parametrize(
    ("cell", "names", "leads"),
    [
        ("区发改局(牵头)、区财政局、各街道等相关单位", ["区发改局", "区财政局", "各街道", "等相关单位"], ["区发改局"]),
        ("各县区政府按职责分工负责", ["各县区政府"], []),
        ("汉中经开区、兴汉新区管委会", ["汉中经开区管委会", "兴汉新区管委会"], []),
        ("区发改局  区财政局\n区税务局", ["区发改局", "区财政局", "区税务局"], []),
        ("区财政局，区税务局配合。", ["区财政局", "区税务局"], []),
    ],
)
def test_a_cell_of_units_splits_as_the_register_writes_it(cell, names, leads):
    found = split_units(cell)
    assert (found.names, found.leads) == (names, leads)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("一、加快发展", ("cn", "一、", "加快发展")),
        ("（十二）推进改革", ("paren_cn", "(十二)", "推进改革")),
        ("3．实施项目", ("arabic", "3.", "实施项目")),
        ("（1）开展检查", ("paren_arabic", "(1)", "开展检查")),
        ("②做好宣传", ("circled", "②", "做好宣传")),
        ("2023年底前完成", None),
        ("1.5亿元", None),
    ],
)
def test_numbering_is_read_in_the_forms_official_documents_use(line, found):
    assert numbering(line) == found


def read(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


def test_a_header_in_two_rows_and_units_marked_as_leading(tmp_path):
    draft = read(
        tmp_path,
        "plan.csv",
        "序号,工作任务,责任单位,,时间要求\n,,牵头单位,配合单位,\n1,推进项目。,区发改局,区财政局(牵头)、各街道,2023年底\n",
    )
    assert draft.labels == {
        "id": "序号",
        "task": "工作任务",
        "lead": "牵头单位",
        "responsible": "配合单位",
        "deadline": "时间要求",
    }
    [task] = draft.tasks
    assert (task.leads, task.responsible, task.deadline) == (["区发改局", "区财政局"], ["各街道"], "2023年底")


def test_a_plan_leading_by_units_keeps_its_leaders_in_the_remark(tmp_path):
    draft = read(
        tmp_path, "plan.csv", "序号,任务内容,牵头领导,牵头单位,责任单位\n1,推进项目。,张三副区长,区发改局,各街道\n"
    )
    [task] = draft.tasks
    assert (task.leads, task.responsible, task.remark) == (["区发改局"], ["各街道"], "牵头领导:张三副区长")


def test_the_first_unit_leads_where_the_plan_says_so(tmp_path):
    from deviation_cli.exchange.plan_intake import _task_units

    draft = read(
        tmp_path,
        "plan.txt",
        "某县2023年重点任务\n(列第一位的为牵头单位)\n1.推进项目建设。(责任单位:县发改局、县财政局)\n",
    )
    assert draft.first_leads
    assert _task_units(draft.tasks[0], draft.first_leads) == (["县发改局"], ["县财政局"])


def test_a_web_pages_head_gives_the_documents_data(tmp_path):
    draft = read(
        tmp_path,
        "page.txt",
        "首页 > 政务公开 > 政策文件\n索引号:11610700/2023-00012 发布机构:某县人民政府办公室\n"
        "发文字号:某政办发〔2023〕7号 成文日期:2023-03-05\n发布日期:2023-03-08\n"
        "某县2023年民生实事任务分工方案\n【字体:大 中 小】\n"
        "1.新建幼儿园2所。(县教育局牵头,各镇负责)\n",
    )
    assert (draft.index_no, draft.publisher, draft.doc_number, str(draft.written), draft.published, draft.title) == (
        "11610700/2023-00012",
        "某县人民政府办公室",
        "某政办发〔2023〕7号",
        "2023-03-05",
        "2023-03-08",
        "某县2023年民生实事任务分工方案",
    )


def test_a_date_in_chinese_numerals_is_the_written_date(tmp_path):
    draft = read(tmp_path, "plan.txt", "某县重点任务\n某县人民政府\n二〇二三年三月十一日\n1.推进项目。(县发改局牵头)\n")
    assert (str(draft.written), draft.issuer) == ("2023-03-11", "某县人民政府")


def test_a_task_before_the_first_heading_is_put_under_one_to_confirm(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("1.推进项目。(县发改局牵头)\n一、民生\n2.新建学校。(县教育局牵头)\n", encoding="utf-8")
    from deviation_cli.exchange.plan_intake import register_files

    texts = register_files(read_plan(path))
    assert "  - key: 0\n    title: (未归类)\n    unconfirmed: 原文中这些任务在第一个标题之前" in texts.tasks


def test_a_header_saying_the_first_unit_leads_makes_it_lead(tmp_path):
    from deviation_cli.exchange.plan_intake import _task_units

    draft = read(
        tmp_path,
        "plan.csv",
        "序  号,工作任务,责任单位(列第一位的为牵头单位),完成时限\n1,推进项目。,区发改局、区财政局,2023年底\n",
    )
    assert draft.labels == {"id": "序号", "task": "工作任务", "responsible": "责任单位", "deadline": "完成时限"}
    assert _task_units(draft.tasks[0], draft.first_leads) == (["区发改局"], ["区财政局"])


def test_a_word_list_numbered_by_word_reads_as_if_typed(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某区2023年重点任务")
    document.add_paragraph("一、产业发展")
    document.add_paragraph("实施技改项目。（区发改局牵头，各街道负责）", style="List Number")
    document.add_paragraph("推进园区建设。（区工信局牵头）", style="List Number")
    document.add_paragraph("二、民生保障")
    document.add_paragraph("新建学校。（区教育局牵头）", style="List Number")
    document.save(str(tmp_path / "plan.docx"))
    draft = read_plan(tmp_path / "plan.docx")
    assert [(task.number, task.heading, task.text, task.leads) for task in draft.tasks] == [
        ("1.", "1", "实施技改项目。", ["区发改局"]),
        ("2.", "1", "推进园区建设。", ["区工信局"]),
        ("3.", "2", "新建学校。", ["区教育局"]),
    ]


@pytest.mark.parametrize(
    ("number", "words"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (105, "一百零五"), (110, "一百一十")]
)
def test_word_counts_in_chinese_as_documents_do(number, words):
    from deviation_cli.exchange.plan_docx import chinese_number

    assert chinese_number(number) == words


def test_an_open_group_named_as_lead_shares_the_task_instead(tmp_path):
    from deviation_cli.exchange.plan_intake import init_register

    (tmp_path / "plan.txt").write_text(
        "某区2023年重点任务\n1.推进项目建设。(区直有关部门牵头)\n2.开展专项检查。(区市场监管局牵头,区财政局等相关单位负责)\n"
        "3.做好宣传工作。(相关单位牵头)\n4.清理积存垃圾。(各街道牵头)\n",
        encoding="utf-8",
    )
    result = init_register(tmp_path / "plan.txt", tmp_path / "out")
    register = load_register(tmp_path / "out")
    assert [(task.leads, task.responsible) for task in register.tasks] == [
        ((), ("区直有关部门",)),
        (("区市场监管局",), ("区财政局", "等相关单位")),
        ((), ("相关单位",)),
        (("各街道",), ()),  # a group whose members the plan does not list may lead: it answers for itself
    ]
    assert {group.name: group.open_to for group in register.groups} == {
        "区直有关部门": ("department",),
        "相关单位": ("department", "institution"),
        "各街道": (),
    }
    notes = [issue.args["note"] for issue in result.issues if issue.code == "unconfirmed"]
    assert any(note.startswith("原文的牵头单位“相关单位”是开放式表述,不指具体单位,已列入责任单位;") for note in notes)
