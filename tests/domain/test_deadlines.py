"""The deadline grammar: every accepted wording, and the refusals with their codes."""

from __future__ import annotations

from datetime import date

import pytest

from deviation_cli.domain.deadlines import DeadlineError, parse_date_argument, parse_deadline


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
    ],
)
def test_dated_wordings(wording, expected):
    parsed = parse_deadline(wording)
    assert [d.isoformat() for d in parsed.due] == expected
    assert parsed.ongoing is False
    assert parsed.wording == wording


@pytest.mark.parametrize("wording", ["持续推进", "长期坚持", " 持续推进 "])
def test_ongoing_wordings(wording):
    parsed = parse_deadline(wording)
    assert parsed.due == () and parsed.ongoing is True


@pytest.mark.parametrize(
    "wording, code",
    [
        ("", "deadline_empty"),
        ("2023年13月底", "deadline_bad_month"),
        ("2023年0月底", "deadline_bad_month"),
        ("2023年2月30日", "deadline_bad_date"),
        ("2023-02-30", "deadline_bad_date"),
        ("2023年6月", "deadline_month_without_day"),
        ("6月底", "deadline_no_year"),
        ("尽快", "deadline_unparsed"),
        ("2023年6月底左右", "deadline_unparsed_at"),
    ],
)
def test_refused_wordings(wording, code):
    with pytest.raises(DeadlineError) as caught:
        parse_deadline(wording)
    assert caught.value.code == code


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
    ],
)
def test_typed_dates(typed, expected):
    assert parse_date_argument(typed, AS_OF).isoformat() == expected


@pytest.mark.parametrize(
    "typed, code", [("2023-02-30", "date_not_real"), ("31/07/2023", "date_format"), ("下周", "date_format")]
)
def test_typed_dates_refused(typed, code):
    with pytest.raises(DeadlineError) as caught:
        parse_date_argument(typed, AS_OF)
    assert caught.value.code == code
