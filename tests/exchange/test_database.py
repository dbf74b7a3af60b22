"""`deviation export sqlite`: the register as SQLite tables that say what the commands say."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deviation_cli import load_register
from deviation_cli.cli import app
from deviation_cli.domain.query import due, unit_tasks
from deviation_cli.output.json_objects import task_object
from deviation_cli.store.progress_log import load_progress
from support.paths import DISTRICT, DISTRICT_PROGRESS, HANZHONG, QINGHE, QINGHE_PROGRESS, ROOT

JSON_COLUMNS = ("responsible", "due", "leads", "headings")


def export(cli, folder: Path, out: Path) -> sqlite3.Connection:
    run = cli("export", "sqlite", "-o", str(out), data=folder)
    assert run.exit_code == 0, run.stderr
    assert run.stdout == ""
    connection = sqlite3.connect(out)
    connection.row_factory = sqlite3.Row
    return connection


def with_progress(tmp_path: Path, register: Path, progress: Path) -> Path:
    folder = tmp_path / "register"
    shutil.copytree(register, folder)
    for name in ("progress.yaml", "indicators.yaml", "observations.yaml"):
        if (progress / name).is_file():
            shutil.copy(progress / name, folder / name)
    return folder


@pytest.mark.parametrize("folder", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
def test_every_link_holds_and_every_task_is_its_json_object(cli, tmp_path, folder):
    db = export(cli, folder, tmp_path / "plan.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    register = load_register(folder)
    expected = [task_object(register, task) for task in register.tasks]
    rows = []
    for row in db.execute("SELECT * FROM tasks ORDER BY id"):
        record = {key: row[key] for key in row.keys() if key != "heading"}
        record.update({key: json.loads(record[key]) for key in JSON_COLUMNS if record[key] is not None})
        record["ongoing"] = bool(record["ongoing"])
        rows.append({key: value for key, value in record.items() if key in expected[0]})
    assert rows == sorted(expected, key=lambda record: record["id"])
    assert [row[0] for row in db.execute("SELECT key FROM headings ORDER BY rowid")] == [
        h.key for h in register.headings
    ]


def test_the_milestones_in_a_range_are_what_due_lists(cli, tmp_path):
    db = export(cli, HANZHONG, tmp_path / "plan.db")
    register = load_register(HANZHONG)
    got = db.execute(
        "SELECT due, task_id FROM milestones WHERE due BETWEEN '2023-07-01' AND '2023-12-31' ORDER BY due, task_id"
    ).fetchall()
    items = due(register, date(2023, 12, 31), date(2023, 7, 1))
    assert [tuple(row) for row in got] == [(item.milestone.isoformat(), item.task.id) for item in items]


def test_each_units_rows_are_its_responsibility_list(cli, tmp_path):
    db = export(cli, HANZHONG, tmp_path / "plan.db")
    register = load_register(HANZHONG)
    for name in [unit.name for unit in register.units] + [group.name for group in register.groups]:
        got = db.execute(
            "SELECT task_id, role, via FROM task_units WHERE unit = ? ORDER BY role = 'responsible', task_id", (name,)
        ).fetchall()
        assert [tuple(row) for row in got] == [(row.task.id, row.role, row.via) for row in unit_tasks(register, name)]


def test_progress_reports_and_indicators_are_tables_when_the_register_has_them(cli, tmp_path):
    plain = export(cli, QINGHE, tmp_path / "plain.db")
    tables = {row[0] for row in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"reports", "indicators", "observations"} & tables == set()
    folder = with_progress(tmp_path, QINGHE, QINGHE_PROGRESS)
    db = export(cli, folder, tmp_path / "progress.db")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    log = load_progress(load_register(folder))
    assert db.execute("SELECT count(*) FROM reports").fetchone()[0] == len(log.reports) > 0
    assert db.execute("SELECT count(*) FROM indicators").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM observations").fetchone()[0] > 0


def test_a_bad_progress_file_refuses_the_export_and_writes_nothing(cli, tmp_path):
    folder = with_progress(tmp_path, HANZHONG, ROOT / "examples" / "hanzhong-progress")
    (folder / "progress.yaml").write_text("reports:\n  - task: 999\n", encoding="utf-8")
    run = cli("export", "sqlite", "-o", str(tmp_path / "plan.db"), data=folder)
    assert run.exit_code == 1
    assert not (tmp_path / "plan.db").exists()


def test_to_standard_output_it_is_the_file(tmp_path):
    run = CliRunner().invoke(app, ["--data", str(QINGHE), "export", "sqlite", "-o", "-"], catch_exceptions=False)
    assert run.exit_code == 0
    (tmp_path / "plan.db").write_bytes(run.stdout_bytes)
    assert sqlite3.connect(tmp_path / "plan.db").execute("SELECT count(*) FROM tasks").fetchone()[0] == len(
        load_register(QINGHE).tasks
    )


def test_sign_offs_are_a_table_and_a_replaced_form_stays_marked_superseded(cli, tmp_path):
    folder = with_progress(tmp_path, DISTRICT, DISTRICT_PROGRESS)
    forms = (
        "  - {task: 1, unit: 区发改局, date: 2023-07-20, status: 推进中, period: 2023-07-28, form: aaaaaaaaaaaa}\n"
        "  - {task: 1, unit: 区发改局, date: 2023-07-21, status: 滞后, reason: 用地未批, period: 2023-07-28,"
        " form: bbbbbbbbbbbb, replaces: aaaaaaaaaaaa, next_steps: 8月报批}\n"
    )
    with (folder / "progress.yaml").open("a", encoding="utf-8") as file:
        file.write(forms)
    db = export(cli, folder, tmp_path / "loop.db")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    checks = db.execute("SELECT task_id, unit, date, result, checked_by, note, report_date FROM checks ORDER BY id")
    assert [tuple(row) for row in checks] == [
        (2, "区发改局", "2023-03-30", "通过", "区政府督查室", None, None),
        (2, "区统计局", "2023-04-29", "退回", "区政府督查室", "缺少街道分项数据", "2023-04-26"),
    ]
    forms_rows = db.execute(
        "SELECT status, period, form, replaces, next_steps, superseded FROM reports WHERE form IS NOT NULL ORDER BY id"
    )
    assert [tuple(row) for row in forms_rows] == [
        ("滞后", "2023-07-28", "bbbbbbbbbbbb", "aaaaaaaaaaaa", "8月报批", 0),
        ("推进中", "2023-07-28", "aaaaaaaaaaaa", None, None, 1),
    ]
    log = load_progress(load_register(folder))
    assert db.execute("SELECT count(*) FROM reports WHERE superseded = 0").fetchone()[0] == len(log.reports)
