"""count rules (年内至少一次) and precedence rules (决策前公布草案)."""

from __future__ import annotations

from helpers import finding, run, tuples

REPORTS = """
- id: report-heard
  title: 主要负责人年内至少听取一次政务公开工作汇报
  cite: {clause: 六、（一）, quote: 年内至少听取一次政务公开工作汇报}
  applies_to: {levels: [department]}
  kind: count
  every: year
  at_least: N
  match: {type: report_heard}
"""


def heard(unit: str, at: str) -> dict[str, object]:
    return {"unit": unit, "type": "report_heard", "occurred_at": at}


def test_at_least_once_a_year_met_missing_and_every_bound_unit_reported(tmp_path):
    report = run(tmp_path, REPORTS.replace("N", "1"), [heard("fin", "2017-09-05")], as_of="2018-01-31")
    assert tuples(report) == [
        ("edu", "2017", "missing"),
        ("env", "2017", "missing"),
        ("fin", "2017", "met"),
        ("office", "2017", "missing"),
    ]


def test_fewer_than_required_is_partial_and_says_how_many(tmp_path):
    report = run(tmp_path, REPORTS.replace("N", "2"), [heard("fin", "2017-09-05")], as_of="2018-01-31")
    f = finding(report, "fin", "2017")
    assert (f.status.value, f.detail) == ("partial", "1 of 2")


def test_the_same_event_logged_twice_counts_once(tmp_path):
    same = dict(heard("fin", "2017-09-05"), id="h1")
    report = run(tmp_path, REPORTS.replace("N", "2"), [same, same], as_of="2018-01-31")
    assert finding(report, "fin", "2017").detail == "1 of 2"


def test_the_count_is_met_on_the_day_it_is_reached_even_mid_year(tmp_path):
    report = run(tmp_path, REPORTS.replace("N", "2"), [heard("fin", "2017-03-01"), heard("fin", "2017-05-01")], as_of="2017-06-01")
    f = finding(report, "fin", "2017")
    assert (f.status.value, f.evidence.at.date().isoformat()) == ("met", "2017-05-01")
    assert finding(report, "edu", "2017").status.value == "pending"


def test_a_count_reached_by_an_event_after_the_period_that_names_it_is_late(tmp_path):
    late = {**heard("fin", "2018-01-05"), "period": "2017"}
    on_time = {**heard("edu", "2017-12-29"), "period": "2017"}
    report = run(tmp_path, REPORTS.replace("N", "1"), [late, on_time], as_of="2018-01-31")
    f = finding(report, "fin", "2017")
    assert (f.status.value, f.late_by, f.late_unit, f.due.isoformat()) == ("late", 5, "days", "2017-12-31")
    assert finding(report, "edu", "2017").status.value == "met"


def test_counted_by_date_an_act_counts_in_the_year_it_happens_whatever_its_label(tmp_path):
    # 年内至少听取一次: a hearing of the 2015 report in 2016 is 2016's; one in January 2017 that
    # says it is 2016's is 2017's, and 2016 is missing, never late.
    rule = REPORTS.replace("N", "1") + "  period_from: date\n"
    events = [
        {**heard("fin", "2016-12-06"), "title": "局长听取2015年度政务公开工作汇报"},
        {**heard("edu", "2017-01-06"), "period": "2016"},
    ]
    report = run(tmp_path, rule, events, as_of="2017-01-31", window=("2016-01-01", "2016-12-31"))
    assert (finding(report, "fin", "2016").status.value, finding(report, "edu", "2016").status.value) == ("met", "missing")
    labelled = run(tmp_path, REPORTS.replace("N", "1"), events, as_of="2017-01-31", window=("2016-01-01", "2016-12-31"))
    assert (finding(labelled, "fin", "2016").status.value, finding(labelled, "edu", "2016").status.value) == ("missing", "late")


DRAFT = """
- id: draft-before-decision
  title: 在决策前向社会公布决策草案
  cite: {clause: 六、（二）, quote: 应在决策前向社会公布决策草案、决策依据}
  applies_to: {all: true}
  kind: precedence
  subject: {type: meeting, category: 常务会议}
  match: {type: publication, category: 决策草案}
"""


def meeting(id: str, at: str) -> dict[str, object]:
    return {"id": id, "unit": "office", "type": "meeting", "category": "常务会议", "occurred_at": at}


def draft(related: str, at: str) -> dict[str, object]:
    return {"unit": "office", "type": "publication", "category": "决策草案", "published_at": at, "related": related}


def test_a_draft_before_the_meeting_is_met_after_it_late_and_none_missing(tmp_path):
    events = [
        meeting("m1", "2017-09-12T09:00:00"),
        draft("m1", "2017-08-30"),
        meeting("m2", "2017-11-20T09:00:00"),
        draft("m2", "2017-11-22"),
        meeting("m3", "2017-12-05T09:00:00"),
    ]
    report = run(tmp_path, DRAFT, events, as_of="2017-12-31")
    assert tuples(report) == [
        ("office", "before:m1", "met"),
        ("office", "before:m2", "late"),
        ("office", "before:m3", "missing"),
    ]
    assert finding(report, "office", "before:m2").late_by == 2


def test_a_draft_published_on_the_day_of_the_meeting_is_not_before_it(tmp_path):
    report = run(tmp_path, DRAFT, [meeting("m1", "2017-09-12T09:00:00"), draft("m1", "2017-09-12")], as_of="2017-12-31")
    assert tuples(report) == [("office", "before:m1", "late")]


def test_a_draft_timed_an_hour_before_the_meeting_is_before_it(tmp_path):
    report = run(tmp_path, DRAFT, [meeting("m1", "2017-09-12T09:00:00"), draft("m1", "2017-09-12T08:00:00")], as_of="2017-12-31")
    assert tuples(report) == [("office", "before:m1", "met")]


def test_a_subject_outside_the_rule_s_effective_dates_is_not_applicable(tmp_path):
    rule = DRAFT.replace("  kind: precedence", "  effective: {from: 2017-07-01}\n  kind: precedence")
    events = [
        {"id": "m1", "unit": "office", "type": "meeting", "category": "常务会议", "occurred_at": "2017-06-20"},
        {"id": "m2", "unit": "office", "type": "meeting", "category": "常务会议", "occurred_at": "2017-07-20"},
    ]
    report = run(tmp_path, rule, events, as_of="2017-12-31")
    assert [(f.period, f.status.value) for f in report.findings if f.unit_id == "office"] == [
        ("before:m1", "not_applicable"),
        ("before:m2", "missing"),
    ]
