"""JSON Lines event logs: one UTF-8 JSON object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import (
    FIELDS,
    MetaItem,
    event_from_row,
    open_binary,
    well_formed_event,
)
from zwgk_rules.events.model import Event, Rejection

#: The key of the optional first line that holds the log's metadata instead of an event.
META_KEY = "$meta"


class _Row(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An event line as msgspec reads it, in C: no field but the known ones, each of any
    JSON type (None when absent). ``fields.well_formed_event`` decides the rest, so a line
    is judged by the same rules as a CSV or XLSX row; anything unusual goes to the careful
    path, which alone words reasons."""

    id: Any = None
    unit: Any = None
    type: Any = None
    category: Any = None
    title: Any = None
    period: Any = None
    published_at: Any = None
    occurred_at: Any = None
    channel: Any = None
    url: Any = None
    content: Any = None
    value: Any = None
    related: Any = None


assert _Row.__struct_fields__ == FIELDS, "_Row must list the fields in FIELDS order"
_decode_row = msgspec.json.Decoder(_Row).decode
_decode_any = msgspec.json.Decoder().decode
_values = msgspec.structs.astuple
# What msgspec raises for a line it cannot take: malformed or mistyped JSON, bytes that
# are not UTF-8, nesting deeper than its stack. The careful path then words the reason.
_UNREADABLE = (msgspec.MsgspecError, ValueError, RecursionError)


class _DuplicateKey(ValueError):
    """A JSON object names the same field twice; json.loads would silently keep the last."""


def iter_jsonl(lines: Iterable[bytes], *, source: str) -> Iterator[Event | Rejection]:
    """Events and rejections of a JSON Lines log, one per non-blank line, in file order.

    Args:
        lines: the file's bytes split after each ``\\n`` (iterating a binary file does this),
            from the start of the file: each event's ``offset`` is the sum of the lengths
            before its line. JSON text cannot hold a raw newline, so a line is always one
            whole value.
        source: the log's name, for rows.

    Yields:
        An Event or Rejection per non-blank line except a leading ``{"$meta": {...}}`` line;
        ``row`` is the 1-based line number. Blank lines are skipped but still counted.
    """
    first = True
    offset = 0
    for number, raw in enumerate(lines, 1):
        start = offset
        offset += len(raw)
        # The ordinary line, inline. A flat object whose keys are each written `"key":` once
        # cannot hold a key twice, which no fast decoder reports: count them.
        try:
            values = _values(_decode_row(raw))
        except _UNREADABLE:
            pass
        else:
            if raw.count(b'":') == len(FIELDS) - values.count(None):
                event = well_formed_event(values, source, number, start)
                if event is not None:
                    first = False
                    yield event
                    continue
        # Anything else: an unknown field or $meta, a null value, a value of another type,
        # a malformed line. The generic decoder (or, failing it, the careful one) says which.
        parsed = _parse_line(raw, number=number)
        if parsed is None:
            continue
        was_first, first = first, False
        if isinstance(parsed, str):
            yield Rejection(source=source, row=number, reason=parsed)
            continue
        if META_KEY in parsed:
            if was_first and len(parsed) == 1:
                continue
            yield Rejection(
                source=source,
                row=number,
                reason=f"{META_KEY!r} is only allowed as the sole key on the first line",
            )
            continue
        yield event_from_row(parsed, source=source, row=number, offset=start)


def jsonl_event_at(line: bytes, *, source: str, row: int, offset: int) -> Event | Rejection:
    """The event of one line read again from its offset (see :meth:`EventLog.refetch`)."""
    parsed = _parse_line(line, number=row)
    if type(parsed) is not dict or META_KEY in parsed:
        return Rejection(source=source, row=row, reason=parsed if type(parsed) is str else "not an event")
    return event_from_row(parsed, source=source, row=row, offset=offset)


def read_jsonl(path: str | Path, *, source: str | None = None) -> Iterator[Event | Rejection]:
    """Stream the events of the JSON Lines file at ``path``; see :func:`iter_jsonl`."""
    name = str(path) if source is None else source
    with open_binary(Path(path), name) as stream:
        yield from iter_jsonl(stream, source=name)


def jsonl_meta(lines: Iterable[bytes], *, source: str) -> tuple[MetaItem, ...]:
    """The metadata of a JSON Lines log, read from its first non-blank line only.

    Raises:
        UserInputError: the ``$meta`` value is not an object.
    """
    for number, raw in enumerate(lines, 1):
        parsed = _parse_line(raw, number=number)
        if parsed is None:
            continue
        if isinstance(parsed, str) or set(parsed) != {META_KEY}:
            # Not metadata: iter_jsonl will turn this line into an event or a rejection.
            return ()
        meta = parsed[META_KEY]
        location = Location(source, number, field=f"$.{META_KEY}")
        if not isinstance(meta, dict):
            raise UserInputError("the metadata must be a JSON object", location)
        return tuple(
            MetaItem(key, value, Location(source, number, field=f"$.{META_KEY}.{key}"))
            for key, value in meta.items()
        )
    return ()


def read_jsonl_meta(path: str | Path, *, source: str | None = None) -> tuple[MetaItem, ...]:
    """The metadata of the JSON Lines file at ``path``; see :func:`jsonl_meta`."""
    name = str(path) if source is None else source
    with open_binary(Path(path), name) as stream:
        return jsonl_meta(stream, source=name)


def _parse_line(raw: bytes, *, number: int) -> dict[str, object] | str | None:
    """The object on a line, a reason it holds none, or None for a blank line.

    msgspec parses the ordinary line three times faster than the standard library; anything
    it refuses, and any line that might hold a key twice, goes to the standard decoder,
    which alone words the reasons.
    """
    try:
        fast = _decode_any(raw)
    except _UNREADABLE:
        pass
    else:
        # Every key of a flat object is written `"key":`; fewer keys than that pattern means
        # a key may be given twice (or a value holds the pattern): let the careful path see.
        if type(fast) is dict and raw.count(b'":') == len(fast):
            return fast
    return _parse_line_carefully(raw, number=number)


def _parse_line_carefully(raw: bytes, *, number: int) -> dict[str, object] | str | None:
    """The standard decoder's verdict on a line, with reasons worded for people."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"byte {exc.start + 1} of this line is not valid UTF-8 (JSON Lines files are UTF-8)"
    if number == 1:
        text = text.removeprefix("\ufeff")
    # Without its line break, an error at the end of the line is reported at the end of the
    # line, not at "column 1" of the next.
    text = text.rstrip("\r\n")
    if not text.strip():
        return None
    try:
        value = _DECODER.decode(text)
    except _DuplicateKey as exc:
        return str(exc)
    except json.JSONDecodeError as exc:
        return f"not valid JSON: {exc.msg} at column {exc.colno}"
    except (ValueError, RecursionError) as exc:
        # Integers beyond Python's digit limit, or nesting deeper than the parser's stack.
        return f"not valid JSON: {exc}"
    if not isinstance(value, dict):
        return f"expected a JSON object, got {_json_kind(value)}"
    return value


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        # A key given twice would silently lose one of its values.
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(f"field {key!r} is given twice")
            seen.add(key)
    return result


# One decoder for every line: json.loads with a hook builds a new decoder each call.
_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"

