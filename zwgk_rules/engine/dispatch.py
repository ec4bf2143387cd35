"""Which rules can use an event: worked out once per (type, category), not once per event."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zwgk_rules.rules.model import Selector

# Categories are an open vocabulary; a log with very many distinct ones only costs recomputing.
_PER_TYPE_LIMIT = 1 << 12


@dataclass(frozen=True, slots=True)
class Target:
    """One rule's interest in events: its ``match`` selector (or its ``trigger``), the units
    whose events count (None: every unit), and the evaluator method that takes them."""

    selector: Selector
    is_trigger: bool
    bound: frozenset[str] | None
    observe: Callable[[Any, Any], bool]
    #: Whether the selector asks more than type and category (title words, channels),
    #: which must then be tested event by event.
    checks: bool = field(init=False)

    def __post_init__(self) -> None:
        s = self.selector
        object.__setattr__(self, "checks", bool(s.title_any or s.title_all or s.title_pattern or s.channels_any))

    def wants(self, type_: str, category: str) -> bool:
        s = self.selector
        return type_ in s.types and (not s.categories or category in s.categories)


class Dispatch:
    """The targets an event of a given type and category goes to, in rule order."""

    __slots__ = ("_targets", "_vocabulary", "by_type")

    def __init__(self, targets: Sequence[Target], vocabulary: frozenset[str]) -> None:
        self._targets = tuple(targets)
        self._vocabulary = vocabulary
        #: type → category → targets, for the pairs :meth:`targets` has worked out so far.
        self.by_type: dict[str, dict[str, tuple[Target, ...]]] = {}

    def targets(self, type_: str, category: str) -> tuple[Target, ...] | None:
        """The targets that may use such an event (title and channel tests still to make),
        or None when no ruleset or units file declares the type."""
        per = self.by_type.get(type_)
        if per is not None:
            hit = per.get(category)
            if hit is not None:
                return hit
        if type_ not in self._vocabulary:
            return None
        if per is None:
            per = self.by_type[type_] = {}
        elif len(per) >= _PER_TYPE_LIMIT:
            per.clear()
        hit = per[category] = tuple(t for t in self._targets if t.wants(type_, category))
        return hit
