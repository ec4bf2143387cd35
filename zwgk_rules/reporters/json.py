"""JSON report for machines; schema in ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, BinaryIO

import msgspec

from zwgk_rules.findings import Finding
from zwgk_rules.report import Report
from zwgk_rules.reporters.base import DEFAULT_OPTIONS, ReportOptions
from zwgk_rules.rules.model import Citation

FORMAT_VERSION = 1


def finding_to_dict(f: Finding) -> dict[str, Any]:
    ev = f.evidence
    return {
        "rule_id": f.rule_id,
        "ruleset": f.ruleset,
        "origin": f.origin or f.ruleset,
        "overrides": list(f.overrides),
        "unit_id": f.unit_id,
        "unit_name": f.unit_name,
        "period": f.period,
        "due": f.due_text,
        "status": f.status.value,
        "evidence": None
        if ev is None
        else {"event_id": ev.event_id, "at": ev.when, "title": ev.title, "url": ev.url},
        "late_by": f.late_by,
        "late_unit": f.late_unit or None,
        "detail": f.detail,
        "missing_items": list(f.missing_items),
        "citation": _citation(f.citation),
        "severity": f.severity.value,
        "tags": list(f.tags),
        "weight": f.weight,
        "fingerprint": f.fingerprint,
    }


@lru_cache(maxsize=1024)
def _citation(c: Citation) -> dict[str, str]:
    # One per rule, shared by its findings: a report can hold millions of them. Read only.
    return {"document": c.document, "doc_number": c.doc_number, "clause": c.clause, "quote": c.quote}


def _head(report: Report) -> dict[str, Any]:
    a = report.accounting
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "zwgk-rules", "version": report.tool_version},
        "as_of": report.as_of.isoformat(),
        "window": {"from": report.window[0].isoformat(), "to": report.window[1].isoformat()},
        "log_covers": {"from": report.covers[0].isoformat(), "to": report.covers[1].isoformat()},
        "inputs": [{"role": i.role, "path": i.path, "sha256": i.sha256} for i in report.inputs],
        "rulesets": [
            {
                "id": m.id,
                "title": m.title,
                "issuer": m.issuer,
                "doc_number": m.doc_number,
                "issued": m.issued.isoformat() if m.issued else None,
                "jurisdiction": m.jurisdiction,
                "plan_year": m.plan_year,
            }
            for m in report.rulesets
        ],
        "rules": [
            {
                "id": r.id,
                "ruleset": r.ruleset,
                "origin": r.origin or r.ruleset,
                "overrides": list(r.overridden),
                "override_reason": r.override_reason,
                "parameters": [
                    {"name": p.name, "value": p.value, "meaning": p.meaning, "basis": p.basis, "ruleset": p.ruleset}
                    for p in r.parameters
                ],
            }
            for r in report.rules
        ],
        "rows": {"read": a.read, "matched": a.matched, "unmatched": a.unmatched, "rejected": a.rejected},
        "rejections": [
            {"source": r.source, "row": r.row, "event_id": r.event_id or None, "reason": r.reason}
            for r in report.rejections
        ],
        "unknown_units": [{"unit": u, "rows": n} for u, n in report.unknown_units],
        "warnings": list(report.warnings),
    }


def _summary(report: Report) -> dict[str, Any]:
    by_status = report.summary()
    return {
        "obligations": sum(by_status.values()),
        "violations": report.violations,
        "by_status": by_status,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as one mapping (for library users; the reporter streams instead)."""
    data = _head(report)
    data["findings"] = [finding_to_dict(f) for f in report.findings]
    data["summary"] = _summary(report)
    return data


def _dumps(value: object, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


class JsonReporter:
    """Writes the report as JSON, streaming the findings: one compact object a line, so a
    report of millions of findings never has to be held in memory (and diffs line by line)."""

    name = "json"

    def __init__(self, options: ReportOptions = DEFAULT_OPTIONS) -> None:
        self.options = options

    def write(self, report: Report, out: BinaryIO) -> None:
        head = _dumps(_head(report), indent=2)
        # Reopen the head object to append the findings and the summary after it.
        out.write(head[: head.rindex("}")].rstrip().encode("utf-8"))
        out.write(b',\n  "findings": [')
        sep = b"\n    "
        # msgspec writes a finding's compact JSON (UTF-8, keys in order) in C, a tenth of
        # the time json.dumps takes: a report can hold millions of findings.
        encode = msgspec.json.Encoder().encode
        for f in report.findings:
            out.write(sep + encode(finding_to_dict(f)))
            sep = b",\n    "
        out.write(b"\n  ],\n" if sep != b"\n    " else b"],\n")
        summary = _dumps({"summary": _summary(report)}, indent=2)
        out.write(summary[1:].lstrip("\n").encode("utf-8"))
        out.write(b"\n")
