"""Evidence marks: the little the stream keeps of an event that may fulfil an obligation.

A check of a million events has hundreds of thousands of obligations with evidence; keeping
each one's title and URL costs more memory than everything else together. So the stream
keeps a *mark*, ``(at, event id, handle)``, and the full :class:`Evidence` is made again when
a finding is built: the handle is where the event's row starts in its log (the log reads it
again, see :class:`zwgk_rules.events.model.Rereadable`), or, for events that no log can read
again (an XLSX sheet, a list a library user made), the Event itself.
"""

from __future__ import annotations

from datetime import datetime

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.model import Event, Rereadable
from zwgk_rules.findings import Evidence

#: (instant, event id, handle): ordered like Evidence as far as instant and id go.
Mark = tuple[datetime, str, int | Event]

# A handle packs the log's number above the row's byte offset.
_OFFSET_BITS = 48
_OFFSET_MASK = (1 << _OFFSET_BITS) - 1


def evidence_of(event: Event) -> Evidence:
    return Evidence(event.at, event.id, event.title, event.url, event.date_only)


class EvidenceArchive:
    """Makes marks of events during the stream and turns them back into Evidence after it."""

    __slots__ = ("_refetch", "_numbers", "_names")

    def __init__(self, events: object = None) -> None:
        """``events``: the check's event source; if it can read rows again, marks hold offsets."""
        self._refetch = events.refetch if isinstance(events, Rereadable) else None
        self._numbers: dict[str, int] = {}
        self._names: list[str] = []

    def mark(self, event: Event) -> Mark:
        offset = event.offset
        if offset < 0 or self._refetch is None:
            return (event.at, event.id, event)
        number = self._numbers.get(event.source)
        if number is None:
            number = self._numbers[event.source] = len(self._names)
            self._names.append(event.source)
        return (event.at, event.id, (number << _OFFSET_BITS) | offset)

    def event(self, mark: Mark) -> Event:
        """The event a mark was made of, read again from its log if need be.

        Raises:
            UserInputError: the log no longer has that event where it was (it changed
                while the check ran).
        """
        handle = mark[2]
        if type(handle) is not int:
            assert type(handle) is Event
            return handle
        assert self._refetch is not None
        source = self._names[handle >> _OFFSET_BITS]
        offset = handle & _OFFSET_MASK
        event = self._refetch(source, offset)
        if type(event) is not Event or event.id != mark[1] or event.at != mark[0]:
            raise UserInputError(
                f"the event log changed while it was checked: event {mark[1]!r} is no longer "
                f"at byte {offset}",
                Location(source),
            )
        return event

    def evidence(self, mark: Mark) -> Evidence:
        return evidence_of(self.event(mark))

    def earlier(self, a: Mark, b: Mark) -> bool:
        """Whether ``a`` ranks strictly before ``b`` as Evidence (see :class:`Evidence`).

        Instant and id nearly always decide; only an exact tie reads the two events again.
        """
        if a[0] != b[0]:
            return a[0] < b[0]
        if a[1] != b[1]:
            return a[1] < b[1]
        return self.evidence(a) < self.evidence(b)
