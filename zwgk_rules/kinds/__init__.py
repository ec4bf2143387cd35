"""Rule kinds: the shapes an obligation can take, one module each, listed by hand.

Each module has an ``ID`` and an ``Evaluator`` class with ``observe_match`` (an event the
rule's ``match`` selects, for a unit the rule binds), ``observe_trigger`` (an event its
``trigger`` or ``subject`` selects), ``observe_step`` (an event one of its extension or
pause selectors selects, for a unit the rule binds), ``outcomes`` (a generator of bare verdicts, one per
obligation, for the units the rule binds) and ``count_statuses`` (how many of those
verdicts have each status: what a summary needs, which the period kinds count without
building a verdict for each of millions of obligations or reading any evidence again).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Protocol

from zwgk_rules.engine.context import CheckContext
from zwgk_rules.engine.evaluate import Outcome
from zwgk_rules.events.model import Event
from zwgk_rules.findings import Status
from zwgk_rules.kinds import count, deadline, periodic, precedence, triggered
from zwgk_rules.rules.model import Kind, Rule
from zwgk_rules.units import Unit


class Evaluator(Protocol):
    def observe_match(self, unit_id: str, event: Event) -> bool: ...

    def observe_trigger(self, unit: Unit, event: Event) -> bool: ...

    def observe_step(self, unit_id: str, event: Event) -> bool: ...

    def outcomes(self, units: Sequence[Unit]) -> Iterator[Outcome]: ...

    def count_statuses(self, units: Sequence[Unit]) -> Counter[Status]: ...


class EvaluatorFactory(Protocol):
    def __call__(self, rule: Rule, ctx: CheckContext) -> Evaluator: ...


KINDS: dict[Kind, EvaluatorFactory] = {
    periodic.ID: periodic.Evaluator,
    deadline.ID: deadline.Evaluator,
    count.ID: count.Evaluator,
    triggered.ID: triggered.Evaluator,
    precedence.ID: precedence.Evaluator,
}


def get(kind: Kind) -> EvaluatorFactory:
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"no such rule kind: {kind!r}") from None
