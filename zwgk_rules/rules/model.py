"""Typed rules: what one clause of a work plan obliges, and whom."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import date

from zwgk_rules.periods import PeriodKind


class Severity(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Kind(str, enum.Enum):
    """The shapes an obligation can take; each has one evaluator in ``zwgk_rules.kinds``."""

    PERIODIC = "periodic"
    DEADLINE = "deadline"
    TRIGGERED = "triggered"
    COUNT = "count"
    PRECEDENCE = "precedence"


class DueUnit(str, enum.Enum):
    """The unit a deadline is counted in; lateness is reported in the same unit."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    HOURS = "hours"


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """Where a rule comes from: the document, its 文号, the clause path and the verbatim quote."""

    document: str
    doc_number: str
    clause: str
    quote: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Selector:
    """Which events count: all given conditions must hold (an empty selector matches nothing
    by construction, because the schema requires ``type``)."""

    types: frozenset[str]
    categories: frozenset[str] = frozenset()
    title_any: tuple[str, ...] = ()
    title_all: tuple[str, ...] = ()
    title_pattern: re.Pattern[str] | None = None
    channels_any: frozenset[str] = frozenset()

    def matches(self, type_: str, category: str, title: str, channels: tuple[str, ...]) -> bool:
        if type_ not in self.types:
            return False
        if self.categories and category not in self.categories:
            return False
        if self.title_any and not any(k in title for k in self.title_any):
            return False
        if self.title_all and not all(k in title for k in self.title_all):
            return False
        if self.title_pattern is not None and self.title_pattern.search(title) is None:
            return False
        return not (self.channels_any and not any(c in self.channels_any for c in channels))


@dataclass(frozen=True, slots=True, kw_only=True)
class Applicability:
    """Which units a rule binds: by role, unit id, level; and where (own jurisdiction or below)."""

    all_units: bool = False
    roles: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    include_subordinates: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Due:
    """When an obligation falls due.

    For periods: ``anchor`` is ``period_end`` (N days or working days after the last day of
    the period; 0 days means by its last day), ``next_month_day`` (day N of the month after
    the period) or ``months_after`` (the last day of the N-th month after the period).
    For triggers: N hours, days or working days after the trigger.
    """

    anchor: str
    amount: int
    unit: DueUnit


@dataclass(frozen=True, slots=True, kw_only=True)
class Requirements:
    """What a matching event must also carry: content items and channels (all of them, over
    one or several releases) and a reported value."""

    content: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    #: Every required item as ``content:X`` or ``channel:X``; derived, asked per event.
    items: tuple[str, ...] = field(init=False)
    #: Whether a reported value is bounded at all.
    bounded: bool = field(init=False)

    def __post_init__(self) -> None:
        items = tuple(f"content:{c}" for c in self.content) + tuple(f"channel:{c}" for c in self.channels)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "bounded", self.value_min is not None or self.value_max is not None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    """A length of time in days or working days (an extension, a cap on a pause)."""

    amount: int
    unit: DueUnit


@dataclass(frozen=True, slots=True, kw_only=True)
class Extension:
    """条例第三十三条: a linked event matching ``match``, made by the original due date,
    moves the due date on by ``by``."""

    match: Selector
    by: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Pause:
    """Time that does not count towards a deadline: from a linked ``start`` event to its
    ``end`` event (征求第三方意见所需时间不计算在期限内), at most ``max``."""

    start: Selector
    end: Selector
    max: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter:
    """A named value for a vague word of a plan (及时, 定期, 夏秋粮收购旺季): what it stands for,
    its basis, and the ruleset that set it (the rule's own, or one that overrides it)."""

    name: str
    meaning: str
    basis: str
    value: str  # as written, for reports: "working_days: 20", "quarter", "06-01..07-15, ..."
    ruleset: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Window:
    """A seasonal window inside each year, as month-day pairs (inclusive)."""

    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One checkable requirement. The kind-specific fields are unset for other kinds."""

    id: str
    title: str
    ruleset: str
    cite: Citation
    kind: Kind
    applies: Applicability
    severity: Severity
    tags: tuple[str, ...]
    weight: float
    effective_from: date | None
    effective_until: date | None
    match: Selector
    require: Requirements
    description: str = ""
    # periodic / count
    every: tuple[PeriodKind, ...] = ()
    cycle_days: int = 0
    windows: tuple[Window, ...] = ()
    accept_cumulative: bool = False
    unlabelled: str = "previous"
    due: Due | None = None
    # deadline
    by: date | None = None
    each_year_by: tuple[int, int] | None = None
    # count
    at_least: int = 1
    #: "label": an event counts for the period it is labelled with (its `period`, its title),
    #: else the one it falls in; "date": always the one it falls in (年内至少听取一次 is about
    #: when the hearing happens, not which year's work it hears).
    period_from: str = "label"
    # triggered / precedence
    trigger: Selector | None = None
    trigger_date: date | None = None
    responsible: str = "trigger_unit"
    link: str = "unit"
    extension: Extension | None = None
    pause: Pause | None = None
    conditional: bool = False
    # provenance
    file: str = ""
    line: int = 0
    #: The ruleset the rule is written in; ``ruleset`` is the one whose units it binds,
    #: which differs for a rule inherited through ``extends``.
    origin: str = ""
    #: Fields an ``overrides`` entry of ``ruleset`` changed, and why.
    overridden: tuple[str, ...] = ()
    override_reason: str = ""
    #: The parameters the rule's values come from, as resolved for ``ruleset``.
    parameters: tuple[Parameter, ...] = ()

    @property
    def needs_accumulation(self) -> bool:
        return bool(self.require.content or self.require.channels)


@dataclass(frozen=True, slots=True, kw_only=True)
class RulesetMeta:
    """A work plan as a whole: who issued it, when, for where, for which year."""

    id: str
    title: str
    issuer: str
    doc_number: str
    issued: date | None
    jurisdiction: str
    plan_year: int
    file: str
    extends: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSet:
    """Rules loaded from one or more files, with their plans and the event vocabulary."""

    rules: tuple[Rule, ...]
    rulesets: tuple[RulesetMeta, ...]
    event_types: frozenset[str]
    categories: frozenset[str]
    jurisdiction_of: dict[str, str]

    def plan_years(self) -> tuple[int, ...]:
        """The plan years of the rulesets that bind units: a ruleset another loaded one
        extends (the national regulation under a county's plan) is a base and has none."""
        bases = {b for m in self.rulesets for b in m.extends}
        return tuple(sorted({m.plan_year for m in self.rulesets if m.id not in bases}))
