"""The deadline grammar: wording as staff write it, parsed into due dates.

``parse_deadline(wording, plan=None) -> Deadline`` (``due``: sorted distinct dates,
``ongoing``, ``recurring``) or ``DeadlineError`` (a catalog ``code`` and its ``args_``);
``plan`` is a ``PlanCalendar(year, start, end)``: the year of wordings that name none,
and the span (both ends inclusive) a recurring wording fills.

Every wording is read after NFKC (full-width digits and punctuation are fine) with all
spaces removed. "Year in force" below is the last year the wording named; before the
wording names one, the plan's own year (``PlanCalendar.year``) when a plan is given,
else the wording is refused with ``deadline_no_year``. A wording that names an ISO
date or a range puts no year in force after it.

Dated (the result is a sorted tuple of distinct dates):

- month end: ``2023年6月底`` / ``2023年6月末`` -> 2023-06-30; ``6月底`` -> the plan's year
- a day: ``2023年6月30日`` / ``6月30号``, optionally with 前/以前/之前 (the day itself):
  ``9月30日前`` -> 09-30; ``9月底前`` -> 09-30
- ten-day periods (旬): ``9月上旬`` -> 09-10, ``9月中旬`` -> 09-20, ``9月下旬`` -> 09-30
- "before a month": ``2023年9月前`` -> 2023-08-31 (the last day of the month before;
  ``2024年1月前`` -> 2023-12-31)
- year end: ``2023年底`` / ``2023年末`` / ``2023年内`` / ``2023年`` (a year with nothing
  of its own: ``2023年、2024年`` is two year ends) -> 2023-12-31, also with 前
  (``2023年底前``); ``年底`` / ``年末`` / ``年内`` / ``全年`` / ``年底前`` -> the year in
  force. ``2023年前`` alone is refused (``deadline_year_before``): staff write it for
  "by the end of 2023" and for "before 2023"; followed by an item it is that year's
  (``2023年前三季度`` -> 2023-09-30).
- halves: ``2023年上半年`` -> 06-30, ``下半年`` -> 12-31 (optionally 末/底)
- quarters: ``2023年一季度``, ``第三季度``, ``三季度末``, ``Q3`` -> the quarter's last day
- several in one year: ``2023年6月、12月底`` and the source's ``2023年 6月12月底``
  (a final 底 covers every month listed); several clauses: ``2023年6月底、2024年3月底``
  (separators 、 , ; 和 及 与)
- ranges of years: ``2023—2025年``, ``2023-2025年``, ``2023～2025年``, ``2023年至2025年``,
  ``2023至2025年`` (also 到, –, ―, 〜; optionally 底/末) -> 2023-12-31, 2024-12-31,
  2025-12-31: one milestone per year end, the last being the range's end
- ISO dates: ``2023-06-30``

Recurring (``Deadline.recurring``; the milestones are every period's date inside a span,
the plan's ``start``..``end`` inclusive, or the years the wording names before 每):

- ``每月`` / ``每月底`` -> every month end; ``每月23日前`` -> the 23rd of every month
  (clamped to the month's end: ``每月31日`` falls on 02-28 or 02-29 in February);
  ``每月上旬`` / ``每月中旬`` / ``每月下旬`` -> the 10th / 20th / month end
- ``每季度`` / ``每季度末`` / ``每季末`` -> 03-31, 06-30, 09-30, 12-31
- ``每半年`` / ``每半年末`` -> 06-30, 12-31
- ``每年`` / ``每年底`` -> 12-31; ``每年6月底`` / ``每年6月20日前`` -> that date each year
- a span in the wording, which then needs no plan: ``2024年每季度``, ``2023—2025年每年6月底``

A recurring wording with no span of its own needs a plan (``deadline_recurring_no_span``);
one with no date inside its span is refused (``deadline_recurring_empty``). ``每季度25日前``
(which month of the quarter?) is refused.

Ongoing, no date: ``持续推进``, ``长期坚持``, ``常态化推进``, ``长期``, ``持续``, ``常态化``,
``常态长效``, and several of them together (``长期坚持、持续推进``). Mixed with a date
(``2023年底前、长期坚持``) it is refused (``deadline_ongoing_mixed``): a deadline is either
dated or ongoing.

Anything else is an error, never a guess; dates that do not exist (``2023年2月30日``) are
errors too. The grammar is one pass of precompiled regular expressions over the wording.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .issues import usage_error

ONGOING_WORDS = frozenset({"持续推进", "长期坚持", "长期", "持续", "常态化", "常态化推进", "常态长效"})

_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

#: Day of the month a ten-day period (旬) ends on; 下旬 ends with the month.
_XUN_DAYS = {"上": 10, "中": 20}

_BEFORE = "(?:以前|之前|前)"
#: Between the years of a range, after NFKC (which turns ～ into ~ and － into -).
_RANGE_DASH = "(?:[-‐‑‒–—―~〜]{1,2}|至|到)"
_ONGOING = "|".join(sorted(ONGOING_WORDS, key=lambda word: (-len(word), word)))

_TOKEN = rf"""
    (?P<iso>\d{{4}}-\d{{1,2}}-\d{{1,2}})
  | (?P<first>\d{{4}})年?{_RANGE_DASH}(?P<last>\d{{4}})年(?:底|末)?
  | (?P<year>\d{{4}})年(?P<within>内)?
  | (?P<wholeyear>全年|年内|年底|年末)
  | (?P<half>[上下])半年(?:末|底)?
  | (?:第)?(?P<quarter>[一二三四1-4])季度(?:末|底)?
  | [Qq](?P<q>[1-4])
  | (?P<month>\d{{1,2}})月(?:(?P<day>\d{{1,2}})[日号]|(?P<xun>[上中下])旬)?(?P<end>底|末)?(?P<monthbefore>{_BEFORE})?
  | (?P<yearend>底|末)
  | (?P<sep>[、,,;;和及与])
  | (?P<before>{_BEFORE})
  | (?P<ongoing>{_ONGOING})
    """

#: The head of a recurring wording: an optional span of years, then 每 and the period.
_RECURRING = rf"(?:(?P<first>\d{{4}})(?:年?{_RANGE_DASH}(?P<last>\d{{4}}))?年)?每个?(?P<period>月|季度?|半年|年)"
_DAY_PART = r"(?:(?P<day>\d{1,2})[日号]|(?P<xun>[上中下])旬|(?P<end>底|末))"
#: What may follow each period, to the end of the wording.
_RECURRING_TAIL = {
    "月": rf"(?:{_DAY_PART}{_BEFORE}?)?",
    "季度": rf"(?:(?:末|底){_BEFORE}?)?",
    "半年": rf"(?:(?:末|底){_BEFORE}?)?",
    "年": rf"(?:(?:(?P<month>\d{{1,2}})月{_DAY_PART}|末|底){_BEFORE}?)?",
}


@dataclass(frozen=True, slots=True)
class _Grammar:
    token: re.Pattern[str]
    recurring: re.Pattern[str]
    tails: dict[str, re.Pattern[str]]


@functools.cache
def _grammar() -> _Grammar:
    """The wordings' patterns, compiled on first use: a query given ISO dates never needs them,
    and compiling them took longer than the rest of its start-up."""
    return _Grammar(
        re.compile(_TOKEN, re.VERBOSE),
        re.compile(_RECURRING),
        {period: re.compile(pattern) for period, pattern in _RECURRING_TAIL.items()},
    )


_RECURRING_MONTHS = {"季度": (3, 6, 9, 12), "半年": (6, 12)}
_EVERY_MONTH = tuple(range(1, 13))
#: The most days each month has in any year (February: 29, in a leap year).
_LONGEST_MONTH = dict(zip(_EVERY_MONTH, (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), strict=True))

#: Token kinds in the order ``_TOKEN`` names them (the day, xun, end... groups belong to month).
_KINDS = ("iso", "first", "year", "wholeyear", "half", "quarter", "q", "month", "yearend", "sep", "before", "ongoing")


@dataclass(frozen=True, slots=True)
class PlanCalendar:
    """What a deadline may take from its plan.

    ``year``: the year of wordings that name none (``6月底``, ``三季度末``, ``年底前``);
    ``start``..``end`` (both inclusive): the span a recurring deadline (``每月23日前``) fills.
    """

    year: int
    start: date
    end: date

    @classmethod
    def whole_year(cls, year: int) -> PlanCalendar:
        """The plan of one calendar year: 1 January to 31 December of ``year``."""
        return cls(year, date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True, slots=True)
class Deadline:
    """A parsed deadline: its milestones in date order, or ongoing.

    ``recurring``: the milestones are a period's dates inside a span (``每月23日前``).
    """

    wording: str
    due: tuple[date, ...]
    ongoing: bool
    recurring: bool = False


class DeadlineError(ValueError):
    """The wording does not follow the grammar; ``code`` and ``args`` say why."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code = code
        self.args_ = args


