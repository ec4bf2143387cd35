"""Error types that point at the user's input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Where in the user's input something is: file, 1-based line and column, field path."""

    file: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


class ZwgkError(Exception):
    """Base class of every error this package raises on purpose."""


class UserInputError(ZwgkError):
    """Input that stops a run: a bad rule file, units file, holiday file or option.

    ``str()`` renders ``file:line:col: field: message`` so the user can jump to it.
    """

    def __init__(self, message: str, location: Location | None = None, *, hint: str | None = None) -> None:
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self.render())

    def render(self) -> str:
        parts: list[str] = []
        if self.location is not None:
            parts.append(str(self.location))
            if self.location.field:
                parts.append(self.location.field)
        parts.append(self.message)
        text = ": ".join(parts)
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class InputErrors(UserInputError):
    """Several problems found in one input; ``str()`` lists one per line, each located."""

    def __init__(self, errors: Sequence[UserInputError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(e.render() for e in self.errors))

    def render(self) -> str:
        return "\n".join(e.render() for e in getattr(self, "errors", ()))


class CalendarRangeError(UserInputError):
    """A date falls in a year whose official holiday schedule is not known."""
