"""CSV event logs: streamed line by line, UTF-8 (with or without BOM) or GB18030.

Named ``csv_reader`` so it does not shadow the standard library's ``csv`` inside this package.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import (
    META_KEYS,
    Header,
    MetaItem,
    cell_is_empty,
    event_from_row,
    open_binary,
    parse_header,
    row_from_cells,
)
from zwgk_rules.events.model import Event, Rejection

if TYPE_CHECKING:
    from _csv import Reader

#: How much of the file decides its encoding. The rest of the file is not read twice.
DETECT_BYTES = 64 * 1024

# "# covers: 2017-01-01..2017-12-31"; a full-width colon is what a Chinese IME types.
_META_COMMENT = re.compile(r"^\s*#\s*([A-Za-z_][\w-]*)\s*[:：]\s*(.*?)\s*$")

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def detect_encoding(head: bytes, *, complete: bool) -> str:
    """``"utf-8"`` if ``head`` decodes as UTF-8, else ``"gb18030"``.

    Args:
        head: the first bytes of the file (about :data:`DETECT_BYTES`).
        complete: ``head`` is the whole file, so a multi-byte character cut off at its end
            is an error rather than the start of the next chunk.
    """
    # An incremental decoder, because a fixed-size head can end in the middle of a
    # character; that must not count against UTF-8.
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=complete)
    except UnicodeDecodeError:
        # Excel and WPS on Chinese Windows save "CSV" in the ANSI code page, GBK; GB18030 is
        # its superset, so it also reads the rarer characters in personal and place names.
        return "gb18030"
    return "utf-8"


def iter_csv(lines: Iterable[bytes], *, source: str) -> Iterator[Event | Rejection]:
    """Events and rejections of a CSV log, one per data row, in file order.

    Args:
        lines: the file's bytes split after each ``\\n`` (iterating a binary file does this).
            Neither UTF-8 nor GB18030 uses the byte 0x0A inside a character, so splitting
            bytes before decoding is safe.
        source: the log's name, for rows and errors.

    Yields:
        An Event or Rejection per non-empty data row; ``row`` is the line the record starts
        on, so the header is row 1 and, without comments, the first data row is row 2.

    Raises:
        UserInputError: no header, an unknown or duplicate column, a missing required
            column, or bytes that are not valid in the file's encoding.
    """
    scan = _scan(lines, source=source)
    width = len(scan.header.fields)
    reader = scan.reader
    decoder = scan.decoder
    consumed = reader.line_num
    while True:
        start = scan.offset + consumed + 1
        # csv.reader pulls exactly the lines of one record, so the bytes decoded so far end
        # where the previous record (or the header) ended: this record starts there.
        offset = decoder.consumed
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            consumed = reader.line_num
            yield Rejection(source=source, row=start, reason=f"malformed CSV: {exc}")
            continue
        consumed = reader.line_num
        if all(cell_is_empty(cell) for cell in cells):
            # Blank lines and rows of bare commas are spreadsheet padding, not data.
            continue
        if len(cells) != width and not _only_padding(cells, width):
            yield Rejection(
                source=source,
                row=start,
                reason=f"row has {len(cells)} cells but the header has {width}",
            )
            continue
        raw = row_from_cells(scan.header, cells, column_name=_column_name)
        if isinstance(raw, str):
            yield Rejection(source=source, row=start, reason=raw)
            continue
        yield event_from_row(raw, source=source, row=start, offset=offset)


@dataclass(frozen=True, slots=True)
class CsvHead:
    """What reading a CSV log's records again needs: its encoding and its header."""

    encoding: str
    header: Header


def csv_head(lines: Iterable[bytes], *, source: str) -> CsvHead:
    """The encoding and header of a CSV log, read from its head (see :func:`csv_meta`)."""
    scan = _scan(lines, source=source)
    return CsvHead(scan.encoding, scan.header)


def csv_event_at(
    lines: Iterable[bytes], head: CsvHead, *, source: str, offset: int
) -> Event | Rejection:
    """The event of the record whose first line is the first of ``lines``.

    Args:
        lines: the file's lines from the record's byte offset on (a binary file seeked there).
        head: from :func:`csv_head` on the same file.
        source: the log's name.
        offset: the record's byte offset, kept on the Event.
    """
    reader = csv.reader(raw.decode(head.encoding) for raw in lines)
    try:
        cells = next(reader)
    except (StopIteration, csv.Error, UnicodeDecodeError):
        return Rejection(source=source, row=0, reason="no CSV record at this offset")
    raw_row = row_from_cells(head.header, cells, column_name=_column_name)
    if isinstance(raw_row, str):
        return Rejection(source=source, row=0, reason=raw_row)
    return event_from_row(raw_row, source=source, row=0, offset=offset)


