"""Tests for zwgk_rules.events.xlsx: XLSX event logs read with openpyxl in read-only mode."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import MetaItem
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.events.xlsx import iter_rows, read_xlsx, read_xlsx_meta
from zwgk_rules.periods import PeriodLabel
from zwgk_rules.timeutil import SHANGHAI

HEADER = ("id", "unit", "type", "title", "published_at", "channel", "value")


def workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """Write a workbook with the given sheets in order; ``None`` rows are left empty."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for number, row in enumerate(rows, 1):
            for column, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(row=number, column=column, value=value)
    wb.save(path)
    return path


def summary(results: list[Event | Rejection]) -> list[tuple[int, str]]:
    return [(r.row, r.id if isinstance(r, Event) else r.reason) for r in results]


def test_cells_become_events(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {
            "events": [
                HEADER,
                (
                    1001,
                    "财政局",
                    "publication",
                    "2017年3月财政收支",
                    datetime(2017, 4, 12),
                    "网站、微博",
                    4.5,
                ),
                (),
                (1002.0, "财政局", "publication", None, datetime(2017, 4, 13, 9, 30), None, "4%"),
                ("   ", None, "", None, None, None, None),
                ("e3", "u", "t", None, "2017-04-14", None, None),
            ]
        },
    )
    results = list(read_xlsx(path))
    assert summary(results) == [(2, "1001"), (4, "1002"), (6, "e3")]
    e1, e2, e3 = results
    assert isinstance(e1, Event) and isinstance(e2, Event) and isinstance(e3, Event)
    assert (e1.at, e1.date_only) == (datetime(2017, 4, 12, tzinfo=SHANGHAI), True)
    assert e1.period == PeriodLabel(date(2017, 3, 1), date(2017, 4, 1))
    assert (e1.channels, e1.value, e1.source) == (("网站", "微博"), 4.5, str(path))
    assert (e2.at, e2.date_only, e2.value) == (
        datetime(2017, 4, 13, 9, 30, tzinfo=SHANGHAI),
        False,
        4.0,
    )
    assert (e3.at, e3.date_only) == (datetime(2017, 4, 14, tzinfo=SHANGHAI), True)


def test_date_cells_without_time_are_date_only(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(["编号", "单位", "类型", "发生时间"])
    ws.append(["e1", "u", "incident", date(2017, 7, 1)])
    ws["D2"].number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "d.xlsx")
    [e] = read_xlsx(tmp_path / "d.xlsx")
    assert isinstance(e, Event)
    assert (e.at, e.date_only) == (datetime(2017, 7, 1, tzinfo=SHANGHAI), True)


def test_events_sheet_is_preferred(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {
            "说明": [("这是说明",)],
            "Events": [HEADER, ("e1", "u", "t", None, "2017-01-01")],
        },
    )
    assert summary(list(read_xlsx(path))) == [(2, "e1")]


def test_first_sheet_other_than_meta_when_no_events_sheet(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {
            "meta": [("covers", "2017")],
            "台账": [HEADER, ("e1", "u", "t", None, "2017-01-01")],
        },
    )
    assert summary(list(read_xlsx(path))) == [(2, "e1")]


def test_meta_sheet(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {
            "events": [HEADER],
            "meta": [(" Covers ", " 2017-01-01..2017-12-31 "), (None, "ignored: no key")],
        },
    )
    assert read_xlsx_meta(path, source="log.xlsx") == (
        MetaItem("covers", "2017-01-01..2017-12-31", Location("log.xlsx", field="meta!B1")),
    )
    assert read_xlsx_meta(workbook(tmp_path / "none.xlsx", {"events": [HEADER]})) == ()


def test_values_without_a_header(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {
            "events": [
                ("id", "unit", "type", None, "published_at"),
                ("e1", "u", "t", "stray", "2017-01-01"),
                ("e2", "u", "t", None, "2017-01-01", None, "far right"),
            ]
        },
    )
    assert summary(list(read_xlsx(path))) == [
        (2, "a value in column D, which has no header"),
        (3, "a value in column G, which has no header"),
    ]


def test_field_rejections(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "log.xlsx",
        {"events": [HEADER, ("e1", "u", "t", None, 42736), ("e2", None, "t", None, "2017-01-01")]},
    )
    results = list(read_xlsx(path))
    assert summary(results)[1] == (3, "missing required field 'unit'")
    assert isinstance(results[0], Rejection)
    assert results[0].reason.startswith("published_at: 42736 is not an ISO date or date-time")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("id", "unit", "type", "titel", "published_at")],
            "log.xlsx: events!D1: unknown column 'titel'",
        ),
        ([(None,), HEADER], "log.xlsx: events!A1: row 1 must be the header"),
        ([], "log.xlsx: events!A1: row 1 must be the header"),
        (
            [("id", "unit", "type")],
            "log.xlsx: events!A1: needs a 'published_at' or an 'occurred_at' column",
        ),
    ],
)
def test_bad_header(tmp_path: Path, rows: list[Sequence[object]], message: str) -> None:
    path = workbook(tmp_path / "log.xlsx", {"events": rows})
    for read in (
        lambda: list(read_xlsx(path, source="log.xlsx")),
        lambda: read_xlsx_meta(path, source="log.xlsx"),
    ):
        with pytest.raises(UserInputError) as info:
            read()
        assert str(info.value).startswith(message)


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "log.xlsx"
    path.write_text("id,unit\n")
    with pytest.raises(UserInputError) as info:
        read_xlsx_meta(path, source="log.xlsx")
    assert str(info.value).startswith("log.xlsx: not a readable .xlsx workbook")


def test_workbook_with_only_a_meta_sheet(tmp_path: Path) -> None:
    path = workbook(tmp_path / "log.xlsx", {"meta": [("covers", "2017")]})
    with pytest.raises(UserInputError, match="no sheet of events"):
        list(read_xlsx(path))


def test_streams_without_reading_ahead() -> None:
    def endless() -> Iterator[tuple[object, ...]]:
        yield HEADER
        for n in itertools.count():
            yield (f"e{n}", "u", "t", None, datetime(2017, 1, 1))

    first = list(itertools.islice(iter_rows(endless(), source="s"), 2))
    assert summary(first) == [(2, "e0"), (3, "e1")]


def test_large_workbook_streams(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("events")
    ws.append(HEADER)
    for n in range(3000):
        ws.append((f"e{n}", "u", "t", None, datetime(2017, 1, 1)))
    wb.save(tmp_path / "big.xlsx")
    first = itertools.islice(read_xlsx(tmp_path / "big.xlsx"), 1)
    assert summary(list(first)) == [(2, "e0")]
