"""The YAML writer: every scalar reads back as the very same string, written as a person would."""

from __future__ import annotations

import random

import pytest

from deviation_cli.formats.yaml_reader import parse_yaml
from deviation_cli.formats.yaml_writer import dump, scalar

TRICKY = [
    "no",
    "Yes",
    "~",
    "null",
    "010",
    "2023-06-30",
    "1.5",
    "a: b",
    "#x",
    " lead",
    "trail ",
    "- x",
    "[x]",
    "{y}",
    "'q'",
    '"d"',
    "x #y",
    "@x",
    "%x",
    "`x",
    "!x",
    "&x",
    "*x",
    "|x",
    ">x",
    "?x",
    ":x",
    "x:",
    "",
    "tab\there",
    "line1\nline2",
    "多行\n  缩进\n",
    "\n",
    "各县区政府,汉中经开区、兴汉新区",
    "“红旗奖”“蜗牛奖”",
    "2023年 6月12月底",
    "\\back",
    "é\u200b",
    "---",
    "...",
]


def read_back(text: str):
    root, issues = parse_yaml(text, "x.yaml")
    assert issues == []
    return root


@pytest.mark.parametrize("value", TRICKY)
def test_each_tricky_scalar_reads_back_unchanged(value):
    assert read_back(dump({"a": value, "b": [value], "c": [{"d": value}]})) == {
        "a": value,
        "b": [value],
        "c": [{"d": value}],
    }


def test_random_strings_read_back_unchanged():
    alphabet = "ab 1-:#'\"\n\t,、,“”{}[]&*!|>%@`?~年月底"
    chance = random.Random(7)
    values = ["".join(chance.choice(alphabet) for _ in range(chance.randint(0, 12))) for _ in range(400)]
    assert read_back(dump({"values": values}))["values"] == values


def test_hand_style_layout():
    text = dump(
        {
            "document": {"title": "清河县", "index_no": None},
            "tasks": [{"id": "1", "responsible": ["东关镇"], "more": []}],
        },
        ["注释"],
    )
    assert text == (
        "# 注释\n\ndocument:\n  title: 清河县\n\ntasks:\n  - id: 1\n    responsible:\n      - 东关镇\n    more: []\n"
    )


def test_plain_where_safe_quoted_where_not():
    assert scalar("2023年6月底") == "2023年6月底"
    assert scalar("no") == '"no"'
    assert scalar("a: b") == '"a: b"'
