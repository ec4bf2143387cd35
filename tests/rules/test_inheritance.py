"""Rulesets that extend others: inherited rules, overrides, parameters, located errors."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from helpers import UNITS

from zwgk_rules.engine.check import check, default_window
from zwgk_rules.errors import UserInputError
from zwgk_rules.events.fields import event_from_row
from zwgk_rules.reporters.json import report_to_dict
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.units import load_units

BASE = """\
ruleset: {id: base, title: 条例, issuer: 国务院, jurisdiction: "*", plan_year: 2019}
parameters:
  timely:
    due: {working_days: 20}
    meaning: 及时
    basis: 条例第二十六条
rules:
  - id: base.reply
    title: 20个工作日内答复
    cite: {clause: 第三十三条, quote: 20个工作日内予以答复}
    applies_to: {all: true, scope: with_subordinates}
    kind: triggered
    trigger: {type: application_received}
    due: {working_days: 20}
    link: related
    match: {type: application_answered}
  - id: base.active
    title: 及时公开
    cite: {clause: 第二十六条, quote: 及时公开}
    applies_to: {all: true, scope: with_subordinates}
    kind: triggered
    trigger: {type: policy_issued}
    due: {param: timely}
    link: related
    match: {type: publication}
"""

LOCAL = """\
ruleset: {{id: local, title: 要点, issuer: 区政府办公室, jurisdiction: j, plan_year: 2019, extends: [base]}}
{extra}
rules:
  - id: local.fiscal
    title: 按月公开财政收支
    cite: {{clause: 一, quote: 按月公开}}
    applies_to: {{roles: [财政局]}}
    kind: periodic
    every: month
    due: {{param: timely}}
    match: {{type: publication, category: 财政收支}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def local(tmp_path: Path, extra: str = "") -> Path:
    write(tmp_path, "base.yaml", BASE)
    return write(tmp_path, "local.yaml", LOCAL.format(extra=extra))


def test_an_extending_ruleset_binds_its_units_with_the_base_rules(tmp_path):
    rules = load_rules([local(tmp_path)])  # base.yaml is found next to local.yaml
    ids = [r.id for r in rules.rules]
    # The base binds units only through the ruleset that extends it.
    assert ids == ["base.active@local", "base.reply@local", "local.fiscal"]
    reply = next(r for r in rules.rules if r.id == "base.reply@local")
    assert (reply.ruleset, reply.origin, reply.overridden) == ("local", "base", ())
    assert rules.plan_years() == (2019,)
    assert [m.id for m in rules.rulesets] == ["base", "local"]


def test_a_base_loaded_alone_binds_units_everywhere(tmp_path):
    rules = load_rules([write(tmp_path, "base.yaml", BASE)])
    assert [r.id for r in rules.rules] == ["base.active", "base.reply"]
    units = load_units(write(tmp_path, "u.yaml", UNITS))
    event = event_from_row(
        {"id": "a1", "unit": "k-fin", "type": "application_received", "occurred_at": "2019-06-03"},
        source="log", row=1,
    )
    report = check(rules, units, [event], as_of=date(2019, 12, 31))
    assert [(f.rule_id, f.unit_id, f.status.value) for f in report.findings] == [
        ("base.reply", "k-fin", "missing")
    ]


def test_parameters_come_from_the_nearest_ruleset_and_are_reported(tmp_path):
    extra = """
parameters:
  timely:
    due: {working_days: 15}
    meaning: 及时
    basis: 区政府要求15个工作日内公开
"""
    rules = load_rules([local(tmp_path, extra)])
    active = next(r for r in rules.rules if r.id == "base.active@local")
    fiscal = next(r for r in rules.rules if r.id == "local.fiscal")
    for rule in (active, fiscal):
        assert rule.due is not None and rule.due.amount == 15
        ((param,),) = [rule.parameters]
        assert (param.name, param.value, param.ruleset) == ("timely", "working_days: 15", "local")
    # Loaded without the override, the base's own value applies.
    base_only = load_rules([tmp_path / "base.yaml"])
    assert next(r for r in base_only.rules if r.id == "base.active").due.amount == 20


def test_an_override_changes_the_inherited_rule_and_says_so(tmp_path):
    extra = """
overrides:
  base.reply:
    due: {working_days: 10}
    reason: 本要点要求10个工作日内答复
"""
    rules = load_rules([local(tmp_path, extra)])
    reply = next(r for r in rules.rules if r.id == "base.reply@local")
    assert reply.due is not None and reply.due.amount == 10
    assert (reply.overridden, reply.override_reason) == (("due",), "本要点要求10个工作日内答复")
    units = load_units(write(tmp_path, "u.yaml", UNITS))
    events = [
        event_from_row({"id": "a1", "unit": "fin", "type": "application_received", "occurred_at": "2019-06-03"}, source="log", row=1),
        event_from_row({"id": "r1", "unit": "fin", "type": "application_answered", "related": "a1", "occurred_at": "2019-06-20"}, source="log", row=2),
    ]
    report = check(rules, units, events, as_of=date(2019, 12, 31), window=default_window(rules))
    (finding,) = [f for f in report.findings if f.rule_id == "base.reply@local"]
    assert (finding.status.value, finding.origin, finding.overrides, finding.ruleset) == ("late", "base", ("due",), "local")
    data = report_to_dict(report)
    assert {"id": "base.reply@local", "ruleset": "local", "origin": "base", "overrides": ["due"],
            "override_reason": "本要点要求10个工作日内答复", "parameters": []} in data["rules"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "overrides:\n  base.nothing:\n    due: {working_days: 10}\n    reason: x\n",
            "local.yaml:3:3: overrides.base.nothing: overrides rule 'base.nothing', which none of the rulesets it extends has",
        ),
        (
            "overrides:\n  base.reply:\n    every: month\n    reason: x\n",
            "local.yaml:4:5: overrides.base.reply.every: 'every' has no meaning in rule 'base.reply', a triggered rule",
        ),
    ],
)
def test_bad_overrides_are_located_in_the_file_that_makes_them(tmp_path, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "local.yaml", LOCAL.format(extra=extra))
    with pytest.raises(UserInputError) as info:
        load_rules(["local.yaml"])
    assert info.value.render() == message


