"""Export to and import from the 任务分解表 as staff exchange it: xlsx, csv, json.

The layout is checked by reading the workbook back with openpyxl; the round
trips export a register and import it again against the same register.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from deviation_cli import load_register
from deviation_cli.domain.annex import merged_ranges as runs
from deviation_cli.domain.issues import RegisterInvalid
from deviation_cli.domain.query import directory
from deviation_cli.domain.units import join_unit_list
from deviation_cli.exchange.table_import import read_table
from deviation_cli.exchange.workbook import sheet_name
from deviation_cli.formats.tables import Grid
from deviation_cli.output.json_objects import task_object as task_record
from support.paths import HANZHONG, QINGHE
from support.policy_annex import ROWS

HEADER = ["序号", "管控", "改进措施", "具体任务", "牵头部门", "责任单位", "完成时限"]


def records(register):
    return [task_record(register, task) for task in register.tasks]


@pytest.fixture
def hanzhong_xlsx(cli, tmp_path):
    path = tmp_path / "table.xlsx"
    run = cli("export", "xlsx", "-o", str(path))
    assert run.exit_code == 0, run.stderr
    assert run.stderr == f"已写入 {path}:23 项任务\n"
    return path


# --- export xlsx: the layout --------------------------------------------------------------------


def test_xlsx_layout_merges_dimensions_and_measures_like_the_annex(hanzhong_xlsx):
    sheet = openpyxl.load_workbook(hanzhong_xlsx).worksheets[0]
    assert sheet.title == "任务分解表"
    # Tasks start on row 3: task n is row n + 2.
    assert sorted(str(cells) for cells in sheet.merged_cells.ranges) == sorted(
        [
            "A1:G1",  # title
            "B3:B5",  # 项目推进偏离度方面: tasks 1–3
            "B6:B11",  # 投资结构: 4–9 (the source restates it at 9 after a page break)
            "B12:B15",  # 产业结构: 10–13
            "B16:B17",  # 链群互补配套: 14–15
            "B18:B21",  # 项目效益: 16–19 (restated at 19 in the source)
            "B22:B25",  # 管理服务: 20–23
            "C6:C7",  # measure 4: tasks 4–5
            "C8:C10",  # measure 5: tasks 6–8
            "C13:C14",  # measure 8: tasks 11–12
            "C19:C20",  # measure 13: tasks 17–18
        ]
    )
    assert sheet["A1"].value == "加强管控重点产业项目偏离度工作任务分解表"
    assert [cell.value for cell in sheet[2]] == HEADER
    assert sheet["B3"].value == "项目推进偏离度方面"
    assert sheet["C8"].value == "围绕产业强化项目招引"
    assert sheet.max_row == 25


def test_xlsx_cells_say_what_the_source_says(hanzhong_xlsx, hanzhong):
    sheet = openpyxl.load_workbook(hanzhong_xlsx).worksheets[0]
    row = [cell.value for cell in sheet[3]]
    assert row[0] == 1
    assert row[4] == "市行政审批服务局"
    assert row[5] == (
        "各县区政府,汉中经开区、兴汉新区、航空经开区管委会,滨江新区发展服务中心,"
        "市发改委、市自然资源局、市生态环境局等市级相关部门单位"
    )
    assert row[6] == "2023年6月底"
    assert sheet["G24"].value == "2023年 6月12月底"
    assert [sheet.cell(row=n + 2, column=1).value for n in range(1, 24)] == list(range(1, 24))


def test_xlsx_prints_on_a4_landscape_with_the_header_on_every_page(hanzhong_xlsx):
    sheet = openpyxl.load_workbook(hanzhong_xlsx).worksheets[0]
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert [sheet.column_dimensions[c].width for c in "ABCDEFG"] == [6, 11, 14, 52, 12, 38, 12]
    assert sheet["D3"].alignment.wrap_text is True
    assert sheet["F3"].alignment.wrap_text is True
    assert sheet.freeze_panes == "A3"


def test_xlsx_of_qinghe_uses_the_document_title_and_its_own_merges(cli, tmp_path):
    path = tmp_path / "q.xlsx"
    assert cli("export", "xlsx", "-o", str(path), data=QINGHE).exit_code == 0
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet["A1"].value == "清河县2024年河湖长制重点工作任务"
    assert sorted(str(cells) for cells in sheet.merged_cells.ranges) == ["A1:G1", "B3:B4", "B5:B6", "C3:C4", "C5:C6"]


def test_per_unit_sheets_list_lead_then_shared_tasks(cli, tmp_path, hanzhong):
    path = tmp_path / "units.xlsx"
    assert cli("export", "xlsx", "--per-unit", "-o", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    # Every unit and group with at least one task gets a sheet; 市委办 etc. have none.
    assert len(book.sheetnames) == 48
    assert book.sheetnames[-2:] == ["各县区政府", "市级相关部门单位"]
    assert book.sheetnames[:3] == ["任务分解表", "汉台区", "南郑区"]
    sheet = book["市国资委"]
    assert sheet["A1"].value == "市国资委 责任清单(加强管控重点产业项目偏离度工作任务分解表)"
    assert [cell.value for cell in sheet[2]] == ["序号", "职责", *HEADER[1:]]
    rows = [(row[0], row[1]) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert rows == [(5, "牵头"), (8, "牵头"), (18, "牵头"), (10, "责任")]
    county = [(row[0], row[1]) for row in book["汉台区"].iter_rows(min_row=3, values_only=True)]
    assert county[0] == (1, "责任(经由各县区政府)")
    assert len(county) == 20


def test_per_unit_sheets_on_qinghe(cli, tmp_path):
    path = tmp_path / "q.xlsx"
    assert cli("export", "xlsx", "--per-unit", "-o", str(path), data=QINGHE).exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "任务分解表",
        "县水利局",
        "县生态环境局",
        "县农业农村局",
        "县城投公司",
        "东关镇",
        "西河镇",
        "南山乡",
        "各镇人民政府",
    ]
    assert [row[:2] for row in book["东关镇"].iter_rows(min_row=3, values_only=True)] == [
        (1, "责任"),
        (2, "责任(经由各镇人民政府)"),
        (3, "责任(经由各镇人民政府)"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("汉台区", "汉台区"),
        ("市[发改]委:办/公*室?\\", "市_发改_委_办_公_室__"),
        ("'引号'", "引号"),
        ("history", "history_"),
        ("很" * 40, "很" * 31),
    ],
)
def test_sheet_names_follow_excels_rules(name, expected):
    assert sheet_name(name, set()) == expected


def test_sheet_names_stay_unique_within_31_characters():
    taken: set[str] = set()
    long = "某某" * 20
    names = [sheet_name(long, taken), sheet_name(long, taken), sheet_name("ABC", taken), sheet_name("abc", taken)]
    assert names == ["某某" * 15 + "某", "某某" * 14 + "某~2", "ABC", "abc~2"]
    assert all(len(name) <= 31 for name in names)


def test_runs_are_the_cells_to_merge():
    assert runs([1, 1, 2, 3, 3, 3, 4]) == [(0, 1), (3, 5)]
    assert runs([]) == []


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_export_then_import_gives_back_the_same_register(cli, tmp_path, data, kind):
    table = tmp_path / f"table.{kind}"
    out = tmp_path / "imported"
    assert cli("export", kind, "-o", str(table), data=data).exit_code == 0
    run = cli("import", kind, str(table), "-o", str(out), data=data)
    assert run.exit_code == 0, run.stderr
    original, imported = load_register(data), load_register(out)
    assert run.stderr == f"已从 {table} 导入 {len(original.tasks)} 项任务到 {out}(tasks.yaml、units.yaml)\n"
    assert records(imported) == records(original)
    assert imported.document == original.document
    assert imported.dimensions == original.dimensions
    assert imported.measures == original.measures
    assert imported.units == original.units and imported.groups == original.groups
    assert (out / "units.yaml").read_bytes() == (data / "units.yaml").read_bytes()
    assert cli("validate", str(out)).exit_code == 0


def test_imported_tasks_are_written_like_the_hand_written_file(cli, tmp_path, hanzhong_xlsx):
    out = tmp_path / "imported"
    assert cli("import", "xlsx", str(hanzhong_xlsx), "-o", str(out)).exit_code == 0
    written = (out / "tasks.yaml").read_text(encoding="utf-8")
    original = (HANZHONG / "tasks.yaml").read_text(encoding="utf-8")
    assert written.startswith(
        "# 任务登记册:《加强管控重点产业项目偏离度实施方案》\n# 由 deviation import 从 table.xlsx 导入;\n"
    )
    # Without comments, the task section is the shipped one, line for line.
    assert written.split("\ntasks:\n")[1] == original.split("\ntasks:\n")[1]
    assert "  - id: 22\n    measure: 17\n" in written
    assert "    deadline: 2023年 6月12月底\n" in written


def test_the_source_annex_as_csv_imports_into_the_shipped_tasks(cli, tmp_path, hanzhong):
    """The annex exactly as the policy lays it out: merged cells blank, 序 号 and 完成 in the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["加强管控重点产业项目偏离度工作任务分解表"])
    writer.writerow(["序 号", "管控", "改进措施", "具体任务", "牵头部门", "责任单位", "完成"])
    for row in ROWS:
        writer.writerow(
            [
                row["id"],
                row["dimension"] or "",
                row["measure"] or "",
                row["task"],
                row["lead"],
                row["responsible"],
                row["deadline"],
            ]
        )
    source = tmp_path / "annex.csv"
    source.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "out"
    run = cli("import", "csv", str(source), "-o", str(out))
    assert run.exit_code == 0, run.stderr
    assert records(load_register(out)) == records(hanzhong)


