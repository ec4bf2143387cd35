"""JSON Schema validation of rule files, with errors pointing at file, line and column."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

from zwgk_rules.errors import UserInputError
from zwgk_rules.yamlio import LocatedDocument


def _load_schema(name: str) -> dict[str, Any]:
    text = resources.files("zwgk_rules").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


FORMATS = FormatChecker()


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    # Strict YYYY-MM-DD, as the loader parses it; jsonschema's own check needs an extra.
    if isinstance(value, str):
        date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError(value)
    return True


@FORMATS.checks("regex", raises=re.error)
def _is_regex(value: object) -> bool:
    if isinstance(value, str):
        re.compile(value)
    return True


@cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_load_schema(name), format_checker=FORMATS)


def _properties(error: ValidationError) -> dict[str, Any]:
    schema: Any = error.schema
    props = schema.get("properties", {}) if isinstance(schema, Mapping) else {}
    return dict(props)


def _describe(error: ValidationError) -> str:
    """A message from the validator keyword and its value, never by parsing English text."""
    v: Any = error.validator
    inst: Any = error.instance
    vv: Any = error.validator_value
    if v == "enum":
        return f"{inst!r} is not one of " + ", ".join(str(x) for x in vv)
    if v == "const":
        return f"{inst!r} must be {vv!r}"
    if v == "required":
        missing = [k for k in vv if isinstance(inst, Mapping) and k not in inst]
        return f"missing required field {missing[0]!r}" if missing else "missing a required field"
    if v == "additionalProperties":
        allowed = sorted(_properties(error))
        extra = sorted(k for k in inst if k not in allowed) if isinstance(inst, Mapping) else []
        if extra:
            close = difflib.get_close_matches(extra[0], allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; allowed: {', '.join(allowed)}"
            return f"unknown field {extra[0]!r}{hint}"
        return "unknown field"
    if v == "type":
        names = vv if isinstance(vv, list) else [vv]
        return f"{inst!r} is not of type " + " or ".join(names)
    if v == "format":
        return f"{inst!r} is not a valid {vv}" + (" (YYYY-MM-DD)" if vv == "date" else "")
    if v == "pattern":
        return f"{inst!r} does not match {vv!r}"
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}[str(v)]
        return f"{inst!r} must be {op} {vv}"
    if v in ("minLength", "minItems"):
        return "must not be empty" if vv == 1 else f"needs at least {vv} items"
    if v in ("minProperties", "maxProperties"):
        return "give exactly one of " + ", ".join(sorted(_properties(error)))
    if v == "uniqueItems":
        return "items must be unique"
    if v == "anyOf":
        return f"{inst!r} is not valid here"
    return str(error.message)


def _error_path(error: ValidationError) -> list[str | int]:
    path: list[str | int] = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = _properties(error)
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            path.append(extra[0])
    if error.validator == "required":
        return path
    return path


def schema_errors(doc: LocatedDocument, schema_name: str) -> Iterator[UserInputError]:
    """Yield one error for each rule (and each other top-level part) that is invalid.

    Errors are grouped by the item they belong to, and ``best_match`` picks the one most
    likely to be the real mistake, the way jsonschema's own CLI does.
    """
    groups: dict[tuple[str | int, ...], list[ValidationError]] = {}
    for err in validator(schema_name).iter_errors(doc.data):
        path = tuple(err.absolute_path)
        key = path[:2] if path[:1] == ("rules",) or path[:1] == ("units",) else path[:1]
        groups.setdefault(key, []).append(err)
    for key in sorted(groups, key=lambda k: [(0, p) if isinstance(p, int) else (1, str(p)) for p in k]):
        err = best_match(groups[key])
        # Descend into anyOf/oneOf contexts so "not valid under any" becomes the real reason.
        while err.context:
            err = best_match(err.context)
        loc = doc.locate(_error_path(err), at_key=err.validator == "additionalProperties")
        yield UserInputError(_describe(err), loc)


__all__ = ["schema_errors", "validator", "jsonschema"]
