"""Accumulators: what the stream has shown so far about one obligation, independent of order."""

from __future__ import annotations

from dataclasses import dataclass, field

from zwgk_rules.engine.evidence import EvidenceArchive, Mark, evidence_of
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Evidence
from zwgk_rules.rules.model import Requirements

__all__ = ["Acc", "Store", "evidence_of", "items_of", "value_ok"]


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

    Every field keeps minima in Evidence order, so the result does not depend on the order
    events arrive in: the earliest matching event satisfies a period, and a republication
    never resets it. Rules that only need the earliest event keep a bare Evidence instead
    (see :func:`keep_earliest`): a million of these accumulators is a lot of memory.
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
            if self.failed is None or ev < self.failed:
                self.failed = ev
                self.failed_value = event.value
            return
        if self.first is None or ev < self.first:
            self.first = ev
        wanted = req.items
        if wanted:
            have = items_of(event)
            if self.items is None:
                self.items = {}
            for item in wanted:
                if item in have:
                    cur = self.items.get(item)
                    if cur is None or ev < cur:
                        self.items[item] = ev
        if self.keep:
            if self.earliest is None:
                self.earliest = []
            if ev not in self.earliest:
                self.earliest.append(ev)
                self.earliest.sort()
                del self.earliest[self.keep :]


class Store:
    """What the stream has shown for each obligation of one rule, by slot key, then unit id.

    A rule that asks for nothing but a matching event keeps a bare :data:`Mark` of the
    earliest one per obligation (see :mod:`zwgk_rules.engine.evidence`); others keep an
    :class:`Acc`. States are filed by slot, then by unit, so no key tuple is kept per
    obligation. Millions of obligations make both worth having.
    """

    __slots__ = ("req", "keep", "simple", "archive", "_marks", "_accs")

    def __init__(self, req: Requirements, archive: EvidenceArchive, keep: int = 0) -> None:
        self.req = req
        self.keep = keep
        self.simple = not (req.items or req.bounded or keep)
        self.archive = archive
        self._marks: dict[str, dict[str, Mark]] = {}
        self._accs: dict[str, dict[str, Acc]] = {}

    def marks(self, slot_key: str) -> dict[str, Mark]:
        """For a simple store: the mark of each unit with evidence for ``slot_key``, made on
        first use (the periodic evaluator writes into it directly)."""
        units = self._marks.get(slot_key)
        if units is None:
            units = self._marks[slot_key] = {}
        return units

    def earlier(self, event: Event, mark: Mark) -> bool:
        """Whether ``event`` ranks before the evidence ``mark`` stands for (Evidence order)."""
        if event.at != mark[0]:
            return event.at < mark[0]
        if event.id != mark[1]:
            return event.id < mark[1]
        # An exact tie of instant and id: only the title and URL can decide.
        return evidence_of(event) < self.archive.evidence(mark)

    def add(self, key: tuple[str, str], event: Event) -> None:
        unit_id, slot = key
        if self.simple:
            marks = self.marks(slot)
            cur = marks.get(unit_id)
            if cur is None or self.earlier(event, cur):
                marks[unit_id] = self.archive.mark(event)
            return
        accs = self._accs.get(slot)
        if accs is None:
            accs = self._accs[slot] = {}
        acc = accs.get(unit_id)
        if acc is None:
            acc = accs[unit_id] = Acc(keep=self.keep)
        acc.add(event, self.req, evidence_of(event))

    def get(self, key: tuple[str, str]) -> Acc | None:
        """The state of one obligation, with its evidence read again in full."""
        if not self.simple:
            return self._accs.get(key[1], {}).get(key[0])
        mark = self._marks.get(key[1], {}).get(key[0])
        return None if mark is None else Acc(first=self.archive.evidence(mark))

    def judged_as(self, key: tuple[str, str]) -> Acc | None:
        """The state of one obligation, good enough for its status but not for a report.

        A simple store's status depends on the evidence's instant alone, so this makes no
        trip back to the log: the evidence it gives has no title or URL.
        """
        if not self.simple:
            return self._accs.get(key[1], {}).get(key[0])
        mark = self._marks.get(key[1], {}).get(key[0])
        return None if mark is None else Acc(first=Evidence(mark[0], mark[1]))

    def __contains__(self, key: tuple[str, str]) -> bool:
        if self.simple:
            return key[0] in self._marks.get(key[1], {})
        return key[0] in self._accs.get(key[1], {})