def grid(*rows, sheet="表"):
    return Grid(sheet, [list(row) for row in rows])


def test_units_as_staff_type_them(hanzhong):
    reading = read_table(
        grid(
            HEADER,
            [
                1,
                "项目推进偏离度",
                "全力攻坚项目前期工作",
                "任务",
                " 市行政审批局 ",
                "各县区政府，汉中经开区、 兴汉新区、航空经开区 管委会；市发改委 市工信局、市生态环境局等 市级相关部门单位",
                "2023年6月底",
            ],
            [2, "", "", "任务二", "市发改委", "市城投公司、市投控集团等市级平台公司", "2023-06-30"],
        ),
        hanzhong,
    )
    assert reading.issues == []
    first, second = reading.tasks
    assert first.leads == ["市行政审批局"]
    assert first.responsible == [
        "各县区政府",
        "汉中经开区管委会",
        "兴汉新区管委会",
        "航空经开区管委会",
        "市发改委",
        "市工信局",
        "市生态环境局",
        "等市级相关部门单位",
    ]
    assert (second.heading, second.responsible) == ("1", ["市城投公司", "市投控集团", "等市级平台公司"])
    assert second.deadline == "2023-06-30"


def test_merged_and_blank_cells_continue_the_row_above(qinghe):
    reading = read_table(
        grid(
            ["序号", "管控", "改进措施", "具体任务", "牵头单位", "责任单位", "完成 时限"],
            [1, "水资源保护", "加强饮用水水源地保护", "甲", "县水利局", "东关镇", "2024年上半年"],
            [2, None, None, "乙", "县生态环境局", "", "持续推进"],
            [None] * 7,
            [3, "河湖岸线管控", "清理整治河湖“四乱”", "丙", "县城投公司", "西河镇", "2024年底"],
        ),
        qinghe,
    )
    assert reading.issues == []
    assert [(t.id, t.heading, t.responsible) for t in reading.tasks] == [
        (1, "1", ["东关镇"]),
        (2, "1", []),
        (3, "2", ["西河镇"]),
    ]


