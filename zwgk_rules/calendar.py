"""Working days on the official Chinese schedule, including 调休 working weekends.

The schedule comes from the ``chinesecalendar`` package, which transcribes the State
Council's yearly holiday notices (国务院办公厅关于部分节假日安排的通知). A user can extend
or override it with a holiday file for a year the package does not know yet, see
:func:`load_holiday_file`. A year nobody knows is an error, never a guess: a wrong working
day silently moves every deadline counted across it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from zwgk_rules.errors import CalendarRangeError, InputErrors, Location, UserInputError


@dataclass(frozen=True, slots=True, kw_only=True)
class YearSchedule:
    """One year's official schedule: public holidays and adjusted (调休) working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]


def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


PACKAGE_YEARS = _package_years()


class WorkCalendar:
    """The working-day calendar: the package's years, plus any years a holiday file supplies.

    A year in ``overrides`` replaces the package's data for that whole year. Answers are
    memoised per day: a check asks about the same few hundred days millions of times.
    """

    __slots__ = ("overrides", "_cache", "_between")

    def __init__(self, overrides: Mapping[int, YearSchedule] | None = None) -> None:
        self.overrides: Mapping[int, YearSchedule] = dict(overrides or {})
        self._cache: dict[date, bool] = {}
        self._between: dict[tuple[date, date], int] = {}

    def known_range(self) -> str:
        lo, hi = PACKAGE_YEARS
        extra = sorted(y for y in self.overrides if not lo <= y <= hi)
        text = f"{lo}-{hi}"
        if extra:
            text += " and " + ", ".join(str(y) for y in extra)
        return text

    def knows(self, year: int) -> bool:
        lo, hi = PACKAGE_YEARS
        return year in self.overrides or lo <= year <= hi

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day: a weekday not a holiday, or a 调休 working weekend."""
        known = self._cache.get(d)
        if known is None:
            known = self._cache[d] = self._lookup(d)
        return known

    def _lookup(self, d: date) -> bool:
        sched = self.overrides.get(d.year)
        if sched is not None:
            if d in sched.workdays:
                return True
            if d in sched.holidays:
                return False
            return d.weekday() < 5
        if not self.knows(d.year):
            raise CalendarRangeError(
                f"the working-day calendar does not know {d.year}: known years are {self.known_range()}",
                hint="supply the year's official holiday notice with --holidays FILE",
            )
        return bool(chinese_calendar.is_workday(d))

    def add_working_days(self, start: date, n: int) -> date:
        """The day on which the n-th working day after ``start`` falls.

        The start day itself is not counted (《政府信息公开条例》 and the plans count "N个
        工作日内" from the day after the act), so from Friday 2017-01-20, 7 working days end
        on Saturday 2017-02-04, a 调休 working day after 春节.
        """
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        d = start
        left = n
        while left:
            d += timedelta(days=1)
            if self.is_working_day(d):
                left -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in ``(start, end]``: how late ``end`` is after due ``start``."""
        if end <= start:
            return 0
        known = self._between.get((start, end))
        if known is not None:
            return known
        count = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        self._between[(start, end)] = count
        return count


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day on the official schedule (package data only)."""
    return DEFAULT_CALENDAR.is_working_day(d)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (n >= 1; the start day is not counted)."""
    return DEFAULT_CALENDAR.add_working_days(start, n)


def _dates(value: object, where: str, path: str, year: int) -> frozenset[date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise UserInputError("must be a list of dates", Location(where, field=path))
    out: set[date] = set()
    for i, item in enumerate(value):
        if isinstance(item, str):
            try:
                item = date.fromisoformat(item)
            except ValueError:
                raise UserInputError(f"{item!r} is not a date (YYYY-MM-DD)", Location(where, field=f"{path}[{i}]")) from None
        if not isinstance(item, date):
            raise UserInputError(f"{item!r} is not a date (YYYY-MM-DD)", Location(where, field=f"{path}[{i}]"))
        if item.year != year:
            raise UserInputError(f"{item.isoformat()} is not in year {year}", Location(where, field=f"{path}[{i}]"))
        out.add(item)
    return frozenset(out)


def schedules_from_data(data: object, where: str) -> list[YearSchedule]:
    """Turn a parsed holiday file into schedules (the one place raw data becomes typed)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("years"), list):
        raise UserInputError("a holiday file is a mapping with a list 'years'", Location(where, field="$"))
    out: list[YearSchedule] = []
    for i, entry in enumerate(data["years"]):
        path = f"$.years[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("year"), int):
            raise UserInputError("each entry needs an integer 'year'", Location(where, field=path))
        unknown = set(entry) - {"year", "holidays", "workdays", "source"}
        if unknown:
            raise UserInputError(f"unknown key {sorted(unknown)[0]!r}", Location(where, field=path))
        year = int(entry["year"])
        holidays = _dates(entry.get("holidays"), where, f"{path}.holidays", year)
        workdays = _dates(entry.get("workdays"), where, f"{path}.workdays", year)
        both = holidays & workdays
        if both:
            raise UserInputError(f"{min(both).isoformat()} is both a holiday and a working day", Location(where, field=path))
        out.append(YearSchedule(year=year, holidays=holidays, workdays=workdays))
    return out


def load_holiday_file(path: str | Path, base: WorkCalendar = DEFAULT_CALENDAR) -> WorkCalendar:
    """Read a holiday file (YAML, schema ``schemas/holidays.schema.json``) into a calendar.

    Example, transcribing a future State Council notice::

        years:
          - year: 2027
            source: 国办发明电〔2026〕X号
            holidays: [2027-01-01, 2027-02-06, ...]
            workdays: [2027-02-14, ...]   # 调休 working weekends
    """
    from zwgk_rules.schema import schema_errors
    from zwgk_rules.yamlio import load_located

    doc = load_located(Path(path))
    errors = list(schema_errors(doc, "holidays.schema.json"))
    if errors:
        raise InputErrors(errors)
    merged = dict(base.overrides)
    for sched in schedules_from_data(doc.data, str(path)):
        merged[sched.year] = sched
    return WorkCalendar(merged)

