"""Where the plans differ, their rules differ: one log, judged by each ruleset."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from zwgk_rules.engine.check import check
from zwgk_rules.events.fields import event_from_row
from zwgk_rules.periods import PeriodKind
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.units import load_units

ROOT = Path(__file__).resolve().parents[2]
UNITS = {
    "zhoucun-2017": "examples/zhoucun-2017/units.yaml",
    "lijin-2016": "examples/lijin-2016/units.csv",
    "taian-2017": "examples/taian-2017/units.yaml",
    "feidi-2017": "examples/feidi-2017/units.yaml",
}


@pytest.fixture(scope="module")
def plans():
    return {name: (load_rules([ROOT / f"rulesets/{name}.yaml"]), load_units(ROOT / units)) for name, units in UNITS.items()}


def judge(plans, plan, rows, *, as_of, rule_ids):
    rules, units = plans[plan]
    events = [event_from_row({"id": f"e{i}", **row}, source="log", row=i) for i, row in enumerate(rows, 1)]
    report = check(rules, units, events, as_of=as_of, covers=(date(as_of.year, 1, 1), as_of))
    return {(f.rule_id, f.unit_id, f.period): (f.status.value, f.late_by) for f in report.findings if f.rule_id in rule_ids}


def rule(plans, plan, rule_id):
    return next(r for r in plans[plan][0].rules if r.id == rule_id)


def test_enrolment_by_july_in_zhoucun_but_june_in_taian(plans):
    release = {"type": "publication", "category": "招生信息", "title": "2017年义务教育学校招生范围、招生条件、招生程序",
               "content": ["招生范围", "招生条件", "招生程序"], "published_at": "2017-07-15"}
    zc = judge(plans, "zhoucun-2017", [{**release, "unit": "zc-education"}], as_of=date(2017, 12, 31),
               rule_ids={"zc2017.enrolment.by-jul-31"})
    ta = judge(plans, "taian-2017", [{**release, "unit": "ta-education"}], as_of=date(2017, 12, 31),
               rule_ids={"ta2017.enrolment.by-jun-30"})
    assert zc[("zc2017.enrolment.by-jul-31", "zc-education", "2017")] == ("met", None)
    assert ta[("ta2017.enrolment.by-jun-30", "ta-education", "2017")] == ("late", 15)


def test_drinking_water_quarterly_in_three_plans_monthly_in_feidi(plans):
    assert rule(plans, "zhoucun-2017", "zc2017.water-source.quarterly").every == (PeriodKind.QUARTER,)
    assert rule(plans, "lijin-2016", "lj2016.drinking-water.source-quarterly").every == (PeriodKind.QUARTER,)
    assert rule(plans, "taian-2017", "ta2017.water-source.quarterly").every == (PeriodKind.QUARTER,)
    assert rule(plans, "feidi-2017", "fd2017.drinking-water.monthly").every == (PeriodKind.MONTH,)
    # A quarterly report satisfies 周村's quarter; in 飞地园区 each month needs its own.
    q1 = {"type": "publication", "title": "2017年第一季度集中式生活饮用水水源水质状况", "published_at": "2017-04-10",
          "content": ["饮用水水源"]}
    zc = judge(plans, "zhoucun-2017", [{**q1, "unit": "zc-env", "category": "饮用水水质"}],
               as_of=date(2017, 12, 31), rule_ids={"zc2017.water-source.quarterly"})
    fd = judge(plans, "feidi-2017", [{**q1, "unit": "fd-planning", "category": "饮用水水源水质"}],
               as_of=date(2017, 12, 31), rule_ids={"fd2017.drinking-water.monthly"})
    assert zc[("zc2017.water-source.quarterly", "zc-env", "2017-Q1")] == ("met", None)
    assert [fd[("fd2017.drinking-water.monthly", "fd-planning", m)][0] for m in ("2017-01", "2017-02", "2017-03")] == ["missing"] * 3


def emergency_rules(plans, plan):
    """The hour limits of the plan's rules set off by a 特别重大 or 重大 突发事件."""
    return {
        r.due.amount
        for r in plans[plan][0].rules
        if r.trigger is not None and "incident" in r.trigger.types and r.due is not None
        and r.due.unit.value == "hours" and {"特别重大突发事件", "重大突发事件"} <= r.trigger.categories
    }


def test_lijin_asks_for_the_24_hour_press_conference_only(plans):
    assert emergency_rules(plans, "lijin-2016") == {24}
    for plan in ("zhoucun-2017", "taian-2017", "feidi-2017"):
        assert emergency_rules(plans, plan) == {5, 24}, plan
    # An incident answered by a press conference the next morning and no 5-hour release
    # (in each plan's own year: 利津's plan binds from 2016-11-07).
    def rows(year: int) -> list[dict[str, object]]:
        return [
            {"id": "inc", "type": "incident", "category": "重大突发事件", "occurred_at": f"{year}-12-03T04:30:00+08:00"},
            {"type": "press_conference", "title": "新闻发布会", "related": "inc", "occurred_at": f"{year}-12-04T04:00:00+08:00"},
        ]

    lj = judge(plans, "lijin-2016", [{**r, "unit": "lj-office"} for r in rows(2016)], as_of=date(2016, 12, 31),
               rule_ids={"lj2016.emergency.24h-press"})
    zc = judge(plans, "zhoucun-2017", [{**r, "unit": "zc-office"} for r in rows(2017)], as_of=date(2017, 12, 31),
               rule_ids={"zc2017.emergency.24h-press", "zc2017.emergency.5h-release"})
    assert lj == {("lj2016.emergency.24h-press", "lj-office", "trigger:inc"): ("met", None)}
    assert zc[("zc2017.emergency.24h-press", "zc-office", "trigger:inc")] == ("met", None)
    assert zc[("zc2017.emergency.5h-release", "zc-office", "trigger:inc")] == ("missing", None)


def test_feidi_allows_fiscal_reports_quarterly_or_yearly(plans):
    assert rule(plans, "feidi-2017", "fd2017.fiscal.quarter-or-year").every == (PeriodKind.QUARTER, PeriodKind.YEAR)
    assert rule(plans, "zhoucun-2017", "zc2017.fiscal.monthly").every == (PeriodKind.MONTH,)
    yearly = {"unit": "fd-finance", "type": "publication", "category": "财政收支", "title": "2017年园区财政收支情况",
              "content": ["财政收支执行总体情况", "财政收支重点科目完成情况", "增减变动情况"], "published_at": "2018-01-10"}
    fd = judge(plans, "feidi-2017", [yearly], as_of=date(2018, 3, 31), rule_ids={"fd2017.fiscal.quarter-or-year"})
    assert fd[("fd2017.fiscal.quarter-or-year", "fd-finance", "2017")] == ("met", None)
