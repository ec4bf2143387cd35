"""Every example scenario runs, and its report is the one we keep under tests/golden/examples/."""

from __future__ import annotations

from pathlib import Path

import pytest

from zwgk_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent

# name: (rule files, units files in the directory, logs in the directory, as-of)
SCENARIOS = {
    "zhoucun-2017": (["rulesets/zhoucun-2017.yaml"], ["units.yaml"], ["events.jsonl", "events-towns.csv"], "2018-01-10"),
    "lijin-2016": (["rulesets/lijin-2016.yaml"], ["units.csv"], ["events.jsonl"], "2017-01-31"),
    "feidi-2017": (["rulesets/feidi-2017.yaml"], ["units.yaml"], ["events.jsonl"], "2018-03-31"),
    "huaiyin-2021": (["rulesets/huaiyin-2021.yaml"], ["units.yaml"], ["events.jsonl"], "2022-01-20"),
    "taian-2017": (["rulesets/taian-2017.yaml"], ["units.yaml"], ["events.jsonl"], "2018-01-31"),
    "national": (["rulesets/national-2019.yaml"], ["units.yaml"], ["events.jsonl"], "2020-06-30"),
}


def test_every_example_directory_is_a_scenario_here():
    dirs = {p.name for p in (ROOT / "examples").iterdir() if p.is_dir()}
    assert dirs == set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_example_runs_and_matches_its_golden_report(name, capsys, golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    rules, units, events, as_of = SCENARIOS[name]
    d = f"examples/{name}"
    argv = ["check", "--rules", *rules, "--units", *[f"{d}/{u}" for u in units]]
    argv += ["--events", *[f"{d}/{e}" for e in events], "--as-of", as_of]
    code = main(argv)
    out, err = capsys.readouterr()
    # Each scenario has violations on purpose, and no input error.
    assert (code, err) == (1, "")
    golden(ROOT / "tests/golden/examples" / f"{name}.txt", out)
