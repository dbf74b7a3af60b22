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
    "yaml_too_deep": (
        "嵌套层数过深;登记册只需要几层",
        "nested too deeply; a register needs only a few levels",
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
