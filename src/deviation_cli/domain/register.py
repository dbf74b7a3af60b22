"""The loaded register: plain, frozen records with every reference already resolved.

Why plain dataclasses and not the pydantic models: queries, documents and the
cache of a validated register need none of pydantic's machinery, and building
pydantic classes costs more at start-up than a whole query on this data.
``model`` describes the file; this module describes what the file means.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

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


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    name: str
    table_name: str
    problem: str | None


@dataclass(frozen=True, slots=True)
class Measure:
    number: int
    dimension: str  # dimension key
    title: str
    body_title: str
    text: str | None


@dataclass(frozen=True, slots=True)
class Unit:
    name: str
    kind: str
    full_name: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    members: tuple[str, ...] = ()  # canonical unit names
    open_to: tuple[str, ...] = ()  # unit kinds an open group stands for
    aliases: tuple[str, ...] = ()

    @property
    def is_open(self) -> bool:
        return bool(self.open_to)


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One entry of a task's responsible list: as written, and what it names."""

    written: str
    name: str  # canonical unit or group name
    kind: str  # REF_UNIT, REF_GROUP or REF_OPEN_TAIL


@dataclass(frozen=True, slots=True)
class Task:
    id: int
    measure: int
    dimension: str  # dimension key, through the measure
    text: str
    lead: str  # canonical unit name
    responsible: tuple[str, ...]  # as the register writes them, open tails kept
    refs: tuple[UnitRef, ...]
    deadline: str  # as written
    due: tuple[date, ...]  # milestones in date order; empty when ongoing
    ongoing: bool
    line: int = 0  # where the task starts in tasks.yaml


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
    """A validated register. Build it with ``load_register``; query it with ``query``."""

    folder: str
    document: Document
    dimensions: tuple[Dimension, ...]
    measures: tuple[Measure, ...]
    tasks: tuple[Task, ...]
    units: tuple[Unit, ...]
    groups: tuple[Group, ...]
    shared_suffixes: tuple[str, ...] = ()
    _dimensions: dict[str, Dimension] = field(default_factory=dict, repr=False)
    _measures: dict[int, Measure] = field(default_factory=dict, repr=False)
    _tasks: dict[int, Task] = field(default_factory=dict, repr=False)
    _units: dict[str, Unit] = field(default_factory=dict, repr=False)
    _groups: dict[str, Group] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._dimensions = {d.key: d for d in self.dimensions}
        self._measures = {m.number: m for m in self.measures}
        self._tasks = {t.id: t for t in self.tasks}
        self._units = {u.name: u for u in self.units}
        self._groups = {g.name: g for g in self.groups}

    def dimension(self, key: str) -> Dimension:
        return self._dimensions[key]

    def measure(self, number: int) -> Measure:
        return self._measures[number]

    def task(self, task_id: int) -> Task | None:
        return self._tasks.get(task_id)

    def unit(self, name: str) -> Unit | None:
        return self._units.get(name)

    def group(self, name: str) -> Group | None:
        return self._groups.get(name)

    def dimension_of(self, task: Task) -> Dimension:
        return self._dimensions[task.dimension]

    def measure_of(self, task: Task) -> Measure:
        return self._measures[task.measure]


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
