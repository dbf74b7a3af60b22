"""Fill-in forms out and back: what each unit's workbook holds, and what a returned one says.

The forms are made for the Hanzhong register (no reporting schedule: calendar months) and
the district fixture (three levels, its own column words, ``reporting: 每月28日前``), and
filled in with ``support.forms.fill`` the way a unit types into them.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deviation_cli import load_register
from deviation_cli.domain.issues import UsageError
from deviation_cli.domain.progress import ProgressLog
from deviation_cli.domain.reporting import ReportingPeriod
from deviation_cli.exchange.form_import import ADDED, EMPTY, plan_import
from deviation_cli.exchange.form_layout import register_fingerprint
from deviation_cli.exchange.form_reading import read_form
from deviation_cli.exchange.report_forms import (
    UnitForm,
    form_file_names,
    form_units,
    form_workbook,
    unit_form,
    write_forms,
)
from support.editing import edit
from support.forms import (
    calc_converts,
    convert_with_libreoffice,
    fill,
    form_ids,
    resave_like_a_spreadsheet,
)
from support.paths import DISTRICT, HANZHONG

HANZHONG_DAY = date(2023, 7, 20)  # in the calendar month 2023-07-01..31
DISTRICT_DAY = date(2023, 7, 10)  # in the period 2023-06-29..07-28 of 每月28日前
RETURNED = date(2023, 7, 30)


@pytest.fixture(scope="module")
def district():
    return load_register(DISTRICT)


def forms_of(register, day):
    return [unit_form(register, unit, ProgressLog(), day) for unit in form_units(register)]


@pytest.fixture(scope="module")
def hanzhong_forms(hanzhong, tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    write_forms(hanzhong, folder, forms_of(hanzhong, HANZHONG_DAY))
    return folder


@pytest.fixture(scope="module")
def district_forms(district, tmp_path_factory):
    folder = tmp_path_factory.mktemp("district-forms")
    write_forms(district, folder, forms_of(district, DISTRICT_DAY))
    return folder


def problems(path: Path, register, day=RETURNED) -> list[str]:
    return [issue.format() for issue in read_form(path, register, day).issues]


# --- out: who gets a form, and what it holds ------------------------------------------------------

HANZHONG_UNITS = [
    "汉台区", "南郑区", "城固县", "洋县", "西乡县", "勉县", "宁强县", "略阳县", "镇巴县", "留坝县", "佛坪县",
    "汉中经开区管委会", "兴汉新区管委会", "航空经开区管委会", "滨江新区发展服务中心",
    "市发改委", "市行政审批服务局", "市审计局", "市自然资源局", "市生态环境局", "市水利局", "市文旅局", "市金融办",
    "市科技局", "市工信局", "市农业农村局", "市商务局", "市卫健委", "市市场监管局", "市国资委", "市经合局",
    "市智慧城市建设局", "市教育局", "市财政局", "市税务局", "市住建局", "市林业局", "市委办", "市政府办", "市人大办",
    "市政协办", "市城投公司", "市投控集团", "市交投集团", "市水投集团",
]  # fmt: skip


def test_every_hanzhong_unit_with_a_task_gets_one_form_named_for_it_and_the_period(hanzhong_forms):
    assert sorted(path.name for path in hanzhong_forms.iterdir()) == sorted(
        f"填报表-{unit}-2023-07-31.xlsx" for unit in HANZHONG_UNITS
    )


def test_the_district_forms_include_the_group_that_reports_as_itself(district_forms):
    # 各街道 lists no members, so it reports as one; 区直有关部门 is an open tail and gets none
    assert sorted(path.name for path in district_forms.iterdir()) == [
        "填报表-区人社局-2023-07-28.xlsx",
        "填报表-区发改局-2023-07-28.xlsx",
        "填报表-区统计局-2023-07-28.xlsx",
        "填报表-区财政局-2023-07-28.xlsx",
        "填报表-各街道-2023-07-28.xlsx",
    ]


@pytest.mark.parametrize(
    "unit,ids",
    [
        ("市发改委", [3, 4, 7, 11, 14, 17, 20, 22, 23, 1, 2, 6, 12, 13, 15, 21]),
        ("市审计局", [2]),
        ("市国资委", [5, 8, 18, 10]),
        ("汉台区", [1, 2, 3, 4, 6, 7, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]),
        ("市水投集团", [5, 8, 18]),
    ],
)
def test_a_hanzhong_form_lists_the_tasks_the_unit_leads_then_those_it_shares(hanzhong_forms, unit, ids):
    assert form_ids(hanzhong_forms / f"填报表-{unit}-2023-07-31.xlsx") == ids


@pytest.mark.parametrize(
    "unit,ids", [("区发改局", [1, 2]), ("区统计局", [2]), ("区财政局", [1]), ("区人社局", [3]), ("各街道", [1])]
)
def test_a_district_form_lists_the_units_tasks(district_forms, unit, ids):
    assert form_ids(district_forms / f"填报表-{unit}-2023-07-28.xlsx") == ids


def test_the_form_speaks_the_plans_words_and_names_unit_and_period(district_forms):
    sheet = openpyxl.load_workbook(district_forms / "填报表-区发改局-2023-07-28.xlsx").worksheets[0]
    assert sheet.title == "填报表"
    assert sheet["A1"].value == "《东城区2023年重点工作任务分解方案》任务进展填报表"
    assert sheet["A2"].value == "填报单位:区发改局    报送期:2023年6月29日至7月28日    报送截止:2023年7月28日"
    assert [cell.value for cell in sheet[3]] == [
        "序号", "方向", "重点工作", "事项", "工作任务", "职责", "牵头单位", "时间节点", "下一节点", "上次报告",
        "进展情况", "完成状态", "完成日期", "存在问题", "下步计划", "佐证材料",
    ]  # fmt: skip
    assert sheet["A4"].value == "一、本单位牵头的任务(2项)"
    assert [cell.value for cell in sheet[5]][:10] == [
        1, "稳增长", "扩大有效投资", "重大项目建设", "推动10个区级重点项目开工建设。", "牵头", "区发改局", "三季度末",
        "2023-09-30", None,
    ]  # fmt: skip
    # task 2 sits on the second level: no 事项; co-leads written as the plan writes them; its monthly
    # milestones are open since March (no one reported them done)
    assert [cell.value for cell in sheet[6]][:9] == [
        2, "稳增长", "扩大有效投资", None, "每月调度项目进展并通报。", "牵头", "区发改局、区统计局", "每月28日前",
        "2023-03-28(已逾期)",
    ]  # fmt: skip
    assert sheet.max_row == 6


def test_a_county_shares_through_its_group_and_the_form_says_so(hanzhong_forms):
    sheet = openpyxl.load_workbook(hanzhong_forms / "填报表-汉台区-2023-07-31.xlsx").worksheets[0]
    assert sheet["A4"].value == "一、本单位参与的任务(20项)"
    assert sheet["E5"].value == "参与(经由各县区政府)"
    # task 1 fell due on 2023-06-30 and nobody has reported it done
    assert (sheet["A5"].value, sheet["H5"].value) == (1, "2023-06-30(已逾期)")


def test_the_last_report_is_the_units_own(hanzhong, tmp_path):
    from deviation_cli.store.progress_log import load_progress
    from support.paths import ROOT

    log = load_progress(hanzhong, ROOT / "examples" / "hanzhong-progress" / "progress.yaml")
    form = unit_form(hanzhong, "市发改委", log, date(2023, 8, 1))
    last = {line.task.id: (line.last.status, line.last.date.isoformat()) for line in form.lines if line.last}
    assert last == {3: ("推进中", "2023-07-20"), 4: ("已完成", "2023-07-28"), 22: ("延期", "2023-07-05")}
    path = tmp_path / "f.xlsx"
    path.write_bytes(form_workbook(hanzhong, form))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    row = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == 4)
    assert row[8].value == "已完成(2023-07-28)"


def test_task_cells_are_locked_and_the_six_to_fill_are_not(hanzhong_forms):
    sheet = openpyxl.load_workbook(hanzhong_forms / "填报表-市发改委-2023-07-31.xlsx").worksheets[0]
    assert sheet.protection.sheet is True
    assert sheet.protection.password is None
    assert (sheet.protection.formatColumns, sheet.protection.formatRows) == (False, False)
    locked = {cell.column_letter: cell.protection.locked for cell in sheet[5]}
    assert [letter for letter, on in locked.items() if not on] == ["J", "K", "L", "M", "N", "O"]
    assert sheet["A4"].protection.locked is True  # the block heading


def test_status_is_a_drop_down_and_the_completion_date_a_date(hanzhong_forms):
    sheet = openpyxl.load_workbook(hanzhong_forms / "填报表-市发改委-2023-07-31.xlsx").worksheets[0]
    statuses, days = sheet.data_validations.dataValidation
    assert (statuses.type, statuses.formula1) == ("list", '"未开始,推进中,已完成,滞后,延期"')
    assert str(statuses.sqref) == "K5:K13 K15:K21"  # the task rows of both blocks, not their headings
    assert (days.type, days.operator, days.formula1, days.formula2) == (
        "date",
        "between",
        "DATE(2000,1,1)",
        "DATE(2099,12,31)",
    )
    assert str(days.sqref) == "L5:L13 L15:L21"
    assert sheet["L5"].number_format == "yyyy-mm-dd"


def test_the_form_prints_on_a4_landscape_with_its_header_on_every_page(hanzhong_forms):
    sheet = openpyxl.load_workbook(hanzhong_forms / "填报表-市发改委-2023-07-31.xlsx").worksheets[0]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["D"].width == 40
    assert sheet["D5"].alignment.wrap_text is True
    assert sheet.row_dimensions[5].height > 2 * 14.25  # a long task text gets its lines


def test_the_instructions_say_who_which_period_and_what_a_blank_row_means(district_forms):
    book = openpyxl.load_workbook(district_forms / "填报表-各街道-2023-07-28.xlsx")
    lines = [row[0] for row in book["填报说明"].iter_rows(values_only=True)]
    assert lines[:6] == [
        "填报说明",
        "填报单位:各街道",
        "方案:《东城区2023年重点工作任务分解方案》(东政办发〔2023〕5号)",
        "报送期:2023年6月29日至7月28日(方案规定每月28日前报送)",
        "报送截止:请于2023年7月28日前将本表报回。",
        "本表列出本单位牵头的任务 0 项、参与的任务 1 项,请逐项填写本报送期的进展。",
    ]
    assert "整行留空的任务视为本期未报告该任务,不会导入,也不影响其他行。" in lines
    assert book["填报说明"].protection.sheet is True


def test_the_marker_names_register_unit_and_period_on_a_very_hidden_sheet_and_in_the_properties(
    hanzhong, hanzhong_forms
):
    book = openpyxl.load_workbook(hanzhong_forms / "填报表-市发改委-2023-07-31.xlsx")
    assert book.sheetnames == ["填报表", "填报说明", "_deviation"]
    marker = book["_deviation"]
    assert marker.sheet_state == "veryHidden"
    fingerprint = register_fingerprint(hanzhong)
    assert [tuple(row) for row in marker.iter_rows(values_only=True)] == [
        ("deviation form", None),
        ("version", "1"),
        ("register", fingerprint),
        ("unit", "市发改委"),
        ("period", "2023-07-31"),
        ("title", "加强管控重点产业项目偏离度实施方案"),
        ("exported", "2023-07-20"),
    ]
    assert {prop.name: prop.value for prop in book.custom_doc_props.props} == {
        "deviation.version": "1",
        "deviation.register": fingerprint,
        "deviation.unit": "市发改委",
        "deviation.period": "2023-07-31",
        "deviation.title": "加强管控重点产业项目偏离度实施方案",
        "deviation.exported": "2023-07-20",
    }
    properties = book.properties
    assert (properties.title, properties.subject, properties.creator, properties.keywords) == (
        "填报表-市发改委-2023-07-31",
        "加强管控重点产业项目偏离度实施方案",
        "汉中市人民政府办公室",
        "填报表;市发改委;2023-07-31",
    )


def test_the_fingerprint_survives_edits_of_the_tasks_but_not_another_plan(hanzhong, district, tmp_path):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(HANZHONG, copy)
    edit(copy, {"tasks.yaml": [("    deadline: 2023年12月底\n  - id: 4\n", "    deadline: 2024年1月底\n  - id: 4\n")]})
    edit(copy, {"units.yaml": [("  - name: 市审计局\n", "  - name: 市审计局\n    aliases: [审计局]\n")]})
    assert register_fingerprint(load_register(copy)) == register_fingerprint(hanzhong)
    assert register_fingerprint(hanzhong) != register_fingerprint(district)


def test_file_names_are_safe_on_windows_and_unique_ignoring_case():
    period = ReportingPeriod(date(2024, 5, 1), date(2024, 5, 31))
    forms = [UnitForm(name, period, True, date(2024, 5, 2), ()) for name in ("县水务/局", "县水务:局", "AUX", "a", "A")]
    assert list(form_file_names(forms).values()) == [
        "填报表-县水务_局-2024-05-31.xlsx",
        "填报表-县水务_局-2024-05-31-2.xlsx",
        "填报表-AUX-2024-05-31.xlsx",
        "填报表-a-2024-05-31.xlsx",
        "填报表-A-2024-05-31-2.xlsx",
    ]


def test_a_day_outside_the_plans_periods_has_no_form(hanzhong):
    with pytest.raises(UsageError) as error:
        unit_form(hanzhong, "市发改委", ProgressLog(), date(2024, 1, 5))
    assert error.value.issues[0].format() == (
        "2024-01-05 不在方案的报送期内(按“每月末”,报送期从 2023-06-18 到 2023-12-31);请用 --as-of 选定报送期内的一天"
    )


# --- back: what a returned form says -----------------------------------------------------------------


@pytest.fixture
def form(hanzhong_forms, tmp_path):
    """A fresh copy of 市发改委's form, to fill in."""
    path = tmp_path / "填报表-市发改委-2023-07-31.xlsx"
    path.write_bytes((hanzhong_forms / path.name).read_bytes())
    return path