def test_an_unknown_parameter_is_an_error_at_the_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = LOCAL.format(extra="").replace("extends: [base]", "extends: []").replace("{param: timely}", "{param: timly}")
    write(tmp_path, "local.yaml", text.replace(", extends: []", ""))
    with pytest.raises(UserInputError) as info:
        load_rules(["local.yaml"])
    assert info.value.render() == (
        "local.yaml:10:10: rules[0].due: parameter 'timly' is not defined in ruleset 'local' or the "
        "rulesets it extends (hint: defined: none)"
    )


def test_a_parameter_of_the_wrong_kind_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    extra = "parameters:\n  monthly:\n    every: month\n    meaning: 按月\n    basis: 要点\n"
    text = LOCAL.format(extra=extra).replace("{param: timely}", "{param: monthly}")
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "local.yaml", text)
    with pytest.raises(UserInputError, match="parameter 'monthly' holds no 'due' value"):
        load_rules(["local.yaml"])


def test_a_missing_base_is_an_error_at_extends(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "local.yaml", LOCAL.format(extra=""))
    with pytest.raises(UserInputError) as info:
        load_rules(["local.yaml"])
    assert info.value.render().startswith("local.yaml:1:93: ruleset.extends[0]: extends ruleset 'base', which is not loaded and is not in base.yaml")


def test_a_ruleset_may_not_extend_itself_through_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "base.yaml", BASE.replace('plan_year: 2019}', 'plan_year: 2019, extends: [local]}'))
    write(tmp_path, "local.yaml", LOCAL.format(extra=""))
    with pytest.raises(UserInputError, match="extends itself"):
        load_rules(["local.yaml"])


def test_the_national_rulesets_chain(tmp_path):
    root = Path(__file__).resolve().parents[2]
    rules = load_rules([root / "rulesets/national-2019.yaml"])
    origins = {r.origin for r in rules.rules}
    assert origins == {"national-2008", "national-2019"}
    assert rules.plan_years() == (2019,)
    reply = next(r for r in rules.rules if r.id == "national2019.application.reply-20wd")
    assert reply.extension is not None and reply.extension.by.amount == 20
    assert reply.pause is not None and reply.pause.max is not None and reply.pause.max.amount == 15


def test_a_base_binds_nothing_it_inherits_when_it_is_extended(tmp_path):
    # national-2019 extends national-2008; under a local plan, the 2007 rules bind the local
    # units once, not a second time through national-2019.
    root = Path(__file__).resolve().parents[2]
    for name in ("national-2008.yaml", "national-2019.yaml"):
        (tmp_path / name).write_text((root / "rulesets" / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = LOCAL.format(extra="").replace("extends: [base]", "extends: [national-2019]")
    rules = load_rules([write(tmp_path, "local.yaml", text)])
    ids = [r.id for r in rules.rules]
    assert "national2008.application.reply-15wd@local" in ids
    assert "national2019.application.reply-20wd@local" in ids
    assert not [i for i in ids if i.endswith("@national-2019")]
