"""`deviation init` on three plans of different shapes, each as .docx, .xlsx and .txt, then every command on
the register it writes: validate, due, unit, render, site, export and import, report.

The plans (tests/support/plans.py) are a county's 政府工作报告 split led by leaders, a district's four-level
table with co-leads and 备注, and a city's measures in paragraph form without deadlines. Each source is
written once per module and read once; the commands run once per register (``outputs``), and the tests
assert on what they printed and wrote. No output may speak a word only Hanzhong's plan uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from deviation_cli import load_register, validate_folder
from deviation_cli.cli import app
from support.plans import PLANS, WRITERS

FORMS = ("docx", "xlsx", "txt")
CASES = [(plan.name, form) for plan in PLANS for form in FORMS]
#: The city's measures give no deadline: two forms are read with --deadline, the text without.
DEFAULT_DEADLINE = {("city_measures", "docx"): "2023年底", ("city_measures", "xlsx"): "2023年底"}
#: The unit each plan's commands ask about.
UNIT = {"county_report": "县发改局", "district_table": "区市场监管局", "city_measures": "市商务局"}


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Made:
    source: Path
    folder: Path
    init: Result
    outputs: dict[str, Result] = field(default_factory=dict)  # command -> what it printed
    files: dict[str, str] = field(default_factory=dict)  # file written -> its text


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[tuple[str, str], Made]:
    """Each plan in each form, and the register `deviation init` makes of it (in a folder of its own)."""
    root = tmp_path_factory.mktemp("plans")
    found: dict[tuple[str, str], Made] = {}
    with pytest.MonkeyPatch.context() as patch:
        _environment(patch, root)
        for plan in PLANS:
            for form in FORMS:
                source = WRITERS[form](plan, root)
                folder = root / f"{plan.name}-{form}"
                deadline = DEFAULT_DEADLINE.get((plan.name, form))
                extra = ["--deadline", deadline] if deadline else []
                found[(plan.name, form)] = Made(source, folder, invoke("init", source.name, "-o", folder.name, *extra))
    return found


def _environment(patch: pytest.MonkeyPatch, root: Path) -> None:
    patch.chdir(root)  # messages name files relative to here, as a user in that folder sees them
    patch.setenv("NO_COLOR", "1")
    patch.setenv("COLUMNS", "200")
    patch.setenv("DEVIATION_CACHE_DIR", str(root / ".cache"))
    for name in ("DEVIATION_DATA", "DEVIATION_LANG"):
        patch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def outputs(made, tmp_path_factory) -> dict[tuple[str, str], Made]:
    """Every command run once on each register init made; what each printed and wrote."""
    root = tmp_path_factory.mktemp("outputs")
    with pytest.MonkeyPatch.context() as patch:
        _environment(patch, root)
        for (name, form), case in made.items():
            _run_commands(case, UNIT[name], root / f"{name}-{form}")
    return made


def _run_commands(case: Made, unit: str, out: Path) -> None:
    data = ["--data", str(case.folder)]
    out.mkdir()
    # A table alone names no issuing office: init flags it, and a notice needs one to be signed.
    issuer = [] if load_register(case.folder).document.source else ["--issuer", "督查室"]
    runs = {
        "validate": ("validate",),
        "due": ("due", "--before", "2023-09-30", "--format", "json"),
        "due table": ("due", "--before", "2023-12-31", "--as-of", "2023-03-01"),
        "unit": ("unit", unit, "--format", "json"),
        "unit table": ("unit", unit),
        "units": ("units",),
        "tasks": ("tasks",),
        "dimensions": ("dimensions",),
        "show": ("show", "1"),
    }
    for format_ in ("md", "html"):
        runs[f"notice {format_}"] = ("render", "notice", "--unit", unit, "--date", "2023-03-01", "-f", format_, *issuer)
        runs[f"render unit {format_}"] = ("render", "unit", "--unit", unit, "-f", format_)
        runs[f"table {format_}"] = ("render", "table", "-f", format_)
        runs[f"render due {format_}"] = (
            "render",
            "due",
            "--before",
            "2023-12-31",
            "--as-of",
            "2023-03-01",
            "-f",
            format_,
        )
    for key, args in runs.items():
        case.outputs[key] = invoke(*data, *args)
    case.outputs["site"] = invoke(*data, "site", str(out / "site"), "--as-of", "2023-03-01")
    for kind in ("xlsx", "csv"):
        exported = out / f"table.{kind}"
        case.outputs[f"export {kind}"] = invoke(*data, "export", kind, "-o", str(exported))
        case.outputs[f"import {kind}"] = invoke(*data, "import", kind, str(exported), "-o", str(out / f"from-{kind}"))
        case.outputs[f"diff {kind}"] = invoke("diff", str(case.folder), str(out / f"from-{kind}"))
    (case.folder / "progress.yaml").write_text(
        f"reports:\n  - task: 1\n    unit: {unit}\n    date: 2023-03-10\n    status: 推进中\n", encoding="utf-8"
    )
    case.outputs["report md"] = invoke(*data, "report", "--as-of", "2023-12-31")
    case.outputs["report html"] = invoke(*data, "report", "--as-of", "2023-12-31", "-f", "html")
    (case.folder / "progress.yaml").unlink()
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".md", ".csv", ".yaml"):
            case.files[str(path.relative_to(out))] = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
            case.files[str(path.relative_to(out))] = "\n".join(cells)


# --- what init reads -----------------------------------------------------------------------------------

COUNTY_TASKS = [
    (1, ("经济发展",), "全年地区生产总值增长6%以上。", ("王强常务副县长",), ("县发改局", "县统计局"), "2023年底"),
    (
        2,
        ("经济发展",),
        "实施重点项目60个,完成投资120亿元。",
        ("王强常务副县长",),
        ("县发改局", "各镇"),
        "2023年12月31日",
    ),
    (3, ("城乡建设",), "完成城关镇老旧小区改造12个。", ("张明副县长",), ("县住建局", "城关镇"), "2023年9月底"),
    (4, ("城乡建设",), "新建农村公路50公里。", ("张明副县长",), ("县交通运输局", "各镇"), "2023年10月底"),
    (5, ("民生保障",), "城镇新增就业2000人。", ("李华副县长",), ("县人社局",), "持续推进"),
    (
        6,
        ("民生保障",),
        "新建公办幼儿园3所。",
        ("李华副县长",),
        ("县教育局", "县财政局", "等县直有关部门"),
        "2023年8月底",
    ),
]
_SERVICE = ("优化政务服务", "深化“放管服”改革")
DISTRICT_TASKS = [
    (
        1,
        (*_SERVICE, "深化商事制度改革"),
        "推行企业开办“一网通办”,开办时间压缩至1个工作日。",
        ("区市场监管局", "区行政审批局"),
        ("区税务局", "区人社局"),
        "2023年6月底",
    ),
    (
        2,
        (*_SERVICE, "深化商事制度改革"),
        "推进“证照分离”改革全覆盖。",
        ("区市场监管局",),
        ("区直有关部门",),
        "2023年底",
    ),
    (
        3,
        (*_SERVICE, "提升政务服务效能"),
        "政务服务事项全部实现“一窗通办”。",
        ("区行政审批局",),
        ("各街道",),
        "2023年9月底",
    ),
    (
        4,
        ("优化政务服务", "优化要素保障", "强化用地保障"),
        "新增工业用地500亩。",
        ("区自然资源局",),
        ("东湖高新区管委会",),
        "2023年底",
    ),
    (
        5,
        ("优化市场环境", "加强市场监管", "规范涉企收费"),
        "开展涉企收费专项检查。",
        ("区发改局", "区市场监管局"),
        ("区财政局", "等相关单位"),
        "2023年6月30日",
    ),
    (
        6,
        ("优化市场环境", "加强市场监管", "规范涉企收费"),
        "建立企业诉求“直通车”制度。",
        ("区工商联",),
        ("区融媒体中心", "区供电公司"),
        "持续推进",
    ),
]
CITY_TASKS = [
    (1, ("财政金融政策",), "加快财政支出进度,确保年度预算按时序拨付。", ("市财政局",), ("各县区政府",)),
    (2, ("财政金融政策",), "加大普惠小微贷款投放力度。", ("市金融办", "人民银行临川市中心支行"), ("各县区政府",)),
    (3, ("产业发展政策",), "支持重点产业链企业扩产增效。", ("市工信局",), ("市发改委", "市商务局", "等市直有关部门")),
    (4, ("产业发展政策",), "开展“稳岗留工”专项行动。", (), ("各县区政府",)),
    (5, ("产业发展政策",), "组织企业参加各类展会。", ("市商务局",), ("市贸促会", "各县区政府")),
]


def expected_tasks(name: str, form: str) -> list[tuple]:
    if name == "county_report":
        return COUNTY_TASKS
    if name == "district_table":
        return DISTRICT_TASKS
    # The city's text has 二、政策措施 above its measures' parts; its table has only the 方面 column.
    outer = ("政策措施",) if form != "xlsx" else ()
    deadline = DEFAULT_DEADLINE.get((name, form), "持续推进")
    return [
        (i, (*outer, *path), text, leads, responsible, deadline) for i, path, text, leads, responsible in CITY_TASKS
    ]


def task_rows(folder: Path) -> list[tuple]:
    register = load_register(folder)
    return [
        (
            task.id,
            tuple(heading.title for heading in register.path_of(task)),
            task.text,
            task.leads,
            task.responsible,
            task.deadline,
        )
        for task in register.tasks
    ]


@pytest.mark.parametrize(("name", "form"), CASES)
def test_init_reads_every_task_as_the_source_words_it(made, name, form):
    case = made[(name, form)]
    assert case.init.exit_code == 0, case.init.stderr
    assert task_rows(case.folder) == expected_tasks(name, form)


def test_remarks_are_kept_and_a_leader_column_leads(made):
    for form in FORMS:
        district = load_register(made[("district_table", form)].folder)
        assert {task.id: task.remark for task in district.tasks if task.remark} == {
            1: "与省政务服务平台对接",
            5: "每季度报送进展",
        }
        county = load_register(made[("county_report", form)].folder)
        assert {unit.name for unit in county.units if unit.kind == "leader"} == {
            "王强常务副县长",
            "张明副县长",
            "李华副县长",
        }


COUNTY_UNITS = {
    "王强常务副县长": "leader",
    "张明副县长": "leader",
    "李华副县长": "leader",
    "县发改局": "department",
    "县统计局": "department",
    "县住建局": "department",
    "县交通运输局": "department",
    "县人社局": "department",
    "县教育局": "department",
    "县财政局": "department",
    "城关镇": "township",
}
DISTRICT_UNITS = {
    "区市场监管局": "department",
    "区行政审批局": "department",
    "区税务局": "department",
    "区人社局": "department",
    "区自然资源局": "department",
    "区发改局": "department",
    "区财政局": "department",
    "区工商联": "department",
    "区融媒体中心": "institution",
    "东湖高新区管委会": "zone",
    "区供电公司": "company",
}
CITY_UNITS = {
    "市财政局": "department",
    "市金融办": "department",
    "人民银行临川市中心支行": "department",
    "市工信局": "department",
    "市发改委": "department",
    "市商务局": "department",
    "市贸促会": "other",
}
UNITS = {"county_report": COUNTY_UNITS, "district_table": DISTRICT_UNITS, "city_measures": CITY_UNITS}
GROUPS = {
    # name -> the kinds an open group stands for; () for a group standing for itself
    "county_report": {"各镇": (), "县直有关部门": ("department",)},
    "district_table": {"区直有关部门": ("department",), "各街道": (), "相关单位": ("department", "institution")},
    "city_measures": {"各县区政府": (), "市直有关部门": ("department",)},
}
ADMIN_LEVEL = {"county_report": "县", "district_table": "区", "city_measures": "市"}


@pytest.mark.parametrize(("name", "form"), CASES)
def test_init_guesses_each_units_kind_and_the_plans_level(made, name, form):
    register = load_register(made[(name, form)].folder)
    assert {unit.name: unit.kind for unit in register.units} == UNITS[name]
    assert all(unit.level is None for unit in register.units)  # every unit is of the plan's own level
    assert {group.name: group.open_to for group in register.groups} == GROUPS[name]
    assert all(not group.members for group in register.groups)  # no plan lists a group's members
    assert register.plan.admin_level == ADMIN_LEVEL[name]


LEVELS = {
    ("county_report", "docx"): [("类别", "类别")],
    ("county_report", "xlsx"): [("类别", "类别")],
    ("county_report", "txt"): [("1级标题", "1级标题")],  # numbered 一、 with no name: flagged
    ("district_table", "docx"): [("1级标题", "1级标题"), ("2级标题", "2级标题"), ("重点任务", "重点任务")],
    ("district_table", "xlsx"): [("1级标题", "1级标题"), ("2级标题", "2级标题"), ("重点任务", "重点任务")],
    ("district_table", "txt"): [("1级标题", "1级标题"), ("2级标题", "2级标题"), ("3级标题", "3级标题")],
    ("city_measures", "docx"): [("1级标题", "1级标题"), ("2级标题", "2级标题")],
    ("city_measures", "xlsx"): [("方面", "方面")],
    ("city_measures", "txt"): [("1级标题", "1级标题"), ("2级标题", "2级标题")],
}
LABELS = {
    ("county_report", "docx"): {
        "id": "序号",
        "task": "任务内容",
        "lead": "牵头领导",
        "responsible": "责任单位",
        "deadline": "完成时限",
    },
    ("county_report", "txt"): {"lead": "牵头领导", "responsible": "责任单位", "deadline": "完成时限"},
    ("district_table", "docx"): {
        "id": "序号",
        "task": "具体措施",
        "lead": "牵头单位",
        "responsible": "配合单位",
        "deadline": "时间节点",
        "remark": "备注",
    },
    ("district_table", "txt"): {
        "lead": "牵头单位",
        "responsible": "配合单位",
        "deadline": "时间节点",
        "remark": "备注",
    },
    ("city_measures", "docx"): {},  # (…牵头,…负责): the plan has no column words; the tool's own are used
    ("city_measures", "xlsx"): {"id": "序号", "task": "政策措施", "lead": "牵头单位", "responsible": "责任单位"},
    ("city_measures", "txt"): {},
}
LABELS[("county_report", "xlsx")] = LABELS[("county_report", "docx")]
LABELS[("district_table", "xlsx")] = LABELS[("district_table", "docx")]


@pytest.mark.parametrize(("name", "form"), CASES)
def test_init_keeps_the_plans_own_words_for_its_levels_and_columns(made, name, form):
    register = load_register(made[(name, form)].folder)
    assert [(level.name, level.column) for level in register.levels] == LEVELS[(name, form)]
    assert dict(register.plan.labels) == LABELS[(name, form)]
    assert register.plan.year == 2023


def test_init_reads_the_numbering_of_each_heading(made):
    register = load_register(made[("district_table", "docx")].folder)
    assert [(h.key, h.level, h.number, h.title) for h in register.headings] == [
        ("1", 1, "一、", "优化政务服务"),
        ("1.1", 2, "(一)", "深化“放管服”改革"),
        ("1.1.1", 3, "1.", "深化商事制度改革"),
        ("1.1.2", 3, "2.", "提升政务服务效能"),
        ("1.2", 2, "(二)", "优化要素保障"),
        ("1.2.1", 3, "1.", "强化用地保障"),
        ("2", 1, "二、", "优化市场环境"),
        ("2.1", 2, "(一)", "加强市场监管"),
        ("2.1.1", 3, "1.", "规范涉企收费"),
    ]
    text = load_register(made[("district_table", "txt")].folder)
    assert [(h.key, h.number, h.title) for h in text.headings] == [
        (h.key, h.number, h.title) for h in register.headings
    ]


def test_init_reads_the_notice_above_the_plan(made):
    county = load_register(made[("county_report", "docx")].folder).document
    assert (county.title, county.doc_number, county.source, county.written.isoformat(), county.recipients) == (
        "青山县2023年政府工作报告重点工作任务分解",
        "青政办发〔2023〕3号",
        "青山县人民政府办公室",
        "2023-02-20",
        "各镇人民政府,县政府各工作部门",
    )
    assert (
        county.cover_letter
        == "《青山县2023年政府工作报告重点工作任务分解》已经县政府同意,现印发给你们,请认真抓好落实。"
    )
    city = load_register(made[("city_measures", "txt")].folder).document
    assert (city.title, city.doc_number, city.source, city.written.isoformat()) == (
        "临川市2023年稳经济促增长若干政策措施",
        "临政发〔2023〕8号",
        "临川市人民政府",
        "2023-04-06",
    )
    # The parts of the body with no task are kept as sections; the tasks' part is a level.
    assert [(s.heading, s.text) for s in city.sections] == [
        ("一、总体要求", "坚持稳字当头、稳中求进,推动经济运行整体好转。"),
        ("三、保障措施", "(一)加强组织领导。各县区、各部门要高度重视,细化工作举措。"),
    ]
    # A table alone states no date: the plan's year's first day, to confirm.
    table = load_register(made[("district_table", "xlsx")].folder).document
    assert (table.title, table.written.isoformat(), table.source) == (
        "东湖区2023年优化营商环境重点任务分解表",
        "2023-01-01",
        None,
    )


# --- what init says ------------------------------------------------------------------------------------


def test_init_prints_what_it_read_and_every_guess_to_confirm_as_validate_does(made, outputs):
    case = made[("county_report", "txt")]
    confirm = [
        "county_report-txt/tasks.yaml:20:20: 警告:待确认:方案没有给这一级标题(一、……)起名;请写上方案的叫法(如 方面、重点任务)(核对或改正后删去这一行 unconfirmed)",
        "county_report-txt/units.yaml:31:18: 警告:待确认:方案没有列出成员,作为一个整体填报;方案中出现的有 城关镇,如它们是成员请写入 members(核对或改正后删去这一行 unconfirmed)",
        "county_report-txt/units.yaml:35:18: 警告:待确认:开放式单位组,暂按代表部门处理(核对或改正后删去这一行 unconfirmed)",
    ]
    assert case.init.stderr.splitlines() == [
        "已从 county_report.txt 读出 6 项任务、1 级标题、11 个单位、2 个单位组,写入 county_report-txt(tasks.yaml、units.yaml)",
        *confirm,
        "以上 3 处待确认:请核对,核对或改正后删去相应的 unconfirmed 行。",
    ]
    # validate says the same, and nothing else, until a person deletes the lines.
    validate = outputs[("county_report", "txt")].outputs["validate"]
    assert validate.exit_code == 0
    shown = validate.stderr.splitlines()
    assert [line.split(": ", 1)[1] for line in shown[:-1]] == [line.split(": ", 1)[1] for line in confirm]
    assert shown[-1].endswith("登记册有效(6 项任务,3 条警告)")


def test_a_task_without_a_deadline_takes_the_given_wording_or_stays_ongoing_to_confirm(made):
    given = (made[("city_measures", "docx")].folder / "tasks.yaml").read_text(encoding="utf-8")
    assert given.count("    deadline: 2023年底\n    unconfirmed: 原文(city_measures.docx 第") == 5
    ongoing = (made[("city_measures", "txt")].folder / "tasks.yaml").read_text(encoding="utf-8")
    assert (
        "    deadline: 持续推进\n    unconfirmed: 原文(city_measures.txt:12)没有完成时限,暂记为“持续推进”\n" in ongoing
    )
    report = validate_folder(made[("city_measures", "txt")].folder)
    assert report.errors == []
    assert sorted({issue.code for issue in report.warnings}) == ["task_without_lead", "unconfirmed"]


# --- every command on the registers init wrote ------------------------------------------------------------

DUE_BY_SEPTEMBER = {"county_report": [6, 3], "district_table": [1, 5, 3], "city_measures": []}
UNIT_ROLES = {
    "county_report": [(1, "responsible"), (2, "responsible")],
    "district_table": [(1, "lead"), (2, "lead"), (5, "lead")],
    "city_measures": [(5, "lead"), (3, "responsible")],
}


@pytest.mark.parametrize(("name", "form"), CASES)
def test_queries_answer_in_the_plans_terms(outputs, name, form):
    case = outputs[(name, form)]
    due = case.outputs["due"]
    assert due.exit_code == 0, due.stderr
    assert [item["id"] for item in json.loads(due.stdout)] == DUE_BY_SEPTEMBER[name]
    unit = case.outputs["unit"]
    assert [(item["id"], item["role"]) for item in json.loads(unit.stdout)] == UNIT_ROLES[name]
    if name == "district_table":
        first = json.loads(unit.stdout)[0]
        assert (first["lead"], first["leads"]) == ("区市场监管局", ["区市场监管局", "区行政审批局"])


@pytest.mark.parametrize(("name", "form"), CASES)
def test_documents_site_exports_and_report_work_and_round_trip(outputs, name, form):
    case = outputs[(name, form)]
    for key, run in case.outputs.items():
        assert run.exit_code == 0, f"{key}: {run.stderr}"
    # An exported table imports back into the same register.
    assert case.outputs["diff xlsx"].stdout == "没有变更\n"
    assert case.outputs["diff csv"].stdout == "没有变更\n"
    assert any(path.startswith("site/units/") for path in case.files)
    lead_word = {"county_report": "牵头领导", "district_table": "牵头单位", "city_measures": "牵头单位"}[name]
    assert f"| {lead_word} |" in case.outputs["table md"].stdout
    # The 通报 counts the plan's tasks in the plan's words; no award is named where the plan names none.
    tasks, dated = {"county_report": (6, 5), "district_table": (6, 5)}.get(name, (5, 5 if form != "txt" else 0))
    deadline_word = "时间节点" if name == "district_table" else "完成时限"
    assert f"全部{tasks}项任务中，{dated}项有明确{deadline_word}；1项已有进度报告" in case.outputs["report md"].stdout


def test_the_notice_speaks_of_leaders_where_the_plan_leads_by_leaders(outputs):
    notice = outputs[("county_report", "docx")].outputs["notice md"].stdout
    assert "请积极配合牵头领导抓好落实" in notice
    assert "| 序号 | 任务内容 | 职责 | 牵头领导 | 完成时限 |" in notice


#: Words only Hanzhong's plan uses, and the tool's defaults a plan with its own words must not show.
HANZHONG_ONLY = ("管控", "改进措施", "偏离度", "红旗奖", "蜗牛奖", "存在问题", "汉中", "具体任务", "牵头部门")
#: Words of one plan's own a plan that words it otherwise must not show.
NOT_THEIR_WORDS = {
    "county_report": ("市级部门", "市级"),
    "district_table": ("市级部门", "市级", "完成时限", "责任单位"),
    "city_measures": (),
}


@pytest.mark.parametrize(("name", "form"), CASES)
def test_no_output_speaks_a_word_only_hanzhongs_plan_uses(outputs, name, form):
    case = outputs[(name, form)]
    texts = {f"`{key}`": run.stdout + run.stderr for key, run in case.outputs.items() if not key.startswith("diff")}
    texts.update(case.files)
    texts["init"] = case.init.stderr
    for where in ("tasks.yaml", "units.yaml"):
        texts[where] = (case.folder / where).read_text(encoding="utf-8")
    found = {
        (where, word)
        for where, text in texts.items()
        for word in (*HANZHONG_ONLY, *NOT_THEIR_WORDS[name])
        if word in text
    }
    assert sorted(found) == []


# --- what init refuses -----------------------------------------------------------------------------------


@pytest.fixture
def here(tmp_path, monkeypatch):
    _environment(monkeypatch, tmp_path)
    return tmp_path


def test_a_missing_or_unknown_source_is_a_usage_error(here):
    run = invoke("init", "没有.docx", "-o", "out")
    assert (run.exit_code, run.stderr) == (2, "没有.docx: 找不到这个文件\n")
    Path("plan.json").write_text("{}", encoding="utf-8")
    run = invoke("init", "plan.json", "-o", "out")
    assert (run.exit_code, run.stderr) == (
        2,
        "plan.json: 不知道怎样读这种文件;deviation init 读 .docx .xlsx .xlsm .csv .txt .text 文件\n",
    )
    assert not Path("out").exists()


def damaged_xlsx() -> bytes:
    """A real workbook whose sheet's XML is broken inside the zip: the message names the part and the place."""
    import io
    import zipfile

    book = io.BytesIO()
    openpyxl.Workbook().save(book)
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book.getvalue())) as source, zipfile.ZipFile(damaged, "w") as target:
        for member in source.namelist():
            data = source.read(member)
            target.writestr(member, data.replace(b"<sheetData", b"<sheetData <") if "sheet1" in member else data)
    return damaged.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "damaged.xlsx",
            damaged_xlsx(),
            "damaged.xlsx!xl/worksheets/sheet1.xml:1:353: 工作簿的 XML 已损坏(not well-formed (invalid token));"
            "请用 Excel 或 WPS 打开后另存",
        ),
        (
            "plan.docx",
            b"PK\x03\x04 not really a zip",
            "plan.docx: 不是可读的 Word 文档(.docx);文件可能已损坏,或是改了扩展名的其他文件",
        ),
        (
            "plan.xlsx",
            b"\x00\x01\x02",
            "plan.xlsx: 不是 Excel 工作簿(.xlsx);旧式 .xls 或 WPS .et 文件请先另存为 .xlsx,或另存为 CSV 后用 import csv",
        ),
        (
            "plan.doc",
            b"\xd0\xcf\x11\xe0",
            "plan.doc: 这是旧式 Word(.doc)或 WPS 文字(.wps)文件;请在 Word/WPS 中“另存为” .docx 后再读",
        ),
        (
            "plan.txt",
            "一、总体要求\n坚持稳中求进。\n".encode(),
            "plan.txt: 没有找到任务:既没有带表头的任务表,也没有写明牵头单位、责任单位的条目(如“牵头单位:…”或结尾的“(…牵头,…负责)”)",
        ),
        (
            "plan.txt",
            b"\x00\x00\x00",
            "plan.txt: 不是文本文件(含有空字符);请把网页正文复制到记事本,存为 UTF-8 编码的 .txt",
        ),
        (
            "plan.csv",
            "序号,名称,金额\n1,甲,2\n".encode(),
            "plan.csv: 找不到任务分解表的表头;表头应有 序号 / 任务内容 / 牵头单位 / 责任单位 / 完成时限 这样的栏目(写法可不同,如 任务内容、牵头部门、配合单位、时间节点)",
        ),
    ],
)
def test_an_unreadable_source_says_what_is_wrong_and_writes_nothing(here, name, content, message):
    Path(name).write_bytes(content)
    run = invoke("init", name, "-o", "out")
    assert (run.exit_code, run.stderr, run.stdout) == (1, message + "\n", "")
    assert not Path("out").exists()