# --- import: problems are located cells, and nothing is written ----------------------------------


def test_every_bad_cell_is_reported_as_sheet_and_cell(cli, tmp_path, hanzhong_xlsx):
    book = openpyxl.load_workbook(hanzhong_xlsx)
    sheet = book.worksheets[0]
    sheet["F5"] = "各县区政府,市发改委员会、市审计局"
    sheet["E6"] = "市发改委、市国资委"
    sheet["E7"] = "市国资"
    sheet["G8"] = "2023年13月底"
    sheet["A9"] = "6"
    sheet["E10"] = "各县区政府"
    sheet["C13"] = "大力发展数字经挤"
    sheet["G14"] = None
    sheet["F15"] = "汉台区、汉台区政府"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)
    out = tmp_path / "out"
    run = cli("import", "xlsx", str(edited), "-o", str(out))
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        "任务分解表!F5: 未知单位“市发改委员会”。是否指:市发改委、市卫健委?",
        "任务分解表!E7: 未知单位“市国资”。是否指:市国资委?",
        "任务分解表!G8: 完成时限“2023年13月底”中没有 13 月;月份应在 1 到 12 之间",
        "任务分解表!A9: 序号 6 重复(任务分解表!A8 已有)",
        "任务分解表!E10: 牵头单位应为一个单位,而“各县区政府”是单位组",
        "任务分解表!C13: 改进措施“大力发展数字经挤”不在当前登记册中。是否指:大力发展数字经济、大力发展先进制造业?"
        "(新的改进措施请先加入 tasks.yaml)",
        "任务分解表!G14: 完成时限为空",
        "任务分解表!F15: 责任单位“汉台区政府”重复列出",
    ]
    assert not out.exists()


