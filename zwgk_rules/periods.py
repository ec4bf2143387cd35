"""Reporting periods: week, month, quarter, half-year, year and N-day cycles, with canonical ids."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple


class PeriodKind(str, enum.Enum):
    """The cadences the work plans use (按周、按月、按季度、半年、按年、每五日)."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half-year"
    YEAR = "year"
    CYCLE = "cycle"


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A half-open span of local days ``[start, end)`` with its canonical id.

    Ids: ``2017-W09`` (ISO week), ``2017-03``, ``2017-Q1``, ``2017-H1``, ``2017``, and for
    cycles inside seasonal windows ``2017-06-01..2017-06-05``.
    """

    start: date
    end: date
    kind: PeriodKind
    id: str

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, d: date) -> bool:
        return self.start <= d < self.end


def _month_start(year: int, month: int) -> date:
    # Months past December roll into the next year so callers can say "month + 3".
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def month_period(year: int, month: int) -> Period:
    return Period(_month_start(year, month), _month_start(year, month + 1), PeriodKind.MONTH, f"{year}-{month:02d}")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(_month_start(year, first), _month_start(year, first + 3), PeriodKind.QUARTER, f"{year}-Q{quarter}")


def half_year_period(year: int, half: int) -> Period:
    first = 6 * (half - 1) + 1
    return Period(_month_start(year, first), _month_start(year, first + 6), PeriodKind.HALF_YEAR, f"{year}-H{half}")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), PeriodKind.YEAR, f"{year}")


def week_period(iso_year: int, week: int) -> Period:
    start = date.fromisocalendar(iso_year, week, 1)
    return Period(start, start + timedelta(days=7), PeriodKind.WEEK, f"{iso_year}-W{week:02d}")


def cycle_period(start: date, days: int) -> Period:
    end = start + timedelta(days=days)
    return Period(start, end, PeriodKind.CYCLE, f"{start.isoformat()}..{(end - timedelta(days=1)).isoformat()}")


@lru_cache(maxsize=8192)
def period_containing(kind: PeriodKind, d: date) -> Period:
    """The period of ``kind`` that contains day ``d`` (not for cycles, which need windows).

    Memoised: the engine asks this for every event, about a few hundred distinct days.
    """
    if kind is PeriodKind.MONTH:
        return month_period(d.year, d.month)
    if kind is PeriodKind.QUARTER:
        return quarter_period(d.year, (d.month - 1) // 3 + 1)
    if kind is PeriodKind.HALF_YEAR:
        return half_year_period(d.year, 1 if d.month <= 6 else 2)
    if kind is PeriodKind.YEAR:
        return year_period(d.year)
    if kind is PeriodKind.WEEK:
        iso = d.isocalendar()
        return week_period(iso[0], iso[1])
    raise ValueError("cycle periods depend on their windows; use cycles_in_window")


def periods_between(kind: PeriodKind, start: date, end: date) -> Iterator[Period]:
    """Every period of ``kind`` that overlaps ``[start, end)``, in order, tiling without gaps."""
    if start >= end:
        return
    p = period_containing(kind, start)
    while p.start < end:
        yield p
        p = period_containing(kind, p.end)


def cycles_in_window(window_start: date, window_end: date, days: int) -> Iterator[Period]:
    """N-day cycles from the first day of a seasonal window ``[window_start, window_end)``.

    The last cycle is cut at the window's end: 周村 "夏秋粮收购旺季每五日发布" asks for a
    release per five days of the season, not beyond it.
    """
    d = window_start
    while d < window_end:
        p = cycle_period(d, days)
        if p.end > window_end:
            p = Period(p.start, window_end, PeriodKind.CYCLE, f"{p.start.isoformat()}..{(window_end - timedelta(days=1)).isoformat()}")
        yield p
        d = p.end


class PeriodLabel(NamedTuple):
    """The span of time a release says it reports on, as stated or read from its title.

    A label that starts on 1 January and spans more than one month is *cumulative*, a
    year-to-date fiscal or statistical release (1-N月, 一季度, 上半年, 前三季度, 全年): such a
    release closes the period that ends with it, see :func:`closes`.

    A NamedTuple, not a dataclass: the engine looks up how each label routes to a rule's
    periods in a dict, once per event, and a tuple hashes in C.
    """

    start: date
    end: date

    @property
    def id(self) -> str:
        return label_id(self)

    @property
    def cumulative(self) -> bool:
        return self.start.month == 1 and self.start.day == 1 and self.end > _month_start(self.start.year, 2)


def label_id(label: PeriodLabel) -> str:
    """Canonical id of a label: the period id when it is one period, else ``2017-01..2017-03``."""
    s, e = label.start, label.end
    last = e - timedelta(days=1)
    if s.day == 1 and e.day == 1:
        months = (e.year - s.year) * 12 + e.month - s.month
        if months == 12 and s.month == 1:
            return f"{s.year}"
        if months == 6 and s.month in (1, 7):
            return f"{s.year}-H{1 if s.month == 1 else 2}"
        if months == 3 and s.month in (1, 4, 7, 10):
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if months == 1:
            return f"{s.year}-{s.month:02d}"
        if months > 1:
            return f"{s.year}-{s.month:02d}..{last.year}-{last.month:02d}"
    if (e - s).days == 7 and s.isoweekday() == 1:
        iso = s.isocalendar()
        return f"{iso[0]}-W{iso[1]:02d}"
    return f"{s.isoformat()}..{last.isoformat()}"


def matches_exactly(label: PeriodLabel, period: Period) -> bool:
    return label.start == period.start and label.end == period.end


def closes(label: PeriodLabel, period: Period) -> bool:
    """Whether a cumulative release reports for ``period`` (the issue's rule for fiscal data).

    A year-to-date release 1-N月 (一季度, 上半年, 前三季度, 全年 alike) closes the period
    that ends with its last month; 1-2月 closes January as well as February, because
    January and February are released together around 春节.
    """
    if matches_exactly(label, period):
        return True
    if not label.cumulative or label.start != date(label.start.year, 1, 1):
        return False
    if period.end == label.end:
        return True
    jan_feb_end = date(label.start.year, 3, 1)
    return (
        label.end == jan_feb_end
        and period.kind is PeriodKind.MONTH
        and period.start == label.start
    )
