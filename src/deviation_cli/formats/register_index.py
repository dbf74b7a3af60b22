"""The cache of a validated register: one SQLite file per register folder, indexed so a query reads what it needs.

Validating 100,000 tasks takes seconds, and the register they describe does not
change between two queries unless a file does. After a successful validation
the resolved register is written to the user's cache folder
(``$DEVIATION_CACHE_DIR``, else ``$XDG_CACHE_HOME/deviation``, else
``~/.cache/deviation``), stamped with the format, the package version and a
SHA-256 of both files' bytes. A later query hashes the files again, and when
the stamp matches it asks the file instead of validating: ``due`` reads the
milestones in its range through an index on their dates, ``unit`` and ``tasks``
read the tasks naming a unit or sitting under a heading through theirs, and
only ``load_register`` reads every task (``formats.register_cache``), from
columns kept for that purpose.

Why SQLite: the standard library has it, it reads a few rows of a large file
without reading the rest, and its tables are plain values (no pickle: nothing
in the file is ever run). The tables are STRICT, so every value read back has
the type its column declares; the file must also carry this application's id,
this format, this package version, the same key and exactly this schema.
Anything wrong with a cache file (missing, unreadable, truncated, damaged, written
by another version, not ours at all) is a miss and a fresh validation, never an
error: the folder is safe to delete. Entries are written to a temporary file and
renamed into place, so no reader ever sees half of one. Off with ``--no-cache``
or ``DEVIATION_NO_CACHE=1``; without STRICT tables (SQLite before 3.37) there is
no cache, and every query validates.

This module knows the file and answers in plain values; it builds no record of
``domain.register``, so the command line can answer ``due`` from it without
loading them (``formats.register_cache`` builds registers from the same file).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .._version import __version__
from .atomic import replaced_atomically

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

    from ..domain.register import Register

#: Bump when the tables change; older files then simply miss.
FORMAT = 6
#: With the byte order of the ``numbers`` arrays: a file from a machine of the other order is a miss.
MAGIC = f"deviation-register-cache/{sys.byteorder}"
#: SQLite's header field for the application that owns a file ("devi"): a foreign file is known at once.
APPLICATION_ID = 0x64657669

#: The tables, each STRICT so that a value always has its column's type, then the indexes.
TABLES = (
    "CREATE TABLE stamp (magic TEXT NOT NULL, format INTEGER NOT NULL, version TEXT NOT NULL, key TEXT NOT NULL)"
    " STRICT",
    # Everything but the task texts, as JSON (see ``_parts``): small, or read whole when it is read.
    "CREATE TABLE parts (name TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
    # Every task's numbers, field by field (``NUMBER_COLUMNS``), each an array of signed 64-bit
    # integers in this machine's byte order: what ``load_register`` builds every task from.
    "CREATE TABLE numbers (name TEXT PRIMARY KEY, items BLOB NOT NULL) STRICT",
    # One row per task, in the register's order. path, leads and deadline number the lists of the
    # parts of those names; refs: the numbers of the "refs" part's entries, joined by ","; responsible:
    # a JSON list where it differs from the refs' spelling.
    "CREATE TABLE tasks (position INTEGER PRIMARY KEY, id INTEGER NOT NULL, path INTEGER NOT NULL,"
    " text TEXT NOT NULL, leads INTEGER NOT NULL, refs TEXT NOT NULL, responsible TEXT, deadline INTEGER NOT NULL,"
    " remark TEXT, line INTEGER NOT NULL) STRICT",
    # every milestone of every task, as a day number (date.toordinal)
    "CREATE TABLE milestones (day INTEGER NOT NULL, position INTEGER NOT NULL) STRICT",
    # for every name the tasks' leads and responsible entries resolve to (units, groups, open tails' groups),
    # the positions of the tasks naming it, ascending, joined by ","
    "CREATE TABLE postings (name TEXT PRIMARY KEY, positions TEXT NOT NULL) STRICT",
)
INDEXES = (
    "CREATE INDEX tasks_by_path ON tasks (path)",
    "CREATE INDEX tasks_by_deadline ON tasks (deadline)",
    "CREATE INDEX milestones_by_day ON milestones (day, position)",
)
SCHEMA = TABLES + INDEXES

#: The fields of ``numbers``: each task's id, path, lead list, deadline and line, how many refs it has,
#: and all tasks' ref numbers one after another.
NUMBER_COLUMNS = ("id", "path", "leads", "deadline", "line", "ref_counts", "refs")

#: The columns of a task row, as ``task_rows`` gives them.
TASK_COLUMNS = "id, path, text, leads, refs, responsible, deadline, remark, line"


class CacheDamaged(Exception):
    """A cache file that opened with the right stamp failed while being read: treat it as a miss."""


class ListedTask(NamedTuple):
    """A task as a listing shows it (the fields of the JSON contract), read without building the register."""

    id: int
    titles: Sequence[str]  # of the headings it sits under, outermost first
    text: str
    leads: Sequence[str]  # canonical names
    responsible: Sequence[str]  # as the register writes them
    deadline: str
    due: Sequence[str]  # ISO dates
    ongoing: bool
    remark: str | None


# --- where the cache lives, whether it is on, and the stamp of a folder's files --------------


def enabled() -> bool:
    """False when ``DEVIATION_NO_CACHE`` is set to anything but ``""``/``0``, or SQLite has no STRICT tables."""
    return os.environ.get("DEVIATION_NO_CACHE", "") in ("", "0") and sqlite3.sqlite_version_info >= (3, 37)


def cache_folder() -> Path:
    explicit = os.environ.get("DEVIATION_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "deviation"


def cache_file(folder: Path) -> Path:
    """One cache file per register folder: a new version of the files replaces the old entry."""
    try:
        where = str(folder.resolve())
    except OSError:
        where = os.path.abspath(folder)
    name_digest = _sha256(0)
    name_digest.update(where.encode("utf-8", "surrogatepass"))
    name = name_digest.hexdigest()[:32]
    return cache_folder() / f"register-{name}.sqlite"


#: From this many bytes on, files are hashed with OpenSSL's SHA-256 (see ``_sha256``).
OPENSSL_FROM = 1 << 20


def _sha256(size: int) -> Hash:
    """A SHA-256 for ``size`` bytes: the interpreter's own for small files, OpenSSL's (hashlib) for large ones.

    Why two: importing hashlib loads OpenSSL, 2 ms that a query on the shipped register
    (70 KB) would spend on nothing else; on 90 MB OpenSSL's is several times faster.
    Both compute the same digest, so the key does not depend on which one ran.
    """
    if size < OPENSSL_FROM:
        import importlib

        for name in ("_sha2", "_sha256"):  # Python 3.12+ / 3.11
            try:
                constructor: Callable[[], Hash] = importlib.import_module(name).sha256
            except (ImportError, AttributeError):
                continue
            return constructor()
    import hashlib

    return hashlib.sha256()


def _stamp_prefix() -> bytes:
    return f"{MAGIC}/{FORMAT}/{__version__}".encode()


def content_key(contents: Sequence[bytes]) -> str:
    """SHA-256 of the format, the package version and each file's bytes followed by their length."""
    digest = _sha256(sum(len(content) for content in contents))
    digest.update(_stamp_prefix())
    for content in contents:
        digest.update(content)
        digest.update(len(content).to_bytes(8, "little"))
    return digest.hexdigest()