TABLE = "序号,任务内容,牵头单位,配合单位,时间节点\n1,推进项目建设。,区发改局,各街道,{deadline}\n"


def test_an_existing_register_is_replaced_only_with_force(here):
    Path("plan.csv").write_text(TABLE.format(deadline="2023年底"), encoding="utf-8")
    assert invoke("init", "plan.csv", "-o", "out").exit_code == 0
    run = invoke("init", "plan.csv", "-o", "out")
    assert (run.exit_code, run.stderr) == (
        2,
        "out: 目录中已有登记册文件(tasks.yaml、units.yaml);不会覆盖,除非加 --force\n",
    )
    assert invoke("init", "plan.csv", "-o", "out", "--force").exit_code == 0


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_full_disk_during_force_keeps_the_old_register_whole(here, monkeypatch, failing):
    """Both files or neither: a failed write of the second file may not leave a new units.yaml beside an old tasks.yaml."""
    import errno
    import os

    Path("plan.csv").write_text(TABLE.format(deadline="2023年底"), encoding="utf-8")
    assert invoke("init", "plan.csv", "-o", "out").exit_code == 0
    old = {name: Path("out", name).read_text(encoding="utf-8") for name in ("tasks.yaml", "units.yaml")}
    Path("plan.csv").write_text(TABLE.format(deadline="2024年底").replace("区发改局", "区财政局"), encoding="utf-8")
    calls = {"n": 0}
    real_fsync = os.fsync

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == failing:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    run = invoke("init", "plan.csv", "-o", "out", "--force")
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert run.exit_code == 2 and "No space left on device" in run.stderr
    assert {name: Path("out", name).read_text(encoding="utf-8") for name in old} == old
    assert sorted(path.name for path in Path("out").iterdir() if not path.name.endswith(".lock")) == [
        "tasks.yaml",
        "units.yaml",
    ]


