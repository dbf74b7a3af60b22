"""A cache of validated registers, so that a repeated query skips YAML and pydantic.

Validating 100,000 tasks takes seconds; the register they describe does not
change between two queries unless a file does. After a successful load the
resolved ``Register`` is written to the user's cache folder
(``$DEVIATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/deviation``, else
``~/.cache/deviation``), one file per register folder, stamped with the format,
the package version and a SHA-256 of both files' bytes. A later load reads the
same bytes, and when the stamp matches it rebuilds the register from the cache
file without importing yaml or pydantic.

Why not pickle: unpickling runs whatever code the file names, so a cache file
anyone could drop in the folder would be code the tool runs. The file holds
only plain values instead: a JSON header line, then ``marshal`` data of lists,
ints and strings (marshal builds values, it never runs anything; the stdlib
warns it is not hardened against hostile bytes, which would have to be put
in the user's own cache folder by someone who could as well edit their shell
profile), then the task texts as one UTF-16 blob. Everything read back is
checked for shape before a register is built from it. Anything wrong with a
cache file (missing, unreadable, truncated, written by another version, not
ours at all) means a miss and a fresh validation, never an error: the folder
is safe to delete.
Turned off with ``--no-cache`` or ``DEVIATION_NO_CACHE=1``.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .._version import __version__
from ..domain import register as reg
from .atomic import write_atomic

#: Bump when the encoding below changes; older files then simply miss.
FORMAT = 5
MAGIC = "deviation-register-cache"


def enabled() -> bool:
    """False when ``DEVIATION_NO_CACHE`` is set to anything but ``""``/``0``."""
    return os.environ.get("DEVIATION_NO_CACHE", "") in ("", "0")


def cache_folder() -> Path:
    explicit = os.environ.get("DEVIATION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "deviation"


def content_key(contents: list[bytes]) -> str:
    """SHA-256 of the package version and of each file's bytes (lengths keep the parts apart)."""
    digest = hashlib.sha256(f"{MAGIC}/{FORMAT}/{__version__}".encode())
    for content in contents:
        digest.update(len(content).to_bytes(8, "little"))
        digest.update(content)
    return digest.hexdigest()


def cache_file(folder: Path) -> Path:
    """One cache file per register folder: a new version of the files replaces the old entry."""
    try:
        where = str(folder.resolve())
    except OSError:
        where = os.path.abspath(folder)
    name = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return cache_folder() / f"register-{name}.cache"


#: The fields this codec writes and reads, class by class. When domain/register.py
#: gains or loses a field, the cache turns itself off (every load validates,
#: nothing is written) instead of handing out records with a field missing;
#: tests/test_cache.py then fails until ``encode``/``decode`` learn the field.
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


def load(folder: Path, key: str) -> reg.Register | None:
    """The cached register of ``folder`` when its stamp is ``key``; None on any miss."""
    import gc

    if not codec_matches_register():
        return None

    # Millions of fresh objects, no cycles: the collector would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with cache_file(folder).open("rb") as handle:
            header = json.loads(handle.readline())
            if header.get("key") != key or header != _header(key, header.get("body")):
                return None
            body = marshal.loads(handle.read(header["body"]))
            texts = handle.read()
        return decode(body, texts, str(folder))
    except Exception:
        return None
    finally:
        if gc_was_enabled:
            gc.enable()


def _header(key: str, body: object) -> dict[str, object]:
    return {"magic": MAGIC, "format": FORMAT, "version": __version__, "key": key, "body": body}


def store(folder: Path, key: str, register: reg.Register) -> bool:
    """Write the cache entry atomically; a cache that cannot be written is silently skipped."""
    if not codec_matches_register():
        return False
    try:
        body_data, texts = encode(register)
        body = marshal.dumps(body_data)
        header = json.dumps(_header(key, len(body))).encode("utf-8")
        target = cache_file(folder)  # Path.home() may fail without a HOME: still no cache, no error
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, b"".join([header, b"\n", body, texts]))
    except Exception:
        return False
    return True


# --- encoding: columns, strings shared through tables, task texts as one blob ------------
#
# Why columns and a blob: reading 100,000 tasks back must take well under a
# second. marshal reads one list per field about 2.5x faster than json.loads;
# the task texts, most of the bytes, are split out of one UTF-16 blob, which
# decodes faster than UTF-8 for Chinese and is a third smaller (a valid
# register never holds NUL, yamlsource refuses it, so NUL can separate them).


