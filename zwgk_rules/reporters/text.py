"""Plain-text report for people: what was read, a summary, then the findings that need a look."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import BinaryIO

from zwgk_rules.findings import Finding, Status
from zwgk_rules.report import Report


@lru_cache(maxsize=65536)
def width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(0, cols - width(text))


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


class TextReporter:
    name = "text"

    def write(self, report: Report, out: BinaryIO) -> None:
        a = report.accounting
        lines = [
            f"zwgk-rules {report.tool_version}: as of {report.as_of.isoformat()}, "
            f"window {report.window[0].isoformat()}..{report.window[1].isoformat()}, "
            f"log covers {report.covers[0].isoformat()}..{report.covers[1].isoformat()}",
        ]
        for m in report.rulesets:
            lines.append(f"  ruleset {m.id}: {m.title} ({m.doc_number or m.issuer})")
        lines.append(
            f"Event rows: {a.read} read = {a.matched} matched + {a.unmatched} unmatched + {a.rejected} rejected"
        )
        # One pass over the findings: the rows to show, and (as a side effect) the counts.
        shown = [_row(f) for f in report.findings if f.status is not Status.MET and f.status is not Status.NOT_APPLICABLE]
        summary = report.summary()
        lines.append(
            f"Obligations: {sum(summary.values())}; "
            + ", ".join(f"{k} {v}" for k, v in summary.items() if v)
            + f"; violations {report.violations}"
        )
        for w in report.warnings:
            lines.append(f"warning: {w}")
        if shown:
            lines.append("")
            lines.append("Findings other than met and not_applicable:")
            lines.extend(table(["STATUS", "RULE", "UNIT", "PERIOD", "DUE", "EVIDENCE / DETAIL"], shown))
        if report.rejections:
            lines.append("")
            lines.append("Rejected rows:")
            lines.extend(f"  {r.source}:{r.row}: {r.reason}" for r in report.rejections)
        out.write(("\n".join(lines) + "\n").encode("utf-8"))
