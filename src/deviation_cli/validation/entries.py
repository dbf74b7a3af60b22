"""Every file a user edits, as strict pydantic models: the file formats (no I/O, no cross-record rules).

One word for each side: an *entry* is what a file writes (``TaskEntry``), a
record of ``domain.register`` is what it means once checked (``Task``), and a
task *object* is the JSON shape a listing prints (``output.json_objects``).

Every scalar arrives as a string (see ``yamlsource``); the few typed fields
(numbers, dates, kinds) parse that string here, so a file that says
``id: 010`` or ``written: 2023-02-30`` fails with a located message instead
of being coerced. Unknown keys are refused: a misspelt ``leed:`` would
otherwise vanish without a word.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag
from pydantic_core import PydanticCustomError

MAX_NUMBER_DIGITS = 15


def is_plain_number(text: str) -> bool:
    """A 序号 or measure number as written: ASCII digits, no leading zero, at most MAX_NUMBER_DIGITS.

    Why a length bound: int() of a 5,000-digit string fails with Python's own
    words (int_max_str_digits), and no 序号 or measure number needs 16 digits.
    """
    return text.isascii() and text.isdigit() and not text.startswith("0") and len(text) <= MAX_NUMBER_DIGITS


def _positive_number(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return value  # let the int validator report the type
    if not is_plain_number(text):
        raise PydanticCustomError("bad_number", "not a positive whole number", {"value": str(value)})
    return int(text)


def _iso_date(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        if len(value.strip()) != 10:
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("bad_date", "not a real date", {"value": value}) from None


def _iso_datetime(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError("bad_date", "not a real date", {"value": value}) from None


_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _decimal(value: object) -> object:
    if not isinstance(value, str):
        return value
    text = value.strip().rstrip("%").strip()
    if not _DECIMAL.match(text):
        raise PydanticCustomError("bad_decimal", "not a number", {"value": value})
    return float(text)


Number = Annotated[int, BeforeValidator(_positive_number), Field(ge=1)]
Decimal = Annotated[float, BeforeValidator(_decimal)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
Text = Annotated[str, Field(min_length=1)]
#: What a person should check in an entry someone guessed (``deviation init``): ``validate`` warns until it is gone.
Unconfirmed = Text | None
UnitKind = Literal["county", "township", "zone", "institution", "department", "company", "leader", "other"]


class Entry(BaseModel):
    """Strict: unknown keys refused, no coercion (every scalar arrives as text), frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SectionEntry(Entry):
    """A part of the plan's body kept for documents (指导思想, 工作目标, 工作要求)."""

    heading: Text
    text: Text


class DocumentEntry(Entry):
    """The plan itself: what it is called, who issued it, when."""

    title: Text
    index_no: Text | None = None  # 索引号
    source: Text | None = None  # 来源: the office that issued it
    publisher: Text | None = None  # 发布机构
    written: IsoDate  # 成文日期
    published: IsoDateTime | None = None  # 发布时间
    recipients: Text | None = None  # 主送机关 as the plan writes them
    cover_letter: Text | None = None  # the 印发通知 body
    annex_title: Text | None = None
    doc_number: Text | None = None  # 发文字号: 汉政办发〔2023〕12号
    sections: list[SectionEntry] = []
    unconfirmed: Unconfirmed = None


class LevelEntry(Entry):
    """A level above the tasks as the plan names it: 方面 (column 管控, counted 个)."""

    name: Text
    column: Text | None = None  # the table's column heading, where it differs from the name
    counter: Text | None = None  # the measure word: 个, 条, 项
    unconfirmed: Unconfirmed = None


class AwardsEntry(Entry):
    """What the plan calls the first and the last place of its ranking (红旗奖, 蜗牛奖)."""

    first: Text
    last: Text


class PlanEntry(Entry):
    """How the plan speaks and when it runs; every part optional."""

    labels: dict[Text, Text] = {}  # field -> the plan's word: lead: 牵头单位, responsible: 配合单位
    levels: list[LevelEntry] = []
    year: Number | None = None  # the year of deadlines written without one
    start: IsoDate | None = None  # the span recurring deadlines (每月) fill
    end: IsoDate | None = None
    reporting: Text | None = None  # when units report progress: 每月28日前
    awards: AwardsEntry | None = None
    admin_level: Text | None = None  # the issuing government's level: 市, 区, 县
    unconfirmed: Unconfirmed = None


class HeadingEntry(Entry):
    """A heading above tasks in a plan of any shape: one of its levels, numbered as the plan numbers it."""

    key: Text  # stable, unique: 1, 1.2, or any word
    title: Text
    parent: Text | None = None  # the key of the heading one level up; none at the outermost level
    number: Text | None = None  # 一、 (一) 1.
    table_title: Text | None = None
    body_title: Text | None = None
    text: Text | None = None
    problem: Text | None = None
    unconfirmed: Unconfirmed = None


class DimensionEntry(Entry):
    """One 方面 of 偏离度, with the problem the plan states for it (存在问题)."""

    key: Text
    name: Text
    table_name: Text | None = None  # the 管控 cell's wording when it differs from name
    problem: Text | None = None


