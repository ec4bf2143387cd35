"""Every example scenario runs, and its report is the one we keep under tests/golden/examples/."""

from __future__ import annotations

from pathlib import Path

import pytest

from zwgk_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent

SCENARIOS = {
    "zhoucun-2017": (["units.yaml"], ["events.jsonl", "events-towns.csv"], "2018-01-10"),
    "lijin-2016": (["units.csv"], ["events.jsonl"], "2017-03-31"),
    "feidi-2017": (["units.yaml"], ["events.jsonl"], "2018-03-31"),
    "taian-2017": (["units.yaml"], ["events.jsonl"], "2018-01-31"),
}


def test_every_example_directory_is_a_scenario_here():
    dirs = {p.name for p in (ROOT / "examples").iterdir() if p.is_dir()}
    assert dirs == set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_example_runs_and_matches_its_golden_report(name, capsys, golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    units, events, as_of = SCENARIOS[name]
    d = f"examples/{name}"
    argv = ["check", "--rules", f"{d}/rules.yaml", "--units", *[f"{d}/{u}" for u in units]]
    argv += ["--events", *[f"{d}/{e}" for e in events], "--as-of", as_of]
    code = main(argv)
    out, err = capsys.readouterr()
    # Each scenario has violations on purpose, and no input error.
    assert (code, err) == (1, "")
    golden(ROOT / "tests/golden/examples" / f"{name}.txt", out)
