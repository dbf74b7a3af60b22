"""The loaded register: plain, frozen records with every reference already resolved.

Why plain dataclasses and not the pydantic models: queries, documents and the
cache of a validated register need none of pydantic's machinery, and building
pydantic classes costs more at start-up than a whole query on this data.
``validation.entries`` describes the file; this module describes what the file means.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from .deadlines import PlanCalendar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

LEAD = "lead"
RESPONSIBLE = "responsible"

#: How a task's responsible entry was resolved.
REF_UNIT = "unit"
REF_GROUP = "group"
REF_OPEN_TAIL = "open_tail"  # 等市级相关部门单位: "and others of this kind"

OPEN_TAIL_PREFIX = "等"


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    written: date
    index_no: str | None = None
    source: str | None = None
    publisher: str | None = None
    published: datetime | None = None
    recipients: str | None = None
    cover_letter: str | None = None
    annex_title: str | None = None
    sections: tuple[Section, ...] = ()
    doc_number: str | None = None  # 发文字号


@dataclass(frozen=True, slots=True)
class Level:
    """A level of the plan above its tasks, named as the plan names it.

    Hanzhong's two: 方面 (its table column says 管控, counted 个) and 改进措施 (条).
    A district's 政府工作报告 split may have one (类别); a four-level table three.
    """

    name: str  # the noun prose uses: 方面
    column: str  # the table column's heading: 管控
    counter: str = "个"  # the measure word that counts it: 6个方面, 18条改进措施


@dataclass(frozen=True, slots=True)
class Heading:
    """One heading above tasks at some level: a 方面, an 改进措施, a (一) of a numbered plan."""

    key: str  # stable: a dimension's key, a measure's number, else the numbering path (1, 1.2)
    level: int  # 1 = outermost
    title: str
    parent: str | None = None  # the key of the heading one level up
    number: str | None = None  # the numbering as the plan writes it: 一、 (一) 1.
    table_title: str = ""  # the table cell's wording where it differs from the title
    body_title: str = ""  # the body's own heading where it differs from the title
    text: str | None = None  # what the body says under the heading
    problem: str | None = None  # the problem the plan states for it (存在问题)

    # The words earlier templates and records used for Hanzhong's two levels.
    @property
    def name(self) -> str:
        return self.title

    @property
    def table_name(self) -> str:
        return self.table_title or self.title


@dataclass(frozen=True, slots=True)
class Plan:
    """How a plan speaks and when it runs: its own words for columns and levels, its year and span.

    ``labels`` maps a field (``lead``, ``responsible``, ``deadline``, ``task``, ``id``,
    ``remark``) to the plan's word for it (牵头单位, 配合单位, 时间节点, ...); a field the
    plan leaves out keeps the tool's word.
    """

    levels: tuple[Level, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    year: int | None = None  # for deadlines written without one (6月底)
    start: date | None = None  # the span recurring deadlines (每月) fill
    end: date | None = None
    reporting: str | None = None  # when units report (每月28日前)
    awards: tuple[str, ...] = ()  # the ranking's first and last place (红旗奖, 蜗牛奖), if the plan names them
    admin_level: str | None = None  # the issuing government's level (市, 区, 县): whose 部门 its units are

    def calendar(self, written: date) -> PlanCalendar:
        """The year deadlines without one fall in, and the span recurring ones fill.

        The plan's own ``year``/``start``/``end`` where it states them; else the year
        the plan was written, from that day to the year's end.
        """
        year = self.year or (self.start or written).year
        start = self.start or (written if written.year == year else date(year, 1, 1))
        end = self.end or date(max(year, start.year), 12, 31)
        return PlanCalendar(year, start, end)

    def words(self) -> dict[str, str]:
        """Every field's word in this plan: the declared labels, and each level's column."""
        found = dict(self.labels)
        if "lead" in found:
            found.setdefault("leads", found["lead"])
        for index, level in enumerate(self.levels):
            found.setdefault(LEVEL_FIELDS[index] if index < len(LEVEL_FIELDS) else f"level{index + 1}", level.column)
        return found


#: The JSON contract's names for the first two levels (DESIGN: ``dimension``, ``measure``).
LEVEL_FIELDS = ("dimension", "measure", "heading")


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    kind: str
    full_name: str | None = None
    aliases: tuple[str, ...] = ()
    level: str | None = None  # administrative level (市, 区, 县) where it differs from the plan's


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    members: tuple[str, ...] = ()  # canonical unit names
    open_to: tuple[str, ...] = ()  # unit kinds an open group stands for
    aliases: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return bool(self.open_to)

    @property
    def is_unlisted(self) -> bool:
        """A group the plan names without saying who is in it (各街道): it answers for itself."""
        return not self.members and not self.open_to


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One entry of a task's responsible list: as written, and what it names."""

    written: str
    name: str  # canonical unit or group name
    kind: str  # REF_UNIT, REF_GROUP or REF_OPEN_TAIL


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    path: tuple[str, ...]  # the keys of the headings it sits under, outermost first; () without levels
    text: str
    leads: tuple[str, ...]  # canonical unit names: one, several (co-leads), or none where the plan names none
    responsible: tuple[str, ...]  # as the register writes them, open tails kept
    refs: tuple[UnitRef, ...]
    deadline: str  # as written
    due: tuple[date, ...]  # milestones in date order; empty when ongoing
    ongoing: bool
    remark: str | None = None  # 备注
    line: int = 0  # where the task starts in tasks.yaml

    @property
    def lead(self) -> str | None:
        """The first lead (the JSON contract's ``lead``); None where the plan names none."""
        return self.leads[0] if self.leads else None

    @property
    def lead_text(self) -> str:
        """The leads as a cell writes them: 甲、乙."""
        return "、".join(self.leads)

    @property
    def heading(self) -> str | None:
        """The key of the innermost heading the task sits under."""
        return self.path[-1] if self.path else None


