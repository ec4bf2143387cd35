"""XLSX event logs: the ``events`` sheet (or the first sheet), streamed with openpyxl read-only."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from zwgk_rules.errors import Location, UserInputError
from zwgk_rules.events.fields import (
    Header,
    MetaItem,
    cell_is_empty,
    event_from_row,
    excel_column,
    parse_header,
    row_from_cells,
)
from zwgk_rules.events.model import Event, Rejection

#: The sheet that holds events when a workbook has several; matched case-insensitively.
EVENTS_SHEET = "events"
#: The sheet that holds the log's metadata, ``key`` in column A and ``value`` in column B.
META_SHEET = "meta"


def iter_rows(
    rows: Iterable[Sequence[object]], *, source: str, sheet: str = EVENTS_SHEET
) -> Iterator[Event | Rejection]:
    """Events and rejections of a sheet's rows; row 1 is the header.

    Args:
        rows: cell values row by row from row 1, with missing rows as empty sequences
            (what openpyxl's ``iter_rows(values_only=True)`` gives).
        source: the log's name, for rows and errors.
        sheet: the sheet's name, for error locations.

    Yields:
        An Event or Rejection per row that has any value; ``row`` is Excel's row number.

    Raises:
        UserInputError: row 1 is not a valid header.
    """
    numbered = enumerate(rows, 1)
    header = _header(next(numbered, None), source=source, sheet=sheet)
    for number, cells in numbered:
        if all(cell_is_empty(cell) for cell in cells):
            continue
        raw = row_from_cells(header, cells, column_name=_column_name)
        if isinstance(raw, str):
            yield Rejection(source=source, row=number, reason=raw)
            continue
        yield event_from_row(raw, source=source, row=number)


def read_xlsx(path: str | Path, *, source: str | None = None) -> Iterator[Event | Rejection]:
    """Stream the events of the workbook at ``path``; see :func:`iter_rows`.

    The ``events`` sheet is read if there is one, else the first sheet not named ``meta``.
    """
    name = str(path) if source is None else source
    workbook = _load(Path(path), name)
    try:
        sheet = _events_sheet(workbook, name)
        yield from iter_rows(sheet.iter_rows(values_only=True), source=name, sheet=sheet.title)
    finally:
        # Read-only workbooks keep the zip open until closed.
        workbook.close()


def read_xlsx_meta(path: str | Path, *, source: str | None = None) -> tuple[MetaItem, ...]:
    """Read the ``meta`` sheet and check the events sheet's header row, nothing more.

    Raises:
        UserInputError: not a readable workbook, no events sheet, or a bad header.
    """
    name = str(path) if source is None else source
    workbook = _load(Path(path), name)
    try:
        sheet = _events_sheet(workbook, name)
        first = next(iter(sheet.iter_rows(min_row=1, max_row=1, values_only=True)), None)
        _header((1, first) if first is not None else None, source=name, sheet=sheet.title)
        meta = _find_sheet(workbook, META_SHEET)
        if meta is None:
            return ()
        meta.reset_dimensions()
        return tuple(_meta_items(meta.iter_rows(values_only=True), source=name, sheet=meta.title))
    finally:
        workbook.close()


def _meta_items(rows: Iterable[Sequence[object]], *, source: str, sheet: str) -> Iterator[MetaItem]:
    for number, cells in enumerate(rows, 1):
        key = cells[0] if cells else None
        if cell_is_empty(key):
            continue
        value = cells[1] if len(cells) > 1 else None
        if isinstance(value, str):
            value = value.strip()
        yield MetaItem(
            str(key).strip().lower(), value, Location(source, field=f"{sheet}!B{number}")
        )


def _header(first: tuple[int, Sequence[object]] | None, *, source: str, sheet: str) -> Header:
    if first is None or all(cell_is_empty(cell) for cell in first[1]):
        raise UserInputError(
            "row 1 must be the header (id, unit, type, published_at, ...)",
            Location(source, field=f"{sheet}!A1"),
        )
    return parse_header(
        first[1],
        locate=lambda index: Location(source, field=f"{sheet}!{excel_column(index)}1"),
    )


def _column_name(index: int) -> str:
    return f"column {excel_column(index)}"


# openpyxl ships no type information; these helpers keep the Any at the edge.
def _load(path: Path, source: str) -> Any:
    # Imported here: a third of the command line's start-up, and only XLSX logs need it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only: a formula cell counts with the value Excel last computed, not its text.
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise UserInputError(
            f"not a readable .xlsx workbook ({exc})",
            Location(source),
            hint="save it from Excel or WPS as 'Excel Workbook (*.xlsx)'",
        ) from None
    except OSError as exc:
        raise UserInputError(
            f"cannot read the event log: {exc.strerror}", Location(source)
        ) from None


def _events_sheet(workbook: Any, source: str) -> Any:
    sheet = _find_sheet(workbook, EVENTS_SHEET)
    if sheet is None:
        others = [ws for ws in workbook.worksheets if ws.title.strip().lower() != META_SHEET]
        if not others:
            raise UserInputError("the workbook has no sheet of events", Location(source))
        sheet = others[0]
    # The stored dimension can be stale; an understated one would make openpyxl drop the
    # cells beyond it, so read every row as wide as it really is.
    sheet.reset_dimensions()
    return sheet


def _find_sheet(workbook: Any, name: str) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == name:
            return sheet
    return None
