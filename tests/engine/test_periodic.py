"""periodic rules: 按月/按季度/每周/每五日, cumulative releases, alternatives."""

from __future__ import annotations

from helpers import finding, run, status_of, tuples

MONTHLY = """
- id: fiscal
  title: 按月公开财政收支情况
  cite: {clause: 一、（一）1, quote: 按月公开全区财政收支情况}
  applies_to: {roles: [财政局]}
  kind: periodic
  every: month
  due: {working_days_after_period: 20}
  accept_cumulative: ACC
  match: {type: publication, category: 财政收支}
"""


def monthly(acc: bool = True) -> str:
    return MONTHLY.replace("ACC", "true" if acc else "false")


def pub(title: str, at: str, **kw: object) -> dict[str, object]:
    return {"unit": "区财政局", "type": "publication", "category": "财政收支", "title": title, "published_at": at, **kw}


def test_every_month_of_the_window_is_an_obligation_even_with_no_events(tmp_path):
    report = run(tmp_path, monthly(), [], as_of="2018-06-30", covers=("2017-01-01", "2018-06-30"))
    assert [p for u, p, s in tuples(report)] == [f"2017-{m:02d}" for m in range(1, 13)]
    assert {s for u, p, s in tuples(report)} == {"missing"}
    # Only the unit in the plan's own jurisdiction is bound, not 另一区财政局.
    assert {u for u, p, s in tuples(report)} == {"fin"}


def test_a_release_by_the_due_day_is_met_and_after_it_is_late_in_working_days(tmp_path):
    # March 2017: counting from Friday 31 March, Saturday 1 April is a 调休 working day,
    # 清明 3-4 April and 劳动节 1 May are off, so the 20th working day is Tuesday 2 May.
    report = run(
        tmp_path,
        monthly(),
        [pub("2017年3月份财政收支情况", "2017-05-02T23:59:00"), pub("2017年4月份财政收支情况", "2017-05-31T00:01:00")],
        as_of="2017-12-31",
    )
    assert finding(report, "fin", "2017-03").due.isoformat() == "2017-05-02"
    assert status_of(report, "fin", "2017-03") == "met"
    april = finding(report, "fin", "2017-04")
    # April: the 20th working day is Saturday 27 May, worked in lieu of 端午 (29-30 May);
    # 00:01 on Wednesday 31 May is one working day late.
    assert april.due.isoformat() == "2017-05-27"
    assert (april.status.value, april.late_by, april.late_unit) == ("late", 1, "working_days")


def test_the_earliest_release_counts_and_a_republication_does_not_reset_it(tmp_path):
    report = run(
        tmp_path,
        monthly(),
        [pub("2017年3月份财政收支情况（更正）", "2017-05-20"), pub("2017年3月份财政收支情况", "2017-04-10")],
        as_of="2017-12-31",
    )
    f = finding(report, "fin", "2017-03")
    assert f.status.value == "met"
    assert f.evidence is not None and f.evidence.event_id == "e2"


def test_a_cumulative_jan_feb_release_closes_january_and_february(tmp_path):
    report = run(tmp_path, monthly(), [pub("2017年1-2月财政收支情况", "2017-02-20")], as_of="2017-12-31")
    assert status_of(report, "fin", "2017-01") == "met"
    assert status_of(report, "fin", "2017-02") == "met"


def test_cumulative_releases_close_their_last_month(tmp_path):
    events = [
        pub("2017年一季度财政收支情况", "2017-04-12"),
        pub("2017年上半年财政收支情况", "2017-07-12"),
        pub("2017年前三季度财政收支情况", "2017-10-16"),
        pub("2017年1-5月财政收支情况", "2017-06-14"),
        pub("2017年度财政收支情况", "2018-01-16"),
    ]
    report = run(tmp_path, monthly(), events, as_of="2018-06-30")
    met = {p for u, p, s in tuples(report) if s == "met"}
    assert met == {"2017-03", "2017-05", "2017-06", "2017-09", "2017-12"}


def test_without_accept_cumulative_a_cumulative_release_counts_for_nothing(tmp_path):
    report = run(tmp_path, monthly(acc=False), [pub("2017年1-3月财政收支情况", "2017-04-12")], as_of="2017-12-31")
    assert status_of(report, "fin", "2017-03") == "missing"
    assert report.accounting.unmatched == 1


def test_a_release_with_no_period_reports_for_the_month_before(tmp_path):
    report = run(tmp_path, monthly(), [pub("财政收支情况", "2017-04-10")], as_of="2017-12-31")
    assert status_of(report, "fin", "2017-03") == "met"


def test_a_stated_period_wins_over_the_title(tmp_path):
    report = run(tmp_path, monthly(), [pub("2017年3月份财政收支情况", "2017-05-10", period="2017-04")], as_of="2017-12-31")
    assert status_of(report, "fin", "2017-04") == "met"
    assert status_of(report, "fin", "2017-03") == "missing"


def test_a_period_not_yet_due_is_pending_with_its_due_date(tmp_path):
    report = run(tmp_path, monthly(), [], as_of="2017-11-15")
    f = finding(report, "fin", "2017-10")
    assert (f.status.value, f.due.isoformat()) == ("pending", "2017-11-28")
    assert status_of(report, "fin", "2017-09") == "missing"


def test_by_default_the_log_covers_the_window_only(tmp_path):
    # December's report falls due in January: a log of the plan year cannot show it missing.
    report = run(tmp_path, monthly(), [], as_of="2018-06-30")
    assert status_of(report, "fin", "2017-11") == "missing"  # due 2017-12-28
    assert status_of(report, "fin", "2017-12") == "unknown"  # due 2018-01-29


