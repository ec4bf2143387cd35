"""Loading rule files: good files load, bad files fail with located, readable errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk_rules.cli import main
from zwgk_rules.errors import UserInputError
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.rules.model import Kind

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path("tests/fixtures/rules")
BAD = sorted((ROOT / FIXTURES).glob("bad_*.yaml"))
# One rule of each kind (the first 周村 example); a fixed file, so that the tests below do
# not move when rulesets/ grows.
GOOD_FILE = FIXTURES / "good_zhoucun.yaml"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_a_bad_rule_file_fails_with_its_snapshot(path, golden, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["rules", "validate", str(FIXTURES / path.name)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    golden(path.with_suffix(".errors"), err)


def test_every_bad_fixture_has_a_snapshot():
    for path in BAD:
        assert path.with_suffix(".errors").exists(), path


def test_a_rule_file_of_every_kind_loads():
    rules = load_rules([ROOT / GOOD_FILE])
    assert {r.kind for r in rules.rules} == set(Kind)
    fiscal = next(r for r in rules.rules if r.id == "zc2017.fiscal.monthly")
    assert fiscal.cite.doc_number == "周政办发〔2017〕5号"
    assert fiscal.cite.clause == "一、（一）1"
    assert fiscal.accept_cumulative


def test_duplicate_rule_ids_across_files_are_errors(tmp_path):
    src = (ROOT / GOOD_FILE).read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(src, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(src.replace("id: example-zhoucun-2017", "id: copy"), encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_rules([tmp_path])
    assert "duplicate rule id 'zc2017.fiscal.monthly' (first defined at" in str(info.value)
    assert str(tmp_path / "b.yaml") in str(info.value)


def test_a_field_of_another_kind_is_refused_at_its_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = (ROOT / GOOD_FILE).read_text(encoding="utf-8")
    marker = "    kind: periodic\n"
    assert marker in src
    (tmp_path / "r.yaml").write_text(src.replace(marker, marker + "    period_from: date\n", 1), encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_rules(["r.yaml"])
    assert "'period_from' has no meaning in a periodic rule" in info.value.render()
    assert info.value.render().startswith("r.yaml:")


def test_a_directory_with_no_rule_files_is_an_error(tmp_path):
    with pytest.raises(UserInputError, match="no rule files"):
        load_rules([tmp_path])


def test_yaml_is_loaded_safely(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text("!!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="invalid YAML"):
        load_rules([f])


def test_rule_case_files_are_not_rule_files(tmp_path):
    src = (ROOT / GOOD_FILE).read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(src, encoding="utf-8")
    (tmp_path / "a.cases.yaml").write_text("not: a ruleset\n", encoding="utf-8")
    assert len(load_rules([tmp_path]).rules) == 10


GOOD = (ROOT / GOOD_FILE).read_text(encoding="utf-8")


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=len(GOOD) - 1), st.text(max_size=8))
def test_the_loader_raises_nothing_but_user_input_errors(tmp_path_factory, pos, junk):
    # Splice junk into a real rule file: whatever comes out, it is a rule set or a
    # located UserInputError, never a crash.
    d = tmp_path_factory.mktemp("fuzz")
    f = d / "r.yaml"
    f.write_text(GOOD[:pos] + junk + GOOD[pos:], encoding="utf-8")
    try:
        load_rules([f])
    except UserInputError as exc:
        assert str(f) in str(exc) or os.fspath(f) in str(exc)
