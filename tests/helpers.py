"""Small builders for engine tests: a rule as YAML text, events as dicts, check tuples out."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from zwgk_rules.engine.check import check
from zwgk_rules.events.fields import event_from_row
from zwgk_rules.report import Report
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.units import load_units

HEADER = """\
ruleset:
  id: t
  title: 测试要点
  issuer: 测试区人民政府办公室
  doc_number: 测政办发〔2017〕1号
  jurisdiction: j
  plan_year: 2017
vocabulary:
  event_types: [ad_hoc]
rules:
"""

# Rules several engine tests share: a monthly fiscal report that accepts cumulative releases,
# and a yearly deadline binding every unit.
FISCAL_RULE = """\
  - id: fiscal
    title: 按月公开财政收支情况
    cite: {clause: 一, quote: 按月公开全区财政收支情况}
    applies_to: {roles: [财政局]}
    kind: periodic
    every: month
    due: {working_days_after_period: 20}
    accept_cumulative: true
    match: {type: publication, category: 财政收支}
"""
ENROLMENT_RULE = """\
  - id: enrolment
    title: 每年7月底前公开招生范围
    cite: {clause: 三, quote: 在每年7月底前公开招生范围}
    applies_to: {all: true}
    kind: deadline
    each_year_by: "07-31"
    match: {type: publication, category: 招生信息}
"""

UNITS = """\
jurisdictions:
  - {id: city, name: 测试市}
  - {id: j, name: 测试区, parent: city}
  - {id: k, name: 另一区, parent: city}
units:
  - {id: fin, name: 测试区财政局, aliases: [区财政局], roles: [财政局], jurisdiction: j, level: department}
  - {id: edu, name: 测试区教育局, aliases: [区教育局], roles: [教育局], jurisdiction: j, level: department}
  - {id: env, name: 测试区环保分局, aliases: [区环保分局], roles: [环保局], jurisdiction: j, level: department}
  - {id: office, name: 测试区政府办公室, aliases: [区政府办公室], roles: [政府办公室], jurisdiction: j, level: department}
  - {id: k-fin, name: 另一区财政局, roles: [财政局], jurisdiction: k, level: department}
"""


def rule_file(tmp_path: Path, rule: str, header: str = HEADER) -> Path:
    f = tmp_path / "rules.yaml"
    f.write_text(header + textwrap.indent(textwrap.dedent(rule).strip() + "\n", "  "), encoding="utf-8")
    return f


def units_file(tmp_path: Path, text: str = UNITS) -> Path:
    f = tmp_path / "units.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def events_from(rows: Iterable[Mapping[str, object]]):
    for i, raw in enumerate(rows, start=1):
        row = dict(raw)
        row.setdefault("id", f"e{i}")
        yield event_from_row(row, source="log.jsonl", row=i)


def run(
    tmp_path: Path,
    rule: str,
    events: Sequence[Mapping[str, object]],
    *,
    as_of: str,
    window: tuple[str, str] | None = None,
    covers: tuple[str, str] | None = None,
    header: str = HEADER,
) -> Report:
    rules = load_rules([rule_file(tmp_path, rule, header)])
    units = load_units(units_file(tmp_path))
    return check(
        rules,
        units,
        events_from(events),
        as_of=date.fromisoformat(as_of),
        window=(date.fromisoformat(window[0]), date.fromisoformat(window[1])) if window else None,
        covers=(date.fromisoformat(covers[0]), date.fromisoformat(covers[1])) if covers else None,
    )


def tuples(report: Report, *, unit: str | None = None) -> list[tuple[str, str, str]]:
    """(unit, period, status) of every finding, optionally for one unit."""
    return [(f.unit_id, f.period, f.status.value) for f in report.findings if unit is None or f.unit_id == unit]


def status_of(report: Report, unit: str, period: str) -> str:
    (f,) = [f for f in report.findings if f.unit_id == unit and f.period == period]
    return f.status.value


def finding(report: Report, unit: str, period: str):
    (f,) = [f for f in report.findings if f.unit_id == unit and f.period == period]
    return f