#: Bytes read at a time while hashing a file: the file is never held whole.
CHUNK = 1 << 20


def file_key(paths: Sequence[Path], limit: int) -> str | None:
    """``content_key`` of the files' bytes, read in chunks; None when one cannot be read or exceeds ``limit`` bytes."""
    try:
        sizes = [path.stat().st_size for path in paths]
        if any(size > limit for size in sizes):
            return None
        digest = _sha256(sum(sizes))
        digest.update(_stamp_prefix())
        for path in paths:
            length = 0
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    length += len(chunk)
            digest.update(length.to_bytes(8, "little"))
    except OSError:
        return None
    return digest.hexdigest()


# --- writing ---------------------------------------------------------------------------------


def store(path: Path, key: str, register: Register) -> bool:
    """Write the cache entry for ``register`` at ``path`` atomically; False (and nothing written) when it cannot be."""
    if not enabled():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with replaced_atomically(path) as temporary:
            connection = sqlite3.connect(temporary, isolation_level=None)
            try:
                # No journal and no syncing: until the rename the file is no one's, and a torn one is a miss.
                connection.execute("PRAGMA journal_mode = OFF")
                connection.execute("PRAGMA synchronous = OFF")
                write(connection, key, register)
            finally:
                connection.close()
        # The entry the marshal cache of earlier versions kept for the same folder: never read again.
        path.with_suffix(".cache").unlink(missing_ok=True)
    except Exception:
        return False
    return True