def test_filled_rows_are_read_with_their_cells_and_blank_rows_counted(hanzhong, form):
    fill(
        form,
        {
            3: {"进展情况": "已梳理项目清单", "完成状态": "推进中", "下步计划": "8月上报"},
            4: {"完成状态": "已完成", "完成日期": datetime(2023, 7, 28), "佐证材料": "汉发改发〔2023〕9号"},
            12: {"完成状态": "滞后 ", "存在问题": "数据未齐"},
            13: {"完成状态": "done", "完成日期": "2023年7月15日"},
        },
    )
    reading = read_form(form, hanzhong, RETURNED)
    assert reading.issues == []
    assert (reading.unit, reading.period.key, reading.blank) == ("市发改委", "2023-07-31", 12)
    assert [(row.task, row.status, row.done_on, row.where) for row in reading.rows] == [
        (3, "推进中", None, f"{form}!A5"),
        (4, "已完成", date(2023, 7, 28), f"{form}!A6"),
        (12, "滞后", None, f"{form}!A18"),
        (13, "已完成", date(2023, 7, 15), f"{form}!A19"),
    ]
    assert reading.rows[0].cells() == {
        "task": "3",
        "status": "推进中",
        "done_on": "",
        "progress": "已梳理项目清单",
        "problems": "",
        "next_steps": "8月上报",
        "evidence": "",
    }


