"""Rule test cases: events and the finding each obligation must get, kept next to the rules.

A ruleset file ``rulesets/zhoucun-2017.yaml`` has its cases in ``zhoucun-2017.cases.yaml``
(schema ``schemas/cases.schema.json``), in the spirit of ``semgrep --test`` and sqlfluff's
YAML rule cases. Each case runs one rule over a few events as of a date and states the
status (and optionally due date, lateness and evidence) of the obligations it is about.
:func:`run_case_files` runs them and says, per rule, what passed, what failed and what no
case shows yet: every rule a ruleset writes, and every inherited rule it overrides, needs
cases in which it is met, late and missing (see :func:`required_statuses`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from zwgk_rules.engine.check import check, default_window
from zwgk_rules.errors import InputErrors, Location, UserInputError
from zwgk_rules.events.fields import event_from_row
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.findings import Finding, Status
from zwgk_rules.rules.loader import CASE_SUFFIXES, load_rules
from zwgk_rules.rules.model import Kind, Rule, RuleSet
from zwgk_rules.schema import schema_errors
from zwgk_rules.units import UnitRegistry, load_units
from zwgk_rules.yamlio import LocatedDocument, load_located


@dataclass(frozen=True, slots=True, kw_only=True)
class Expectation:
    """What one obligation must come to."""

    unit: str
    period: str
    #: None: the case says there is no such obligation (a conditional duty never arose).
    status: Status | None
    due: str | None = None
    late_by: int | None = None
    evidence: str | None = None
    missing_items: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    name: str
    rule: str
    as_of: date
    window: tuple[date, date] | None
    covers: tuple[date, date] | None
    events: tuple[Event | Rejection, ...]
    expect: tuple[Expectation, ...]
    others: Status | None
    location: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseFile:
    """A cases file, loaded: the rules and units it runs with, and its cases."""

    path: str
    rules: RuleSet
    units: UnitRegistry
    cases: tuple[Case, ...]
    #: Ids of the rules the file must cover: those its rulesets write, and inherited
    #: rules they override.
    covered: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseResult:
    case: Case
    failures: tuple[str, ...]
    #: The statuses the case asserted of some obligation (``others`` counts when it applied).
    shown: frozenset[Status] = frozenset()

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleResult:
    """Every case of one rule, and what the cases leave unshown."""

    rule_id: str
    results: tuple[CaseResult, ...]
    untested: str = ""

    @property
    def passed(self) -> bool:
        return not self.untested and all(r.passed for r in self.results)

    @property
    def statuses(self) -> tuple[Status, ...]:
        shown = frozenset().union(*(r.shown for r in self.results))
        return tuple(s for s in Status if s in shown)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileResult:
    path: str
    rules: tuple[RuleResult, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.rules)


def case_files(paths: Iterable[str | Path]) -> list[Path]:
    """The cases files ``paths`` name: cases files as given, the cases file next to a rule
    file, every cases file under a directory (sorted).

    Raises:
        UserInputError: a path does not exist, a rule file has no cases file next to it,
            or a directory holds no cases file.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.name.endswith(CASE_SUFFIXES))
            if not found:
                raise UserInputError("no rule test cases (*.cases.yaml) in this directory", Location(str(p)))
            out.extend(found)
        elif p.name.endswith(CASE_SUFFIXES):
            if not p.exists():
                raise UserInputError("no such file", Location(str(p)))
            out.append(p)
        elif p.exists():
            sibling = p.with_name(p.name.removesuffix(p.suffix) + ".cases.yaml")
            if not sibling.exists():
                raise UserInputError(f"no test cases for this rule file: expected {sibling.name} next to it", Location(str(p)))
            out.append(sibling)
        else:
            raise UserInputError("no such file or directory", Location(str(p)))
    return out


def _span(text: str) -> tuple[date, date]:
    a, _, b = text.partition("..")
    return date.fromisoformat(a), date.fromisoformat(b)


