"""The reporting schedule: a plan's 报送 wording as periods with due days, on registers of several shapes."""

from datetime import date

import pytest

from deviation_cli.domain.reporting import ReportingPeriod, form_schedule, reporting_schedule
from deviation_cli.store.load import load_register, validate_folder
from support.editing import edited_register
from support.paths import DISTRICT, HANZHONG


def test_monthly_by_the_28th_runs_over_the_plan_year():
    """东城区: written 2023-03-01, year 2023, 每月28日前: the first period starts on the day it was written."""
    schedule = reporting_schedule(load_register(DISTRICT))
    assert schedule is not None and schedule.declared
    assert [period.key for period in schedule.periods] == [f"2023-{month:02d}-28" for month in range(3, 13)]
    assert schedule.periods[0] == ReportingPeriod(date(2023, 3, 1), date(2023, 3, 28))
    assert schedule.periods[1] == ReportingPeriod(date(2023, 3, 29), date(2023, 4, 28))


@pytest.mark.parametrize(
    ("as_of", "owed", "open_"),
    [
        (date(2023, 2, 1), None, None),  # before the plan
        (date(2023, 3, 1), None, "2023-03-28"),
        (date(2023, 7, 28), "2023-07-28", "2023-07-28"),  # the due day: owed today, and still open
        (date(2023, 7, 29), "2023-07-28", "2023-08-28"),
        (date(2023, 8, 1), "2023-07-28", "2023-08-28"),
        (date(2023, 12, 29), "2023-12-28", None),  # after the last due day
    ],
)
def test_what_is_owed_and_what_is_open_on_a_day(as_of, owed, open_):
    schedule = reporting_schedule(load_register(DISTRICT))
    assert schedule is not None
    assert (schedule.owed(as_of).key if schedule.owed(as_of) else None) == owed
    assert (schedule.open(as_of).key if schedule.open(as_of) else None) == open_


def test_a_quarterly_schedule_ends_each_quarter(tmp_path):
    folder = edited_register(
        tmp_path / "q", {"tasks.yaml": [("  admin_level: 县", "  admin_level: 县\n  reporting: 每季度末")]}
    )
    schedule = reporting_schedule(load_register(folder))
    assert schedule is not None
    written = load_register(folder).document.written
    assert [period.key for period in schedule.periods] == [
        key for key in ("2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31") if key >= written.isoformat()
    ]
    assert schedule.period("2024-06-30") == ReportingPeriod(date(2024, 4, 1), date(2024, 6, 30))
    assert schedule.period("2024-06-28") is None


def test_a_plan_without_a_schedule_owes_nothing_but_forms_still_have_months():
    register = load_register(HANZHONG)  # the source states no reporting time
    assert reporting_schedule(register) is None
    months = form_schedule(register)
    assert not months.declared
    assert months.periods[0] == ReportingPeriod(date(2023, 6, 18), date(2023, 6, 30))
    assert [period.key for period in months.periods][-1] == "2023-12-31"
    assert months.open(date(2023, 7, 15)) == ReportingPeriod(date(2023, 7, 1), date(2023, 7, 31))


@pytest.mark.parametrize("wording", ["持续推进", "每两周", "按要求报送"])
def test_a_reporting_time_that_is_not_a_schedule_is_an_error_at_its_line(tmp_path, wording):
    folder = edited_register(
        tmp_path / "bad", {"tasks.yaml": [("  admin_level: 县", f"  admin_level: 县\n  reporting: {wording}")]}
    )
    errors = validate_folder(folder).errors
    assert [(issue.code, issue.line, issue.args["wording"]) for issue in errors] == [
        ("reporting_unparsed", 56, wording)
    ]
    assert errors[0].message("zh").startswith(f"无法理解报送时间“{wording}”;可写 每月28日前")
