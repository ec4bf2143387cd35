"""triggered: within N hours, days or working days after an event of another type.

特别重大、重大突发事件 → 5小时内发布权威信息, 24小时内举行新闻发布会; 本要点公布后30个工作日内
公布实施方案; 人代会结束60个工作日内公开扶贫资金分配使用方案; 政策出台5个工作日内报送解读方案,
审核通过后5个工作日内组织解读 (a chain: two rules linked through ``related``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from zwgk_rules.engine.accumulate import Acc, evidence_of
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome, judge
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Status
from zwgk_rules.rules.model import DueUnit, Kind, Rule, Span
from zwgk_rules.timeutil import start_of_day
from zwgk_rules.units import Unit

ID = Kind.TRIGGERED


def linked(rule: Rule, trigger: Event | None, candidate: Event) -> bool:
    """``link: related`` ties evidence to its trigger by id: the evidence names the trigger,
    or both name the same earlier act (the policy a 解读方案 and its 解读 belong to)."""
    if rule.link != "related" or trigger is None:
        return True
    # A trigger that is its own evidence (泰安 "依申请公开答复明确救济渠道": the answer must carry
    # the items) is linked to itself, whether or not it names its application.
    if candidate.id == trigger.id:
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
        # Extensions and pauses (依申请: 延期, 征求第三方意见) by unit, sorted out per trigger.
        self.steps: dict[str, list[Event]] = {}

    def observe_step(self, unit_id: str, event: Event) -> bool:
        self.steps.setdefault(unit_id, []).append(event)
        return True

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

    def _one(self, unit_id: str, key: str, at: datetime, date_only: bool, trigger: Event | None) -> Outcome | None:
        """The verdict on one trigger, or None for a conditional duty that never arose."""
        assert self.rule.due is not None
        due_at, due = self._due(at)
        acc = Acc()
        for cand in self.candidates.get(unit_id, ()):
            if not_before(cand, at, date_only) and linked(self.rule, trigger, cand):
                acc.add(cand, self.rule.require, evidence_of(cand))
        if self.rule.conditional and acc.first is None and acc.failed is None:
            return None
        moved = ""
        if trigger is not None and (self.rule.extension is not None or self.rule.pause is not None):
            due, moved = self._moved(unit_id, trigger, due)
        out = judge(
            self.rule, unit_id, key, due, acc, self.ctx, due_at=due_at, unit=self.rule.due.unit, arose=at.date()
        )
        if moved:
            out = replace(out, detail=f"{out.detail}; {moved}" if out.detail else moved)
        return out

    def _add(self, d: date, span: Span | int) -> date:
        """``d`` plus a span (or a number of the rule's own due units)."""
        assert self.rule.due is not None
        amount, unit = (span, self.rule.due.unit) if isinstance(span, int) else (span.amount, span.unit)
        if amount <= 0:
            return d
        if unit is DueUnit.WORKING_DAYS:
            return self.ctx.calendar.add_working_days(d, amount)
        return d + timedelta(days=amount)

    def _moved(self, unit_id: str, trigger: Event, due: date) -> tuple[date, str]:
        """The due date after the trigger's pauses and extension (条例第三十三条).

        Time between a linked pause start and its end does not count, up to the pause's
        cap (征求第三方意见所需时间不计算在期限内; the third party has 15 working days, 第三十二条).
        An extension counts when it was made by the due date as it stood, pauses included:
        延长答复期限 must be decided and told within the period.
        """
        rule = self.rule
        steps = sorted(
            (e for e in self.steps.get(unit_id, ()) if e.related == trigger.id and e.at >= trigger.at),
            key=lambda e: (e.at, e.id),
        )
        notes: list[str] = []
        if rule.pause is not None:
            pause = rule.pause
            unit = pause.max.unit if pause.max is not None else (rule.due.unit if rule.due else DueUnit.DAYS)
            excluded = 0
            for start in steps:
                if not pause.start.matches(start.type, start.category, start.title, start.channels):
                    continue
                end = next(
                    (e for e in steps if e.at >= start.at and e is not start
                     and pause.end.matches(e.type, e.category, e.title, e.channels)),
                    None,
                )
                # A pause not ended yet runs to the end of the as-of day.
                end_day = end.at.date() if end is not None else self.ctx.as_of
                length = (
                    self.ctx.calendar.working_days_between(start.at.date(), end_day)
                    if unit is DueUnit.WORKING_DAYS
                    else (end_day - start.at.date()).days
                )
                if pause.max is not None:
                    length = min(length, pause.max.amount)
                excluded += length
                notes.append(f"{length} {_words(unit, length)} paused ({start.id}" + (f" to {end.id})" if end else ", not ended)"))
            if excluded:
                due = self._add(due, Span(amount=excluded, unit=unit))
        if rule.extension is not None:
            ext = next(
                (e for e in steps if rule.extension.match.matches(e.type, e.category, e.title, e.channels)),
                None,
            )
            if ext is not None and ext.at.date() <= due:
                due = self._add(due, rule.extension.by)
                notes.append(f"extended by {rule.extension.by.amount} {_words(rule.extension.by.unit, rule.extension.by.amount)} ({ext.id})")
            elif ext is not None:
                notes.append(f"extension {ext.id} came after the due date and does not count")
        return due, "; ".join(notes)

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]:
        return Counter(out.status for out in self.outcomes(units))

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]:
        triggers = sorted(self.triggers, key=lambda t: (t[1].at, t[1].id, t[0].id))
        for unit in units:
            unit_id = unit.id
            if self.rule.trigger_date is not None:
                d = self.rule.trigger_date
                if self.ctx.in_window(d):
                    out = self._one(unit_id, f"from-{d.isoformat()}", start_of_day(d), True, None)
                    if out is not None:
                        yield out
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
                out = self._one(unit_id, f"trigger:{t.id}", t.at, t.date_only, t)
                if out is not None:
                    yield out


def _words(unit: DueUnit, n: int) -> str:
    one, many = ("working day", "working days") if unit is DueUnit.WORKING_DAYS else ("day", "days")
    return one if n == 1 else many
