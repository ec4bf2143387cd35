"""Event-log fields: the one place a raw row from any format becomes an Event or a Rejection.

Every reader (JSON Lines, CSV, XLSX) hands this module a mapping of field name → raw value
and gets back a typed :class:`Event` or a :class:`Rejection` whose reason a person can act on.
Tabular readers also use :func:`parse_header` and :func:`row_from_cells` so that header
aliases, blank columns and "empty means absent" work the same in CSV and XLSX.
The field reference is ``docs/events.md``; keep the two in step.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.labels import parse_period_id, title_label, undated_label
from zwgk_rules.periods import PeriodLabel
from zwgk_rules.timeutil import SHANGHAI, parse_instant, start_of_day, to_shanghai

#: Every field an event row may carry, in the order docs/events.md lists them.
FIELDS: tuple[str, ...] = (
    "id",
    "unit",
    "type",
    "category",
    "title",
    "period",
    "published_at",
    "occurred_at",
    "channel",
    "url",
    "content",
    "value",
    "related",
)

REQUIRED: tuple[str, ...] = ("id", "unit", "type")

#: Exactly one of these gives the event's instant.
TIME_FIELDS: tuple[str, str] = ("published_at", "occurred_at")

#: Chinese column headers that spreadsheets exported by 政务 offices commonly use.
HEADER_ALIASES: Mapping[str, str] = {
    "编号": "id",
    "单位": "unit",
    "类型": "type",
    "类别": "category",
    "标题": "title",
    "期间": "period",
    "发布时间": "published_at",
    "发生时间": "occurred_at",
    "渠道": "channel",
    "链接": "url",
    "内容": "content",
    "数值": "value",
    "关联事件": "related",
}

#: Keys a log's metadata may set (JSON Lines ``$meta``, CSV ``# key: value``, XLSX sheet ``meta``).
META_KEYS: frozenset[str] = frozenset({"covers"})

# Half-width and full-width semicolons and the enumeration comma 、 all separate list items:
# Chinese office software writes whichever the typist's input method produced.
_LIST_SEPARATORS = re.compile(r"[;；、]")

_COVERS = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")

_PERIOD_EXAMPLES = "e.g. 2017, 2017-H1, 2017-Q1, 2017-03, 2017-W09, 2017-01..2017-03"

# Longer raw values are cut in reasons so a pasted paragraph doesn't swamp the report.
_QUOTE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class MetaItem:
    """One ``key: value`` of a log's metadata as written, with where it was written."""

    key: str
    value: object
    location: Location


@dataclass(frozen=True, slots=True)
class Header:
    """The field each column of a CSV/XLSX table holds; None for a column with a blank header."""

    fields: tuple[str | None, ...]


class _FieldError(Exception):
    """A problem with one field; collected into the row's Rejection, never escapes this module."""


# --- rows -----------------------------------------------------------------------------------


_FIELD_SET = frozenset(FIELDS)


def event_from_row(
    raw: Mapping[str, object], *, source: str, row: int, offset: int = -1
) -> Event | Rejection:
    """Turn one raw row into an Event, or a Rejection saying everything wrong with it.

    Well-formed rows, nearly all of a real log, take a short path; anything unusual takes
    the full check, which alone decides rejections and explains them. Both give the same
    Event for a row the short path accepts (a property the tests check).

    Args:
        raw: field name → raw value, as a reader found it. Values may be ``None``, text,
            numbers, ``datetime``/``date`` (XLSX cells) or lists (JSON Lines). Empty or
            all-whitespace text means the field is absent.
        source: the log's name, for the Event/Rejection.
        row: 1-based row or line number as the user's editor shows it.
        offset: where the row starts in the file, in bytes, for a reader that can read it
            again from there (see :attr:`Event.offset`); -1 otherwise.

    Returns:
        An :class:`Event`, or a :class:`Rejection` whose reason lists every problem found,
        joined by ``"; "``. This function never raises on bad data.
    """
    return _well_formed_event(raw, source, row, offset) or checked_event_from_row(
        raw, source=source, row=row, offset=offset
    )


# Date-only instants: a log names a few hundred distinct days, a million times over.
_DAYS: dict[str, datetime] = {}
_DAYS_LIMIT = 1 << 14
_combine = datetime.combine


def _day_start(text: str) -> datetime:
    """The first instant of the local day ``text`` (YYYY-MM-DD), memoised."""
    at = _DAYS.get(text)
    if at is None:
        at = start_of_day(date.fromisoformat(text))
        if len(_DAYS) < _DAYS_LIMIT:
            _DAYS[text] = at
    return at


def _well_formed_event(raw: Mapping[str, object], source: str, row: int, offset: int) -> Event | None:
    """The Event of a row with nothing unusual about it, or None to leave it to the full check."""
    if not _FIELD_SET.issuperset(raw):
        return None
    return well_formed_event(tuple(map(raw.get, FIELDS)), source, row, offset)