def write(connection: sqlite3.Connection, key: str, register: Register) -> None:
    """Fill an empty database with ``register``, stamped with ``key``."""
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {FORMAT}")
    connection.execute("BEGIN")
    for statement in TABLES:
        connection.execute(statement)
    connection.execute("INSERT INTO stamp VALUES (?, ?, ?, ?)", (MAGIC, FORMAT, __version__, key))
    # Tasks share a few hundred heading paths, lead lists and deadlines: each is stored once.
    paths: dict[tuple[str, ...], int] = {}
    lead_sets: dict[tuple[str, ...], int] = {}
    deadlines: dict[tuple[str, tuple[date, ...], bool], int] = {}
    days: list[list[int]] = []
    # Keyed by identity: validation hands out one UnitRef object per name, and hashing the
    # dataclass (a Python-level __hash__) 700,000 times costs more than writing a rare equal twin twice.
    refs: dict[int, tuple[int, str, Any]] = {}
    refs_get = refs.get
    # A name's positions as text; a position twice (a unit that leads and shares) only repeats itself.
    postings: dict[str, list[str]] = {}
    postings_get = postings.get
    rows = []
    milestones: list[tuple[int, int]] = []
    columns: dict[str, list[int]] = {name: [] for name in NUMBER_COLUMNS}
    # Where a task's responsible list is not its refs' spelling, and its 备注: [position, value], JSON.
    exceptions: dict[str, list[Any]] = {"responsible": [], "remark": []}
    ids, path_numbers, lead_numbers, deadline_numbers = (
        columns["id"],
        columns["path"],
        columns["leads"],
        columns["deadline"],
    )
    lines, ref_counts, ref_numbers = columns["line"], columns["ref_counts"], columns["refs"]
    for position, task in enumerate(register.tasks):
        text = str(position)
        numbers = []
        number_texts = []
        written = []
        for ref in task.refs:
            found = refs_get(id(ref))
            if found is None:
                found = refs[id(ref)] = (len(refs), str(len(refs)), ref)
            numbers.append(found[0])
            number_texts.append(found[1])
            written.append(ref.written)
            at = postings_get(ref.name)
            if at is None:
                postings[ref.name] = [text]
            else:
                at.append(text)
        for name in task.leads:
            at = postings_get(name)
            if at is None:
                postings[name] = [text]
            else:
                at.append(text)
        deadline = deadlines.get((task.deadline, task.due, task.ongoing))
        if deadline is None:
            deadline = deadlines[(task.deadline, task.due, task.ongoing)] = len(days)
            days.append([day.toordinal() for day in task.due])
        path = paths.setdefault(task.path, len(paths))
        leads = lead_sets.setdefault(task.leads, len(lead_sets))
        # In a valid register every responsible entry resolved, so the list is the refs' spelling.
        responsible = None if task.responsible == tuple(written) else list(task.responsible)
        rows.append(
            (
                position,
                task.id,
                path,
                task.text,
                leads,
                ",".join(number_texts),
                None if responsible is None else _json(responsible),
                deadline,
                task.remark,
                task.line,
            )
        )
        ids.append(task.id)
        path_numbers.append(path)
        lead_numbers.append(leads)
        deadline_numbers.append(deadline)
        lines.append(task.line)
        ref_counts.append(len(numbers))
        ref_numbers += numbers
        if responsible is not None:
            exceptions["responsible"].append([position, responsible])
        if task.remark is not None:
            exceptions["remark"].append([position, task.remark])
        if task.due:
            milestones += [(day, position) for day in days[deadline]]
    connection.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    del rows
    connection.executemany("INSERT INTO milestones VALUES (?, ?)", milestones)
    connection.executemany(
        "INSERT INTO postings VALUES (?, ?)", ((name, ",".join(at)) for name, at in postings.items())
    )
    titles = {heading.key: heading.title for heading in register.headings}
    shared = {
        "paths": [list(path) for path in paths],
        "titles": [[titles[key] for key in path] for path in paths],
        "lead_sets": [list(leads) for leads in lead_sets],
        "deadlines": [[wording, [day.isoformat() for day in due], ongoing] for wording, due, ongoing in deadlines],
        "refs": [[ref.written, ref.name, ref.kind] for _, _, ref in refs.values()],
        "exceptions": exceptions,
    }
    import array  # here: the cached due never needs it

    connection.executemany(
        "INSERT INTO numbers VALUES (?, ?)",
        ((name, array.array("q", items).tobytes()) for name, items in columns.items()),
    )
    connection.executemany(
        "INSERT INTO parts VALUES (?, ?)",
        [*_parts(register), *((name, _json(value)) for name, value in shared.items())],
    )
    for statement in INDEXES:
        connection.execute(statement)
    connection.execute("COMMIT")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _parts(register: Register) -> Iterator[tuple[str, str]]:
    doc = register.document
    plan = register.plan
    yield (
        "document",
        _json(
            [
                doc.title,
                doc.written.isoformat(),
                doc.index_no,
                doc.source,
                doc.publisher,
                doc.published.isoformat() if doc.published else None,
                doc.recipients,
                doc.cover_letter,
                doc.annex_title,
                [[section.heading, section.text] for section in doc.sections],
                doc.doc_number,
            ]
        ),
    )
    yield (
        "plan",
        _json(
            [
                [[level.name, level.column, level.counter] for level in plan.levels],
                [list(pair) for pair in plan.labels],
                plan.year,
                plan.start.isoformat() if plan.start else None,
                plan.end.isoformat() if plan.end else None,
                plan.reporting,
                list(plan.awards),
                plan.admin_level,
            ]
        ),
    )
    yield (
        "headings",
        _json(
            [
                [h.key, h.level, h.title, h.parent, h.number, h.table_title, h.body_title, h.text, h.problem]
                for h in register.headings
            ]
        ),
    )
    yield "units", _json([[u.name, u.kind, u.full_name, list(u.aliases), u.level] for u in register.units])
    yield "groups", _json([[g.name, list(g.members), list(g.open_to), list(g.aliases)] for g in register.groups])
    yield "shared_suffixes", _json(list(register.shared_suffixes))
    # What a listing needs without the records: the plan's words for columns, and which optional fields show.
    yield "words", _json(plan.words())
    yield "flags", _json({"headings": len(plan.levels) > 2, "remarks": register.has_remarks})


