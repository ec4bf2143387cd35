"""Plain-text report for people: what was read, a summary, then the findings that need a look."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import BinaryIO

from zwgk_rules.findings import Finding, Status
from zwgk_rules.report import Report
from zwgk_rules.reporters.base import DEFAULT_OPTIONS, ReportOptions


@lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, cols: int) -> str:
    return text.ljust(cols - (width(text) - len(text)))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    cols = [max([width(header[i])] + [width(r[i]) for r in rows]) for i in range(len(header))]
    lines = ["  ".join(pad(h, cols[i]) for i, h in enumerate(header)).rstrip()]
    lines.append("  ".join("-" * c for c in cols))
    lines.extend("  ".join(pad(c, cols[i]) for i, c in enumerate(r)).rstrip() for r in rows)
    return lines


def _row(f: Finding) -> list[str]:
    ev = f.evidence
    what = f.detail
    if ev is not None:
        what = f"{ev.event_id} {ev.when}" + (f" {f.detail}" if f.detail else "")
    return [f.status.value, f.rule_id, f.unit_name, f.period, f.due_text, what]


SHOWN = frozenset(Status) - {Status.MET, Status.NOT_APPLICABLE}
COUNT_COLUMNS = (Status.MET, Status.LATE, Status.PARTIAL, Status.MISSING, Status.PENDING, Status.UNKNOWN, Status.NOT_APPLICABLE)


def _capped(title: str, total: int, limit: int) -> str:
    if limit and total > limit:
        return f"{title} (the first {limit} of {total}; --limit 0 shows all):"
    return f"{title}:"


class TextReporter:
    """For people: inputs, row accounting, the summary, counts per rule, the findings that need
    a look (not met, not not_applicable) and the rejected rows; long tables are cut at
    ``options.limit`` rows, saying how many there are."""

    name = "text"

    def __init__(self, options: ReportOptions = DEFAULT_OPTIONS) -> None:
        self.options = options

    def write(self, report: Report, out: BinaryIO) -> None:
        limit = self.options.limit
        a = report.accounting
        lines = [
            f"zwgk-rules {report.tool_version}: as of {report.as_of.isoformat()}, "
            f"window {report.window[0].isoformat()}..{report.window[1].isoformat()}, "
            f"log covers {report.covers[0].isoformat()}..{report.covers[1].isoformat()}",
        ]
        for m in report.rulesets:
            lines.append(f"  ruleset {m.id}: {m.title} ({m.doc_number or m.issuer})")
        # What the vague words were taken to mean, and what a plan changed of what it inherits:
        # a reader must see the assumptions a verdict rests on.
        params = {(p.name, p.value, p.meaning, p.ruleset) for r in report.rules for p in r.parameters}
        for name, value, meaning, ruleset in sorted(params):
            lines.append(f"  parameter {name} = {value} ({meaning}; set by {ruleset})")
        for r in report.rules:
            if r.overridden:
                lines.append(f"  override {r.id}: {', '.join(r.overridden)} ({r.override_reason})")
        lines.append(
            f"Event rows: {a.read} read = {a.matched} matched + {a.unmatched} unmatched + {a.rejected} rejected"
        )
        summary = report.summary()
        lines.append(
            f"Obligations: {sum(summary.values())}; "
            + ", ".join(f"{k} {v}" for k, v in summary.items() if v)
            + f"; violations {report.violations}"
        )
        for w in report.warnings:
            lines.append(f"warning: {w}")

        by_rule = report.findings.by_rule()
        if by_rule:
            lines.append("")
            lines.append("Per rule:")
            header = ["RULE", "OBLIGATIONS", *(s.value.upper().replace("_", " ") for s in COUNT_COLUMNS)]
            rows = [[rule, str(sum(c.values())), *(str(c[s]) for s in COUNT_COLUMNS)] for rule, c in by_rule.items()]
            lines.extend(table(header, rows))

        total_shown = sum(summary[s.value] for s in SHOWN)
        if total_shown:
            shown: list[list[str]] = []
            for f in report.findings:
                if f.status in SHOWN:
                    shown.append(_row(f))
                    if limit and len(shown) == limit:
                        break
            lines.append("")
            lines.append(_capped("Findings other than met and not_applicable", total_shown, limit))
            lines.extend(table(["STATUS", "RULE", "UNIT", "PERIOD", "DUE", "EVIDENCE / DETAIL"], shown))
        if report.rejections:
            lines.append("")
            lines.append(_capped("Rejected rows", len(report.rejections), limit))
            rejected = report.rejections[:limit] if limit else report.rejections
            lines.extend(f"  {r.source}:{r.row}: {r.reason}" for r in rejected)
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
