"""Turning what the stream showed about one obligation into a status."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from zwgk_rules.engine.accumulate import Acc
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.findings import Evidence, Status
from zwgk_rules.rules.model import DueUnit, Requirements, Rule


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """A bare verdict from a kind evaluator; the engine stamps the rule's id, citation,
    severity and tags on it, so no evaluator can forget to cite its clause."""

    unit_id: str
    period: str
    due: date
    due_at: datetime | None = None
    status: Status
    evidence: Evidence | None = None
    late_by: int | None = None
    late_unit: str = ""
    detail: str = ""
    missing_items: tuple[str, ...] = ()


def lateness(ev: Evidence, due: date, due_at: datetime | None, unit: DueUnit, ctx: CheckContext) -> int:
    """How late ``ev`` is, in the unit the rule counts in (days, working days or hours)."""
    if due_at is not None and unit is DueUnit.HOURS:
        return max(1, math.ceil((ev.at - due_at).total_seconds() / 3600))
    if unit is DueUnit.WORKING_DAYS:
        return max(1, ctx.calendar.working_days_between(due, ev.at.date()))
    return (ev.at.date() - due).days


def on_time(ev: Evidence, due: date, due_at: datetime | None) -> bool:
    """A day deadline is met by an event on or before the due day; an hour deadline by an
    event at or before the due instant (a date-only event counts from the start of its day)."""
    if due_at is not None:
        return ev.at <= due_at
    return ev.at.date() <= due


def is_pending(due: date, due_at: datetime | None, ctx: CheckContext) -> bool:
    if due_at is not None:
        return due_at >= ctx.as_of_end
    return due > ctx.as_of


def not_applicable(rule: Rule, due: date) -> bool:
    """An obligation binds while its due date (a triggered one: the day it arose) is inside
    the rule's effective dates."""
    if rule.effective_from is not None and due < rule.effective_from:
        return True
    return rule.effective_until is not None and due > rule.effective_until


def _label(item: str) -> str:
    kind, _, name = item.partition(":")
    return name if kind == "content" else f"{name} (channel)"


def judge(
    rule: Rule,
    unit_id: str,
    period: str,
    due: date,
    acc: Acc | None,
    ctx: CheckContext,
    *,
    due_at: datetime | None = None,
    unit: DueUnit = DueUnit.DAYS,
    require: Requirements | None = None,
    arose: date | None = None,
) -> Outcome:
    """The status of one obligation from its accumulator (see docs/rule-language.md, Findings).

    ``arose``: the day a triggered duty arose (its trigger's day); the rule's effective dates
    are asked of it rather than of the due date, as a duty binds by the law in force when
    it arises (an application received on 2019-05-10 under the 2007 text).
    """
    req = require if require is not None else rule.require
    make = partial(Outcome, unit_id=unit_id, period=period, due=due, due_at=due_at)
    if not_applicable(rule, arose if arose is not None else due):
        return make(status=Status.NOT_APPLICABLE, detail="outside the rule's effective dates")
    wanted = req.items
    evidence: Evidence | None = None
    if acc is not None and acc.first is not None:
        if wanted:
            have = acc.items or {}
            missing = tuple(i for i in wanted if i not in have)
            if not missing:
                evidence = max(have[i] for i in wanted)
            elif is_pending(due, due_at, ctx):
                return make(status=Status.PENDING, evidence=acc.first, missing_items=tuple(_label(i) for i in missing),
                               detail="not yet due; so far incomplete")
            elif not ctx.covered(due):
                return make(status=Status.UNKNOWN, evidence=acc.first, detail="due outside what the log covers")
            else:
                names = tuple(_label(i) for i in missing)
                return make(status=Status.PARTIAL, evidence=acc.first, missing_items=names,
                               detail="missing: " + "、".join(names))
        else:
            evidence = acc.first
    if evidence is not None:
        if on_time(evidence, due, due_at):
            return make(status=Status.MET, evidence=evidence)
        late = lateness(evidence, due, due_at, unit, ctx)
        return make(status=Status.LATE, evidence=evidence, late_by=late, late_unit=unit.value,
                       detail=f"{late} {_unit_words(unit, late)} late")
    if is_pending(due, due_at, ctx):
        return make(status=Status.PENDING, detail=f"due {due_at.isoformat() if due_at else due.isoformat()}")
    if not ctx.covered(due_at.date() if due_at else due):
        return make(status=Status.UNKNOWN, detail="due outside what the log covers")
    detail = "no matching event"
    if acc is not None and acc.failed is not None:
        detail = f"reported value {acc.failed_value} does not meet the required " + _bounds(req)
        return make(status=Status.MISSING, evidence=acc.failed, detail=detail)
    return make(status=Status.MISSING, detail=detail)


def _bounds(req: Requirements) -> str:
    parts = []
    if req.value_min is not None:
        parts.append(f">= {req.value_min:g}")
    if req.value_max is not None:
        parts.append(f"<= {req.value_max:g}")
    return " and ".join(parts)


def _unit_words(unit: DueUnit, n: int) -> str:
    words = {
        DueUnit.DAYS: ("day", "days"),
        DueUnit.WORKING_DAYS: ("working day", "working days"),
        DueUnit.HOURS: ("hour", "hours"),
    }
    one, many = words[unit]
    return one if n == 1 else many
