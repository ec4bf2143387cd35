"""precedence: one act must come before another, e.g. 在决策前向社会公布决策草案、决策依据
(the draft is published before the meeting that decides)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial

from zwgk_rules.engine.accumulate import evidence_of
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, is_pending, not_applicable
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Evidence, Status
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.units import Unit

ID = Kind.PRECEDENCE


def before(first: Event, then: Event) -> bool:
    """Strictly earlier: by instant when both have a time, else by day."""
    if first.date_only or then.date_only:
        return first.at.date() < then.at.date()
    return first.at < then.at


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.subjects: dict[str, list[Event]] = {}
        self.candidates: dict[str, list[Event]] = {}

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        if not self.ctx.in_window(event.at.date()):
            return False
        self.subjects.setdefault(unit.id, []).append(event)
        return True

    def observe_match(self, unit_id: str, event: Event) -> bool:
        self.candidates.setdefault(unit_id, []).append(event)
        return True

    def observe_step(self, unit_id: str, event: Event) -> bool:
        return False

    def _linked(self, subject: Event, cand: Event) -> bool:
        if self.rule.link != "related":
            return True
        return cand.related == subject.id or (bool(subject.related) and subject.related == cand.id)

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        return Counter(out.status for out in self.outcomes(units))

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        for unit in units:
            unit_id = unit.id
            subjects = sorted(self.subjects.get(unit_id, ()), key=lambda e: (e.at, e.id))
            cands = sorted(self.candidates.get(unit_id, ()), key=lambda e: (e.at, e.id))
            seen: set[str] = set()
            for s in subjects:
                if s.id in seen:
                    continue
                seen.add(s.id)
                make = partial(Outcome, unit_id=unit_id, period=f"before:{s.id}", due=s.at.date())
                if not_applicable(self.rule, s.at.date()):
                    # The duty binds acts of the rule's effective dates (a plan that starts mid-year).
                    yield make(status=Status.NOT_APPLICABLE, detail="outside the rule's effective dates")
                    continue
                linked = [c for c in cands if self._linked(s, c)]
                earlier = [c for c in linked if before(c, s)]
                if earlier:
                    yield make(status=Status.MET, evidence=evidence_of(earlier[0]))
                elif linked:
                    ev: Evidence = evidence_of(linked[0])
                    days = (linked[0].at.date() - s.at.date()).days
                    yield make(status=Status.LATE, evidence=ev, late_by=days, late_unit="days",
                                  detail=f"published {days} days after {s.id}" if days else f"published on the day of {s.id}")
                elif is_pending(s.at.date(), None, self.ctx):
                    yield make(status=Status.PENDING)
                else:
                    yield make(status=Status.MISSING, detail=f"nothing published before {s.id}")
