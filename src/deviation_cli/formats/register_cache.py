"""Registers read back from their cache file: the whole register, or the part of it a query needs.

The file, its stamp and its indexes are ``formats.register_index``; this module
turns its rows into the records of ``domain.register``. ``load`` gives the whole
register (what ``load_register`` hands out); ``narrowed`` gives a register with
every part but the tasks whole, and only the tasks a query's ``Scope`` keeps,
so that ``unit`` or ``tasks --lead`` on 100,000 tasks builds a few thousand
records instead of all of them. A register read back equals the register that
was validated (tests/formats/test_register_cache.py); any miss or damage gives
None, never an error.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..domain import register as reg
from ..domain.query import Scope
from .register_index import CacheDamaged, RegisterIndex, cache_file, enabled, reading
from .register_index import store as store_index

#: The fields this module writes and reads, class by class. When domain/register.py
#: gains or loses a field, the cache turns itself off (every load validates,
#: nothing is written) instead of handing out records with a field missing;
#: tests/formats/test_register_cache.py then fails until the codec learns the field.
CODEC_FIELDS = {
    "Section": ("heading", "text"),
    "Document": (
        "title",
        "written",
        "index_no",
        "source",
        "publisher",
        "published",
        "recipients",
        "cover_letter",
        "annex_title",
        "sections",
        "doc_number",
    ),
    "Level": ("name", "column", "counter"),
    "Plan": ("levels", "labels", "year", "start", "end", "reporting", "awards", "admin_level"),
    "Heading": ("key", "level", "title", "parent", "number", "table_title", "body_title", "text", "problem"),
    "Unit": ("name", "kind", "full_name", "aliases", "level"),
    "Group": ("name", "members", "open_to", "aliases"),
    "UnitRef": ("written", "name", "kind"),
    "Task": (
        "id",
        "path",
        "text",
        "leads",
        "responsible",
        "refs",
        "deadline",
        "due",
        "ongoing",
        "remark",
        "line",
    ),
    "Register": (
        "folder",
        "document",
        "plan",
        "headings",
        "tasks",
        "units",
        "groups",
        "shared_suffixes",
        "_headings",
        "_by_level",
        "has_remarks",
        "_tasks",
        "_units",
        "_groups",
    ),
}


def codec_matches_register() -> bool:
    """Whether domain/register.py's records still have exactly the fields this codec knows."""
    from dataclasses import fields

    return all(
        tuple(field.name for field in fields(getattr(reg, name))) == names for name, names in CODEC_FIELDS.items()
    )


def open_index(folder: Path, key: str) -> RegisterIndex | None:
    """The cache file of ``folder`` when it is fresh for ``key`` (and the codec knows the records); else None."""
    if not enabled() or not codec_matches_register():
        return None
    try:
        return RegisterIndex.open(cache_file(folder), key)
    except Exception:  # e.g. no home folder to find the cache in: no cache, no error
        return None


def load(folder: Path, key: str) -> reg.Register | None:
    """The cached register of ``folder`` when its stamp is ``key``; None on any miss."""
    index = open_index(folder, key)
    if index is None:
        return None
    with index:
        try:
            return narrowed(index, str(folder), None)
        except CacheDamaged:
            return None


def store(folder: Path, key: str, register: reg.Register) -> bool:
    """Write the cache entry atomically; a cache that cannot be written is silently skipped."""
    if not codec_matches_register():
        return False
    try:
        target = cache_file(folder)  # Path.home() may fail without a HOME: still no cache, no error
    except Exception:
        return False
    return store_index(target, key, register)


def narrowed(
    index: RegisterIndex, folder: str, scope: Scope | None, skeleton: reg.Register | None = None
) -> reg.Register:
    """The register of ``index`` holding only the tasks ``scope`` keeps (every task without one).

    Every other part (document, plan, headings, units, groups) is whole, and
    ``has_remarks`` is the whole register's, so a query's answer from it is the
    answer from the whole register. ``skeleton``: the register without its tasks,
    when already read. Raises CacheDamaged.
    """
    if skeleton is None:
        skeleton = _skeleton(index, folder)
    # Millions of fresh objects on a large register, no cycles: the collector would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if scope is None:
            tasks = _all_tasks(index, skeleton)
        else:
            candidates = index.candidates(
                between=scope.between, names=scope.names, headings=scope.headings, ongoing=scope.ongoing
            )
            tasks = _tasks(index, skeleton, index.task_rows(candidates))
    finally:
        if gc_was_enabled:
            gc.enable()
    register = reg.Register(
        folder=folder,
        document=skeleton.document,
        plan=skeleton.plan,
        headings=skeleton.headings,
        tasks=tasks,
        units=skeleton.units,
        groups=skeleton.groups,
        shared_suffixes=skeleton.shared_suffixes,
    )
    # The flag says whether task objects show a ``remark`` field: the whole register decides it, not the part read.
    register.has_remarks = skeleton.has_remarks
    return register


def skeleton(index: RegisterIndex, folder: str) -> reg.Register:
    """The register of ``index`` without its tasks: what a query needs to resolve the names a user typed."""
    return _skeleton(index, folder)


def _skeleton(index: RegisterIndex, folder: str) -> reg.Register:
    with reading():
        document = _document(index.part("document"))
        plan = _plan(index.part("plan"))
        headings = tuple(
            reg.Heading(key, level, title, parent, number, table_title, body_title, text, problem)
            for key, level, title, parent, number, table_title, body_title, text, problem in index.part("headings")
        )
        units = tuple(
            reg.Unit(name, kind, full_name, tuple(_texts(aliases)), level)
            for name, kind, full_name, aliases, level in index.part("units")
        )
        groups = tuple(
            reg.Group(name, tuple(_texts(members)), tuple(_texts(open_to)), tuple(_texts(aliases)))
            for name, members, open_to, aliases in index.part("groups")
        )
        suffixes = tuple(_texts(index.part("shared_suffixes")))
        _check(headings, units, groups)
        register = reg.Register(folder, document, plan, headings, (), units, groups, suffixes)
        register.has_remarks = index.shows()[1]
        return register