class MeasureEntry(Entry):
    """One numbered 改进措施: ``title`` as the annex names it, ``text`` as the body states it."""

    number: Number
    dimension: Text
    title: Text
    body_title: Text | None = None  # the body's own heading, where it differs from the annex
    text: Text | None = None


class TaskEntry(Entry):
    """One row of the 任务分解表.

    A task sits under a measure (Hanzhong's files), under a heading (plans of other
    shapes), or under nothing (a plan with no levels). ``lead`` is one unit, a list of
    co-leads, or absent where the plan names none.
    """

    id: Number
    measure: Number | None = None
    heading: Text | None = None
    text: Text
    lead: Text | list[Text] | None = None
    responsible: list[Text] = []
    deadline: Text
    remark: Text | None = None  # 备注
    unconfirmed: Unconfirmed = None


class TasksFile(Entry):
    document: DocumentEntry
    plan: PlanEntry | None = None
    dimensions: list[DimensionEntry] = []
    measures: list[MeasureEntry] = []
    headings: list[HeadingEntry] = []
    tasks: list[TaskEntry]


class UnitEntry(Entry):
    """A unit the plan names: short name as the table writes it, the rest where known."""

    name: Text
    kind: UnitKind
    full_name: Text | None = None
    aliases: list[Text] = []
    level: Text | None = None  # administrative level (市, 区, 县) where it differs from the plan's
    unconfirmed: Unconfirmed = None


class GroupEntry(Entry):
    """A name standing for several units.

    Closed groups list ``members`` (各县区政府 = the 11 county-level divisions).
    Open groups (``open_to``: kinds) stand for "and other such units"
    (…等市级相关部门单位): only the units a task names are responsible.
    A group with neither (各街道, whose members the plan does not list) stands for
    itself: it reports and is reminded as one.
    """

    name: Text
    members: list[Text] = []
    open_to: list[UnitKind] = []
    aliases: list[Text] = []
    unconfirmed: Unconfirmed = None


class UnitsFile(Entry):
    shared_suffixes: list[Text] = []  # 管委会 in 汉中经开区、兴汉新区、航空经开区管委会
    units: list[UnitEntry]
    groups: list[GroupEntry] = []


# --- progress.yaml ---------------------------------------------------------------------------


class ReportEntry(Entry):
    """One dated report, as the file writes it."""

    task: Number
    unit: Text
    date: IsoDate
    status: Literal["未开始", "推进中", "已完成", "滞后", "延期"]
    note: Text | None = None
    evidence: Text | None = None  # a link to the document that proves it
    reason: Text | None = None  # why it is late or postponed
    new_deadline: IsoDate | None = None  # approved; replaces the task's open milestones before it
    # From a returned form (deviation import reports): the unit's next steps, and where the report came from.
    next_steps: Text | None = None  # 下步计划
    period: IsoDate | None = None  # the reporting period's key: its due day
    form: Text | None = None  # the content hash of the form; a later form of the unit and period replaces it
    imported: IsoDate | None = None  # the day the form was imported
    replaces: Text | None = None  # the hash of the earlier form of the same unit and period


class CheckEntry(Entry):
    """The office's check (销号) of a lead's 已完成 report: an item of reports, told apart by its check key."""

    task: Number
    unit: Text  # the lead whose 已完成 report is checked
    date: IsoDate  # the day of the check
    check: Literal["通过", "退回"]
    by: Text  # the office that checked: 市政府督查室, or a unit of the register
    report_date: IsoDate | None = None  # the report checked; without it, the unit's latest 已完成 on or before date
    note: Text | None = None  # what was checked; for 退回, what to put right


def progress_entry_kind(item: object) -> str:
    """Which entry an item of ``reports:`` is: a check when it has a ``check`` key, else a report."""
    return "check" if isinstance(item, dict) and "check" in item else "report"


#: An item of a progress file's ``reports:`` list.
ProgressEntry = Annotated[
    Annotated[ReportEntry, Tag("report")] | Annotated[CheckEntry, Tag("check")],
    Discriminator(progress_entry_kind),
]


class ProgressFile(Entry):
    reports: list[ProgressEntry] = []


# --- indicators.yaml and observations.yaml ----------------------------------------------------


class IndicatorEntry(Entry):
    """One target the plan states, with the sentence that states it."""

    key: Text
    name: Text
    dimension: Text  # a dimension key of the register
    measure: Number | None = None
    period: Text  # when the target applies: 2023-Q1, 2023, ...
    target: Decimal
    comparison: Literal["at_least", "at_most"] = "at_least"
    unit: Text | None = None  # "%", "亿元", ...
    wording: Text | None = None  # the target as the plan words it: ≥60%, 超额完成
    quote: Text  # the policy sentence
    baseline: Decimal | None = None
    baseline_quote: Text | None = None
    tolerance: Decimal | None = None  # amber band, percent of the target


class IndicatorsFile(Entry):
    indicators: list[IndicatorEntry]


class ObservationEntry(Entry):
    """One figure someone measured for an indicator."""

    indicator: Text
    period: Text
    value: Decimal
    date: IsoDate  # when the figure was reported: --as-of ignores later ones
    source: Text | None = None
    note: Text | None = None


class ObservationsFile(Entry):
    note: Text | None = None  # e.g. that the figures are a sample
    observations: list[ObservationEntry] = []
