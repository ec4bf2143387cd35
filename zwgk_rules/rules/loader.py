"""Load rule files: YAML text -> located plain data -> schema check -> typed Rules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
    Extension,
    Kind,
    Parameter,
    Pause,
    Requirements,
    Rule,
    RuleSet,
    RulesetMeta,
    Selector,
    Severity,
    Span,
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


def _span(raw: Mapping[str, int]) -> Span:
    ((key, amount),) = raw.items()
    return Span(amount=int(amount), unit=DueUnit.WORKING_DAYS if key == "working_days" else DueUnit.DAYS)


def _describe(value: object) -> str:
    """A parameter value as a report shows it: ``working_days: 20``, ``quarter``."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(
            f"{w['from']}..{w['to']}" if isinstance(w, Mapping) else str(w) for w in value
        )
    return str(value)


_AFTER_PERIOD = {"days": "days_after_period", "working_days": "working_days_after_period"}

# The fields each kind takes besides those every rule has; an override may change some.
KIND_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.PERIODIC: frozenset({"every", "cycle", "due", "accept_cumulative", "unlabelled"}),
    Kind.COUNT: frozenset({"every", "cycle", "at_least", "unlabelled", "period_from"}),
    Kind.DEADLINE: frozenset({"by", "each_year_by"}),
    Kind.TRIGGERED: frozenset({"trigger", "due", "responsible", "link", "extension", "pause", "conditional"}),
    Kind.PRECEDENCE: frozenset({"subject", "link"}),
}
ALL_KIND_FIELDS: frozenset[str] = frozenset().union(*KIND_FIELDS.values())


