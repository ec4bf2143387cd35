"""The Reporter interface: write a Report to a binary stream."""

from __future__ import annotations

from typing import BinaryIO, Protocol

from zwgk_rules.report import Report


class Reporter(Protocol):
    name: str

    def write(self, report: Report, out: BinaryIO) -> None: ...
