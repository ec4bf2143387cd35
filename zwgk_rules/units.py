"""Units: the government bodies rules bind, with aliases, roles and jurisdictions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zwgk_rules.errors import InputErrors, Location, UserInputError
from zwgk_rules.schema import schema_errors
from zwgk_rules.yamlio import LocatedDocument, load_located


@dataclass(frozen=True, slots=True, kw_only=True)
class Jurisdiction:
    id: str
    name: str
    level: str = ""
    parent: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """A unit, e.g. ``zc-czj`` 周村区财政局 (aliases 区财政局), role 财政局, in 周村区."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    jurisdiction: str
    level: str = ""


class UnitRegistry:
    """All units, found by id, name or alias, and the jurisdiction tree above them."""

    __slots__ = ("units", "jurisdictions", "event_types", "by_reference", "_by_id", "_ids_in")

    def __init__(
        self,
        units: Sequence[Unit],
        jurisdictions: Mapping[str, Jurisdiction],
        event_types: frozenset[str] = frozenset(),
    ) -> None:
        self.units: tuple[Unit, ...] = tuple(units)
        self.jurisdictions: Mapping[str, Jurisdiction] = dict(jurisdictions)
        self.event_types = event_types
        index: dict[str, Unit | None] = {}
        for u in self.units:
            for ref in (u.name, *u.aliases):
                prev = index.get(ref, u)
                # An alias two units share (区财政局 in two districts) names neither.
                index[ref] = u if prev is u else None
        # Ids are unique and always win over a name or alias that happens to equal them.
        index.update({u.id: u for u in self.units})
        #: Every id, name and alias → its unit; None for an alias several units share.
        self.by_reference: Mapping[str, Unit | None] = index
        self._by_id = {u.id: u for u in self.units}
        self._ids_in: dict[str, tuple[str, ...]] | None = None

    def resolve(self, ref: str) -> Unit | None:
        """The unit ``ref`` names (id, name or alias), None when unknown or ambiguous."""
        return self.by_reference.get(ref.strip())

    def find(self, ref: str) -> Unit | None:
        """:meth:`resolve` for the hot path: readers strip references, so try as written first."""
        unit = self.by_reference.get(ref)
        return unit if unit is not None else self.resolve(ref)

    def is_ambiguous(self, ref: str) -> bool:
        key = ref.strip()
        return key in self.by_reference and self.by_reference[key] is None

    def get(self, unit_id: str) -> Unit:
        return self._by_id[unit_id]

    def ids_in(self, jurisdiction: str) -> tuple[str, ...]:
        """Ids of the units of ``jurisdiction`` itself (not below it), sorted."""
        if self._ids_in is None:
            by_jurisdiction: dict[str, list[str]] = {}
            for u in self.units:
                by_jurisdiction.setdefault(u.jurisdiction, []).append(u.id)
            self._ids_in = {j: tuple(ids) for j, ids in by_jurisdiction.items()}
        return self._ids_in.get(jurisdiction, ())

    def ancestors(self, jurisdiction: str) -> tuple[str, ...]:
        """The jurisdiction and every parent above it, nearest first."""
        out: list[str] = []
        j = jurisdiction
        while j and j not in out:
            out.append(j)
            parent = self.jurisdictions.get(j)
            j = parent.parent if parent else ""
        return tuple(out)


def _unit_errors_to_raise(errors: Sequence[UserInputError]) -> None:
    if errors:
        raise InputErrors(errors)


_UNIT_KEYS = frozenset({"id", "name", "aliases", "roles", "jurisdiction", "level"})
_JURISDICTION_KEYS = frozenset({"id", "name", "level", "parent"})


def _text(value: object) -> bool:
    return type(value) is str and bool(value)


def _texts(value: object) -> bool:
    return type(value) is list and all(_text(v) for v in value)