def well_formed_event(values: tuple[object, ...], source: str, row: int, offset: int) -> Event | None:
    """The Event of a row's field values (in :data:`FIELDS` order, None for absent) when
    there is nothing unusual about them, or None to leave the row to the full check.

    Written for speed (a log has millions of rows): every test here is one the full check
    makes too, so a row this accepts is one the full check would accept with the same Event
    (a property the tests check). The caller has made sure the row has no unknown field.
    """
    (
        id_, unit, type_, category, title, period_text, published, occurred,
        channel, url, content, number, related,
    ) = values
    if type(id_) is not str or type(unit) is not str or type(type_) is not str:
        return None
    when = published if occurred is None else (occurred if published is None else None)
    if type(when) is not str:
        return None
    id_, unit, type_ = id_.strip(), unit.strip(), type_.strip()
    if not (id_ and unit and type_):
        return None
    if category is None:
        category = ""
    elif type(category) is str:
        category = category.strip()
    else:
        return None
    if title is None:
        title = ""
    elif type(title) is str:
        title = title.strip()
    else:
        return None
    if url is None:
        url = ""
    elif type(url) is str:
        url = url.strip()
    else:
        return None
    if related is None:
        related = ""
    elif type(related) is str:
        related = related.strip()
    else:
        return None
    if number is not None and (type(number) not in (int, float) or not math.isfinite(number)):  # type: ignore[arg-type]
        return None
    try:
        # The two forms nearly every log uses, inline: 2017-03-05 is that local day, and
        # 2017-03-05T10:00:00+08:00 is already Shanghai time (China has kept UTC+8 since
        # 1991). Anything else: parse_instant. The date-time is rebuilt on SHANGHAI itself,
        # so that every instant carries the same tzinfo object: fromisoformat makes a new
        # one each time, and datetimes with different tzinfo objects compare ten times
        # slower (the engine compares each event's instant several times).
        n = len(when)
        if n == 25 and when[19:] == "+08:00" and when[10] == "T":
            parsed = datetime.fromisoformat(when)
            at, date_only = _combine(parsed, parsed.time(), SHANGHAI), False
        elif n == 10:
            at, date_only = _day_start(when), True
        else:
            at, date_only = parse_instant(when.strip())
        if channel is None:
            channels: tuple[str, ...] = ()
        elif type(channel) is str and (text := channel.strip()) and ";" not in text and "；" not in text and "、" not in text:
            channels = (text,)
        else:
            channels = _items("channel", channel)
        contents = () if content is None else _items("content", content)
        if type(period_text) is str:
            period_text = period_text.strip()
        elif period_text is not None:
            return None
        period: PeriodLabel | None = None
        if period_text:
            period = parse_period_id(period_text)
        elif title:
            # title_label, with its memo of titles whose label no day can change asked first.
            undated = undated_label(title)
            period = title_label(title, at.date()) if undated is True else undated  # type: ignore[assignment]
    except (ValueError, OverflowError, _FieldError):
        return None
    # tuple.__new__ skips the NamedTuple's Python-level __new__: a tenth of this function.
    return _new_event(Event, (
        id_, unit, type_, at, date_only, category, title, period, channels, url, contents,
        float(number) if number is not None else None,  # type: ignore[arg-type]
        related, source, row, offset,
    ))


_new_event = tuple.__new__


def checked_event_from_row(
    raw: Mapping[str, object], *, source: str, row: int, offset: int = -1
) -> Event | Rejection:
    """The full check of one row: every problem found, joined into one Rejection."""
    problems: list[str] = []

    for key in raw:
        if key not in FIELDS:
            problems.append(f"unknown field {_quote(key)}{_did_you_mean(key)}")

    present = {key: value for key, value in raw.items() if key in FIELDS and _present(value)}

    for name in REQUIRED:
        if name not in present:
            problems.append(f"missing required field {name!r}")

    def text(name: str) -> str:
        if name not in present:
            return ""
        try:
            return _text(name, present[name])
        except _FieldError as exc:
            problems.append(str(exc))
            return ""

    event_id = text("id")
    unit = text("unit")
    type_ = text("type")
    category = text("category")
    title = text("title")
    period_text = text("period")
    url = text("url")
    related = text("related")

    at: datetime | None = None
    date_only = False
    given = [name for name in TIME_FIELDS if name in present]
    if not given:
        problems.append("missing required field 'published_at' or 'occurred_at'")
    elif len(given) == 2:
        problems.append("give published_at or occurred_at, not both")
    else:
        try:
            at, date_only = _instant(given[0], present[given[0]])
        except _FieldError as exc:
            problems.append(str(exc))

    channels = _items_or_problem("channel", present, problems)
    content = _items_or_problem("content", present, problems)

    value: float | None = None
    if "value" in present:
        try:
            value = _number("value", present["value"])
        except _FieldError as exc:
            problems.append(str(exc))

    period: PeriodLabel | None = None
    if period_text:
        try:
            period = parse_period_id(period_text)
        except ValueError:
            problems.append(
                f"period: {_quote(period_text)} is not a period id ({_PERIOD_EXAMPLES})"
            )
    elif title and at is not None:
        period = title_label(title, at.date())

    if problems or at is None:
        return Rejection(source=source, row=row, reason="; ".join(problems), event_id=event_id)
    return Event(
        id=event_id,
        unit=unit,
        type=type_,
        at=at,
        date_only=date_only,
        category=category,
        title=title,
        period=period,
        channels=channels,
        url=url,
        content=content,
        value=value,
        related=related,
        source=source,
        row=row,
        offset=offset,
    )


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return True


