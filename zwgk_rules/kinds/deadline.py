"""deadline: once by a date (2017年年底前, 5月底前, 年内) or every year by a month-day
(每年7月底前 in 周村, 每年6月底前 in 泰安)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from zwgk_rules.engine.accumulate import Store
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, judge
from zwgk_rules.engine.obligations import Slot, deadline_slots
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Status
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.units import Unit

ID = Kind.DEADLINE


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.slots = deadline_slots(rule, ctx.window)
        self.by_key: dict[str, Slot] = {s.key: s for s in self.slots}
        self.accs = Store(rule.require, ctx.archive)

    def _slot_for(self, event: Event) -> Slot | None:
        if self.rule.each_year_by is not None:
            # The release for year Y is the one about Y (by its period) or, unlabelled, made in Y.
            year = event.period.start.year if event.period is not None else event.at.year
            slot = self.by_key.get(str(year))
        else:
            slot = self.slots[0] if self.slots else None
        if slot is None or (slot.lower is not None and event.at.date() < slot.lower):
            return None
        return slot

    def observe_match(self, unit_id: str, event: Event) -> bool:
        slot = self._slot_for(event)
        if slot is None:
            return False
        self.accs.add((unit_id, slot.key), event)
        return True

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        return False

    def observe_step(self, unit_id: str, event: Event) -> bool:
        return False

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        counts: Counter[Status] = Counter()
        for unit in units:
            for slot in self.slots:
                acc = self.accs.judged_as((unit.id, slot.key))
                counts[judge(self.rule, unit.id, slot.key, slot.due, acc, self.ctx).status] += 1
        return counts

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        for unit in units:
            unit_id = unit.id
            for slot in self.slots:
                yield judge(self.rule, unit_id, slot.key, slot.due, self.accs.get((unit_id, slot.key)), self.ctx)
