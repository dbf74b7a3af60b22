"""Three made-up plans of the shapes staff receive, written as .docx, .xlsx and .txt for `deviation init`.

- ``county_report``: a county's 政府工作报告 split: 序号 / 类别 / 任务内容 / 牵头领导 / 责任单位 /
  完成时限, under a notice (发文字号, 主送机关, cover letter, signature, date); the table's header
  is not on its first row and 类别 is merged down its rows.
- ``district_table``: a district's four-level table (一、 → (一) → 1. → task) with co-leads,
  配合单位, 时间节点 and 备注; the headings 一、 and (一) are rows merged across the table, 重点任务
  is merged down, and the table goes on over a page break with its header repeated.
- ``city_measures``: a city's measures in paragraph form, each ending in (…牵头,…负责), with no
  deadline at all; 总体要求 and 保障措施 hold no task.

Each ``Plan`` knows its rows once; the writers lay them out as each kind of file does. The
sources use full-width punctuation, as documents do; the register keeps NFKC (half-width).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Row:
    id: int
    outer: tuple[str, ...]  # the headings above the task, outermost first, numbered as the plan numbers them
    text: str
    lead: str
    responsible: str
    deadline: str = ""
    remark: str = ""


@dataclass(frozen=True)
class Plan:
    name: str
    title: str
    header: tuple[str, ...]  # the table's columns: 序号, the level columns, then task, lead, ...
    rows: tuple[Row, ...]
    notice: tuple[str, ...] = ()  # the lines before the plan: notice title, 发文字号, 主送机关, letter, signature, date
    row_levels: int = 0  # how many of the outer headings are rows across the table (the rest are columns)
    text_labels: tuple[str, ...] = ()  # the line labels of the list form (lead, responsible, deadline, remark)
    paragraphs: bool = False  # the paragraph form: (…牵头,…负责) closes each task
    before: tuple[str, ...] = ()  # parts of the body before the tasks' part (总体要求), heading then text
    after: tuple[str, ...] = ()  # parts after it (保障措施)
    tasks_heading: str = ""  # the part the tasks are in (二、政策措施), where the text has one
    page_break_after: int = 0  # the table goes on in a second table after this many task rows
    extra: dict[str, str] = field(default_factory=dict)


COUNTY_REPORT = Plan(
    name="county_report",
    title="青山县2023年政府工作报告重点工作任务分解",
    header=("序号", "类别", "任务内容", "牵头领导", "责任单位", "完成时限"),
    notice=(
        "青山县人民政府办公室关于印发《青山县2023年政府工作报告重点工作任务分解》的通知",
        "青政办发〔2023〕3号",
        "各镇人民政府，县政府各工作部门：",
        "《青山县2023年政府工作报告重点工作任务分解》已经县政府同意，现印发给你们，请认真抓好落实。",
        "青山县人民政府办公室",
        "2023年2月20日",
    ),
    rows=(
        Row(1, ("一、经济发展",), "全年地区生产总值增长6%以上。", "王强常务副县长", "县发改局、县统计局", "2023年底"),
        Row(
            2,
            ("一、经济发展",),
            "实施重点项目60个，完成投资120亿元。",
            "王强常务副县长",
            "县发改局、各镇",
            "2023年12月31日",
        ),
        Row(3, ("二、城乡建设",), "完成城关镇老旧小区改造12个。", "张明副县长", "县住建局、城关镇", "2023年9月底"),
        Row(4, ("二、城乡建设",), "新建农村公路50公里。", "张明副县长", "县交通运输局、各镇", "2023年10月底"),
        Row(5, ("三、民生保障",), "城镇新增就业2000人。", "李华副县长", "县人社局", "持续推进"),
        Row(
            6, ("三、民生保障",), "新建公办幼儿园3所。", "李华副县长", "县教育局、县财政局等县直有关部门", "2023年8月底"
        ),
    ),
    text_labels=("牵头领导", "责任单位", "完成时限"),
)

DISTRICT_TABLE = Plan(
    name="district_table",
    title="东湖区2023年优化营商环境重点任务分解表",
    header=("序号", "重点任务", "具体措施", "牵头单位", "配合单位", "时间节点", "备注"),
    row_levels=2,
    rows=(
        Row(
            1,
            ("一、优化政务服务", "（一）深化“放管服”改革", "1.深化商事制度改革"),
            "推行企业开办“一网通办”，开办时间压缩至1个工作日。",
            "区市场监管局、区行政审批局",
            "区税务局、区人社局",
            "2023年6月底",
            "与省政务服务平台对接",
        ),
        Row(
            2,
            ("一、优化政务服务", "（一）深化“放管服”改革", "1.深化商事制度改革"),
            "推进“证照分离”改革全覆盖。",
            "区市场监管局",
            "区直有关部门",
            "2023年底",
        ),
        Row(
            3,
            ("一、优化政务服务", "（一）深化“放管服”改革", "2.提升政务服务效能"),
            "政务服务事项全部实现“一窗通办”。",
            "区行政审批局",
            "各街道",
            "2023年9月底",
        ),
        Row(
            4,
            ("一、优化政务服务", "（二）优化要素保障", "1.强化用地保障"),
            "新增工业用地500亩。",
            "区自然资源局",
            "东湖高新区管委会",
            "2023年底",
        ),
        Row(
            5,
            ("二、优化市场环境", "（一）加强市场监管", "1.规范涉企收费"),
            "开展涉企收费专项检查。",
            "区发改局、区市场监管局",
            "区财政局等相关单位",
            "2023年6月30日",
            "每季度报送进展",
        ),
        Row(
            6,
            ("二、优化市场环境", "（一）加强市场监管", "1.规范涉企收费"),
            "建立企业诉求“直通车”制度。",
            "区工商联",
            "区融媒体中心、区供电公司",
            "持续推进",
        ),
    ),
    text_labels=("牵头单位", "配合单位", "时间节点", "备注"),
    page_break_after=3,
)

CITY_MEASURES = Plan(
    name="city_measures",
    title="临川市2023年稳经济促增长若干政策措施",
    header=("序号", "方面", "政策措施", "牵头单位", "责任单位"),
    notice=(
        "临川市人民政府关于印发《临川市2023年稳经济促增长若干政策措施》的通知",
        "临政发〔2023〕8号",
        "各县区人民政府，市政府各工作部门、直属机构：",
        "现将《临川市2023年稳经济促增长若干政策措施》印发给你们，请结合实际认真贯彻落实。",
        "临川市人民政府",
        "2023年4月6日",
    ),
    paragraphs=True,
    before=("一、总体要求", "坚持稳字当头、稳中求进，推动经济运行整体好转。"),
    tasks_heading="二、政策措施",
    after=("三、保障措施", "（一）加强组织领导。各县区、各部门要高度重视，细化工作举措。"),
    rows=(
        Row(
            1,
            ("（一）财政金融政策",),
            "加快财政支出进度，确保年度预算按时序拨付。",
            "市财政局",
            "各县区政府按职责分工负责",
        ),
        Row(
            2,
            ("（一）财政金融政策",),
            "加大普惠小微贷款投放力度。",
            "市金融办、人民银行临川市中心支行",
            "各县区政府负责",
        ),
        Row(
            3,
            ("（二）产业发展政策",),
            "支持重点产业链企业扩产增效。",
            "市工信局",
            "市发改委、市商务局等市直有关部门配合",
        ),
        Row(4, ("（二）产业发展政策",), "开展“稳岗留工”专项行动。", "", "各县区政府负责"),
        Row(5, ("（二）产业发展政策",), "组织企业参加各类展会。", "市商务局", "市贸促会、各县区政府配合"),
    ),
)

PLANS = (COUNTY_REPORT, DISTRICT_TABLE, CITY_MEASURES)


# --- text (a web page copied as text; also the body of the Word documents without a table) ---------------


def text_lines(plan: Plan) -> list[str]:
    """The plan as a government web page shows it, one paragraph a line."""
    lines = [*plan.notice, plan.title, *plan.before]
    if plan.tasks_heading:
        lines.append(plan.tasks_heading)
    open_headings: tuple[str, ...] = ()
    for row in plan.rows:
        for depth, heading in enumerate(row.outer):
            if open_headings[: depth + 1] != row.outer[: depth + 1]:
                lines.append(_heading_line(heading))
        open_headings = row.outer
        if plan.paragraphs:
            units = "，".join(part for part in (f"{row.lead}牵头" if row.lead else "", row.responsible) if part)
            lines.append(f"{row.id}.{row.text}（{units}）")
            continue
        number = f"（{row.id - _first_under(plan, row) + 1}）" if len(row.outer) == 3 else f"{row.id}."
        lines.append(f"{number}{row.text}")
        values = (row.lead, row.responsible, row.deadline, row.remark)
        lines += [f"{label}：{value}" for label, value in zip(plan.text_labels, values) if value]
    return lines + list(plan.after)


def _heading_line(heading: str) -> str:
    return heading


def _first_under(plan: Plan, row: Row) -> int:
    """The id of the first task under the same innermost heading: a list numbers (1), (2) under each 1."""
    return next(other.id for other in plan.rows if other.outer == row.outer)


def write_txt(plan: Plan, folder: Path) -> Path:
    path = folder / f"{plan.name}.txt"
    path.write_text("\n".join(text_lines(plan)) + "\n", encoding="utf-8")
    return path


# --- tables ---------------------------------------------------------------------------------------


def table_rows(plan: Plan) -> list[tuple[str, list[str]]]:
    """The table's rows after its header: ("heading", [text]) for a row across it, ("task", cells)."""
    rows: list[tuple[str, list[str]]] = []
    open_rows: tuple[str, ...] = ()
    for row in plan.rows:
        outer_rows = row.outer[: plan.row_levels]
        for depth in range(len(outer_rows)):
            if open_rows[: depth + 1] != outer_rows[: depth + 1]:
                rows.append(("heading", [outer_rows[depth]]))
        open_rows = outer_rows
        columns = [_bare(level) for level in row.outer[plan.row_levels :]]
        cells = [str(row.id), *columns, row.text, row.lead, _bare_units(row.responsible)]
        if _has_deadline(plan):
            cells.append(row.deadline)
        if "备注" in plan.header:
            cells.append(row.remark)
        rows.append(("task", cells))
    return rows


