"""Tests for zwgk_rules.events.fields: raw rows from any format → Event or Rejection."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import (
    FIELDS,
    HEADER_ALIASES,
    Header,
    canonical_field,
    event_from_row,
    excel_column,
    parse_covers,
    parse_header,
    row_from_cells,
)
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.periods import PeriodLabel
from zwgk_rules.timeutil import SHANGHAI

BASE: dict[str, object] = {
    "id": "e1",
    "unit": "财政局",
    "type": "publication",
    "published_at": "2017-04-20",
}


def event(**changes: object) -> Event:
    raw = {**BASE, **changes}
    result = event_from_row({k: v for k, v in raw.items() if v is not ...}, source="log.csv", row=7)
    assert isinstance(result, Event), result
    return result


def reason(**changes: object) -> str:
    raw = {**BASE, **changes}
    result = event_from_row({k: v for k, v in raw.items() if v is not ...}, source="log.csv", row=7)
    assert isinstance(result, Rejection), result
    assert (result.source, result.row) == ("log.csv", 7)
    return result.reason


def test_minimal_row() -> None:
    e = event()
    assert (e.id, e.unit, e.type, e.source, e.row) == ("e1", "财政局", "publication", "log.csv", 7)
    assert e.at == datetime(2017, 4, 20, tzinfo=SHANGHAI)
    assert e.date_only is True
    assert (e.category, e.title, e.period, e.channels, e.url, e.content, e.value, e.related) == (
        "",
        "",
        None,
        (),
        "",
        (),
        None,
        "",
    )


def test_full_row() -> None:
    e = event(
        category="财政预决算",
        title="关于2016年度部门决算的说明",
        period="2016",
        channel="门户网站;政务微博",
        url="http://example.gov.cn/a",
        content=["决算表", "说明"],
        value="4.5",
        related="e0",
        published_at=...,
        occurred_at="2017-03-05T10:30",
    )
    assert e.period == PeriodLabel(date(2016, 1, 1), date(2017, 1, 1))
    assert e.channels == ("门户网站", "政务微博")
    assert e.content == ("决算表", "说明")
    assert (e.category, e.url, e.value, e.related) == (
        "财政预决算",
        "http://example.gov.cn/a",
        4.5,
        "e0",
    )
    assert e.at == datetime(2017, 3, 5, 10, 30, tzinfo=SHANGHAI)
    assert e.date_only is False


def test_whitespace_is_stripped_and_empty_means_absent() -> None:
    e = event(id="  e9 ", unit="\u3000财政局\t", title="   ", category="", url=None, channel=" ")
    assert (e.id, e.unit, e.title, e.category, e.url, e.channels) == (
        "e9",
        "财政局",
        "",
        "",
        "",
        (),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, "12"), (12.0, "12"), (12.5, "12.5"), ("0012", "0012"), (-3, "-3")],
)
def test_spreadsheet_numbers_become_text_without_dot_zero(raw: object, expected: str) -> None:
    assert event(id=raw).id == expected


@pytest.mark.parametrize("name", ["id", "unit", "type"])
def test_missing_required_field(name: str) -> None:
    assert reason(**{name: ...}) == f"missing required field {name!r}"
    assert reason(**{name: "  "}) == f"missing required field {name!r}"


def test_time_fields_exactly_one() -> None:
    assert reason(occurred_at="2017-04-20") == "give published_at or occurred_at, not both"
    assert reason(published_at=...) == "missing required field 'published_at' or 'occurred_at'"
    assert reason(published_at="") == "missing required field 'published_at' or 'occurred_at'"


@pytest.mark.parametrize(
    ("text", "expected", "date_only"),
    [
        ("2017-03-05", datetime(2017, 3, 5, tzinfo=SHANGHAI), True),
        ("2017-03-05T10:00", datetime(2017, 3, 5, 10, tzinfo=SHANGHAI), False),
        ("2017-03-05 10:00:00", datetime(2017, 3, 5, 10, tzinfo=SHANGHAI), False),
        ("2017-03-05T02:00Z", datetime(2017, 3, 5, 10, tzinfo=SHANGHAI), False),
        (" 2017-03-05T10:00+08:00 ", datetime(2017, 3, 5, 10, tzinfo=SHANGHAI), False),
    ],
)
def test_iso_text_instants(text: str, expected: datetime, date_only: bool) -> None:
    e = event(published_at=text)
    assert (e.at, e.date_only) == (expected, date_only)
    assert e.at.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "text", ["2017-13-01", "2017/03/05", "yesterday", "20170305x", "0001-01-01T00:00+09:00"]
)
def test_bad_instant(text: str) -> None:
    assert reason(published_at=text) == f"published_at: {text!r} is not an ISO date or date-time"


def test_bad_instant_names_the_field_given() -> None:
    assert (
        reason(published_at=..., occurred_at="3月5日")
        == "occurred_at: '3月5日' is not an ISO date or date-time"
    )


def test_excel_cells_for_instants() -> None:
    # openpyxl gives a datetime for a date-only cell: midnight means "a day, no time".
    e = event(published_at=datetime(2017, 3, 5))
    assert (e.at, e.date_only) == (datetime(2017, 3, 5, tzinfo=SHANGHAI), True)
    e = event(published_at=datetime(2017, 3, 5, 9, 15))
    assert (e.at, e.date_only) == (datetime(2017, 3, 5, 9, 15, tzinfo=SHANGHAI), False)
    e = event(published_at=date(2017, 3, 5))
    assert (e.at, e.date_only) == (datetime(2017, 3, 5, tzinfo=SHANGHAI), True)
    e = event(published_at=datetime(2017, 3, 5, 1, tzinfo=timezone.utc))
    assert (e.at, e.date_only) == (datetime(2017, 3, 5, 9, tzinfo=SHANGHAI), False)
    assert "is not an ISO date or date-time" in reason(published_at=42736)
    assert (
        reason(published_at=time(9))
        == "published_at: expected an ISO date or date-time, got a time of day"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("4%", 4.0), ("4.5", 4.5), (" 4 ％ ", 4.0), (3, 3.0), (2.25, 2.25), ("-1e3", -1000.0)],
)
def test_value(raw: object, expected: float) -> None:
    assert event(value=raw).value == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abc", "value: 'abc' is not a number"),
        ("nan", "value: 'nan' is not a number"),
        ("inf%", "value: 'inf%' is not a number"),
        (True, "value: True is not a number"),
        ([1], "value: expected a number, got a list"),
    ],
)
def test_bad_value(raw: object, expected: str) -> None:
    assert reason(value=raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("网站", ("网站",)),
        ("网站;微博；公众号、 报纸", ("网站", "微博", "公众号", "报纸")),
        ("网站;;", ("网站",)),
        (["网站", " 微博 ", ""], ("网站", "微博")),
        # A list is taken as given: an item may itself contain 、.
        (["收入、支出预算表"], ("收入、支出预算表",)),
    ],
)
def test_list_fields(raw: object, expected: tuple[str, ...]) -> None:
    assert event(channel=raw).channels == expected
    assert event(content=raw).content == expected


def test_bad_list_items() -> None:
    assert reason(channel=["网站", 3]) == "channel[1]: expected text, got a number"
    assert reason(content={"a": 1}) == "content: expected text, got an object"


def test_unknown_field() -> None:
    assert reason(titel="x") == "unknown field 'titel' (did you mean 'title'?)"
    assert reason(zzz="") == "unknown field 'zzz'"
    assert reason(标题="x") == "unknown field '标题' (did you mean 'title'?)"


def test_explicit_period() -> None:
    assert event(period="2017-Q1").period == PeriodLabel(date(2017, 1, 1), date(2017, 4, 1))
    assert event(period=2017).period == PeriodLabel(date(2017, 1, 1), date(2018, 1, 1))
    # An explicit period wins over the title.
    assert event(period="2017-03", title="2017年一季度").period == PeriodLabel(
        date(2017, 3, 1), date(2017, 4, 1)
    )


def test_bad_period() -> None:
    assert reason(period="2017-13").startswith("period: '2017-13' is not a period id (e.g. 2017")
    assert reason(period=datetime(2017, 3, 1)).startswith(
        "period: expected text, got a date cell (2017-03-01T00:00:00)"
    )


@pytest.mark.parametrize(
    ("title", "published", "start", "end"),
    [
        ("2017年3月财政收支情况", "2017-04-15", date(2017, 3, 1), date(2017, 4, 1)),
        ("一季度全市经济运行情况", "2017-04-20", date(2017, 1, 1), date(2017, 4, 1)),
        ("1-2月财政收支情况", "2017-03-15", date(2017, 1, 1), date(2017, 3, 1)),
        ("前三季度财政收支", "2017-10-20", date(2017, 1, 1), date(2017, 10, 1)),
        ("2016年度部门决算", "2017-07-01", date(2016, 1, 1), date(2017, 1, 1)),
    ],
)
def test_period_inferred_from_title(title: str, published: str, start: date, end: date) -> None:
    assert event(title=title, published_at=published).period == PeriodLabel(start, end)


def test_no_period_without_one_in_the_title() -> None:
    assert event(title="关于召开新闻发布会的通知").period is None
    assert event().period is None


def test_every_problem_is_reported_with_the_id() -> None:
    result = event_from_row(
        {
            "id": "e5",
            "unit": "u",
            "type": "t",
            "published_at": "2017-13-01",
            "value": "abc",
            "titel": "",
        },
        source="a.jsonl",
        row=3,
    )
    assert result == Rejection(
        source="a.jsonl",
        row=3,
        reason=(
            "unknown field 'titel' (did you mean 'title'?); "
            "published_at: '2017-13-01' is not an ISO date or date-time; "
            "value: 'abc' is not a number"
        ),
        event_id="e5",
    )
    assert str(result).startswith("a.jsonl:3: unknown field")


def test_text_field_type_errors() -> None:
    assert reason(unit=True) == "unit: True is not text"
    assert reason(title={"zh": "x"}) == "title: expected text, got an object"
    assert reason(id=datetime(2017, 3, 1)).startswith("id: expected text, got a date cell")


def test_long_values_are_shortened_in_reasons() -> None:
    text = "x" * 500
    assert len(reason(value=text)) < 100


# --- never raises -----------------------------------------------------------------------------

_keys = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))
_scalars = st.one_of(
    st.none(),
    st.text(),
    st.sampled_from(
        [
            "2017-03-05",
            "2017-03-05T10:00",
            "2017-Q1",
            "4%",
            "2017年一季度",
            "9999-12-31T23:00-01:00",
        ]
    ),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())),
    st.dates(),
)
_values = st.one_of(
    _scalars,
    st.lists(_scalars, max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, st.text(), max_size=14))
def test_text_rows_never_raise(raw: dict[str, object]) -> None:
    assert isinstance(event_from_row(raw, source="s", row=1), (Event, Rejection))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_keys, _values, max_size=14))
def test_any_rows_never_raise(raw: dict[str, object]) -> None:
    result = event_from_row(raw, source="s", row=1)
    assert isinstance(result, (Event, Rejection))
    if isinstance(result, Rejection):
        assert result.reason


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {"id": st.text(min_size=1), "unit": st.text(min_size=1), "type": st.text(min_size=1)},
        optional={
            "title": st.text(),
            "published_at": st.text(),
            "value": st.text(),
            "channel": st.text(),
        },
    )
)
def test_near_valid_rows_never_raise(raw: dict[str, object]) -> None:
    assert isinstance(event_from_row(raw, source="s", row=1), (Event, Rejection))


# --- headers and cells -------------------------------------------------------------------------


def _at(index: int) -> Location:
    return Location("t.csv", 1, index + 1)


def test_header_aliases() -> None:
    assert all(canonical_field(alias) == field for alias, field in HEADER_ALIASES.items())
    assert {HEADER_ALIASES[a] for a in HEADER_ALIASES} == set(FIELDS)
    assert canonical_field(" Published_At ") == "published_at"
    assert canonical_field("\ufeffid") == "id"
    assert canonical_field("titel") is None


def test_parse_header() -> None:
    header = parse_header(["编号", "单位", "Type", None, "发布时间", "", "  "], locate=_at)
    assert header == Header(("id", "unit", "type", None, "published_at"))


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            ["id", "unit", "type", "published_at", "titel"],
            "t.csv:1:5: unknown column 'titel' (did you mean 'title'?)",
        ),
        (
            ["编号", "单位", "类型", "发布时间", "标提"],
            "t.csv:1:5: unknown column '标提' (did you mean '标题'?)",
        ),
        (
            ["id", "unit", "type", "published_at", "title", "标题"],
            "t.csv:1:6: column '标题' gives 'title' a second time",
        ),
        (["id", "type", "published_at"], "t.csv:1:1: no column for required field 'unit'"),
        (["id", "unit", "type"], "t.csv:1:1: needs a 'published_at' or an 'occurred_at' column"),
    ],
)
def test_bad_header(cells: list[object], message: str) -> None:
    with pytest.raises(UserInputError) as info:
        parse_header(cells, locate=_at)
    assert str(info.value).startswith(message)


def test_unknown_header_hint_lists_columns() -> None:
    with pytest.raises(UserInputError) as info:
        parse_header(["id", "unit", "type", "published_at", "备注"], locate=_at)
    assert info.value.hint is not None
    assert "title/标题" in info.value.hint


def test_row_from_cells() -> None:
    header = Header(("id", None, "title"))
    name = "column {}".format
    assert row_from_cells(header, ["e1", "", " ", None], column_name=name) == {"id": "e1"}
    assert (
        row_from_cells(header, ["e1", "x"], column_name=name)
        == "a value in column 1, which has no header"
    )
    assert row_from_cells(header, ["e1", None, "t", "extra"], column_name=name) == (
        "a value in column 3, which has no header"
    )


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_excel_column(index: int, letters: str) -> None:
    assert excel_column(index) == letters


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017-01-01..2017-12-31", (date(2017, 1, 1), date(2017, 12, 31))),
        (" 2017-03-01 .. 2017-03-01 ", (date(2017, 3, 1), date(2017, 3, 1))),
        ("2017", (date(2017, 1, 1), date(2017, 12, 31))),
        (2017, (date(2017, 1, 1), date(2017, 12, 31))),
        ("2017-Q2", (date(2017, 4, 1), date(2017, 6, 30))),
    ],
)
def test_parse_covers(value: object, expected: tuple[date, date]) -> None:
    assert parse_covers(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2017-12-31..2017-01-01", "covers: '2017-12-31..2017-01-01' ends before it starts"),
        (
            "2017-02-30..2017-03-01",
            "covers: '2017-02-30..2017-03-01' names a day that does not exist",
        ),
        (
            "all of 2017",
            "covers: 'all of 2017' is neither 'YYYY-MM-DD..YYYY-MM-DD' nor a period id",
        ),
        (["2017"], "covers: expected text like '2017-01-01..2017-12-31', got a list"),
    ],
)
def test_bad_covers(value: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_covers(value)
    assert str(info.value).startswith(message)


# The short path for well-formed rows must agree with the full check wherever it answers.
_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from([
        "2017-03-05", "2017-03-05T10:00:00", "2017-03-05T10:00:00Z", " 2017-02-30 ", "2017-03", "2017-Q1",
        "2017-03-05T10:00:00+08:00", "2017-03-05T23:30:00+07:00", "2017-03-05 10:00:00+08:00", "2017-02-30T10:00:00+08:00",
        "2017年3月财政收支", "一季度水质", "  ", "4%",
    ]),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.lists(st.sampled_from(["县政府网站", " 本部门网站 ", "", "a;b"]), max_size=3),
)
_changes = st.dictionaries(
    st.sampled_from(["id", "unit", "type", "category", "title", "period", "published_at", "occurred_at", "channel", "url", "content", "value", "related", "titel"]),
    _values,
    max_size=4,
)
_BASE = {"id": "e1", "unit": "区财政局", "type": "publication", "published_at": "2017-04-10"}
# Mostly a good row with a few fields changed, so both paths are exercised.
_rows = st.one_of(_changes, _changes.map(lambda changes: {**_BASE, **changes}))


@settings(max_examples=500)
@given(_rows)
def test_the_short_path_agrees_with_the_full_check(raw):
    from zwgk_rules.events.fields import _well_formed_event, checked_event_from_row

    fast = _well_formed_event(raw, "log.jsonl", 7, 120)
    if fast is not None:
        full = checked_event_from_row(raw, source="log.jsonl", row=7, offset=120)
        assert fast == full
        # The same instant, in Shanghai time however it was written, and always the same
        # tzinfo object (datetimes with different ones compare ten times slower).
        assert fast.at.tzinfo is full.at.tzinfo is SHANGHAI


def test_the_short_path_takes_an_ordinary_row():
    from zwgk_rules.events.fields import _well_formed_event

    raw = {"id": "e1", "unit": "区财政局", "type": "publication", "title": "2017年3月份财政收支", "published_at": "2017-04-10", "channel": ["县政府网站"], "value": 4}
    assert _well_formed_event(raw, "log.jsonl", 2, 0) is not None
