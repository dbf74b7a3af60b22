"""Change records between two registers: deadlines moved, text edited, records beyond tasks."""

from __future__ import annotations

from datetime import date

import pytest

from deviation_cli.domain.changes import deadline_change, diff_registers, text_diff
from deviation_cli.domain.register import Task
from support.editing import edited_register
from support.paths import QINGHE


def task(deadline: str, *due: date, ongoing: bool = False) -> Task:
    return Task(3, ("d", "1"), "t", ("lead",), (), (), deadline, tuple(due), ongoing)


@pytest.mark.parametrize(
    ("old", "new", "kind", "days", "shifts"),
    [
        (task("2023年底", date(2023, 12, 31)), task("2024年3月底", date(2024, 3, 31)), "deadline-extended", 91, [91]),
        (task("2023年底", date(2023, 12, 31)), task("2023年9月底", date(2023, 9, 30)), "deadline-advanced", -92, [-92]),
        (
            task("2023年12月31日", date(2023, 12, 31)),
            task("2023年底", date(2023, 12, 31)),
            "deadline-reworded",
            None,
            None,
        ),
        (task("2023年底", date(2023, 12, 31)), task("持续推进", ongoing=True), "deadline-extended", None, None),
        (task("持续推进", ongoing=True), task("2023年底", date(2023, 12, 31)), "deadline-changed", None, None),
        (
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            task("2023年7月、11月底", date(2023, 7, 31), date(2023, 11, 30)),
            "deadline-changed",
            -31,
            [31, -31],
        ),
        (
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            task("2023年12月底", date(2023, 12, 31)),
            "deadline-changed",
            0,
            None,
        ),
        (
            task("2023年6月底", date(2023, 6, 30)),
            task("2023年6月、12月底", date(2023, 6, 30), date(2023, 12, 31)),
            "deadline-extended",
            184,
            None,
        ),
    ],
)
def test_deadline_moves(old, new, kind, days, shifts):
    change = deadline_change(old, new)
    assert (change.kind, change.details["days"], change.details["shifts"]) == (kind, days, shifts)


def test_same_wording_up_to_spaces_is_no_change():
    assert deadline_change(task("2023年 6月12月底"), task("2023年6月12月底")) is None


def test_text_diff_groups_characters_into_phrases():
    assert text_diff("对照一季度80%、二季度100%开工率目标", "对照一季度85%、二季度100%开工率目标") == [
        {"op": "equal", "old": "对照一季度", "new": "对照一季度"},
        {"op": "replace", "old": "80%", "new": "85%"},
        {"op": "equal", "old": "、二季度100%开工率目标", "new": "、二季度100%开工率目标"},
    ]
    assert text_diff("建立台账。", "建立台账,动态清零。") == [
        {"op": "equal", "old": "建立台账", "new": "建立台账"},
        {"op": "insert", "old": "", "new": ",动态清零"},
        {"op": "equal", "old": "。", "new": "。"},
    ]


def test_records_beyond_tasks(tmp_path):
    from deviation_cli import load_register

    new = edited_register(
        tmp_path / "new",
        {
            "tasks.yaml": [
                ("  title: 清河县2024年河湖长制重点工作任务", "  title: 清河县2024年河湖长制工作要点"),
                ("    name: 河湖岸线管控\n", "    name: 河湖岸线管理\n"),
                (
                    "    title: 清理整治河湖“四乱”\n",
                    "    title: 清理整治河湖“四乱”\n  - number: 3\n    dimension: water\n    title: 开展河湖健康评价\n",
                ),
            ],
            "units.yaml": [
                ("    members: [东关镇, 西河镇, 南山乡]", "    members: [东关镇, 西河镇, 北岭镇]"),
                (
                    "  - name: 南山乡\n    kind: county\n",
                    "  - name: 南山乡\n    kind: county\n  - name: 北岭镇\n    kind: county\n",
                ),
                ("    full_name: 清河县水利局\n", "    full_name: 清河县水利局\n    aliases: [水利局]\n"),
            ],
        },
    )
    changes = [change.as_dict() for change in diff_registers(load_register(QINGHE), load_register(new))]
    for change in changes:
        change.pop("segments", None)
    assert changes == [
        {
            "kind": "measure-added",
            "task": None,
            "subject": "3",
            "field": None,
            "old": None,
            "new": "开展河湖健康评价",
            "dimension": "water",
        },
        {
            "kind": "dimension-changed",
            "task": None,
            "subject": "shoreline",
            "field": "name",
            "old": "河湖岸线管控",
            "new": "河湖岸线管理",
        },
        {
            "kind": "dimension-changed",
            "task": None,
            "subject": "shoreline",
            "field": "table_name",
            "old": "河湖岸线管控",
            "new": "河湖岸线管理",
        },
        {"kind": "unit-changed", "task": None, "subject": "县水利局", "field": "aliases", "old": [], "new": ["水利局"]},
        {
            "kind": "unit-added",
            "task": None,
            "subject": "北岭镇",
            "field": None,
            "old": None,
            "new": "北岭镇",
            "unit_kind": "county",
        },
        {
            "kind": "group-changed",
            "task": None,
            "subject": "各镇人民政府",
            "field": "members",
            "old": ["南山乡"],
            "new": ["北岭镇"],
        },
        {
            "kind": "document-changed",
            "task": None,
            "subject": "document",
            "field": "title",
            "old": "清河县2024年河湖长制重点工作任务",
            "new": "清河县2024年河湖长制工作要点",
        },
    ]
