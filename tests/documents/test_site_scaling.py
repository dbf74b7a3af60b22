"""The site in time linear in its pages: the one-pass indexes equal the per-unit queries they
replace, and the sandbox's short way through for the register's records gives nothing away."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from deviation_cli import load_register
from deviation_cli.documents import site, template_data
from deviation_cli.domain import query
from deviation_cli.domain.issues import UsageError
from deviation_cli.domain.query import unit_task_index, unit_tasks
from support.paths import QINGHE
from support.register_strategy import registers


def names(register):
    return [unit.name for unit in register.units] + [group.name for group in register.groups]


@pytest.mark.parametrize("include_open", [False, True])
def test_the_index_is_unit_tasks_for_every_name(hanzhong, qinghe, include_open):
    for register in (hanzhong, qinghe):
        index = unit_task_index(register, include_open)
        assert list(index) == list(dict.fromkeys(names(register)))
        for name in names(register):
            assert index[name] == unit_tasks(register, name, include_open=include_open), name
    assert [row.task.id for row in unit_task_index(hanzhong)["汉台区"]] == [
        row.task.id for row in unit_tasks(hanzhong, "汉台区")
    ]


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(registers())
def test_the_index_is_unit_tasks_on_generated_registers(plan):
    with tempfile.TemporaryDirectory(prefix="deviation-index-") as tmp:
        register = load_register(plan.write(Path(tmp) / "register"))
    for include_open in (False, True):
        index = unit_task_index(register, include_open)
        for name in names(register):
            assert index[name] == unit_tasks(register, name, include_open=include_open), name


def test_the_site_asks_no_per_unit_query(hanzhong, monkeypatch):
    """unit_tasks per unit read every task once per unit: units x tasks on a large register."""
    calls = []
    real = query.unit_tasks
    monkeypatch.setattr(template_data, "unit_tasks", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    pages = site.build_site(hanzhong, date(2023, 7, 1))
    assert len(pages) == 79 and calls == []


def test_a_dimension_page_lists_each_measures_tasks(hanzhong):
    page = site.build_site(hanzhong, date(2023, 7, 1))["dimensions/progress.html"]
    notes = re.findall(r'<p class="note">具体任务：.*?</p>', page)
    assert notes == [f'<p class="note">具体任务：<a href="../tasks/{n}.html">{n}</a></p>' for n in (1, 2, 3)]


@pytest.mark.parametrize(
    "expression",
    [
        "task.__class__",
        "row.task.__init__.__globals__",
        "links.unit.__func__",
        "links.register.__class__",
        "unit.__class__.__mro__",
        "row.__slots__",
        "task.text.format.__globals__",
        "document.__reduce__",
    ],
)
def test_the_sandbox_still_refuses_internals_of_the_records(cli, tmp_path, expression):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "task.html").write_text(f"{{{{ {expression} }}}}\n", encoding="utf-8")
    run = cli("site", str(tmp_path / "out"), "--as-of", "2024-01-01", "--templates", str(tmp_path), data=QINGHE)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"{tmp_path / 'site' / 'task.html'}:1:1: 模板 site/task.html ")
    assert not (tmp_path / "out" / "tasks").exists()


def test_public_fields_of_the_records_still_render(qinghe, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "task.html").write_text(
        "{{ task.id }} {{ row.dimension.key }} {{ links.task(task) }} {{ task.nosuch is defined }}\n", encoding="utf-8"
    )
    pages = site.build_site(qinghe, date(2024, 1, 1), tmp_path)
    assert pages["tasks/1.html"] == f"1 {qinghe.tasks[0].path[0]} ../tasks/1.html False\n"
    (tmp_path / "site" / "task.html").write_text("{{ task.nosuch }}\n", encoding="utf-8")
    with pytest.raises(UsageError):
        site.build_site(qinghe, date(2024, 1, 1), tmp_path)
