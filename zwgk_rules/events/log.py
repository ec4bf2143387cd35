"""Event logs on disk: pick the reader by extension, read metadata up front, stream the rows."""

from __future__ import annotations

import hashlib
import io
import itertools
import queue
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO, Protocol

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.csv_reader import CsvHead, csv_event_at, csv_head, iter_csv, read_csv_meta
from zwgk_rules.events.fields import META_KEYS, MetaItem, open_binary, parse_covers
from zwgk_rules.events.jsonl import iter_jsonl, jsonl_event_at, read_jsonl_meta
from zwgk_rules.events.model import Event, Rejection
from zwgk_rules.events.xlsx import read_xlsx, read_xlsx_meta

#: File extension (lower case) → format name.
FORMATS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
}

_HASH_CHUNK = 1 << 20


class _Digest(Protocol):
    def update(self, data: bytes | memoryview, /) -> None: ...


class _Hashing(io.RawIOBase):
    """A raw file that feeds every byte it reads to a digest, on a thread of its own.

    Wrapped in a BufferedReader, lines are split in C and the digest is fed a megabyte at a
    time: it covers exactly the bytes parsed. hashlib lets go of the GIL while it hashes, so
    the second core digests one megabyte while this one parses the next (a million-row log
    is 350 MB: a sixth of a second of hashing taken off the stream).
    """

    def __init__(self, raw: BinaryIO, digest: _Digest) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest
        # Bounded, so a stalled hasher holds back reading instead of filling memory.
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._hasher = threading.Thread(target=self._hash, name="zwgk-rules sha256", daemon=True)
        self._hasher.start()

    def _hash(self) -> None:
        while (chunk := self._chunks.get()) is not None:
            self._digest.update(chunk)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._chunks.put(bytes(buffer[:n]))
        return int(n or 0)

    def finish(self) -> None:
        """Wait until every byte read so far is in the digest."""
        if self._hasher.is_alive():
            self._chunks.put(None)
            self._hasher.join()


@dataclass(frozen=True, slots=True, kw_only=True)
class LogMeta:
    """What a log says about itself.

    ``covers`` is the inclusive span of days the log claims to record completely; the
    checker judges only obligations it can see the whole of. None when the log doesn't say.
    """

    covers: tuple[date, date] | None = None

    @classmethod
    def from_items(cls, items: Iterable[MetaItem]) -> LogMeta:
        """Typed metadata from the raw items a reader found.

        Raises:
            UserInputError: an unknown key (a typo would silently drop the setting), a key
                given twice, or a malformed value; located where the item was written.
        """
        seen: set[str] = set()
        covers: tuple[date, date] | None = None
        for item in items:
            if item.key not in META_KEYS:
                raise UserInputError(
                    f"unknown metadata key {item.key!r}",
                    item.location,
                    hint="known keys: " + ", ".join(sorted(META_KEYS)),
                )
            if item.key in seen:
                raise UserInputError(f"metadata key {item.key!r} is given twice", item.location)
            seen.add(item.key)
            if item.key == "covers":
                if item.value is None or (isinstance(item.value, str) and not item.value.strip()):
                    continue
                try:
                    covers = parse_covers(item.value)
                except ValueError as exc:
                    raise UserInputError(str(exc), item.location) from None
        return cls(covers=covers)


