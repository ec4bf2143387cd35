"""The command line: exit codes, one-line errors, deterministic reports, golden files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest

from zwgk_rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
EX = "examples/zhoucun-2017"
CHECK = ["check", "--rules", "rulesets/zhoucun-2017.yaml", "--units", f"{EX}/units.yaml", "--events", f"{EX}/events.jsonl", f"{EX}/events-towns.csv", "--as-of", "2018-01-10"]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_example_report_matches_its_golden_file(capsys, golden, fmt):
    code, out, err = run(capsys, *CHECK, "--format", fmt)
    assert (code, err) == (1, "")
    golden(ROOT / "tests/golden" / fmt / f"zhoucun-2017.{'txt' if fmt == 'text' else 'json'}", out)


def test_the_json_report_follows_its_schema(capsys):
    code, out, _ = run(capsys, *CHECK, "--format", "json")
    schema = json.loads((ROOT / "schemas/report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(out), schema, format_checker=jsonschema.FormatChecker())


def test_the_json_report_accounts_for_every_row(capsys):
    _, out, _ = run(capsys, *CHECK, "--format", "json")
    rows = json.loads(out)["rows"]
    lines = [x for x in (ROOT / EX / "events.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    csv_lines = (ROOT / EX / "events-towns.csv").read_text(encoding="gb18030").splitlines()
    csv_rows = [x for x in csv_lines if x.strip() and not x.startswith("#")][1:]  # less the header
    assert rows["read"] == len(lines) - 1 + len(csv_rows)  # the $meta line is not a row
    assert rows["read"] == rows["matched"] + rows["unmatched"] + rows["rejected"]


def test_the_report_is_byte_identical_whatever_the_order_of_the_events(capsys, tmp_path):
    lines = (ROOT / EX / "events.jsonl").read_text(encoding="utf-8").splitlines()
    meta, rows = lines[0], lines[1:]
    random.Random(7).shuffle(rows)
    shuffled = tmp_path / "events.jsonl"
    shuffled.write_text("\n".join([meta, *rows]) + "\n", encoding="utf-8")
    argv = [a if a != f"{EX}/events.jsonl" else str(shuffled) for a in CHECK]
    assert argv != CHECK
    _, a, _ = run(capsys, *CHECK, "--format", "json")
    _, b, _ = run(capsys, *argv, "--format", "json")
    da, db = json.loads(a), json.loads(b)
    # Same findings and summary; only the input's name, digest and row numbers differ.
    assert da["findings"] == db["findings"]
    assert (da["summary"], da["rows"]) == (db["summary"], db["rows"])
    assert sorted(r["reason"] for r in da["rejections"]) == sorted(r["reason"] for r in db["rejections"])


def test_output_to_a_file(capsys, tmp_path):
    out_file = tmp_path / "r.json"
    code, out, err = run(capsys, *CHECK, "--format", "json", "--output", str(out_file))
    assert (code, out, err) == (1, "", "")
    assert json.loads(out_file.read_text(encoding="utf-8"))["as_of"] == "2018-01-10"


def test_no_violation_exits_zero(capsys):
    # Before anything fell due, nothing can be violated.
    code, out, err = run(capsys, *CHECK[:-1], "2017-01-02")
    assert (code, err) == (0, "")
    assert "violations 0" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--rules", "nope.yaml", "--units", f"{EX}/units.yaml", "--events", f"{EX}/events.jsonl"], "zwgk-rules: error: nope.yaml: no such file or directory\n"),
        ([*CHECK[:-1], "2018-13-01"], "zwgk-rules: error: zwgk-rules check: argument --as-of: '2018-13-01' is not a date (YYYY-MM-DD)\n"),
        ([*CHECK, "--log-covers", "2017-01-01"], "zwgk-rules: error: zwgk-rules check: argument --log-covers: '2017-01-01' is not a span FROM..TO (e.g. 2017-01-01..2017-12-31)\n"),
        ([*CHECK, "--format", "pdf"], "zwgk-rules: error: zwgk-rules check: argument --format: invalid choice: 'pdf'"),
        (["check", "--rules", "rulesets/zhoucun-2017.yaml"], "zwgk-rules: error: zwgk-rules check: the following arguments are required: --units, --events\n"),
        ([*CHECK[:-2], "--from", "2017-06-01", "--to", "2017-01-01"], "zwgk-rules: error: the window 2017-06-01..2017-01-01 is empty: --from is after --to\n"),
    ],
)
def test_bad_usage_exits_2_with_one_line_and_no_traceback(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    # One line, starting with the message (argparse words its choices per Python version).
    assert err.startswith(message) and err.count("\n") == 1


def test_a_window_the_calendar_does_not_know_is_a_clear_error(capsys):
    code, out, err = run(capsys, *CHECK[:-1], "2031-12-31", "--from", "2030-01-01", "--to", "2030-12-31")
    assert (code, out) == (2, "")
    assert "does not know 2030: known years are 2004-2026" in err
    assert "Traceback" not in err


def test_rules_validate_reports_ok(capsys):
    assert run(capsys, "rules", "validate", "tests/fixtures/rules/good_zhoucun.yaml") == (0, "10 rules in 1 files: OK\n", "")
    # A ruleset that extends the national ones: its own rules, the inherited ones, three files.
    code, out, err = run(capsys, "rules", "validate", "rulesets/zhoucun-2017.yaml")
    assert (code, err) == (0, "") and out.endswith(" rules in 3 files: OK\n")


def test_an_unexpected_error_is_exit_3_and_asks_for_a_report(capsys, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr("zwgk_rules.cli.check", boom)
    code, out, err = run(capsys, *CHECK)
    assert (code, out) == (3, "")
    assert "please report it" in err and "RuntimeError: boom" in err


def test_the_package_data_schemas_are_the_published_ones():
    for packaged in (ROOT / "zwgk_rules/data").glob("*.schema.json"):
        assert packaged.read_bytes() == (ROOT / "schemas" / packaged.name).read_bytes(), packaged.name


def test_limit_cuts_the_text_tables_and_says_so(capsys):
    code, out, err = run(capsys, *CHECK, "--limit", "2")
    assert (code, err) == (1, "")
    assert "Findings other than met and not_applicable (the first 2 of 240; --limit 0 shows all):" in out
    assert "Rejected rows (the first 2 of 8; --limit 0 shows all):" in out
    table = out.split("Findings other than met and not_applicable")[1].split("Rejected rows")[0]
    assert len([line for line in table.splitlines() if line.startswith(("late", "missing", "partial", "pending"))]) == 2


def test_limit_zero_shows_every_row(capsys):
    _, out, _ = run(capsys, *CHECK, "--limit", "0")
    assert "the first" not in out


def test_a_holiday_file_lets_a_check_reach_a_year_the_package_does_not_know(capsys, tmp_path):
    holidays = tmp_path / "h.yaml"
    # December's data falls due in the next January, so the file must know 2028 too.
    holidays.write_text(
        "years:\n  - year: 2027\n    holidays: [2027-01-01]\n  - year: 2028\n    holidays: [2028-01-01]\n",
        encoding="utf-8",
    )
    argv = [*CHECK[:-1], "2027-12-31", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json"]
    code, _, err = run(capsys, *argv)
    assert code == 2 and "does not know 2027" in err
    code, out, err = run(capsys, *argv, "--holidays", str(holidays))
    # The example log covers 2017 only: nothing can be missing in 2027, only unknown.
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["inputs"][0]["role"] == "holidays"
    fiscal = [f for f in data["findings"] if f["rule_id"] == "zc2017.fiscal.monthly"]
    assert [f["period"] for f in fiscal] == [f"2027-{m:02d}" for m in range(1, 13)]
    # January 2027: 20 working days after Sunday 31 January, Mondays to Fridays, is 26 February.
    assert fiscal[0]["due"] == "2027-02-26"
    assert [f["status"] for f in fiscal] == ["unknown"] * 11 + ["pending"]  # December is due in 2028


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_console_entry_point_flushes_the_whole_report_before_it_exits(capsys, fmt):
    # `zwgk-rules` and `python -m zwgk_rules` end the process with os._exit, skipping the
    # teardown of a large check; the report and the exit code must be main()'s exactly.
    import subprocess
    import sys

    expected = run(capsys, *CHECK, "--format", fmt)
    done = subprocess.run(
        [sys.executable, "-m", "zwgk_rules", *CHECK, "--format", fmt],
        cwd=ROOT, capture_output=True, check=False,
    )
    assert (done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")) == expected


def test_the_console_entry_point_reports_bad_input_with_exit_code_2():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "zwgk_rules", "check", "--rules", "missing.yaml", "--units", "u.yaml", "--events", "e.jsonl"],
        cwd=ROOT, capture_output=True, check=False,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode("utf-8").startswith("zwgk-rules: error: ")