def test_csv_problems_name_the_file_and_cell(cli, tmp_path):
    path = tmp_path / "清河.csv"
    path.write_text(
        "序号,管控,改进措施,具体任务,牵头部门,责任单位,完成时限\n"
        "1,水资源保护,加强饮用水水源地保护,甲,县水利局,东关镇、西河真,2024年上半年\n"
        "x,河湖岸线,清理整治河湖“四乱”,乙,县城投公司,,\n",
        encoding="utf-8",
    )
    run = cli("import", "csv", str(path), "-o", str(tmp_path / "out"), data=QINGHE)
    assert run.exit_code == 1
    assert run.stderr.splitlines() == [
        "清河.csv!F2: 未知单位“西河真”。是否指:西河镇?",
        "清河.csv!A3: 序号应为正整数,而不是“x”",
        "清河.csv!B3: 方面“河湖岸线”不在当前登记册中。是否指:河湖岸线管控?(新的方面请先加入 tasks.yaml)",
        "清河.csv!G3: 完成时限为空",
    ]
    assert not (tmp_path / "out").exists()


def test_a_measure_under_another_dimension_is_reported(hanzhong):
    reading = read_table(
        grid(
            HEADER,
            [1, "投资结构偏离度方面", "全力攻坚项目前期工作", "任务", "市发改委", "", "持续推进"],
        ),
        hanzhong,
    )
    assert [issue.format() for issue in reading.issues] == [
        "表!C2: 改进措施“全力攻坚项目前期工作”属于“项目推进偏离度方面”,而该行的管控是“投资结构偏离度方面”",
    ]


