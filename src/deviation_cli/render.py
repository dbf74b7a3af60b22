"""Documents people read, print and send: Jinja templates over a register, and the data they get.

Templates (Markdown and HTML) live in the repository's ``templates/`` folder,
bundled into the wheel; a user folder given with ``templates=`` is searched
first, so any one template can be replaced (a letterhead, a house style).

Why a sandboxed environment: a template folder is something a user hands the
tool, like the register itself, and must not reach Python internals through
``{{ x.__class__ }}``. Why StrictUndefined: a typo in a template must fail
loudly, not print a blank into a notice that gets sent.

This module returns text (or, for the site, a mapping of file names to text);
writing files is the caller's job.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import Issue, UsageError, usage_error
from .query import DueItem, UnitTask, directory, due, find_unit, unit_task_index, unit_tasks
from .register import LEAD, Dimension, Group, Measure, Register, Task, Unit
from .units import join_unit_list

KINDS = ("notice", "unit", "table", "due")
FORMATS = ("md", "html")


# --- the data a template gets -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the 任务分解表; merged cells are written on the first row of their run."""

    task: Task
    dimension: Dimension
    measure: Measure
    dimension_span: int  # rows the 管控 cell covers; 0 on rows it continues over
    measure_span: int  # rows the 改进措施 cell covers; 0 on rows it continues over
    responsible: str  # the 责任单位 cell, laid out as the source writes it


def table_rows(register: Register, tasks: Iterable[Task] | None = None) -> list[TableRow]:
    """The table's rows in order, with the rowspans of the source's merged cells.

    A run of consecutive rows with one dimension shares one 管控 cell; within it,
    a run with one measure shares one 改进措施 cell.
    """
    chosen = list(register.tasks if tasks is None else tasks)
    units = directory(register)
    spans_dimension = _run_lengths([task.dimension for task in chosen])
    spans_measure = _run_lengths([(task.dimension, task.measure) for task in chosen])
    return [
        TableRow(
            task=task,
            dimension=register.dimension_of(task),
            measure=register.measure_of(task),
            dimension_span=spans_dimension[index],
            measure_span=spans_measure[index],
            responsible=join_unit_list(task.responsible, units),
        )
        for index, task in enumerate(chosen)
    ]


def _run_lengths(keys: Sequence[Any]) -> list[int]:
    """For each position: the length of the run starting there, or 0 inside a run."""
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


@dataclass(frozen=True, slots=True)
class UnitList:
    """A unit's 责任清单: what it leads, what it shares, what an open tail may ask of it."""

    name: str  # canonical
    display_name: str  # the full official name where the register knows it
    unit: Unit | None
    group: Group | None
    lead: tuple[UnitTask, ...]
    shared: tuple[UnitTask, ...]
    open: tuple[UnitTask, ...] = ()  # reached only through 等…相关部门单位, never counted as assigned
    member_of: tuple[str, ...] = ()  # closed groups that list the unit

    @property
    def rows(self) -> tuple[UnitTask, ...]:
        return self.lead + self.shared

    @property
    def dated(self) -> tuple[UnitTask, ...]:
        return tuple(row for row in self.rows if row.task.due)

    @property
    def ongoing(self) -> tuple[UnitTask, ...]:
        return tuple(row for row in self.rows if row.task.ongoing)

    @property
    def milestones(self) -> list[tuple[date, list[Task]]]:
        return milestones_by_date(row.task for row in self.rows)


def milestones_by_date(tasks: Iterable[Task]) -> list[tuple[date, list[Task]]]:
    """Each milestone date with the tasks due then (by id): 2023-06-30 -> [1, 22, 23]."""
    by_date: dict[date, dict[int, Task]] = {}
    for task in tasks:
        for milestone in task.due:
            by_date.setdefault(milestone, {})[task.id] = task
    return [(day, [found[key] for key in sorted(found)]) for day, found in sorted(by_date.items())]


def unit_list(register: Register, name: str, include_open: bool = False) -> UnitList:
    """The 责任清单 of a unit or group, by any name ``find_unit`` accepts."""
    canonical = find_unit(register, name)
    return _unit_list(register, canonical, unit_tasks(register, canonical, include_open=include_open))


def _unit_list(register: Register, canonical: str, rows: Sequence[UnitTask]) -> UnitList:
    unit = register.unit(canonical)
    return UnitList(
        name=canonical,
        display_name=(unit.full_name if unit and unit.full_name else canonical),
        unit=unit,
        group=register.group(canonical),
        lead=tuple(row for row in rows if row.role == LEAD),
        shared=tuple(row for row in rows if row.role != LEAD and not row.open),
        open=tuple(row for row in rows if row.open),
        member_of=tuple(group.name for group in register.groups if canonical in group.members),
    )


