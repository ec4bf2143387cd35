"""triggered: within N hours, days or working days after an event of another type.

特别重大、重大突发事件 → 5小时内发布权威信息, 24小时内举行新闻发布会; 本要点公布后30个工作日内
公布实施方案; 人代会结束60个工作日内公开扶贫资金分配使用方案; 政策出台5个工作日内报送解读方案,
审核通过后5个工作日内组织解读 (a chain: two rules linked through ``related``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta

from zwgk_rules.engine.accumulate import Acc, evidence_of
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, judge
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Status
from zwgk_rules.rules.model import DueUnit, Kind, Rule
from zwgk_rules.timeutil import start_of_day
from zwgk_rules.units import Unit

ID = Kind.TRIGGERED


def linked(rule: Rule, trigger: Event | None, candidate: Event) -> bool:
    """``link: related`` ties evidence to its trigger by id: the evidence names the trigger,
    or both name the same earlier act (the policy a 解读方案 and its 解读 belong to)."""
    if rule.link != "related" or trigger is None:
        return True
    ids = {trigger.id} | ({trigger.related} if trigger.related else set())
    return candidate.related in ids


def not_before(candidate: Event, at: datetime, date_only: bool) -> bool:
    if date_only or candidate.date_only:
        return candidate.at.date() >= at.date()
    return candidate.at >= at


class Evaluator:
    def __init__(self, rule: Rule, ctx: CheckContext) -> None:
        self.rule = rule
        self.ctx = ctx
        self.triggers: list[tuple[Unit, Event]] = []
        self.candidates: dict[str, list[Event]] = {}

    def observe_trigger(self, unit: Unit, event: Event) -> bool:
        if not self.ctx.in_window(event.at.date()):
            return False
        self.triggers.append((unit, event))
        return True

    def observe_match(self, unit_id: str, event: Event) -> bool:
        self.candidates.setdefault(unit_id, []).append(event)
        return True

    def _due(self, at: datetime) -> tuple[datetime | None, date]:
        due = self.rule.due
        assert due is not None
        if due.unit is DueUnit.HOURS:
            due_at = at + timedelta(hours=due.amount)
            return due_at, due_at.date()
        if due.unit is DueUnit.WORKING_DAYS:
            return None, self.ctx.calendar.add_working_days(at.date(), due.amount)
        return None, at.date() + timedelta(days=due.amount)

    def _one(self, unit_id: str, key: str, at: datetime, date_only: bool, trigger: Event | None) -> Outcome:
        assert self.rule.due is not None
        due_at, due = self._due(at)
        acc = Acc()
        for cand in self.candidates.get(unit_id, ()):
            if not_before(cand, at, date_only) and linked(self.rule, trigger, cand):
                acc.add(cand, self.rule.require, evidence_of(cand))
        return judge(self.rule, unit_id, key, due, acc, self.ctx, due_at=due_at, unit=self.rule.due.unit)

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        return Counter(out.status for out in self.outcomes(units))

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        triggers = sorted(self.triggers, key=lambda t: (t[1].at, t[1].id, t[0].id))
        for unit in units:
            unit_id = unit.id
            if self.rule.trigger_date is not None:
                d = self.rule.trigger_date
                if self.ctx.in_window(d):
                    yield self._one(unit_id, f"from-{d.isoformat()}", start_of_day(d), True, None)
                continue
            seen: set[str] = set()
            for t_unit, t in triggers:
                if self.rule.responsible == "trigger_unit" and t_unit.id != unit_id:
                    continue
                if self.rule.responsible == "jurisdiction" and t_unit.jurisdiction != unit.jurisdiction:
                    continue
                if t.id in seen:
                    continue
                seen.add(t.id)
                yield self._one(unit_id, f"trigger:{t.id}", t.at, t.date_only, t)
