"""A hypothesis strategy for valid registers, written out as YAML files.

``registers()`` draws a ``Plan``: units (CJK names, some with Latin letters or
digits, aliases and full names), closed groups with members, open groups with
kinds, dimensions, measures, and tasks whose lead may be written by an alias,
whose responsible lists mix units, closed groups and open tails (``等<group>``),
and whose deadlines come from the whole grammar of ``deadline.py`` — together
with what each of them must mean (canonical lead, who shares, due dates), worked
out here independently of the library. ``Plan.write(folder)`` writes
tasks.yaml and units.yaml.

Property tests for commands still to come (export/import, render, record)
draw from the same strategy: see tests/test_properties.py.
"""

from __future__ import annotations

import calendar
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hypothesis import strategies as st

KINDS = ("county", "zone", "institution", "department", "company", "other")
ONGOING = ("持续推进", "长期坚持", "长期", "持续", "常态化", "常态化推进")

# Common characters of unit names, so names look like names and collide now and then.
CJK = "市县区镇乡局委办厅中心公司管委会发改财政审计统计自然资源生态环境住建交通水利农业商务文旅卫健应急城投园开新航空经济技术兴汉滨江东西南北"
LATIN = "ABCXYZ0123456789"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# --- deadlines ------------------------------------------------------------------------------


@st.composite
def deadline_items(draw, year: int) -> tuple[str, list[date]]:
    """One item after a year: 6月底, 6月30日前, 上半年, 第二季度末, Q3, 6月、12月底 ..."""
    kind = draw(st.sampled_from(["month_end", "month_day", "half", "quarter", "q", "months_end"]))
    if kind == "month_end":
        month = draw(st.integers(1, 12))
        return f"{month}月{draw(st.sampled_from(['底', '末']))}", [_month_end(year, month)]
    if kind == "month_day":
        month = draw(st.integers(1, 12))
        day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
        suffix = draw(st.sampled_from(["日", "号", "日前", "日以前", "日之前"]))
        return f"{month}月{day}{suffix}", [date(year, month, day)]
    if kind == "half":
        first = draw(st.booleans())
        tail = draw(st.sampled_from(["", "末", "底"]))
        return ("上" if first else "下") + "半年" + tail, [_month_end(year, 6 if first else 12)]
    if kind == "quarter":
        quarter = draw(st.integers(1, 4))
        written = draw(st.sampled_from(["一二三四"[quarter - 1], str(quarter)]))
        prefix = draw(st.sampled_from(["", "第"]))
        return f"{prefix}{written}季度{draw(st.sampled_from(['', '末', '底']))}", [_month_end(year, quarter * 3)]
    if kind == "q":
        quarter = draw(st.integers(1, 4))
        return f"{draw(st.sampled_from(['Q', 'q']))}{quarter}", [_month_end(year, quarter * 3)]
    # several months closed by one 底: 6月、12月底 or the source's 6月12月底
    months = draw(st.lists(st.integers(1, 12), min_size=2, max_size=4))
    joiner = draw(st.sampled_from(["、", "", ","]))
    written = joiner.join(f"{m}月" for m in months[:-1]) + joiner + f"{months[-1]}月底"
    return written, [_month_end(year, m) for m in months]


@st.composite
def deadline_clauses(draw, first: int = 2000, last: int = 2099) -> tuple[str, list[date]]:
    """A year and its items (2023年6月底、12月31日), a year end (2023年底) or an ISO date."""
    year = draw(st.integers(first, last))
    kind = draw(st.sampled_from(["items", "items", "year_end", "iso"]))
    if kind == "iso":
        day = draw(st.dates(date(first, 1, 1), date(last, 12, 31)))
        return day.isoformat(), [day]
    if kind == "year_end":
        return f"{year}年{draw(st.sampled_from(['底', '末']))}", [date(year, 12, 31)]
    items = draw(st.lists(deadline_items(year), min_size=1, max_size=3))
    separator = draw(st.sampled_from(["、", ",", ","]))
    return f"{year}年" + separator.join(text for text, _ in items), [d for _, dates in items for d in dates]


