"""The deadline grammar: wording as staff write it, parsed into due dates.

Accepted (after NFKC, so full-width digits are fine; spaces are ignored):

- ``2023年6月底`` / ``2023年6月末``: the month's last day
- ``2023年6月30日`` (optionally followed by 前/以前/之前)
- ``2023年底`` / ``2023年末``, ``2023年上半年`` / ``2023年下半年``
- ``2023年一季度`` / ``2023年第二季度末`` / ``2023年Q3``: the quarter's last day
- several in one year: ``2023年6月、12月底`` and the source's ``2023年 6月12月底``
  (a final 底 covers every month listed), ``2023年6月底、2024年3月底``
- ISO dates: ``2023-06-30``
- ongoing, no date: ``持续推进``, ``长期坚持``, ``长期``, ``持续``, ``常态化``

Anything else is an error, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from .issues import usage_error

ONGOING_WORDS = frozenset({"持续推进", "长期坚持", "长期", "持续", "常态化", "常态化推进"})

_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_TOKEN = re.compile(
    r"""
    (?P<iso>\d{4}-\d{1,2}-\d{1,2})
  | (?P<year>\d{4})年
  | (?P<half>[上下])半年(?:末|底)?
  | (?:第)?(?P<quarter>[一二三四1-4])季度(?:末|底)?
  | [Qq](?P<q>[1-4])
  | (?P<month>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?(?P<end>底|末)?
  | (?P<yearend>底|末)
  | (?P<sep>[、,,;;和及与])
  | (?P<before>以前|之前|前)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Deadline:
    """A parsed deadline: its milestones in date order, or ongoing."""

    wording: str
    due: tuple[date, ...]
    ongoing: bool


class DeadlineError(ValueError):
    """The wording does not follow the grammar; ``code`` and ``args`` say why."""

    def __init__(self, code: str, **args: object):
        super().__init__(code)
        self.code = code
        self.args_ = args


def normalise_wording(wording: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", wording))


def parse_deadline(wording: str) -> Deadline:
    """Parse one deadline cell.

    >>> parse_deadline("2023年 6月12月底").due
    (datetime.date(2023, 6, 30), datetime.date(2023, 12, 31))
    """
    text = normalise_wording(wording)
    if not text:
        raise DeadlineError("deadline_empty")
    if text in ONGOING_WORDS:
        return Deadline(wording, (), True)

    dates: list[date] = []
    year: int | None = None
    pending_months: list[int] = []  # months written without 底/日, waiting for a final 底
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            raise DeadlineError("deadline_unparsed_at" if position else "deadline_unparsed", rest=text[position:])
        position = match.end()
        kind = match.lastgroup if match.lastgroup != "day" else "month"
        groups = match.groupdict()
        if groups["iso"]:
            dates.append(_iso_date(groups["iso"]))
            year = None
        elif groups["year"]:
            _flush_pending(pending_months, year)
            year = int(groups["year"])
        elif groups["month"] is not None:
            year, month = _need_year_month(year, int(groups["month"]))
            if groups["day"] is not None:
                dates.append(_real_date(year, month, int(groups["day"])))
            elif groups["end"]:
                for pending in pending_months:
                    dates.append(_month_end(year, pending))
                pending_months.clear()
                dates.append(_month_end(year, month))
            else:
                pending_months.append(month)
        elif groups["half"]:
            dates.append(_month_end(_need_year(year), 6 if groups["half"] == "上" else 12))
        elif groups["quarter"] or groups["q"]:
            quarter = _QUARTER_NUMBERS[groups["quarter"] or groups["q"]]
            dates.append(_month_end(_need_year(year), quarter * 3))
        elif groups["yearend"]:
            if pending_months:
                raise DeadlineError("deadline_unparsed", rest=text[match.start() :])
            dates.append(date(_need_year(year), 12, 31))
        elif kind in ("sep", "before"):
            continue
    _flush_pending(pending_months, year)
    if not dates:
        raise DeadlineError("deadline_unparsed", rest=text)
    return Deadline(wording, tuple(sorted(set(dates))), False)


def _flush_pending(pending_months: list[int], year: int | None) -> None:
    if pending_months:
        raise DeadlineError("deadline_month_without_day", year=year, month=pending_months[0])


def _need_year(year: int | None) -> int:
    if year is None:
        raise DeadlineError("deadline_no_year")
    return year


def _need_year_month(year: int | None, month: int) -> tuple[int, int]:
    known = _need_year(year)
    if not 1 <= month <= 12:
        raise DeadlineError("deadline_bad_month", year=year, month=month)
    return known, month


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

    ``2023-07-31``; a deadline wording with one milestone (``2023年7月底``);
    or what staff say, relative to ``as_of``: ``月底``/``eom``, ``季末``/``eoq``,
    ``年底``/``eoy``, ``today``.
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
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return _iso_date(text)
        except DeadlineError:
            raise DeadlineError("date_not_real", value=value) from None
    if "年" in text:
        try:
            parsed = parse_deadline(text)
        except DeadlineError:
            raise DeadlineError("date_format", value=value) from None
        if len(parsed.due) == 1:
            return parsed.due[0]
    raise DeadlineError("date_format", value=value)


def check_range(before: date, after: date | None) -> None:
    """Refuse (UsageError) a range of days a user typed that holds no day: ``--after`` past ``--before``."""
    if after is not None and after > before:
        raise usage_error("arg_range_empty", after=after.isoformat(), before=before.isoformat())
