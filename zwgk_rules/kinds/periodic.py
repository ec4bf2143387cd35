"""periodic: a release for every week, month, quarter, half-year, year or N-day cycle.

Covers 按月公开财政收支, 每季度公开饮用水水质, 每周发布批发市场价格, 夏秋粮收购旺季每五日发布,
and alternatives such as 飞地园区 "按季度或年公开园区财政收支" (``every: [quarter, year]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta

from zwgk_rules.engine.accumulate import Store, evidence_of
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, judge
from zwgk_rules.engine.obligations import PeriodPlan, Slot, period_plans
from zwgk_rules.events.model import Event
from zwgk_rules.findings import STATUS_RANK, Status
from zwgk_rules.periods import PeriodKind, closes, matches_exactly
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.units import Unit

ID = Kind.PERIODIC


def route(rule: Rule, plan: PeriodPlan, event: Event) -> Iterator[Slot]:
    """The slots of ``plan`` an event reports for.

    A stated or title-read period decides; a cumulative release (1-N月, 前三季度, ...) counts
    for the period it closes when the rule accepts cumulative releases. An event with no
    period reports for the previous period (a March release on February) or, with
    ``unlabelled: current``, for the period it falls in (weekly prices, 5-day cycles).
    """
    label = event.period
    if label is not None:
        candidates = [plan.containing(label.end - timedelta(days=1))]
        if plan.kind is PeriodKind.MONTH and label.cumulative:
            candidates.append(plan.containing(label.start))
        for p in candidates:
            if p is None:
                continue
            ok = matches_exactly(label, p) or (rule.accept_cumulative and closes(label, p))
            slot = plan.by_id.get(p.id) if ok else None
            if slot is not None:
                yield slot
        return
    day = event.at.date()
    p = plan.containing(day) if rule.unlabelled == "current" else plan.previous(day)
    if p is not None:
        slot = plan.by_id.get(p.id)
        if slot is not None:
            yield slot


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.plans = period_plans(rule, ctx.window, ctx.calendar)
        self.accs = Store(rule.require)

    def observe_match(self, unit_id: str, event: Event) -> bool:
        ev = None
        for plan in self.plans:
            for slot in route(self.rule, plan, event):
                ev = ev or evidence_of(event)
                self.accs.add((unit_id, slot.key), event, ev)
        return ev is not None

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        return False

    def _judge(self, unit_id: str, slot: Slot) -> Outcome:
        assert self.rule.due is not None
        return judge(self.rule, unit_id, slot.key, slot.due, self.accs.get((unit_id, slot.key)), self.ctx, unit=self.rule.due.unit)

    def statuses(self, units: Sequence[Unit]) -> Iterator[Status]:
        if len(self.plans) > 1:
            for out in self.outcomes(units):
                yield out.status
            return
        (plan,) = self.plans
        # What an obligation with no matching event comes to depends on its slot alone.
        assert self.rule.due is not None
        empty = [judge(self.rule, "", s.key, s.due, None, self.ctx, unit=self.rule.due.unit).status for s in plan.slots]
        accs = self.accs
        if not accs.simple:
            for unit in units:
                uid = unit.id
                for slot, status in zip(plan.slots, empty, strict=True):
                    yield status if (uid, slot.key) not in accs else self._judge(uid, slot).status
            return
        # With only the earliest event to go by, the verdict on a period (a day deadline)
        # depends on the slot and the event's day alone: judge each distinct pair once.
        seen: dict[tuple[str, date], Status] = {}
        for unit in units:
            uid = unit.id
            for slot, status in zip(plan.slots, empty, strict=True):
                ev = accs.earliest_only((uid, slot.key))
                if ev is None:
                    yield status
                    continue
                day = ev.at.date()
                known = seen.get((slot.key, day))
                if known is None:
                    known = seen[(slot.key, day)] = self._judge(uid, slot).status
                yield known

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        coarse = self.plans[-1]
        for unit in units:
            unit_id = unit.id
            for slot in coarse.slots:
                if len(self.plans) == 1:
                    yield self._judge(unit_id, slot)
                    continue
                yield self._best_alternative(unit_id, slot)

    def _best_alternative(self, unit_id: str, slot: Slot) -> Outcome:
        """按季度或年: the better of the alternatives; a finer one is as good as its worst part."""
        assert slot.period is not None
        best: Outcome | None = None
        for plan in self.plans:
            if plan is self.plans[-1]:
                out = self._judge(unit_id, slot)
                out = replace(out, detail=f"{plan.kind.value}: {out.status.value}" + (f"; {out.detail}" if out.detail else ""))
            else:
                parts = [self._judge(unit_id, s) for s in plan.slots if s.period is not None
                         and slot.period.start <= s.period.start and s.period.end <= slot.period.end]
                if not parts:
                    continue
                worst = max(parts, key=lambda o: STATUS_RANK[o.status])
                status = worst.status
                if any(o.status is Status.NOT_APPLICABLE for o in parts) and status is Status.NOT_APPLICABLE:
                    status = Status.NOT_APPLICABLE
                out = Outcome(
                    unit_id=unit_id,
                    period=slot.key,
                    due=max(o.due for o in parts),
                    status=status,
                    evidence=worst.evidence if worst.evidence else parts[-1].evidence,
                    late_by=worst.late_by,
                    late_unit=worst.late_unit,
                    missing_items=worst.missing_items,
                    detail=f"{plan.kind.value}: " + ", ".join(f"{o.period} {o.status.value}" for o in parts),
                )
            if best is None or STATUS_RANK[out.status] < STATUS_RANK[best.status]:
                best = out
        assert best is not None
        return best