def _bare(heading: str) -> str:
    """A level column's cell: the heading as written, but 类别 and 方面 columns carry no numbering."""
    for mark in ("、", "）"):
        head, found, rest = heading.partition(mark)
        if found and len(head) <= 3 and not head[-1:].isdigit():
            return rest
    return heading


def _bare_units(text: str) -> str:
    """A table's 责任单位 cell carries no 负责/配合: the column says it."""
    for word in ("按职责分工负责", "负责", "配合"):
        text = text.removesuffix(word)
    return text


def write_xlsx(plan: Plan, folder: Path) -> Path:
    """A workbook as offices send it: a title row merged across, the header, merged level cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "任务分解表"
    width = len(plan.header)
    sheet.append([plan.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(list(plan.header))
    level_columns = len(plan.rows[0].outer) - plan.row_levels
    runs: dict[int, tuple[int, str]] = {}  # level column -> (first row of its run, text)
    tasks_written = 0
    for kind, cells in table_rows(plan):
        if kind == "task" and plan.page_break_after and tasks_written == plan.page_break_after:
            _close_runs(sheet, runs, sheet.max_row)
            sheet.append(list(plan.header))  # the header again, at the top of the printed page
        if kind == "heading":
            _close_runs(sheet, runs, sheet.max_row)
            sheet.append(cells + [""] * (width - 1))
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
            continue
        tasks_written += 1
        row_number = sheet.max_row + 1
        written = list(cells)
        for column in range(1, 1 + level_columns):
            text = cells[column]
            first = runs.get(column)
            if first is not None and first[1] == text:
                written[column] = ""  # merged below
            else:
                _close_run(sheet, column, first, row_number - 1)
                runs[column] = (row_number, text)
        sheet.append(written)
    _close_runs(sheet, runs, sheet.max_row)
    path = folder / f"{plan.name}.xlsx"
    book.save(path)
    return path


def _has_deadline(plan: Plan) -> bool:
    return "完成时限" in plan.header or "时间节点" in plan.header


def _close_runs(sheet, runs: dict[int, tuple[int, str]], last_row: int) -> None:
    for column, first in list(runs.items()):
        _close_run(sheet, column, first, last_row)
    runs.clear()


def _close_run(sheet, column: int, first: tuple[int, str] | None, last_row: int) -> None:
    if first is not None and last_row > first[0]:
        sheet.merge_cells(start_row=first[0], start_column=column + 1, end_row=last_row, end_column=column + 1)


# --- Word -----------------------------------------------------------------------------------------


def write_docx(plan: Plan, folder: Path) -> Path:
    """A Word document: the notice and title as paragraphs, then the table (or, for a plan in
    paragraph form, the body as paragraphs). Merged cells are real Word merges."""
    import docx

    document = docx.Document()
    if plan.paragraphs:
        for line in text_lines(plan):
            document.add_paragraph(line)
    else:
        for line in plan.notice:
            document.add_paragraph(line)
        document.add_paragraph("附件")
        rows = table_rows(plan)
        first_page = rows
        rest: list[tuple[str, list[str]]] = []
        if plan.page_break_after:
            tasks = 0
            for index, (kind, _) in enumerate(rows):
                tasks += kind == "task"
                if tasks == plan.page_break_after:
                    first_page, rest = rows[: index + 1], rows[index + 1 :]
                    break
        _docx_table(document, plan, first_page, title=plan.title)
        if rest:
            document.add_page_break()
            _docx_table(document, plan, rest)
    path = folder / f"{plan.name}.docx"
    document.save(str(path))
    return path


def _docx_table(document, plan: Plan, rows: list[tuple[str, list[str]]], title: str | None = None) -> None:
    """One table: the title as a first row merged across (the header is then not on the first row),
    the header, heading rows merged across, level cells merged down their runs."""
    width = len(plan.header)
    total = len(rows) + 1 + (1 if title else 0)
    table = document.add_table(rows=total, cols=width)
    index = 0
    if title:
        merged = table.cell(0, 0).merge(table.cell(0, width - 1))
        merged.text = title
        index = 1
    for column, word in enumerate(plan.header):
        table.cell(index, column).text = word
    index += 1
    level_columns = [col for col in range(1, width) if plan.header[col] in ("类别", "重点任务", "方面")]
    runs: dict[int, tuple[int, str]] = {}
    for kind, cells in rows:
        if kind == "heading":
            _merge_runs(table, runs, index - 1)
            merged = table.cell(index, 0).merge(table.cell(index, width - 1))
            merged.text = cells[0]
        else:
            for column, text in enumerate(cells):
                if column in level_columns:
                    first = runs.get(column)
                    if first is not None and first[1] == text:
                        continue  # merged with the run above
                    _merge_run(table, column, first, index - 1)
                    runs[column] = (index, text)
                table.cell(index, column).text = text
        index += 1
    _merge_runs(table, runs, index - 1)


def _merge_runs(table, runs: dict[int, tuple[int, str]], last_row: int) -> None:
    for column, first in list(runs.items()):
        _merge_run(table, column, first, last_row)
    runs.clear()


def _merge_run(table, column: int, first: tuple[int, str] | None, last_row: int) -> None:
    if first is not None and last_row > first[0]:
        merged = table.cell(first[0], column).merge(table.cell(last_row, column))
        merged.text = first[1]


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "txt": write_txt}
