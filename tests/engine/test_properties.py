"""Engine properties that hold for any event log (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from helpers import ENROLMENT_RULE, FISCAL_RULE, HEADER, UNITS, events_from
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_rules.engine.check import check
from zwgk_rules.findings import VIOLATIONS
from zwgk_rules.reporters.json import finding_to_dict
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.units import load_units

RULES = "\n" + FISCAL_RULE + """\
  - id: water
    title: 每季度公开饮用水水质
    cite: {clause: 二, quote: 每季度向社会公开饮用水水源、供水厂出水、用户水龙头水质}
    applies_to: {all: true}
    kind: periodic
    every: quarter
    due: {days_after_period: 20}
    match: {type: publication, category: 饮用水水质}
    require: {content: [饮用水水源, 供水厂出水, 用户水龙头]}
""" + ENROLMENT_RULE + """\
  - id: heard
    title: 年内至少听取两次汇报
    cite: {clause: 四, quote: 年内至少听取一次政务公开工作汇报}
    applies_to: {levels: [department]}
    kind: count
    every: year
    at_least: 2
    match: {type: report_heard}
  - id: release-5h
    title: 5小时内发布权威信息
    cite: {clause: 五, quote: 最迟5小时内发布权威信息}
    applies_to: {all: true}
    kind: triggered
    trigger: {type: incident}
    due: {hours: 5}
    match: {type: publication, category: 权威信息}
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("world")
    (d / "r.yaml").write_text(HEADER + RULES, encoding="utf-8")
    (d / "u.yaml").write_text(UNITS, encoding="utf-8")
    return load_rules([d / "r.yaml"]), load_units(d / "u.yaml")


UNIT_REFS = ["fin", "区财政局", "edu", "env", "office", "k-fin", "区不存在局"]
KINDS = [
    ("publication", "财政收支"),
    ("publication", "饮用水水质"),
    ("publication", "招生信息"),
    ("publication", "权威信息"),
    ("publication", "其他"),
    ("report_heard", ""),
    ("incident", "重大突发事件"),
    ("not_a_type", ""),
]
CONTENT = ["饮用水水源", "供水厂出水", "用户水龙头"]
TITLES = ["", "2017年3月份财政收支情况", "2017年1-2月财政收支", "2017年前三季度", "2017年第二季度水质", "通知"]

def _row(i, unit, kind, minutes, title, content, bad):
    if bad:  # a malformed row, as exports have them
        return {"id": f"bad{i}", "unit": unit, "published_at": "2017-02-30"}
    at = datetime(2017, 1, 1) + timedelta(minutes=minutes)
    return {
        "id": f"e{i}",
        "unit": unit,
        "type": kind[0],
        "category": kind[1],
        "title": title,
        # A third of the rows give a day only, the rest a time of day.
        "published_at": at.date().isoformat() if minutes % 3 == 0 else at.isoformat(),
        "content": content,
    }


rows = st.builds(
    _row,
    st.integers(0, 10_000),
    st.sampled_from(UNIT_REFS),
    st.sampled_from(KINDS),
    st.integers(0, 60 * 24 * 450),
    st.sampled_from(TITLES),
    st.lists(st.sampled_from(CONTENT), max_size=3, unique=True),
    st.sampled_from([False] * 9 + [True]),
)
logs = st.lists(rows, max_size=40)
AS_OF = date(2018, 3, 31)


def run(world, log):
    rules, units = world
    return check(rules, units, events_from(log), as_of=AS_OF, covers=(date(2017, 1, 1), AS_OF))


def keyset(report):
    return [(f.rule_id, f.unit_id, f.period) for f in report.findings]


@settings(max_examples=60, deadline=None)
@given(logs)
def test_every_obligation_gets_exactly_one_finding(world, log):
    report = run(world, log)
    keys = keyset(report)
    assert len(keys) == len(set(keys))
    # Period obligations come from rules × units, whatever the log holds.
    per_rule = {r: sum(1 for k in keys if k[0] == r) for r in ("fiscal", "water", "enrolment", "heard")}
    assert per_rule == {"fiscal": 12, "water": 4 * 4, "enrolment": 4, "heard": 4}


@settings(max_examples=60, deadline=None)
@given(logs)
def test_every_row_is_matched_unmatched_or_rejected(world, log):
    a = run(world, log).accounting
    assert a.read == len(log) == a.matched + a.unmatched + a.rejected


@settings(max_examples=60, deadline=None)
@given(logs, st.randoms(use_true_random=False))
def test_shuffling_the_log_never_changes_the_findings(world, log, rnd):
    shuffled = list(log)
    rnd.shuffle(shuffled)
    a, b = run(world, log), run(world, shuffled)
    assert [finding_to_dict(f) for f in a.findings] == [finding_to_dict(f) for f in b.findings]
    assert a.accounting == b.accounting


@settings(max_examples=60, deadline=None)
@given(logs, st.integers(1, 12))
def test_adding_an_on_time_matching_event_never_adds_a_violation(world, log, month):
    before = run(world, log)
    on_time = {
        "id": "on-time",
        "unit": "fin",
        "type": "publication",
        "category": "财政收支",
        "title": f"2017年{month}月份财政收支情况",
        "published_at": (date(2017, month, 28) + timedelta(days=5)).isoformat(),
    }
    after = run(world, [*log, on_time])
    violations = lambda r: {(f.rule_id, f.unit_id, f.period) for f in r.findings if f.status in VIOLATIONS}  # noqa: E731
    assert violations(after) <= violations(before)
    fiscal = {f.period: f.status.value for f in after.findings if f.rule_id == "fiscal"}
    assert fiscal[f"2017-{month:02d}"] == "met"


@settings(max_examples=60, deadline=None)
@given(logs)
def test_the_summary_counts_exactly_the_findings(world, log):
    report = run(world, log)
    counted: dict[str, dict[str, int]] = {}
    for f in report.findings:
        per = counted.setdefault(f.rule_id, {})
        per[f.status.value] = per.get(f.status.value, 0) + 1
    tally = {rule: {s.value: n for s, n in per.items() if n} for rule, per in report.findings.by_rule().items()}
    assert tally == {rule: per for rule, per in counted.items()} | {r: {} for r in tally if r not in counted}
