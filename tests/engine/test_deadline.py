"""deadline rules: once by a date, or every year by a month-day; required content."""

from __future__ import annotations

from helpers import finding, run, tuples

ENROLMENT = """
- id: enrolment
  title: 每年7月底前公开招生范围、招生条件、招生程序
  cite: {clause: 四、（三）2, quote: 在每年7月底前公开各义务教育学校的招生范围、招生条件、招生程序等信息}
  applies_to: {roles: [教育局]}
  kind: deadline
  each_year_by: "07-31"
  match: {type: publication, category: 招生信息}
  require:
    content: [招生范围, 招生条件, 招生程序]
"""

ALL = ["招生范围", "招生条件", "招生程序"]


def pub(at: str, content: list[str], **kw: object) -> dict[str, object]:
    return {"unit": "区教育局", "type": "publication", "category": "招生信息", "published_at": at, "content": content, **kw}


def test_all_items_by_the_month_day_is_met(tmp_path):
    report = run(tmp_path, ENROLMENT, [pub("2017-07-31T23:59:00+08:00", ALL)], as_of="2017-12-31")
    assert tuples(report) == [("edu", "2017", "met")]


def test_one_minute_after_the_due_day_is_a_day_late(tmp_path):
    # 00:01 Shanghai on 1 August, written in UTC as 16:01 on 31 July.
    report = run(tmp_path, ENROLMENT, [pub("2017-07-31T16:01:00Z", ALL)], as_of="2017-12-31")
    f = finding(report, "edu", "2017")
    assert (f.status.value, f.late_by, f.late_unit) == ("late", 1, "days")


def test_items_may_come_in_several_releases_and_the_last_one_completes_them(tmp_path):
    report = run(tmp_path, ENROLMENT, [pub("2017-07-10", ALL[:2]), pub("2017-08-05", ALL[2:])], as_of="2017-12-31")
    f = finding(report, "edu", "2017")
    assert (f.status.value, f.late_by) == ("late", 5)
    assert f.evidence is not None and f.evidence.event_id == "e2"


def test_some_items_is_partial_and_names_what_is_missing(tmp_path):
    report = run(tmp_path, ENROLMENT, [pub("2017-07-10", ALL[:2])], as_of="2017-12-31")
    f = finding(report, "edu", "2017")
    assert f.status.value == "partial"
    assert f.missing_items == ("招生程序",)


def test_some_items_before_the_due_date_is_still_pending(tmp_path):
    report = run(tmp_path, ENROLMENT, [pub("2017-07-10", ALL[:2])], as_of="2017-07-20")
    assert tuples(report) == [("edu", "2017", "pending")]


def test_the_same_requirement_differs_by_plan_taian_says_june(tmp_path):
    taian = ENROLMENT.replace('"07-31"', '"06-30"')
    events = [pub("2017-07-20", ALL)]
    assert tuples(run(tmp_path, ENROLMENT, events, as_of="2017-12-31")) == [("edu", "2017", "met")]
    assert tuples(run(tmp_path, taian, events, as_of="2017-12-31")) == [("edu", "2017", "late")]


def test_a_yearly_deadline_gives_one_obligation_per_year_of_the_window(tmp_path):
    report = run(tmp_path, ENROLMENT, [pub("2018-07-01", ALL)], as_of="2018-12-31", window=("2017-01-01", "2018-12-31"))
    assert tuples(report) == [("edu", "2017", "missing"), ("edu", "2018", "met")]


CLEANUP = """
- id: cleanup
  title: 2017年年底前公布规范性文件清理结果
  cite: {clause: 二、（一）2, quote: 2017年年底前完成对全区现行规范性文件的清理工作，清理结果向社会公布}
  applies_to: {roles: [政府办公室]}
  effective: {from: 2017-07-05}
  kind: deadline
  by: BY
  match: {type: publication, title_any: [清理结果]}
"""


def test_a_one_off_deadline_counts_only_releases_after_the_rule_takes_effect(tmp_path):
    rule = CLEANUP.replace("BY", "2017-12-31")
    early = {"unit": "office", "type": "publication", "title": "2016年规范性文件清理结果", "published_at": "2017-03-01"}
    assert tuples(run(tmp_path, rule, [early], as_of="2018-01-31")) == [("office", "by-2017-12-31", "missing")]
    ok = dict(early, published_at="2017-12-29")
    assert tuples(run(tmp_path, rule, [early, ok], as_of="2018-01-31")) == [("office", "by-2017-12-31", "met")]


def test_year_end_means_31_december_of_the_plan_year(tmp_path):
    report = run(tmp_path, CLEANUP.replace("BY", "year_end"), [], as_of="2017-10-01")
    f = finding(report, "office", "by-2017-12-31")
    assert (f.status.value, f.due.isoformat()) == ("pending", "2017-12-31")


def test_a_deadline_beyond_the_window_is_still_an_obligation_while_it_runs(tmp_path):
    # 确保实现到2018年对全区政务公开工作人员轮训一遍: live during a 2017 check, pending.
    report = run(tmp_path, CLEANUP.replace("BY", "2018-12-31"), [], as_of="2017-12-31")
    assert tuples(report) == [("office", "by-2018-12-31", "pending")]


THRESHOLD = """
- id: weight
  title: 政务公开分值权重不应低于4%
  cite: {clause: 六、（四）2, quote: 所占分值权重不应低于4%}
  applies_to: {all: true}
  kind: deadline
  by: year_end
  match: {type: assessment, category: 政务公开分值权重}
  require:
    value: {min: 4}
"""


def assessment(value: object, unit: str = "office") -> dict[str, object]:
    return {"unit": unit, "type": "assessment", "category": "政务公开分值权重", "value": value, "published_at": "2017-06-01"}


def test_a_reported_value_at_the_threshold_is_met(tmp_path):
    report = run(tmp_path, THRESHOLD, [assessment("4%")], as_of="2018-01-31")
    assert ("office", "by-2017-12-31", "met") in tuples(report)


def test_a_reported_value_below_the_threshold_is_missing_and_says_why(tmp_path):
    report = run(tmp_path, THRESHOLD, [assessment(3.5)], as_of="2018-01-31")
    f = finding(report, "office", "by-2017-12-31")
    assert f.status.value == "missing"
    assert "3.5" in f.detail and ">= 4" in f.detail
    # A unit that reported nothing is reported too.
    assert finding(report, "fin", "by-2017-12-31").status.value == "missing"


CHANNELS = """
- id: plan-channels
  title: 实施方案在县政府网站、本部门单位政府网站公布
  cite: {clause: 六、（四）2, quote: 在县政府网站、本部门单位政府网站公布}
  applies_to: {all: true}
  kind: deadline
  by: year_end
  match: {type: publication, category: 实施方案}
  require:
    channels: [县政府网站, 本部门网站]
"""


def test_a_release_on_one_of_two_required_channels_is_partial(tmp_path):
    ev = {"unit": "fin", "type": "publication", "category": "实施方案", "published_at": "2017-03-01", "channel": "县政府网站"}
    report = run(tmp_path, CHANNELS, [ev], as_of="2018-01-31")
    f = finding(report, "fin", "by-2017-12-31")
    assert f.status.value == "partial"
    assert f.missing_items == ("本部门网站 (channel)",)


def test_a_release_on_both_channels_is_met(tmp_path):
    ev = {"unit": "fin", "type": "publication", "category": "实施方案", "published_at": "2017-03-01", "channel": "县政府网站;本部门网站"}
    report = run(tmp_path, CHANNELS, [ev], as_of="2018-01-31")
    assert finding(report, "fin", "by-2017-12-31").status.value == "met"
