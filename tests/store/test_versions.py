"""Register versions read from git revisions, validated like any folder."""

from __future__ import annotations

from deviation_cli.domain.changes import diff_registers
from deviation_cli.store.versions import read_version


def test_changes_between_two_revisions(repo):
    before = read_version("HEAD~3", repo / "reg")
    after = read_version("HEAD~2", repo / "reg")
    assert (before.label, after.label) == ("HEAD~3", "HEAD~2")
    assert before.report.register.folder == "HEAD~3:reg"
    changes = [change.as_dict() for change in diff_registers(before.report.register, after.report.register)]
    assert changes == [
        {
            "kind": "text-changed",
            "task": 1,
            "subject": None,
            "field": "task",
            "old": "完成县级饮用水水源地规范化建设。",
            "new": "推进全县饮用水水源地规范化建设,年底前完成80%。",
            "segments": [
                {"op": "replace", "old": "完成县级", "new": "推进全县"},
                {"op": "equal", "old": "饮用水水源地规范化建设", "new": "饮用水水源地规范化建设"},
                {"op": "insert", "old": "", "new": ",年底前完成80%"},
                {"op": "equal", "old": "。", "new": "。"},
            ],
        },
        {"kind": "lead-changed", "task": 4, "subject": None, "field": "lead", "old": "县城投公司", "new": "县水利局"},
        {
            "kind": "responsible-added",
            "task": 4,
            "subject": None,
            "field": "responsible",
            "old": None,
            "new": ["县城投公司"],
        },
        {
            "kind": "deadline-extended",
            "task": 4,
            "subject": None,
            "field": "deadline",
            "old": "2024-09-30",
            "new": "2024年12月底",
            "old_due": ["2024-09-30"],
            "new_due": ["2024-12-31"],
            "days": 92,
            "shifts": [92],
        },
    ]
