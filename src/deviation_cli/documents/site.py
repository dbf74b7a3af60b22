"""The static site of a register: every page as HTML, linked relatively, working from file://.

index.html (dimensions, milestones against the as-of day, units), table.html
(the full table with an offline filter box), and a page per unit or group, per
dimension and per task. Each page carries its own CSS and script: no fonts,
scripts or styles from elsewhere.
"""

from __future__ import annotations

import gc
import os
from dataclasses import replace
from datetime import date

from ..domain.annex import TableRow, table_rows
from ..domain.query import due, unit_task_index
from ..domain.register import LEAD, Heading, Register, Task
from ..domain.unit_lists import build_unit_list
from ..output.cells import kind_name
from .filter_index import filter_index
from .punctuation import remembered
from .template_data import Links, base_context
from .templating import environment, render_template


def build_site(
    register: Register,
    as_of: date | None = None,
    templates: str | os.PathLike[str] | None = None,
) -> dict[str, str]:
    """Every page of the static site: relative file name -> HTML.

    index.html (dimensions, milestones against ``as_of``, units), table.html (the
    full table with an offline filter box), and a page per unit or group, per
    dimension and per task, linked to each other with relative links. Each page
    carries its own CSS and script: no fonts, scripts or styles from elsewhere.
    """
    env = environment(templates)
    today = as_of or date.today()
    links = Links(register)
    common = base_context(register)
    # What a unit is, in the plan's terms (a district's bureau is a 区级部门).
    common.update(as_of=today, kind_label=lambda unit: kind_name(unit, register.plan, "zh"))
    pages: dict[str, str] = {}

    def page(name: str, template: str, depth: int, current: str, **extra: object) -> None:
        # current: the page's part of the site, which the navigation marks (index, table, dimension, unit, task)
        context = dict(common, links=links.at(depth), current=current, **extra)
        pages[name] = render_template(template, context, env=env)

    # Every unit's rows in one pass over the tasks, and each dimension's and measure's
    # tasks in another: asked per page, each was a walk over every task.
    index = unit_task_index(register, include_open=True)
    lists = {name: build_unit_list(register, name, rows) for name, rows in index.items()}
    counts = []
    for unit in register.units:
        assigned = [row for row in index[unit.name] if not row.open]
        led = sum(1 for row in assigned if row.role == LEAD)
        counts.append((unit, led, len(assigned) - led))
    rows = table_rows(register)
    # the full table's column widths serve every table of the site (site_table, site_unit)
    common["layout"] = replace(common["layout"], rows=tuple(rows))
    by_top: dict[str, list[TableRow]] = {}
    under: dict[str, list[Task]] = {}  # every heading's tasks, however deep below it
    for row in rows:
        if row.task.path:
            by_top.setdefault(row.task.path[0], []).append(row)
        for key in row.task.path:
            under.setdefault(key, []).append(row.task)

    # Why freeze: the register and these indexes (hundreds of thousands of objects at
    # 10,000 tasks) live until the end, and rendering allocates so many short-lived
    # ones that the collector's full passes over them were half the time.
    gc.freeze()
    with remembered():
        try:
            page(
                "index.html",
                "site/index.html",
                0,
                "index",
                milestones=due(register, date.max),
                ongoing=[task for task in register.tasks if task.ongoing],
                unit_counts=counts,
            )
            page(
                "table.html", "site/table.html", 0, "table", rows=rows, filter_data=filter_index(register, rows, index)
            )
            for dimension in register.dimensions:
                tasks = [row.task for row in by_top.get(dimension.key, [])]
                dimension_measures = [h for h in register.headings if h.level > 1 and _within(register, h, dimension)]
                page(
                    links.dimension_file(dimension),
                    "site/dimension.html",
                    1,
                    "dimension",
                    dimension=dimension,
                    dimension_measures=dimension_measures,
                    measure_tasks={h.key: under.get(h.key, []) for h in dimension_measures},
                    rows=table_rows(register, tasks),
                )
            for name in [unit.name for unit in register.units] + [group.name for group in register.groups]:
                path = links.unit_file(name)
                assert path is not None
                page(path, "site/unit.html", 1, "unit", unit=lists[name])
            for number, row in enumerate(rows):
                page(
                    f"tasks/{row.task.id}.html",
                    "site/task.html",
                    1,
                    "task",
                    task=row.task,
                    row=row,
                    previous=rows[number - 1].task if number else None,
                    next=rows[number + 1].task if number + 1 < len(rows) else None,
                )
        finally:
            gc.unfreeze()
    return pages


def _within(register: Register, heading: Heading, top: Heading) -> bool:
    while heading.parent is not None:
        heading = register.heading(heading.parent)
    return heading is top