def test_a_table_without_header_or_columns_is_reported(hanzhong):
    assert [i.format() for i in read_table(grid(["a", "b"], [1, 2]), hanzhong).issues] == [
        "表: 找不到表头行;任务分解表应有 序号 / 管控 / 改进措施 / 具体任务 / 牵头部门 / 责任单位 / 完成时限 这样的表头",
    ]
    assert [
        i.format()
        for i in read_table(grid(["题"], ["序号", "管控", "具体任务", "牵头部门", "责任单位"]), hanzhong).issues
    ] == [
        "表!A2: 表头缺少“完成时限”列",
        "表!A2: 表头缺少“改进措施”列",
    ]


def test_another_title_is_a_warning_not_an_error(cli, tmp_path, hanzhong_xlsx):
    book = openpyxl.load_workbook(hanzhong_xlsx)
    book.worksheets[0]["A1"] = "某某表"
    book.save(hanzhong_xlsx)
    run = cli("import", "xlsx", str(hanzhong_xlsx), "-o", str(tmp_path / "out"))
    assert run.exit_code == 0
    assert run.stderr.splitlines()[0] == (
        "任务分解表!A1: 警告:标题“某某表”与当前登记册“加强管控重点产业项目偏离度工作任务分解表”不同;"
        "文件信息、方面和改进措施仍取自当前登记册"
    )


def test_import_never_overwrites_a_register_without_force(cli, tmp_path, hanzhong_xlsx):
    out = tmp_path / "out"
    assert cli("import", "xlsx", str(hanzhong_xlsx), "-o", str(out)).exit_code == 0
    (out / "tasks.yaml").write_text("# mine\n", encoding="utf-8")
    run = cli("import", "xlsx", str(hanzhong_xlsx), "-o", str(out))
    assert run.exit_code == 2
    assert run.stderr == f"{out}: 目录中已有登记册文件(tasks.yaml、units.yaml);不会覆盖,除非加 --force\n"
    assert (out / "tasks.yaml").read_text(encoding="utf-8") == "# mine\n"
    assert cli("import", "xlsx", str(hanzhong_xlsx), "-o", str(out), "--force").exit_code == 0
    assert load_register(out).task(22).due


def test_import_reads_a_named_sheet_and_refuses_what_is_not_a_workbook(cli, tmp_path, hanzhong_xlsx):
    run = cli("import", "xlsx", str(hanzhong_xlsx), "--sheet", "汉台区", "-o", str(tmp_path / "x"))
    assert run.exit_code == 2
    assert run.stderr == f"{hanzhong_xlsx}: 没有工作表“汉台区”;工作表有:任务分解表\n"
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    run = cli("import", "xlsx", str(fake), "-o", str(tmp_path / "x"))
    assert (run.exit_code, run.stderr) == (
        2,
        f"{fake}: 不是 Excel 工作簿(.xlsx);旧式 .xls 或 WPS .et 文件请先另存为 .xlsx,或另存为 CSV 后用 import csv\n",
    )
    missing = tmp_path / "missing.xlsx"
    run = cli("import", "xlsx", str(missing), "-o", str(tmp_path / "x"))
    assert run.exit_code == 2
    assert run.stderr.startswith(f"{missing}: 无法读取文件:")


def test_import_csv_reads_gbk_as_excel_saves_it(cli, tmp_path, qinghe):
    exported = tmp_path / "utf8.csv"
    assert cli("export", "csv", "-o", str(exported), data=QINGHE).exit_code == 0
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(exported.read_text(encoding="utf-8-sig").encode("gb18030"))
    out = tmp_path / "out"
    assert cli("import", "csv", str(gbk), "-o", str(out), data=QINGHE).exit_code == 0
    assert records(load_register(out)) == records(qinghe)


def test_library_import_raises_with_every_issue(tmp_path, qinghe):
    from deviation_cli.exchange.table_import import import_table

    with pytest.raises(RegisterInvalid) as caught:
        import_table(
            grid(HEADER, [1, "水资源保护", "加强饮用水水源地保护", "甲", "县水力局", "", "2024年底"]),
            qinghe,
            tmp_path / "out",
        )
    assert [issue.format() for issue in caught.value.issues] == ["表!E2: 未知单位“县水力局”。是否指:县水利局?"]


