"""schemas/event.schema.json agrees with what the JSON Lines reader accepts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from zwgk_rules.events.fields import FIELDS
from zwgk_rules.events.jsonl import iter_jsonl
from zwgk_rules.events.model import Event, Rejection

ROOT = Path(__file__).resolve().parents[2]

SCHEMA: dict[str, Any] = json.loads(
    (ROOT / "schemas" / "event.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)

GOOD: list[dict[str, object]] = [
    {"id": "e1", "unit": "财政局", "type": "publication", "published_at": "2017-04-12"},
    {
        "id": 17,
        "unit": "zibo-czj",
        "type": "publication",
        "category": "财政预决算",
        "title": "2017年1-3月财政收支情况",
        "period": "2017-01..2017-03",
        "published_at": "2017-04-12T10:00:00+08:00",
        "channel": ["门户网站", "政务微博"],
        "url": "http://www.zibo.gov.cn/a.html",
        "content": "收支表；说明",
        "value": "4%",
        "related": "e0",
    },
    {
        "id": "i1",
        "unit": "应急局",
        "type": "incident",
        "occurred_at": "2017-07-01 06:30",
        "value": 12.5,
    },
    {
        "id": "w1",
        "unit": "u",
        "type": "publication",
        "period": "2017-W09",
        "published_at": "2017-03-06T08:00Z",
    },
    {
        "id": "c1",
        "unit": "u",
        "type": "meeting",
        "period": "2017-06-01..2017-06-05",
        "occurred_at": "2017-06-03T09:00Z",
    },
]

BAD: list[dict[str, object]] = [
    {"unit": "u", "type": "t", "published_at": "2017-01-01"},
    {"id": "e1", "type": "t", "published_at": "2017-01-01"},
    {"id": "e1", "unit": "u", "type": "t"},
    {
        "id": "e1",
        "unit": "u",
        "type": "t",
        "published_at": "2017-01-01",
        "occurred_at": "2017-01-01",
    },
    {"id": "e1", "unit": "u", "type": "t", "published_at": "2017-01-01", "titel": "x"},
    {"id": "e1", "unit": "u", "type": "t", "published_at": "2017/01/01"},
    {"id": "e1", "unit": "u", "type": "t", "published_at": "2017-01-01", "value": "abc"},
    {"id": "e1", "unit": "u", "type": "t", "published_at": "2017-01-01", "period": "2017-13"},
    {"id": "e1", "unit": "u", "type": "t", "published_at": "2017-01-01", "channel": ["a", 1]},
    {"id": "e1", "unit": "   ", "type": "t", "published_at": "2017-01-01"},
]


def _read(obj: dict[str, object]) -> Event | Rejection:
    [result] = iter_jsonl([json.dumps(obj, ensure_ascii=False).encode()], source="s")
    return result


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["additionalProperties"] is False
    assert tuple(SCHEMA["properties"]) == FIELDS


@pytest.mark.parametrize("obj", GOOD)
def test_good_events_pass_the_schema_and_the_reader(obj: dict[str, object]) -> None:
    assert list(VALIDATOR.iter_errors(obj)) == []
    assert isinstance(_read(obj), Event)


@pytest.mark.parametrize("obj", BAD)
def test_bad_events_fail_the_schema_and_the_reader(obj: dict[str, object]) -> None:
    assert list(VALIDATOR.iter_errors(obj)) != []
    assert isinstance(_read(obj), Rejection)


def test_meta_line_matches_its_definition() -> None:
    meta = Draft202012Validator({**SCHEMA["$defs"]["meta"], "$defs": SCHEMA["$defs"]})
    assert list(meta.iter_errors({"$meta": {"covers": "2017-01-01..2017-12-31"}})) == []
    assert list(meta.iter_errors({"$meta": {"cover": "2017"}})) != []
