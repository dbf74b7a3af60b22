"""A plan as ``deviation init`` reads it, before it is a register: the draft every source reader fills.

Readers (``plan_tables`` for tables, ``plan_text`` for numbered text) turn what
they find into a ``PlanDraft``: the document's data, the levels above the tasks,
and each task with its units exactly as the source writes them, each thing with
where it stands in the source. ``plan_intake`` then guesses what the names are
and writes the register. Nothing here reads a file or knows the YAML.

This module also holds what both readers share: the numbering of headings
(一、 → (一) → 1. → (1)), the words of the columns and lines that carry units,
and the splitting of a cell of units.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..domain.register import OPEN_TAIL_PREFIX, normalise_name
from ..domain.units import split_unit_list


@dataclass
class Note:
    """Something about the source a person should know or check: a catalog key and its values."""

    code: str
    args: dict[str, object] = field(default_factory=dict)
    where: str = ""  # in the source: plan.xlsx!C7, plan.txt:12


@dataclass
class DraftHeading:
    """A heading above tasks: one of the plan's levels, numbered as the plan numbers it."""

    key: str  # the numbering path: 1, 1.2, 1.2.3
    level: int  # 1 = outermost
    title: str
    number: str | None = None  # 一、 (一) 1.
    parent: str | None = None


@dataclass
class DraftLevel:
    """A level above the tasks: named by the plan (a column's heading) or not (numbered text)."""

    name: str | None  # the plan's word for it: 类别, 重点领域; None where the plan names none
    numbering: str | None = None  # how its headings are numbered (a NUMBERING style), where they are


@dataclass
class DraftTask:
    """One task, its words as the source writes them."""

    text: str
    where: str  # the source's place: plan.xlsx!D7, plan.txt:12
    number: str = ""  # the source's 序号 as written
    heading: str | None = None  # the key of the innermost heading it sits under
    leads: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    deadline: str | None = None
    remark: str | None = None
    notes: list[Note] = field(default_factory=list)


@dataclass
class PlanDraft:
    """Everything a reader found in one source."""

    source: str  # the file, as the user named it
    title: str | None = None
    annex_title: str | None = None  # the table's own title, where it differs from the plan's
    doc_number: str | None = None  # 发文字号
    issuer: str | None = None  # 发文机关
    publisher: str | None = None  # 发布机构
    index_no: str | None = None  # 索引号
    written: date | None = None  # 成文日期
    published: str | None = None  # 发布日期, as ISO text
    recipients: str | None = None  # 主送机关
    cover_letter: str | None = None
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, text): the body's parts without tasks
    labels: dict[str, str] = field(default_factory=dict)  # field -> the plan's word: lead -> 牵头单位
    levels: list[DraftLevel] = field(default_factory=list)
    headings: list[DraftHeading] = field(default_factory=list)
    tasks: list[DraftTask] = field(default_factory=list)
    leaders: set[str] = field(default_factory=set)  # names read where the plan names leaders (牵头领导)
    first_leads: bool = False  # the plan says the first unit named leads (列第一位的为牵头单位)
    notes: list[Note] = field(default_factory=list)  # about the source as a whole, or a part left out

    def note(self, code: str, where: str = "", **args: object) -> None:
        self.notes.append(Note(code, args, where))


# --- the words that carry units, deadlines and remarks ------------------------------------------

#: Column headings and line labels, after ``normalise_name``, and the field each stands for.
#: ``leader`` is a lead that is a person (牵头领导): a plan with both a 牵头单位 and a 牵头领导
#: column leads by the unit and keeps the leader in the remark.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "id": ("序号", "编号", "序"),
    "task": (
        "任务内容",
        "具体任务",
        "工作任务",
        "重点任务",
        "主要任务",
        "工作内容",
        "任务",
        "具体措施",
        "工作措施",
        "主要措施",
        "重点工作",
        "工作事项",
        "任务事项",
        "目标任务",
        "具体工作",
        "政策措施",
        "措施内容",
        "具体内容",
        "主要内容",
    ),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "主办单位", "牵头"),
    "leader": ("牵头领导", "责任领导", "分管领导", "牵头市领导", "牵头区领导", "牵头县领导", "包抓领导", "联系领导"),
    "responsible": (
        "责任单位",
        "责任部门",
        "配合单位",
        "配合部门",
        "协办单位",
        "参与单位",
        "协同单位",
        "落实单位",
        "主体责任单位",
    ),
    "deadline": ("完成时限", "时间节点", "完成时间", "完成期限", "时限要求", "时间要求", "时限", "完成时限要求"),
    "remark": ("备注", "说明"),
}
FIELD_OF_WORD: dict[str, str] = {word: name for name, words in FIELD_WORDS.items() for word in words}


