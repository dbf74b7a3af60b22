"""Every sentence the tool says about a problem, in Chinese (default) and English.

Why one catalog: an issue is data (a code and its arguments) until it is shown,
so the same problem reads the same in text, JSON and CI annotations, in
either language, and tests can assert the exact words.
"""

from __future__ import annotations

import unicodedata
from typing import Any

CATALOG: dict[str, tuple[str, str]] = {
    # reading the file
    "missing_folder": (
        "找不到登记册目录 {folder}",
        "register folder {folder} does not exist",
    ),
    "not_a_folder": ("{folder} 不是目录", "{folder} is not a folder"),
    "missing_file": (
        "找不到 {file}:登记册目录应包含 tasks.yaml 和 units.yaml",
        "{file} is missing: a register folder holds tasks.yaml and units.yaml",
    ),
    "unreadable_folder": ("无法读取登记册目录 {folder}:{reason}", "cannot read register folder {folder}: {reason}"),
    "unreadable_file": ("无法读取文件:{reason}", "cannot read the file: {reason}"),
    "file_too_large": (
        "文件有 {size} 字节,超过上限 {limit} 字节(可用环境变量 DEVIATION_MAX_BYTES 调整)",
        "the file has {size} bytes, over the limit of {limit} (set DEVIATION_MAX_BYTES to change it)",
    ),
    "encoding_gbk": (
        "文件不是 UTF-8 编码,看起来是 GBK/GB18030(Windows 中文默认编码)。"
        "请用记事本“另存为”并选择编码 UTF-8,或运行 iconv -f GB18030 -t UTF-8 原文件 > 新文件",
        "the file is not UTF-8; it looks like GBK/GB18030 (the Chinese Windows default). "
        "Re-save it as UTF-8 (Notepad: Save As, Encoding: UTF-8) or run "
        "iconv -f GB18030 -t UTF-8 old > new",
    ),
    "encoding_utf16": (
        "文件是 UTF-16 编码,请另存为 UTF-8",
        "the file is UTF-16; re-save it as UTF-8",
    ),
    "encoding_not_utf8": (
        "文件不是有效的 UTF-8 编码,请另存为 UTF-8",
        "the file is not valid UTF-8; re-save it as UTF-8",
    ),
    "nul_character": (
        "文件中有空字符(NUL),可能已损坏或不是文本文件",
        "NUL character: the file is damaged or not text",
    ),
    "bom_mid_file": (
        "文件中间有字节顺序标记(BOM,U+FEFF),可能是拼接文件时带入的,请删除",
        "byte order mark (U+FEFF) in mid-file, probably left by joining files; delete it",
    ),
    "tab_indent": (
        "用制表符(Tab)缩进;YAML 只能用空格缩进",
        "tab used for indentation; YAML indents with spaces only",
    ),
    "yaml_syntax": ("YAML 语法错误:{problem}", "YAML syntax error: {problem}"),
    "yaml_unclosed_quote": (
        "引号没有闭合:从这里开始的引号直到文件结尾都没有对应的结束引号",
        "unclosed quote: the quote opened here is never closed",
    ),
    "yaml_colon_in_value": (
        "此处不能出现“键: 值”:可能是缩进不对,或文字中含有“: ”(请给这段文字加引号)",
        "a 'key: value' is not allowed here: check the indentation, or quote text that contains ': '",
    ),
    "yaml_too_deep": (
        "嵌套层数过深;登记册只需要几层",
        "nested too deeply; a register needs only a few levels",
    ),
    "yaml_missing_colon": ("缺少冒号“:”", "a ':' is missing"),
    "yaml_bad_indent": (
        "缩进不一致:同一层的项目应对齐({problem})",
        "inconsistent indentation: items of one level must line up ({problem})",
    ),
    "key_not_text": ("键必须是文字", "a key must be plain text"),
    "duplicate_key": (
        "键“{key}”重复(第 {first} 行已有);后一个会覆盖前一个,造成数据丢失",
        "key '{key}' repeated (first at line {first}); the later value would silently replace the earlier",
    ),
    "anchor": (
        "不允许使用锚点 &{anchor};登记册每处都应写出完整内容",
        "anchor &{anchor} is not allowed; a register writes every value out",
    ),
    "alias": (
        "不允许使用别名 *{anchor};登记册每处都应写出完整内容",
        "alias *{anchor} is not allowed; a register writes every value out",
    ),
    "yaml_tag": (
        "不允许使用标签 {tag};登记册只含普通文字、列表和映射",
        "tag {tag} is not allowed; a register holds plain text, lists and mappings only",
    ),
    "several_documents": (
        "文件中有多个 YAML 文档(---);只能有一个",
        "more than one YAML document (---) in the file; a register file holds one",
    ),
    "file_empty": ("文件是空的", "the file is empty"),
    # schema
    "missing_field": ("缺少必填字段“{field}”", "required field '{field}' is missing"),
    "unknown_field": ("未知字段“{field}”{hint}", "unknown field '{field}'{hint}"),
    "expected_text": ("“{field}”应为文字", "'{field}' should be text"),
    "expected_list": ("“{field}”应为列表", "'{field}' should be a list"),
    "expected_mapping": ("“{field}”应为映射(键: 值)", "'{field}' should be a mapping (key: value)"),
    "empty_text": ("“{field}”不能为空", "'{field}' must not be empty"),
    "bad_number": (
        "“{field}”应为正整数,而不是“{value}”",
        "'{field}' should be a positive whole number, not '{value}'",
    ),
    "bad_date": (
        "“{value}”不是真实日期(格式 YYYY-MM-DD)",
        "'{value}' is not a real date (YYYY-MM-DD)",
    ),
    "bad_choice": (
        "“{field}”应为 {choices} 之一,而不是“{value}”",
        "'{field}' should be one of {choices}, not '{value}'",
    ),
    "schema_other": ("“{field}”:{detail}", "'{field}': {detail}"),
    # cross-record rules
    "duplicate_id": (
        "序号 {id} 重复(第 {first} 行已有)",
        "task id {id} repeated (first at line {first})",
    ),
    "duplicate_dimension": (
        "方面“{key}”重复(第 {first} 行已有)",
        "dimension '{key}' repeated (first at line {first})",
    ),
    "duplicate_measure": (
        "改进措施第 {number} 条重复(第 {first} 行已有)",
        "measure {number} repeated (first at line {first})",
    ),
    "unknown_dimension": (
        "没有方面“{key}”{hint}",
        "no dimension '{key}'{hint}",
    ),
    "unknown_measure": ("没有第 {number} 条改进措施", "no measure number {number}"),
    "duplicate_unit": (
        "单位名称“{name}”重复(第 {first} 行已有)",
        "unit name '{name}' repeated (first at line {first})",
    ),
    "unknown_unit": ("未知单位“{name}”{hint}", "unknown unit '{name}'{hint}"),
    "unit_name_spacing": (
        "单位“{name}”含有空格、全角/半角差异或不可见字符;应写作“{clean}”",
        "unit '{name}' has spaces, full/half-width variants or invisible characters; write '{clean}'",
    ),
    "several_units_in_one": (
        "“{name}”写了多个单位;每个单位单独一项:[{parts}]",
        "'{name}' names several units; give each its own entry: [{parts}]",
    ),
    "lead_is_group": (
        "牵头部门应为一个单位,而“{name}”是单位组",
        "the lead must be one unit, but '{name}' is a group",
    ),
    "open_tail_not_open": (
        "“等{name}”只能用于开放式单位组,而“{name}”不是",
        "'等{name}' only goes with an open group, and '{name}' is not one",
    ),
    "responsible_repeated": (
        "责任单位“{name}”重复列出",
        "responsible unit '{name}' listed twice",
    ),
    "group_member_unknown": (
        "单位组成员“{name}”不是已定义的单位{hint}",
        "group member '{name}' is not a defined unit{hint}",
    ),
    "group_needs_members": (
        "封闭式单位组“{name}”必须列出成员(或标明 open: true)",
        "closed group '{name}' must list its members (or say open: true)",
    ),
    "deadline_empty": ("完成时限为空", "the deadline is empty"),
    "deadline_unparsed": (
        "无法理解完成时限“{wording}”;可写 2023年6月底、2023年6月30日、2023年底、"
        "2023年上半年、2023年6月、12月底、持续推进 或 2023-06-30",
        "cannot read the deadline '{wording}'; write e.g. 2023年6月底, 2023年6月30日, "
        "2023年底, 2023年上半年, 2023年6月、12月底, 持续推进 or 2023-06-30",
    ),
    "deadline_unparsed_at": (
        "无法理解完成时限“{wording}”(在“{rest}”处);可写 2023年6月底、2023年6月30日、2023年底、"
        "2023年上半年、2023年6月、12月底、持续推进 或 2023-06-30",
        "cannot read the deadline '{wording}' (at '{rest}'); write e.g. 2023年6月底, 2023年6月30日, "
        "2023年底, 2023年上半年, 2023年6月、12月底, 持续推进 or 2023-06-30",
    ),
    "deadline_bad_month": (
        "完成时限“{wording}”中没有 {month} 月;月份应在 1 到 12 之间",
        "deadline '{wording}' names month {month}; months run from 1 to 12",
    ),
    "deadline_bad_date": (
        "完成时限“{wording}”中的 {value} 不是真实日期",
        "deadline '{wording}': {value} is not a real date",
    ),
    "deadline_no_year": (
        "完成时限“{wording}”缺少年份",
        "deadline '{wording}' has no year",
    ),
    "deadline_month_without_day": (
        "完成时限“{wording}”中 {month} 月缺少“底”或具体日期",
        "deadline '{wording}': month {month} needs 底 (month end) or a day",
    ),
    # warnings: the register loads, but a reviewer would ask
    "unit_unused": (
        "单位“{name}”已定义,但没有任何任务或单位组用到它",
        "unit '{name}' is defined but no task or group uses it",
    ),
    "group_unused": (
        "单位组“{name}”已定义,但没有任何任务用到它",
        "group '{name}' is defined but no task uses it",
    ),
    "deadline_before_written": (
        "完成时限“{wording}”中的 {date} 早于方案成文日期 {written}",
        "deadline '{wording}': {date} is before the plan was written ({written})",
    ),
    "deadline_far_future": (
        "完成时限“{wording}”中的 {date} 比成文日期晚 {years} 年以上,是否写错了年份?",
        "deadline '{wording}': {date} is more than {years} years after the plan was written; is the year right?",
    ),
    "lead_also_responsible": (
        "牵头部门“{name}”又列在责任单位中",
        "the lead '{name}' is also listed as responsible",
    ),
    "responsible_in_group": (
        "责任单位“{name}”已包含在同一任务的“{group}”中",
        "responsible unit '{name}' is already covered by '{group}' in the same task",
    ),
    "duplicate_task_text": (
        "第 {id} 项的具体任务与第 {first} 项完全相同",
        "task {id} has the same text as task {first}",
    ),
    "task_out_of_order": (
        "序号 {id} 排在序号 {previous} 之后;任务应按序号排列",
        "task {id} comes after task {previous}; tasks should be in id order",
    ),
    "measure_without_tasks": (
        "第 {number} 条改进措施“{title}”没有任何任务",
        "measure {number} '{title}' has no tasks",
    ),
    "dimension_without_measures": (
        "方面“{name}”({key})没有任何改进措施",
        "dimension '{name}' ({key}) has no measures",
    ),
    # writing files
    "output_is_register": (
        "不能写入登记册文件本身;请换一个输出路径",
        "refusing to overwrite a register file; choose another output path",
    ),
    "output_folder_missing": (
        "输出目录 {folder} 不存在",
        "output folder {folder} does not exist",
    ),
    "output_is_folder": ("输出路径是一个目录;请给出文件名", "the output path is a folder; name a file"),
    "output_unwritable": ("无法写入:{reason}", "cannot write: {reason}"),
    # exchange: import of a table, export of files
    "import_no_header": (
        "找不到表头行;任务分解表应有 {labels} 这样的表头",
        "no header row found; a task table has a header like {labels}",
    ),
    "import_missing_column": ("表头缺少“{label}”列", "the header has no '{label}' column"),
    "import_empty_cell": ("“{label}”为空", "'{label}' is empty"),
    "import_bad_id": ("序号应为正整数,而不是“{value}”", "序号 should be a positive whole number, not '{value}'"),
    "import_duplicate_id": ("序号 {id} 重复({first} 已有)", "task id {id} repeated (first at {first})"),
    "import_unknown_dimension": (
        "管控“{name}”不在当前登记册中{hint}(新的方面请先加入 tasks.yaml)",
        "dimension '{name}' is not in the current register{hint} (add a new one to tasks.yaml first)",
    ),
    "import_unknown_measure": (
        "改进措施“{name}”不在当前登记册中{hint}(新的改进措施请先加入 tasks.yaml)",
        "measure '{name}' is not in the current register{hint} (add a new one to tasks.yaml first)",
    ),
    "import_measure_dimension": (
        "改进措施“{name}”属于“{expected}”,而该行的管控是“{dimension}”",
        "measure '{name}' belongs to '{expected}', but the row's dimension is '{dimension}'",
    ),
    "import_no_tasks": ("表格中没有任务行", "the table has no task rows"),
    "import_title_differs": (
        "标题“{title}”与当前登记册“{expected}”不同;文件信息、方面和改进措施仍取自当前登记册",
        "title '{title}' differs from the current register's '{expected}'; "
        "document details, dimensions and measures are still taken from the current register",
    ),
    "import_target_exists": (
        "目录中已有登记册文件({files});不会覆盖,除非加 --force",
        "the folder already holds a register ({files}); it is not overwritten without --force",
    ),
    "import_not_xlsx": (
        "不是 Excel 工作簿(.xlsx);旧式 .xls 或 WPS .et 文件请先另存为 .xlsx,或另存为 CSV 后用 import csv",
        "not an Excel workbook (.xlsx); save an old .xls or WPS .et file as .xlsx, or as CSV for import csv",
    ),
    "import_csv_is_xlsx": (
        "这是 Excel 工作簿,不是 CSV;请用 deviation import xlsx",
        "this is an Excel workbook, not CSV; use deviation import xlsx",
    ),
    "import_no_sheet": ("没有工作表“{sheet}”;工作表有:{sheets}", "no sheet '{sheet}'; the sheets are: {sheets}"),
    "import_done": (
        "已从 {source} 导入 {count} 项任务到 {folder}(tasks.yaml、units.yaml)",
        "imported {count} tasks from {source} into {folder} (tasks.yaml, units.yaml)",
    ),
    "export_written": ("已写入 {file}:{what}", "wrote {file}: {what}"),
    "arg_bad_alarms": (
        "--alarms 应为提前天数,用逗号分隔(如 7,3),或 none;而不是“{value}”",
        "--alarms takes days before, comma-separated (e.g. 7,3), or none; not '{value}'",
    ),
    # documents and templates (render, site)
    "templates_folder_missing": ("找不到模板目录 {folder}", "template folder {folder} does not exist"),
    "template_missing": ("找不到模板 {name}", "template {name} not found"),
    "template_syntax": ("模板语法错误:{problem}", "template syntax error: {problem}"),
    "template_undefined": (
        "模板 {name} 用到了不存在的变量或字段:{problem}",
        "template {name} uses a variable or field that does not exist: {problem}",
    ),
    "template_unsafe": (
        "模板 {name} 试图访问不允许的内部属性:{problem}",
        "template {name} tried to reach a forbidden internal attribute: {problem}",
    ),
    "template_error": ("模板 {name} 出错:{problem}", "template {name} failed: {problem}"),
    "render_needs_issuer": (
        "登记册没有写发文机关(document.source);请用 --issuer 给出",
        "the register names no issuing office (document.source); give one with --issuer",
    ),
    "render_needs_unit": ("{kind} 需要 --unit 指明单位(或用 --all-units)", "{kind} needs --unit (or --all-units)"),
    "render_unit_not_used": ("{kind} 不按单位生成,请去掉 --unit", "{kind} is not per unit; drop --unit"),
    "render_all_units_kind": (
        "--all-units 只用于 notice 和 unit,而不是 {kind}",
        "--all-units goes with notice or unit, not {kind}",
    ),
    "render_all_units_needs_output": (
        "--all-units 需要 -o 目录,每个单位写一个文件",
        "--all-units needs -o DIR: one file per unit is written there",
    ),
    "render_all_units_and_unit": ("--all-units 与 --unit 不能同时使用", "--all-units and --unit exclude each other"),
    # command-line arguments
    "date_format": (
        "“{value}”不是日期;请写 YYYY-MM-DD,例如 2023-07-31",
        "'{value}' is not a date; write YYYY-MM-DD, e.g. 2023-07-31",
    ),
    "date_not_real": ("{value} 不是真实日期", "{value} is not a real date"),
    "arg_unknown_unit": ("没有单位“{name}”{hint}", "no unit '{name}'{hint}"),
    "arg_ambiguous_unit": (
        "“{name}”可指多个单位:{candidates};请写完整",
        "'{name}' could be any of {candidates}; be more specific",
    ),
    "arg_unknown_dimension": ("没有方面“{name}”{hint}", "no dimension '{name}'{hint}"),
    "arg_unknown_measure": ("没有改进措施“{name}”{hint}", "no measure '{name}'{hint}"),
    "arg_unknown_task": ("没有序号为 {id} 的任务{hint}", "no task with id {id}{hint}"),
    "arg_bad_choice": (
        "{option} 应为 {choices} 之一,而不是“{value}”",
        "{option} should be one of {choices}, not '{value}'",
    ),
    # progress reports and indicators (tracking)
    "progress_missing": ("找不到进度报告文件 {file}", "progress file {file} does not exist"),
    "progress_unknown_task": (
        "没有序号为 {id} 的任务(序号为 {first}–{last})",
        "no task with id {id} (ids run {first}–{last})",
    ),
    "progress_unit_is_group": (
        "“{name}”是单位组;进度报告应由具体单位填报",
        "'{name}' is a group; a progress report comes from one unit",
    ),
    "progress_unit_not_on_task": (
        "{name} 不是第 {id} 项任务的牵头部门或责任单位",
        "{name} neither leads nor shares task {id}",
    ),
    "progress_postponed_no_deadline": (
        "第 {id} 项任务报告“延期”,但没有写经批准的新时限(new_deadline)",
        "task {id} is reported 延期 (postponed) without an approved new_deadline",
    ),
    "progress_deadline_not_after": (
        "新时限 {new} 应晚于报告日期 {date}",
        "the new deadline {new} should be after the report date {date}",
    ),
    "progress_append_unsafe": (
        "无法安全追加:文件应以块格式的 reports: 列表结尾(每条报告以“- task:”开头);未作任何修改",
        "cannot append safely: the file must end with its block-style reports: list "
        "(each report starting '- task:'); nothing was changed",
    ),
    "arg_bad_status": (
        "状态应为 {choices} 之一(或 {aliases}),而不是“{value}”",
        "the status should be one of {choices} (or {aliases}), not '{value}'",
    ),
    "arg_unit_is_group": (
        "“{name}”是单位组;请写出填报的具体单位",
        "'{name}' is a group; name the one unit that reports",
    ),
    "arg_deadline_not_after": (
        "--new-deadline {new} 应晚于报告日期 {date}",
        "--new-deadline {new} should be after the report date {date}",
    ),
    "arg_bad_link": ("佐证链接“{value}”中不能有空格", "the evidence link '{value}' must not contain spaces"),
    "arg_bad_rule": (
        "排名规则“{value}”无法理解;请写 名称:权重,…,名称取 {parts},例如 on_time:0.5,completion:0.3,reporting:0.2",
        "cannot read the ranking rule '{value}'; write name:weight,… with names from {parts}, "
        "e.g. on_time:0.5,completion:0.3,reporting:0.2",
    ),
    "arg_bad_number": ("{option} 应为非负整数,而不是“{value}”", "{option} should be a whole number ≥ 0, not '{value}'"),
    "bad_decimal": ("“{field}”应为数字,而不是“{value}”", "'{field}' should be a number, not '{value}'"),
    "indicator_duplicate": ("指标“{key}”重复", "indicator '{key}' repeated"),
    "indicator_unknown": ("没有指标“{key}”{hint}", "no indicator '{key}'{hint}"),
    "indicators_missing": ("找不到指标文件 {file}", "indicators file {file} does not exist"),
    "observations_missing": ("找不到观测值文件 {file}", "observations file {file} does not exist"),
    "schema_needs_target": (
        "请指定 tasks 或 units(打印到标准输出),或用 --output DIR 写出两个文件",
        "name tasks or units (printed to stdout), or give --output DIR to write both files",
    ),
    "diff_unknown_version": (
        "“{spec}”既不是登记册目录,也不是 {folder} 所在 git 仓库中的版本",
        "'{spec}' is neither a register folder nor a revision of the git repository holding {folder}",
    ),
    "diff_not_in_git": (
        "“{spec}”不是目录,而 {folder} 不在 git 仓库中,无法按版本读取",
        "'{spec}' is not a folder, and {folder} is not in a git repository to read revisions from",
    ),
    "diff_no_git": ("无法运行 git:{reason}", "cannot run git: {reason}"),
    "diff_missing_in_revision": (
        "版本 {revision} 中没有 {file}",
        "revision {revision} has no {file}",
    ),
    "diff_failed_on": (
        "存在 --fail-on 所列的变更:{counts}",
        "changes listed in --fail-on are present: {counts}",
    ),
    "arg_range_empty": (
        "--after {after} 晚于 --before {before}",
        "--after {after} is later than --before {before}",
    ),
}

