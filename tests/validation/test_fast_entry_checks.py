"""Entries taken without pydantic give the very issues and register pydantic gives."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from deviation_cli.formats import yaml_lines, yaml_reader
from deviation_cli.output.issue_lines import format_issues
from deviation_cli.store import load
from deviation_cli.validation import entry_checks
from deviation_cli.validation.pipeline import Report
from support.paths import BENCHMARKS, HANZHONG, QINGHE

sys.path.insert(0, str(BENCHMARKS))
import generate


def both_ways(folder: Path, monkeypatch) -> tuple[Report, Report]:
    fast = load.validate_folder(folder)
    with monkeypatch.context() as patch:
        patch.setattr(
            yaml_reader, "parse_plain_subset", lambda text, progress=None, layouts=None: yaml_lines.UNSUPPORTED
        )
        patch.setattr(entry_checks, "_plain_entry_builder", lambda item_type: None)
        slow = load.validate_folder(folder)
    return fast, slow


def test_a_generated_register_validates_the_same_both_ways(tmp_path, monkeypatch):
    folder = generate.generate(300, tmp_path / "n300")
    fast, slow = both_ways(folder, monkeypatch)
    assert fast.issues == slow.issues  # warnings (unused units) included
    assert fast.errors == []
    assert fast.register == slow.register
    assert len(fast.register.tasks) == 300


BREAKAGES = [
    ("id: 1\n", "id: 01\n"),  # bad_number
    ("measure: 1\n", "measure: x\n"),
    ("    lead: ", "    leed: "),  # unknown field + missing lead
    ("deadline: ", "deadline: 2023年13月底 #"),  # bad month
    ("    text: ", "    text: \n    note: "),  # empty text and unknown field
    ("responsible:\n", "responsible: 市不存在局\n    other:\n"),
]


@pytest.mark.parametrize("folder", [HANZHONG, QINGHE], ids=["hanzhong", "qinghe"])
def test_a_broken_register_reports_the_same_issues_both_ways(folder, tmp_path, monkeypatch):
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("source"))
    tasks = copy / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    start = text.index("\ntasks:\n")
    head, body = text[:start], text[start:]
    for old, new in BREAKAGES:
        body = body.replace(old, new, 1)
    extra = "  - id: 999\n    measure: 1\n    text: 多出的任务\n    lead: 市不存在局\n    deadline: 某时\n"
    # The task goes at the end of the tasks list, before a `plan:` block written after it.
    body = body.replace("\nplan:", "\n" + extra + "plan:", 1) if "\nplan:" in body else body + extra
    tasks.write_text(head + body, encoding="utf-8")
    fast, slow = both_ways(copy, monkeypatch)
    assert len(fast.errors) >= 5
    assert fast.issues == slow.issues
    for lang in ("zh", "en"):
        assert format_issues(fast.issues, "text", lang) == format_issues(slow.issues, "text", lang)
