"""The working-day calendar: the State Council schedule, 调休 weekends, unknown years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_rules.calendar import (
    DEFAULT_CALENDAR,
    add_working_days,
    is_working_day,
    load_holiday_file,
)
from zwgk_rules.errors import CalendarRangeError, UserInputError


def test_a_tiaoxiu_weekend_is_a_working_day():
    # 2017 春节: Saturday 4 February was worked in lieu (国办发明电〔2016〕14号).
    assert is_working_day(date(2017, 2, 4))


def test_a_spring_festival_weekday_is_not_a_working_day():
    assert not is_working_day(date(2017, 1, 30))


def test_an_ordinary_weekend_is_not_a_working_day():
    assert not is_working_day(date(2017, 3, 4))


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # Worked examples from the issue, across 春节 2017 and 国庆 2016.
        (date(2017, 1, 20), 7, date(2017, 2, 4)),
        (date(2017, 1, 20), 20, date(2017, 2, 22)),
        (date(2016, 9, 30), 20, date(2016, 11, 2)),
        # The start day is never counted, even when it is a working day.
        (date(2017, 3, 6), 1, date(2017, 3, 7)),
        # From a Friday, one working day is the Monday.
        (date(2017, 3, 3), 1, date(2017, 3, 6)),
    ],
)
def test_add_working_days_counts_from_the_day_after(start, n, end):
    assert add_working_days(start, n) == end


def test_add_working_days_refuses_zero():
    with pytest.raises(ValueError):
        add_working_days(date(2017, 1, 3), 0)


def test_a_year_the_calendar_does_not_know_is_an_error_naming_it():
    with pytest.raises(CalendarRangeError) as info:
        is_working_day(date(2031, 5, 6))
    text = str(info.value)
    assert "2031" in text
    assert "2004-2026" in text


def test_counting_into_an_unknown_year_is_an_error_not_a_guess():
    with pytest.raises(CalendarRangeError):
        add_working_days(date(2026, 12, 20), 20)


def test_a_holiday_file_adds_a_year(tmp_path):
    f = tmp_path / "h.yaml"
    f.write_text(
        "years:\n"
        "  - year: 2027\n"
        "    source: test notice\n"
        "    holidays: [2027-01-01, 2027-02-08]\n"
        "    workdays: [2027-02-13]\n",
        encoding="utf-8",
    )
    cal = load_holiday_file(f)
    assert not cal.is_working_day(date(2027, 1, 1))  # a Friday holiday
    assert cal.is_working_day(date(2027, 2, 13))  # a Saturday worked
    assert cal.is_working_day(date(2027, 2, 9))  # an ordinary Tuesday
    assert not cal.is_working_day(date(2027, 2, 14))  # an ordinary Sunday
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert "2027" in cal.known_range()


def test_a_holiday_file_overrides_a_known_year(tmp_path):
    f = tmp_path / "h.yaml"
    f.write_text("years:\n  - year: 2017\n    holidays: [2017-03-06]\n", encoding="utf-8")
    cal = load_holiday_file(f)
    assert not cal.is_working_day(date(2017, 3, 6))
    # The whole year is replaced: 2017-02-04 was a 调休 day only in the package's data.
    assert not cal.is_working_day(date(2017, 2, 4))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("years:\n  - year: 2027\n    holidays: [2027-02-30]\n", "h.yaml:3:16: years[0].holidays[0]: '2027-02-30' is not a valid date (YYYY-MM-DD)"),
        ("years:\n  - year: 2027\n    holiday: [2027-02-03]\n", "h.yaml:3:5: years[0].holiday: unknown field 'holiday'; did you mean 'holidays'?"),
        ("years:\n  - year: 2027\n    holidays: [2028-01-01]\n", "years[0].holidays[0]: 2028-01-01 is not in year 2027"),
        ("years:\n  - year: 2027\n    holidays: [2027-01-01]\n    workdays: [2027-01-01]\n", "2027-01-01 is both a holiday and a working day"),
    ],
)
def test_a_bad_holiday_file_names_where_and_what(tmp_path, text, message):
    f = tmp_path / "h.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_holiday_file(f)
    assert message in str(info.value)


days = st.dates(min_value=date(2005, 1, 1), max_value=date(2025, 12, 1))


@given(days, st.integers(min_value=1, max_value=40))
def test_working_day_deadlines_land_on_working_days(start, n):
    assert DEFAULT_CALENDAR.is_working_day(add_working_days(start, n))


@given(days, st.integers(min_value=1, max_value=40))
def test_working_day_deadlines_grow_with_n(start, n):
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@given(days, days)
def test_add_working_days_is_monotonic_in_the_start(a, b):
    if a <= b:
        assert add_working_days(a, 5) <= add_working_days(b, 5)


@given(days, st.integers(min_value=1, max_value=40))
def test_exactly_n_working_days_lie_after_the_start(start, n):
    end = add_working_days(start, n)
    assert DEFAULT_CALENDAR.working_days_between(start, end) == n
    assert end > start + timedelta(days=n - 1)
