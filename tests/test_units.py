"""Units files: YAML and CSV, aliases, jurisdictions, located errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zwgk_rules.errors import UserInputError
from zwgk_rules.units import load_units

YAML = """\
jurisdictions:
  - {id: city, name: 测试市}
  - {id: a, name: 甲区, parent: city}
  - {id: b, name: 乙区, parent: city}
units:
  - {id: a-fin, name: 甲区财政局, aliases: [区财政局], roles: [财政局], jurisdiction: a, level: department}
  - {id: b-fin, name: 乙区财政局, aliases: [区财政局], roles: [财政局], jurisdiction: b, level: department}
  - {id: a-edu, name: 甲区教育局, aliases: [区教育局], roles: [教育局], jurisdiction: a}
"""


def test_units_are_found_by_id_name_and_alias(tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(YAML, encoding="utf-8")
    reg = load_units(f)
    assert reg.resolve("a-edu").id == "a-edu"
    assert reg.resolve("甲区教育局").id == "a-edu"
    assert reg.resolve(" 区教育局 ").id == "a-edu"
    assert reg.resolve("区不存在局") is None


def test_an_alias_two_units_share_names_neither(tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(YAML, encoding="utf-8")
    reg = load_units(f)
    assert reg.resolve("区财政局") is None
    assert reg.is_ambiguous("区财政局")
    assert reg.resolve("乙区财政局").id == "b-fin"


def test_the_jurisdiction_tree(tmp_path):
    f = tmp_path / "u.yaml"
    f.write_text(YAML, encoding="utf-8")
    assert load_units(f).ancestors("a") == ("a", "city")


def test_a_csv_units_file_in_gb18030_with_lists(tmp_path):
    f = tmp_path / "u.csv"
    text = (
        "id,name,aliases,roles,jurisdiction,level,parent_jurisdiction\r\n"
        "lj-fin,利津县财政局,县财政局；利津财政,财政局,lijin,department,dongying\r\n"
        "lj-egov,利津县电子政务中心,县电子政务中心,电子政务中心、信息中心,lijin,department,dongying\r\n"
    )
    f.write_bytes(text.encode("gb18030"))
    reg = load_units(f)
    assert [u.id for u in reg.units] == ["lj-egov", "lj-fin"]
    assert reg.resolve("利津财政").id == "lj-fin"
    assert reg.get("lj-egov").roles == frozenset({"电子政务中心", "信息中心"})
    assert reg.ancestors("lijin") == ("lijin", "dongying")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units:\n  - {id: x, name: X, jurisdicton: a}\n", "u.yaml:2:22: units[0].jurisdicton: unknown field 'jurisdicton'; did you mean 'jurisdiction'?"),
        ("units:\n  - {id: x, name: X}\n", "u.yaml:2:5: units[0]: missing required field 'jurisdiction'"),
        ("units:\n  - {id: x, name: X, jurisdiction: a}\n  - {id: x, name: Y, jurisdiction: a}\n", "u.yaml:3:10: units[1].id: duplicate unit id 'x'"),
        ("jurisdictions:\n  - {id: a, name: A}\nunits:\n  - {id: x, name: X, jurisdiction: b}\n", "u.yaml:4:36: units[0].jurisdiction: jurisdiction 'b' is not listed under jurisdictions"),
        ("- just a list\n", "u.yaml:1:1: a units file is a mapping with 'units'"),
    ],
)
def test_a_bad_units_file_names_where_and_what(tmp_path, text, message):
    f = tmp_path / "u.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_units(f)
    assert str(info.value).endswith(message)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,name,jurisdiction,colour\r\nx,X,a,red\r\n", "u.csv:1: unknown column 'colour'"),
        ("id,name\r\nx,X\r\n", "u.csv:1: missing column 'jurisdiction'"),
        ("id,name,jurisdiction\r\nx,,a\r\n", "u.csv:2: name: empty 'name'"),
        ("id,name,jurisdiction\r\nx,X,a\r\nx,Y,a\r\n", "u.csv:3: id: duplicate unit id 'x'"),
    ],
)
def test_a_bad_csv_units_file_names_the_line(tmp_path, text, message):
    f = tmp_path / "u.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_units(f)
    assert message in str(info.value)


def test_units_files_must_exist_and_have_a_known_extension(tmp_path):
    with pytest.raises(UserInputError, match="no such file"):
        load_units(tmp_path / "missing.yaml")
    f = tmp_path / "u.txt"
    f.write_text("", encoding="utf-8")
    with pytest.raises(UserInputError, match=r"\.yaml, \.yml or \.csv"):
        load_units(f)


_text = st.one_of(st.text(max_size=3), st.integers(0, 2), st.none())
_unit = st.dictionaries(st.sampled_from(["id", "name", "aliases", "roles", "jurisdiction", "level", "colour"]), st.one_of(_text, st.lists(_text, max_size=2)), max_size=7)
_doc = st.one_of(
    st.fixed_dictionaries({"units": st.lists(_unit, max_size=3)}),
    st.dictionaries(st.sampled_from(["units", "jurisdictions", "vocabulary", "other"]), st.one_of(st.lists(_unit, max_size=2), _text), max_size=3),
)


@settings(max_examples=300)
@given(_doc)
def test_the_quick_units_check_accepts_only_what_the_schema_accepts(data):
    from zwgk_rules.schema import validator
    from zwgk_rules.units import plainly_valid

    if plainly_valid(data):
        assert not list(validator("units.schema.json").iter_errors(data))


def test_the_quick_units_check_accepts_an_ordinary_file():
    from zwgk_rules.units import plainly_valid

    data = {"jurisdictions": [{"id": "a", "name": "甲区", "parent": "c"}], "units": [{"id": "x", "name": "X", "aliases": ["x1"], "roles": ["r"], "jurisdiction": "a", "level": "department"}]}
    assert plainly_valid(data)


def test_a_csv_units_file_names_each_column_once(tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("id,name,jurisdiction,name\nx,甲,a,乙\n", encoding="utf-8")
    with pytest.raises(UserInputError, match="column 'name' is given twice"):
        load_units(f)


def test_a_unit_in_two_files_names_the_second_file(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("id,name,jurisdiction\nx,甲,j\n", encoding="utf-8")
    b.write_text("id,name,jurisdiction\ny,乙,j\nx,丙,j\n", encoding="utf-8")
    with pytest.raises(UserInputError) as info:
        load_units([a, b])
    assert info.value.render() == f"{b}: unit id 'x' appears in two units files (also in {a})"
