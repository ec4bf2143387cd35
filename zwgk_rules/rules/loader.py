"""Load rule files: YAML text -> located plain data -> schema check -> typed Rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from zwgk_rules.errors import InputErrors, Location, UserInputError
from zwgk_rules.periods import PeriodKind
from zwgk_rules.rules.model import (
    Applicability,
    Citation,
    Due,
    DueUnit,
    Kind,
    Requirements,
    Rule,
    RuleSet,
    RulesetMeta,
    Selector,
    Severity,
    Window,
)
from zwgk_rules.schema import schema_errors
from zwgk_rules.yamlio import LocatedDocument, load_located


class RuleLoadError(InputErrors):
    """Problems found in rule files, every one of them, one per line."""


def base_event_types() -> frozenset[str]:
    text = resources.files("zwgk_rules").joinpath("data", "vocabulary.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return frozenset(data["event_types"])


# Files next to rules that hold rule test cases, not rules (see docs/rule-language.md).
CASE_SUFFIXES = (".cases.yaml", ".cases.yml")


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and directories (recursively, *.yaml and *.yml) in a stable order."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.suffix in (".yaml", ".yml") and not f.name.endswith(CASE_SUFFIXES)
            )
            if not found:
                raise UserInputError("no rule files (*.yaml) in this directory", Location(str(p)))
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise UserInputError("no such file or directory", Location(str(p)))
    return out


def _strs(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    assert isinstance(value, list)
    return tuple(str(v) for v in value)


def _month_day(text: str) -> tuple[int, int]:
    m, d = text.split("-")
    return int(m), int(d)


class _RuleBuilder:
    """Turns one schema-valid rule mapping into a Rule, raising located semantic errors."""

    def __init__(self, doc: LocatedDocument, index: int, meta: RulesetMeta, vocab: frozenset[str]) -> None:
        self.doc = doc
        self.index = index
        self.meta = meta
        self.vocab = vocab

    def fail(self, message: str, *path: str | int, hint: str | None = None, at_key: bool = False) -> UserInputError:
        return UserInputError(message, self.doc.locate(("rules", self.index, *path), at_key=at_key), hint=hint)

    def selector(self, raw: Mapping[str, Any], *path: str | int) -> Selector:
        types = _strs(raw.get("type"))
        for t in types:
            if t not in self.vocab:
                raise self.fail(
                    f"event type {t!r} is not declared",
                    *path,
                    "type",
                    hint="declare it under vocabulary.event_types or fix the spelling",
                )
        pattern = raw.get("title_pattern")
        return Selector(
            types=frozenset(types),
            categories=frozenset(_strs(raw.get("category"))),
            title_any=_strs(raw.get("title_any")),
            title_all=_strs(raw.get("title_all")),
            title_pattern=re.compile(pattern) if pattern else None,
            channels_any=frozenset(_strs(raw.get("channel_any"))),
        )

    def due(self, raw: Mapping[str, int], kind: Kind) -> Due:
        (key, amount), = raw.items()
        period_keys = {
            "days_after_period": ("period_end", DueUnit.DAYS),
            "working_days_after_period": ("period_end", DueUnit.WORKING_DAYS),
            "day_of_next_month": ("next_month_day", DueUnit.DAYS),
            "months_after_period": ("months_after", DueUnit.DAYS),
        }
        trigger_keys = {
            "hours": ("trigger", DueUnit.HOURS),
            "days": ("trigger", DueUnit.DAYS),
            "working_days": ("trigger", DueUnit.WORKING_DAYS),
        }
        table = trigger_keys if kind is Kind.TRIGGERED else period_keys
        if key not in table:
            raise self.fail(
                f"{key!r} does not fit a {kind.value} rule; use one of " + ", ".join(table), "due", key, at_key=True
            )
        anchor, unit = table[key]
        return Due(anchor=anchor, amount=int(amount), unit=unit)

    def build(self, raw: Mapping[str, Any]) -> Rule:
        kind = Kind(raw["kind"])
        cite = raw["cite"]
        applies = raw["applies_to"]
        if not applies.get("all") and not (applies.get("roles") or applies.get("units") or applies.get("levels")):
            raise self.fail("binds no unit: give all: true, roles, units or levels", "applies_to")
        eff = raw.get("effective", {})
        eff_from = date.fromisoformat(eff["from"]) if "from" in eff else None
        eff_until = date.fromisoformat(eff["until"]) if "until" in eff else None
        if eff_from and eff_until and eff_from > eff_until:
            raise self.fail("effective.from is after effective.until", "effective")

        allowed = {
            Kind.PERIODIC: {"every", "cycle", "due", "accept_cumulative", "unlabelled"},
            Kind.COUNT: {"every", "cycle", "at_least", "unlabelled"},
            Kind.DEADLINE: {"by", "each_year_by"},
            Kind.TRIGGERED: {"trigger", "due", "responsible", "link"},
            Kind.PRECEDENCE: {"subject", "link"},
        }[kind]
        kind_fields = {"every", "cycle", "due", "accept_cumulative", "unlabelled", "by", "each_year_by",
                       "at_least", "trigger", "responsible", "link", "subject"}
        for key in sorted(kind_fields & set(raw)):
            if key not in allowed:
                raise self.fail(f"{key!r} has no meaning in a {kind.value} rule", key, at_key=True)

        every: tuple[PeriodKind, ...] = tuple(PeriodKind(e) for e in _strs(raw.get("every")))
        cycle = raw.get("cycle")
        windows: tuple[Window, ...] = ()
        if PeriodKind.CYCLE in every:
            if len(every) > 1:
                raise self.fail("'cycle' cannot be an alternative", "every")
            if not cycle:
                raise self.fail("every: cycle needs a 'cycle' with days and windows", "every")
            windows = tuple(
                Window(start=_month_day(w["from"]), end=_month_day(w["to"])) for w in cycle["windows"]
            )
            for i, w in enumerate(windows):
                try:
                    date(2000, *w.start), date(2000, *w.end)
                except ValueError:
                    raise self.fail("not a day of the year", "cycle", "windows", i) from None
        elif cycle:
            raise self.fail("'cycle' needs every: cycle", "cycle")

        by: date | None = None
        each_year_by = None
        if kind is Kind.DEADLINE:
            if ("by" in raw) == ("each_year_by" in raw):
                raise self.fail("a deadline rule needs exactly one of 'by' and 'each_year_by'", "kind")
            if raw.get("by") == "year_end":
                # "年内" in the plans: by 31 December of the plan year.
                by = date(self.meta.plan_year, 12, 31)
            elif "by" in raw:
                by = date.fromisoformat(raw["by"])
            if "each_year_by" in raw:
                each_year_by = _month_day(raw["each_year_by"])
                try:
                    date(2001, *each_year_by)
                except ValueError:
                    raise self.fail(f"{raw['each_year_by']!r} is not a day of the year", "each_year_by") from None

        trigger: Selector | None = None
        trigger_date: date | None = None
        if kind is Kind.TRIGGERED:
            t = raw["trigger"]
            if ("date" in t) == ("type" in t):
                raise self.fail("a trigger needs exactly one of 'date' and 'type'", "trigger")
            if "date" in t:
                if len(t) > 1:
                    raise self.fail("a date trigger takes no other conditions", "trigger")
                trigger_date = date.fromisoformat(t["date"])
            else:
                trigger = self.selector(t, "trigger")
            if trigger_date is not None and raw.get("responsible", "all_bound") != "all_bound":
                raise self.fail("a date trigger binds every unit the rule applies to: responsible must be all_bound", "responsible")
        if kind is Kind.PRECEDENCE:
            trigger = self.selector(raw["subject"], "subject")

        req = raw.get("require", {})
        value = req.get("value", {})
        require = Requirements(
            content=_strs(req.get("content")),
            channels=_strs(req.get("channels")),
            value_min=float(value["min"]) if "min" in value else None,
            value_max=float(value["max"]) if "max" in value else None,
        )
        if kind is Kind.COUNT and require.items:
            raise self.fail("a count rule counts events; content and channels belong to other kinds", "require")

        node = self.doc.locate(("rules", self.index))
        return Rule(
            id=raw["id"],
            title=raw["title"],
            description=raw.get("description", ""),
            ruleset=self.meta.id,
            cite=Citation(
                document=cite.get("document", self.meta.title),
                doc_number=cite.get("doc_number", self.meta.doc_number),
                clause=cite["clause"],
                quote=cite["quote"],
            ),
            kind=kind,
            applies=Applicability(
                all_units=bool(applies.get("all", False)),
                roles=frozenset(_strs(applies.get("roles"))),
                units=frozenset(_strs(applies.get("units"))),
                levels=frozenset(_strs(applies.get("levels"))),
                include_subordinates=applies.get("scope", "own") == "with_subordinates",
            ),
            severity=Severity(raw.get("severity", "medium")),
            tags=_strs(raw.get("tags")),
            weight=float(raw.get("weight", 1.0)),
            effective_from=eff_from,
            effective_until=eff_until,
            match=self.selector(raw["match"], "match"),
            require=require,
            every=every,
            cycle_days=int(cycle["days"]) if cycle else 0,
            windows=windows,
            accept_cumulative=bool(raw.get("accept_cumulative", False)),
            unlabelled=raw.get(
                "unlabelled",
                "current" if set(every) & {PeriodKind.WEEK, PeriodKind.CYCLE} or kind is Kind.COUNT else "previous",
            ),
            due=self.due(raw["due"], kind) if "due" in raw else None,
            by=by,
            each_year_by=each_year_by,
            at_least=int(raw.get("at_least", 1)),
            trigger=trigger,
            trigger_date=trigger_date,
            responsible=raw.get("responsible", "all_bound" if trigger_date else "trigger_unit"),
            link=raw.get("link", "related" if kind is Kind.PRECEDENCE else "unit"),
            file=self.doc.file,
            line=node.line or 0,
        )


def _meta(doc: LocatedDocument) -> RulesetMeta:
    assert isinstance(doc.data, dict)
    m = doc.data["ruleset"]
    return RulesetMeta(
        id=m["id"],
        title=m["title"],
        issuer=m["issuer"],
        doc_number=m.get("doc_number", ""),
        issued=date.fromisoformat(m["issued"]) if "issued" in m else None,
        jurisdiction=m["jurisdiction"],
        plan_year=int(m["plan_year"]),
        file=doc.file,
    )


def load_rules(paths: Iterable[str | Path], *, extra_event_types: Iterable[str] = ()) -> RuleSet:
    """Load and check rule files (or directories of them).

    Every problem in every file is collected before raising, so one run shows them all.

    Raises:
        RuleLoadError: with one located message per problem: bad YAML, a schema violation
            (one per rule), an undeclared event type, a duplicate rule id, ...
    """
    files = rule_files(paths)
    errors: list[UserInputError] = []
    docs: list[LocatedDocument] = []
    for f in files:
        try:
            doc = load_located(f)
        except UserInputError as exc:
            errors.append(exc)
            continue
        if not isinstance(doc.data, dict):
            errors.append(UserInputError("a rule file is a mapping with 'ruleset' and 'rules'", Location(str(f), 1, 1)))
            continue
        file_errors = list(schema_errors(doc, "rule.schema.json"))
        if file_errors:
            errors.extend(file_errors)
            continue
        docs.append(doc)

    vocab = set(base_event_types()) | set(extra_event_types)
    categories: set[str] = set()
    for doc in docs:
        assert isinstance(doc.data, dict)
        v = doc.data.get("vocabulary", {})
        vocab.update(v.get("event_types", []))
        categories.update(v.get("categories", []))

    rules: list[Rule] = []
    metas: list[RulesetMeta] = []
    seen_rules: dict[str, Rule] = {}
    seen_sets: dict[str, RulesetMeta] = {}
    for doc in docs:
        assert isinstance(doc.data, dict)
        meta = _meta(doc)
        if meta.id in seen_sets:
            errors.append(
                UserInputError(
                    f"duplicate ruleset id {meta.id!r} (also in {seen_sets[meta.id].file})",
                    doc.locate(("ruleset", "id")),
                )
            )
            continue
        seen_sets[meta.id] = meta
        metas.append(meta)
        for i, raw in enumerate(doc.data["rules"]):
            builder = _RuleBuilder(doc, i, meta, frozenset(vocab))
            try:
                rule = builder.build(raw)
            except UserInputError as exc:
                errors.append(exc)
                continue
            if rule.id in seen_rules:
                first = seen_rules[rule.id]
                errors.append(builder.fail(f"duplicate rule id {rule.id!r} (first defined at {first.file}:{first.line})", "id"))
                continue
            seen_rules[rule.id] = rule
            rules.append(rule)
    if errors:
        raise RuleLoadError(errors)
    return RuleSet(
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        rulesets=tuple(sorted(metas, key=lambda m: m.id)),
        event_types=frozenset(vocab),
        categories=frozenset(categories),
        jurisdiction_of={m.id: m.jurisdiction for m in metas},
    )