class EventLog:
    """One event log file, opened: metadata known, rows streamed on each iteration.

    Iterating reads the file from the start each time and yields ``Event | Rejection`` in
    file order. ``sha256`` is the digest of the file's bytes: for JSON Lines and CSV it is
    computed from the very bytes parsed, as they stream past; XLSX is a zip that openpyxl
    reads by random access, so its digest takes a separate chunked pass over the file once
    iteration ends. Asking before any complete iteration also takes that separate pass.
    """

    __slots__ = ("path", "source", "format", "meta", "_sha256", "_again", "_csv_head", "__weakref__")

    def __init__(self, path: Path, *, source: str, format: str, meta: LogMeta) -> None:
        self.path = path
        self.source = source
        self.format = format
        self.meta = meta
        self._sha256: str | None = None
        self._again: BinaryIO | None = None
        self._csv_head: CsvHead | None = None

    def __repr__(self) -> str:
        return f"EventLog({self.source!r}, format={self.format!r})"

    def __iter__(self) -> Iterator[Event | Rejection]:
        if self.format == "xlsx":
            yield from read_xlsx(self.path, source=self.source)
            self._sha256 = file_sha256(self.path)
            return
        reader = iter_csv if self.format == "csv" else iter_jsonl
        digest = hashlib.sha256()
        with open_binary(self.path, self.source) as raw:
            hashing = _Hashing(raw, digest)
            try:
                stream = io.BufferedReader(hashing, buffer_size=_HASH_CHUNK)
                yield from reader(stream, source=self.source)
                # The readers read to the end; this only guarantees the digest covers the file.
                while stream.read(_HASH_CHUNK):
                    pass
            finally:
                hashing.finish()
        self._sha256 = digest.hexdigest()

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the file: from the last complete iteration, else computed now."""
        if self._sha256 is None:
            self._sha256 = file_sha256(self.path)
        return self._sha256

    def refetch(self, source: str, offset: int) -> Event | Rejection:
        """The event whose row starts at byte ``offset`` (an :attr:`Event.offset` this log
        gave), read again: the engine keeps only the instant, id and offset of evidence.

        Raises:
            UserInputError: ``source`` is not this log, or the file can no longer be read.
        """
        if source != self.source or offset < 0 or self.format == "xlsx":
            raise UserInputError(f"no row of this log starts at byte {offset}", Location(source))
        stream = self._again
        if stream is None:
            stream = self._again = open_binary(self.path, self.source)
            weakref.finalize(self, stream.close)
        stream.seek(offset)
        if self.format == "jsonl":
            return jsonl_event_at(stream.readline(), source=self.source, row=0, offset=offset)
        if self._csv_head is None:
            with open_binary(self.path, self.source) as head:
                self._csv_head = csv_head(head, source=self.source)
        return csv_event_at(stream, self._csv_head, source=self.source, offset=offset)

    def close(self) -> None:
        """Close the file :meth:`refetch` keeps open (iterating opens and closes its own)."""
        if self._again is not None:
            self._again.close()
            self._again = None


class EventLogs:
    """Several opened logs, read one after another; any event of theirs can be read again.

    What :func:`read_events` returns. Iterating yields every log's events and rejections in
    turn; :meth:`refetch` finds an event again by its source and offset.
    """

    __slots__ = ("logs", "_by_source")

    def __init__(self, logs: Sequence[EventLog]) -> None:
        self.logs = tuple(logs)
        self._by_source = {log.source: log for log in self.logs}

    def __iter__(self) -> Iterator[Event | Rejection]:
        # chain, not a generator of our own: one layer less per row of a million-row log.
        return itertools.chain.from_iterable(self.logs)

    def refetch(self, source: str, offset: int) -> Event | Rejection:
        """See :meth:`EventLog.refetch`."""
        log = self._by_source.get(source)
        if log is None:
            raise UserInputError(f"no row of this log starts at byte {offset}", Location(source))
        return log.refetch(source, offset)

    def close(self) -> None:
        for log in self.logs:
            log.close()


def open_log(path: str | Path) -> EventLog:
    """Open an event log, choosing its format by extension and reading its metadata.

    Only the head of the file is read: the JSON Lines ``$meta`` line, the CSV comment lines
    and header, or the XLSX ``meta`` sheet and header row. Header problems surface here.

    Raises:
        UserInputError: the file is missing or unreadable, its extension is not one of
            .jsonl/.ndjson/.json/.csv/.xlsx, its metadata is malformed, or (CSV/XLSX) its
            header names an unknown column or lacks a required one.
    """
    path = Path(path)
    source = str(path)
    format = FORMATS.get(path.suffix.lower())
    if format is None:
        hint = "save it as .xlsx" if path.suffix.lower() == ".xls" else None
        raise UserInputError(
            f"unknown event log format {path.suffix or '(no extension)'!r}; "
            "use .jsonl, .ndjson, .json (JSON Lines), .csv or .xlsx",
            Location(source),
            hint=hint,
        )
    if not path.is_file():
        raise UserInputError("no such event log file", Location(source))
    if format == "xlsx":
        items = read_xlsx_meta(path, source=source)
    elif format == "csv":
        items = read_csv_meta(path, source=source)
    else:
        items = read_jsonl_meta(path, source=source)
    return EventLog(path, source=source, format=format, meta=LogMeta.from_items(items))


def read_events(paths: Iterable[str | Path]) -> EventLogs:
    """Events and rejections of several logs, one log after another.

    Every log is opened (and its head checked) before the first row is yielded, so a
    missing or misnamed file stops the run before any work is done.

    Raises:
        UserInputError: as for :func:`open_log`, immediately; or while iterating, as the
            readers do.
    """
    return EventLogs([open_log(path) for path in paths])


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