LIST_WITH_DEADLINES_IN_TEXT = """城西区2024年优化营商环境重点任务分工方案
一、提升政务服务效能
1.推行“一件事一次办”,年内实现20个高频事项集成办理。(区行政审批局牵头,区司法局负责)
2.清理妨碍统一市场和公平竞争的政策措施,力争于2024年6月底前全面完成。(区市场监管局牵头)
3.加强中小企业服务,持续推进。(区工信局牵头)
4.9月底前完成摸底,12月底前完成整改。(区工信局牵头)
"""


def test_a_task_whose_text_ends_in_a_deadline_clause_takes_it_to_confirm(here):
    Path("plan.txt").write_text(LIST_WITH_DEADLINES_IN_TEXT, encoding="utf-8")
    run = invoke("init", "plan.txt", "-o", "out", "--deadline", "2024年底")
    assert run.exit_code == 0, run.stderr
    tasks = load_register("out").tasks
    # A date inside a sentence is not the task's deadline; two steps are left to a person.
    assert [task.deadline for task in tasks] == ["2024年底", "2024年6月底前", "持续推进", "2024年底"]
    text = Path("out/tasks.yaml").read_text(encoding="utf-8")
    assert (
        "    deadline: 2024年6月底前\n    unconfirmed: 原文(plan.txt:4)没有单列完成时限,取自任务文字中的“2024年6月底前”\n"
        in text
    )
    assert [str(day) for day in tasks[1].due] == ["2024-06-30"]


def test_a_deadline_the_grammar_does_not_read_is_kept_and_marked(here):
    Path("plan.csv").write_text(TABLE.format(deadline="视情况而定"), encoding="utf-8")
    run = invoke("init", "plan.csv", "-o", "out")
    assert run.exit_code == 0
    tasks = Path("out/tasks.yaml").read_text(encoding="utf-8")
    assert "    deadline: 视情况而定\n    unconfirmed: 完成时限“视情况而定”(plan.csv!B2)照录原文" in tasks
    assert run.stderr.splitlines()[-1] == "1 个完成时限的写法 validate 还读不懂,请改写后再用。"
    assert [issue.code for issue in validate_folder("out").errors] == ["deadline_unparsed"]


def test_a_default_deadline_the_grammar_does_not_read_is_a_usage_error(here):
    Path("plan.csv").write_text(TABLE.format(deadline=""), encoding="utf-8")
    run = invoke("init", "plan.csv", "-o", "out", "--deadline", "尽快")
    assert run.exit_code == 2
    assert run.stderr.startswith("--deadline 的写法不合完成时限语法:无法理解完成时限“尽快”")
    assert not Path("out").exists()
