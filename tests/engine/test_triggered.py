"""triggered rules: hours across midnight, working days over holidays, chains, plan publication."""

from __future__ import annotations

from helpers import finding, run, tuples

FIVE_HOURS = """
- id: release-5h
  title: 特别重大、重大突发事件最迟5小时内发布权威信息
  cite: {clause: 六、（三）, quote: 特别重大、重大突发事件最迟5小时内发布权威信息}
  applies_to: {all: true}
  kind: triggered
  trigger: {type: incident, category: [特别重大突发事件, 重大突发事件]}
  due: {hours: HOURS}
  link: related
  match: {type: MATCH}
"""


def rule(hours: int = 5, match: str = "publication") -> str:
    return FIVE_HOURS.replace("HOURS", str(hours)).replace("MATCH", match)


def incident(at: str, id: str = "inc1", category: str = "重大突发事件", unit: str = "env") -> dict[str, object]:
    return {"id": id, "unit": unit, "type": "incident", "category": category, "occurred_at": at}


def release(at: str, related: str = "inc1", type: str = "publication", unit: str = "env") -> dict[str, object]:
    return {"unit": unit, "type": type, "published_at": at, "related": related}


def test_a_release_at_exactly_five_hours_is_met(tmp_path):
    report = run(tmp_path, rule(), [incident("2017-08-03T21:30:00"), release("2017-08-04T02:30:00")], as_of="2017-12-31")
    f = finding(report, "env", "trigger:inc1")
    assert f.status.value == "met"
    assert f.due_at is not None and f.due_at.isoformat() == "2017-08-04T02:30:00+08:00"


def test_a_release_one_minute_past_five_hours_is_an_hour_late_across_midnight(tmp_path):
    report = run(tmp_path, rule(), [incident("2017-08-03T21:30:00"), release("2017-08-04T02:31:00")], as_of="2017-12-31")
    f = finding(report, "env", "trigger:inc1")
    assert (f.status.value, f.late_by, f.late_unit) == ("late", 1, "hours")


def test_times_with_another_offset_are_converted_to_shanghai(tmp_path):
    # 18:00 UTC on 3 August is 02:00 Shanghai on 4 August: within five hours of 21:30.
    report = run(tmp_path, rule(), [incident("2017-08-03T21:30:00+08:00"), release("2017-08-03T18:00:00Z")], as_of="2017-12-31")
    assert finding(report, "env", "trigger:inc1").status.value == "met"


def test_only_the_listed_incident_grades_trigger(tmp_path):
    report = run(tmp_path, rule(), [incident("2017-08-03T21:30:00", category="一般突发事件")], as_of="2017-12-31")
    assert tuples(report) == []


def test_each_incident_is_its_own_obligation_and_evidence_must_name_it(tmp_path):
    events = [
        incident("2017-08-03T09:00:00", "inc1"),
        incident("2017-09-03T09:00:00", "inc2"),
        release("2017-08-03T10:00:00", "inc1"),
        release("2017-09-03T10:00:00", "other"),
    ]
    report = run(tmp_path, rule(), events, as_of="2017-12-31")
    assert tuples(report) == [("env", "trigger:inc1", "met"), ("env", "trigger:inc2", "missing")]


def test_an_incident_of_a_unit_the_rule_does_not_bind_sets_nothing_off(tmp_path):
    report = run(tmp_path, rule(), [incident("2017-08-03T09:00:00", unit="k-fin")], as_of="2017-12-31")
    assert tuples(report) == []


def test_the_24_hour_press_conference_is_pending_until_the_hours_run_out(tmp_path):
    report = run(tmp_path, rule(24, "press_conference"), [incident("2017-08-03T09:00:00")], as_of="2017-08-03")
    assert tuples(report) == [("env", "trigger:inc1", "pending")]
    report = run(tmp_path, rule(24, "press_conference"), [incident("2017-08-03T09:00:00")], as_of="2017-08-04")
    assert tuples(report) == [("env", "trigger:inc1", "missing")]


PLAN = """
- id: implementation-plan
  title: 本要点公布后30个工作日内制定具体实施方案
  cite: {clause: 六、（四）2, quote: 本要点公布后，各乡镇街道、各部门单位要在30个工作日内制定具体实施方案或工作措施}
  applies_to: {levels: [department]}
  kind: triggered
  trigger: {date: 2016-11-07}
  due: {working_days: 30}
  match: {type: plan_published, category: 实施方案}
"""


def test_a_date_trigger_binds_every_unit_and_counts_working_days(tmp_path):
    # 30 working days after Monday 7 November 2016 is Monday 19 December 2016.
    ev = {"unit": "fin", "type": "plan_published", "category": "实施方案", "published_at": "2016-12-19"}
    header_2016 = None
    from helpers import HEADER

    header_2016 = HEADER.replace("plan_year: 2017", "plan_year: 2016")
    report = run(tmp_path, PLAN, [ev], as_of="2017-03-01", header=header_2016)
    assert finding(report, "fin", "from-2016-11-07").due.isoformat() == "2016-12-19"
    assert tuples(report) == [
        ("edu", "from-2016-11-07", "missing"),
        ("env", "from-2016-11-07", "missing"),
        ("fin", "from-2016-11-07", "met"),
        ("office", "from-2016-11-07", "missing"),
    ]


