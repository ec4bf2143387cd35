"""Findings: the verdict on one obligation (rule × unit × period or trigger)."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from zwgk_rules.rules.model import Citation, Severity


class Status(str, enum.Enum):
    """What became of an obligation as of the check date."""

    MET = "met"
    LATE = "late"
    MISSING = "missing"
    PARTIAL = "partial"
    PENDING = "pending"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


VIOLATIONS = frozenset({Status.LATE, Status.MISSING, Status.PARTIAL})

# Order used to pick the better of two alternatives (按季度或年) and the worse of parts.
STATUS_RANK = {
    Status.MET: 0,
    Status.LATE: 1,
    Status.PARTIAL: 2,
    Status.PENDING: 3,
    Status.UNKNOWN: 4,
    Status.MISSING: 5,
    Status.NOT_APPLICABLE: 6,
}


class Evidence(NamedTuple):
    """The event that fulfilled (or came closest to fulfilling) an obligation.

    A NamedTuple: one is made for every matching event, so construction cost counts. Its
    fields are in the order that ranks evidence (earliest first, then by id, title, url),
    so two pieces of evidence compare with ``<`` whatever order the log was in.
    """

    at: datetime
    event_id: str
    title: str = ""
    url: str = ""
    date_only: bool = False

    def sort_key(self) -> tuple[datetime, str, str, str]:
        return (self.at, self.event_id, self.title, self.url)

    @property
    def when(self) -> str:
        return self.at.date().isoformat() if self.date_only else self.at.isoformat()


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Exactly one per obligation. ``period`` is a period id (2017-03, 2017-Q1, ...), a year
    for yearly deadlines, or ``trigger:<event id>`` for obligations an event set off."""

    rule_id: str
    ruleset: str
    unit_id: str
    unit_name: str
    period: str
    due: date
    due_at: datetime | None
    status: Status
    evidence: Evidence | None
    late_by: int | None
    late_unit: str
    detail: str
    missing_items: tuple[str, ...]
    citation: Citation
    severity: Severity
    tags: tuple[str, ...]
    weight: float
    #: The ruleset the rule is written in (``ruleset`` binds the unit), and the fields of
    #: the rule ``ruleset``'s overrides changed.
    origin: str = ""
    overrides: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Stable across runs and input order: what baselines and SARIF use to follow it."""
        raw = f"{self.rule_id}\x1f{self.unit_id}\x1f{self.period}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]

    @property
    def is_violation(self) -> bool:
        return self.status in VIOLATIONS

    def sort_key(self) -> tuple[str, str, date, str]:
        return (self.rule_id, self.unit_id, self.due, self.period)

    def check_tuple(self) -> tuple[str, str, str, str]:
        """(rule, unit, period, status): terse form for tests."""
        return (self.rule_id, self.unit_id, self.period, self.status.value)

    @property
    def due_text(self) -> str:
        return self.due_at.isoformat() if self.due_at is not None else self.due.isoformat()


Tally = dict[str, dict[Status, int]]


class Findings:
    """The findings of a check, one per obligation, in report order: lazy and re-iterable.

    A check of 80,000 units over two years has millions of obligations; holding them all as
    objects would cost more memory than the event log they come from. Each iteration
    regenerates them from the engine's compact state. Counts per rule and status come from
    ``tally`` when the engine can count without building findings, else from one iteration.
    """

    __slots__ = ("_make", "_tally", "_counts")

    def __init__(self, make: Callable[[], Iterator[Finding]], tally: Callable[[], Tally] | None = None) -> None:
        self._make = make
        self._tally = tally
        self._counts: Tally | None = None

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Findings:
        """Findings from a ready list (sorted here into report order)."""
        items = sorted(findings, key=Finding.sort_key)
        return cls(lambda: iter(items))

    def __iter__(self) -> Iterator[Finding]:
        return self._make()

    def by_rule(self) -> Tally:
        """Findings per rule id and status, rules in report order, every status present."""
        if self._counts is None:
            if self._tally is not None:
                self._counts = self._tally()
            else:
                counts: Tally = {}
                for f in self._make():
                    per = counts.get(f.rule_id)
                    if per is None:
                        per = counts[f.rule_id] = dict.fromkeys(Status, 0)
                    per[f.status] += 1
                self._counts = counts
        return self._counts

    def summary(self) -> dict[str, int]:
        """Findings per status, every status present (zeros included), in a fixed order."""
        total = dict.fromkeys(Status, 0)
        for per in self.by_rule().values():
            for status, n in per.items():
                total[status] += n
        return {s.value: total[s] for s in Status}

    def __len__(self) -> int:
        return sum(self.summary().values())

    @property
    def violations(self) -> int:
        counts = self.summary()
        return sum(counts[s.value] for s in VIOLATIONS)
