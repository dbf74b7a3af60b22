"""Many reports appended at once (the reports of returned forms), and a later form replacing an earlier one.

Both rules keep the log append-only: a batch is one atomic replace that adds blocks at the
end, and a replaced form's reports stay in the file, out of every count.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from deviation_cli.domain.issues import RegisterInvalid
from deviation_cli.domain.progress import new_entry
from deviation_cli.store.load import load_register
from deviation_cli.store.progress_log import append_reports, load_progress
from support.paths import QINGHE


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "qinghe"
    shutil.copytree(QINGHE, target)
    (target / "progress.yaml").unlink(missing_ok=True)
    return target


def form_entry(task, unit, day, status, form, *, period="2024-05-31", replaces=None, **fields):
    return new_entry(
        task,
        unit,
        date.fromisoformat(day),
        status,
        period=period,
        form=form,
        imported=date(2024, 6, 2),
        replaces=replaces,
        **fields,
    )


def test_a_batch_is_appended_in_one_write_with_the_form_fields_last(folder):
    register = load_register(folder)
    entries = [
        form_entry(1, "县水利局", "2024-05-31", "推进中", "aaaa", note="清单已下发", next_steps="6月底前完成"),
        form_entry(2, "县水利局", "2024-05-20", "已完成", "aaaa", evidence="清水发〔2024〕3号"),
    ]
    path, line = append_reports(folder / "progress.yaml", entries, register)
    assert line == 5
    text = path.read_text(encoding="utf-8")
    assert text.split("reports:\n", 1)[1] == (
        "  - task: 1\n    unit: 县水利局\n    date: 2024-05-31\n    status: 推进中\n    note: 清单已下发\n"
        "    next_steps: 6月底前完成\n    period: 2024-05-31\n    form: aaaa\n    imported: 2024-06-02\n"
        "  - task: 2\n    unit: 县水利局\n    date: 2024-05-20\n    status: 已完成\n    evidence: 清水发〔2024〕3号\n"
        "    period: 2024-05-31\n    form: aaaa\n    imported: 2024-06-02\n"
    )
    reports = load_progress(register).reports
    assert [(r.task, r.next_steps, r.period, r.form, r.imported) for r in reports] == [
        (2, None, "2024-05-31", "aaaa", date(2024, 6, 2)),
        (1, "6月底前完成", "2024-05-31", "aaaa", date(2024, 6, 2)),
    ]


def test_one_bad_report_in_a_batch_writes_none_of_them(folder):
    register = load_register(folder)
    good = form_entry(1, "县水利局", "2024-05-31", "推进中", "aaaa")
    bad = {**form_entry(2, "县水利局", "2024-05-31", "推进中", "aaaa"), "task": "999"}
    with pytest.raises(RegisterInvalid):
        append_reports(folder / "progress.yaml", [good, bad], register)
    assert not (folder / "progress.yaml").exists()


def test_entries_chosen_under_the_lock_may_be_none_and_then_nothing_is_written(folder):
    register = load_register(folder)
    calls = []

    def nothing():
        calls.append("called")
        return []

    assert append_reports(folder / "progress.yaml", nothing, register) == (folder / "progress.yaml", 0)
    assert calls == ["called"]
    assert not (folder / "progress.yaml").exists()


def test_a_later_form_of_the_same_unit_and_period_replaces_the_earlier_one(folder):
    register = load_register(folder)
    target = folder / "progress.yaml"
    recorded = new_entry(1, "县水利局", date(2024, 5, 10), "推进中", note="手工记录")
    first = [
        form_entry(1, "县水利局", "2024-05-31", "推进中", "aaaa"),
        form_entry(2, "县水利局", "2024-05-31", "滞后", "aaaa", reason="资金未到位"),
    ]
    other_unit = [form_entry(1, "东关镇", "2024-05-31", "推进中", "bbbb")]
    other_period = [form_entry(1, "县水利局", "2024-04-28", "推进中", "cccc", period="2024-04-30")]
    second = [form_entry(2, "县水利局", "2024-05-25", "已完成", "dddd", replaces="aaaa")]
    append_reports(target, [recorded, *first, *other_unit, *other_period], register)
    append_reports(target, second, register)

    log = load_progress(register)
    assert [(r.task, r.unit, r.form) for r in log.reports] == [
        (1, "县水利局", "cccc"),
        (1, "县水利局", None),
        (2, "县水利局", "dddd"),
        (1, "东关镇", "bbbb"),
    ]
    assert [(r.task, r.form, r.line) for r in log.superseded] == [(1, "aaaa", 10), (2, "aaaa", 17)]
    # the file keeps every report: nothing recorded is rewritten
    assert target.read_text(encoding="utf-8").count("form: aaaa") == 2


def test_a_form_hash_without_its_period_is_refused_where_it_stands(cli, folder):
    (folder / "progress.yaml").write_text(
        "reports:\n  - task: 1\n    unit: 县水利局\n    date: 2024-05-31\n    status: 推进中\n    form: aaaa\n",
        encoding="utf-8",
    )
    run = cli("validate", str(folder), data=None)
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        f"{folder}/progress.yaml:6:11: form 与 period 须同时填写(这两项由 deviation import reports 写入,请勿只删改其一)"
    )
