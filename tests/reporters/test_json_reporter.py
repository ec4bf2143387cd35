"""The JSON reporter streams findings yet always writes one valid document."""

from __future__ import annotations

import io
import json

from helpers import run

from zwgk_rules.reporters.json import JsonReporter, report_to_dict

RULE = """
- id: release-5h
  title: 5小时内发布权威信息
  cite: {clause: 六、（三）, quote: 最迟5小时内发布权威信息}
  applies_to: {all: true}
  kind: triggered
  trigger: {type: incident}
  due: {hours: 5}
  match: {type: publication}
"""


def written(report) -> dict:
    out = io.BytesIO()
    JsonReporter().write(report, out)
    return json.loads(out.getvalue().decode("utf-8"))


def test_no_findings_is_still_a_valid_document(tmp_path):
    report = run(tmp_path, RULE, [], as_of="2017-12-31")
    data = written(report)
    assert data["findings"] == []
    assert data["summary"]["obligations"] == 0


def test_the_streamed_document_equals_the_mapping(tmp_path):
    events = [
        {"id": "i1", "unit": "env", "type": "incident", "occurred_at": "2017-08-03T09:00:00"},
        {"unit": "env", "type": "publication", "published_at": "2017-08-03T15:00:00"},
        {"id": "i2", "unit": "fin", "type": "incident", "occurred_at": "2017-09-03T09:00:00"},
    ]
    report = run(tmp_path, RULE, events, as_of="2017-12-31")
    data = written(report)
    assert data == report_to_dict(report)
    assert [f["status"] for f in data["findings"]] == ["late", "missing"]