def load_case_file(path: str | Path) -> CaseFile:
    """Load a cases file with the rules and units it names.

    Raises:
        UserInputError: the file, its rules or its units are malformed (located), a case
            names a rule the file's rulesets do not have, or an event row is not valid.
    """
    path = Path(path)
    doc = load_located(path)
    if not isinstance(doc.data, dict):
        raise UserInputError("a cases file is a mapping with 'units' and 'cases'", Location(str(path), 1, 1))
    problems = list(schema_errors(doc, "cases.schema.json"))
    if problems:
        raise InputErrors(problems)
    data: dict[str, Any] = doc.data
    here = path.parent
    raw_rules = data.get("rules", path.name.removesuffix(".cases.yaml").removesuffix(".cases.yml") + ".yaml")
    rule_paths = [here / r for r in ([raw_rules] if isinstance(raw_rules, str) else raw_rules)]
    for i, rp in enumerate(rule_paths):
        if not rp.exists():
            at = ("rules",) if isinstance(raw_rules, str) else ("rules", i)
            raise UserInputError(f"no rule file {rp}", doc.locate(at))
    rules = load_rules(rule_paths)
    units_path = here / data["units"]
    if not units_path.exists():
        raise UserInputError(f"no units file {units_path}", doc.locate(("units",)))
    units = load_units(units_path)
    by_id = {r.id: r for r in rules.rules}
    cases = tuple(_case(doc, i, raw, by_id) for i, raw in enumerate(data["cases"]))
    own = {m.id for m in rules.rulesets if m.file in {str(p) for p in rule_paths}}
    covered = tuple(r.id for r in rules.rules if r.ruleset in own and (r.origin == r.ruleset or r.overridden))
    return CaseFile(path=str(path), rules=rules, units=units, cases=cases, covered=covered)


def _case(doc: LocatedDocument, index: int, raw: Mapping[str, Any], rules: Mapping[str, Rule]) -> Case:
    where = ("cases", index)
    if raw["rule"] not in rules:
        raise UserInputError(
            f"no rule {raw['rule']!r} among the rules this file tests", doc.locate((*where, "rule"))
        )
    events: list[Event | Rejection] = []
    for j, row in enumerate(raw.get("events", ())):
        at = doc.locate((*where, "events", j))
        item = event_from_row({"id": f"e{j + 1}", **row}, source=doc.file, row=at.line or 0)
        if isinstance(item, Rejection):
            raise UserInputError(f"not a valid event: {item.reason}", at)
        events.append(item)
    expect = tuple(
        Expectation(
            unit=e["unit"],
            period=str(e["period"]),
            status=None if e["status"] == "none" else Status(e["status"]),
            due=e.get("due"),
            late_by=e.get("late_by"),
            evidence=e.get("evidence"),
            missing_items=tuple(e["missing_items"]) if "missing_items" in e else None,
        )
        for e in raw["expect"]
    )
    return Case(
        name=raw["name"],
        rule=raw["rule"],
        as_of=date.fromisoformat(raw["as_of"]),
        window=_span(raw["window"]) if "window" in raw else None,
        covers=_span(raw["covers"]) if "covers" in raw else None,
        events=tuple(events),
        expect=expect,
        others=Status(raw["others"]) if "others" in raw else None,
        location=doc.locate(where),
    )