_HINT_PREFIX = ("。是否指:", "; did you mean: ")
_HINT_JOIN = ("、", ", ")


def suggestion_hint(candidates: list[str], lang: str) -> str:
    """The 'did you mean' tail added to a message, empty when there is nothing close."""
    if not candidates:
        return ""
    index = 0 if lang == "zh" else 1
    return _HINT_PREFIX[index] + _HINT_JOIN[index].join(candidates) + ("?" if lang == "zh" else "?")


#: Longest piece of the user's own text repeated in a message.
MAX_QUOTED_CHARS = 120
#: Arguments that name files the user chose: shown whole, however long the path.
_PATHS = frozenset({"file", "folder"})


def quoted(value: Any) -> Any:
    """A piece of the user's text made safe and short enough to repeat in a message.

    Why: a message quotes what the file says. Invisible characters (U+200B,
    U+FEFF, bidi controls) must show, or "unit '市审计局' is unknown" reads
    as nonsense; control characters (ESC from a YAML "\\e") must not reach the
    terminal; and a megabyte-long value must not be printed back in full.
    """
    if not isinstance(value, str):
        return value
    shown = "".join(
        f"<U+{ord(char):04X}>" if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in value[:MAX_QUOTED_CHARS]
    )
    if len(value) > MAX_QUOTED_CHARS:
        shown += f"…(+{len(value) - MAX_QUOTED_CHARS})"
    return shown


def render_message(code: str, args: dict[str, Any], lang: str = "zh") -> str:
    templates = CATALOG.get(code)
    if templates is None:
        return f"{code}: {args}"
    values = {key: value if key in _PATHS else quoted(value) for key, value in args.items()}
    if "suggestions" in values:
        values["hint"] = suggestion_hint(values.pop("suggestions"), lang)
    values.setdefault("hint", "")
    template = templates[0] if lang == "zh" else templates[1]
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template
