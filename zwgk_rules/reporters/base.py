"""The Reporter interface: write a Report to a binary stream."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Protocol

from zwgk_rules.report import Report


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportOptions:
    """How a reporter presents a report. ``limit`` caps the rows of tables meant for people
    (0: no cap); machine formats always hold everything."""

    limit: int = 200


DEFAULT_OPTIONS = ReportOptions()


class Reporter(Protocol):
    name: str

    def __init__(self, options: ReportOptions = ...) -> None: ...

    def write(self, report: Report, out: BinaryIO) -> None: ...