def encode(register: reg.Register) -> tuple[dict[str, Any], bytes]:
    names: dict[str, int] = {}
    # Keyed by identity: the checks hand out one UnitRef object per name, and
    # hashing the dataclass (a Python-level __hash__) 700,000 times costs more
    # than writing the rare equal twin twice.
    tasks = register.tasks
    by_identity = {id(ref): ref for task in tasks for ref in task.refs}
    ref_objects = list(by_identity.values())
    index_of = {identity: index for index, identity in enumerate(by_identity)}
    ref_lists = [[index_of[id(ref)] for ref in task.refs] for task in tasks]
    dues: dict[tuple[date, ...], int] = {}
    # Tasks share a few hundred heading paths and lead lists: each is stored once.
    paths: dict[tuple[str, ...], int] = {}
    lead_sets: dict[tuple[str, ...], int] = {}
    # In a valid register every responsible entry resolved, so the list is the
    # refs' spelling; it is stored only where it is not.
    spelled_apart = [
        [position, list(task.responsible)]
        for position, task in enumerate(tasks)
        if task.responsible != tuple([ref.written for ref in task.refs])
    ]
    doc = register.document
    plan = register.plan
    body = {
        "document": [
            doc.title,
            doc.written.isoformat(),
            doc.index_no,
            doc.source,
            doc.publisher,
            doc.published.isoformat() if doc.published else None,
            doc.recipients,
            doc.cover_letter,
            doc.annex_title,
            [[s.heading, s.text] for s in doc.sections],
            doc.doc_number,
        ],
        "plan": [
            [[level.name, level.column, level.counter] for level in plan.levels],
            [list(pair) for pair in plan.labels],
            plan.year,
            plan.start.isoformat() if plan.start else None,
            plan.end.isoformat() if plan.end else None,
            plan.reporting,
            list(plan.awards),
            plan.admin_level,
        ],
        "headings": [
            [h.key, h.level, h.title, h.parent, h.number, h.table_title, h.body_title, h.text, h.problem]
            for h in register.headings
        ],
        "units": [[u.name, u.kind, u.full_name, list(u.aliases), u.level] for u in register.units],
        "groups": [[g.name, list(g.members), list(g.open_to), list(g.aliases)] for g in register.groups],
        "shared_suffixes": list(register.shared_suffixes),
        "tasks": {
            "id": [task.id for task in tasks],
            "path": [paths.setdefault(task.path, len(paths)) for task in tasks],
            "leads": [lead_sets.setdefault(task.leads, len(lead_sets)) for task in tasks],
            "deadline": [names.setdefault(task.deadline, len(names)) for task in tasks],
            "due": [dues.setdefault(task.due, len(dues)) for task in tasks],
            "ongoing": [task.ongoing for task in tasks],
            "line": [task.line for task in tasks],
            "refs": ref_lists,
            "responsible": spelled_apart,
            "remark": [[position, task.remark] for position, task in enumerate(tasks) if task.remark is not None],
        },
        "names": list(names),
        "paths": [list(path) for path in paths],
        "lead_sets": [list(leads) for leads in lead_sets],
        "refs": [[ref.written, ref.name, ref.kind] for ref in ref_objects],
        "dues": [[day.toordinal() for day in due] for due in dues],
    }
    if any("\0" in task.text for task in tasks):
        raise ValueError("NUL in a task text")
    return body, "\0".join(task.text for task in tasks).encode("utf-16-le")


def decode(body: dict[str, Any], blob: bytes, folder: str) -> reg.Register:
    (
        title,
        written,
        index_no,
        source,
        publisher,
        published,
        recipients,
        cover_letter,
        annex_title,
        sections,
        doc_number,
    ) = body["document"]
    document = reg.Document(
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
        doc_number=doc_number,
    )
    levels, labels, year, start, end, reporting, awards, admin_level = body["plan"]
    plan = reg.Plan(
        levels=tuple(reg.Level(*level) for level in levels),
        labels=tuple((field, word) for field, word in labels),
        year=year,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        reporting=reporting,
        awards=tuple(awards),
        admin_level=admin_level,
    )
    columns = body["tasks"]
    _check_shape(body, columns)
    count = len(columns["id"])
    texts = blob.decode("utf-16-le").split("\0") if count else []
    names = body["names"]
    paths = [tuple(path) for path in body["paths"]]
    lead_sets = [tuple(leads) for leads in body["lead_sets"]]
    refs = [reg.UnitRef(*ref) for ref in body["refs"]]
    written_as = [ref.written for ref in refs]
    dues = [tuple([date.fromordinal(day) for day in due]) for due in body["dues"]]
    ref_lists = columns["refs"]
    responsible = [tuple([written_as[index] for index in indexes]) for indexes in ref_lists]
    for position, entries in columns["responsible"]:
        responsible[position] = tuple(entries)
    remarks: list[str | None] = [None] * count
    for position, remark in columns["remark"]:
        remarks[position] = remark
    fields = [
        columns["id"],
        [paths[i] for i in columns["path"]],
        texts,
        [lead_sets[i] for i in columns["leads"]],
        responsible,
        [tuple([refs[i] for i in indexes]) for indexes in ref_lists],
        [names[i] for i in columns["deadline"]],
        [dues[i] for i in columns["due"]],
        columns["ongoing"],
        remarks,
        columns["line"],
    ]
    if any(len(field) != count for field in fields):
        raise ValueError("cache columns of different lengths")
    return reg.Register(
        folder=folder,
        document=document,
        plan=plan,
        headings=tuple(reg.Heading(*fields) for fields in body["headings"]),
        tasks=tuple(map(reg.record_builder(reg.Task), *fields)),
        units=tuple(
            reg.Unit(name, kind, full_name, tuple(aliases), level)
            for name, kind, full_name, aliases, level in body["units"]
        ),
        groups=tuple(
            reg.Group(name, tuple(members), tuple(open_to), tuple(aliases))
            for name, members, open_to, aliases in body["groups"]
        ),
        shared_suffixes=tuple(body["shared_suffixes"]),
    )


def _all(values: object, kind: type) -> bool:
    return isinstance(values, list) and all(value.__class__ is kind for value in values)


def _check_shape(body: object, columns: object) -> None:
    """Refuse (ValueError, hence a miss) a body whose values are not what ``encode`` writes."""
    if not isinstance(body, dict) or not isinstance(columns, dict):
        raise ValueError("cache body is not a mapping")
    plain = (
        all(_all(columns[name], int) for name in ("id", "path", "leads", "deadline", "due", "line"))
        and _all(columns["ongoing"], bool)
        and _all(body["names"], str)
        and all(_all(path, str) for path in body["paths"])
        and all(_all(leads, str) for leads in body["lead_sets"])
        and all(
            isinstance(ref, list) and len(ref) == 3 and all(part.__class__ is str for part in ref)
            for ref in body["refs"]
        )
        and all(_all(due, int) for due in body["dues"])
        and all(_all(indexes, int) for indexes in columns["refs"])
    )
    if not plain:
        raise ValueError("cache body of an unexpected shape")
