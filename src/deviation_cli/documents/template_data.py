"""The data a template gets: the due list, links between a site's pages, the context every template shares.

Plain frozen records built from the register, so templates read fields and
never reach into the register's machinery (and the sandbox can trust them).
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.annex import annex_columns
from ..domain.query import DueItem, directory, due, find_unit, unit_tasks
from ..domain.register import Heading, Register, Task
from ..domain.unit_lists import milestones_by_date
from ..domain.units import join_unit_list
from ..formats.file_names import file_slug, unique_stems
from ..words import label
from .page_plans import UNIT_TABLE_FIELDS, PagePlans


def assigned_units(register: Register) -> list[str]:
    """Units, then groups, that lead or share at least one task (a group: one naming it), in register order.

    Why groups too: a group whose members the plan does not list (各街道) is
    answerable only as itself, and a notice to a named group reaches all of it.
    """
    names = [unit.name for unit in register.units] + [group.name for group in register.groups]
    return [name for name in names if unit_tasks(register, name)]


@dataclass(frozen=True, slots=True)
class DueList:
    before: date | None
    after: date | None
    as_of: date | None
    unit: str | None
    items: tuple[DueItem, ...]

    def days_left(self, item: DueItem) -> int | None:
        return None if self.as_of is None else (item.milestone - self.as_of).days


def due_list(
    register: Register,
    before: date | None = None,
    after: date | None = None,
    as_of: date | None = None,
    unit: str | None = None,
) -> DueList:
    """What ``due`` returns, as a document: every milestone in range, optionally one unit's."""
    items = due(register, before or date.max, after)
    canonical = None
    if unit is not None:
        canonical = find_unit(register, unit)
        ids = {row.task.id for row in unit_tasks(register, canonical)}
        items = [item for item in items if item.task.id in ids]
    return DueList(before, after, as_of, canonical, tuple(items))


@dataclass
class Links:
    """Relative links between the pages of a site, from the page being written.

    Why relative: the site must work from file:// and from any intranet path.
    """

    register: Register
    root: str = ""
    _unit_files: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self._unit_files:
            names = [unit.name for unit in self.register.units] + [group.name for group in self.register.groups]
            for name, stem in unit_file_stems(names).items():
                self._unit_files[name] = f"units/{stem}.html"

    def at(self, depth: int) -> Links:
        return Links(self.register, "../" * depth, self._unit_files)

    def unit_file(self, name: str) -> str | None:
        return self._unit_files.get(name)

    def unit(self, name: str) -> str | None:
        """Link to a unit's or group's page; None for a name with no page (an open tail)."""
        path = self._unit_files.get(name)
        return None if path is None else self.root + _quote(path)

    def task(self, task: Task | int) -> str:
        task_id = task if isinstance(task, int) else task.id
        return f"{self.root}tasks/{task_id}.html"

    def dimension_file(self, dimension: Heading | str) -> str:
        """The page of a first-level heading (every heading below it is a section of that page)."""
        key = dimension if isinstance(dimension, str) else dimension.key
        return f"dimensions/{file_slug(key)}.html"

    def dimension(self, dimension: Heading | str) -> str:
        return self.root + _quote(self.dimension_file(dimension))

    def heading(self, heading: Heading) -> str:
        """Link to a heading at any level: its first-level page, at its own section."""
        top = heading
        while top.parent is not None:
            top = self.register.heading(top.parent)
        if top is heading:
            return self.dimension(top)
        return f"{self.dimension(top)}#{anchor(heading)}"

    def measure(self, measure: Heading) -> str:
        return self.heading(measure)

    def page(self, name: str) -> str:
        return self.root + name


def anchor(heading: Heading) -> str:
    """The id of a heading's section on its page: measure-8 (second level), heading-KEY (deeper)."""
    return f"{'measure' if heading.level == 2 else 'heading'}-{file_slug(heading.key)}"


def unit_file_stems(names: Iterable[str]) -> dict[str, str]:
    """A file name (without extension) for each name, unique ignoring case: a clash gets ``-2``, ``-3``.

    Why: 县水务/局 and 县水务:局 both become 县水务_局, and Windows and macOS see
    A.md and a.md as one file; without numbering one document would overwrite the other.
    """
    return unique_stems(names)


@functools.lru_cache(maxsize=1 << 12)
def _quote(path: str) -> str:
    # Cached: every row of a site links its lead unit, a few hundred names in all.
    return urllib.parse.quote(path, safe="/#")


def base_context(register: Register) -> dict[str, Any]:
    """What every document's template gets: the register and its parts, and two helpers."""
    units = directory(register)
    join_units: Callable[[Iterable[str]], str] = lambda entries: join_unit_list(entries, units)  # noqa: E731
    words = register.plan.words()
    word: Callable[[str], str] = lambda field: label(field, "zh", words)  # noqa: E731
    columns = annex_columns(register)
    return {
        "word": word,
        "columns": columns,
        # the page model, asked by the templates for title lines and printed tables (documents/page_plans.py)
        "layout": PagePlans(columns, tuple(word(field) for field in UNIT_TABLE_FIELDS)),
        "has_remarks": register.has_remarks,
        "level_counts": [(level, len(register.headings_at(n))) for n, level in enumerate(register.levels, 1)],
        "anchor": anchor,
        "register": register,
        "document": register.document,
        "dimensions": register.dimensions,
        "measures": register.measures,
        "levels": register.levels,
        "plan": register.plan,
        "words": register.plan.words(),
        "tasks": register.tasks,
        "join_units": join_units,
        "milestones": milestones_by_date,
        "links": None,
    }