def _text(name: str, value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        raise _FieldError(f"{name}: {value!r} is not text")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets store an id typed as 12 as the number 12.0; the user wrote "12".
        if value.is_integer():
            return str(int(value))
        if math.isfinite(value):
            return repr(value)
        raise _FieldError(f"{name}: {value!r} is not text")
    if isinstance(value, (datetime, date)):
        # Excel turns a typed "2017-03" into a date cell; say how to keep it as text.
        raise _FieldError(
            f"{name}: expected text, got a date cell ({value.isoformat()}); "
            "format the column as text"
        )
    raise _FieldError(f"{name}: expected text, got {_kind(value)}")


def _instant(name: str, value: object) -> tuple[datetime, bool]:
    """The event's aware Shanghai instant and whether only a day was given."""
    if isinstance(value, datetime):
        # openpyxl returns a datetime for every date-formatted cell, including cells that
        # show only a day. A time of exactly 00:00:00 therefore counts as "a day, no time";
        # an event really stamped at midnight can say so with text "2017-03-05T00:00:01".
        try:
            at = to_shanghai(value)
        except OverflowError:
            raise _FieldError(f"{name}: {value.isoformat()} is out of range") from None
        return at, at.time() == time(0)
    if isinstance(value, date):
        return start_of_day(value), True
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_instant(text)
        except (ValueError, OverflowError):
            raise _FieldError(f"{name}: {_quote(text)} is not an ISO date or date-time") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise _FieldError(
            f"{name}: {value!r} is not an ISO date or date-time "
            "(a spreadsheet cell must be formatted as a date, or hold text like 2017-03-05)"
        )
    raise _FieldError(f"{name}: expected an ISO date or date-time, got {_kind(value)}")


def _items_or_problem(
    name: str, present: Mapping[str, object], problems: list[str]
) -> tuple[str, ...]:
    if name not in present:
        return ()
    try:
        return _items(name, present[name])
    except _FieldError as exc:
        problems.append(str(exc))
        return ()


def _items(name: str, value: object) -> tuple[str, ...]:
    """A list field: a JSON list of strings as is, or text split on ; ； 、."""
    if isinstance(value, (list, tuple)):
        items: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise _FieldError(f"{name}[{index}]: expected text, got {_kind(item)}")
            item = item.strip()
            if item:
                items.append(item)
        return tuple(items)
    text = _text(name, value)
    return tuple(part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip())


def _number(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise _FieldError(f"{name}: {value!r} is not a number")
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            raise _FieldError(f"{name}: {value!r} is too large") from None
    elif isinstance(value, str):
        text = value.strip()
        # "4%" is how a rate is typed in a report; the value is the number of percent.
        digits = text.removesuffix("%").removesuffix("％").strip()
        try:
            number = float(digits)
        except ValueError:
            raise _FieldError(f"{name}: {_quote(text)} is not a number") from None
    else:
        raise _FieldError(f"{name}: expected a number, got {_kind(value)}")
    if not math.isfinite(number):
        raise _FieldError(f"{name}: {_quote(str(value))} is not a number")
    return number


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime, date)):
        return "a date"
    if isinstance(value, time):
        return "a time of day"
    if isinstance(value, timedelta):
        return "a duration"
    return type(value).__name__


def _quote(text: str) -> str:
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return repr(text)


def _did_you_mean(name: str, *, headers: bool = False) -> str:
    """A suggestion for a misspelt field; ``headers`` also offers the Chinese aliases."""
    if name in HEADER_ALIASES and not headers:
        # JSON Lines keys are the English names only; point from the alias to its field.
        return f" (did you mean {HEADER_ALIASES[name]!r}?)"
    candidates = [*FIELDS, *HEADER_ALIASES] if headers else list(FIELDS)
    # The aliases are two to four characters, so one wrong character halves the similarity:
    # a lower cutoff still catches 标提 → 标题 and 发布日期 → 发布时间.
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.5 if headers else 0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- tabular headers and cells -------------------------------------------------------------


