"""Listing commands: tasks, unit, units, dimensions, show, search (``due`` has a module of its own)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import typer

from ..domain.query import filter_scope, filter_tasks, find_task, find_unit, search, unit_counts, unit_scope, unit_tasks
from ..domain.register import Register
from ..output.cells import cell, group_kind_name, kind_name, shown_value
from ..output.json_objects import search_object, task_object, unit_object
from ..output.listing import LISTING_FORMATS, emit
from ..words import label, say
from .app import as_of_option, check_format, command, date_option, note_if_bundled, settings
from .loading import load

FORMAT_HELP = "table | json | csv | md"


def _emit(
    records: Iterable[Mapping[str, Any]],
    columns: list[str],
    fmt: str,
    title: str | None = None,
    highlight: str | None = None,
) -> None:
    emit(records, columns, fmt, settings.lang, title=title, highlight=highlight, words=settings.words)


@command("tasks")
def tasks_command(
    unit: str | None = typer.Option(None, "--unit", help="Tasks a unit leads or shares."),
    lead: str | None = typer.Option(None, "--lead", help="Tasks a unit leads."),
    dimension: str | None = typer.Option(
        None, "--dimension", help="First-level heading: key (investment), name (投资结构偏离度) or prefix."
    ),
    measure: str | None = typer.Option(None, "--measure", help="Second-level heading: number or title."),
    heading: str | None = typer.Option(
        None, "--heading", help="A heading at any level: key, numbering (（一）), title or prefix; tasks under it."
    ),
    before: str | None = typer.Option(None, "--before", help="With a milestone on or before this date."),
    after: str | None = typer.Option(None, "--after", help="With a milestone on or after this date."),
    ongoing: bool | None = typer.Option(None, "--ongoing/--no-ongoing", help="Only ongoing / only dated tasks."),
    include_open: bool = typer.Option(
        False, "--include-open", help="With --unit: count open tails (…等市级相关部门单位)."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """List tasks; filters combine.

    Example: deviation tasks --dimension investment --lead 市发改委
    """
    check_format(fmt, LISTING_FORMATS)
    today = as_of_option(None)

    def filters(register: Register) -> dict[str, Any]:
        # Dates are read once the register is (a bad date is reported after a bad register, as ever).
        return dict(
            unit=unit,
            lead=lead,
            dimension=dimension,
            measure=measure,
            heading=heading,
            before=date_option(before, today, "--before"),
            after=date_option(after, today, "--after"),
            ongoing=ongoing,
            include_open=include_open,
        )

    register = load(lambda skeleton: filter_scope(skeleton, **filters(skeleton)))
    tasks = filter_tasks(register, **filters(register))
    _emit((task_object(register, task) for task in tasks), ["id", "dimension", "task", "lead", "deadline"], fmt)
    note_if_bundled(len(tasks))


@command("unit")
def unit_command(
    name: str = typer.Argument(..., help="Short name, full name, alias or unambiguous prefix."),
    role: str | None = typer.Option(None, "--role", help="lead | responsible"),
    include_open: bool = typer.Option(
        False, "--include-open", help="Also tasks reached only through an open tail, marked."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """A unit's responsibility list (责任清单): tasks it leads, then tasks it shares.

    Example: deviation unit 汉台区 --format json
    """
    check_format(fmt, LISTING_FORMATS)
    if role is not None:
        check_format(role, ("lead", "responsible"), "--role")
    register = load(lambda skeleton: unit_scope(skeleton, name, include_open))
    canonical = find_unit(register, name)
    rows = unit_tasks(register, canonical, include_open, role)
    records = (unit_object(register, row) for row in rows)
    columns = ["role", "id", "task", "deadline", "via"] + (["open"] if include_open else [])
    _emit(records, columns, fmt, title=say("cli.unit_title", settings.lang, unit=canonical))


@command("units")
def units_command(fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP)) -> None:
    """Every unit with its kind and how many tasks it leads and shares.

    Example: deviation units --format csv > units.csv
    """
    check_format(fmt, LISTING_FORMATS)
    register = load()
    records = []
    for name, led, shared in unit_counts(register):
        unit = register.unit(name)
        group = register.group(name)
        records.append(
            {
                "unit": name,
                "kind": unit.kind if unit else "group",
                "kind_name": kind_name(unit, register.plan, settings.lang)
                if unit
                else group_kind_name(group, settings.lang),
                "level": (unit.level or (register.plan.admin_level if unit.kind == "department" else None))
                if unit
                else None,
                "full_name": unit.full_name if unit else None,
                "aliases": list(unit.aliases if unit else group.aliases if group else ()),
                "members": list(group.members) if group else None,
                "led": led,
                "shared": shared,
            }
        )
    _emit(records, ["unit", "kind_name", "full_name", "led", "shared"], fmt)


@command("dimensions")
def dimensions_command(fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP)) -> None:
    """The plan's dimensions (方面) with their stated problems and counts.

    Example: deviation dimensions
    """
    check_format(fmt, LISTING_FORMATS)
    register = load()
    records = [
        {
            "key": dim.key,
            "name": dim.name,
            "problem": dim.problem,
            "measures": sum(1 for m in register.measures if m.parent == dim.key),
            "tasks": sum(1 for t in register.tasks if t.path and t.path[0] == dim.key),
        }
        for dim in register.dimensions
    ]
    columns = ["key", "name"]
    if any(dim.problem for dim in register.dimensions):  # a plan that states no problems shows no such column
        columns.append("problem")
    if len(register.levels) > 1:  # the count of headings one level down, in the plan's word for them
        settings.words.setdefault("measures", say("cli.count_of", settings.lang, what=register.levels[1].name))
        columns.append("measures")
    _emit(records, [*columns, "tasks"], fmt)


@command("show")
def show_command(
    task_id: str = typer.Argument(..., metavar="ID", help="The task's 序号."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """One task in full, with its measure's text and its dimension's problem.

    Example: deviation show 22
    """
    check_format(fmt, LISTING_FORMATS)
    register = load()
    task = find_task(register, task_id)
    record = task_object(register, task)
    measure = register.measure_of(task)
    record["measure_number"] = _heading_id(measure.key) if measure else None
    record["measure_text"] = measure.text if measure else None
    top = register.dimension_of(task)
    record["problem"] = top.problem if top else None
    if fmt == "table":
        fields = ["id", "dimension", "problem", "measure", "measure_text", "headings", "task", "lead", "responsible"]
        fields += ["deadline", "due", "remark"]
        shown = [key for key in fields if record.get(key) not in (None, [], "") or key in ("lead", "responsible")]
        rows = [
            {
                "field": label(key, settings.lang, settings.words),
                "value": cell(shown_value(record, key), settings.lang),
            }
            for key in shown
        ]
        _emit(rows, ["field", "value"], fmt, title=say("cli.task_title", settings.lang, id=task.id))
    else:
        _emit([record], ["id", "dimension", "measure", "task", "lead", "deadline"], fmt)


@command("search")
def search_command(
    text: str = typer.Argument(..., help="Words to find in task and measure text."),
    fmt: str = typer.Option("table", "--format", "-f", help=FORMAT_HELP),
) -> None:
    """Find tasks by words in their text or their measure's text, matches highlighted.

    Example: deviation search 数字经济
    """
    check_format(fmt, LISTING_FORMATS)
    register = load()
    records = [search_object(register, hit) for hit in search(register, text)]
    _emit(records, ["id", "matched_field", "task", "lead", "deadline"], fmt, highlight=text)
    note_if_bundled(len(records))


def _heading_id(key: str) -> int | str:
    """A second-level heading's number as JSON has given it (Hanzhong's measures: 8), else its key."""
    return int(key) if key.isdigit() else key
