"""A cache of validated registers, so that a repeated query skips YAML and pydantic.

Validating 100,000 tasks takes seconds; the register they describe does not
change between two queries unless a file does. After a successful load the
resolved ``Register`` is written to the user's cache folder
(``$DEVIATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/deviation``, else
``~/.cache/deviation``), one file per register folder, stamped with the format,
the package version and a SHA-256 of both files' bytes. A later load reads the
same bytes, and when the stamp matches it rebuilds the register from the cache
file without importing yaml or pydantic.

Why JSON and not pickle: a cache file is data the tool reads back, and JSON
cannot run code whatever is in it. Anything wrong with a cache file (missing,
unreadable, truncated, written by another version, not ours at all) means a
miss and a fresh validation, never an error: the folder is safe to delete.
Turned off with ``--no-cache`` or ``DEVIATION_NO_CACHE=1``.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import __version__
from . import register as reg

#: Bump when the encoding below changes; older files then simply miss.
FORMAT = 1
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
    return cache_folder() / f"register-{name}.json"


def load(folder: Path, key: str) -> reg.Register | None:
    """The cached register of ``folder`` when its stamp is ``key``; None on any miss."""
    try:
        with cache_file(folder).open("rb") as handle:
            header = json.loads(handle.readline())
            if header != {"magic": MAGIC, "format": FORMAT, "version": __version__, "key": key}:
                return None
            body = json.loads(handle.read())
        return decode(body, str(folder))
    except Exception:  # noqa: BLE001 - a cache that cannot be read is a miss, whatever the reason
        return None


def store(folder: Path, key: str, register: reg.Register) -> bool:
    """Write the cache entry atomically; a cache that cannot be written is silently skipped."""
    from .errors import DeviationError
    from .fileio import write_atomic

    header = json.dumps({"magic": MAGIC, "format": FORMAT, "version": __version__, "key": key})
    body = json.dumps(encode(register), ensure_ascii=False, separators=(",", ":"))
    target = cache_file(folder)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, f"{header}\n{body}".encode("utf-8"))
    except (OSError, DeviationError):
        return False
    return True


# --- encoding: plain JSON arrays, references shared through tables -------------------------


def encode(register: reg.Register) -> dict[str, Any]:
    refs: dict[reg.UnitRef, int] = {}
    tasks = []
    for task in register.tasks:
        tasks.append([
            task.id, task.measure, task.dimension, task.text, task.lead, list(task.responsible),
            [refs.setdefault(ref, len(refs)) for ref in task.refs], task.deadline,
            [day.toordinal() for day in task.due], task.ongoing, task.line,
        ])
    doc = register.document
    return {
        "document": [
            doc.title, doc.written.isoformat(), doc.index_no, doc.source, doc.publisher,
            doc.published.isoformat() if doc.published else None, doc.recipients, doc.cover_letter,
            doc.annex_title, [[s.heading, s.text] for s in doc.sections],
        ],
        "dimensions": [[d.key, d.name, d.table_name, d.problem] for d in register.dimensions],
        "measures": [[m.number, m.dimension, m.title, m.body_title, m.text] for m in register.measures],
        "units": [[u.name, u.kind, u.full_name, list(u.aliases)] for u in register.units],
        "groups": [[g.name, list(g.members), list(g.open_to), list(g.aliases)] for g in register.groups],
        "shared_suffixes": list(register.shared_suffixes),
        "refs": [[ref.written, ref.name, ref.kind] for ref in refs],
        "tasks": tasks,
    }


def decode(body: dict[str, Any], folder: str) -> reg.Register:
    (title, written, index_no, source, publisher, published, recipients, cover_letter, annex_title,
     sections) = body["document"]
    document = reg.Document(
        title=title, written=date.fromisoformat(written), index_no=index_no, source=source,
        publisher=publisher, published=datetime.fromisoformat(published) if published else None,
        recipients=recipients, cover_letter=cover_letter, annex_title=annex_title,
        sections=tuple(reg.Section(heading, text) for heading, text in sections),
    )
    refs = [reg.UnitRef(*ref) for ref in body["refs"]]
    days: dict[int, date] = {}
    Task = reg.Task
    tasks = tuple(
        Task(
            task_id, measure, dimension, text, lead, tuple(responsible),
            tuple([refs[index] for index in ref_indexes]), deadline,
            tuple([days.get(day) or days.setdefault(day, date.fromordinal(day)) for day in due]),
            ongoing, line,
        )
        for task_id, measure, dimension, text, lead, responsible, ref_indexes, deadline, due, ongoing, line
        in body["tasks"]
    )
    return reg.Register(
        folder=folder,
        document=document,
        dimensions=tuple(reg.Dimension(*fields) for fields in body["dimensions"]),
        measures=tuple(reg.Measure(*fields) for fields in body["measures"]),
        tasks=tasks,
        units=tuple(reg.Unit(name, kind, full_name, tuple(aliases)) for name, kind, full_name, aliases in body["units"]),
        groups=tuple(
            reg.Group(name, tuple(members), tuple(open_to), tuple(aliases))
            for name, members, open_to, aliases in body["groups"]
        ),
        shared_suffixes=tuple(body["shared_suffixes"]),
    )
