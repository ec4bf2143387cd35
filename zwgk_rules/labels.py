"""Period labels: canonical period ids from event logs, and reporting periods read from titles."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from zwgk_rules.periods import (
    Period,
    PeriodLabel,
    half_year_period,
    month_period,
    quarter_period,
    week_period,
    year_period,
)

# --- canonical ids (written by people and tools into event logs) -----------------------------

# The ids `periods.label_id` writes, and nothing else: a log that states its period is
# trusted as given, so a typo must fail loudly instead of being guessed at. `[0-9]`, not
# `\d`, because `\d` also matches full-width and other scripts' digits.
_PERIOD_ID = re.compile(
    r"""
    (?P<year>[0-9]{4})
    (?:
        -H(?P<half>[12])
      | -Q(?P<quarter>[1-4])
      | -W(?P<week>[0-9]{2})
      | -(?P<month>[0-9]{2})(?:\.\.(?P<to_year>[0-9]{4})-(?P<to_month>[0-9]{2}))?
      | -(?P<from_rest>[0-9]{2}-[0-9]{2})\.\.(?P<to_day>[0-9]{4}-[0-9]{2}-[0-9]{2})
    )?
    """,
    re.VERBOSE,
)

_EXPECTED_IDS = "2017, 2017-H1, 2017-Q1, 2017-03, 2017-W09, 2017-01..2017-03 or 2017-06-01..2017-06-05"


def parse_period_id(text: str) -> PeriodLabel:
    """Parse a period stated explicitly in an event log, written as a canonical id.

    The ids are those of :func:`zwgk_rules.periods.label_id`: ``2017`` (year),
    ``2017-H1``/``2017-H2``, ``2017-Q1``..``2017-Q4``, ``2017-03`` (month), ``2017-W09``
    (ISO week, Monday start), ``2017-01..2017-03`` (month span, both ends inclusive) and
    ``2017-06-01..2017-06-05`` (day span, both ends inclusive). Surrounding whitespace is
    not stripped: readers strip cells, so what reaches here is the id itself.

    Args:
        text: the id.

    Returns:
        The half-open label ``[start, end)``.

    Raises:
        ValueError: ``text`` is not one of the forms above, names a month, week or day that
            does not exist, or is a span that ends before it starts.
    """
    m = _PERIOD_ID.fullmatch(text)
    try:
        label = _label_from_id(m) if m is not None else None
    except (ValueError, OverflowError):
        # date() and fromisocalendar() reject month 13, week 54, 2017-02-30 and years
        # past 9999; the caller needs to hear which cell was wrong, not date's wording.
        label = None
    if label is None:
        raise ValueError(f"{text!r} is not a period id (expected {_EXPECTED_IDS})")
    return label


def _label_from_id(m: re.Match[str]) -> PeriodLabel | None:
    """The label a matched id names, None for a span that ends before it starts."""
    year = int(m["year"])
    if m["half"] is not None:
        return _label(half_year_period(year, int(m["half"])))
    if m["quarter"] is not None:
        return _label(quarter_period(year, int(m["quarter"])))
    if m["week"] is not None:
        return _label(week_period(year, int(m["week"])))
    if m["month"] is not None:
        first = _month(year, int(m["month"]))
        if m["to_year"] is None:
            return _label(first)
        last = _month(int(m["to_year"]), int(m["to_month"]))
        return PeriodLabel(first.start, last.end) if first.start <= last.start else None
    if m["from_rest"] is not None:
        start = date.fromisoformat(f"{m['year']}-{m['from_rest']}")
        last_day = date.fromisoformat(m["to_day"])
        return PeriodLabel(start, last_day + timedelta(days=1)) if start <= last_day else None
    return _label(year_period(year))


def _month(year: int, month: int) -> Period:
    # month_period() rolls month 13 into next January on purpose (for "month + 3"); an id
    # saying 2017-13 is a mistake, not arithmetic.
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    return month_period(year, month)


def _label(period: Period) -> PeriodLabel:
    return PeriodLabel(period.start, period.end)


# --- titles ----------------------------------------------------------------------------------

# Years outside this range in a title are page numbers, document numbers or history, not
# the period a release reports on (and the working-day calendar starts in 2004 anyway).
_MIN_YEAR, _MAX_YEAR = 1990, 2100

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}

# A month or quarter number: ASCII digits (after NFKC) or Chinese numerals up to 十二.
# "两" is left out: 两月 means "two months", never February.
_NUM = r"(?:[0-9]{1,2}(?![0-9])|[〇零一二三四五六七八九十]{1,3})"
# Any digit run, so that "17年" is seen as a (bad) year rather than skipped and its month
# read as yearless; Chinese years are written digit by digit (二〇一七年).
_YEAR = r"(?:[0-9]+|[〇零一二三四五六七八九]{4})"
# Range marks seen in titles: hyphen, tilde (~ and 〜; NFKC turns － and ～ into - and ~),
# en and em dashes (1—2月, sometimes doubled), 至 and 到.
_SEP = r"(?:[-~〜‐–—―]{1,3}|至|到)"

# One mention of a period. Titles are scanned left to right with finditer; every branch
# is optional so a position with nothing to read yields an empty match, which is skipped.
# `\s*` never sits next to another `\s*` around an optional part, and dash runs and lists
# are bounded, so a long run of spaces, dashes or 一、一、... cannot make the scan quadratic.
_MENTION = re.compile(
    rf"""
    # Every mention starts with a digit, a numeral, 第, 前, 上 or 下: elsewhere the scan
    # moves on inside the regex engine instead of handing back an empty match per
    # character (a title read for the first time costs a fifth as much).
    (?=[0-9〇零一二三四五六七八九十第前上下])
    # Not the tail of a longer number; and 每一季度 ("each quarter"), 统一月度 ("uniform
    # monthly") and 近三月 ("the last three months") are not Q1, January and March.
    (?<![0-9每统近])
    (?:
        # 2016-2020年: a plan's horizon or a school year, not a reporting period.
        (?P<years>{_YEAR}\s*(?:年\s*)?{_SEP}\s*{_YEAR}\s*年)
      | (?:(?P<year>{_YEAR})\s*年\s*(?:度\s*)?)?
        (?P<rest>
            # 3月5日: the day of an event, not a period; read it so that it is not taken
            # for March.
            (?P<date>{_NUM}\s*月\s*{_NUM}\s*[日号])
            # 1-3月, 1月至3月, 2016年12月至2017年2月, 二至三季度.
          | 第?(?P<span_from>{_NUM})\s*(?:(?P<span_from_unit>月份?|季度)\s*)?{_SEP}\s*
            (?:(?P<span_year>{_YEAR})\s*年\s*)?第?(?P<span_to>{_NUM})\s*(?P<span_unit>月|季度)
            # 1、2月份, 第一、二季度: listed together, so a span when consecutive.
          | 第?(?P<listed>{_NUM}(?:\s*、\s*{_NUM}){{1,11}})\s*(?P<listed_unit>月|季度)
            # 3月, 3月份, 十二月; 月度 means "monthly".
          | (?P<month>{_NUM})\s*月(?!度)
          | 第?(?P<quarter>{_NUM})\s*季度
            # 前两季度 takes 两, the usual word for a count; 前五季度 must be read (and
            # rejected) whole, or its 2017年 would be taken for the year alone.
          | 前\s*(?P<first_quarters>{_NUM}|两)\s*(?:个\s*)?季度
          | (?P<half>[上下])\s*半\s*年
        )?
    )
    """,
    re.VERBOSE,
)


def infer_label(title: str, published: date | None = None) -> PeriodLabel | None:
    """Read the reporting period from a release title, or None when the title names none.

    Recognised, in full-width or ASCII digits and in Chinese numerals: months (2017年3月,
    3月份, 十二月), month spans (1-2月, 1—2月, 1～2月, 1至2月, 1月至3月, 1、2月份, 4-6月),
    quarters (第一季度, 一季度, 第1季度, 1季度), quarter spans (一至三季度), 前三季度 and
    前两季度 (cumulative from January), 上半年/下半年, and a year alone (2017年, 2017年度).

    Several mentions: the first *complete* one wins, reading left to right, because titles
    put the period they report first ("2017年1-3月及3月份财政收支" is the cumulative
    January-March release). A mention is complete when it has a valid number and a year,
    stated or taken from ``published``; a year alone counts only when the title names no
    more specific period. Not periods, and skipped whole: a day (2017年3月5日 is the date
    of an event), a span of years (2016-2020年), and a mention whose year is not a four-digit
    year in 1990-2100 (17年3月 is not read as March of ``published``'s year: the title states
    a year, just not one we can trust).

    A mention without a year takes ``published.year``, or the year before when that would
    put the start of the period after ``published`` (a release cannot report on a period
    that has not begun): 十二月份 published 2018-01-10 is December 2017. A span of more
    than one month must also have ended: 1-2月 or 前三季度 published in January 2018 is
    about 2017, while a single month may be reported while it runs (3月份空气质量 published
    on 31 March).

    Args:
        title: the release title, as published.
        published: the day the release was published, to date mentions without a year.

    Returns:
        The label, or None when the title names no period, names an impossible one
        (2017年13月, 第五季度), or has no year and ``published`` is None. Never raises.
    """
    return _read_title(title, published)[0]


def _read_title(title: str, published: date | None) -> tuple[PeriodLabel | None, bool]:
    """:func:`infer_label`, and whether its answer could differ for another ``published``.

    Only a mention without a year reads ``published``; a title whose answer comes before
    any such mention (nearly every real title, which states its year) has the same label
    whatever day it was published.
    """
    text = unicodedata.normalize("NFKC", title)
    # Every mention has 年, 月 or 季 (年 in 半年 and a year alone): most titles of a log
    # that name no period are settled here.
    if "年" not in text and "月" not in text and "季" not in text:
        return None, False
    whole_year: PeriodLabel | None = None
    dated = False
    for m in _MENTION.finditer(text):
        if m["years"] is not None or m["date"] is not None:
            continue
        if m["year"] is None and m["rest"] is None:
            continue  # an empty match: nothing to read at this position
        year = _title_year(m["year"]) if m["year"] is not None else None
        if m["year"] is not None and year is None:
            continue
        if m["rest"] is None:
            if whole_year is None and year is not None:
                whole_year = _label(year_period(year))
            continue
        if year is not None:
            label = _mention_label(m, year)
        else:
            dated = True
            label = _yearless_label(m, published) if published is not None else None
        if label is not None:
            return label, dated
    return whole_year, dated


# Logs repeat titles ("2017年3月份财政收支情况") across units; both memos are bounded so
# that a log of a million distinct titles does not keep a million of them alive.
@lru_cache(maxsize=1 << 16)
def undated_label(title: str) -> PeriodLabel | None | bool:
    """The label of ``title`` whatever day it was published, or True when the day matters
    (then ask :func:`title_label`). Memoised; raises as :func:`infer_label` may."""
    label, dated = _read_title(title, None)
    return True if dated else label


@lru_cache(maxsize=1 << 16)
def _dated_label(title: str, published: date) -> PeriodLabel | None:
    return infer_label(title, published)


def title_label(title: str, published: date) -> PeriodLabel | None:
    """:func:`infer_label` for a row of a log, memoised; never raises.

    A title that names a day that does not exist (2月30日) or a year out of range states no
    usable period: the row is still a good event, just without a label.
    """
    try:
        label = undated_label(title)
        return _dated_label(title, published) if label is True else label  # type: ignore[return-value]
    except (ValueError, OverflowError):
        return None


def _multi_month(label: PeriodLabel) -> bool:
    return (label.end.year - label.start.year) * 12 + label.end.month - label.start.month > 1


def _yearless_label(m: re.Match[str], published: date) -> PeriodLabel | None:
    """The label of a mention without a year, dated by the day it was published."""
    label = _mention_label(m, published.year)
    if label is not None and (label.start > published or (_multi_month(label) and label.end > published)):
        return _mention_label(m, published.year - 1)
    return label


def _mention_label(m: re.Match[str], year: int) -> PeriodLabel | None:
    """The label a mention names in ``year``, or None when its numbers are out of range."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    if m["month"] is not None:
        month = _cn_int(m["month"])
        return _units_span("月", year, month, year, month)
    if m["quarter"] is not None:
        quarter = _cn_int(m["quarter"])
        return _units_span("季度", year, quarter, year, quarter)
    if m["half"] is not None:
        return _label(half_year_period(year, 1 if m["half"] == "上" else 2))
    if m["first_quarters"] is not None:
        return _units_span("季度", year, 1, year, _cn_int(m["first_quarters"]))
    if m["listed"] is not None:
        numbers = [_cn_int(n) for n in re.split(r"\s*、\s*", m["listed"])]
        consecutive = all(
            a is not None and b is not None and b == a + 1
            for a, b in pairwise(numbers)
        )
        if not consecutive:
            return None  # 1、3月 is two months, not January to March
        return _units_span(m["listed_unit"], year, numbers[0], year, numbers[-1])
    if m["span_from"] is not None:
        unit = m["span_unit"]
        if m["span_from_unit"] is not None and m["span_from_unit"].rstrip("份") != unit:
            return None  # 1月至3季度 mixes units
        to_year: int | None = year
        if m["span_year"] is not None:
            # The second year only makes sense after a first one: 2016年12月至2017年2月.
            to_year = _title_year(m["span_year"]) if m["year"] is not None else None
        first, last = _cn_int(m["span_from"]), _cn_int(m["span_to"])
        if to_year is None or first is None or last is None or (to_year, last) <= (year, first):
            return None
        return _units_span(unit, year, first, to_year, last)
    return None


