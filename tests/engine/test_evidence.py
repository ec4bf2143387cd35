"""Evidence kept as marks during the stream and read again for reports (engine/evidence.py)."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest
from helpers import ENROLMENT_RULE, FISCAL_RULE, HEADER, UNITS, events_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zwgk_rules.engine.check import check
from zwgk_rules.engine.evidence import EvidenceArchive
from zwgk_rules.errors import UserInputError
from zwgk_rules.events.log import read_events
from zwgk_rules.events.model import Event
from zwgk_rules.reporters.json import finding_to_dict
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.units import load_units

RULES = "\n" + FISCAL_RULE + ENROLMENT_RULE

AS_OF = date(2018, 3, 31)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    d = tmp_path_factory.mktemp("world")
    (d / "r.yaml").write_text(HEADER + RULES, encoding="utf-8")
    (d / "u.yaml").write_text(UNITS, encoding="utf-8")
    return load_rules([d / "r.yaml"]), load_units(d / "u.yaml")


def findings(world, events) -> list[dict[str, object]]:
    rules, units = world
    report = check(rules, units, events, as_of=AS_OF, covers=(date(2017, 1, 1), AS_OF))
    return [finding_to_dict(f) for f in report.findings]


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def row(i: int, category: str, title: str, day: str, url: str = "") -> dict[str, object]:
    return {"id": f"e{i}", "unit": "区财政局", "type": "publication", "category": category,
            "title": title, "published_at": day, "url": url or f"http://gov.example/{i}.html"}


_rows = st.lists(
    st.builds(
        row,
        st.integers(0, 30),
        st.sampled_from(["财政收支", "招生信息"]),
        st.sampled_from(["2017年3月份财政收支", "2017年1-2月财政收支", "招生范围", "2017年招生", "通知"]),
        st.sampled_from(["2017-02-10", "2017-04-01", "2017-04-01T09:00:00+08:00", "2017-07-31", "2017-08-01"]),
        st.sampled_from(["", "http://gov.example/a.html", "http://gov.example/b.html"]),
    ),
    max_size=12,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_rows)
def test_evidence_read_again_from_the_log_is_the_evidence_kept_in_memory(world, tmp_path, rows):
    # From a file the engine keeps marks and reads titles and URLs again; from a plain
    # iterable it keeps the events. Reports must not be able to tell the difference.
    path = write_jsonl(tmp_path / "log.jsonl", rows)
    logs = read_events([path])
    in_memory = [e for e in logs if isinstance(e, Event)]
    assert findings(world, read_events([path])) == findings(world, in_memory)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_rows, st.randoms(use_true_random=False))
def test_ties_of_instant_and_id_are_settled_by_title_and_url_in_any_order(world, tmp_path, rows, rnd):
    # Exports repeat an event id (a corrected republication); two rows with the same id and
    # time must give the same evidence whichever comes first in the file.
    tied = [{**r, "id": "same"} for r in rows]
    shuffled = list(tied)
    rnd.shuffle(shuffled)
    a = findings(world, read_events([write_jsonl(tmp_path / "a.jsonl", tied)]))
    b = findings(world, read_events([write_jsonl(tmp_path / "b.jsonl", shuffled)]))
    assert a == b


def test_marks_from_a_log_hold_an_offset_not_the_event(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "log.jsonl", [row(1, "财政收支", "2017年3月份财政收支", "2017-04-01")])
    logs = read_events([path])
    (event,) = list(logs)
    assert isinstance(event, Event)
    at, event_id, handle = EvidenceArchive(logs).mark(event)
    assert (at, event_id, handle) == (event.at, "e1", 0)
    # Without a log to read from, the mark keeps the event itself.
    assert EvidenceArchive([event]).mark(event)[2] is event


def test_a_log_that_changes_during_the_check_is_an_error_not_wrong_evidence(world, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "log.jsonl", [row(1, "财政收支", "2017年3月份财政收支", "2017-04-01")])
    rules, units = world
    report = check(rules, units, read_events([path]), as_of=AS_OF)
    write_jsonl(path, [row(2, "财政收支", "2017年3月份财政收支", "2017-04-01")])
    with pytest.raises(UserInputError, match="the event log changed while it was checked"):
        list(report.findings)


def test_counting_statuses_reads_nothing_again(world, tmp_path: Path) -> None:
    rows = [row(i, "财政收支", f"2017年{m}月份财政收支", f"2017-{m + 1:02d}-05") for i, m in enumerate(range(1, 12))]
    path = write_jsonl(tmp_path / "log.jsonl", rows)
    rules, units = world
    report = check(rules, units, read_events([path]), as_of=AS_OF)
    path.unlink()  # a summary must come from what the stream kept
    assert report.summary()["met"] == 11


def test_findings_do_not_depend_on_which_log_an_event_came_from(world, tmp_path: Path) -> None:
    rows = [row(i, "财政收支", "2017年3月份财政收支", f"2017-04-0{1 + i % 5}") for i in range(10)]
    random.Random(1).shuffle(rows)
    one = write_jsonl(tmp_path / "one.jsonl", rows)
    a, b = write_jsonl(tmp_path / "a.jsonl", rows[:5]), write_jsonl(tmp_path / "b.jsonl", rows[5:])
    expected = findings(world, events_from(rows))
    assert findings(world, read_events([one])) == expected
    assert findings(world, read_events([a, b])) == findings(world, read_events([b, a])) == expected