def test_every_mistake_is_pointed_at_by_its_cell(hanzhong, form):
    fill(
        form,
        {
            3: {"完成状态": "完成"},  # not a status
            4: {"完成状态": "已完成", "完成日期": "7月中旬"},  # a date cell holding text
            7: {"完成状态": "已完成", "完成日期": datetime(2023, 8, 2)},  # after the day of the import
            11: {"完成状态": "已完成"},  # done, but when?
            14: {"完成状态": "推进中", "完成日期": datetime(2023, 7, 1)},  # a date only 已完成 takes
            17: {"进展情况": "已对接"},  # text but no status
            20: {"完成状态": "推进中", "进展情况": "含_x001B_控制字符"},  # ESC, written as OOXML escapes it
            5: {"完成状态": "推进中"},  # typed in: 市国资委 leads it with the platform companies, not 市发改委
            99: {"完成状态": "推进中"},  # typed in: no such task
        },
    )
    assert problems(form, hanzhong) == [
        f"{form}!K5: 完成状态“完成”不在可选的状态中:未开始、推进中、已完成、滞后、延期",
        f"{form}!L6: 完成日期“7月中旬”不是日期;请写成 2023-07-15 这样的日期",
        f"{form}!L7: 完成日期 2023-08-02 晚于导入当日 2023-07-30",
        f"{form}!L8: 完成状态为“已完成”,须填写完成日期",
        f"{form}!L9: 完成状态为“推进中”时不填完成日期;完成日期只在“已完成”时填写",
        f"{form}!K10: 这一行填写了内容,但没有选择“完成状态”",
        f"{form}!J11: “进展情况”含有控制字符 <U+001B>;请删除",
        f"{form}!A22: 第 5 项任务不是市发改委牵头或参与的任务;请只填写本单位的任务",
        f"{form}!A23: 没有序号为 99 的任务(序号为 1–23)",
    ]