def test_a_due_date_outside_what_the_log_covers_is_unknown_not_missing(tmp_path):
    report = run(tmp_path, monthly(), [], as_of="2018-06-30", covers=("2017-01-01", "2017-09-30"))
    assert status_of(report, "fin", "2017-08") == "missing"  # due 2017-09-28
    assert status_of(report, "fin", "2017-09") == "unknown"  # due 2017-10-30


def test_the_report_of_a_unit_alias_and_of_its_id_are_the_same_unit(tmp_path):
    report = run(tmp_path, monthly(), [pub("2017年3月份财政收支情况", "2017-04-10", unit="fin")], as_of="2017-12-31")
    assert status_of(report, "fin", "2017-03") == "met"


QUARTER_OR_YEAR = """
- id: feidi.fiscal
  title: 按季度或年公开园区财政收支执行总体情况
  cite: {clause: 一、（一）, quote: 按季度或年公开园区财政收支执行总体情况}
  applies_to: {roles: [财政局]}
  kind: periodic
  every: [quarter, year]
  due: {days_after_period: 30}
  match: {type: publication, category: 财政收支}
"""


COVERS = ("2017-01-01", "2018-06-30")


def test_quarterly_or_yearly_a_yearly_release_alone_is_enough(tmp_path):
    report = run(tmp_path, QUARTER_OR_YEAR, [pub("2017年度园区财政收支情况", "2018-01-20")], as_of="2018-06-30", covers=COVERS)
    assert tuples(report) == [("fin", "2017", "met")]


def test_quarterly_or_yearly_four_quarterly_releases_are_enough(tmp_path):
    events = [pub(f"2017年第{q}季度园区财政收支情况", d) for q, d in [("一", "2017-04-20"), ("二", "2017-07-20"), ("三", "2017-10-20"), ("四", "2018-01-20")]]
    report = run(tmp_path, QUARTER_OR_YEAR, events, as_of="2018-06-30", covers=COVERS)
    assert tuples(report) == [("fin", "2017", "met")]


def test_quarterly_or_yearly_three_quarters_and_no_year_report_is_missing(tmp_path):
    events = [pub(f"2017年第{q}季度园区财政收支情况", d) for q, d in [("一", "2017-04-20"), ("二", "2017-07-20"), ("三", "2017-10-20")]]
    report = run(tmp_path, QUARTER_OR_YEAR, events, as_of="2018-06-30", covers=COVERS)
    f = finding(report, "fin", "2017")
    assert f.status.value == "missing"


WEEKLY = """
- id: prices
  title: 每周发布区内重点批发市场价格信息
  cite: {clause: 二、（二）, quote: 每周发布区内重点批发市场价格信息}
  applies_to: {roles: [财政局]}
  kind: periodic
  every: week
  due: {days_after_period: 0}
  match: {type: publication, category: 批发市场价格}
"""


def test_weekly_releases_count_for_the_week_they_fall_in(tmp_path):
    events = [{"unit": "fin", "type": "publication", "category": "批发市场价格", "published_at": "2017-03-09"}]
    report = run(tmp_path, WEEKLY, events, as_of="2017-03-31", window=("2017-03-06", "2017-03-19"))
    assert tuples(report) == [("fin", "2017-W10", "met"), ("fin", "2017-W11", "missing")]


CYCLE = """
- id: grain
  title: 夏秋粮收购旺季每五日发布区内粮食收购进度信息
  cite: {clause: 二、（二）, quote: 夏秋粮收购旺季每五日发布区内粮食收购进度信息}
  applies_to: {roles: [财政局]}
  kind: periodic
  every: cycle
  cycle: {days: 5, windows: [{from: "06-01", to: "06-12"}]}
  due: {days_after_period: 1}
  match: {type: publication, category: 粮食收购进度}
"""


def test_five_day_cycles_tile_the_seasonal_window_and_the_last_is_cut_at_its_end(tmp_path):
    events = [{"unit": "fin", "type": "publication", "category": "粮食收购进度", "published_at": "2017-06-04"}]
    report = run(tmp_path, CYCLE, events, as_of="2017-12-31")
    assert tuples(report) == [
        ("fin", "2017-06-01..2017-06-05", "met"),
        ("fin", "2017-06-06..2017-06-10", "missing"),
        ("fin", "2017-06-11..2017-06-12", "missing"),
    ]
    assert finding(report, "fin", "2017-06-11..2017-06-12").due.isoformat() == "2017-06-13"


def test_day_of_next_month_and_months_after_period_due_dates(tmp_path):
    rule = monthly().replace("due: {working_days_after_period: 20}", "due: {day_of_next_month: 15}")
    report = run(tmp_path, rule, [], as_of="2018-06-30")
    assert finding(report, "fin", "2017-12").due.isoformat() == "2018-01-15"
    rule = monthly().replace("due: {working_days_after_period: 20}", "due: {months_after_period: 1}")
    report = run(tmp_path, rule, [], as_of="2018-06-30")
    assert finding(report, "fin", "2017-01").due.isoformat() == "2017-02-28"


def test_a_rule_applies_only_inside_its_effective_dates(tmp_path):
    rule = monthly().replace("kind: periodic", "effective: {from: 2017-07-05}\n  kind: periodic")
    report = run(tmp_path, rule, [], as_of="2018-06-30")
    assert status_of(report, "fin", "2017-05") == "not_applicable"  # due 2017-06-28
    assert status_of(report, "fin", "2017-06") == "missing"  # due 2017-07-28
