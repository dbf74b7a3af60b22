"""The fast line reader gives exactly the tree libyaml's events give, or declines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deviation_cli.formats import yaml_lines, yaml_reader
from deviation_cli.formats.yaml_lines import parse_plain_subset
from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_tree import YamlList, YamlMap
from support.paths import HANZHONG, QINGHE


def events_only(text: str, path: str = "f.yaml"):
    """parse_yaml with the line reader switched off."""
    saved = yaml_reader.parse_plain_subset
    yaml_reader.parse_plain_subset = lambda text, progress=None, layouts=None: yaml_lines.UNSUPPORTED
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


# --- records read in their writer's order (``layouts``) -------------------------------------------

#: A task as the register's writer lays it out: scalars, then a list, then scalars.
TASKS = (("id", False), ("measure", False), ("heading", False), ("text", False), ("lead", False))
TASKS += (("responsible", True), ("deadline", False), ("remark", False))
LAYOUTS = {"id": TASKS}
TASK = "  - id: {id}\n    measure: 2\n    text: 任务{id}\n    lead: 市发改委\n    responsible:\n      - 汉台区\n      - 等市级相关部门单位\n    deadline: 2023年底\n"

RECORD_SNIPPETS = [
    "tasks:\n" + TASK.format(id=1) + TASK.format(id=2),
    "tasks:\n" + TASK.format(id=1) + "measures: []\n",
    "tasks:\n" + TASK.format(id=1) + "\n# 注\n" + TASK.format(id=2),  # blank and comment lines between records
    "tasks:\n  - id: 1\n    text: x\n  - id: 2\n",  # keys left out, a record of one key
    "tasks:\n  - id: 1\n    text: \"引号: 文字\" # 注\n    lead: 'a''b'\n    remark: x  \n",  # quoted, comment, trailing spaces
    'tasks:\n  - id: 1\n    text: x\n    responsible:\n      - "等: 单位"\n      - y \n      - z # c\n',
    # Each of these leaves the record path: the line path reads it (or the file goes to libyaml).
    "tasks:\n  - id: 1\n    lead: x\n    text: y\n",  # out of order
    "tasks:\n  - id: 1\n    text: x\n    owner: y\n",  # a key the layout does not know
    "tasks:\n  - id: 1\n    text:  two spaces\n",
    "tasks:\n  - id: 1\n    text: x\n    responsible: []\n",
    "tasks:\n  - id: 1\n    text: x\n    responsible:\n      -  y\n",
    "tasks:\n  - id: 1\n    text: x\n    responsible:\n      - # c\n",
    "tasks:\n  - id: 1\n    text: x\n    responsible:\n    - y\n",
    "tasks:\n  - id: 1\n    text: |\n      block\n",
    "tasks:\n  - id: 1\n    text: multi\n      line\n",
    "tasks:\n  - id: 1\n    text: x\n    text: y\n",
    "tasks:\n  - id: 1\n    text: x\n    lead:\n      - a\n      - b\n",
    "tasks:\n  - id: 1\n    text: x\n    \n  - id: 2\n",  # a line of spaces
    "tasks:\n  - id: 1\n    text: x\n    # 注\n    lead: y\n",
    "tasks:\n  - id: 1\n    text: [a, b]\n",
    "tasks:\n  - id: 1\n    text: a: b\n",
    "tasks:\n  -  id: 1\n    text: x\n",
    "tasks:\n  - id: 1\n    text: x",  # no newline at the end
    "tasks:\n" + TASK.format(id=1) + "    remark: 备注\n  - id: 2\n    text: y\n",
    "list:\n  - id: 1\n  - id: 2\n    nested:\n      - a\n",
]


@pytest.mark.parametrize("text", RECORD_SNIPPETS)
def test_records_in_a_known_layout_read_as_libyaml_reads_them(text):
    fast = parse_plain_subset(text, layouts=LAYOUTS)
    slow, issues = events_only(text)
    line_by_line = parse_plain_subset(text)
    if fast is yaml_lines.UNSUPPORTED:
        assert line_by_line is yaml_lines.UNSUPPORTED
        return
    assert issues == []
    assert same_tree(fast, slow) and same_tree(fast, line_by_line)


def test_records_in_their_writers_order_are_read_a_record_at_a_time(monkeypatch):
    read = []
    real = yaml_lines._read_records

    def spy(*args):
        result = real(*args)
        read.append(result)
        return result

    monkeypatch.setattr(yaml_lines, "_read_records", spy)
    text = RECORD_SNIPPETS[0]
    assert same_tree(parse_plain_subset(text, layouts=LAYOUTS), events_only(text)[0])
    # One call read both records: it resumed after the 16th line, the last of the second task.
    assert read == [(len(text), 17)]


@pytest.mark.parametrize("path", [HANZHONG / "tasks.yaml", QINGHE / "tasks.yaml"], ids=["hanzhong", "qinghe"])
def test_the_shipped_registers_read_with_their_layouts_as_libyaml_reads_them(path):
    from deviation_cli.validation.entries import TasksFile
    from deviation_cli.validation.entry_checks import record_layouts

    text = path.read_text(encoding="utf-8")
    fast = parse_plain_subset(text, layouts=record_layouts(TasksFile))
    assert fast is not yaml_lines.UNSUPPORTED
    assert same_tree(fast, events_only(text)[0])


VALUES = [
    "x",
    "市发改委",
    "2023年底",
    "a: b",
    "x # c",
    "'q'",
    '"d: e"',
    "y  ",
    " z",
    "",
    "-",
    "#",
    "[a]",
    "|",
    "10",
    "é",
]


@st.composite
def task_lists(draw) -> str:
    """A list of records much like tasks, often in the layout's order, sometimes not, with awkward values."""
    lines = ["tasks:"]
    for _ in range(draw(st.integers(1, 4))):
        keys = [key for key, _ in TASKS if draw(st.booleans())] or ["text"]
        if draw(st.integers(0, 4)) == 0:
            keys = draw(st.permutations(keys))
        if draw(st.booleans()):
            keys = ["id", *[key for key in keys if key != "id"]]
        for number, key in enumerate(keys):
            lead = "  - " if number == 0 else "    "
            if key == "responsible" and draw(st.booleans()):
                lines.append(f"{lead}{key}:")
                lines += [f"      - {draw(st.sampled_from(VALUES))}" for _ in range(draw(st.integers(1, 3)))]
            else:
                lines.append(f"{lead}{key}: {draw(st.sampled_from(VALUES))}")
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# 注", "    ", "measures: []"])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@settings(max_examples=300, deadline=None)
@given(task_lists())
def test_reading_by_records_never_changes_what_is_read(text):
    by_records = parse_plain_subset(text, layouts=LAYOUTS)
    by_lines = parse_plain_subset(text)
    if by_lines is yaml_lines.UNSUPPORTED:
        assert by_records is yaml_lines.UNSUPPORTED
    else:
        assert same_tree(by_records, by_lines)
