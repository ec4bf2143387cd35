"""Tests for zwgk_rules.events.jsonl: JSON Lines event logs."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import MetaItem
from zwgk_rules.events.jsonl import iter_jsonl, jsonl_meta, read_jsonl, read_jsonl_meta
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.periods import PeriodLabel


def line(**fields: object) -> bytes:
    return json.dumps(fields, ensure_ascii=False).encode() + b"\n"


GOOD = line(
    id="e1", unit="财政局", type="publication", title="2017年3月财政收支", published_at="2017-04-12"
)


def read(*lines: bytes) -> list[Event | Rejection]:
    return list(iter_jsonl(lines, source="log.jsonl"))


def summary(results: list[Event | Rejection]) -> list[tuple[int, str]]:
    return [(r.row, r.id if isinstance(r, Event) else r.reason) for r in results]


def test_events_with_line_numbers_and_blank_lines_skipped() -> None:
    results = read(
        GOOD,
        b"\n",
        b"   \r\n",
        line(id="e2", unit="u", type="incident", occurred_at="2017-05-01T08:00"),
    )
    assert summary(results) == [(1, "e1"), (4, "e2")]
    first = results[0]
    assert isinstance(first, Event)
    assert first.source == "log.jsonl"
    assert first.period == PeriodLabel(date(2017, 3, 1), date(2017, 4, 1))


def test_lists_in_json() -> None:
    [e] = read(
        line(
            id="e1",
            unit="u",
            type="t",
            published_at="2017-01-01",
            channel=["网站", "微博"],
            content="原文;解读",
        )
    )
    assert isinstance(e, Event)
    assert (e.channels, e.content) == (("网站", "微博"), ("原文", "解读"))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            b"{not json}\n",
            "not valid JSON: Expecting property name enclosed in double quotes at column 2",
        ),
        (b"[1, 2]\n", "expected a JSON object, got an array"),
        (b'"text"\n', "expected a JSON object, got a string"),
        (b"null\n", "expected a JSON object, got null"),
        (b'{"id": "a", "id": "b"}\n', "field 'id' is given twice"),
        (
            b'{"id": "\xff"}\n',
            "byte 9 of this line is not valid UTF-8 (JSON Lines files are UTF-8)",
        ),
    ],
)
def test_bad_lines_are_rejections_with_their_line(raw: bytes, reason: str) -> None:
    assert summary(read(GOOD, raw, GOOD)) == [(1, "e1"), (2, reason), (3, "e1")]


def test_too_deeply_nested_json_is_a_rejection() -> None:
    [result] = read(b"[" * 100_000 + b"\n")
    assert isinstance(result, Rejection)
    assert result.reason.startswith("not valid JSON: ")


def test_unknown_key_is_a_row_rejection() -> None:
    results = read(line(id="e1", unit="u", type="t", published_at="2017-01-01", titel="x"))
    assert summary(results) == [(1, "unknown field 'titel' (did you mean 'title'?)")]
    assert isinstance(results[0], Rejection)
    assert results[0].event_id == "e1"


def test_bom_on_the_first_line() -> None:
    assert summary(read(b"\xef\xbb\xbf" + GOOD)) == [(1, "e1")]


def test_meta_first_line_is_not_a_row() -> None:
    meta = b'{"$meta": {"covers": "2017-01-01..2017-12-31"}}\n'
    assert summary(read(b"\n", meta, GOOD)) == [(3, "e1")]
    assert jsonl_meta([b"\n", meta, GOOD], source="log.jsonl") == (
        MetaItem(
            "covers", "2017-01-01..2017-12-31", Location("log.jsonl", 2, field="$.$meta.covers")
        ),
    )


def test_meta_elsewhere_is_a_rejection() -> None:
    meta = b'{"$meta": {"covers": "2017"}}\n'
    reason = "'$meta' is only allowed as the sole key on the first line"
    assert summary(read(GOOD, meta)) == [(1, "e1"), (2, reason)]
    assert summary(read(b'{"$meta": {}, "id": "x"}\n')) == [(1, reason)]
    # A bad first line is still the first line: metadata after it is out of place.
    assert summary(read(b"oops\n", meta))[1] == (2, reason)
    assert jsonl_meta([GOOD, meta], source="s") == ()


def test_meta_must_be_an_object() -> None:
    with pytest.raises(UserInputError) as info:
        jsonl_meta([b'{"$meta": "2017"}\n'], source="log.jsonl")
    assert str(info.value) == "log.jsonl:1: $.$meta: the metadata must be a JSON object"


def test_meta_reads_only_the_head() -> None:
    def lines() -> Iterator[bytes]:
        yield b'{"$meta": {"covers": "2017"}}\n'
        raise AssertionError("read past the first line")

    assert [item.key for item in jsonl_meta(lines(), source="s")] == ["covers"]


def test_streams_without_reading_ahead() -> None:
    # An endless log: only a reader that yields as it goes can return the first event.
    endless = itertools.repeat(GOOD)
    first = list(itertools.islice(iter_jsonl(endless, source="s"), 2))
    assert [r.row for r in first] == [1, 2]


def test_read_from_file(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"$meta": {"covers": "2017"}}\n' + GOOD + b"oops\n")
    assert summary(list(read_jsonl(path))) == [
        (2, "e1"),
        (3, "not valid JSON: Expecting value at column 1"),
    ]
    assert [r.source for r in read_jsonl(path, source="x")] == ["x", "x"]
    assert [item.value for item in read_jsonl_meta(path)] == ["2017"]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["id", "unit", "type", "title", 'a":b', "x"]), _json_values, max_size=5), st.booleans())
def test_the_fast_parser_agrees_with_the_careful_one(obj, spaced):
    import json

    from zwgk_rules.events.jsonl import _parse_line, _parse_line_carefully

    line = json.dumps(obj, ensure_ascii=False, separators=(", ", " : ") if spaced else None).encode("utf-8")
    assert _parse_line(line, number=2) == _parse_line_carefully(line, number=2)


def test_a_key_given_twice_is_caught_even_on_the_fast_path():
    from zwgk_rules.events.jsonl import _parse_line

    assert _parse_line(b'{"id": "a", "unit": "u", "id": "b"}', number=3) == "field 'id' is given twice"


_field_values = st.one_of(
    st.none(),
    st.sampled_from([
        "e1", " 区财政局 ", "publication", "财政收支", "2017年3月份财政收支", "2017-03", "2017-Q5",
        "2017-04-05", "2017-04-05T10:00:00+08:00", "2017-04-05T10:00:00+09:00", "2017-02-30",
        "县政府网站；本部门网站", "县政府网站", "", "  ", "4%", 'say ":" twice',
    ]),
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.sampled_from(["县政府网站", " 本部门网站 ", "", 3]), max_size=3),
)
_FIELD_NAMES = ["id", "unit", "type", "category", "title", "period", "published_at", "occurred_at",
                "channel", "url", "content", "value", "related", "标题"]


@settings(max_examples=400)
@given(
    st.dictionaries(st.sampled_from(_FIELD_NAMES), _field_values, max_size=9),
    st.sampled_from([None, "id", "unit", "title"]),
)
def test_every_line_reads_as_the_careful_path_reads_it(obj, repeated):
    # The struct path (msgspec, then the short path on field values) must give exactly what
    # the standard decoder and the full check give, for good rows and bad, keys given twice
    # included.
    from zwgk_rules.events.fields import checked_event_from_row
    from zwgk_rules.events.jsonl import _parse_line_carefully

    base = {"id": "e1", "unit": "区财政局", "type": "publication", "published_at": "2017-04-05"}
    text = json.dumps({**base, **obj}, ensure_ascii=False)
    if repeated is not None:
        text = text[:-1] + f', "{repeated}": "again"}}'
    line = text.encode("utf-8")
    (got,) = iter_jsonl([line], source="log.jsonl")
    careful = _parse_line_carefully(line, number=1)
    if isinstance(careful, str):
        assert got == Rejection(source="log.jsonl", row=1, reason=careful)
    else:
        assert got == checked_event_from_row(careful, source="log.jsonl", row=1, offset=0)