def test_a_form_of_another_register_is_refused_as_a_whole(hanzhong, district_forms, tmp_path):
    path = tmp_path / "东城区.xlsx"
    fill(district_forms / "填报表-区发改局-2023-07-28.xlsx", {1: {"完成状态": "推进中"}}, target=path)
    assert problems(path, hanzhong) == [
        f"{path}: 这是《东城区2023年重点工作任务分解方案》的填报表,不是《加强管控重点产业项目偏离度实施方案》的;"
        "是否用 --data 选错了登记册?"
    ]


def test_a_workbook_without_the_marker_is_not_a_form(hanzhong, tmp_path):
    path = tmp_path / "自制表格.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["序号", "完成状态"])
    book.active.append([1, "推进中"])
    book.save(path)
    assert problems(path, hanzhong) == [
        f"{path}: 不是 deviation export forms 导出的填报表(找不到表格中隐藏的标记);"
        "请让单位在发出的表格上填写,不要把内容复制到新工作簿"
    ]
    text = tmp_path / "表.xlsx"
    text.write_text("序号,完成状态\n", encoding="utf-8")
    assert problems(text, hanzhong) == [
        f"{text}: 不是 Excel 工作簿(.xlsx);WPS 表格(.et)或旧式 .xls 文件请先“另存为” .xlsx"
    ]


