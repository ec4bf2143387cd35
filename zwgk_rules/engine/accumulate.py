"""Accumulators: what the stream has shown so far about one obligation, independent of order."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwgk_rules.events.model import Event
from zwgk_rules.findings import Evidence
from zwgk_rules.rules.model import Requirements


def evidence_of(event: Event) -> Evidence:
    return Evidence(event_id=event.id, at=event.at, date_only=event.date_only, title=event.title, url=event.url)


def value_ok(req: Requirements, value: float | None) -> bool:
    if not req.bounded:
        return True
    if value is None:
        return False
    if req.value_min is not None and value < req.value_min:
        return False
    return not (req.value_max is not None and value > req.value_max)


def items_of(event: Event) -> set[str]:
    return {f"content:{c}" for c in event.content} | {f"channel:{c}" for c in event.channels}


@dataclass(slots=True)
class Acc:
    """Earliest evidence, earliest evidence per required item, the N earliest events (for
    counts) and the earliest candidate that failed a value threshold.

    Every field keeps minima by ``Evidence.sort_key``, so the result does not depend on the
    order events arrive in: the earliest matching event satisfies a period, and a
    republication never resets it.
    """

    first: Evidence | None = None
    items: dict[str, Evidence] | None = None
    earliest: list[Evidence] | None = None
    failed: Evidence | None = None
    failed_value: float | None = None
    keep: int = field(default=0)

    def add(self, event: Event, req: Requirements, ev: Evidence | None = None) -> None:
        ev = ev or evidence_of(event)
        if not value_ok(req, event.value):
            if self.failed is None or ev.sort_key() < self.failed.sort_key():
                self.failed = ev
                self.failed_value = event.value
            return
        if self.first is None or ev.sort_key() < self.first.sort_key():
            self.first = ev
        wanted = req.items
        if wanted:
            have = items_of(event)
            if self.items is None:
                self.items = {}
            for item in wanted:
                if item in have:
                    cur = self.items.get(item)
                    if cur is None or ev.sort_key() < cur.sort_key():
                        self.items[item] = ev
        if self.keep:
            if self.earliest is None:
                self.earliest = []
            keys = {e.sort_key() for e in self.earliest}
            if ev.sort_key() not in keys:
                self.earliest.append(ev)
                self.earliest.sort(key=Evidence.sort_key)
                del self.earliest[self.keep :]
