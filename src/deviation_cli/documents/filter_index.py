"""What the site's filter box searches: every task with the names a unit's page would list it under.

The table page's script matches each typed word against a task's own words (its
text, headings, deadline wording, due dates) and against the names of the units
that reach it, as each unit's page shows them: the lead, the units and groups named,
each member of a closed group (汉台区 through 各县区政府) and, apart, the units an
open tail may concern (…等市级相关部门单位). A unit is found by its short name, its
full name, an alias, or a group it belongs to.

Why data and not the cells' text: a county's name is in no cell of the tasks it
reaches through its group, and a full name or an alias is in no cell at all.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from ..domain.annex import TableRow
from ..domain.query import UnitTask
from ..domain.register import LEAD, Register

#: How a unit reaches a task, as the script marks it: led, named, through a closed group, through an open tail.
LEAD_REACH, NAMED, VIA_GROUP, OPEN_TAIL = 0, 1, 2, 3


def fold(text: str) -> str:
    """As the script folds what is typed: NFKC, lower case, no white space."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def filter_index(register: Register, rows: Sequence[TableRow], index: Mapping[str, Sequence[UnitTask]]) -> Markup:
    """The filter's data as JSON, safe inside ``<script type="application/json">``.

    ``units``: for each unit and group, its names folded and joined by ``|`` (short
    name, full name, aliases). ``rows``: for each row of the table, in order, the
    task's own words folded (``w``) and how each unit reaches it (``r``: unit index,
    LEAD_REACH/NAMED/VIA_GROUP/OPEN_TAIL, the group's index or -1). ``index`` is
    ``unit_task_index(register, include_open=True)``: what every unit's page lists.
    """
    names = [unit.name for unit in register.units] + [group.name for group in register.groups]
    number = {name: position for position, name in enumerate(names)}
    units = []
    for name in names:
        unit = register.unit(name)
        group = register.group(name)
        words = [name]
        if unit is not None:
            words += [unit.full_name or "", *unit.aliases]
        if group is not None:
            words += list(group.aliases)
        units.append("|".join(dict.fromkeys(fold(word) for word in words if word)))
    reach: dict[int, list[list[int]]] = {row.task.id: [] for row in rows}
    for name, unit_rows in index.items():
        for unit_row in unit_rows:
            found = reach.get(unit_row.task.id)
            if found is None:
                continue
            if unit_row.role == LEAD:
                how = LEAD_REACH
            elif unit_row.open:
                how = OPEN_TAIL
            elif unit_row.via:
                how = VIA_GROUP
            else:
                how = NAMED
            via = number.get(unit_row.via, -1) if unit_row.via and how != LEAD_REACH else -1
            found.append([number[name], how, via])
    entries = []
    for row in rows:
        task = row.task
        words = [str(task.id), task.text, task.deadline, task.lead_text, row.responsible, task.remark or ""]
        for heading in row.headings:
            if heading is not None:
                words += [heading.number or "", heading.title, heading.table_name, heading.body_title]
        for day in task.due:
            words += [day.isoformat(), f"{day.year}年{day.month}月{day.day}日"]
        text = "|".join(dict.fromkeys(fold(word) for word in words if word))
        entries.append({"id": task.id, "w": text, "r": reach[task.id]})
    data = json.dumps({"units": units, "names": names, "rows": entries}, ensure_ascii=False, separators=(",", ":"))
    # Inside <script>: "</script>" or "<!--" in a task's text must not end or comment the element.
    return Markup(data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
