"""Reading one event again by its byte offset: what the engine relies on to keep evidence small."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk_rules.errors import UserInputError
from zwgk_rules.events.log import open_log, read_events
from zwgk_rules.events.model import Event


def events_of(path: Path) -> list[Event]:
    return [e for e in open_log(path) if isinstance(e, Event)]


def assert_every_event_reads_again(path: Path) -> None:
    log = open_log(path)
    events = events_of(path)
    assert events
    for e in events:
        assert e.offset >= 0
        # Everything but the row number, which only a full pass can count.
        assert log.refetch(log.source, e.offset) == e._replace(row=0)
    log.close()


def test_jsonl_rows_read_again_by_offset(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(
        '{"$meta": {"covers": "2017"}}\n'
        '{"id": "a", "unit": "u", "type": "publication", "title": "2017年3月份财政收支", "published_at": "2017-04-02"}\n'
        "\n"
        "not json\n"
        '{"id": "b", "unit": "u", "type": "publication", "url": "http://x/y", "published_at": "2017-04-02T10:00:00+08:00"}\r\n'
        '{"id": "c", "unit": "u", "type": "publication", "channel": ["县政府网站"], "published_at": "2017-05-02"}',
        encoding="utf-8",
    )
    assert_every_event_reads_again(path)
    data = path.read_bytes()
    assert [e.offset for e in events_of(path)] == [data.index(f'{{"id": "{x}"'.encode()) for x in "abc"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_records_read_again_by_offset(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "log.csv"
    text = (
        "# covers: 2017\n"
        "编号,单位,类型,标题,发布时间,内容\n"
        "a,区财政局,publication,2017年3月份财政收支,2017-04-02,\n"
        "\n"
        'b,区财政局,publication,"两行\n的标题",2017-04-03,"招生范围；招生条件"\n'
        ",,,,,\n"
        "c,区教育局,publication,招生信息,2017-07-01T09:00:00+08:00,\n"
    )
    path.write_bytes(text.encode(encoding))
    assert_every_event_reads_again(path)
    assert [e.title for e in events_of(path)] == ["2017年3月份财政收支", "两行\n的标题", "招生信息"]


def test_xlsx_rows_have_no_offset_and_are_not_read_again(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "unit", "type", "occurred_at"])
    ws.append(["x1", "u", "incident", datetime(2017, 3, 1, 8)])
    path = tmp_path / "log.xlsx"
    wb.save(path)
    (event,) = events_of(path)
    assert event.offset == -1
    with pytest.raises(UserInputError, match="no row of this log starts at byte -1"):
        open_log(path).refetch(str(path), -1)


def test_several_logs_read_again_by_source(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.csv"
    a.write_text('{"id": "a1", "unit": "u", "type": "t", "published_at": "2017-01-02"}\n', encoding="utf-8")
    b.write_text("id,unit,type,published_at\nb1,u,t,2017-01-03\n", encoding="utf-8")
    logs = read_events([a, b])
    found = {e.id: e for e in logs if isinstance(e, Event)}
    assert logs.refetch(str(b), found["b1"].offset).id == "b1"
    assert logs.refetch(str(a), found["a1"].offset).id == "a1"
    with pytest.raises(UserInputError, match="no row of this log"):
        logs.refetch(str(tmp_path / "c.jsonl"), 0)
    logs.close()


_text = st.text(alphabet=st.sampled_from('ab 年月,"\n\r；、:{}x'), max_size=8)
_rows = st.lists(
    st.fixed_dictionaries(
        {"id": st.from_regex(r"[a-z][a-z0-9]{0,5}", fullmatch=True), "title": _text, "category": _text},
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_rows, st.sampled_from(["utf-8", "gb18030"]), st.booleans())
def test_any_csv_record_reads_again(tmp_path: Path, rows, encoding, blank_lines) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["id", "unit", "type", "title", "category", "published_at"])
    for row in rows:
        if blank_lines:
            out.write("\r\n")
        writer.writerow([row["id"], "u", "t", row["title"], row["category"], "2017-03-05"])
    path = tmp_path / "any.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    assert_every_event_reads_again(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_rows, st.booleans())
def test_any_jsonl_line_reads_again(tmp_path: Path, rows, crlf) -> None:
    end = "\r\n" if crlf else "\n"
    lines = [
        json.dumps({"unit": "u", "type": "t", "published_at": "2017-03-05", **row}, ensure_ascii=False)
        for row in rows
    ]
    path = tmp_path / "any.jsonl"
    path.write_bytes(end.join(lines).encode("utf-8"))
    assert_every_event_reads_again(path)