def _widen(text: str, wide: bool) -> str:
    """Full-width digits and letters, as some editors type them (NFKC folds them back)."""
    if not wide:
        return text
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@st.composite
def deadlines(draw, first: int = 2000, last: int = 2099) -> tuple[str, tuple[date, ...], bool]:
    """(wording, due dates in order, ongoing) from anywhere in the grammar, years first..last."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(ONGOING)), (), True
    clauses = draw(st.lists(deadline_clauses(first, last), min_size=1, max_size=3))
    separator = draw(st.sampled_from(["、", ",", ",", ";", ";", "和", "及", "与"]))
    wording = separator.join(text for text, _ in clauses)
    wording = _widen(wording, draw(st.booleans()))
    if draw(st.booleans()):  # stray spaces, as in the source's "2023年 6月12月底"
        at = draw(st.integers(0, len(wording)))
        wording = wording[:at] + draw(st.sampled_from([" ", "\u3000", "  "])) + wording[at:]
    dates = tuple(sorted({d for _, ds in clauses for d in ds}))
    return wording.strip(), dates, False


# --- units, groups, tasks ---------------------------------------------------------------------


def _name(chars: str, min_size: int = 2, max_size: int = 7):
    return st.text(alphabet=chars, min_size=min_size, max_size=max_size)


unit_names = st.one_of(
    _name(CJK),
    st.builds(lambda a, b: a + b, _name(LATIN, 1, 3), _name(CJK, 1, 4)),
    # markup in a name (A&B公司, <x-evil>): documents must show it as text
    st.builds(
        lambda a, m, b: a + m + b,
        _name(CJK, 1, 3),
        st.sampled_from(["<x-evil>", "&", '"', "|", "<", ">"]),
        _name(CJK, 1, 3),
    ),
)

#: Markup a document must show as text: a tag, an attribute break-out, an entity, a
#: Markdown pipe, a script end, a comment. ``x-evil`` marks what would become HTML.
HOSTILE = (
    '<x-evil a="1">',
    '" x-evil="1',
    "' x-evil='1",
    "</script><x-evil>",
    "&amp;",
    "&lt;",
    "a & b",
    "|",
    "\\|",
    "<!--",
    "]]>",
    "`",
    "*_[x](y)_*",
)

# Control characters but tab and line feed are refused by validate (text_control_character).
_any_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufeff\ufffe\uffff", include_characters="\t\n"),
    min_size=1,
    max_size=40,
)

#: Free text for task, measure and document fields: anything a register may hold, often with markup.
free_text = st.one_of(
    _any_text,
    st.builds(lambda a, b, c: a + b + c, _any_text, st.sampled_from(HOSTILE), _any_text),
).filter(lambda s: s.strip() != "")


@dataclass
class PlannedUnit:
    name: str
    kind: str
    full_name: str | None
    aliases: list[str]


@dataclass
class PlannedGroup:
    name: str
    members: list[str]  # canonical unit names (closed)
    open_to: list[str]  # kinds (open)
    aliases: list[str] = field(default_factory=list)


@dataclass
class PlannedTask:
    id: int
    measure: int
    text: str
    lead_written: str
    lead: str  # canonical
    responsible: list[str]  # as written
    named_units: set[str]  # canonical units named directly
    via_groups: dict[str, str]  # unit -> closed group it is reached through
    open_tails: list[str]  # open group names written as 等<name>
    deadline: str
    due: tuple[date, ...]
    ongoing: bool


@dataclass
class Plan:
    """A register to write, and what it must mean once loaded."""

    title: str
    written: date
    dimensions: list[tuple[str, str]]  # key, name
    measures: list[tuple[int, str, str]]  # number, dimension key, title
    units: list[PlannedUnit]
    groups: list[PlannedGroup]
    tasks: list[PlannedTask]
    flow_lists: bool = False

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "units.yaml").write_text(self._units_yaml(), encoding="utf-8")
        (folder / "tasks.yaml").write_text(self._tasks_yaml(), encoding="utf-8")
        return folder

    def _list(self, items: list[str], indent: str) -> str:
        if self.flow_lists:
            return " [" + ", ".join(yaml_str(item) for item in items) + "]\n"
        return "\n" + "".join(f"{indent}- {yaml_str(item)}\n" for item in items)

    def _units_yaml(self) -> str:
        out = ["# generated by tests/register_strategy.py\n", "shared_suffixes:\n  - 管委会\n", "units:\n"]
        for unit in self.units:
            out.append(f"  - name: {yaml_str(unit.name)}\n    kind: {unit.kind}\n")
            if unit.full_name:
                out.append(f"    full_name: {yaml_str(unit.full_name)}\n")
            if unit.aliases:
                out.append("    aliases:" + self._list(unit.aliases, "      "))
        if self.groups:
            out.append("groups:\n")
        for group in self.groups:
            out.append(f"  - name: {yaml_str(group.name)}\n")
            if group.members:
                out.append("    members:" + self._list(group.members, "      "))
            if group.open_to:
                out.append("    open_to:" + self._list(group.open_to, "      "))
            if group.aliases:
                out.append("    aliases:" + self._list(group.aliases, "      "))
        return "".join(out)

    def _tasks_yaml(self) -> str:
        out = [
            "document:\n",
            f"  title: {yaml_str(self.title)}\n",
            f"  written: {self.written.isoformat()}\n",
            "dimensions:\n",
        ]
        for key, name in self.dimensions:
            out.append(f"  - key: {key}\n    name: {yaml_str(name)}\n")
        out.append("measures:\n")
        for number, dimension, title in self.measures:
            out.append(f"  - number: {number}\n    dimension: {dimension}\n    title: {yaml_str(title)}\n")
        out.append("tasks:\n")
        for task in self.tasks:
            out.append(
                f"  - id: {task.id}\n    measure: {task.measure}\n    text: {yaml_str(task.text)}\n"
                f"    lead: {yaml_str(task.lead_written)}\n"
            )
            if task.responsible:
                out.append("    responsible:" + self._list(task.responsible, "      "))
            out.append(f"    deadline: {yaml_str(task.deadline)}\n")
        return "".join(out)

    # what the register must answer

    def expected_lead_ids(self, unit: str) -> set[int]:
        return {task.id for task in self.tasks if task.lead == unit}

    def expected_shared_ids(self, unit: str) -> set[int]:
        return {task.id for task in self.tasks if unit in task.named_units or unit in task.via_groups}

    def open_reach_ids(self, unit: PlannedUnit) -> set[int]:
        """Tasks a unit reaches only through an open tail of its kind (with include_open)."""
        kinds = {group.name: group.open_to for group in self.groups}
        return {
            task.id
            for task in self.tasks
            if task.lead != unit.name
            and unit.name not in task.named_units
            and unit.name not in task.via_groups
            and any(unit.kind in kinds[tail] for tail in task.open_tails)
        }


_YAML_UNSAFE = {"\x85", "\u2028", "\u2029", "\ufeff"}


def yaml_str(value: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax), escaping what YAML may not hold raw."""
    out = []
    for char in json.dumps(value, ensure_ascii=False)[1:-1]:
        code = ord(char)
        printable = (
            char in "\t\n\r"
            or 0x20 <= code <= 0x7E
            or 0xA0 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or code >= 0x10000
        )
        if printable and char not in _YAML_UNSAFE:
            out.append(char)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _distinct(values: list[str], taken: set[str]) -> list[str]:
    kept = []
    for value in values:
        key = unicodedata.normalize("NFKC", value)
        if value and key not in taken and not value.startswith("等"):
            taken.add(key)
            kept.append(value)
    return kept


