"""count: at least N events per period, e.g. 主要负责人年内至少听取一次政务公开工作汇报,
主要负责人年内解读重要政策措施不少于1次."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from functools import partial

from zwgk_rules.engine.accumulate import Acc, Store
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, is_pending, not_applicable
from zwgk_rules.engine.obligations import Slot, period_plans
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Status
from zwgk_rules.kinds.periodic import route
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.units import Unit

ID = Kind.COUNT


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        (self.plan,) = period_plans(rule, ctx.window, ctx.calendar)
        self.accs = Store(rule.require, ctx.archive, keep=rule.at_least)

    def observe_match(self, unit_id: str, event: Event) -> bool:
        if self.rule.period_from == "date":
            p = self.plan.containing(event.at.date())
            slot = self.plan.by_id.get(p.id) if p is not None else None
            if slot is None:
                return False
            self.accs.add((unit_id, slot.key), event)
            return True
        seen = False
        for slot in route(self.rule, self.plan, event):
            self.accs.add((unit_id, slot.key), event)
            seen = True
        return seen

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        return False

    def observe_step(self, unit_id: str, event: Event) -> bool:
        return False

    def _one(self, unit_id: str, slot: Slot, acc: Acc | None) -> Outcome:
        n = self.rule.at_least
        found = list(acc.earliest or ()) if acc else []
        make = partial(Outcome, unit_id=unit_id, period=slot.key, due=slot.due)
        if not_applicable(self.rule, slot.due):
            return make(status=Status.NOT_APPLICABLE, detail="outside the rule's effective dates")
        if len(found) >= n:
            nth = found[n - 1]
            late = (nth.at.date() - slot.due).days
            if late <= 0:
                return make(status=Status.MET, evidence=nth, detail=f"{n} of {n}")
            # An event after the period's end that says it belongs to it (by its period or
            # title) fulfils the count, late.
            return make(status=Status.LATE, evidence=nth, late_by=late, late_unit="days",
                        detail=f"{n} of {n}, the last {late} {'day' if late == 1 else 'days'} after the period")
        if is_pending(slot.due, None, self.ctx):
            return make(status=Status.PENDING, evidence=found[-1] if found else None, detail=f"{len(found)} of {n} so far")
        if not self.ctx.covered(slot.due):
            return make(status=Status.UNKNOWN, detail="due outside what the log covers")
        if found:
            return make(status=Status.PARTIAL, evidence=found[-1], detail=f"{len(found)} of {n}")
        return make(status=Status.MISSING, detail=f"0 of {n}")

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        for unit in units:
            for slot in self.plan.slots:
                yield self._one(unit.id, slot, self.accs.get((unit.id, slot.key)))

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        # A count's verdict never needs the evidence's title or URL.
        return Counter(
            self._one(unit.id, slot, self.accs.judged_as((unit.id, slot.key))).status
            for unit in units
            for slot in self.plan.slots
        )