def assigned_units(register: Register) -> list[str]:
    """Units (not groups) that lead or share at least one task, in register order."""
    return [unit.name for unit in register.units if unit_tasks(register, unit.name)]


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


# --- helpers templates may call ------------------------------------------------------------


def date_zh(value: date | None) -> str:
    """成文日期 as GB/T 9704 writes it: Arabic numerals, no leading zeros (2023年6月18日)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u201c\u201d\u2018\u2019"
_FULL_WIDTH = {",": "\uff0c", ";": "\uff1b", ":": "\uff1a", "!": "\uff01", "?": "\uff1f", "(": "\uff08", ")": "\uff09"}
_CJK_PUNCT = re.compile(rf"(?<=[{_CJK}])[ \t]*([,;:!?])[ \t]*|[ \t]*([,;:!?])[ \t]*(?=[{_CJK}])")
_CJK_PARENS = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)")


def cjk_punctuation(value: Any) -> Any:
    """Half-width punctuation next to Chinese text written full-width, as print expects.

    Why: the register is kept NFKC-normalised (制度(试行), 一季度80%,), which reads
    wrong in a printed notice; the text shown is NFKC-equal to the register, so
    nothing is changed but the width. Other values pass through untouched.
    """
    if type(value) is not str:  # Markup is already final (a macro's output, an escaped cell)
        return value
    if _site_memo is not None:
        found = _site_memo.get(value)
        if found is None:
            found = _site_memo[value] = _full_width(value)
        return found
    return _full_width(value)


#: While a site is built: text -> its full-width form. A site prints a task's text on
#: its own page, the table, its dimension and every unit page naming it; a single
#: document prints it once, so only ``build_site`` keeps one (and drops it after).
_site_memo: dict[str, str] | None = None


def _full_width(value: str) -> str:
    text = _CJK_PARENS.sub(lambda m: "\uff08" + m.group(1) + "\uff09", value)
    return _CJK_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(1) or m.group(2)], text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>&])")


def markdown_inline(value: Any) -> Any:
    """Text made safe for one line or one table cell of GitHub Markdown.

    Pipes, Markdown punctuation, ``<``, ``>`` and ``&`` are backslash-escaped (so a
    task text holding ``<script>`` shows as text, not as HTML); line breaks become ``<br>``.
    """
    from markupsafe import Markup

    text = cjk_punctuation("" if value is None else str(value))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Markup: final, so the environment's finalize does not process it a second time.
    return Markup(re.sub(r"\r\n|\r|\n", "<br>", text))


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
            taken: set[str] = set()
            for name in [unit.name for unit in self.register.units] + [group.name for group in self.register.groups]:
                slug = file_slug(name)
                candidate, number = slug, 2
                while candidate.lower() in taken:
                    candidate, number = f"{slug}-{number}", number + 1
                taken.add(candidate.lower())
                self._unit_files[name] = f"units/{candidate}.html"

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

    def dimension_file(self, dimension: Dimension | str) -> str:
        key = dimension if isinstance(dimension, str) else dimension.key
        return f"dimensions/{file_slug(key)}.html"

    def dimension(self, dimension: Dimension | str) -> str:
        return self.root + _quote(self.dimension_file(dimension))

    def measure(self, measure: Measure) -> str:
        return f"{self.dimension(measure.dimension)}#measure-{measure.number}"

    def page(self, name: str) -> str:
        return self.root + name


_UNSAFE_FILE_CHARACTERS = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')


def file_slug(name: str) -> str:
    """A file name for a unit or key: Chinese kept (readable), separators and controls replaced."""
    slug = _UNSAFE_FILE_CHARACTERS.sub("_", name).strip("._") or "_"
    return slug[:80]


@functools.lru_cache(maxsize=1 << 12)
def _quote(path: str) -> str:
    # Cached: every row of a site links its lead unit, a few hundred names in all.
    return urllib.parse.quote(path, safe="/#")


# --- the Jinja environment -----------------------------------------------------------------


def template_folders(templates: str | os.PathLike[str] | None = None, subfolder: str | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: the user's folder, then the bundled one.

    ``subfolder`` narrows the bundled folder (the 通报's templates live in ``report/``);
    the user's folder is searched as given.
    """
    from .load import bundled_templates_folder

    folders = []
    if templates is not None:
        folder = Path(templates)
        if not folder.is_dir():
            raise usage_error("templates_folder_missing", folder=str(folder))
        folders.append(folder)
    bundled = bundled_templates_folder()
    folders.append(bundled / subfolder if subfolder else bundled)
    return folders


def environment(templates: str | os.PathLike[str] | None = None) -> Any:
    """A sandboxed Jinja environment: autoescape for .html, StrictUndefined, the helpers as filters.

    One per template folder, so rendering a file per unit compiles each template once
    (Jinja still reloads a template whose file changed).
    """
    return _environment(tuple(str(folder) for folder in template_folders(templates)))


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> Any:
    return build_environment(folders)