def normalise_name(name: str) -> str:
    """Fold what a clerk cannot see: NFKC width variants, spaces, zero-width characters."""
    folded = unicodedata.normalize("NFKC", name)
    # Printable text has no Cf character and no whitespace but " ": nothing to drop
    # (the common case, checked in C; whole task texts go through here).
    if folded.isprintable() and " " not in folded:
        return folded
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) != "Cf")


@dataclass(slots=True)
class Register:
    """A validated register. Build it with ``load_register``; query it with ``domain.query``."""

    folder: str
    document: Document
    plan: Plan
    headings: tuple[Heading, ...]  # every level, in the file's order
    tasks: tuple[Task, ...]
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    shared_suffixes: tuple[str, ...] = ()
    _headings: dict[str, Heading] = field(default_factory=dict, repr=False)
    _by_level: dict[int, tuple[Heading, ...]] = field(default_factory=dict, repr=False)
    has_remarks: bool = field(default=False, repr=False)  # whether any task has a 备注
    _tasks: dict[int, Task] = field(default_factory=dict, repr=False)
    _units: dict[str, Unit] = field(default_factory=dict, repr=False)
    _groups: dict[str, Group] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._headings = {h.key: h for h in self.headings}
        by_level: dict[int, list[Heading]] = {}
        for heading in self.headings:
            by_level.setdefault(heading.level, []).append(heading)
        self._by_level = {level: tuple(found) for level, found in by_level.items()}
        self.has_remarks = any(task.remark is not None for task in self.tasks)
        self._tasks = {t.id: t for t in self.tasks}
        self._units = {u.name: u for u in self.units}
        self._groups = {g.name: g for g in self.groups}

    @property
    def levels(self) -> tuple[Level, ...]:
        return self.plan.levels

    def heading(self, key: str) -> Heading:
        return self._headings[key]

    def headings_at(self, level: int) -> tuple[Heading, ...]:
        return self._by_level.get(level, ())

    def heading_of(self, task: Task, level: int) -> Heading | None:
        """The heading at ``level`` (1 = outermost) that ``task`` sits under, if the plan has that level."""
        return self._headings[task.path[level - 1]] if 0 < level <= len(task.path) else None

    def path_of(self, task: Task) -> tuple[Heading, ...]:
        return tuple(self._headings[key] for key in task.path)

    # Hanzhong's two levels under the names the JSON contract gives them.
    @property
    def dimensions(self) -> tuple[Heading, ...]:
        return self.headings_at(1)

    @property
    def measures(self) -> tuple[Heading, ...]:
        return self.headings_at(2)

    def dimension_of(self, task: Task) -> Heading | None:
        return self.heading_of(task, 1)

    def measure_of(self, task: Task) -> Heading | None:
        return self.heading_of(task, 2)

    def task(self, task_id: int) -> Task | None:
        return self._tasks.get(task_id)

    def unit(self, name: str) -> Unit | None:
        return self._units.get(name)

    def group(self, name: str) -> Group | None:
        return self._groups.get(name)


_Record = TypeVar("_Record", bound="DataclassInstance")


def record_builder(cls: type[_Record]) -> Callable[..., _Record]:
    """A builder of a frozen slotted dataclass that fills its slots directly.

    Why: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, 4 µs a task here; the slots' own setters take
    half that: a few tenths of a second on 100,000 tasks, in the checks and the
    cache. Only for classes without ``__post_init__``, whose ``__init__`` does
    nothing else.
    """
    from dataclasses import fields

    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        return cls
    names = tuple(field.name for field in fields(cls))
    setters = tuple(cls.__dict__[name].__set__ for name in names)
    new = object.__new__

    # A closure, not generated source: nothing is compiled at run time.
    def build(*values: object, **named: object) -> _Record:
        if named:
            values = values + tuple(named[name] for name in names[len(values) :])
        made: _Record = new(cls)
        for setter, value in zip(setters, values):
            setter(made, value)
        return made

    return build
