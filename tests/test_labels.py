"""Tests for zwgk_rules.labels: canonical period ids and periods read from release titles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zwgk_rules.labels import infer_label, parse_period_id, title_label
from zwgk_rules.periods import (
    PeriodLabel,
    half_year_period,
    label_id,
    month_period,
    quarter_period,
    week_period,
    year_period,
)


def months(year, first, last=None, to_year=None):
    """Label from the start of month ``first`` to the end of month ``last`` (inclusive)."""
    last = first if last is None else last
    to_year = year if to_year is None else to_year
    return PeriodLabel(date(year, first, 1), month_period(to_year, last).end)


def quarter(year, q):
    p = quarter_period(year, q)
    return PeriodLabel(p.start, p.end)


def half(year, h):
    p = half_year_period(year, h)
    return PeriodLabel(p.start, p.end)


def whole_year(year):
    return PeriodLabel(date(year, 1, 1), date(year + 1, 1, 1))


# --- parse_period_id ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017", whole_year(2017)),
        ("2017-H1", half(2017, 1)),
        ("2017-H2", half(2017, 2)),
        ("2017-Q1", quarter(2017, 1)),
        ("2017-Q4", quarter(2017, 4)),
        ("2017-03", months(2017, 3)),
        ("2017-12", months(2017, 12)),
        ("2017-W09", PeriodLabel(date(2017, 2, 27), date(2017, 3, 6))),
        ("2015-W53", PeriodLabel(date(2015, 12, 28), date(2016, 1, 4))),
        ("2017-01..2017-03", months(2017, 1, 3)),
        ("2016-12..2017-02", months(2016, 12, 2, to_year=2017)),
        ("2017-06-01..2017-06-05", PeriodLabel(date(2017, 6, 1), date(2017, 6, 6))),
        ("2017-06-01..2017-06-01", PeriodLabel(date(2017, 6, 1), date(2017, 6, 2))),
    ],
)
def test_parse_period_id_accepts_every_canonical_form(text, expected):
    assert parse_period_id(text) == expected


def test_parse_period_id_week_is_iso_monday_start():
    label = parse_period_id("2017-W01")
    assert label.start == date(2017, 1, 2)
    assert label.start.isoweekday() == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "17",
        "2017-13",
        "2017-00",
        "2017-3",
        "2017-Q5",
        "2017-H3",
        "2017-W00",
        "2017-W53",  # 2017 has 52 ISO weeks
        "2017-03..2017-01",  # ends before it starts
        "2017-06-05..2017-06-01",
        "2017-02-30..2017-03-01",
        "2017-06-01",  # a day is not a period id
        "9999-12",  # would end in year 10000
        " 2017-03",
        "2017-03 ",
        "２０１７-03",  # full-width digits are for titles, not ids
        "2017年3月",
        "2017-q1",
    ],
)
def test_parse_period_id_rejects_anything_else_with_value_error(text):
    with pytest.raises(ValueError, match="is not a period id"):
        parse_period_id(text)


def test_parse_period_id_error_names_the_text_and_the_expected_forms():
    with pytest.raises(ValueError) as info:
        parse_period_id("2017-13")
    assert str(info.value) == (
        "'2017-13' is not a period id (expected 2017, 2017-H1, 2017-Q1, 2017-03, 2017-W09, "
        "2017-01..2017-03 or 2017-06-01..2017-06-05)"
    )


years = st.integers(min_value=1000, max_value=9998)


@st.composite
def canonical_labels(draw):
    """Labels of every period kind label_id names, plus month and day spans."""
    kind = draw(st.sampled_from(["month", "quarter", "half", "year", "week", "months", "days"]))
    y = draw(years)
    if kind == "month":
        p = month_period(y, draw(st.integers(1, 12)))
    elif kind == "quarter":
        p = quarter_period(y, draw(st.integers(1, 4)))
    elif kind == "half":
        p = half_year_period(y, draw(st.integers(1, 2)))
    elif kind == "year":
        p = year_period(y)
    elif kind == "week":
        weeks_in_year = date(y, 12, 28).isocalendar()[1]
        p = week_period(y, draw(st.integers(1, weeks_in_year)))
    elif kind == "months":
        y = min(y, 9990)  # a span of up to 30 months must end before year 10000
        first = draw(st.integers(1, 12))
        start = month_period(y, first).start
        return PeriodLabel(start, month_period(y, first + draw(st.integers(1, 30))).end)
    else:
        start = draw(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 1, 1)))
        return PeriodLabel(start, start + timedelta(days=draw(st.integers(1, 400))))
    return PeriodLabel(p.start, p.end)


@given(canonical_labels())
def test_parse_period_id_round_trips_label_id(label):
    assert parse_period_id(label_id(label)) == label


# --- infer_label: months -----------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "2017年3月",
        "2017年3月份财政收支情况",
        "2017年03月财政收支情况",
        "关于2017年3月份财政预算执行情况的公告",
        "2017年 3 月",
        "２０１７年３月份",  # full-width digits
        "2017年三月",
        "二〇一七年三月财政收支",
    ],
)
def test_month_with_year_is_that_month(title):
    assert infer_label(title) == months(2017, 3)


@pytest.mark.parametrize(
    ("title", "month"),
    [("2017年十二月", 12), ("2017年十一月份", 11), ("2017年十月", 10), ("2017年一月", 1)],
)
def test_month_in_chinese_numerals(title, month):
    assert infer_label(title) == months(2017, month)


@pytest.mark.parametrize(
    "title",
    [
        "2017年1-2月",
        "2017年1—2月财政收支",
        "2017年1～2月",
        "2017年1~2月",
        "2017年1至2月",
        "2017年1到2月",
        "2017年1－2月",
        "2017年1–2月",
        "2017年1、2月份",
        "2017年1月-2月",
        "2017年1月至2月份",
        "2017年一至二月",
    ],
)
def test_month_span_in_every_separator_is_jan_to_feb(title):
    assert infer_label(title) == months(2017, 1, 2)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2017年1-3月财政收支", months(2017, 1, 3)),
        ("2017年4-6月", months(2017, 4, 6)),
        ("2017年1、2、3月份", months(2017, 1, 3)),
        ("2017年一至三月", months(2017, 1, 3)),
        ("2016年12月至2017年2月", months(2016, 12, 2, to_year=2017)),
    ],
)
def test_month_span_covers_both_ends(title, expected):
    assert infer_label(title) == expected


def test_listed_months_that_are_not_consecutive_are_not_a_span():
    assert infer_label("2017年1、3月") is None


# --- infer_label: quarters, halves, year-to-date, years -------------------------------------


@pytest.mark.parametrize(
    ("title", "q"),
    [
        ("2017年第一季度", 1),
        ("2017年一季度财政收支", 1),
        ("2017年第1季度", 1),
        ("2017年1季度", 1),
        ("2017年二季度", 2),
        ("2017年第三季度", 3),
        ("2017年第四季度", 4),
        ("2017年度第四季度", 4),
    ],
)
def test_quarter(title, q):
    assert infer_label(title) == quarter(2017, q)


def test_quarter_span():
    assert infer_label("2017年二至三季度") == months(2017, 4, 9)
    assert infer_label("2017年第一、二季度") == months(2017, 1, 6)


@pytest.mark.parametrize(
    ("title", "h"), [("2017年上半年财政收支", 1), ("2017年下半年工作计划", 2)]
)
def test_half_year(title, h):
    assert infer_label(title) == half(2017, h)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("2017年前三季度", months(2017, 1, 9)),
        ("2017年前3季度", months(2017, 1, 9)),
        ("2017年前两季度", months(2017, 1, 6)),
        ("2017年前二季度", months(2017, 1, 6)),
    ],
)
def test_first_n_quarters_is_cumulative_from_january(title, expected):
    assert infer_label(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "2017年度",
        "2017年度部门决算",
        "2017年财政决算",
        "关于2017年全区财政收支情况的报告",
        "2017年",
    ],
)
def test_year_alone_is_the_year(title):
    assert infer_label(title) == whole_year(2017)


def test_year_alone_loses_to_a_more_specific_period_anywhere_in_the_title():
    assert infer_label("2017年财政收支及一季度执行情况", date(2017, 4, 20)) == quarter(2017, 1)
    assert infer_label("2017年预算执行情况和2017年3月份收支") == months(2017, 3)


def test_of_two_years_alone_the_first_wins():
    assert infer_label("2017年预算执行情况和2018年预算草案") == whole_year(2017)


# --- infer_label: several mentions, days, spans of years -----------------------------------


def test_first_complete_mention_wins():
    assert infer_label("2017年1-3月及3月份财政收支") == months(2017, 1, 3)


def test_a_mention_without_year_and_without_published_is_not_complete():
    assert infer_label("3月份及2017年1-3月财政收支") == months(2017, 1, 3)


@pytest.mark.parametrize(
    "title",
    [
        "关于2017年3月5日召开政务公开工作会议的通知",
        "2017年3月5号停水通知",
        "3月5日起调整公交线路",
        "2017年3月1日至3月31日",
        "二〇一七年三月五日",
    ],
)
def test_a_day_is_an_event_date_not_a_period(title):
    assert infer_label(title, date(2017, 3, 1)) is None


def test_a_day_is_skipped_and_a_later_period_still_read():
    assert infer_label("2017年3月5日发布2017年2月份财政收支") == months(2017, 2)


def test_a_span_of_years_is_a_plan_not_a_period():
    assert infer_label("2016-2020年发展规划") is None
    assert infer_label("2016年—2020年发展规划") is None


# --- infer_label: year from the publication day -------------------------------------------


@pytest.mark.parametrize(
    ("title", "published", "expected"),
    [
        ("十二月份财政收支", date(2018, 1, 10), months(2017, 12)),
        ("一季度财政收支情况", date(2017, 4, 10), quarter(2017, 1)),
        ("四季度财政收支情况", date(2018, 1, 15), quarter(2017, 4)),
        ("3月份财政收支", date(2017, 4, 8), months(2017, 3)),
        ("3月份财政收支", date(2017, 3, 1), months(2017, 3)),  # started that day: not future
        ("3月份财政收支", date(2017, 2, 28), months(2016, 3)),
        ("1-2月", date(2017, 3, 15), months(2017, 1, 2)),
        ("一至三月", date(2017, 4, 15), months(2017, 1, 3)),
        ("上半年财政收支", date(2017, 7, 20), half(2017, 1)),
        ("下半年财政收支", date(2018, 1, 20), half(2017, 2)),
        ("前三季度", date(2017, 10, 20), months(2017, 1, 9)),
        ("十一月份", date(2017, 12, 5), months(2017, 11)),
    ],
)
def test_missing_year_is_the_latest_that_does_not_put_the_period_in_the_future(
    title, published, expected
):
    assert infer_label(title, published) == expected


@pytest.mark.parametrize("title", ["一季度财政收支情况", "3月份财政收支", "1-2月", "上半年"])
def test_missing_year_without_published_is_none(title):
    assert infer_label(title) is None


@pytest.mark.parametrize(
    ("title", "published"),
    [
        ("17年3月财政收支", None),
        ("17年3月财政收支", date(2017, 4, 10)),  # the title states a year, just not a readable one
        ("17年财政决算", date(2018, 3, 1)),
        ("1989年3月", None),
        ("2101年3月", None),
        ("12017年3月", None),
    ],
)
def test_a_year_that_is_not_four_digits_in_1990_to_2100_is_not_a_year(title, published):
    assert infer_label(title, published) is None


def test_an_unreadable_year_does_not_hide_a_good_mention():
    assert infer_label("17年工作总结暨2017年一季度财政收支") == quarter(2017, 1)


# --- infer_label: nothing to read ----------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "关于印发政务公开工作要点的通知",
        "招生范围公告",
        "",
        "每一季度公开一次",  # "each quarter", not Q1
        "统一月度报告格式",  # "uniform monthly", not January
        "近三月情况",
        "3个月内办结",
    ],
)
def test_titles_naming_no_period_are_none(title):
    assert infer_label(title, date(2017, 5, 10)) is None


@pytest.mark.parametrize(
    "title",
    ["2017年13月", "2017年0月", "2017年第五季度", "第五季度", "2017年前五季度", "2017年3-1月"],
)
def test_impossible_numbers_are_not_recognised(title):
    assert infer_label(title, date(2017, 5, 10)) is None


# --- properties ----------------------------------------------------------------------------


def test_every_month_of_2004_to_2030_is_read():
    for y in range(2004, 2031):
        for m in range(1, 13):
            assert infer_label(f"{y}年{m}月财政收支情况") == months(y, m), (y, m)


@given(
    st.integers(2004, 2030),
    st.integers(1, 12),
    st.sampled_from(["{y}年{m}月", "{y}年{m:02d}月", "{y}年{m}月份", "关于{y}年{m}月"]),
    st.booleans(),
)
def test_month_titles_in_any_spelling_are_that_month(y, m, form, full_width):
    title = form.format(y=y, m=m) + "财政收支情况"
    if full_width:
        title = title.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert infer_label(title) == months(y, m)


title_chars = st.text(
    alphabet=st.sampled_from(
        list("0123456789０１２年月日号季度第前上下半份个至到-~—、 〇零一二两三四五六七八九十每统近财政")
    )
)


@given(st.one_of(st.text(), title_chars), st.one_of(st.none(), st.dates()))
def test_infer_label_never_raises_and_returns_a_non_empty_label(title, published):
    label = infer_label(title, published)
    assert label is None or (isinstance(label, PeriodLabel) and label.start < label.end)


def test_a_yearless_multi_month_span_must_have_ended_when_published():
    # 1-2月 and 前三季度 released in January are about the year before.
    assert infer_label("1-2月财政收支", date(2018, 1, 15)) == PeriodLabel(date(2017, 1, 1), date(2017, 3, 1))
    assert infer_label("前三季度财政收支", date(2018, 1, 15)) == PeriodLabel(date(2017, 1, 1), date(2017, 10, 1))


def test_a_yearless_single_month_may_be_reported_while_it_runs():
    assert infer_label("3月份空气质量", date(2017, 3, 31)) == PeriodLabel(date(2017, 3, 1), date(2017, 4, 1))


# --- title_label: the memoised reading the readers use ----------------------------------------

_FRAGMENTS = [
    "2017年", "2016年", "3月", "十二月份", "1-2月", "第一季度", "二季度", "前三季度", "上半年",
    "年度", "财政收支", "5日", "关于", "2016-2020年", "、", "17年", "度",
]


@given(
    st.lists(st.sampled_from(_FRAGMENTS), max_size=6).map("".join),
    st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)),
)
def test_title_label_agrees_with_infer_label_whatever_was_read_before(title, first, second):
    # The memo keeps a title's label across days only when no yearless mention decides it,
    # so reading the same title on another day must still give that day's answer.
    assert title_label(title, first) == infer_label(title, first)
    assert title_label(title, second) == infer_label(title, second)


def test_a_yearless_title_is_dated_by_each_row_that_uses_it():
    assert title_label("十二月份财政收支", date(2018, 1, 10)) == months(2017, 12)
    assert title_label("十二月份财政收支", date(2018, 12, 31)) == months(2018, 12)
