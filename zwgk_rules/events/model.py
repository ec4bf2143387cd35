"""Event: one thing a unit did or that happened (a publication, a press conference, an incident, ...)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol, runtime_checkable

from zwgk_rules.periods import PeriodLabel


class Event(NamedTuple):
    """A typed row of an event log. Everything past the reader is typed: ``at`` is an aware
    Asia/Shanghai datetime; ``date_only`` says the log gave a day, not a time.

    ``unit`` is the unit reference exactly as written (an id or an alias); the engine resolves it.
    ``period`` is the stated period, or the one read from the title, or None when neither says.
    ``row`` is the 1-based line or row number people see; ``offset`` is the byte offset of
    the row in its file when the reader can read it again from there (JSON Lines and CSV),
    else -1. The engine keeps only the instant, the id and that offset of an event that
    fulfils an obligation, and reads the title and URL again when a report shows them.

    A NamedTuple rather than a frozen dataclass: a log has millions of rows, and a frozen
    dataclass spends ten times as long in ``__init__`` (pre-commit's ``Hook`` is one too).
    """

    id: str
    unit: str
    type: str
    at: datetime
    date_only: bool
    category: str = ""
    title: str = ""
    period: PeriodLabel | None = None
    channels: tuple[str, ...] = ()
    url: str = ""
    content: tuple[str, ...] = ()
    value: float | None = None
    related: str = ""
    source: str = ""
    row: int = 0
    offset: int = -1

    @property
    def day(self) -> date:
        return self.at.date()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """A row the reader could not turn into an Event, with where it was and why."""

    source: str
    row: int
    reason: str
    event_id: str = ""

    def __str__(self) -> str:
        return f"{self.source}:{self.row}: {self.reason}"


@runtime_checkable
class Rereadable(Protocol):
    """An event source that can read one of its events again, by source and byte offset
    (:class:`zwgk_rules.events.log.EventLogs` is one). Given one, the engine keeps only a
    small mark of each piece of evidence instead of its title and URL."""

    def refetch(self, source: str, offset: int) -> Event | Rejection: ...
