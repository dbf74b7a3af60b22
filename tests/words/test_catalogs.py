"""The word catalogs: every key in both languages, with the same blanks to fill."""

from __future__ import annotations

import string

import pytest

from deviation_cli import words
from deviation_cli.words import en, zh


def blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_both_languages():
    assert sorted(set(zh.WORDS) ^ set(en.WORDS)) == []


@pytest.mark.parametrize("key", sorted(zh.WORDS))
def test_both_languages_fill_the_same_blanks(key):
    assert blanks(zh.WORDS[key]) == blanks(en.WORDS[key]), key


def test_a_plan_may_rename_a_label_in_chinese_only():
    plan = {"lead": "牵头单位"}
    assert words.label("lead", "zh", plan) == "牵头单位"
    assert words.label("lead", "en", plan) == "Lead"
    assert words.label("lead", "zh") == "牵头单位"


def test_a_message_quotes_what_the_user_wrote_and_suggests():
    text = words.message("unknown_unit", {"name": "市审计\u200b局", "suggestions": ["市审计局"]}, "zh")
    assert text == "未知单位“市审计<U+200B>局”。是否指:市审计局?"
    assert words.message("unknown_unit", {"name": "x", "suggestions": []}, "en") == "unknown unit 'x'"


def test_only_zh_and_en_are_languages():
    assert words.as_lang("en") == "en"
    with pytest.raises(ValueError):
        words.as_lang("fr")
