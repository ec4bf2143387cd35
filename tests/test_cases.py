"""Rule test cases (zwgk_rules/cases.py) and `zwgk-rules rules test`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import HEADER, UNITS

from zwgk_rules.cases import load_case_file, required_statuses, run_case_file, run_case_files
from zwgk_rules.cli import main
from zwgk_rules.errors import UserInputError
from zwgk_rules.findings import Status

ROOT = Path(__file__).resolve().parent.parent

RULES = HEADER + """\
  - id: fiscal
    title: 按月公开财政收支情况
    cite: {clause: 一, quote: 按月公开全区财政收支情况}
    applies_to: {roles: [财政局]}
    kind: periodic
    every: month
    due: {working_days_after_period: 20}
    match: {type: publication, category: 财政收支}
  - id: enrolment
    title: 每年7月底前公开招生范围
    cite: {clause: 三, quote: 在每年7月底前公开招生范围}
    applies_to: {roles: [教育局]}
    kind: deadline
    each_year_by: "07-31"
    match: {type: publication, category: 招生信息}
"""

CASES = """\
units: units.yaml
cases:
  # 清明 (2017-04-02..04) and 劳动节 (04-29..05-01) are holidays; Saturday 04-01 and 05-27
  # (调休) are working days.
  - name: March on the 20th working day is met, April on the 21st late, May missing
    rule: fiscal
    as_of: 2017-12-31
    events:
      - {unit: 区财政局, type: publication, category: 财政收支, title: 2017年3月份财政收支, published_at: 2017-05-02}
      - {unit: fin, type: publication, category: 财政收支, title: 2017年4月份财政收支, published_at: 2017-05-31}
    expect:
      - {unit: fin, period: 2017-03, status: met, due: 2017-05-02, evidence: e1}
      - {unit: fin, period: 2017-04, status: late, late_by: 1}
      - {unit: fin, period: 2017-05, status: missing}
"""


def make(tmp_path: Path, cases: str = CASES, rules: str = RULES) -> Path:
    (tmp_path / "plan.yaml").write_text(rules, encoding="utf-8")
    (tmp_path / "units.yaml").write_text(UNITS, encoding="utf-8")
    path = tmp_path / "plan.cases.yaml"
    path.write_text(textwrap.dedent(cases), encoding="utf-8")
    return path


def test_passing_cases_and_a_rule_no_case_shows(tmp_path):
    result = run_case_file(load_case_file(make(tmp_path)))
    by_rule = {r.rule_id: r for r in result.rules}
    assert by_rule["fiscal"].passed
    assert [s.value for s in by_rule["fiscal"].statuses] == ["met", "late", "missing"]
    # Every rule of the ruleset needs a case showing it met and one showing it violated.
    assert by_rule["enrolment"].untested == "no case shows it met, late, missing"
    assert not result.passed


def test_a_failing_case_says_what_it_got(tmp_path):
    cases = CASES.replace("period: 2017-04, status: late, late_by: 1", "period: 2017-04, status: met")
    cases = cases.replace("period: 2017-05, status: missing", "period: 2017-13, status: missing")
    result = run_case_file(load_case_file(make(tmp_path, cases)))
    (fiscal,) = [r for r in result.rules if r.rule_id == "fiscal"]
    (run,) = fiscal.results
    assert run.failures[0] == "fin 2017-04: expected met, got late (evidence e2 at 2017-05-31; due 2017-05-27)"
    assert run.failures[1].startswith("fin 2017-13: no such obligation (the unit's: 2017-01, 2017-02,")


ENROLMENT_LATE = """\
  - name: 1 August is late
    rule: enrolment
    as_of: 2017-12-31
    events:
      - {unit: edu, type: publication, category: 招生信息, published_at: 2017-08-01}
    expect:
      - {unit: edu, period: "2017", status: late, late_by: 1}
"""


def test_others_and_none(tmp_path):
    cases = CASES + """\
  - name: July by the 31st is met; every other unit and year is missing or not bound
    rule: enrolment
    as_of: 2018-12-31
    window: 2017-01-01..2018-12-31
    events:
      - {unit: edu, type: publication, category: 招生信息, published_at: 2017-07-31}
    expect:
      - {unit: edu, period: "2017", status: met}
      - {unit: fin, period: "2017", status: none}
    others: missing
