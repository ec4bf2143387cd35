"""Tests for zwgk_rules.events.log: opening logs by extension, metadata, digests, chaining."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import MetaItem
from zwgk_rules.events.log import LogMeta, open_log, read_events
from zwgk_rules.events.model import Event, Rejection

JSONL = (
    '{"$meta": {"covers": "2017-01-01..2017-06-30"}}\n'
    '{"id": "j1", "unit": "u", "type": "publication", "published_at": "2017-01-05"}\n'
    "oops\n"
)
CSV = "# covers: 2017\nid,unit,type,published_at\nc1,u,t,2017-02-01\n"


def write_xlsx(path: Path, covers: str | None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "events"
    ws.append(["id", "unit", "type", "occurred_at"])
    ws.append(["x1", "u", "incident", datetime(2017, 3, 1, 8)])
    if covers is not None:
        wb.create_sheet("meta").append(["covers", covers])
    wb.save(path)
    return path


def summary(results: list[Event | Rejection]) -> list[tuple[str, int, str]]:
    return [
        (Path(r.source).name, r.row, r.id if isinstance(r, Event) else r.reason) for r in results
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson", ".json", ".JSONL"])
def test_jsonl_log(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"log{suffix}"
    path.write_text(JSONL, encoding="utf-8")
    log = open_log(path)
    assert (log.format, log.source, log.path) == ("jsonl", str(path), path)
    assert log.meta == LogMeta(covers=(date(2017, 1, 1), date(2017, 6, 30)))
    assert summary(list(log)) == [
        (path.name, 2, "j1"),
        (path.name, 3, "not valid JSON: Expecting value at column 1"),
    ]
    assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_log(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(CSV.encode("gb18030"))
    log = open_log(str(path))
    assert log.meta.covers == (date(2017, 1, 1), date(2017, 12, 31))
    assert summary(list(log)) == [("log.csv", 3, "c1")]
    assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_log(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "log.xlsx", "2017-Q1")
    log = open_log(path)
    assert log.meta.covers == (date(2017, 1, 1), date(2017, 3, 31))
    assert summary(list(log)) == [("log.xlsx", 2, "x1")]
    assert log.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert open_log(write_xlsx(tmp_path / "bare.xlsx", None)).meta == LogMeta()


def test_sha256_before_iterating_and_after_a_change(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    log = open_log(path)
    assert log.sha256 == hashlib.sha256(JSONL.encode()).hexdigest()
    changed = JSONL + "\n"
    path.write_text(changed, encoding="utf-8")
    list(log)
    # Each complete iteration records the digest of the bytes it read.
    assert log.sha256 == hashlib.sha256(changed.encode()).hexdigest()


def test_iterating_twice_gives_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(CSV, encoding="utf-8")
    log = open_log(path)
    assert list(log) == list(log)


def test_no_metadata(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"id": "j1"}\n', encoding="utf-8")
    assert open_log(path).meta == LogMeta(covers=None)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("events.xls", "", "events.xls: unknown event log format '.xls'"),
        ("events", "", "events: unknown event log format '(no extension)'"),
        ("missing.csv", None, "missing.csv: no such event log file"),
        (
            "bad.jsonl",
            '{"$meta": {"covers": "2017-13"}}\n',
            "bad.jsonl:1: $.$meta.covers: covers: '2017-13' is neither",
        ),
        (
            "bad.jsonl",
            '{"$meta": {"cover": "2017"}}\n',
            "bad.jsonl:1: $.$meta.cover: unknown metadata key 'cover'",
        ),
        (
            "bad.csv",
            "# covers: 2017-12-01..2017-01-01\nid,unit,type,published_at\n",
            "bad.csv:1: covers: '2017-12-01..2017-01-01' ends before",
        ),
        (
            "bad.csv",
            "# covers: 2017\n# covers: 2018\nid,unit,type,published_at\n",
            "bad.csv:2: metadata key 'covers' is given twice",
        ),
        ("bad.csv", "id,unit,type,published_at,titel\n", "bad.csv:1:5: unknown column 'titel'"),
    ],
)
def test_open_errors_name_the_file(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        open_log(path)
    assert str(info.value).startswith(str(tmp_path / message))


def test_xls_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(UserInputError) as info:
        open_log(tmp_path / "old.XLS")
    assert info.value.hint == "save it as .xlsx"


def test_malformed_xlsx_covers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "log.xlsx", "全年")
    with pytest.raises(UserInputError) as info:
        open_log(path)
    assert str(info.value).startswith(f"{path}: meta!B1: covers: '全年' is neither")


def test_meta_from_items() -> None:
    where = Location("s", 1)
    assert LogMeta.from_items([MetaItem("covers", " ", where)]) == LogMeta()
    assert LogMeta.from_items([MetaItem("covers", None, where)]) == LogMeta()
    assert LogMeta.from_items([MetaItem("covers", "2017-03", where)]).covers == (
        date(2017, 3, 1),
        date(2017, 3, 31),
    )


def test_read_events_chains_logs_in_order(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(JSONL, encoding="utf-8")
    csv = tmp_path / "b.csv"
    csv.write_text(CSV, encoding="utf-8")
    xlsx = write_xlsx(tmp_path / "c.xlsx", None)
    assert summary(list(read_events([jsonl, str(csv), xlsx]))) == [
        ("a.jsonl", 2, "j1"),
        ("a.jsonl", 3, "not valid JSON: Expecting value at column 1"),
        ("b.csv", 3, "c1"),
        ("c.xlsx", 2, "x1"),
    ]


def test_read_events_checks_every_file_first(tmp_path: Path) -> None:
    good = tmp_path / "a.jsonl"
    good.write_text(JSONL, encoding="utf-8")
    with pytest.raises(UserInputError, match="no such event log file"):
        read_events([good, tmp_path / "missing.csv"])
