"""Which units a rule binds (engine/binding.py): the shortcut for all units agrees with the rule."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from zwgk_rules.engine.binding import binds, bound_units
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.rules.model import Applicability
from zwgk_rules.units import Jurisdiction, Unit, UnitRegistry

JURISDICTIONS = {
    "city": Jurisdiction(id="city", name="市"),
    "a": Jurisdiction(id="a", name="甲区", parent="city"),
    "b": Jurisdiction(id="b", name="乙区", parent="city"),
}

units = st.lists(
    st.builds(
        lambda n, j, role: Unit(id=f"u{n:03d}", name=f"单位{n}", roles=frozenset({role}), jurisdiction=j),
        st.integers(0, 200),
        st.sampled_from(sorted(JURISDICTIONS)),
        st.sampled_from(["财政局", "教育局"]),
    ),
    max_size=30,
    unique_by=lambda u: u.id,
)


def a_rule(tmp_path_factory, applies: Applicability):
    from helpers import HEADER

    d = tmp_path_factory.mktemp("binding")
    (d / "r.yaml").write_text(
        HEADER
        + "  - {id: r, title: t, cite: {clause: 一, quote: q}, applies_to: {all: true}, kind: deadline,"
        + " by: 2017-12-31, match: {type: publication}}\n",
        encoding="utf-8",
    )
    (rule,) = load_rules([d / "r.yaml"]).rules
    return dataclasses.replace(rule, applies=applies)


@given(units, st.sampled_from(sorted(JURISDICTIONS)), st.booleans(), st.sampled_from([None, "财政局"]))
def test_bound_units_are_the_units_the_rule_binds(tmp_path_factory, us, jurisdiction, below, role):
    applies = Applicability(all_units=role is None, roles=frozenset({role}) if role else frozenset(), include_subordinates=below)
    rule = a_rule(tmp_path_factory, applies)
    registry = UnitRegistry(sorted(us, key=lambda u: u.id), JURISDICTIONS)
    expected = tuple(u.id for u in registry.units if binds(rule, u, jurisdiction, registry))
    assert bound_units(rule, jurisdiction, registry) == expected
