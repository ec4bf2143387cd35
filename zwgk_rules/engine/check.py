"""check(): one streaming pass over the events against every rule, then one finding per obligation."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta

from zwgk_rules import __version__
from zwgk_rules.calendar import DEFAULT_CALENDAR, WorkCalendar
from zwgk_rules.engine.binding import bound_units
from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.dispatch import Dispatch, Target
from zwgk_rules.engine.evaluate import Outcome
from zwgk_rules.engine.evidence import EvidenceArchive
from zwgk_rules.errors import UserInputError
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.findings import Finding, Findings, Status, Tally
from zwgk_rules.kinds import Evaluator, get
from zwgk_rules.report import InputFile, Report, RowAccounting
from zwgk_rules.rules.model import Rule, RuleSet, Selector
from zwgk_rules.timeutil import start_of_day
from zwgk_rules.units import UnitRegistry


def default_window(rules: RuleSet) -> tuple[date, date]:
    """The plan years of the loaded rulesets, 1 January of the first to 31 December of the last."""
    years = rules.plan_years()
    if not years:
        raise UserInputError("no ruleset loaded, so there is no plan year to check; give --from and --to")
    return date(years[0], 1, 1), date(years[-1], 12, 31)


def check(
    rules: RuleSet,
    units: UnitRegistry,
    events: Iterable[Event | Rejection],
    *,
    as_of: date,
    window: tuple[date, date] | None = None,
    covers: tuple[date, date] | None = None,
    calendar: WorkCalendar = DEFAULT_CALENDAR,
    inputs: Sequence[InputFile] = (),
) -> Report:
    """Check an event stream against rules for the given units.

    Args:
        rules: from :func:`zwgk_rules.load_rules`.
        units: from :func:`zwgk_rules.load_units`.
        events: events and reader rejections, e.g. from :func:`zwgk_rules.read_events`;
            consumed once, in one pass.
        as_of: the check is as of the end of this local day.
        window: the inclusive span whose periods, yearly deadlines and triggers give
            obligations; by default the plan years of the rulesets.
        covers: the inclusive span the log covers; an unfulfilled obligation due outside it
            is ``unknown``, not ``missing``. By default the window.
        calendar: the working-day calendar (with any holiday file applied).
        inputs: digests of the input files, recorded in the report.

    Returns:
        A Report with exactly one finding per obligation, sorted by rule, unit and due date.

    Raises:
        UserInputError: the window is empty or reaches a year the calendar does not know.
    """
    win = window or default_window(rules)
    if win[0] > win[1]:
        raise UserInputError(f"the window {win[0]}..{win[1]} is empty: --from is after --to")
    ctx = CheckContext(
        as_of=as_of, window=win, covers=covers or win, calendar=calendar, archive=EvidenceArchive(events)
    )
    vocabulary = rules.event_types | units.event_types

    evaluators: list[Evaluator] = []
    bound: list[tuple[str, ...]] = []
    warnings: list[str] = []
    targets: list[Target] = []
    for rule in rules.rules:
        evaluator = get(rule.kind)(rule, ctx)
        evaluators.append(evaluator)
        ids = bound_units(rule, rules.jurisdiction_of[rule.ruleset], units)
        if not ids:
            warnings.append(f"rule {rule.id} binds no unit in the units file (jurisdiction {rules.jurisdiction_of[rule.ruleset]!r})")
        bound.append(ids)
        # None: the rule binds every unit, so the stream need not ask.
        bound_set = None if len(ids) == len(units.units) else frozenset(ids)
        targets.append(Target(rule.match, False, bound_set, evaluator.observe_match))
        # Events that move a deadline (延期, 征求第三方意见) count for the rule's own units.
        steps: list[Selector] = []
        if rule.extension is not None:
            steps.append(rule.extension.match)
        if rule.pause is not None:
            steps += [rule.pause.start, rule.pause.end]
        for step in steps:
            targets.append(Target(step, False, bound_set, evaluator.observe_step))
        if rule.trigger is not None:
            # A trigger that binds others (the plan's own publication, a 人代会) may come
            # from a unit the rule does not bind, such as 县政府办公室 or 人大.
            trigger_bound = bound_set if rule.responsible == "trigger_unit" else None
            targets.append(Target(rule.trigger, True, trigger_bound, evaluator.observe_trigger))

    # The stream makes millions of small tuples that never form cycles; the cyclic collector
    # scanning them again and again cost a fifth of a million-row run. Restored below.
    collecting = gc.isenabled()
    gc.disable()
    try:
        counts = _stream(events, units, Dispatch(targets, vocabulary), as_of)
    finally:
        if collecting:
            gc.enable()
    read, matched, unmatched, rejections, unknown_units = counts

    def generate() -> Iterator[Finding]:
        # Rules are sorted by id and units by id; within one rule and unit the few
        # obligations are sorted by due date, so the whole is in report order.
        for i, rule in enumerate(rules.rules):
            evaluator = evaluators[i]
            for unit_id in bound[i]:
                unit = units.get(unit_id)
                outs = sorted(evaluator.outcomes((unit,)), key=lambda o: (o.due, o.period))
                for out in outs:
                    yield _stamp(rule, unit.name, out)

    def tally() -> Tally:
        out: Tally = {}
        for i, rule in enumerate(rules.rules):
            ids = bound[i]
            bound_to_rule = units.units if len(ids) == len(units.units) else [units.get(u) for u in ids]
            counts = evaluators[i].count_statuses(bound_to_rule)
            out[rule.id] = {status: counts[status] for status in Status}
        return out

    rejections.sort(key=lambda r: (r.source, r.row, r.reason))
    return Report(
        tool_version=__version__,
        as_of=as_of,
        window=win,
        covers=ctx.covers,
        rulesets=rules.rulesets,
        rules=rules.rules,
        units=units.units,
        accounting=RowAccounting(read=read, matched=matched, unmatched=unmatched, rejected=len(rejections)),
        rejections=tuple(rejections),
        unknown_units=tuple(sorted(unknown_units.items())),
        warnings=tuple(warnings),
        findings=Findings(generate, tally),
        inputs=tuple(inputs),
    )


def _stamp(rule: Rule, unit_name: str, out: Outcome) -> Finding:
    """Add what the rule says about itself to an evaluator's bare verdict."""
    return Finding(
        rule_id=rule.id,
        ruleset=rule.ruleset,
        unit_id=out.unit_id,
        unit_name=unit_name,
        period=out.period,
        due=out.due,
        due_at=out.due_at,
        status=out.status,
        evidence=out.evidence,
        late_by=out.late_by,
        late_unit=out.late_unit,
        detail=out.detail,
        missing_items=out.missing_items,
        citation=rule.cite,
        severity=rule.severity,
        tags=rule.tags,
        weight=rule.weight,
        origin=rule.origin or rule.ruleset,
        overrides=rule.overridden,
    )