def build_environment(folders: Sequence[str], escape_all: bool = False, finalize: bool = True) -> Any:
    """The one place a Jinja environment is made; every template the tool renders goes through one.

    Sandboxed, StrictUndefined, loading from ``folders`` in order (a user's folder
    first overrides a bundled template of the same name), with the helpers as filters.
    HTML-escaped: files named .html/.htm/.xml, or every template with ``escape_all``
    (the 通报's Markdown relies on it: a Markdown viewer renders HTML in a cell).
    ``finalize`` writes punctuation next to Chinese full-width in every value printed.
    Render with ``render_template`` so a broken template is a located message.
    Callers may add their own filters to the environment returned (it is new each call).
    """
    from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape

    options: dict[str, Any] = {"finalize": cjk_punctuation} if finalize else {}
    env = _sandbox()(
        loader=FileSystemLoader(list(folders), encoding="utf-8"),
        undefined=StrictUndefined,
        autoescape=True if escape_all else select_autoescape(
            enabled_extensions=("html", "htm", "xml"), default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters["md"] = markdown_inline
    env.filters["date_zh"] = date_zh
    env.filters["zh"] = cjk_punctuation
    return env


@functools.lru_cache(maxsize=1)
def _sandbox() -> Any:
    """SandboxedEnvironment, with a short way through for the register's own record types.

    Why: the sandbox checks every ``a.b`` in a template, which was a third of the
    time of a large site. For an instance of the plain records below, a name not
    starting with ``_`` is a field, a property or a method of ours, which the sandbox
    would allow anyway (it refuses ``_`` names and the internals of functions,
    frames, code and types; calling a method still goes through its checks).
    Anything else, and every ``_`` name, takes the sandbox's own path.
    """
    from jinja2.sandbox import SandboxedEnvironment

    from . import query, register

    plain = frozenset({
        register.Document, register.Dimension, register.Measure, register.Task, register.Unit,
        register.Group, register.UnitRef, query.UnitTask, query.DueItem, TableRow, UnitList, DueList, Links,
    })

    class Sandbox(SandboxedEnvironment):  # type: ignore[misc]
        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) in plain and not attribute.startswith("_"):
                try:
                    return getattr(obj, attribute)
                except AttributeError:
                    pass
            return super().getattr(obj, attribute)

    return Sandbox


def render_template(name: str, context: dict[str, Any], templates: str | os.PathLike[str] | None = None, env: Any = None) -> str:
    """Render one template; a broken user template is a located UsageError, not a traceback."""
    from jinja2 import TemplateError

    env = env or environment(templates)
    try:
        return env.get_template(name).render(**context)
    except TemplateError as error:
        raise UsageError(_template_issue(error, name, env)) from None
    except Exception as error:
        # `{{ 1 / 0 }}` in a user's template is the user's to fix; the same in a
        # bundled template is a bug and keeps its traceback.
        path, line = _failing_template_line(error, env, user_only=True)
        if not path:
            raise
        from .load import display_path

        problem = f"{type(error).__name__}: {error}"
        raise UsageError(Issue("template_error", display_path(Path(path)), line, 1, {"name": name, "problem": problem})) from None


def _template_issue(error: Exception, name: str, env: Any) -> Issue:
    from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError

    from .load import display_path

    if isinstance(error, TemplateNotFound):
        return Issue("template_missing", args={"name": error.name or name})
    path, line = "", 0
    if isinstance(error, TemplateSyntaxError):
        path, line = error.filename or "", error.lineno or 0
        code = "template_syntax"
    else:
        path, line = _failing_template_line(error, env)
        code = "template_unsafe" if isinstance(error, SecurityError) else (
            "template_undefined" if isinstance(error, UndefinedError) else "template_error")
    message = getattr(error, "message", None) or str(error)
    return Issue(code, display_path(Path(path)) if path else "", line, 0 if not line else 1, {"name": name, "problem": message})


def _failing_template_line(error: Exception, env: Any, user_only: bool = False) -> tuple[str, int]:
    """The template file and line where rendering failed (Jinja puts them in the traceback).

    With ``user_only``, only a user's folder counts (the bundled one is searched last).
    """
    folders = [os.path.abspath(folder) for folder in env.loader.searchpath]
    if user_only:
        folders = folders[:-1]
    found = ("", 0)
    tb = error.__traceback__
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if any(filename.startswith(folder + os.sep) for folder in folders):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


# --- documents -----------------------------------------------------------------------------


def render_document(
    register: Register,
    kind: str,
    fmt: str = "md",
    *,
    unit: str | None = None,
    issuer: str | None = None,
    on: date | None = None,
    before: date | None = None,
    after: date | None = None,
    as_of: date | None = None,
    templates: str | os.PathLike[str] | None = None,
) -> str:
    """One document as text: ``kind`` in KINDS, ``fmt`` in FORMATS.

    notice: a 通知 to ``unit`` (or, without one, to every unit) from ``issuer``
    (default: the document's source office), dated ``on`` (default today).
    unit: ``unit``'s 责任清单. table: the full 任务分解表. due: the milestones in
    [after, before] (all of them by default), of one unit's tasks if given.
    """
    if kind not in KINDS:
        raise usage_error("arg_bad_choice", option="KIND", choices=", ".join(KINDS), value=kind)
    if fmt not in FORMATS:
        raise usage_error("arg_bad_choice", option="--format", choices=", ".join(FORMATS), value=fmt)
    context: dict[str, Any] = base_context(register)
    if kind == "notice":
        issuer = issuer or register.document.source
        if not issuer:
            raise usage_error("render_needs_issuer")
        context.update(issuer=issuer, date=on or date.today())
        if unit is not None:
            context.update(recipient=unit_list(register, unit), recipients=None)
        else:
            lists = [unit_list(register, name) for name in assigned_units(register)]
            context.update(recipient=None, recipients=lists, rows=table_rows(register))
    elif kind == "unit":
        if unit is None:
            raise usage_error("render_needs_unit", kind=kind)
        context.update(unit=unit_list(register, unit))
    elif kind == "table":
        if unit is not None:
            raise usage_error("render_unit_not_used", kind=kind)
        context.update(rows=table_rows(register))
    else:
        context.update(due=due_list(register, before, after, as_of, unit))
    return render_template(f"{kind}.{fmt}", context, templates)


def base_context(register: Register) -> dict[str, Any]:
    units = directory(register)
    return {
        "register": register,
        "document": register.document,
        "dimensions": register.dimensions,
        "measures": register.measures,
        "tasks": register.tasks,
        "join_units": lambda entries: join_unit_list(entries, units),
        "milestones": milestones_by_date,
        "links": None,
    }


# --- the site ------------------------------------------------------------------------------


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
    from .output import word

    env = environment(templates)
    today = as_of or date.today()
    links = Links(register)
    common = base_context(register)
    common.update(as_of=today, kind_label=lambda kind: word(kind, "zh"))
    pages: dict[str, str] = {}

    def page(name: str, template: str, depth: int, **extra: Any) -> None:
        context = dict(common, links=links.at(depth), **extra)
        pages[name] = render_template(template, context, env=env)

    # Every unit's rows in one pass over the tasks, and each dimension's and measure's
    # tasks in another: asked per page, each was a walk over every task.
    index = unit_task_index(register, include_open=True)
    lists = {name: _unit_list(register, name, rows) for name, rows in index.items()}
    counts = []
    for unit in register.units:
        assigned = [row for row in index[unit.name] if not row.open]
        led = sum(1 for row in assigned if row.role == LEAD)
        counts.append((unit, led, len(assigned) - led))
    rows = table_rows(register)
    by_dimension: dict[str, list[TableRow]] = {}
    by_measure: dict[int, list[Task]] = {}
    for row in rows:
        by_dimension.setdefault(row.task.dimension, []).append(row)
        by_measure.setdefault(row.task.measure, []).append(row.task)

    # Why freeze: the register and these indexes (hundreds of thousands of objects at
    # 10,000 tasks) live until the end, and rendering allocates so many short-lived
    # ones that the collector's full passes over them were half the time.
    global _site_memo
    _site_memo = {}
    gc.freeze()
    try:
        page(
            "index.html", "site/index.html", 0,
            milestones=due(register, date.max), ongoing=[task for task in register.tasks if task.ongoing],
            unit_counts=counts,
        )
        page("table.html", "site/table.html", 0, rows=rows)
        for dimension in register.dimensions:
            tasks = [row.task for row in by_dimension.get(dimension.key, [])]
            dimension_measures = [m for m in register.measures if m.dimension == dimension.key]
            page(
                links.dimension_file(dimension), "site/dimension.html", 1,
                dimension=dimension,
                dimension_measures=dimension_measures,
                measure_tasks={m.number: by_measure.get(m.number, []) for m in dimension_measures},
                rows=table_rows(register, tasks),
            )
        for name in [unit.name for unit in register.units] + [group.name for group in register.groups]:
            path = links.unit_file(name)
            assert path is not None
            page(path, "site/unit.html", 1, unit=lists[name])
        for number, row in enumerate(rows):
            page(
                f"tasks/{row.task.id}.html", "site/task.html", 1,
                task=row.task, row=row,
                previous=rows[number - 1].task if number else None,
                next=rows[number + 1].task if number + 1 < len(rows) else None,
            )
    finally:
        gc.unfreeze()
        _site_memo = None
    return pages