def run_case(cases: CaseFile, case: Case) -> CaseResult:
    """Run one case: its rule alone, over its events; compare what the case expects."""
    rule = next(r for r in cases.rules.rules if r.id == case.rule)
    only = dataclasses.replace(cases.rules, rules=(rule,))
    # A case's events are the whole log up to its as-of day, unless it says otherwise.
    window = case.window or default_window(only)
    covers = case.covers or (window[0], max(case.as_of, window[0]))
    report = check(only, cases.units, case.events, as_of=case.as_of, window=window, covers=covers)
    findings = {(f.unit_id, f.period): f for f in report.findings}
    failures: list[str] = []
    expected = set()
    for e in case.expect:
        expected.add((e.unit, e.period))
        f = findings.get((e.unit, e.period))
        if e.status is None:
            if f is not None:
                failures.append(f"{e.unit} {e.period}: expected no obligation, got {_got(f)}")
            continue
        if f is None:
            known = sorted(p for u, p in findings if u == e.unit)
            failures.append(
                f"{e.unit} {e.period}: no such obligation"
                + (f" (the unit's: {', '.join(known)})" if known else f" ({e.unit} is not bound by the rule)")
            )
            continue
        failures.extend(f"{e.unit} {e.period}: {m}" for m in _compare(e, f))
    shown = {e.status for e in case.expect if e.status is not None}
    if case.others is not None:
        others = [(key, f) for key, f in sorted(findings.items()) if key not in expected]
        for key, f in others:
            if f.status is not case.others:
                failures.append(f"{key[0]} {key[1]}: expected {case.others.value} (others), got {_got(f)}")
        if others:
            shown.add(case.others)
    return CaseResult(case=case, failures=tuple(failures), shown=frozenset(shown))


def _got(f: Finding) -> str:
    text = f.status.value
    if f.evidence is not None:
        text += f" (evidence {f.evidence.event_id} at {f.evidence.when}; due {f.due_text})"
    elif f.detail:
        text += f" ({f.detail}; due {f.due_text})"
    return text


def _compare(e: Expectation, f: Finding) -> Iterable[str]:
    assert e.status is not None
    if f.status is not e.status:
        yield f"expected {e.status.value}, got {_got(f)}"
        return
    if e.due is not None and f.due_text != e.due:
        yield f"expected due {e.due}, got {f.due_text}"
    if e.late_by is not None and f.late_by != e.late_by:
        yield f"expected late by {e.late_by} {f.late_unit}, got {f.late_by}"
    if e.evidence is not None and (f.evidence is None or f.evidence.event_id != e.evidence):
        yield f"expected evidence {e.evidence}, got {f.evidence.event_id if f.evidence else 'none'}"
    if e.missing_items is not None and tuple(f.missing_items) != e.missing_items:
        yield f"expected missing {list(e.missing_items)}, got {list(f.missing_items)}"


def run_case_file(cases: CaseFile) -> FileResult:
    """Every case of a file, by rule, with the rules its cases do not yet show met and violated."""
    by_rule: dict[str, list[CaseResult]] = {}
    for case in cases.cases:
        by_rule.setdefault(case.rule, []).append(run_case(cases, case))
    rules = {r.id: r for r in cases.rules.rules}
    results: list[RuleResult] = []
    for rule_id in sorted(set(cases.covered) | set(by_rule)):
        runs = tuple(by_rule.get(rule_id, ()))
        shown = frozenset().union(*(r.shown for r in runs))
        unshown = [s.value for s in required_statuses(rules[rule_id]) if s not in shown]
        untested = ("no case shows it " + ", ".join(unshown)) if unshown and rule_id in cases.covered else ""
        results.append(RuleResult(rule_id=rule_id, results=runs, untested=untested))
    return FileResult(path=cases.path, rules=tuple(results))


def required_statuses(rule: Rule) -> tuple[Status, ...]:
    """What a rule's cases must show: met, late and missing — every rule can come to each —
    except a conditional duty, which exists only once the act happened and so is never
    missing, and a count by date (`period_from: date`), where an event after the period
    counts for the next one and so is never late: the earlier period is partial or missing.
    A duty whose trigger is its own evidence (an answer that must carry the 救济 items) is
    likewise never missing: without the items it is partial."""
    if rule.conditional or (rule.kind is Kind.TRIGGERED and rule.trigger == rule.match):
        return (Status.MET, Status.LATE)
    if rule.kind is Kind.COUNT and rule.period_from == "date":
        return (Status.MET, Status.MISSING)
    return (Status.MET, Status.LATE, Status.MISSING)


def run_case_files(paths: Sequence[str | Path]) -> list[FileResult]:
    """Load and run the cases files ``paths`` name (see :func:`case_files`)."""
    return [run_case_file(load_case_file(p)) for p in case_files(paths)]
