"""Report: everything a check produced, the one object every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zwgk_rules.events.model import Rejection
from zwgk_rules.findings import Findings
from zwgk_rules.rules.model import Rule, RulesetMeta
from zwgk_rules.units import Unit


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    """An input the check read, with its digest, so a report says exactly what it judged."""

    role: str  # rules | units | events | holidays
    path: str
    sha256: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RowAccounting:
    """Every event row read is matched, unmatched or rejected; the three add up to ``read``."""

    read: int
    matched: int
    unmatched: int
    rejected: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    tool_version: str
    as_of: date
    window: tuple[date, date]
    covers: tuple[date, date]
    rulesets: tuple[RulesetMeta, ...]
    rules: tuple[Rule, ...]
    #: Every unit of the units files, by id (obligations come from these, events or not).
    units: tuple[Unit, ...]
    accounting: RowAccounting
    rejections: tuple[Rejection, ...]
    unknown_units: tuple[tuple[str, int], ...]
    warnings: tuple[str, ...]
    findings: Findings
    inputs: tuple[InputFile, ...] = ()

    def summary(self) -> dict[str, int]:
        """Findings per status, every status present (zeros included), in a fixed order."""
        return self.findings.summary()

    @property
    def violations(self) -> int:
        return self.findings.violations
