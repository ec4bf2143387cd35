"""JSON Lines event logs: one UTF-8 JSON object per line, streamed line by line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import orjson

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import MetaItem, event_from_row, open_binary
from zwgk_rules.events.model import Event, Rejection

#: The key of the optional first line that holds the log's metadata instead of an event.
META_KEY = "$meta"


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
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    for number, raw in enumerate(lines, 1):
        start = offset
        offset += len(raw)
        # The ordinary line, inline: orjson parses it, and a flat object whose keys are each
        # written `"key":` once cannot hold a key twice (which orjson would not report).
        try:
            parsed: dict[str, object] | str | None = loads(raw)
        except decode_error:
            parsed = _parse_line_carefully(raw, number=number)
        else:
            if type(parsed) is not dict or raw.count(b'":') != len(parsed):
                parsed = _parse_line_carefully(raw, number=number)
        if parsed is None:
            continue
        was_first, first = first, False
        if type(parsed) is str:
            yield Rejection(source=source, row=number, reason=parsed)
            continue
        assert type(parsed) is dict
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

    orjson parses the ordinary line three times faster than the standard library; anything
    it refuses, and any line that might hold a key twice, goes to the standard decoder,
    which alone words the reasons.
    """
    try:
        fast = orjson.loads(raw)
    except orjson.JSONDecodeError:
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

