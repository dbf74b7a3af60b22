"""The register's file format as strict pydantic models (no I/O, no cross-record rules).

Every scalar arrives as a string (see ``yamlsource``); the few typed fields
(numbers, dates, kinds) parse that string here, so a file that says
``id: 010`` or ``written: 2023-02-30`` fails with a located message instead
of being coerced. Unknown keys are refused: a misspelt ``leed:`` would
otherwise vanish without a word.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

UNIT_KINDS = ("county", "zone", "institution", "department", "company", "other")
MAX_NUMBER_DIGITS = 15


def _positive_number(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return value  # let the int validator report the type
    # Why a length bound: int() of a 5,000-digit string fails with Python's own
    # words (int_max_str_digits), and no 序号 or measure number needs 16 digits.
    if not text.isascii() or not text.isdigit() or text.startswith("0") or len(text) > MAX_NUMBER_DIGITS:
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


Number = Annotated[int, BeforeValidator(_positive_number), Field(ge=1)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]
Text = Annotated[str, Field(min_length=1)]
UnitKind = Literal["county", "zone", "institution", "department", "company", "other"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Section(Record):
    """A part of the plan's body kept for documents (指导思想, 工作目标, 工作要求)."""

    heading: Text
    text: Text


class Document(Record):
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
    sections: list[Section] = []


class Dimension(Record):
    """One 方面 of 偏离度, with the problem the plan states for it (存在问题)."""

    key: Text
    name: Text
    table_name: Text | None = None  # the 管控 cell's wording when it differs from name
    problem: Text | None = None


class Measure(Record):
    """One numbered 改进措施: ``title`` as the annex names it, ``text`` as the body states it."""

    number: Number
    dimension: Text
    title: Text
    body_title: Text | None = None  # the body's own heading, where it differs from the annex
    text: Text | None = None


class Task(Record):
    """One row of the 任务分解表."""

    id: Number
    measure: Number
    text: Text
    lead: Text
    responsible: list[Text] = []
    deadline: Text


class TasksFile(Record):
    document: Document
    dimensions: list[Dimension]
    measures: list[Measure]
    tasks: list[Task]


class Unit(Record):
    """A unit the plan names: short name as the table writes it, the rest where known."""

    name: Text
    kind: UnitKind
    full_name: Text | None = None
    aliases: list[Text] = []


class Group(Record):
    """A name standing for several units.

    Closed groups list ``members`` (各县区政府 = the 11 county-level divisions).
    Open groups (``open_to``: kinds) stand for "and other such units"
    (…等市级相关部门单位): only the units a task names are responsible.
    """

    name: Text
    members: list[Text] = []
    open_to: list[UnitKind] = []
    aliases: list[Text] = []


class UnitsFile(Record):
    shared_suffixes: list[Text] = []  # 管委会 in 汉中经开区、兴汉新区、航空经开区管委会
    units: list[Unit]
    groups: list[Group] = []
