"""Instants in Asia/Shanghai: parsing user-supplied times and dates into aware datetimes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

# China has kept UTC+8 with no daylight saving since 1991, and the working-day calendar
# starts in 2004, so a fixed offset is exact for every date we can check and needs no
# tz database on the user's machine.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def to_shanghai(value: datetime) -> datetime:
    """Return ``value`` as an aware Shanghai datetime; a naive value is Shanghai local time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def start_of_day(d: date) -> datetime:
    """The first instant of local day ``d``."""
    return datetime.combine(d, time(0, 0), SHANGHAI)


def parse_instant(text: str) -> tuple[datetime, bool]:
    """Parse an ISO date or date-time as written in an event log.

    Returns the aware Shanghai instant and whether the text was a date alone (then the
    instant is the start of that local day and deadlines compare dates, not instants).

    Raises:
        ValueError: the text is neither an ISO date nor an ISO date-time.
    """
    s = text.strip()
    if not s:
        raise ValueError("empty date")
    if len(s) == 10:
        d = date.fromisoformat(s)
        return start_of_day(d), True
    # Accept "2017-03-05 10:00" as well as the "T" form, and a trailing "Z".
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    return to_shanghai(datetime.fromisoformat(s)), False