def test_the_document_properties_stand_in_for_a_dropped_marker_sheet(hanzhong, form):
    fill(form, {3: {"完成状态": "推进中"}})
    book = openpyxl.load_workbook(form)
    del book["_deviation"]
    book.save(form)
    reading = read_form(form, hanzhong, RETURNED)
    assert (reading.issues, reading.unit, [row.task for row in reading.rows]) == ([], "市发改委", [3])


def test_a_period_that_begins_after_the_import_day_is_refused(hanzhong, form):
    fill(form, {3: {"完成状态": "推进中"}})
    assert problems(form, hanzhong, date(2023, 6, 30)) == [
        f"{form}: 填报表的报送期 2023-07-31 从 2023-07-01 才开始,晚于导入当日;请检查 --as-of"
    ]


def test_a_formula_no_spreadsheet_computed_is_a_problem_not_a_blank(hanzhong, form):
    fill(form, {3: {"完成状态": "推进中", "进展情况": '=CONCAT("已","完成")'}})
    assert problems(form, hanzhong) == [
        f"{form}!J5: “进展情况”是公式,但没有保存计算结果;请在 Excel 或 WPS 中打开、保存后再导入,或直接填写内容"
    ]


def test_a_row_outside_the_tasks_and_a_block_heading_typed_over(hanzhong, form):
    book = openpyxl.load_workbook(form)
    sheet = book.worksheets[0]
    sheet["J30"] = "写在表格下方的说明"
    sheet.unmerge_cells("A14:O14")
    sheet["K14"] = "推进中"  # beside the block heading 二、本单位参与的任务
    book.save(form)
    assert problems(form, hanzhong) == [
        f"{form}!A14: “二、本单位参与的任务(7项)”不是任务序号",
        f"{form}!J30: 这一行填写了内容,但“序号”为空;请填在对应任务的行中",
    ]


RESAVED_ROWS = {
    3: {"进展情况": "已梳理项目清单", "完成状态": "推进中", "下步计划": "8月上报"},
    4: {"完成状态": "已完成", "完成日期": datetime(2023, 7, 28), "存在问题": "无"},
    15: {"完成状态": "滞后", "存在问题": "资金未到位"},
}


def rows_of(reading):
    return [row.cells() for row in reading.rows]


def test_a_form_saved_again_by_a_spreadsheet_program_reads_the_same(hanzhong, form, tmp_path):
    fill(form, RESAVED_ROWS)
    expected = read_form(form, hanzhong, RETURNED)
    resaved = resave_like_a_spreadsheet(form, tmp_path / "市发改委7月报送(修改).xlsx")
    reading = read_form(resaved, hanzhong, RETURNED)
    assert reading.issues == []
    assert rows_of(reading) == rows_of(expected)
    assert [row.where for row in reading.rows] == [f"{resaved}!A5", f"{resaved}!A6", f"{resaved}!A20"]
    # a problem on the moved column is named by where it is now
    book = openpyxl.load_workbook(resaved)
    book.worksheets[0]["K5"] = "完成了"
    book.save(resaved)
    assert problems(resaved, hanzhong) == [
        f"{resaved}!K5: 完成状态“完成了”不在可选的状态中:未开始、推进中、已完成、滞后、延期"
    ]


