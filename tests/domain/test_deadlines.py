"""The deadline grammar: every accepted wording, and the refusals with their codes."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import date

import pytest

from deviation_cli import words
from deviation_cli.domain.deadlines import DeadlineError, PlanCalendar, parse_date_argument, parse_deadline
from deviation_cli.validation.json_schema import DEADLINE_PATTERN

#: A plan written 2023-06-18 that runs to the end of 2023, like Hanzhong's.
PLAN = PlanCalendar(2023, date(2023, 6, 18), date(2023, 12, 31))


def iso(dates) -> list[str]:
    return [d.isoformat() for d in dates]


@pytest.mark.parametrize(
    "wording, expected",
    [
        ("2023年6月底", ["2023-06-30"]),
        ("2023年2月底", ["2023-02-28"]),
        ("2024年2月末", ["2024-02-29"]),
        ("2023年12月底", ["2023-12-31"]),
        ("2023年6月30日", ["2023-06-30"]),
        ("2023年6月30日前", ["2023-06-30"]),
        ("2023年底", ["2023-12-31"]),
        ("2023年末", ["2023-12-31"]),
        ("2023年上半年", ["2023-06-30"]),
        ("2023年下半年", ["2023-12-31"]),
        ("2023年一季度", ["2023-03-31"]),
        ("2023年第三季度末", ["2023-09-30"]),
        ("2023年Q2", ["2023-06-30"]),
        ("2023年6月、12月底", ["2023-06-30", "2023-12-31"]),
        ("2023年 6月12月底", ["2023-06-30", "2023-12-31"]),
        ("2024年3月、6月、9月、12月底", ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]),
        ("2023年6月底、2024年3月底", ["2023-06-30", "2024-03-31"]),
        ("2023-06-30", ["2023-06-30"]),
        ("２０２３年６月底", ["2023-06-30"]),  # full-width digits
        # a year alone, or its whole: the year's end
        ("2023年", ["2023-12-31"]),
        ("2023年底前", ["2023-12-31"]),
        ("2023年末以前", ["2023-12-31"]),
        ("2023年内", ["2023-12-31"]),
        ("2023年全年", ["2023-12-31"]),
        ("2023年年底前", ["2023-12-31"]),
        ("2023年、2024年", ["2023-12-31", "2024-12-31"]),
        ("2023年前三季度", ["2023-09-30"]),  # the first three quarters: 前 is no "before 2023" here
        ("2023年6月底、2024年", ["2023-06-30", "2024-12-31"]),
        # ten-day periods
        ("2023年9月上旬", ["2023-09-10"]),
        ("2023年9月中旬", ["2023-09-20"]),
        ("2023年9月下旬", ["2023-09-30"]),
        ("2024年2月下旬", ["2024-02-29"]),
        ("2023年9月中旬前", ["2023-09-20"]),
        # before a month: the last day of the month before it
        ("2023年9月前", ["2023-08-31"]),
        ("2023年3月以前", ["2023-02-28"]),
        ("2024年3月之前", ["2024-02-29"]),
        ("2024年1月前", ["2023-12-31"]),
        ("2023年9月30日前", ["2023-09-30"]),
        ("2023年9月底前", ["2023-09-30"]),
        ("2023年6月、12月底前", ["2023-06-30", "2023-12-31"]),
    ],
)
def test_dated_wordings(wording, expected):
    parsed = parse_deadline(wording)
    assert iso(parsed.due) == expected
    assert parsed.ongoing is False
    assert parsed.recurring is False
    assert parsed.wording == wording
    # A plan changes nothing for a wording that names its years.
    assert parse_deadline(wording, PLAN) == parsed


@pytest.mark.parametrize(
    "wording, expected",
    [
        ("全年", ["2023-12-31"]),
        ("年内", ["2023-12-31"]),
        ("年底", ["2023-12-31"]),
        ("年底前", ["2023-12-31"]),
        ("年末", ["2023-12-31"]),
        ("上半年", ["2023-06-30"]),
        ("下半年", ["2023-12-31"]),
        ("第三季度", ["2023-09-30"]),
        ("三季度末", ["2023-09-30"]),
        ("四季度", ["2023-12-31"]),
        ("Q2", ["2023-06-30"]),
        ("6月底", ["2023-06-30"]),
        ("9月上旬", ["2023-09-10"]),
        ("9月中旬", ["2023-09-20"]),
        ("9月下旬", ["2023-09-30"]),
        ("9月前", ["2023-08-31"]),
        ("1月前", ["2022-12-31"]),
        ("9月30日前", ["2023-09-30"]),
        ("9月30号", ["2023-09-30"]),
        ("9月底前", ["2023-09-30"]),
        ("7月、12月底", ["2023-07-31", "2023-12-31"]),
        # the plan's year holds until the wording names one
        ("9月底、2024年3月底", ["2023-09-30", "2024-03-31"]),
    ],
)
def test_a_wording_without_a_year_takes_the_plans(wording, expected):
    parsed = parse_deadline(wording, PLAN)
    assert iso(parsed.due) == expected
    assert (parsed.ongoing, parsed.recurring) == (False, False)
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(wording)
    assert caught.value.code == "deadline_no_year"


def test_after_an_iso_date_or_a_range_no_year_is_in_force():
    for wording in ("2023-06-30、9月底", "2023—2024年、9月底"):
        with pytest.raises(DeadlineError) as caught:
            parse_deadline(wording, PLAN)
        assert caught.value.code == "deadline_no_year"


@pytest.mark.parametrize(
    "wording",
    [
        "2023—2025年",
        "2023-2025年",
        "2023～2025年",
        "2023~2025年",
        "2023－2025年",
        "2023–2025年",
        "2023――2025年",
        "2023——2025年",
        "2023〜2025年",
        "2023年至2025年",
        "2023至2025年",
        "2023年到2025年",
        "2023年—2025年",
        "2023—2025年底",
        "2023—2025年底前",
        "２０２３—２０２５年",
    ],
)
def test_a_range_of_years_has_one_milestone_per_year_end(wording):
    parsed = parse_deadline(wording)
    assert iso(parsed.due) == ["2023-12-31", "2024-12-31", "2025-12-31"]
    assert (parsed.ongoing, parsed.recurring) == (False, False)


def test_ranges_and_other_clauses_combine():
    assert iso(parse_deadline("2023年6月底、2024—2025年").due) == ["2023-06-30", "2024-12-31", "2025-12-31"]
    assert iso(parse_deadline("2024—2024年").due) == ["2024-12-31"]


@pytest.mark.parametrize(
    "wording",
    [
        "持续推进",
        "长期坚持",
        " 持续推进 ",
        "常态化推进",
        "长期",
        "持续",
        "常态化",
        "常态长效",
        "长期坚持、持续推进",
        "持续推进,常态长效",
        "长期坚持 持续推进",
        "长期坚持和常态化推进",
    ],
)
def test_ongoing_wordings(wording):
    for plan in (None, PLAN):
        parsed = parse_deadline(wording, plan)
        assert parsed.due == () and parsed.ongoing is True and parsed.recurring is False


@pytest.mark.parametrize(
    "wording, expected",
    [
        ("每月", ["2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"]),
        ("每月底", ["2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"]),
        (
            "每个月末",
            ["2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30", "2023-10-31", "2023-11-30", "2023-12-31"],
        ),
        # the plan starts on 18 June: June's 10th is before it, June's 23rd after it
        (
            "每月23日前",
            ["2023-06-23", "2023-07-23", "2023-08-23", "2023-09-23", "2023-10-23", "2023-11-23", "2023-12-23"],
        ),
        ("每月10号", ["2023-07-10", "2023-08-10", "2023-09-10", "2023-10-10", "2023-11-10", "2023-12-10"]),
        ("每月上旬", ["2023-07-10", "2023-08-10", "2023-09-10", "2023-10-10", "2023-11-10", "2023-12-10"]),
        (
            "每月中旬",
            ["2023-06-20", "2023-07-20", "2023-08-20", "2023-09-20", "2023-10-20", "2023-11-20", "2023-12-20"],
        ),
        ("每季度", ["2023-06-30", "2023-09-30", "2023-12-31"]),
        ("每季度末", ["2023-06-30", "2023-09-30", "2023-12-31"]),
        ("每季末前", ["2023-06-30", "2023-09-30", "2023-12-31"]),
        ("每个季度", ["2023-06-30", "2023-09-30", "2023-12-31"]),
        ("每半年", ["2023-06-30", "2023-12-31"]),
        ("每半年末", ["2023-06-30", "2023-12-31"]),
        ("每年", ["2023-12-31"]),
        ("每年底前", ["2023-12-31"]),
        ("每年11月底", ["2023-11-30"]),
        ("每年12月20日前", ["2023-12-20"]),
        # years written before 每 are the span, whatever the plan
        ("2024年每季度", ["2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31"]),
        ("2024—2026年每年", ["2024-12-31", "2025-12-31", "2026-12-31"]),
        ("2024年至2025年每年6月底", ["2024-06-30", "2025-06-30"]),
    ],
)
def test_recurring_wordings_fill_the_plans_span(wording, expected):
    parsed = parse_deadline(wording, PLAN)
    assert iso(parsed.due) == expected
    assert (parsed.ongoing, parsed.recurring) == (False, True)


def test_a_recurring_day_is_clamped_to_the_months_end():
    plan = PlanCalendar(2024, date(2024, 1, 1), date(2024, 4, 30))
    assert iso(parse_deadline("每月31日", plan).due) == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    assert iso(parse_deadline("每月30日前", plan).due) == ["2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30"]
    spans_years = PlanCalendar(2023, date(2023, 1, 1), date(2024, 12, 31))
    assert iso(parse_deadline("每年2月29日", spans_years).due) == ["2023-02-28", "2024-02-29"]


def test_the_span_is_inclusive_at_both_ends():
    plan = PlanCalendar(2023, date(2023, 6, 30), date(2023, 9, 30))
    assert iso(parse_deadline("每季度", plan).due) == ["2023-06-30", "2023-09-30"]
    assert iso(parse_deadline("每月", plan).due) == ["2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30"]


@pytest.mark.parametrize("wording", ["每月", "每季度末", "每半年", "每年", "每月23日前", "每年6月底"])
def test_recurring_needs_a_span(wording):
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(wording)
    assert caught.value.code == "deadline_recurring_no_span"


@pytest.mark.parametrize(
    "plan, wording",
    [
        (PlanCalendar(2023, date(2023, 7, 1), date(2023, 7, 20)), "每月"),  # no month end inside
        (PlanCalendar(2023, date(2023, 7, 1), date(2023, 9, 29)), "每季度"),
        (PlanCalendar(2023, date(2023, 7, 1), date(2023, 12, 30)), "每年"),
        (PlanCalendar(2023, date(2023, 12, 31), date(2023, 1, 1)), "每月"),  # start after end
    ],
)
def test_a_recurring_deadline_with_nothing_in_its_span_is_refused(plan, wording):
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(wording, plan)
    assert caught.value.code == "deadline_recurring_empty"
    assert caught.value.args_ == {"start": plan.start.isoformat(), "end": plan.end.isoformat()}


@pytest.mark.parametrize(
    "wording, code",
    [
        ("", "deadline_empty"),
        ("2023年13月底", "deadline_bad_month"),
        ("2023年0月底", "deadline_bad_month"),
        ("2023年2月30日", "deadline_bad_date"),
        ("2023-02-30", "deadline_bad_date"),
        ("2023年6月", "deadline_month_without_day"),
        ("2023-06-30、6月底", "deadline_no_year"),  # 6月底 alone: see the plan's year above
        ("尽快", "deadline_unparsed"),
        ("2023年6月底左右", "deadline_unparsed_at"),
        ("2024", "deadline_unparsed"),
        ("九月份", "deadline_unparsed"),
        ("每周", "deadline_unparsed"),
        ("2023年前", "deadline_year_before"),  # by the end of 2023, or before 2023?
        ("2023年以前", "deadline_year_before"),
        ("2023年底前、长期坚持", "deadline_ongoing_mixed"),
        ("2023年6月底持续推进", "deadline_ongoing_mixed"),
        ("长期坚持、2023年", "deadline_ongoing_mixed"),
        ("长期坚持前", "deadline_unparsed"),
        ("前持续推进", "deadline_unparsed"),
        ("2025—2023年", "deadline_bad_range"),
        ("2025年每季度至2023年", "deadline_unparsed_at"),
        ("2025—2023年每年", "deadline_bad_range"),
        ("2023年13月前", "deadline_bad_month"),
        ("2023年0月上旬", "deadline_bad_month"),
        ("2023年6月、9月前", "deadline_month_without_day"),
        ("2023年6月、9月中旬", "deadline_month_without_day"),
        ("2024年每季度25日前", "deadline_unparsed_at"),  # which month of the quarter?
        ("2024年每季度最后一个月25日前", "deadline_unparsed_at"),
        ("2024年每月23日前报送", "deadline_unparsed_at"),
        ("2024年每月32日", "deadline_bad_date"),
        ("2024年每月0日", "deadline_bad_date"),
        ("2024年每年2月30日", "deadline_bad_date"),
        ("2024年每年13月底", "deadline_bad_month"),
        ("2024年每年6月", "deadline_unparsed_at"),
        ("2023年6月底、每月", "deadline_unparsed_at"),
    ],
)
def test_refused_wordings(wording, code):
    for plan in (None, PLAN):
        with pytest.raises(DeadlineError) as caught:
            parse_deadline(wording, plan)
        assert caught.value.code == code


@pytest.mark.parametrize(
    "wording, code, args",
    [
        ("2月30日", "deadline_bad_date", {"value": "2023年2月30日"}),
        ("2月30日前", "deadline_bad_date", {"value": "2023年2月30日"}),
        ("13月底", "deadline_bad_month", {"year": 2023, "month": 13}),
        ("每月32日", "deadline_bad_date", {"value": "每月32日"}),
        ("每年2月30日", "deadline_bad_date", {"value": "每年2月30日"}),
        ("2023年前", "deadline_year_before", {"year": 2023}),
        ("2025—2023年", "deadline_bad_range", {"first": 2025, "last": 2023}),
        ("每季度25日前", "deadline_unparsed_at", {"rest": "25日前"}),
    ],
)
def test_refusals_say_what_is_wrong(wording, code, args):
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(wording, PLAN)
    assert (caught.value.code, caught.value.args_) == (code, args)


#: One example of each family, as the refusal of an unknown wording lists them.
FAMILIES = [
    "2023年6月底",
    "2023年9月30日前",
    "9月中旬",
    "2023年9月前",
    "2023年底",
    "上半年",
    "第三季度末",
    "2023年6月、12月底",
    "2023—2025年",
    "每月23日前",
    "每季度末",
    "持续推进",
    "2023-06-30",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("code", ["deadline_unparsed", "deadline_unparsed_at"])
def test_an_unknown_wording_is_told_every_family(lang, code):
    text = words.message(code, {"wording": "尽快", "rest": "尽快"}, lang)
    assert [family for family in FAMILIES if family not in text] == []


@pytest.mark.parametrize("wording", FAMILIES)
def test_every_family_in_the_refusal_parses(wording):
    assert parse_deadline(wording, PLAN)


ACCEPTED = sorted(
    {
        "2023年6月底",
        "2023年 6月12月底",
        "２０２３年６月底",
        "2023年6月30日前",
        "2023年第三季度末",
        "2023年Q2",
        "2023年上半年末",
        "2023-06-30",
        "2023年、2024年",
        "2023年内",
        "2023年全年",
        "2023年9月上旬",
        "2023年9月前",
        "2023年底前",
        "年底前",
        "全年",
        "年内",
        "三季度末",
        "9月下旬",
        "9月30日前",
        "2023—2025年",
        "2023-2025年",
        "2023～2025年",
        "2023～２０２５年",
        "2023年至2025年",
        "2023至2025年",
        "2023 年 — 2025 年底前",
        "2023〜2025年",
        "2023――2025年",
        "长期坚持",
        "常态长效",
        "长期坚持、持续推进",
        "每月",
        "每个月",
        "每月23日前",
        "每月上旬",
        "每季度末",
        "每季末",
        "每半年",
        "每年",
        "每年6月30日前",
        "2024年每季度",
        "2024—2026年每年6月底",
        *FAMILIES,
    }
)


@pytest.mark.parametrize("wording", ACCEPTED)
def test_the_editors_pattern_is_never_stricter_than_the_grammar(wording):
    parse_deadline(wording, PLAN)
    assert re.fullmatch(DEADLINE_PATTERN, wording), wording


@pytest.mark.parametrize("wording", ["尽快", "九月份", "2024", "每周", "6月底左右", "2023年6月底左右", "每周五"])
def test_the_editors_pattern_refuses_what_is_no_deadline(wording):
    assert not re.fullmatch(DEADLINE_PATTERN, wording)


def test_long_wordings_take_linear_time():
    started = time.perf_counter()
    for wording in ("、".join(["2023年6月底"] * 20_000), "2023" * 50_000, "9" * 100_000, "每月" + "前" * 100_000):
        with contextlib.suppress(DeadlineError):
            parse_deadline(wording, PLAN)
    assert time.perf_counter() - started < 5
    for wording in ("上半年底" * 30 + "x", "6月30日" * 30 + "x", "2023年" * 30 + "x"):
        started = time.perf_counter()
        assert not re.fullmatch(DEADLINE_PATTERN, wording)
        assert time.perf_counter() - started < 1


AS_OF = date(2023, 5, 10)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2023-07-31", "2023-07-31"),
        ("2023年7月底", "2023-07-31"),
        ("月底", "2023-05-31"),
        ("eom", "2023-05-31"),
        ("季末", "2023-06-30"),
        ("EOQ", "2023-06-30"),
        ("年底", "2023-12-31"),
        ("eoy", "2023-12-31"),
        ("today", "2023-05-10"),
        # a deadline wording with one milestone; without a year, as_of's
        ("2023年", "2023-12-31"),
        ("2023年9月前", "2023-08-31"),
        ("2024年三季度", "2024-09-30"),
        ("9月中旬", "2023-09-20"),
        ("下半年", "2023-12-31"),
        ("年内", "2023-12-31"),
        ("9月30日前", "2023-09-30"),
        ("Q3", "2023-09-30"),
    ],
)
def test_typed_dates(typed, expected):
    assert parse_date_argument(typed, AS_OF).isoformat() == expected


@pytest.mark.parametrize(
    "typed, code",
    [
        ("2023-02-30", "date_not_real"),
        ("31/07/2023", "date_format"),
        ("下周", "date_format"),
        ("2023年13月底", "date_format"),
        ("2023—2025年", "date_format"),  # three milestones
        ("2023年6月、12月底", "date_format"),
        ("每年", "date_format"),  # recurring, even with one milestone
        ("每月", "date_format"),
        ("持续推进", "date_format"),
        ("2023年前", "date_format"),
    ],
)
def test_typed_dates_refused(typed, code):
    with pytest.raises(DeadlineError) as caught:
        parse_date_argument(typed, AS_OF)
    assert caught.value.code == code
