"""The register as an SQLite database, for Datasette and any SQL client (``deviation export sqlite``).

Every table has a primary key, the links between them are foreign keys, and
the columns queries filter on (dates, units, headings) are indexed:

- ``document``: the plan's title and dates (one row); ``levels``: the levels above tasks, in its words.
- ``headings``: every heading at every level (Hanzhong: 方面 and 改进措施), ``parent`` → ``headings``.
- ``units``: every unit and group (``kind`` is ``group`` for a group), as ``deviation units``
  lists them; ``group_members``: who is in each closed group.
- ``tasks``: the fields of the JSON contract (``--format json``), lists as JSON text, ``ongoing``
  as 0/1, and ``heading``: the key of the innermost heading, → ``headings``.
- ``milestones``: each task's due dates (ISO text, so they sort and compare as dates).
- ``task_units``: every line of every unit's and group's responsibility list, as ``deviation unit``
  gives it: the task, the unit, its ``role`` (``lead`` or ``responsible``) and ``via`` (the group
  through which a unit shares a task).
- ``reports`` (progress reports, those a corrected form replaced marked ``superseded``) and ``checks``
  (the office's sign-offs), ``indicators`` and ``observations``: when the register folder has them.

Plain tables and types any SQLite since 3.8 reads (no STRICT tables, no JSON functions needed).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from ..domain.indicators import Indicator, Observation
from ..domain.progress import ProgressLog
from ..domain.query import unit_task_index
from ..domain.register import Register
from ..output.json_objects import task_object
from ..store.indicator_files import load_indicators, observations_path, targets_path
from ..store.progress_log import load_progress

SCHEMA = """
CREATE TABLE document (
    title TEXT NOT NULL, written TEXT NOT NULL, index_no TEXT, source TEXT, publisher TEXT,
    published TEXT, recipients TEXT, doc_number TEXT, annex_title TEXT
);
CREATE TABLE levels (level INTEGER PRIMARY KEY, name TEXT NOT NULL, column_name TEXT NOT NULL, counter TEXT);
CREATE TABLE headings (
    key TEXT PRIMARY KEY,
    level INTEGER NOT NULL REFERENCES levels (level),
    title TEXT NOT NULL,
    parent TEXT REFERENCES headings (key),
    number TEXT, table_title TEXT, body_title TEXT, text TEXT, problem TEXT
);
CREATE TABLE units (
    name TEXT PRIMARY KEY, kind TEXT NOT NULL, full_name TEXT, level TEXT,
    aliases TEXT NOT NULL, open_to TEXT
);
CREATE TABLE group_members (
    group_name TEXT NOT NULL REFERENCES units (name),
    unit TEXT NOT NULL REFERENCES units (name),
    PRIMARY KEY (group_name, unit)
);
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    dimension TEXT, measure TEXT, task TEXT NOT NULL,
    lead TEXT REFERENCES units (name),
    responsible TEXT NOT NULL, deadline TEXT NOT NULL, due TEXT NOT NULL, ongoing INTEGER NOT NULL,
    leads TEXT NOT NULL, headings TEXT, remark TEXT,
    heading TEXT REFERENCES headings (key)
);
CREATE INDEX tasks_by_heading ON tasks (heading);
CREATE INDEX tasks_by_lead ON tasks (lead);
CREATE TABLE milestones (
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    due TEXT NOT NULL,
    PRIMARY KEY (task_id, due)
);
CREATE INDEX milestones_by_due ON milestones (due);
CREATE TABLE task_units (
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    unit TEXT NOT NULL REFERENCES units (name),
    role TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),
    via TEXT REFERENCES units (name),
    PRIMARY KEY (unit, task_id, role)
);
CREATE INDEX task_units_by_task ON task_units (task_id);
"""

PROGRESS_SCHEMA = """
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    unit TEXT NOT NULL REFERENCES units (name),
    date TEXT NOT NULL, status TEXT NOT NULL, note TEXT, evidence TEXT, reason TEXT, new_deadline TEXT,
    file TEXT NOT NULL, line INTEGER NOT NULL,
    next_steps TEXT, period TEXT, form TEXT, imported TEXT, replaces TEXT,
    superseded INTEGER NOT NULL  -- 1: a corrected form of the same unit and period replaced it, counted nowhere
);
CREATE INDEX reports_by_task ON reports (task_id, date);
CREATE INDEX reports_by_unit ON reports (unit, date);
CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    unit TEXT NOT NULL REFERENCES units (name),
    date TEXT NOT NULL, result TEXT NOT NULL, checked_by TEXT NOT NULL, note TEXT, report_date TEXT,
    file TEXT NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX checks_by_task ON checks (task_id, date);