@st.composite
def registers(draw, max_units: int = 12, max_tasks: int = 12) -> Plan:
    """A valid register and what it means."""
    taken: set[str] = {"管委会"}  # the shared suffix alone is no unit name: 甲、管委会 reads as 甲管委会
    names = _distinct(draw(st.lists(unit_names, min_size=2, max_size=max_units)), taken)
    if len(names) < 2:
        names += _distinct(["甲单位", "乙单位", "丙单位"], taken)
    units = []
    for name in names:
        kind = draw(st.sampled_from(KINDS))
        full_name = _distinct([draw(st.sampled_from(["", "汉中市" + name, name + "(全称)"]))], taken)
        aliases = _distinct(draw(st.lists(unit_names, max_size=2)), taken)
        units.append(PlannedUnit(name, kind, full_name[0] if full_name else None, aliases))

    groups = []
    for _ in range(draw(st.integers(0, 3))):
        group_name = _distinct([draw(_name(CJK, 3, 8)) + draw(st.sampled_from(["各", ""])) + "组"], taken)
        if not group_name:
            continue
        if draw(st.booleans()):
            members = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
            groups.append(PlannedGroup(group_name[0], members, []))
        else:
            kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True))
            groups.append(PlannedGroup(group_name[0], [], kinds))

    # A clean register, not only a valid one: ids in order, every dimension, measure, unit
    # and group used, deadlines after the plan was written and within ten years of it,
    # no task text twice, a lead not also sharing, a unit not named beside its group.
    task_ids = sorted(draw(st.lists(st.integers(1, 999), min_size=1, max_size=max_tasks, unique=True)))
    measure_numbers = draw(st.lists(st.integers(1, 99), min_size=1, max_size=min(5, len(task_ids)), unique=True))
    dimension_count = draw(st.integers(1, len(measure_numbers)))
    # Names distinct, as in any real plan: import maps table cells back to them by wording.
    dimensions = [(f"d{i}", draw(free_text) + f"(方面{i})") for i in range(dimension_count)]
    measures = [
        (
            n,
            f"d{i}" if i < dimension_count else f"d{draw(st.integers(0, dimension_count - 1))}",
            draw(free_text) + f"(措施{n})",
        )
        for i, n in enumerate(measure_numbers)
    ]
    base_year = draw(st.integers(2000, 2089))

    by_name = {unit.name: unit for unit in units}
    closed = [g for g in groups if g.members]
    open_groups = [g for g in groups if g.open_to]
    tasks = []
    for position, task_id in enumerate(task_ids):
        lead = draw(st.sampled_from(names))
        lead_unit = by_name[lead]
        lead_written = draw(
            st.sampled_from([lead, *lead_unit.aliases, *([lead_unit.full_name] if lead_unit.full_name else [])])
        )
        via_groups = draw(st.lists(st.sampled_from(closed), max_size=2, unique_by=lambda g: g.name)) if closed else []
        covered = {member for group in via_groups for member in group.members}
        others = [name for name in names if name != lead and name not in covered]
        named = draw(st.lists(st.sampled_from(others), max_size=4, unique=True)) if others else []
        tails = draw(st.lists(st.sampled_from(open_groups), max_size=1)) if open_groups else []
        responsible = []
        for unit_name in named:
            unit = by_name[unit_name]
            responsible.append(draw(st.sampled_from([unit_name, *unit.aliases])))
        responsible += [g.name for g in via_groups]
        order = draw(st.permutations(range(len(responsible))))
        responsible = [responsible[i] for i in order]
        responsible += ["等" + g.name for g in tails]  # an open tail closes the list, as in the source
        # `via` names the first closed group in the written order that holds the unit
        members_of = {g.name: g.members for g in via_groups}
        reached: dict[str, str] = {}
        for entry in responsible:
            for member in members_of.get(entry, ()):
                reached.setdefault(member, entry)
        wording, due, ongoing = draw(deadlines(base_year, base_year + 10))
        measure = (
            measure_numbers[position] if position < len(measure_numbers) else draw(st.sampled_from(measure_numbers))
        )
        tasks.append(
            PlannedTask(
                id=task_id,
                measure=measure,
                text=draw(free_text) + f"(任务{task_id})",
                lead_written=lead_written,
                lead=lead,
                responsible=responsible,
                named_units=set(named),
                via_groups={u: g for u, g in reached.items() if u not in named},
                open_tails=[g.name for g in tails],
                deadline=wording,
                due=due,
                ongoing=ongoing,
            )
        )

    # Groups no task names are left out; units then used nowhere join the last task.
    named_groups = {entry.removeprefix("等") for task in tasks for entry in task.responsible}
    groups = [group for group in groups if group.name in named_groups]
    used = {task.lead for task in tasks} | {u for task in tasks for u in task.named_units}
    used |= {member for group in groups for member in group.members}
    last = tasks[-1]
    for unit_name in names:
        if unit_name not in used and unit_name != last.lead:
            at = len(last.responsible) - len(last.open_tails)
            last.responsible.insert(at, unit_name)
            last.named_units.add(unit_name)
            last.via_groups.pop(unit_name, None)
    return Plan(
        title=draw(free_text),
        written=date(base_year, 1, 1),
        dimensions=dimensions,
        measures=measures,
        units=units,
        groups=groups,
        tasks=tasks,
        flow_lists=draw(st.booleans()),
    )
