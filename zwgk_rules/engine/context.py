"""What a check is run against: the as-of date, the window, what the log covers, the calendar."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zwgk_rules.calendar import DEFAULT_CALENDAR, WorkCalendar
from zwgk_rules.engine.evidence import EvidenceArchive
from zwgk_rules.timeutil import start_of_day


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckContext:
    """``as_of`` is the end of that local day: events on it count, and a deadline on it has
    passed. ``window`` and ``covers`` are inclusive day spans. ``archive`` makes and reads
    the marks evaluators keep of evidence."""

    as_of: date
    window: tuple[date, date]
    covers: tuple[date, date]
    calendar: WorkCalendar = DEFAULT_CALENDAR
    archive: EvidenceArchive = field(default_factory=EvidenceArchive)

    @property
    def as_of_end(self) -> datetime:
        return start_of_day(self.as_of + timedelta(days=1))

    def covered(self, d: date) -> bool:
        return self.covers[0] <= d <= self.covers[1]

    def in_window(self, d: date) -> bool:
        return self.window[0] <= d <= self.window[1]
