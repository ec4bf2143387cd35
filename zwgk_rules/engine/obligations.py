"""Obligation shapes: the periods, yearly dates and one-off deadlines a rule creates in a window.

Slots do not depend on the unit, so they are computed once per rule and shared by every
unit the rule binds; a unit with no events still gets every slot.
"""

from __future__ import annotations

import calendar as _cal
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from zwgk_rules.calendar import WorkCalendar
from zwgk_rules.periods import (
    Period,
    PeriodKind,
    cycles_in_window,
    period_containing,
    periods_between,
)
from zwgk_rules.rules.model import Due, DueUnit, Kind, Rule


@dataclass(frozen=True, slots=True)
class Slot:
    """One obligation shape: its key (period id or year), its period if any, when it is due,
    and the earliest day an event can count for it."""

    key: str
    period: Period | None
    due: date
    lower: date | None = None


def _last_day_of_month(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, _cal.monthrange(year, month)[1])


def due_after_period(due: Due, period: Period, cal: WorkCalendar) -> date:
    """When the report for ``period`` is due under ``due``.

    - ``days_after_period: N``: N calendar days after the period's last day (0: its last day);
    - ``working_days_after_period: N``: the N-th working day after the last day, 调休 counted;
    - ``day_of_next_month: D``: day D of the month after the period;
    - ``months_after_period: N``: the last day of the N-th month after the period
      (1 = "次月底前").
    """
    last = period.last_day
    if due.anchor == "period_end":
        if due.unit is DueUnit.WORKING_DAYS:
            return cal.add_working_days(last, due.amount)
        return last + timedelta(days=due.amount)
    if due.anchor == "next_month_day":
        nxt = period.end
        return date(nxt.year, nxt.month, due.amount)
    if due.anchor == "months_after":
        return _last_day_of_month(last.year, last.month + due.amount)
    raise ValueError(f"due anchor {due.anchor!r} is not for periods")


def _window_periods(kind: PeriodKind, rule: Rule, window: tuple[date, date]) -> list[Period]:
    start, end = window[0], window[1] + timedelta(days=1)
    if kind is PeriodKind.CYCLE:
        out: list[Period] = []
        for year in range(start.year, end.year + 1):
            for w in rule.windows:
                ws = date(year, *w.start)
                we = date(year, *w.end) + timedelta(days=1)
                if we <= ws:
                    continue
                out.extend(p for p in cycles_in_window(ws, we, rule.cycle_days) if p.start >= start and p.end <= end)
        return sorted(out)
    return [p for p in periods_between(kind, start, end) if p.start >= start and p.end <= end]


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    """The periods of one cadence in the window, with a fast lookup by day for cycles."""

    kind: PeriodKind
    periods: tuple[Period, ...]
    slots: tuple[Slot, ...]
    by_id: dict[str, Slot]

    def containing(self, d: date) -> Period | None:
        if self.kind is PeriodKind.CYCLE:
            i = bisect_right([p.start for p in self.periods], d) - 1
            if i >= 0 and self.periods[i].contains(d):
                return self.periods[i]
            return None
        return period_containing(self.kind, d)

    def previous(self, d: date) -> Period | None:
        """The period before the one ``d`` falls in (for cycles: the last one ended by ``d``)."""
        if self.kind is PeriodKind.CYCLE:
            i = bisect_right([p.end for p in self.periods], d) - 1
            return self.periods[i] if i >= 0 else None
        cur = period_containing(self.kind, d)
        return period_containing(self.kind, cur.start - timedelta(days=1))


def period_plans(rule: Rule, window: tuple[date, date], cal: WorkCalendar) -> tuple[PeriodPlan, ...]:
    """One plan per cadence the rule names (two for 按季度或年), coarsest last."""
    plans: list[PeriodPlan] = []
    order = [PeriodKind.CYCLE, PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF_YEAR, PeriodKind.YEAR]
    for kind in sorted(rule.every, key=order.index):
        periods = tuple(_window_periods(kind, rule, window))
        if rule.kind is Kind.COUNT:
            slots = tuple(Slot(p.id, p, p.last_day) for p in periods)
        else:
            assert rule.due is not None
            slots = tuple(Slot(p.id, p, due_after_period(rule.due, p, cal)) for p in periods)
        plans.append(PeriodPlan(kind, periods, slots, {s.key: s for s in slots}))
    return tuple(plans)


def deadline_slots(rule: Rule, window: tuple[date, date]) -> tuple[Slot, ...]:
    """Slots of a deadline rule: one per year for ``each_year_by``, else the one ``by`` date.

    A one-off deadline is in the window while it is live there: from its start (effective
    from, else the window start) to its due date. Events count from that start.
    """
    if rule.each_year_by is not None:
        out = []
        for year in range(window[0].year, window[1].year + 1):
            due = date(year, *rule.each_year_by)
            if window[0] <= due <= window[1]:
                out.append(Slot(str(year), None, due, date(year, 1, 1)))
        return tuple(out)
    assert rule.by is not None
    lower = rule.effective_from or window[0]
    if lower <= window[1] and rule.by >= window[0]:
        return (Slot(f"by-{rule.by.isoformat()}", None, rule.by, lower),)
    return ()
