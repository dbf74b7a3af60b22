"""The fast paths for large registers give exactly what the general paths give.

``formats.yaml_lines.parse_plain_subset`` (line reader) against libyaml's events, and
``validation.entry_checks._plain_entry_builder`` against pydantic: same trees, same positions,
same issues with the same messages, on real, generated and broken registers.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest

from conftest import HANZHONG, QINGHE
from deviation_cli.formats import yaml_lines, yaml_reader
from deviation_cli.formats.yaml_lines import parse_plain_subset
from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_tree import YamlList, YamlMap
from deviation_cli.output.issue_lines import format_issues
from deviation_cli.store import load
from deviation_cli.validation import entry_checks
from deviation_cli.validation.pipeline import Report

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import generate


def events_only(text: str, path: str = "f.yaml"):
    """parse_yaml with the line reader switched off."""
    saved = yaml_reader.parse_plain_subset
    yaml_reader.parse_plain_subset = lambda text, progress=None: yaml_lines.UNSUPPORTED
    try:
        return parse_yaml(text, path)
    finally:
        yaml_reader.parse_plain_subset = saved


def same_tree(fast, slow) -> bool:
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, YamlMap):
        return (fast.line, fast.column, fast.positions, list(fast)) == (
            slow.line,
            slow.column,
            slow.positions,
            list(slow),
        ) and all(same_tree(fast[key], slow[key]) for key in fast)
    if isinstance(fast, YamlList):
        return (fast.line, fast.column, fast.positions, len(fast)) == (
            slow.line,
            slow.column,
            slow.positions,
            len(slow),
        ) and all(same_tree(a, b) for a, b in zip(fast, slow))
    return fast == slow


@pytest.mark.parametrize(
    "path",
    [HANZHONG / "tasks.yaml", HANZHONG / "units.yaml", QINGHE / "tasks.yaml", QINGHE / "units.yaml"],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_line_reader_reads_the_shipped_registers_as_libyaml_does(path):
    text = path.read_text(encoding="utf-8")
    fast = parse_plain_subset(text)
    assert fast is not yaml_lines.UNSUPPORTED
    slow, issues = events_only(text)
    assert issues == []
    assert same_tree(fast, slow)


SNIPPETS = [
    "a: 1\nb: 中文\n",
    "a:\nb: x\n",  # empty value
    "a:   \nb: x\n",
    "a: # comment\nb: x\n",
    "a:  # comment\n  x: 1\n",
    "# head\n\na: 1 # tail\nb: 'it''s'\nc: \"q\"\nd: ''\n",
    "a: [汉台区政府, 汉台区人民政府]\nb: []\nc: [ x ,y ]\n",
    "a: |-\n  line one\n\n  line two\n\nb: 1\n",
    "a: |\n  x\n  y\n\n\nb: 1\n",
    "a: |\n  x\n",
    "list:\n  - x\n  -   y # c\n  - z:  1\n    w: 2\n  - id: 3\n    r:\n      - p\n      - q\n",
    "a: x#y\nb: 50%\nc: 2023-06-30\nd: 010\ne: no\nf: ~\ng: null\n",
    "a: http://example.org/x\nb: 1:2\n",
    # Outside the subset: the line reader must decline (or agree), never differ.
    "a: 1\na: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !!python/object x\n",
    "a: multi\n  line plain\nb: 1\n",
    "a:\n- x\n- y\n",
    'a: "esc\\n"\n',
    "a: >\n  folded\n",
    "a: {b: 1}\n",
    "---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "- x\n- y\n",
    "a:\n  - - x\n",
    "a: b: c\n",
    "a:\n\tb: 1\n",
    "a: x\r\nb: y\r\n",
    "a: x\u2028y\n",
    "a: x\x07\n",
    "a: [x, [y]]\n",
    "a: 'unterminated\n",
    "  a: 1\n b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "",
    "# only a comment\n",
    "a: ｘ　全角\n",
    "中文键: 1\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_line_reader_agrees_with_libyaml_or_declines(text):
    fast = parse_plain_subset(text)
    slow, issues = events_only(text)
    if fast is yaml_lines.UNSUPPORTED:
        return
    assert issues == [], "the line reader accepted what libyaml reports"
    assert same_tree(fast, slow)


def test_line_reader_takes_the_common_cases():
    for text in SNIPPETS[:13]:
        assert parse_plain_subset(text) is not yaml_lines.UNSUPPORTED, text


def both_ways(folder: Path, monkeypatch) -> tuple[Report, Report]:
    fast = load.validate_folder(folder)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_reader, "parse_plain_subset", lambda text, progress=None: yaml_lines.UNSUPPORTED)
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
    body += "  - id: 999\n    measure: 1\n    text: 多出的任务\n    lead: 市不存在局\n    deadline: 某时\n"
    tasks.write_text(head + body, encoding="utf-8")
    fast, slow = both_ways(copy, monkeypatch)
    assert len(fast.errors) >= 5
    assert fast.issues == slow.issues
    for lang in ("zh", "en"):
        assert format_issues(fast.issues, "text", lang) == format_issues(slow.issues, "text", lang)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_only_on_a_terminal_and_erases_itself(monkeypatch):
    from deviation_cli.cli.progress_bar import Bar, progress_bar

    plain = io.StringIO()
    with progress_bar("x", 10, stream=plain) as bar:
        for _ in range(10):
            bar.advance()
    assert plain.getvalue() == ""

    terminal = Terminal()
    with progress_bar("tasks", 4, stream=terminal) as bar:
        bar.advance(4)
    drawn = terminal.getvalue()
    assert drawn.startswith("\rtasks [" + "#" * 28 + "] 100%")
    assert drawn.endswith("\r")

    monkeypatch.setenv("DEVIATION_NO_PROGRESS", "1")
    assert Bar("x", stream=Terminal()).live is False


def test_validate_shows_progress_for_large_registers_only(monkeypatch):
    from deviation_cli.cli.progress_bar import live_stages

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    small = load.validate_folder(QINGHE, progress=live_stages)
    assert terminal.getvalue() == ""
    monkeypatch.setattr(load, "PROGRESS_CHARACTERS", 0)
    large = load.validate_folder(QINGHE, progress=live_stages)
    assert "\r" in terminal.getvalue() and terminal.getvalue().endswith("\r")
    assert large.issues == small.issues and large.register == small.register


def test_record_builder_makes_the_same_task_as_the_constructor(hanzhong):
    import dataclasses

    from deviation_cli.domain.register import Task, record_builder

    build = record_builder(Task)
    for task in hanzhong.tasks:
        fields = {field.name: getattr(task, field.name) for field in dataclasses.fields(Task)}
        made = build(**fields)
        assert type(made) is Task and made == Task(**fields) and hash(made) == hash(task)
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.text = "x"