# --- export csv / json ------------------------------------------------------------------------


def test_export_json_is_the_task_contract(cli, hanzhong):
    run = cli("export", "json", "-o", "-")
    assert run.exit_code == 0
    assert run.json() == records(hanzhong)
    assert run.json()[21]["due"] == ["2023-06-30", "2023-12-31"]
    assert run.stderr == ""


def test_export_csv_opens_in_excel(cli, tmp_path, qinghe):
    path = tmp_path / "q.csv"
    run = cli("export", "csv", "-o", str(path), data=QINGHE)
    assert run.exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "序号,方面,措施,任务,牵头单位,责任单位,完成时限,到期日,持续推进"
    assert lines[2].startswith("2,水资源保护,加强饮用水水源地保护,")
    assert lines[2].endswith(
        ",县生态环境局,各镇人民政府、县水利局、等县级有关部门,2024年3月、6月、9月、12月底,"
        "2024-03-31、2024-06-30、2024-09-30、2024-12-31,否"
    )
    assert len(lines) == 1 + len(qinghe.tasks)


def test_exports_never_overwrite_the_register(cli):
    run = cli("export", "json", "-o", str(HANZHONG / "tasks.yaml"))
    assert (run.exit_code, run.stderr) == (2, f"{HANZHONG / 'tasks.yaml'}: 不能写入登记册文件本身;请换一个输出路径\n")


def test_join_of_every_exported_cell_splits_back(hanzhong, qinghe):
    from deviation_cli.domain.units import split_unit_list

    for register in (hanzhong, qinghe):
        units = directory(register)
        for task in register.tasks:
            assert split_unit_list(join_unit_list(task.responsible, units), units) == list(task.responsible)


def test_export_commands_have_help_with_an_example(cli):
    for args in (
        ("export", "xlsx"),
        ("export", "ics"),
        ("export", "csv"),
        ("export", "json"),
        ("import", "xlsx"),
        ("import", "csv"),
    ):
        run = cli(*args, "--help")
        assert run.exit_code == 0
        assert "Example: deviation " + " ".join(args) in run.stdout
    assert json.loads(cli("export", "json", "-o", "-", data=QINGHE).stdout)[3]["id"] == 4


def test_import_csv_points_a_workbook_to_import_xlsx(cli, tmp_path, hanzhong_xlsx):
    run = cli("import", "csv", str(hanzhong_xlsx), "-o", str(tmp_path / "x"))
    assert (run.exit_code, run.stderr) == (
        2,
        f"{hanzhong_xlsx}: 这是 Excel 工作簿,不是 CSV;请用 deviation import xlsx\n",
    )


def test_blank_id_and_a_table_without_rows(qinghe):
    reading = read_table(
        grid(HEADER, ["", "水资源保护", "加强饮用水水源地保护", "甲", "县水利局", "", "2024年底"]), qinghe
    )
    assert [issue.format() for issue in reading.issues] == ["表!A2: “序号”为空"]
    assert [issue.format() for issue in read_table(grid(["题"], HEADER), qinghe).issues] == [
        "表!A1: 标题“题”与当前登记册“清河县2024年河湖长制重点工作任务”不同;文件信息、方面和改进措施仍取自当前登记册",
        "表: 表格中没有任务行",
    ]


def test_import_csv_reads_excels_unicode_text(cli, tmp_path, qinghe):
    """Excel's "Unicode text" is UTF-16 with tabs between cells."""
    rows = [HEADER] + [
        [
            str(c)
            for c in (
                t.id,
                qinghe.dimension_of(t).name,
                qinghe.measure_of(t).title,
                t.text,
                t.lead,
                join_unit_list(t.responsible, directory(qinghe)),
                t.deadline,
            )
        ]
        for t in qinghe.tasks
    ]
    path = tmp_path / "unicode.txt"
    path.write_bytes("\r\n".join("\t".join(row) for row in rows).encode("utf-16"))
    out = tmp_path / "out"
    assert cli("import", "csv", str(path), "-o", str(out), data=QINGHE).exit_code == 0
    assert records(load_register(out)) == records(qinghe)