def read_csv(path: str | Path, *, source: str | None = None) -> Iterator[Event | Rejection]:
    """Stream the events of the CSV file at ``path``; see :func:`iter_csv`."""
    name = str(path) if source is None else source
    with open_binary(Path(path), name) as stream:
        yield from iter_csv(stream, source=name)


def csv_meta(lines: Iterable[bytes], *, source: str) -> tuple[MetaItem, ...]:
    """Read only the head of a CSV log: its ``# key: value`` metadata and its header.

    Comment lines are free text; only those whose key is a metadata key
    (``# covers: 2017-01-01..2017-12-31``) become items. The header is checked here too, so
    a misnamed column is reported when the log is opened, before any row is processed.

    Raises:
        UserInputError: as for :func:`iter_csv`, for problems in the head.
    """
    return _scan(lines, source=source).meta


def read_csv_meta(path: str | Path, *, source: str | None = None) -> tuple[MetaItem, ...]:
    """The metadata of the CSV file at ``path``; see :func:`csv_meta`."""
    name = str(path) if source is None else source
    with open_binary(Path(path), name) as stream:
        return csv_meta(stream, source=name)


def _only_padding(cells: list[str], width: int) -> bool:
    # Exporters often pad short rows with trailing commas up to the widest row in the
    # sheet; extra empty cells on the right lose nothing.
    return len(cells) > width and all(cell_is_empty(cell) for cell in cells[width:])


def _column_name(index: int) -> str:
    return f"column {index + 1}"



@dataclass(slots=True)
class _Scan:
    """A CSV file read up to and including its header."""

    meta: tuple[MetaItem, ...]
    header: Header
    reader: Reader
    # Lines before the header line; csv's line_num counts from the header line.
    offset: int
    encoding: str
    decoder: _Decoder


def _scan(lines: Iterable[bytes], *, source: str) -> _Scan:
    raw_lines = iter(lines)
    head: list[bytes] = []
    size = 0
    complete = False
    while size < DETECT_BYTES:
        chunk = next(raw_lines, None)
        if chunk is None:
            complete = True
            break
        head.append(chunk)
        size += len(chunk)
    first = head[0] if head else b""
    if first.startswith(_UTF16_BOMS):
        raise UserInputError(
            "the file is UTF-16 text; save it as CSV UTF-8 (or GB18030)",
            Location(source),
        )
    encoding = detect_encoding(b"".join(head), complete=complete)
    decoder = _Decoder(itertools.chain(head, raw_lines), encoding=encoding, source=source)
    text_lines = iter(decoder)

    meta: list[MetaItem] = []
    number = 0
    for text in text_lines:
        number += 1
        stripped = text.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            match = _META_COMMENT.match(stripped)
            if match and match[1].lower() in META_KEYS:
                meta.append(MetaItem(match[1].lower(), match[2], Location(source, number)))
            continue
        reader = csv.reader(itertools.chain([text], text_lines))
        try:
            cells = next(reader)
        except csv.Error as exc:
            raise UserInputError(f"malformed CSV header: {exc}", Location(source, number)) from None
        if len(cells) == 1 and any(sep in cells[0] for sep in ("\t", ";", "；")):
            raise UserInputError(
                "the header has a single column; columns must be separated by commas",
                Location(source, number),
            )
        header = parse_header(cells, locate=_header_locator(source, number))
        return _Scan(tuple(meta), header, reader, number - 1, encoding, decoder)
    raise UserInputError("the CSV file has no header row", Location(source))


def _header_locator(source: str, line: int) -> Callable[[int], Location]:
    return lambda index: Location(source, line, index + 1)


class _Decoder:
    """Decodes a CSV file's lines one by one, counting the bytes it has decoded so far."""

    __slots__ = ("lines", "encoding", "source", "consumed")

    def __init__(self, lines: Iterable[bytes], *, encoding: str, source: str) -> None:
        self.lines = lines
        self.encoding = encoding
        self.source = source
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        encoding = self.encoding
        label = "UTF-8" if encoding == "utf-8" else "GB18030"
        for number, raw in enumerate(self.lines, 1):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                hint = (
                    "the start of the file is UTF-8, so all of it must be; re-save it as CSV UTF-8"
                    if encoding == "utf-8"
                    else "save the file as CSV UTF-8"
                )
                raise UserInputError(
                    f"byte {exc.start + 1} of this line is not valid {label}",
                    Location(self.source, number),
                    hint=hint,
                ) from None
            if number == 1:
                # A UTF-8 BOM (Excel's "CSV UTF-8") is not part of the first header name.
                text = text.removeprefix("\ufeff")
            self.consumed += len(raw)
            yield text