def plainly_valid(data: object) -> bool:
    """Whether a units document obviously satisfies ``units.schema.json``.

    A file of 80,000 units takes jsonschema seconds; this check takes milliseconds and
    accepts only what the schema accepts (a property the tests check). Anything it doubts
    goes through the schema, which then names each problem with its line and column.
    """
    if type(data) is not dict or not {"units", "jurisdictions", "vocabulary"}.issuperset(data):
        return False
    units = data.get("units")
    if type(units) is not list:
        return False
    for u in units:
        if type(u) is not dict or not _UNIT_KEYS.issuperset(u):
            return False
        if not (_text(u.get("id")) and _text(u.get("name")) and _text(u.get("jurisdiction"))):
            return False
        if ("aliases" in u and not _texts(u["aliases"])) or ("roles" in u and not _texts(u["roles"])):
            return False
        if "level" in u and type(u["level"]) is not str:
            return False
    jurisdictions = data.get("jurisdictions", [])
    if type(jurisdictions) is not list:
        return False
    for j in jurisdictions:
        if type(j) is not dict or not _JURISDICTION_KEYS.issuperset(j) or not (_text(j.get("id")) and _text(j.get("name"))):
            return False
        if ("level" in j and type(j["level"]) is not str) or ("parent" in j and not _text(j["parent"])):
            return False
    vocabulary = data.get("vocabulary", {})
    return type(vocabulary) is dict and set(vocabulary) <= {"event_types"} and _texts(vocabulary.get("event_types", []))


@dataclass(frozen=True, slots=True)
class _UnitsFile:
    """What one units file holds, before the files are merged into one registry."""

    file: str
    units: list[Unit]
    jurisdictions: dict[str, Jurisdiction]
    event_types: frozenset[str] = frozenset()


def _from_yaml(doc: LocatedDocument) -> _UnitsFile:
    if not plainly_valid(doc.data):
        _unit_errors_to_raise(list(schema_errors(doc, "units.schema.json")))
    assert isinstance(doc.data, dict)
    data: dict[str, Any] = doc.data
    jurisdictions = {
        j["id"]: Jurisdiction(id=j["id"], name=j["name"], level=j.get("level", ""), parent=j.get("parent", ""))
        for j in data.get("jurisdictions", [])
    }
    units: list[Unit] = []
    errors: list[UserInputError] = []
    seen: set[str] = set()
    for i, u in enumerate(data["units"]):
        if u["id"] in seen:
            errors.append(UserInputError(f"duplicate unit id {u['id']!r}", doc.locate(("units", i, "id"))))
        seen.add(u["id"])
        if jurisdictions and u["jurisdiction"] not in jurisdictions:
            errors.append(
                UserInputError(f"jurisdiction {u['jurisdiction']!r} is not listed under jurisdictions", doc.locate(("units", i, "jurisdiction")))
            )
        units.append(
            Unit(
                id=u["id"],
                name=u["name"],
                aliases=tuple(u.get("aliases", ())),
                roles=frozenset(u.get("roles", ())),
                jurisdiction=u["jurisdiction"],
                level=u.get("level", ""),
            )
        )
    for jid, j in jurisdictions.items():
        if j.parent and j.parent not in jurisdictions:
            errors.append(UserInputError(f"parent {j.parent!r} of {jid!r} is not listed", Location(doc.file, field="jurisdictions")))
    _unit_errors_to_raise(errors)
    return _UnitsFile(doc.file, units, jurisdictions, frozenset(data.get("vocabulary", {}).get("event_types", ())))


CSV_COLUMNS = ("id", "name", "aliases", "roles", "jurisdiction", "level", "parent_jurisdiction")


_NOTHING: tuple[str, ...] = ()
_NO_ROLES: frozenset[str] = frozenset()


def _split(cell: str) -> tuple[str, ...]:
    if not cell:
        return _NOTHING
    for sep in ("；", "、"):
        cell = cell.replace(sep, ";")
    return tuple(p.strip() for p in cell.split(";") if p.strip())