def canonical_field(header: str) -> str | None:
    """The field a CSV/XLSX column header names, or None if it names none.

    English names match case-insensitively; the Chinese aliases in :data:`HEADER_ALIASES`
    match exactly (after trimming whitespace and a stray BOM).
    """
    name = header.strip().lstrip("\ufeff").strip()
    if name.lower() in FIELDS:
        return name.lower()
    return HEADER_ALIASES.get(name)


def parse_header(cells: Sequence[object], *, locate: Callable[[int], Location]) -> Header:
    """Check a header row and say which field each column holds.

    Args:
        cells: the header row's cells, left to right.
        locate: 0-based column index → where that cell is, for error messages.

    Raises:
        UserInputError: an unknown column name (a typo would silently drop a whole column
            of data), a field named twice, or a required field with no column.
    """
    fields: list[str | None] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = "" if cell is None else str(cell).strip()
        if not name:
            fields.append(None)
            continue
        field = canonical_field(name)
        if field is None:
            raise UserInputError(
                f"unknown column {_quote(name)}{_did_you_mean(name.lower(), headers=True)}",
                locate(index),
                hint="columns are " + ", ".join(_header_names()),
            )
        if field in seen:
            raise UserInputError(
                f"column {_quote(name)} gives {field!r} a second time", locate(index)
            )
        seen[field] = index
        fields.append(field)
    # Trailing blank header cells are formatting residue, not columns.
    while fields and fields[-1] is None:
        fields.pop()
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        raise UserInputError(
            "no column for required field " + ", ".join(repr(name) for name in missing),
            locate(0),
        )
    if not any(name in seen for name in TIME_FIELDS):
        raise UserInputError("needs a 'published_at' or an 'occurred_at' column", locate(0))
    return Header(tuple(fields))


def _header_names() -> list[str]:
    aliases = {field: alias for alias, field in HEADER_ALIASES.items()}
    return [f"{field}/{aliases[field]}" if field in aliases else field for field in FIELDS]


def cell_is_empty(value: object) -> bool:
    """Whether a CSV/XLSX cell holds nothing (None, or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def row_from_cells(
    header: Header, cells: Sequence[object], *, column_name: Callable[[int], str]
) -> dict[str, object] | str:
    """The raw row for :func:`event_from_row`, or the reason the cells can't form one.

    A value in a column with a blank header (or right of the last header) is refused:
    it would otherwise vanish without anyone noticing.

    Args:
        header: from :func:`parse_header`.
        cells: the row's cells; may be shorter than the header (XLSX omits trailing empties).
        column_name: 0-based column index → how the user names it ("column 3", "column C").
    """
    raw: dict[str, object] = {}
    for index, cell in enumerate(cells):
        field = header.fields[index] if index < len(header.fields) else None
        if field is None:
            if not cell_is_empty(cell):
                return f"a value in {column_name(index)}, which has no header"
            continue
        if not cell_is_empty(cell):
            raw[field] = cell
    return raw


def excel_column(index: int) -> str:
    """Excel's letters for a 0-based column index: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- metadata -------------------------------------------------------------------------------


def parse_covers(value: object) -> tuple[date, date]:
    """The inclusive span a ``covers`` metadata value names.

    Accepts ``2017-01-01..2017-12-31`` or a period id such as ``2017`` or ``2017-Q1``.

    Raises:
        ValueError: with a message fit for the user.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A spreadsheet stores "2017" typed into a cell as the number 2017.
        value = _text("covers", value)
    if not isinstance(value, str):
        raise ValueError(f"covers: expected text like '2017-01-01..2017-12-31', got {_kind(value)}")
    text = value.strip()
    match = _COVERS.match(text)
    if match:
        try:
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
        except ValueError:
            raise ValueError(f"covers: {_quote(text)} names a day that does not exist") from None
        if end < start:
            raise ValueError(f"covers: {_quote(text)} ends before it starts")
        return start, end
    try:
        label = parse_period_id(text)
    except ValueError:
        raise ValueError(
            f"covers: {_quote(text)} is neither 'YYYY-MM-DD..YYYY-MM-DD' nor a period id "
            f"({_PERIOD_EXAMPLES})"
        ) from None
    return label.start, label.end - timedelta(days=1)


def open_binary(path: Path, source: str) -> BinaryIO:
    """Open an event log for reading bytes; a failure is the user's, named by file."""
    try:
        return path.open("rb")
    except OSError as exc:
        raise UserInputError(f"cannot read the event log: {exc.strerror}", Location(source)) from None