# --- reading -----------------------------------------------------------------------------------


@contextmanager
def reading() -> Iterator[None]:
    """Turn whatever a damaged file makes SQLite or the decoding raise into ``CacheDamaged``."""
    try:
        yield
    except CacheDamaged:
        raise
    except (sqlite3.Error, ValueError, TypeError, LookupError, AttributeError) as error:
        raise CacheDamaged(str(error)) from None


#: The statements a file was made with (an index made by SQLite itself for a primary key has none).
_SCHEMA_TEXT = "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
_LISTED_COLUMNS = "t.id, t.path, t.text, t.leads, t.refs, t.responsible, t.deadline, t.remark"


class RegisterIndex:
    """A register's cache file (or the same tables in memory), answering what listings ask."""

    def __init__(self, connection: sqlite3.Connection):
        self._db = connection
        self._parts: dict[str, Any] = {}
        self._valid: dict[str, list[list[str]]] = {}
        self._deadlines: list[tuple[str, list[str], bool]] | None = None
        self._written: dict[str, str] | None = None

    @classmethod
    def open(cls, path: Path, key: str) -> RegisterIndex | None:
        """The cache file at ``path`` when it is ours and stamped ``key``; None on any miss."""
        try:
            uri = path.absolute().as_uri() + "?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, isolation_level=None)
        except (sqlite3.Error, ValueError, OSError):
            return None
        try:
            if (
                connection.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
                and connection.execute("PRAGMA user_version").fetchone() == (FORMAT,)
                and connection.execute("SELECT * FROM stamp").fetchall() == [(MAGIC, FORMAT, __version__, key)]
                and [row[0] for row in connection.execute(_SCHEMA_TEXT)] == list(SCHEMA)
            ):
                return cls(connection)
        except sqlite3.Error:
            pass
        connection.close()
        return None

    @classmethod
    def of(cls, register: Register, key: str = "") -> RegisterIndex:
        """The same tables, built in memory: a listing of a register validated just now, without a cache."""
        connection = sqlite3.connect(":memory:", isolation_level=None)
        write(connection, key, register)
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RegisterIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the parts ----------------------------------------------------------------------------

    def part(self, name: str) -> Any:
        """One of the parts ``write`` stores, decoded once (its reader checks its shape)."""
        if name not in self._parts:
            with reading():
                row = self._db.execute("SELECT value FROM parts WHERE name = ?", (name,)).fetchone()
                if row is None:
                    raise CacheDamaged(f"no part {name}")
                self._parts[name] = json.loads(row[0])
        return self._parts[name]

    def words(self) -> dict[str, str]:
        """The plan's own words for fields (``Plan.words``)."""
        words = self.part("words")
        if not isinstance(words, dict) or not all(type(value) is str for value in words.values()):
            raise CacheDamaged("words")
        return words

    def title(self) -> str:
        """The document's title (what a reply names when the bundled register answered)."""
        document = self.part("document")
        if not isinstance(document, list) or not document or type(document[0]) is not str:
            raise CacheDamaged("document")
        return document[0]

    def shows(self) -> tuple[bool, bool]:
        """Whether task objects carry ``headings`` (a plan of three levels) and ``remark`` (a plan with 备注)."""
        flags = self.part("flags")
        if not isinstance(flags, dict) or not all(type(flags.get(key)) is bool for key in ("headings", "remarks")):
            raise CacheDamaged("flags")
        return flags["headings"], flags["remarks"]

    def paths(self) -> list[list[str]]:
        """Every heading path by number: the keys of its headings, outermost first."""
        return self._checked("paths", _lists_of_texts)

    def titles(self) -> list[list[str]]:
        """Every heading path by number: the titles of its headings, outermost first."""
        return self._checked("titles", _lists_of_texts)

    def lead_sets(self) -> list[list[str]]:
        return self._checked("lead_sets", _lists_of_texts)

    def _checked(self, name: str, check: Callable[[object], list[list[str]]]) -> list[list[str]]:
        """A part known to have the shape ``check`` requires (checked once, at its first use)."""
        found = self._valid.get(name)
        if found is None:
            found = self._valid[name] = check(self.part(name))
        return found

    def deadlines(self) -> list[tuple[str, list[str], bool]]:
        """Every deadline by number: its wording, its milestones (ISO dates), whether it is ongoing."""
        if self._deadlines is None:
            with reading():
                # Each date read as a date: a damaged one is a miss, never a day that does not exist.
                self._deadlines = [
                    (_text(wording), [date.fromisoformat(day).isoformat() for day in days], _flag(ongoing))
                    for wording, days, ongoing in self.part("deadlines")
                ]
        return self._deadlines

    def refs(self) -> list[list[str]]:
        """Every [written, name, kind] a responsible entry resolved to, by number."""
        return self._checked("refs", _triples_of_texts)

    def numbers(self) -> dict[str, list[int]]:
        """Every task's numbers, field by field (``NUMBER_COLUMNS``), what ``load_register`` builds tasks from."""
        import array  # here: the cached due never needs it

        with reading():
            found = {}
            for name, items in self._db.execute("SELECT name, items FROM numbers"):
                found[name] = array.array("q", items).tolist()
            if set(found) != set(NUMBER_COLUMNS) or sum(found["ref_counts"]) != len(found["refs"]):
                raise CacheDamaged("numbers")
            return found

    def exceptions(self) -> dict[str, list[Any]]:
        """[position, value] of the responsible lists that are not their refs' spelling, and of the 备注."""
        exceptions = self.part("exceptions")
        if not (
            isinstance(exceptions, dict) and all(type(exceptions.get(n)) is list for n in ("responsible", "remark"))
        ):
            raise CacheDamaged("exceptions")
        return exceptions

    def texts(self) -> list[str]:
        """Every task's text, in the register's order."""
        with reading():
            return [text for (text,) in self._db.execute("SELECT text FROM tasks ORDER BY position")]

    def spelled(self, refs: str, responsible: str | None) -> list[str]:
        """A task's responsible list: as its refs write them, unless the row says otherwise."""
        if responsible is not None:
            return _texts(json.loads(responsible))
        if not refs:
            return []
        if self._written is None:
            self._written = {str(number): ref[0] for number, ref in enumerate(self.refs())}
        written = self._written
        return [written[number] for number in refs.split(",")]

    # --- tasks --------------------------------------------------------------------------------

    def task_rows(self, candidates: tuple[str, list[object]] | None = None) -> list[tuple[Any, ...]]:
        """Task rows (``TASK_COLUMNS``) in the register's order: every one, or those ``candidates`` selects."""
        with reading():
            if candidates is None:
                return self._db.execute(f"SELECT {TASK_COLUMNS} FROM tasks ORDER BY position").fetchall()
            where, parameters = candidates
            return self._db.execute(
                f"SELECT {TASK_COLUMNS} FROM tasks WHERE position IN ({where}) ORDER BY position", parameters
            ).fetchall()

    def due(self, before: date, after: date | None = None) -> list[tuple[date, ListedTask]]:
        """Every milestone in [after, before], both ends inclusive, by date then task id (as ``domain.query.due``)."""
        low = after.toordinal() if after is not None else 0
        with reading():
            rows = self._db.execute(
                f"SELECT m.day, {_LISTED_COLUMNS} FROM milestones AS m JOIN tasks AS t ON t.position = m.position"
                " WHERE m.day BETWEEN ? AND ? ORDER BY m.day, t.id",
                (low, before.toordinal()),
            ).fetchall()
            days: dict[int, date] = {}
            listed = []
            for row in rows:
                day = days.get(row[0])
                if day is None:
                    day = days[row[0]] = date.fromordinal(row[0])
                listed.append((day, self._listed(row[1:])))
            return listed

    def ongoing(self) -> list[ListedTask]:
        """The ongoing tasks (持续推进), in the register's order (as ``domain.query.ongoing``)."""
        numbers = [number for number, (_, _, ongoing) in enumerate(self.deadlines()) if ongoing]
        with reading():
            rows = self._db.execute(
                f"SELECT {_LISTED_COLUMNS} FROM tasks AS t WHERE t.deadline IN ({_marks(numbers)}) ORDER BY t.position",
                numbers,
            )
            return [self._listed(row) for row in rows]

    def _listed(self, row: tuple[Any, ...]) -> ListedTask:
        task_id, path, text, leads, refs, responsible, deadline, remark = row
        wording, days, ongoing = self.deadlines()[deadline]
        return ListedTask(
            task_id,
            self.titles()[path],
            text,
            self.lead_sets()[leads],
            self.spelled(refs, responsible),
            wording,
            days,
            ongoing,
            remark,
        )

    # --- which tasks a query can answer with -----------------------------------------------------

    def candidates(
        self,
        *,
        between: tuple[date | None, date | None] | None = None,
        names: Iterable[Iterable[str]] = (),
        headings: Iterable[str] = (),
        ongoing: bool | None = None,
    ) -> tuple[str, list[object]] | None:
        """SQL selecting the positions of tasks meeting every condition given (None: every task).

        ``between``: a milestone in the range (either end may be open); ``names``: for each set,
        a lead or responsible entry naming one of its names; ``headings``: sitting under each
        of these heading keys; ``ongoing``: ongoing or not. Raises CacheDamaged.
        """
        parts: list[str] = []
        parameters: list[object] = []
        if between is not None:
            low, high = between
            parts.append("SELECT position FROM milestones WHERE day BETWEEN ? AND ?")
            parameters += [low.toordinal() if low else 0, high.toordinal() if high else date.max.toordinal()]
        for group in names:
            chosen = sorted(set(group))
            found: set[int] = set()
            with reading():
                query = f"SELECT positions FROM postings WHERE name IN ({_marks(chosen)})"
                for (positions,) in self._db.execute(query, chosen):
                    found.update(map(int, positions.split(",")))
            parts.append("SELECT value FROM json_each(?)")
            parameters.append(_json(sorted(found)))
        for key in headings:
            numbers = [number for number, keys in enumerate(self.paths()) if key in keys]
            parts.append(f"SELECT position FROM tasks WHERE path IN ({_marks(numbers)})")
            parameters += numbers
        if ongoing is not None:
            numbers = [number for number, (_, _, flag) in enumerate(self.deadlines()) if flag == ongoing]
            parts.append(f"SELECT position FROM tasks WHERE deadline IN ({_marks(numbers)})")
            parameters += numbers
        if not parts:
            return None
        return " INTERSECT ".join(parts), parameters


def _marks(values: Sequence[object]) -> str:
    """One SQL parameter mark per value."""
    return ", ".join("?" * len(values))


def _text(value: object) -> str:
    if type(value) is not str:
        raise CacheDamaged("expected text")
    return value


def _flag(value: object) -> bool:
    if type(value) is not bool:
        raise CacheDamaged("expected true or false")
    return value


def _texts(value: object) -> list[str]:
    """A JSON list of strings, as written; anything else is a damaged file."""
    if type(value) is not list or not all(type(item) is str for item in value):
        raise CacheDamaged("expected a list of strings")
    return value


def _triples_of_texts(value: object) -> list[list[str]]:
    triples = _lists_of_texts(value)
    if not all(len(triple) == 3 for triple in triples):
        raise CacheDamaged("expected triples")
    return triples


def _lists_of_texts(value: object) -> list[list[str]]:
    if type(value) is not list:
        raise CacheDamaged("expected a list")
    for item in value:
        _texts(item)
    return value