CHAIN = """
- id: interpretation-plan
  title: 政策出台之日起5个工作日内将政策解读方案送县法制办审核
  cite: {clause: 五、（一）1, quote: 起草部门要在政策出台之日起5个工作日内将政策解读方案送县法制办审核}
  applies_to: {all: true}
  kind: triggered
  trigger: {type: policy_issued}
  due: {working_days: 5}
  link: related
  match: {type: interpretation_plan_submitted}
- id: interpretation
  title: 政策解读方案审核通过后5个工作日内组织解读
  cite: {clause: 五、（一）1, quote: 并在政策解读方案审核通过后5个工作日内组织解读}
  applies_to: {all: true}
  kind: triggered
  trigger: {type: interpretation_plan_approved}
  due: {working_days: 5}
  link: related
  match: {type: interpretation}
"""


def test_a_chain_of_two_working_day_deadlines_linked_through_the_policy(tmp_path):
    # Policy issued Thursday 29 September 2016, just before 国庆: 5 working days end
    # Tuesday 11 October (1-7 October off, Saturday 8 and Sunday 9 October worked).
    events = [
        {"id": "p1", "unit": "fin", "type": "policy_issued", "published_at": "2016-09-29"},
        {"unit": "fin", "type": "interpretation_plan_submitted", "published_at": "2016-10-09", "related": "p1"},
        {"id": "a1", "unit": "fin", "type": "interpretation_plan_approved", "published_at": "2016-10-20", "related": "p1"},
        {"unit": "fin", "type": "interpretation", "published_at": "2016-10-28", "related": "p1"},
    ]
    from helpers import HEADER

    report = run(tmp_path, CHAIN, events, as_of="2016-12-31", header=HEADER.replace("plan_year: 2017", "plan_year: 2016"))
    plan = finding(report, "fin", "trigger:p1")
    assert (plan.rule_id, plan.due.isoformat(), plan.status.value) == ("interpretation-plan", "2016-10-11", "met")
    interp = finding(report, "fin", "trigger:a1")
    # Approved Thursday 20 October: 5 working days end Thursday 27 October; the 28th is late.
    assert (interp.due.isoformat(), interp.status.value, interp.late_by) == ("2016-10-27", "late", 1)


NPC = """
- id: poverty-funds
  title: 财政专项扶贫资金分配使用方案在本级人代会结束60个工作日内予以公开
  cite: {clause: 四、（一）1, quote: 财政专项扶贫资金分配使用方案在本级人代会结束60个工作日内予以公开}
  applies_to: {roles: [财政局], scope: with_subordinates}
  kind: triggered
  trigger: {type: meeting, category: 人代会闭幕}
  due: {working_days: 60}
  responsible: jurisdiction
  match: {type: publication, category: 扶贫资金分配使用方案}
"""


def test_a_trigger_binds_the_units_of_its_own_jurisdiction(tmp_path):
    from helpers import HEADER

    city_plan = HEADER.replace("jurisdiction: j", "jurisdiction: city")
    events = [
        # 另一区's 人代会 closes; only 另一区财政局 is bound by it, not 测试区财政局.
        {"id": "npc-k", "unit": "k-fin", "type": "meeting", "category": "人代会闭幕", "occurred_at": "2017-01-10"},
        {"unit": "k-fin", "type": "publication", "category": "扶贫资金分配使用方案", "published_at": "2017-03-01"},
    ]
    report = run(tmp_path, NPC, events, as_of="2017-12-31", header=city_plan)
    assert tuples(report) == [("k-fin", "trigger:npc-k", "met")]


ANSWER_REMEDY = """
- id: remedy-in-answer
  title: 依申请公开答复明确救济渠道的机关名称、地址、时限
  cite: {clause: 六、（五）2, quote: 明确救济渠道的机关名称、地址、时限等信息}
  applies_to: {all: true}
  kind: triggered
  trigger: {type: application_answered}
  due: {days: 0}
  link: related
  match: {type: application_answered}
  require: {content: [救济机关名称, 救济机关地址, 救济时限]}
"""


def test_a_trigger_that_is_its_own_evidence_is_linked_to_itself(tmp_path):
    # An answer must itself carry the 救济 items, whether or not it names its application;
    # a later answer to the same application completes it, late; an unrelated one does not.
    items = ["救济机关名称", "救济机关地址", "救济时限"]
    events = [
        {"id": "r1", "unit": "env", "type": "application_answered", "occurred_at": "2017-07-10", "content": items},
        {"id": "r2", "unit": "fin", "type": "application_answered", "occurred_at": "2017-07-10", "related": "a2"},
        {"id": "r3", "unit": "fin", "type": "application_answered", "occurred_at": "2017-07-12", "related": "a2", "content": items},
        {"id": "r4", "unit": "edu", "type": "application_answered", "occurred_at": "2017-07-10"},
        {"id": "r5", "unit": "edu", "type": "application_answered", "occurred_at": "2017-07-11", "content": items},
    ]
    report = run(tmp_path, ANSWER_REMEDY, events, as_of="2017-12-31")
    got = {(f.unit_id, f.period): (f.status.value, f.late_by) for f in report.findings}
    assert got == {
        ("env", "trigger:r1"): ("met", None),
        ("fin", "trigger:r2"): ("late", 2),
        ("fin", "trigger:r3"): ("met", None),
        ("edu", "trigger:r4"): ("partial", None),
        ("edu", "trigger:r5"): ("met", None),
    }