def _document(value: Any) -> reg.Document:
    title, written, index_no, source, publisher, published, recipients, cover_letter, annex_title, sections, number = (
        value
    )
    return reg.Document(
        title=title,
        written=date.fromisoformat(written),
        index_no=index_no,
        source=source,
        publisher=publisher,
        published=datetime.fromisoformat(published) if published else None,
        recipients=recipients,
        cover_letter=cover_letter,
        annex_title=annex_title,
        sections=tuple(reg.Section(heading, text) for heading, text in sections),
        doc_number=number,
    )


def _plan(value: Any) -> reg.Plan:
    levels, labels, year, start, end, reporting, awards, admin_level = value
    return reg.Plan(
        levels=tuple(reg.Level(name, column, counter) for name, column, counter in levels),
        labels=tuple((field, word) for field, word in labels),
        year=year,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        reporting=reporting,
        awards=tuple(_texts(awards)),
        admin_level=admin_level,
    )


def _check(headings: Sequence[reg.Heading], units: Sequence[reg.Unit], groups: Sequence[reg.Group]) -> None:
    """Refuse (CacheDamaged) records whose names are not text: JSON can hold anything."""
    names = [h.key for h in headings] + [h.title for h in headings] + [u.name for u in units] + [g.name for g in groups]
    if not all(name.__class__ is str for name in names) or not all(h.level.__class__ is int for h in headings):
        raise CacheDamaged("records of an unexpected shape")


def _texts(value: object) -> list[str]:
    if not isinstance(value, list) or not all(item.__class__ is str for item in value):
        raise CacheDamaged("expected a list of strings")
    return value


class _Shared:
    """What tasks share, built once from the index's parts: paths, lead lists, refs, deadlines.

    Names and keys are the very string objects of the skeleton's units, groups and headings,
    as they are in a register validated from its files: dictionaries keyed by them then
    find a task's names by identity, before comparing any text.
    """

    def __init__(self, index: RegisterIndex, skeleton: reg.Register):
        same = {name: name for name in [u.name for u in skeleton.units] + [g.name for g in skeleton.groups]}
        same.update((heading.key, heading.key) for heading in skeleton.headings)
        self.paths = [tuple([same.get(key, key) for key in keys]) for keys in index.paths()]
        self.lead_sets = [tuple([same.get(name, name) for name in names]) for names in index.lead_sets()]
        self.deadlines = [
            (wording, tuple(map(date.fromisoformat, days)), ongoing) for wording, days, ongoing in index.deadlines()
        ]
        self.refs = [reg.UnitRef(written, same.get(name, name), kind) for written, name, kind in index.refs()]
        self.written = [ref.written for ref in self.refs]


def _all_tasks(index: RegisterIndex, skeleton: reg.Register) -> tuple[reg.Task, ...]:
    """Every task, built field by field from the index's numbers, texts and exceptions."""
    with reading():
        shared = _Shared(index, skeleton)
        numbers = index.numbers()
        exceptions = index.exceptions()
        texts = index.texts()
        count = len(numbers["id"])
        refs, written = shared.refs, shared.written
        ref_lists = []
        start = 0
        all_refs = numbers["refs"]
        for length in numbers["ref_counts"]:
            ref_lists.append(all_refs[start : start + length])
            start += length
        responsible = [tuple([written[number] for number in ref_numbers]) for ref_numbers in ref_lists]
        for position, names in exceptions["responsible"]:
            responsible[position] = tuple(_texts(names))
        remarks: list[str | None] = [None] * count
        for position, remark in exceptions["remark"]:
            remarks[position] = _texts([remark])[0]
        deadlines = [shared.deadlines[number] for number in numbers["deadline"]]
        fields: list[list[Any]] = [
            numbers["id"],
            [shared.paths[number] for number in numbers["path"]],
            texts,
            [shared.lead_sets[number] for number in numbers["leads"]],
            responsible,
            [tuple([refs[number] for number in ref_numbers]) for ref_numbers in ref_lists],
            [deadline[0] for deadline in deadlines],
            [deadline[1] for deadline in deadlines],
            [deadline[2] for deadline in deadlines],
            remarks,
            numbers["line"],
        ]
        if any(len(field) != count for field in fields):
            raise CacheDamaged("columns of different lengths")
        return tuple(map(reg.record_builder(reg.Task), *fields))


def _tasks(index: RegisterIndex, skeleton: reg.Register, rows: list[tuple[Any, ...]]) -> tuple[reg.Task, ...]:
    """Task records from rows of the tasks table (the few a query reads)."""
    with reading():
        shared = _Shared(index, skeleton)
        # By the number as the row writes it, so a row's refs need no int() each.
        refs = {str(number): ref for number, ref in enumerate(shared.refs)}
        make_task = reg.record_builder(reg.Task)
        tasks = []
        for task_id, path, text, leads, ref_numbers, responsible, deadline, remark, line in rows:
            numbers = ref_numbers.split(",") if ref_numbers else []
            wording, due, ongoing = shared.deadlines[deadline]
            tasks.append(
                make_task(
                    task_id,
                    shared.paths[path],
                    text,
                    shared.lead_sets[leads],
                    tuple(index.spelled(ref_numbers, responsible)),
                    tuple([refs[number] for number in numbers]),
                    wording,
                    due,
                    ongoing,
                    remark,
                    line,
                )
            )
        return tuple(tasks)