def _from_csv(path: Path) -> _UnitsFile:
    # Written for the size of a whole province's units (tens of thousands of rows): one
    # csv.reader pass, and the few distinct jurisdictions, levels and role sets shared.
    file = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="strict")
    del raw
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        raise UserInputError(f"unknown column {unknown[0]!r}; columns are " + ", ".join(CSV_COLUMNS), Location(file, 1))
    for req in ("id", "name", "jurisdiction"):
        if req not in header:
            raise UserInputError(f"missing column {req!r}", Location(file, 1))
    twice = [h for i, h in enumerate(header) if h in header[:i]]
    if twice:
        raise UserInputError(f"column {twice[0]!r} is given twice", Location(file, 1))
    width = len(header)
    column = {name: i for i, name in enumerate(header)}
    absent = width  # the index of an always-empty cell appended to each row
    i_id, i_name, i_jur = column["id"], column["name"], column["jurisdiction"]
    i_aliases, i_roles = column.get("aliases", absent), column.get("roles", absent)
    i_level, i_parent = column.get("level", absent), column.get("parent_jurisdiction", absent)
    units: list[Unit] = []
    jurisdictions: dict[str, Jurisdiction] = {}
    seen: set[str] = set()
    shared: dict[object, object] = {}
    for row in reader:
        line = reader.line_num
        if len(row) > width:
            raise UserInputError("more cells than columns", Location(file, line))
        if not row:
            continue  # a blank line
        cells = [c.strip() for c in row] + [""] * (width + 1 - len(row))
        for req, i in (("id", i_id), ("name", i_name), ("jurisdiction", i_jur)):
            if not cells[i]:
                raise UserInputError(f"empty {req!r}", Location(file, line, field=req))
        uid = cells[i_id]
        if uid in seen:
            raise UserInputError(f"duplicate unit id {uid!r}", Location(file, line, field="id"))
        seen.add(uid)
        j = cells[i_jur]
        parent = cells[i_parent]
        if j not in jurisdictions or (parent and not jurisdictions[j].parent):
            jurisdictions[j] = Jurisdiction(id=j, name=j, parent=parent)
        if parent and parent not in jurisdictions:
            jurisdictions[parent] = Jurisdiction(id=parent, name=parent)
        roles = frozenset(_split(cells[i_roles])) if cells[i_roles] else _NO_ROLES
        units.append(
            Unit(
                id=uid,
                name=cells[i_name],
                aliases=_split(cells[i_aliases]),
                roles=shared.setdefault(roles, roles),  # type: ignore[arg-type]
                jurisdiction=jurisdictions[j].id,
                level=shared.setdefault(cells[i_level], cells[i_level]),  # type: ignore[arg-type]
            )
        )
    return _UnitsFile(file, units, jurisdictions)


def load_units(paths: str | Path | Iterable[str | Path]) -> UnitRegistry:
    """Load one or more units files (YAML or CSV) into one registry.

    Raises:
        UserInputError: a file is missing or malformed; the message names file, line and field.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[_UnitsFile] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise UserInputError("no such file", Location(str(path)))
        if path.suffix.lower() == ".csv":
            files.append(_from_csv(path))
        elif path.suffix.lower() in (".yaml", ".yml"):
            doc = load_located(path)
            if not isinstance(doc.data, dict):
                raise UserInputError("a units file is a mapping with 'units'", Location(str(path), 1, 1))
            files.append(_from_yaml(doc))
        else:
            raise UserInputError("units files are .yaml, .yml or .csv", Location(str(path)))
    if len(files) == 1:
        (only,) = files
        units = only.units
        jurisdictions = only.jurisdictions
        types = set(only.event_types)
    else:
        units = []
        jurisdictions = {}
        types = set()
        first_file: dict[str, str] = {}
        for f in files:
            for u in f.units:
                if u.id in first_file:
                    raise UserInputError(
                        f"unit id {u.id!r} appears in two units files (also in {first_file[u.id]})",
                        Location(f.file),
                    )
                first_file[u.id] = f.file
                units.append(u)
            jurisdictions.update(f.jurisdictions)
            types.update(f.event_types)
    units.sort(key=lambda u: u.id)
    return UnitRegistry(units, jurisdictions, frozenset(types))