def _units_span(
    unit: str, year: int, first: int | None, to_year: int, last: int | None
) -> PeriodLabel | None:
    """From the start of month/quarter ``first`` of ``year`` to the end of ``last`` of ``to_year``."""
    if not (_MIN_YEAR <= year <= _MAX_YEAR and _MIN_YEAR <= to_year <= _MAX_YEAR):
        return None
    if unit == "月":
        if first is None or last is None or not (1 <= first <= 12 and 1 <= last <= 12):
            return None
        return PeriodLabel(month_period(year, first).start, month_period(to_year, last).end)
    if first is None or last is None or not (1 <= first <= 4 and 1 <= last <= 4):
        return None
    return PeriodLabel(quarter_period(year, first).start, quarter_period(to_year, last).end)


def _title_year(text: str) -> int | None:
    """A year as written in a title (2017, 二〇一七), or None unless four digits in range."""
    if len(text) != 4:
        return None
    year = int(text) if text.isascii() else int("".join(str(_CN_DIGITS[c]) for c in text))
    return year if _MIN_YEAR <= year <= _MAX_YEAR else None


def _cn_int(text: str) -> int | None:
    """Read 3, 03, 三, 十, 十二, 二十 or 一十二; None for anything else (十十, 一二)."""
    if text.isascii():
        return int(text) if text.isdigit() else None
    if "十" in text:
        tens_text, _, units_text = text.partition("十")
        tens = 1 if tens_text == "" else _CN_DIGITS.get(tens_text)
        units = 0 if units_text == "" else _CN_DIGITS.get(units_text)
        return None if tens is None or units is None else tens * 10 + units
    return _CN_DIGITS.get(text) if len(text) == 1 else None
