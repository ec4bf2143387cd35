"""Tests for zwgk_rules.events.csv_reader: CSV event logs in UTF-8 or GB18030."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.csv_reader import (
    DETECT_BYTES,
    csv_meta,
    detect_encoding,
    iter_csv,
    read_csv,
    read_csv_meta,
)
from zwgk_rules.events.fields import MetaItem
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.periods import PeriodLabel
from zwgk_rules.timeutil import SHANGHAI

HEADER = "id,unit,type,title,published_at,channel,value\n"


def lines(text: str, encoding: str = "utf-8") -> list[bytes]:
    return io.BytesIO(text.encode(encoding)).readlines()


def read(text: str, encoding: str = "utf-8") -> list[Event | Rejection]:
    return list(iter_csv(lines(text, encoding), source="log.csv"))


def summary(results: list[Event | Rejection]) -> list[tuple[int, str]]:
    return [(r.row, r.id if isinstance(r, Event) else r.reason) for r in results]


def test_rows_are_numbered_as_a_spreadsheet_shows_them() -> None:
    results = read(
        HEADER
        + "e1,财政局,publication,2017年3月财政收支,2017-04-12,网站；微博,4%\n"
        + "e2,财政局,publication,,2017-04-13 09:30,,\n"
    )
    assert summary(results) == [(2, "e1"), (3, "e2")]
    e1, e2 = results
    assert isinstance(e1, Event) and isinstance(e2, Event)
    assert e1.period == PeriodLabel(date(2017, 3, 1), date(2017, 4, 1))
    assert (e1.channels, e1.value, e1.date_only) == (("网站", "微博"), 4.0, True)
    assert (e2.title, e2.channels, e2.value) == ("", (), None)
    assert (e2.at, e2.date_only) == (datetime(2017, 4, 13, 9, 30, tzinfo=SHANGHAI), False)


def test_chinese_headers() -> None:
    text = "编号,单位,类型,类别,标题,期间,发生时间,渠道,链接,内容,数值,关联事件\n" + (
        "e1,应急局,incident,自然灾害,暴雨,,2017-07-01T06:00,,http://x,,,e0\n"
    )
    [e] = read(text)
    assert isinstance(e, Event)
    assert (e.id, e.unit, e.type, e.category, e.title, e.url, e.related) == (
        "e1",
        "应急局",
        "incident",
        "自然灾害",
        "暴雨",
        "http://x",
        "e0",
    )


def test_utf8_bom() -> None:
    assert summary(read("\ufeff" + HEADER + "e1,u,t,,2017-01-01,,\n")) == [(2, "e1")]


def test_gb18030() -> None:
    text = "编号,单位,类型,标题,发布时间\ne1,财政局,publication,2017年一季度财政收支,2017-04-20\n"
    [e] = read(text, "gb18030")
    assert isinstance(e, Event)
    assert (e.unit, e.title) == ("财政局", "2017年一季度财政收支")
    assert e.period == PeriodLabel(date(2017, 1, 1), date(2017, 4, 1))


def test_detect_encoding() -> None:
    assert detect_encoding(b"id,unit\n", complete=True) == "utf-8"
    assert detect_encoding("单位".encode("gb18030"), complete=True) == "gb18030"
    # A head cut in the middle of a character is still UTF-8 ...
    assert detect_encoding("单位".encode()[:-1], complete=False) == "utf-8"
    # ... but a whole file that ends in half a character is not.
    assert detect_encoding("单位".encode()[:-1], complete=True) == "gb18030"


def test_invalid_utf8_after_the_head_names_the_line() -> None:
    filler = "e{},u,t,,2017-01-01,,\n"
    rows = "".join(filler.format(n) for n in range(DETECT_BYTES // len(filler) + 10))
    data = lines(HEADER + rows) + ["e-gbk,财政局,t,,2017-01-01,,\n".encode("gb18030")]
    bad_line = len(data)
    with pytest.raises(UserInputError) as info:
        list(iter_csv(data, source="big.csv"))
    assert info.value.location == Location("big.csv", bad_line)
    assert str(info.value).startswith(f"big.csv:{bad_line}: byte 7 of this line is not valid UTF-8")


def test_bytes_invalid_in_gb18030_too() -> None:
    with pytest.raises(UserInputError) as info:
        list(iter_csv([HEADER.encode(), b"e1,\xff\xff,t,,2017-01-01,,\n"], source="x.csv"))
    assert str(info.value).startswith("x.csv:2: byte 4 of this line is not valid GB18030")


def test_utf16_is_refused_with_advice() -> None:
    with pytest.raises(UserInputError, match="UTF-16"):
        read_csv_from_bytes(("\ufeff" + HEADER).encode("utf-16-le"))


def read_csv_from_bytes(data: bytes) -> list[Event | Rejection]:
    return list(iter_csv(io.BytesIO(data), source="x.csv"))


def test_comments_metadata_and_line_numbers() -> None:
    text = (
        "# 2017年政务公开台账\n"
        "# covers: 2017-01-01..2017-12-31\n"
        "\n" + HEADER + "e1,u,t,,2017-01-01,,\n"
    )
    assert summary(read(text)) == [(5, "e1")]
    assert read_csv_meta_from(text) == (
        MetaItem("covers", "2017-01-01..2017-12-31", Location("log.csv", 2)),
    )


def read_csv_meta_from(text: str) -> tuple[MetaItem, ...]:
    return csv_meta(lines(text), source="log.csv")


def test_comment_metadata_variants() -> None:
    assert read_csv_meta_from("#Covers：2017\n" + HEADER)[0].value == "2017"
    # Other comments are free text, even when they look like "key: value".
    assert read_csv_meta_from("# 制表人: 张三\n# note: x\n" + HEADER) == ()


def test_quoted_cells_spanning_lines() -> None:
    text = HEADER + 'e1,u,t,"第一行\n第二行",2017-01-01,,\n' + "e2,u,t,,2017-01-02,,\n"
    results = read(text)
    assert summary(results) == [(2, "e1"), (4, "e2")]
    assert isinstance(results[0], Event)
    assert results[0].title == "第一行\n第二行"


def test_wrong_number_of_cells() -> None:
    text = HEADER + "e1,u,t\n" + "e2,u,t,,2017-01-01,,,x\n" + "e3,u,t,,2017-01-01,,\n"
    assert summary(read(text)) == [
        (2, "row has 3 cells but the header has 7"),
        (3, "row has 8 cells but the header has 7"),
        (4, "e3"),
    ]


def test_padding_and_blank_rows_are_not_rows() -> None:
    text = (
        HEADER
        + "e1,u,t,,2017-01-01,,,,\n"
        + ",,,,,,\n"
        + "\n"
        + " , ,\n"
        + "e2,u,t,,2017-01-01,,\n"
    )
    assert summary(read(text)) == [(2, "e1"), (6, "e2")]


def test_blank_header_columns() -> None:
    text = "id,unit,type,,published_at,\n" + "e1,u,t,,2017-01-01,\n" + "e2,u,t,note,2017-01-01,\n"
    assert summary(read(text)) == [(2, "e1"), (3, "a value in column 4, which has no header")]


def test_row_rejections_from_fields() -> None:
    text = HEADER + "e1,u,t,,2017-13-01,,abc\n" + ",u,t,,2017-01-01,,\n"
    assert summary(read(text)) == [
        (
            2,
            "published_at: '2017-13-01' is not an ISO date or date-time; value: 'abc' is not a number",
        ),
        (3, "missing required field 'id'"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "id,unit,type,titel,published_at\n",
            "log.csv:1:4: unknown column 'titel' (did you mean 'title'?)",
        ),
        ("# c\nid,unit,type,published_at,备注\n", "log.csv:2:5: unknown column '备注'"),
        (
            "id\tunit\ttype\tpublished_at\n",
            "log.csv:1: the header has a single column; columns must be separated by commas",
        ),
        ("id,type,published_at\n", "log.csv:1:1: no column for required field 'unit'"),
        ("", "log.csv: the CSV file has no header row"),
        ("# covers: 2017\n\n", "log.csv: the CSV file has no header row"),
    ],
)
def test_file_level_errors(text: str, message: str) -> None:
    with pytest.raises(UserInputError) as info:
        read(text)
    assert str(info.value).startswith(message)


def test_header_only_file_has_no_rows() -> None:
    assert read(HEADER) == []


def test_streams_without_reading_ahead() -> None:
    def endless() -> Iterator[bytes]:
        yield HEADER.encode()
        for n in itertools.count():
            yield f"e{n},u,t,,2017-01-01,,\n".encode()

    first = list(itertools.islice(iter_csv(endless(), source="s"), 3))
    assert summary(first) == [(2, "e0"), (3, "e1"), (4, "e2")]


def test_read_from_file(tmp_path: Path) -> None:
    path = tmp_path / "台账.csv"
    path.write_bytes(
        ("# covers: 2017\n" + "编号,单位,类型,发布时间\n" + "e1,财政局,t,2017-05-01\n").encode(
            "gb18030"
        )
    )
    assert summary(list(read_csv(path))) == [(3, "e1")]
    assert [r.source for r in read_csv(path, source="a.csv")] == ["a.csv"]
    assert [(m.key, m.value) for m in read_csv_meta(path)] == [("covers", "2017")]


def test_read_meta_reads_only_the_head(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    # Invalid UTF-8 far past the head would fail a full read; the head read never sees it.
    body = "".join(f"e{n},u,t,,2017-01-01,,\n" for n in range(10_000))
    path.write_bytes((HEADER + body).encode() + b"e,\xff,t,,2017-01-01,,\n")
    assert read_csv_meta(path) == ()
    with pytest.raises(UserInputError):
        list(read_csv(path))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="cannot read the event log"):
        list(read_csv(tmp_path / "missing.csv"))