def _stream(
    events: Iterable[Event | Rejection],
    units: UnitRegistry,
    dispatch: Dispatch,
    as_of: date,
) -> tuple[int, int, int, list[Rejection], Counter[str]]:
    """The one pass over the events: each row is rejected, or offered to the rules that can use it."""
    read = matched = unmatched = 0
    rejections: list[Rejection] = []
    unknown_units: Counter[str] = Counter()
    # The loop runs once per row of a log of millions: the usual lookups (a unit by the
    # reference as written, the targets of a type and category seen before) are inlined
    # dict gets, and the methods behind them only asked when those miss.
    by_ref = units.by_reference.get
    find_unit = units.find
    by_type = dispatch.by_type.get
    targets_for = dispatch.targets
    # Events after the end of the as-of day have not happened yet as far as the check knows.
    after = start_of_day(as_of + timedelta(days=1))
    for item in events:
        read += 1
        if type(item) is not Event:
            assert type(item) is Rejection
            rejections.append(item)
            continue
        unit = by_ref(item.unit) or find_unit(item.unit)
        if unit is None:
            why = "is ambiguous (an alias of several units)" if units.is_ambiguous(item.unit) else "is not in the units file"
            unknown_units[item.unit] += 1
            rejections.append(Rejection(source=item.source, row=item.row, reason=f"unit {item.unit!r} {why}", event_id=item.id))
            continue
        per_category = by_type(item.type)
        targets = per_category.get(item.category) if per_category is not None else None
        if targets is None:
            targets = targets_for(item.type, item.category)
        if targets is None:
            rejections.append(
                Rejection(source=item.source, row=item.row, reason=f"event type {item.type!r} is not declared by any ruleset or units file", event_id=item.id)
            )
            continue
        used = False
        if targets and item.at < after:
            uid = unit.id
            for target in targets:
                if target.bound is not None and uid not in target.bound:
                    continue
                if target.checks and not target.selector.matches(item.type, item.category, item.title, item.channels):
                    continue
                if target.is_trigger:
                    used = target.observe(unit, item) or used
                else:
                    used = target.observe(uid, item) or used
        if used:
            matched += 1
        else:
            unmatched += 1
    return read, matched, unmatched, rejections, unknown_units