def test_import_problems_in_english(cli, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "序号,管控,改进措施,具体任务,牵头部门,责任单位,完成时限\n"
        "1,水资源保护,加强饮用水水源地保护,甲,县水力局,,2024年底\n",
        encoding="utf-8",
    )
    run = cli("--lang", "en", "import", "csv", str(path), "-o", str(tmp_path / "out"), data=QINGHE)
    assert (run.exit_code, run.stderr) == (1, "t.csv!E2: unknown unit '县水力局'; did you mean: 县水利局?\n")


# --- found by tests/test_properties.py ----------------------------------------------------------


def _one_task_register(folder, title="清河计划", text="任务一"):
    from support.register_strategy import yaml_str

    folder.mkdir()
    (folder / "units.yaml").write_text(
        "units:\n  - name: 甲局\n    kind: department\n  - name: 乙局\n    kind: department\n", encoding="utf-8"
    )
    (folder / "tasks.yaml").write_text(
        f"document:\n  title: {yaml_str(title)}\n  written: 2023-01-01\ndimensions:\n  - key: d\n    name: 方面\n"
        "measures:\n  - number: 1\n    dimension: d\n    title: 措施\n"
        f"tasks:\n  - id: 1\n    measure: 1\n    text: {yaml_str(text)}\n    lead: 甲局\n    responsible: [乙局]\n    deadline: 2023年底\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "title, text",
    [
        ("计划\n# evil: 1", "任务一_x0041_"),  # a line break in a comment, OOXML's own escape
        ("计划\u2028", "任务\ufeff一"),  # what YAML may not hold raw in a double-quoted scalar
        ("计划", "=1+1 任务"),
        ("计划", "'=1+1 任务"),
        ("计划", "@任务"),  # formulas stay text, a ' stays a '
    ],
)
def test_round_trip_of_control_characters_and_formulas(cli, tmp_path, kind, title, text):
    data = _one_task_register(tmp_path / "register", title, text)
    table, out = tmp_path / f"t.{kind}", tmp_path / "out"
    assert cli("export", kind, "-o", str(table), data=data).exit_code == 0
    run = cli("import", kind, str(table), "-o", str(out), data=data)
    assert run.exit_code == 0, run.stderr
    assert load_register(out).task(1).text == text
    assert load_register(out).document.title == title
    assert cli("validate", str(out)).exit_code == 0


def test_csv_import_keeps_quotes_inside_a_task_text(cli, tmp_path):
    text = '!A¥\nõ|ñ_Rb<x-evil a="1">0(任务226)'
    data = _one_task_register(tmp_path / "register", "计划", text)
    table, out = tmp_path / "t.csv", tmp_path / "out"
    assert cli("export", "csv", "-o", str(table), data=data).exit_code == 0
    assert cli("import", "csv", str(table), "-o", str(out), data=data).exit_code == 0
    assert load_register(out).task(1).text == text


def test_a_list_ending_with_a_suffixed_unit_splits_back(tmp_path):
    from deviation_cli.domain.query import directory
    from deviation_cli.domain.units import join_unit_list, split_unit_list

    folder = _one_task_register(tmp_path / "register")
    (folder / "units.yaml").write_text(
        "shared_suffixes: [管委会]\nunits:\n"
        + "".join(f"  - name: {name}\n    kind: zone\n" for name in ("甲局", "乙局", "丙管委会")),
        encoding="utf-8",
    )
    units = directory(load_register(folder))
    entries = ["乙局", "丙管委会"]  # one without 管委会, the last with it: not 乙局管委会
    assert split_unit_list(join_unit_list(entries, units), units) == entries