def test_libreoffice_calc_round_trip_reads_the_same(hanzhong, form, tmp_path):
    if not calc_converts(tmp_path):
        pytest.skip("LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui): no round trip")
    fill(form, RESAVED_ROWS)
    expected = read_form(form, hanzhong, RETURNED)
    converted = convert_with_libreoffice(form, tmp_path / "calc", tmp_path / "profile")
    assert converted is not None
    reading = read_form(converted, hanzhong, RETURNED)
    assert reading.issues == []
    assert rows_of(reading) == rows_of(expected)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    register_path=st.sampled_from([HANZHONG, DISTRICT]),
    offset=st.integers(min_value=0, max_value=150),
    pick=st.integers(min_value=0, max_value=100),
)
def test_a_form_sent_back_untouched_adds_nothing(register_path, offset, pick, tmp_path_factory):
    register = load_register(register_path)
    day = date(2023, 7, 1) + (date.resolution * offset)
    units = form_units(register)
    form = unit_form(register, units[pick % len(units)], ProgressLog(), day)
    path = tmp_path_factory.mktemp("untouched") / "form.xlsx"
    path.write_bytes(form_workbook(register, form))
    reading = read_form(path, register, day)
    assert reading.issues == []
    assert (reading.rows, reading.blank) == ([], len(form.lines))
    imports, issues = plan_import([reading], ProgressLog(), day)
    assert issues == []
    assert [(planned.action, planned.entries) for planned in imports] == [(EMPTY, [])]


def test_a_first_form_adds_one_report_per_filled_row(hanzhong, form):
    fill(form, RESAVED_ROWS)
    reading = read_form(form, hanzhong, RETURNED)
    (planned,), issues = plan_import([reading], ProgressLog(), RETURNED)
    assert issues == []
    assert (planned.action, planned.added, len(planned.form)) == (ADDED, 3, 12)
    assert [{k: v for k, v in entry.items() if k != "form"} for entry in planned.entries] == [
        {"task": "3", "unit": "市发改委", "date": "2023-07-30", "status": "推进中", "note": "已梳理项目清单",
         "next_steps": "8月上报", "period": "2023-07-31", "imported": "2023-07-30"},
        {"task": "4", "unit": "市发改委", "date": "2023-07-28", "status": "已完成", "reason": "无",
         "period": "2023-07-31", "imported": "2023-07-30"},
        {"task": "15", "unit": "市发改委", "date": "2023-07-30", "status": "滞后", "reason": "资金未到位",
         "period": "2023-07-31", "imported": "2023-07-30"},
    ]  # fmt: skip
    # returned late, the form's reports are dated on its period's due day: they count for that period
    late = read_form(form, hanzhong, date(2023, 8, 3))
    (planned,), _ = plan_import([late], ProgressLog(), date(2023, 8, 3))
    assert [entry["date"] for entry in planned.entries] == ["2023-07-31", "2023-07-28", "2023-07-31"]


def test_register_text_stays_text_in_every_cell_of_a_form(tmp_path):
    from support.editing import edited_register

    unit = "'=HYPERLINK(1)水利'"
    folder = edited_register(
        tmp_path / "r",
        {
            "units.yaml": [("name: 县水利局", f"name: {unit}")],
            "tasks.yaml": [
                ("text: 完成县级饮用水水源地规范化建设。", "text: '=1+1 完成水源地建设'"),
                ("  title: 清河县2024年河湖长制重点工作任务", "  title: '@清河计划'"),
            ],
        },
    )
    edited = (folder / "tasks.yaml").read_text(encoding="utf-8")
    (folder / "tasks.yaml").write_text(
        edited.replace(": 县水利局\n", f": {unit}\n").replace("- 县水利局\n", f"- {unit}\n"), encoding="utf-8"
    )
    register = load_register(folder)
    forms = forms_of(register, date(2024, 3, 10))
    written = write_forms(register, tmp_path / "out", forms)
    assert "填报表-=HYPERLINK(1)水利-2024-03-31.xlsx" in [path.name for path in written]
    for path in written:
        book = openpyxl.load_workbook(path)
        formulas = [
            f"{sheet.title}!{cell.coordinate}"
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f"
        ]
        assert formulas == [], path.name
    sheet = openpyxl.load_workbook(tmp_path / "out" / "填报表-=HYPERLINK(1)水利-2024-03-31.xlsx").worksheets[0]
    assert (sheet["A1"].value, sheet["D5"].value, sheet["F5"].value) == (
        "《@清河计划》任务进展填报表",
        "=1+1 完成水源地建设",
        "=HYPERLINK(1)水利",
    )