@dataclass(frozen=True, slots=True)
class _ParamDef:
    """A parameter as a ruleset file defines it."""

    raw: Mapping[str, Any]
    ruleset: str
    doc: LocatedDocument


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where a rule is instantiated: the ruleset whose units it binds, the parameters it
    sees (that ruleset's, then those of the rulesets it extends, nearest first), and the
    override that ruleset makes to it."""

    meta: RulesetMeta
    parameters: Mapping[str, _ParamDef]
    override: Mapping[str, Any] | None = None
    override_doc: LocatedDocument | None = None


class _RuleBuilder:
    """Turns one schema-valid rule mapping into a Rule, raising located semantic errors.

    ``meta`` is the ruleset the rule is written in; ``scope`` the one it is built for (the
    same, or a ruleset that extends it).
    """

    def __init__(
        self, doc: LocatedDocument, index: int, meta: RulesetMeta, vocab: frozenset[str], scope: _Scope | None = None
    ) -> None:
        self.doc = doc
        self.index = index
        self.meta = meta
        self.vocab = vocab
        self.scope = scope or _Scope(meta, {})
        self.used: dict[str, Parameter] = {}

    def param(self, ref: Mapping[str, Any], kind: str, *path: str | int) -> Any:
        """The value of a ``{param: NAME}`` reference, which must hold a ``kind`` value."""
        name = ref["param"]
        found = self.scope.parameters.get(name)
        if found is None:
            known = ", ".join(sorted(self.scope.parameters)) or "none"
            raise self.fail(
                f"parameter {name!r} is not defined in ruleset {self.scope.meta.id!r} or the rulesets it extends",
                *path,
                hint=f"defined: {known}",
            )
        if kind not in found.raw:
            raise self.fail(f"parameter {name!r} holds no {kind!r} value", *path)
        value = found.raw[kind]
        self.used[name] = Parameter(
            name=name,
            meaning=found.raw["meaning"],
            basis=found.raw["basis"],
            value=_describe(value),
            ruleset=found.ruleset,
        )
        return value

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

    def due(self, raw: Mapping[str, Any], kind: Kind) -> Due:
        if "param" in raw:
            raw = self.param(raw, "due", "due")
            if kind is not Kind.TRIGGERED:
                # A parameter says how long after the information exists (及时: 20 working
                # days, 条例第二十六条); a period's information exists when the period ends.
                raw = {_AFTER_PERIOD.get(k, k): v for k, v in raw.items()}
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

        allowed = KIND_FIELDS[kind]
        for key in sorted(ALL_KIND_FIELDS & set(raw)):
            if key not in allowed:
                raise self.fail(f"{key!r} has no meaning in a {kind.value} rule", key, at_key=True)

        raw_every = raw.get("every")
        if isinstance(raw_every, dict):
            raw_every = self.param(raw_every, "every", "every")
        every: tuple[PeriodKind, ...] = tuple(PeriodKind(e) for e in _strs(raw_every))
        cycle = raw.get("cycle")
        windows: tuple[Window, ...] = ()
        if PeriodKind.CYCLE in every:
            if len(every) > 1:
                raise self.fail("'cycle' cannot be an alternative", "every")
            if not cycle:
                raise self.fail("every: cycle needs a 'cycle' with days and windows", "every")
            raw_windows = cycle["windows"]
            if isinstance(raw_windows, dict):
                raw_windows = self.param(raw_windows, "windows", "cycle", "windows")
            windows = tuple(
                Window(start=_month_day(w["from"]), end=_month_day(w["to"])) for w in raw_windows
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
        due = self.due(raw["due"], kind) if "due" in raw else None
        extension: Extension | None = None
        pause: Pause | None = None
        if ("extension" in raw or "pause" in raw) and (trigger is None or due is None or due.unit is DueUnit.HOURS):
            raise self.fail("extension and pause need an event trigger and a due in days or working days", "kind")
        if "extension" in raw:
            e = raw["extension"]
            extension = Extension(match=self.selector(e["match"], "extension", "match"), by=_span(e["by"]))
        if "pause" in raw:
            p = raw["pause"]
            pause = Pause(
                start=self.selector(p["start"], "pause", "start"),
                end=self.selector(p["end"], "pause", "end"),
                max=_span(p["max"]) if "max" in p else None,
            )

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
        if kind is Kind.PRECEDENCE and "require" in raw:
            raise self.fail(
                "a precedence rule compares when two acts happened; it does not check content, channels or values",
                "require",
                at_key=True,
                hint="put a channel in match.channel_any, or write a triggered rule for the content",
            )

        node = self.doc.locate(("rules", self.index))
        scope = self.scope
        inherited = scope.meta.id != self.meta.id
        override = scope.override or {}
        return Rule(
            # An inherited rule is a rule of the extending ruleset too: one instance per
            # ruleset that binds units with it, each with an id of its own.
            id=f"{raw['id']}@{scope.meta.id}" if inherited else raw["id"],
            title=raw["title"],
            description=raw.get("description", ""),
            ruleset=scope.meta.id,
            origin=self.meta.id,
            overridden=tuple(sorted(k for k in override if k != "reason")),
            override_reason=override.get("reason", ""),
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
            period_from=raw.get("period_from", "label"),
            due=due,
            by=by,
            each_year_by=each_year_by,
            at_least=int(raw.get("at_least", 1)),
            trigger=trigger,
            trigger_date=trigger_date,
            responsible=raw.get("responsible", "all_bound" if trigger_date else "trigger_unit"),
            link=raw.get("link", "related" if kind is Kind.PRECEDENCE else "unit"),
            extension=extension,
            pause=pause,
            conditional=bool(raw.get("conditional", False)),
            file=self.doc.file,
            line=node.line or 0,
            parameters=tuple(self.used[name] for name in sorted(self.used)),
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
        extends=tuple(m.get("extends", ())),
    )


def _read(f: Path, errors: list[UserInputError]) -> LocatedDocument | None:
    """A rule file, schema-checked; its problems go to ``errors``."""
    try:
        doc = load_located(f)
    except UserInputError as exc:
        errors.append(exc)
        return None
    if not isinstance(doc.data, dict):
        errors.append(UserInputError("a rule file is a mapping with 'ruleset' and 'rules'", Location(str(f), 1, 1)))
        return None
    file_errors = list(schema_errors(doc, "rule.schema.json"))
    if file_errors:
        errors.extend(file_errors)
        return None
    return doc


def _bases(meta: RulesetMeta, metas: Mapping[str, RulesetMeta]) -> list[str]:
    """The rulesets ``meta`` extends, directly or not, nearest first (breadth first)."""
    out: list[str] = []
    queue = list(meta.extends)
    while queue:
        b = queue.pop(0)
        if b in out or b == meta.id or b not in metas:
            continue
        out.append(b)
        queue.extend(metas[b].extends)
    return out


def _extends_itself(meta: RulesetMeta, metas: Mapping[str, RulesetMeta]) -> bool:
    seen: set[str] = set()
    queue = list(meta.extends)
    while queue:
        b = queue.pop()
        if b == meta.id:
            return True
        if b in seen or b not in metas:
            continue
        seen.add(b)
        queue.extend(metas[b].extends)
    return False


def load_rules(paths: Iterable[str | Path], *, extra_event_types: Iterable[str] = ()) -> RuleSet:
    """Load and check rule files (or directories of them).

    A ruleset that ``extends`` another binds its units with the other's rules too (each an
    instance ``<rule id>@<ruleset id>``), under its own parameters and ``overrides``. A
    ruleset extended by a loaded ruleset binds units only through those that extend it. A
    base not among ``paths`` is looked for next to the file that extends it
    (``<dir>/<id>.yaml``). Every problem in every file is collected before raising, so one
    run shows them all.

    Raises:
        RuleLoadError: with one located message per problem: bad YAML, a schema violation
            (one per rule), an undeclared event type, a duplicate rule id, an unknown base
            or parameter, an override of a rule no base has, ...
    """
    files = rule_files(paths)
    errors: list[UserInputError] = []
    docs: list[LocatedDocument] = []
    for f in files:
        doc = _read(f, errors)
        if doc is not None:
            docs.append(doc)

    metas: dict[str, RulesetMeta] = {}
    doc_of: dict[str, LocatedDocument] = {}

    def register(doc: LocatedDocument) -> None:
        meta = _meta(doc)
        if meta.id in metas:
            errors.append(
                UserInputError(
                    f"duplicate ruleset id {meta.id!r} (also in {metas[meta.id].file})",
                    doc.locate(("ruleset", "id")),
                )
            )
            return
        metas[meta.id] = meta
        doc_of[meta.id] = doc

    for doc in docs:
        register(doc)
    # Bases not given: next to the file that names them.
    pending = list(metas.values())
    while pending:
        meta = pending.pop()
        for i, base in enumerate(meta.extends):
            if base in metas:
                continue
            sibling = Path(meta.file).parent / f"{base}.yaml"
            doc = _read(sibling, errors) if sibling.exists() else None
            if doc is None:
                if not sibling.exists():
                    errors.append(
                        UserInputError(
                            f"extends ruleset {base!r}, which is not loaded and is not in {sibling}",
                            doc_of[meta.id].locate(("ruleset", "extends", i)),
                        )
                    )
                continue
            register(doc)
            if base in metas:
                pending.append(metas[base])
                docs.append(doc)
            else:
                errors.append(
                    UserInputError(
                        f"{sibling} holds ruleset {_meta(doc).id!r}, not {base!r}",
                        doc_of[meta.id].locate(("ruleset", "extends", i)),
                    )
                )
    for meta in metas.values():
        if _extends_itself(meta, metas):
            errors.append(
                UserInputError(f"ruleset {meta.id!r} extends itself", doc_of[meta.id].locate(("ruleset", "extends")))
            )
    if errors:
        raise RuleLoadError(errors)

    vocab = set(base_event_types()) | set(extra_event_types)
    categories: set[str] = set()
    for doc in docs:
        assert isinstance(doc.data, dict)
        v = doc.data.get("vocabulary", {})
        vocab.update(v.get("event_types", []))
        categories.update(v.get("categories", []))
    frozen_vocab = frozenset(vocab)

    def parameters_for(meta: RulesetMeta) -> dict[str, _ParamDef]:
        # Nearest wins: the ruleset's own, then its bases in order.
        scope: dict[str, _ParamDef] = {}
        for rid in reversed([meta.id, *_bases(meta, metas)]):
            data = doc_of[rid].data
            assert isinstance(data, dict)
            for name, raw in data.get("parameters", {}).items():
                scope[name] = _ParamDef(raw, rid, doc_of[rid])
        return scope

    extended = {b for meta in metas.values() for b in meta.extends}
    rules: list[Rule] = []
    seen_rules: dict[str, Rule] = {}

    def add(rule: Rule, builder: _RuleBuilder) -> None:
        if rule.id in seen_rules:
            first = seen_rules[rule.id]
            errors.append(builder.fail(f"duplicate rule id {rule.id!r} (first defined at {first.file}:{first.line})", "id"))
            return
        seen_rules[rule.id] = rule
        rules.append(rule)

    for meta in metas.values():
        doc = doc_of[meta.id]
        assert isinstance(doc.data, dict)
        scope = _Scope(meta, parameters_for(meta))
        own_ids = {raw["id"] for raw in doc.data["rules"]}
        for i, raw in enumerate(doc.data["rules"]):
            builder = _RuleBuilder(doc, i, meta, frozen_vocab, scope)
            try:
                rule = builder.build(raw)
            except UserInputError as exc:
                errors.append(exc)
                continue
            if meta.id not in extended:
                add(rule, builder)
        # Inherited rules, rebuilt for this ruleset's units, parameters and overrides. A base
        # binds no units of its own, so it instantiates nothing it inherits either (national-2019
        # under a county plan must not bind with national-2008's rules a second time).
        overrides: dict[str, Any] = dict(doc.data.get("overrides", {}))
        for base in _bases(meta, metas) if meta.id not in extended else ():
            base_doc = doc_of[base]
            assert isinstance(base_doc.data, dict)
            for i, raw in enumerate(base_doc.data["rules"]):
                if raw["id"] in own_ids:
                    continue  # the ruleset writes its own rule of that id
                override = overrides.pop(raw["id"], None)
                builder = _RuleBuilder(
                    base_doc, i, metas[base], frozen_vocab,
                    _Scope(meta, scope.parameters, override, doc if override is not None else None),
                )
                try:
                    rule = builder.build(_overridden(raw, override, doc, errors))
                except UserInputError as exc:
                    errors.append(exc)
                    continue
                add(rule, builder)
        for rule_id in overrides:
            errors.append(
                UserInputError(
                    f"overrides rule {rule_id!r}, which none of the rulesets it extends has",
                    doc.locate(("overrides", rule_id), at_key=True),
                )
            )
    if errors:
        raise RuleLoadError(errors)
    return RuleSet(
        rules=tuple(sorted(rules, key=lambda r: r.id)),
        rulesets=tuple(sorted(metas.values(), key=lambda m: m.id)),
        event_types=frozen_vocab,
        categories=frozenset(categories),
        jurisdiction_of={m.id: m.jurisdiction for m in metas.values()},
    )


def _overridden(
    raw: Mapping[str, Any], override: Mapping[str, Any] | None, doc: LocatedDocument, errors: list[UserInputError]
) -> Mapping[str, Any]:
    """The rule mapping with an override's fields put in (each must fit the rule's kind)."""
    if override is None:
        return raw
    merged = dict(raw)
    kind = Kind(raw["kind"])
    for key, value in override.items():
        if key == "reason":
            continue
        if key in ALL_KIND_FIELDS and key not in KIND_FIELDS[kind]:
            raise UserInputError(
                f"{key!r} has no meaning in rule {raw['id']!r}, a {kind.value} rule",
                doc.locate(("overrides", raw["id"], key), at_key=True),
            )
        merged[key] = value
    return merged
