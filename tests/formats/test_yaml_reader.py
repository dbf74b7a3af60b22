"""The located YAML reader: strings stay strings, positions are kept, surprises are issues."""

from __future__ import annotations

import pytest

from deviation_cli.domain.issues import RegisterUnreadable
from deviation_cli.formats.text_encoding import decode_register_bytes
from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_tree import locate


def codes(issues):
    return [(issue.code, issue.line, issue.column) for issue in issues]


def test_every_scalar_is_a_string():
    root, issues = parse_yaml("a: no\nb: 010\nc: 2023-06-30\nd: 1.5\ne: ~\nf:\ng: ''\n", "x.yaml")
    assert issues == []
    assert root == {"a": "no", "b": "010", "c": "2023-06-30", "d": "1.5", "e": "~", "f": None, "g": ""}


def test_positions_of_keys_values_and_items():
    text = "tasks:\n  - id: 1\n    lead: 市发改委\n    responsible:\n      - 甲\n      - 乙\n"
    root, _ = parse_yaml(text, "x.yaml")
    assert locate(root, ("tasks", 0, "lead")) == (3, 11)
    assert locate(root, ("tasks", 0, "lead"), at_key=True) == (3, 5)
    assert locate(root, ("tasks", 0, "responsible", 1)) == (6, 9)
    assert locate(root, ("tasks", 0, "deadline")) == (2, 5)  # missing: where it belongs


def test_repeated_key_is_reported_with_the_first_line():
    root, issues = parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
    assert codes(issues) == [("duplicate_key", 3, 1)]
    assert issues[0].args == {"key": "a", "first": 1}
    assert root["a"] == "1"  # the first value is kept, never silently replaced


def test_anchors_aliases_and_tags_are_refused_not_expanded():
    _, issues = parse_yaml("a: &x [1, 2]\nb: *x\nc: !!python/object/apply:os.system ['true']\nd: !!str ok\n", "x.yaml")
    assert codes(issues) == [("anchor", 1, 4), ("alias", 2, 4), ("yaml_tag", 3, 4)]
    assert issues[2].args == {"tag": "!!python/object/apply:os.system"}


def test_byte_order_mark_at_the_start_is_fine_and_crlf_is_accepted():
    text = decode_register_bytes("\ufeffa: 甲\r\nb: 乙\r\n".encode("utf-8"), "x.yaml")
    root, issues = parse_yaml(text, "x.yaml")
    assert issues == [] and root == {"a": "甲", "b": "乙"}
    assert locate(root, ("b",)) == (2, 4)


@pytest.mark.parametrize(
    "raw, code, line, column",
    [
        ("a: 甲\nb: 汉中\n".encode("gb18030"), "encoding_gbk", 1, 4),
        ("a: 甲\n".encode("utf-16"), "encoding_utf16", 0, 0),
        ("a: b\nc: d\n".encode("utf-16-le"), "encoding_utf16", 0, 0),  # no BOM
        (b"a: \xff\xfe\xfd\x80\n", "encoding_not_utf8", 1, 4),
    ],
)
def test_other_encodings_are_unreadable_with_a_hint(raw, code, line, column):
    with pytest.raises(RegisterUnreadable) as caught:
        decode_register_bytes(raw, "x.yaml")
    issue = caught.value.issues[0]
    assert (issue.code, issue.line, issue.column) == (code, line, column)


def test_tabs_nul_and_mid_file_bom():
    assert codes(parse_yaml("a:\n\tb: 1\n", "x.yaml")[1]) == [("tab_indent", 2, 1)]
    assert codes(parse_yaml("a: x\x00y\n", "x.yaml")[1]) == [("nul_character", 1, 5)]
    assert codes(parse_yaml("a: 1\n\ufeffb: 2\n", "x.yaml")[1]) == [("bom_mid_file", 2, 1)]


def test_one_document_only():
    _, issues = parse_yaml("a: 1\n---\nb: 2\n", "x.yaml")
    assert codes(issues) == [("several_documents", 2, 1)]


def test_absurd_nesting_is_refused_with_a_message():
    _, issues = parse_yaml("a: " + "[" * 10000 + "]" * 10000, "x.yaml")
    assert codes(issues) == [("yaml_too_deep", 1, 1003)]