_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def normalise_wording(wording: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", wording))


def parse_deadline(wording: str, plan: PlanCalendar | None = None) -> Deadline:
    """Parse one deadline cell; ``plan`` gives the year and span the wording may leave out.

    >>> parse_deadline("2023年 6月12月底").due
    (datetime.date(2023, 6, 30), datetime.date(2023, 12, 31))
    >>> parse_deadline("9月中旬", PlanCalendar.whole_year(2024)).due
    (datetime.date(2024, 9, 20),)
    """
    text = normalise_wording(wording)
    if not text:
        raise DeadlineError("deadline_empty")
    if text in ONGOING_WORDS:
        return Deadline(wording, (), True)
    recurring = _grammar().recurring.match(text)
    if recurring:
        return Deadline(wording, _recurring_dates(text, recurring, plan), False, recurring=True)
    return _dated(wording, text, plan)


def _dated(wording: str, text: str, plan: PlanCalendar | None) -> Deadline:
    dates: list[date] = []
    year: int | None = plan.year if plan else None  # the year in force
    bare: int | None = None  # a year just named, nothing of its own yet: alone, it means its end
    bare_before = False  # ... and written 2023年前: alone, that is ambiguous (2023年前三季度 is not)
    ongoing = saw_before = False
    pending_months: list[int] = []  # months written without 底/日, waiting for a final 底
    position = 0
    while position < len(text):
        match = _grammar().token.match(text, position)
        if not match:
            raise DeadlineError("deadline_unparsed_at" if position else "deadline_unparsed", rest=text[position:])
        groups = match.groupdict()
        kind = next(name for name in _KINDS if groups[name] is not None)
        if bare is not None and kind not in ("sep", "before", "ongoing"):
            if kind in ("iso", "first", "year"):  # the year stood alone
                dates.append(_year_alone(bare, bare_before))
            bare, bare_before = None, False  # otherwise what follows is the year's own
        if kind == "iso":
            dates.append(_iso_date(groups["iso"]))
            year = None
        elif kind == "first":
            _flush_pending(pending_months, year)
            first, last = int(groups["first"]), int(groups["last"])
            if first > last:
                raise DeadlineError("deadline_bad_range", first=first, last=last)
            dates.extend(date(each, 12, 31) for each in range(first, last + 1))
            year = None
        elif kind == "year":
            _flush_pending(pending_months, year)
            year = int(groups["year"])
            if groups["within"]:
                dates.append(date(year, 12, 31))
            else:
                bare = year
        elif kind == "month":
            dates.extend(_month_item(groups, year, pending_months))
        elif kind == "half":
            dates.append(_month_end(_need_year(year), 6 if groups["half"] == "上" else 12))
        elif kind in ("quarter", "q"):
            quarter = _QUARTER_NUMBERS[groups["quarter"] or groups["q"]]
            dates.append(_month_end(_need_year(year), quarter * 3))
        elif kind == "yearend":
            if pending_months:
                raise DeadlineError("deadline_unparsed", rest=text[match.start() :])
            dates.append(date(_need_year(year), 12, 31))
        elif kind == "wholeyear":
            _flush_pending(pending_months, year)
            dates.append(date(_need_year(year), 12, 31))
        elif kind == "before":
            bare_before = bare is not None
            saw_before = True
        elif kind == "ongoing":
            ongoing = True
        position = match.end()
    _flush_pending(pending_months, year)
    if bare is not None:
        dates.append(_year_alone(bare, bare_before))
    if ongoing:
        if dates:
            raise DeadlineError("deadline_ongoing_mixed")
        if saw_before:  # 长期坚持前: before what?
            raise DeadlineError("deadline_unparsed", rest=text)
        return Deadline(wording, (), True)
    if not dates:
        raise DeadlineError("deadline_unparsed", rest=text)
    return Deadline(wording, tuple(sorted(set(dates))), False)


def _year_alone(year: int, before: bool) -> date:
    """A year named with nothing of its own: its end; but 2023年前 may mean before 2023 as well."""
    if before:
        raise DeadlineError("deadline_year_before", year=year)
    return date(year, 12, 31)


def _month_item(groups: dict[str, Any], year: int | None, pending_months: list[int]) -> list[date]:
    """The dates of one ``N月...`` token; a bare month waits in ``pending_months`` for a final 底."""
    month = _need_year_month(year, int(groups["month"]))
    assert year is not None  # _need_year_month refuses a missing year
    if groups["day"] is not None:
        return [_real_date(year, month, int(groups["day"]))]
    if groups["xun"] is not None:
        xun_day = _XUN_DAYS.get(groups["xun"])
        return [date(year, month, xun_day) if xun_day else _month_end(year, month)]
    if groups["end"]:
        ends = [_month_end(year, pending) for pending in (*pending_months, month)]
        pending_months.clear()
        return ends
    if groups["monthbefore"]:  # 9月前: before September begins
        _flush_pending(pending_months, year)
        return [_month_end(year, month - 1) if month > 1 else date(year - 1, 12, 31)]
    pending_months.append(month)
    return []


def _recurring_dates(text: str, head: re.Match[str], plan: PlanCalendar | None) -> tuple[date, ...]:
    period = "季度" if head["period"] == "季" else head["period"]
    tail = _grammar().tails[period].fullmatch(text, head.end())
    if tail is None:
        accepted = _grammar().tails[period].match(text, head.end())  # always matches, maybe empty
        raise DeadlineError("deadline_unparsed_at", rest=text[accepted.end() if accepted else head.end() :])
    months, wanted = _recurring_rule(text, period, tail)
    if head["first"]:
        first, last = int(head["first"]), int(head["last"] or head["first"])
        if first > last:
            raise DeadlineError("deadline_bad_range", first=first, last=last)
        start, end = date(first, 1, 1), date(last, 12, 31)
    elif plan is None:
        raise DeadlineError("deadline_recurring_no_span")
    else:
        start, end = plan.start, plan.end
    dates = []
    for each_year in range(start.year, end.year + 1):
        for month in months:
            day = date(each_year, month, min(wanted, _month_end(each_year, month).day))
            if start <= day <= end:
                dates.append(day)
    if not dates:
        raise DeadlineError("deadline_recurring_empty", start=start.isoformat(), end=end.isoformat())
    return tuple(dates)


def _recurring_rule(text: str, period: str, tail: re.Match[str]) -> tuple[tuple[int, ...], int]:
    """The months of a year a recurring wording falls in, and its day (31: the month's end, clamped)."""
    if period in _RECURRING_MONTHS:
        return _RECURRING_MONTHS[period], 31
    groups = tail.groupdict()
    if groups.get("month") is not None:  # 每年6月底
        month = int(groups["month"])
        if not 1 <= month <= 12:
            raise DeadlineError("deadline_bad_month", month=month)
        months: tuple[int, ...] = (month,)
    else:
        months = (12,) if period == "年" else _EVERY_MONTH
    if groups.get("day") is not None:
        day = int(groups["day"])
        # The day must exist in the month in some year: February has 29 days at most.
        if not 1 <= day <= max(_LONGEST_MONTH[month] for month in months):
            raise DeadlineError("deadline_bad_date", value=text[: tail.end("day")] + "日")
        return months, day
    if groups.get("xun") is not None:
        return months, _XUN_DAYS.get(groups["xun"], 31)
    return months, 31


def _flush_pending(pending_months: list[int], year: int | None) -> None:
    if pending_months:
        raise DeadlineError("deadline_month_without_day", year=year, month=pending_months[0])


def _need_year(year: int | None) -> int:
    if year is None:
        raise DeadlineError("deadline_no_year")
    return year


def _need_year_month(year: int | None, month: int) -> int:
    _need_year(year)
    if not 1 <= month <= 12:
        raise DeadlineError("deadline_bad_month", year=year, month=month)
    return month


def _month_end(year: int, month: int) -> date:
    # The day before the next month's first (not calendar.monthrange: importing calendar costs start-up time).
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def _real_date(year: int | None, month: int, day: int) -> date:
    try:
        return date(_need_year(year), month, day)
    except ValueError:
        raise DeadlineError("deadline_bad_date", value=f"{year}年{month}月{day}日") from None


def _iso_date(value: str) -> date:
    year, month, day = (int(part) for part in value.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError("deadline_bad_date", value=value) from None


_RELATIVE_WORDS = {
    "today": "day",
    "今天": "day",
    "今日": "day",
    "eom": "month",
    "月底": "month",
    "月末": "month",
    "本月底": "month",
    "eoq": "quarter",
    "季末": "quarter",
    "季度末": "quarter",
    "本季度末": "quarter",
    "eoy": "year",
    "年底": "year",
    "年末": "year",
    "本年底": "year",
}


def parse_date_argument(value: str, as_of: date) -> date:
    """A date typed on the command line.

    ``2023-07-31``; a deadline wording with one milestone (``2023年7月底``, ``2023年9月30日前``,
    ``2023年三季度``), its year, when it names none, being ``as_of``'s (``9月中旬``, ``下半年``);
    or what staff say, relative to ``as_of``: ``月底``/``eom``, ``季末``/``eoq``,
    ``年底``/``eoy``, ``today``. Recurring and ongoing wordings are not dates.
    """
    text = normalise_wording(value).lower()
    period = _RELATIVE_WORDS.get(text)
    if period == "day":
        return as_of
    if period == "month":
        return _month_end(as_of.year, as_of.month)
    if period == "quarter":
        return _month_end(as_of.year, ((as_of.month - 1) // 3 + 1) * 3)
    if period == "year":
        return date(as_of.year, 12, 31)
    if _ISO_DATE.fullmatch(text):
        try:
            return _iso_date(text)
        except DeadlineError:
            raise DeadlineError("date_not_real", value=value) from None
    try:
        parsed = parse_deadline(text, PlanCalendar.whole_year(as_of.year))
    except DeadlineError:
        raise DeadlineError("date_format", value=value) from None
    if len(parsed.due) == 1 and not parsed.recurring:
        return parsed.due[0]
    raise DeadlineError("date_format", value=value)


def check_range(before: date, after: date | None) -> None:
    """Refuse (UsageError) a range of days a user typed that holds no day: ``--after`` past ``--before``."""
    if after is not None and after > before:
        raise usage_error("arg_range_empty", after=after.isoformat(), before=before.isoformat())
