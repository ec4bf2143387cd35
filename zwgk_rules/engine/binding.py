"""Which units each rule binds: its ruleset's jurisdiction (and below, if asked) × who it names."""

from __future__ import annotations

from zwgk_rules.rules.model import Rule
from zwgk_rules.units import Unit, UnitRegistry

#: The jurisdiction of a ruleset that binds units everywhere: the national regulation.
EVERYWHERE = "*"


def binds(rule: Rule, unit: Unit, jurisdiction: str, registry: UnitRegistry) -> bool:
    """A unit is bound when it is in the plan's jurisdiction (or under it, for a city plan
    that binds 各县（市、区）; anywhere for ``*``) and the rule names it: all units, its id,
    one of its roles or its level."""
    if jurisdiction == EVERYWHERE:
        pass
    elif rule.applies.include_subordinates:
        if jurisdiction not in registry.ancestors(unit.jurisdiction):
            return False
    elif unit.jurisdiction != jurisdiction:
        return False
    a = rule.applies
    return a.all_units or unit.id in a.units or bool(a.roles & unit.roles) or unit.level in a.levels


def bound_units(rule: Rule, jurisdiction: str, registry: UnitRegistry) -> tuple[str, ...]:
    """Ids of the units ``rule`` binds, sorted (the registry keeps units sorted by id)."""
    a = rule.applies
    if a.all_units and jurisdiction == EVERYWHERE:
        return tuple(u.id for u in registry.units)
    if a.all_units and not a.include_subordinates:
        # The common case, asked once per rule: every unit of the plan's jurisdiction.
        return registry.ids_in(jurisdiction)
    return tuple(u.id for u in registry.units if binds(rule, u, jurisdiction, registry))
