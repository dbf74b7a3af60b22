"""The fast line reader gives exactly the tree libyaml's events give, or declines."""

from __future__ import annotations

import pytest

from deviation_cli.formats import yaml_lines, yaml_reader
from deviation_cli.formats.yaml_lines import parse_plain_subset
from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_tree import YamlList, YamlMap
from support.paths import HANZHONG, QINGHE


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