#: How a plan says that the first unit it names for a task leads it: (列第一位的为牵头单位).
FIRST_LEADS = re.compile(r"(?:列|排)(?:在)?第一(?:位|个)?的?(?:单位)?为牵头单位|排名第一的(?:单位)?为牵头单位")
_ASIDE = re.compile(r"\([^()]*\)")


def plain_word(word: str) -> str:
    """A column heading or line label as the plan's word for it: no spaces, no aside, no colon.

    责任单位(列第一位的为牵头单位) is 责任单位; 序  号 is 序号.
    """
    return _ASIDE.sub("", normalise_name(word)).rstrip(":")


def field_of(word: str) -> str | None:
    """The field a column heading or line label stands for: 牵头部门 → lead, 时间节点 → deadline."""
    return FIELD_OF_WORD.get(plain_word(word))


# --- numbering: 一、 → (一) → 1. → (1) -------------------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十百零〇"
#: Each numbering style, outermost first, as official documents nest them (GB/T 9704).
NUMBERING: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^([{_CN_DIGITS}]+)\s*[、.．]\s*")),
    ("paren_cn", re.compile(rf"^[（(]\s*([{_CN_DIGITS}]+)\s*[）)]\s*[、.]?\s*")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[、.．](?!\d)\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.]?\s*")),
    ("arabic_paren", re.compile(r"^(\d{1,3})\s*[）)]\s*")),
    ("circled", re.compile(r"^([①-⑳])\s*")),
)
RANK = {style: rank for rank, (style, _) in enumerate(NUMBERING)}


def numbering(text: str) -> tuple[str, str, str] | None:
    """(style, the numbering as written, the rest) of a numbered line, or None: ``(一)加快`` → paren_cn."""
    for style, pattern in NUMBERING:
        match = pattern.match(text)
        if match and match.end() < len(text):
            return style, clean_text(match.group(0)).strip(), text[match.end() :].strip()
    return None


def clean_text(text: str) -> str:
    """Text as the register keeps it: NFKC (half-width punctuation), trimmed, line ends unified.

    Circled numbers (①) keep their shape: NFKC would turn them into plain digits.
    """
    kept = "".join(char if "①" <= char <= "⑳" else unicodedata.normalize("NFKC", char) for char in text)
    lines = [line.strip() for line in kept.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


# --- a cell or phrase of units --------------------------------------------------------------------

_LEAD_MARK = re.compile(r"^(?P<name>.+?)[((]?(?:牵头|主办|主责)[))]?$")
_DUTY_WORDS = re.compile(
    r"(?:按职责分工负责|按照职责分工负责|按职责分工落实|根据职责分工负责|按职责负责|分工负责|各负其责|分别负责|共同负责|负责落实|"
    r"配合落实|协同推进|共同推进|配合|参与|协同|协助|负责|落实)$"
)
_SPACES = re.compile(r"\s+")
_ENCLOSING = re.compile(r"^[\"'“”‘’「」\[\]]+|[\"'“”‘’「」\[\]。.;,,、]+$")


@dataclass
class UnitCell:
    """What a cell of units names: units in order, and those it marks as leading (甲(牵头)、乙)."""

    names: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)


def split_units(text: str) -> UnitCell:
    """The units a cell or phrase names, as the register will write them.

    ``区发改局(牵头)、区财政局、各街道等相关单位`` → names [区发改局, 区财政局, 各街道, 等相关单位],
    leads [区发改局]. Width variants and spaces inside a name are folded (the register
    keeps NFKC); 管委会 shared by several names is given to each; duty words
    (按职责分工负责, 配合) are not part of a name.
    """
    cell = UnitCell()
    # Staff separate names by line breaks and spaces too: 区发改局 区财政局.
    text = _SPACES.sub("、", clean_text(text).replace("\n", ","))
    for entry in split_unit_list(_DUTY_WORDS.sub("", text)):
        name = _ENCLOSING.sub("", normalise_name(entry))
        name = _DUTY_WORDS.sub("", name) or name
        marked = _LEAD_MARK.match(name)
        if marked and len(marked.group("name")) > 1:
            name = marked.group("name")
            cell.leads.append(name)
        if name.startswith(OPEN_TAIL_PREFIX) and len(name) <= len(OPEN_TAIL_PREFIX) + 1:
            continue  # a bare 等 or 等等: no group to stand for
        if name and name not in cell.names:
            cell.names.append(name)
    return cell