"""
    result = run_case_file(load_case_file(make(tmp_path, cases + ENROLMENT_LATE)))
    assert result.passed, [(r.rule_id, [x.failures for x in r.results], r.untested) for r in result.rules]
    (enrolment,) = [r for r in result.rules if r.rule_id == "enrolment"]
    assert enrolment.results[0].shown == {Status.MET, Status.MISSING}


def test_others_shows_nothing_when_no_other_obligation_exists(tmp_path):
    cases = CASES + """\
  - name: July by the 31st is met; nothing else is bound in 2017
    rule: enrolment
    as_of: 2017-12-31
    events:
      - {unit: edu, type: publication, category: 招生信息, published_at: 2017-07-31}
    expect:
      - {unit: edu, period: "2017", status: met}
    others: missing
"""
    result = run_case_file(load_case_file(make(tmp_path, cases + ENROLMENT_LATE)))
    (enrolment,) = [r for r in result.rules if r.rule_id == "enrolment"]
    # `others: missing` asserted of no obligation shows nothing missing.
    assert enrolment.untested == "no case shows it missing"
    assert not result.passed


def test_a_case_for_a_rule_the_file_does_not_have_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path, CASES.replace("rule: fiscal", "rule: fiscl"))
    with pytest.raises(UserInputError) as info:
        load_case_file("plan.cases.yaml")
    assert info.value.render() == "plan.cases.yaml:6:11: cases[0].rule: no rule 'fiscl' among the rules this file tests"


def test_an_invalid_event_in_a_case_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path, CASES.replace("published_at: 2017-05-02}", "published_at: 2017-04-31}"))
    with pytest.raises(UserInputError) as info:
        load_case_file("plan.cases.yaml")
    assert info.value.render() == (
        "plan.cases.yaml:9:9: cases[0].events[0]: not a valid event: "
        "published_at: '2017-04-31' is not an ISO date or date-time"
    )


def test_a_malformed_cases_file_names_the_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path, CASES.replace("status: missing", "status: absent"))
    with pytest.raises(UserInputError) as info:
        load_case_file("plan.cases.yaml")
    assert info.value.render() == (
        "plan.cases.yaml:14:46: cases[0].expect[2].status: 'absent' is not one of "
        "met, late, missing, partial, pending, unknown, not_applicable"
    )


def test_the_command_reports_per_rule_and_exits_1_on_failure(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    code = main(["rules", "test", "plan.yaml"])  # a rule file: its cases file next to it
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "plan.cases.yaml: 2 rules, 1 case",
        "  UNTESTED  enrolment  no case shows it met, late, missing",
        "  ok        fiscal  1 case (met, late, missing)",
        "2 rules, 1 case: 1 passed, 0 failed; 1 untested",
    ]


def test_the_command_exits_2_on_bad_input(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["rules", "test", "nowhere"])
    out, err = capsys.readouterr()
    assert (code, out, err) == (2, "", "zwgk-rules: error: nowhere: no such file or directory\n")


def test_every_ruleset_in_the_repository_passes_its_cases(capsys, monkeypatch):
    # CI runs every rule's cases through this test.
    monkeypatch.chdir(ROOT)
    results = run_case_files(["rulesets"])
    problems = [
        (f.path, r.rule_id, r.untested, [x.failures for x in r.results if x.failures])
        for f in results
        for r in f.rules
        if not r.passed
    ]
    assert problems == []
    assert main(["rules", "test", "--quiet", "rulesets"]) == 0


def test_what_each_rule_must_be_shown_to_come_to():
    from zwgk_rules.rules.loader import load_rules

    rules = {r.id: r for r in load_rules([ROOT / "rulesets" / "taian-2017.yaml"]).rules}

    def need(rule_id: str) -> list[str]:
        return [s.value for s in required_statuses(rules[rule_id])]

    assert need("ta2017.env-policy.timely") == ["met", "late", "missing"]
    # 年内至少听取一次 counts by date: a hearing after the year is the next year's, never late.
    assert need("ta2017.report-heard.yearly") == ["met", "missing"]
    # An answer is its own evidence: without the 救济 items partial, never missing.
    assert need("ta2017.application.remedy-info") == ["met", "late"]
