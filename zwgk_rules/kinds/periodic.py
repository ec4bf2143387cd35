"""periodic: a release for every week, month, quarter, half-year, year or N-day cycle.

Covers 按月公开财政收支, 每季度公开饮用水水质, 每周发布批发市场价格, 夏秋粮收购旺季每五日发布,
and alternatives such as 飞地园区 "按季度或年公开园区财政收支" (``every: [quarter, year]``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from zwgk_rules.engine.accumulate import Acc, Store
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, judge
from zwgk_rules.engine.evidence import Mark
from zwgk_rules.engine.obligations import PeriodPlan, Slot, period_plans
from zwgk_rules.events.model import Event
from zwgk_rules.findings import STATUS_RANK, Evidence, Status
from zwgk_rules.periods import PeriodKind, closes, matches_exactly
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.timeutil import start_of_day
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


# Distinct labels and days a log routes by: a few thousand; the bound only guards the odd log.
_ROUTES_LIMIT = 1 << 16

# A slot an event reports for: its key, its states by unit id, the first instant after its
# due day, and a one-item list counting its on-time marks.
_Route = tuple[str, dict[str, Mark], datetime, list[int]]


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.plans = period_plans(rule, ctx.window, ctx.calendar)
        self.accs = Store(rule.require, ctx.archive)
        # Where events with a given label (or, unlabelled, a given day) go: per slot, its
        # key, its states by unit, the first instant after its due day and its count of
        # on-time marks. Routing depends on nothing else about the event.
        self._routes: dict[object, tuple[_Route, ...]] = {}
        self._simple = self.accs.simple
        self._mark = ctx.archive.mark
        # Simple stores count, per slot, the marks made on or before the due day as they
        # change, so a summary of millions of obligations needs no pass over the marks.
        self._on_time: dict[str, list[int]] = {}

    def _route(self, event: Event) -> tuple[_Route, ...]:
        key: object = event.period if event.period is not None else event.at.date()
        routes = self._routes.get(key)
        if routes is None:
            if len(self._routes) >= _ROUTES_LIMIT:
                self._routes.clear()
            routes = self._routes[key] = tuple(
                (
                    slot.key,
                    self.accs.marks(slot.key),
                    start_of_day(slot.due + timedelta(days=1)),
                    self._on_time.setdefault(slot.key, [0]),
                )
                for plan in self.plans
                for slot in route(self.rule, plan, event)
            )
        return routes

    def observe_match(self, unit_id: str, event: Event) -> bool:
        # The hot path of a check: one call per matching event, so the simple case (keep the
        # earliest event per period) is written out here rather than in Store.
        label = event.period
        routes = self._routes.get(label if label is not None else event.at.date())
        if routes is None:
            routes = self._route(event)
        if not routes:
            return False
        if self._simple:
            at = event.at
            for _, units, after_due, on_time in routes:
                cur = units.get(unit_id)
                if cur is None:
                    units[unit_id] = self._mark(event)
                    if at < after_due:
                        on_time[0] += 1
                elif at < cur[0] or (at == cur[0] and self.accs.earlier(event, cur)):
                    units[unit_id] = self._mark(event)
                    # An earlier mark can only turn a late period on time, never the reverse.
                    if at < after_due <= cur[0]:
                        on_time[0] += 1
        else:
            for slot_key, _, _, _ in routes:
                self.accs.add((unit_id, slot_key), event)
        return True

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        return False

    def observe_step(self, unit_id: str, event: Event) -> bool:
        return False

    def _judge(self, unit_id: str, slot: Slot, acc: Acc | None) -> Outcome:
        assert self.rule.due is not None
        return judge(self.rule, unit_id, slot.key, slot.due, acc, self.ctx, unit=self.rule.due.unit)

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        if len(self.plans) > 1:
            return Counter(out.status for out in self.outcomes(units))
        (plan,) = self.plans
        if not self.accs.simple:
            return Counter(
                self._judge(u.id, slot, self.accs.judged_as((u.id, slot.key))).status
                for u in units
                for slot in plan.slots
            )
        ids = {u.id for u in units}
        counts: Counter[Status] = Counter()
        for slot in plan.slots:
            # With only the earliest event to go by, the verdict on a period depends on the
            # slot and on whether that event's day is after the due day, nothing else: judge
            # an on-time and a late obligation once, and count the marks on each side.
            marks = self.accs.marks(slot.key)
            end_of_due = start_of_day(slot.due + timedelta(days=1))
            if marks.keys() <= ids:
                on_time = self._on_time.get(slot.key, [0])[0]
            else:
                marks = {u: m for u, m in marks.items() if u in ids}
                on_time = sum(1 for m in marks.values() if m[0] < end_of_due)
            counts[self._judge("", slot, None).status] += len(ids) - len(marks)
            counts[self._judge("", slot, Acc(first=Evidence(start_of_day(slot.due), ""))).status] += on_time
            counts[self._judge("", slot, Acc(first=Evidence(end_of_due, ""))).status] += len(marks) - on_time
        return counts

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        coarse = self.plans[-1]
        for unit in units:
            unit_id = unit.id
            for slot in coarse.slots:
                if len(self.plans) == 1:
                    yield self._judge(unit_id, slot, self.accs.get((unit_id, slot.key)))
                    continue
                yield self._best_alternative(unit_id, slot)

    def _best_alternative(self, unit_id: str, slot: Slot) -> Outcome:
        """按季度或年: the better of the alternatives; a finer one is as good as its worst part."""
        assert slot.period is not None
        best: Outcome | None = None
        for plan in self.plans:
            if plan is self.plans[-1]:
                out = self._judge(unit_id, slot, self.accs.get((unit_id, slot.key)))
                out = replace(out, detail=f"{plan.kind.value}: {out.status.value}" + (f"; {out.detail}" if out.detail else ""))
            else:
                parts = [self._judge(unit_id, s, self.accs.get((unit_id, s.key))) for s in plan.slots if s.period is not None
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