"""

INDICATORS_SCHEMA = """
CREATE TABLE indicators (
    key TEXT PRIMARY KEY, name TEXT NOT NULL,
    dimension TEXT REFERENCES headings (key),
    measure TEXT REFERENCES headings (key),
    period TEXT NOT NULL, comparison TEXT NOT NULL, target REAL NOT NULL, unit TEXT, wording TEXT,
    baseline REAL, baseline_quote TEXT, tolerance REAL, quote TEXT NOT NULL
);
CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    indicator TEXT NOT NULL REFERENCES indicators (key),
    period TEXT NOT NULL, value REAL NOT NULL, date TEXT NOT NULL, source TEXT, note TEXT
);
CREATE INDEX observations_by_indicator ON observations (indicator, date);
"""


def database_bytes(register: Register) -> bytes:
    """The register (with its progress reports and indicators, when its folder has them) as SQLite file bytes.

    Raises RegisterInvalid when a progress or indicator file has an error, as ``status`` does.
    """
    log = load_progress(register)
    indicators: list[Indicator] = []
    observations: list[Observation] = []
    if targets_path(register) is not None or observations_path(register) is not None:
        indicators, observations = load_indicators(register)
    connection = sqlite3.connect(":memory:", isolation_level=None)
    try:
        write_database(connection, register, log, indicators, observations)
        return connection.serialize()
    finally:
        connection.close()


def write_database(
    connection: sqlite3.Connection,
    register: Register,
    log: ProgressLog,
    indicators: Sequence[Indicator] = (),
    observations: Sequence[Observation] = (),
) -> None:
    """Fill an empty database with the register's tables (the module's docstring lists them)."""
    connection.execute("BEGIN")
    _script(connection, SCHEMA)
    doc = register.document
    connection.execute(
        "INSERT INTO document VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc.title,
            doc.written.isoformat(),
            doc.index_no,
            doc.source,
            doc.publisher,
            doc.published.isoformat() if doc.published else None,
            doc.recipients,
            doc.doc_number,
            doc.annex_title,
        ),
    )
    connection.executemany(
        "INSERT INTO levels VALUES (?, ?, ?, ?)",
        ((number, level.name, level.column, level.counter) for number, level in enumerate(register.levels, 1)),
    )
    connection.executemany(
        "INSERT INTO headings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (h.key, h.level, h.title, h.parent, h.number, h.table_title, h.body_title, h.text, h.problem)
            for h in register.headings
        ),
    )
    connection.executemany(
        "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)",
        [(u.name, u.kind, u.full_name, u.level, _json(u.aliases), None) for u in register.units]
        + [(g.name, "group", None, None, _json(g.aliases), _json(g.open_to)) for g in register.groups],
    )
    connection.executemany(
        "INSERT INTO group_members VALUES (?, ?)",
        ((group.name, member) for group in register.groups for member in group.members),
    )
    connection.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _task_rows(register))
    connection.executemany(
        "INSERT INTO milestones VALUES (?, ?)",
        ((task.id, day.isoformat()) for task in register.tasks for day in dict.fromkeys(task.due)),
    )
    connection.executemany(
        "INSERT INTO task_units VALUES (?, ?, ?, ?)",
        ((row.task.id, name, row.role, row.via) for name, rows in unit_task_index(register).items() for row in rows),
    )
    if log.files:
        _script(connection, PROGRESS_SCHEMA)
        counted = [(report, 0) for report in log.reports] + [(report, 1) for report in log.superseded]
        connection.executemany(
            "INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    number,
                    report.task,
                    report.unit,
                    report.date.isoformat(),
                    report.status,
                    report.note,
                    report.evidence,
                    report.reason,
                    report.new_deadline.isoformat() if report.new_deadline else None,
                    report.path,
                    report.line,
                    report.next_steps,
                    report.period,
                    report.form,
                    report.imported.isoformat() if report.imported else None,
                    report.replaces,
                    superseded,
                )
                for number, (report, superseded) in enumerate(counted, 1)
            ),
        )
        connection.executemany(
            "INSERT INTO checks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    number,
                    check.task,
                    check.unit,
                    check.date.isoformat(),
                    check.result,
                    check.by,
                    check.note,
                    check.report_date.isoformat() if check.report_date else None,
                    check.path,
                    check.line,
                )
                for number, check in enumerate(log.checks, 1)
            ),
        )
    if indicators or observations:
        _script(connection, INDICATORS_SCHEMA)
        connection.executemany(
            "INSERT INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    item.key,
                    item.name,
                    item.dimension,
                    str(item.measure) if item.measure is not None else None,
                    item.period,
                    item.comparison,
                    item.target,
                    item.unit,
                    item.wording,
                    item.baseline,
                    item.baseline_quote,
                    item.tolerance,
                    item.quote,
                )
                for item in indicators
            ),
        )
        connection.executemany(
            "INSERT INTO observations VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (number, item.indicator, item.period, item.value, item.date.isoformat(), item.source, item.note)
                for number, item in enumerate(observations, 1)
            ),
        )
    connection.execute("COMMIT")


def _task_rows(register: Register) -> Iterable[tuple[object, ...]]:
    """Each task as the JSON contract shows it, lists as JSON text, with its heading's key."""
    for task in register.tasks:
        shown = task_object(register, task)
        yield (
            shown["id"],
            shown["dimension"],
            shown["measure"],
            shown["task"],
            shown["lead"],
            _json(shown["responsible"]),
            shown["deadline"],
            _json(shown["due"]),
            int(shown["ongoing"]),
            _json(shown["leads"]),
            _json(shown["headings"]) if "headings" in shown else None,
            shown.get("remark"),
            task.heading,
        )


def _script(connection: sqlite3.Connection, script: str) -> None:
    """The statements of ``script``, one by one (executescript would commit the open transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            connection.execute(statement)


def _json(values: Iterable[object]) -> str:
    return json.dumps(list(values), ensure_ascii=False)
