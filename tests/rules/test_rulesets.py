"""The rulesets in rulesets/: they load, cite their seed verbatim, and every rule has cases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from zwgk_rules.rules.loader import CASE_SUFFIXES, load_rules

ROOT = Path(__file__).resolve().parents[2]
RULESETS = sorted(p for p in (ROOT / "rulesets").glob("*.yaml") if not p.name.endswith(CASE_SUFFIXES))
# The seed documents live beside the project (../shared/seeds); ZWGK_SEEDS may point elsewhere.
SEEDS = Path(os.environ.get("ZWGK_SEEDS", ROOT.parent / "shared" / "seeds"))


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_every_ruleset_loads_with_its_bases(path):
    rules = load_rules([path])
    assert rules.rules, path


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_every_ruleset_has_its_cases_next_to_it(path):
    assert path.with_name(path.stem + ".cases.yaml").exists()


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
def test_every_quote_is_copied_exactly_from_the_seed(path):
    # A reader must find each rule's clause in the source document with a text search.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = data["ruleset"].get("source")
    if source is None:
        pytest.skip("no seed document (the national regulation is quoted from its official text)")
    seed = SEEDS / source
    if not seed.exists():
        pytest.skip(f"seed {seed} is not on this machine")
    text = seed.read_text(encoding="utf-8")
    wrong = [(r["id"], r["cite"]["quote"]) for r in data["rules"] if r["cite"]["quote"] not in text]
    assert wrong == []
