"""A hand-written, single-purpose streaming checker for the benchmark workload only.

The performance target in docs/performance.md is stated against "a hand-written
single-purpose plain-Python streaming checker". This is one, written the way a person
would write it for exactly the three rules ``generate.py`` writes, knowing nothing the
log does not say: it resolves unit ids, names and aliases, rejects malformed rows, reads
the period from the title (or takes the previous period when the title names none),
keeps the earliest release per (rule, unit, period) and counts met, late and missing.
Timing it on the same machine as ``zwgk-rules check`` gives the baseline the 2x target
is measured against, instead of a figure from another machine on another day.

It is not part of the package and its numbers must agree with the engine's summary for
the same data (``run.py --reference`` prints both).

Usage::

    python benchmarks/reference.py benchmarks/out/1m
"""

from __future__ import annotations

import csv
import json
import re
import resource
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import msgspec
from chinese_calendar import is_workday

FIELDS = frozenset({"id", "unit", "type", "category", "title", "period", "published_at",
                    "occurred_at", "channel", "url", "content", "value", "related"})
CATEGORY_RULE = {"财政收支": "month", "饮用水水质": "quarter", "年度报告": "year"}
CN = {"一": 1, "二": 2, "三": 3, "四": 4}
MONTH = re.compile(r"(\d{4})年(1-)?(\d{1,2})月")
QUARTER = re.compile(r"(\d{4})年第([一二三四1-4])季度")
YEAR = re.compile(r"(\d{4})年度")


def add_working_days(d: date, n: int) -> date:
    while n:
        d += timedelta(days=1)
        if is_workday(d):
            n -= 1
    return d


def due_of(kind: str, year: int, n: int) -> date:
    if kind == "year":
        return date(year + 1, 3, 31)
    last_month = n if kind == "month" else 3 * n
    end = date(year + last_month // 12, last_month % 12 + 1, 1) - timedelta(days=1)
    return add_working_days(end, 20)


def labels_of(kind: str, title: str) -> tuple[tuple[int, int], ...]:
    """The periods a title reports for: 1-2月 closes January and February, 1-N月 month N."""
    if kind == "month":
        m = MONTH.search(title)
        if not m:
            return ()
        year, n = int(m[1]), int(m[3])
        return ((year, 1), (year, 2)) if m[2] and n == 2 else ((year, n),)
    if kind == "quarter":
        m = QUARTER.search(title)
    else:
        m = YEAR.search(title)
        return ((int(m[1]), 1),) if m else ()
    if not m:
        return ()
    return ((int(m[1]), CN.get(m[2]) or int(m[2])),)


def previous(kind: str, day: date) -> tuple[int, int]:
    if kind == "year":
        return day.year - 1, 1
    n = day.month if kind == "month" else (day.month - 1) // 3 + 1
    return (day.year - 1, 12 if kind == "month" else 4) if n == 1 else (day.year, n - 1)


def main(directory: str) -> int:
    started = time.perf_counter()
    root = Path(directory)
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    years = set(meta["years"])
    units: dict[str, str] = {}
    with (root / "units.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            for ref in (row["id"], row["name"], row["aliases"]):
                units[ref] = row["id"]
    as_of = date(max(years) + 1, 6, 30)
    labels: dict[tuple[str, str], tuple[tuple[int, int], ...]] = {}
    earliest: dict[tuple[str, str, int, int], tuple[datetime, str]] = {}
    read = rejected = 0
    decode = msgspec.json.Decoder().decode  # the fastest JSON to dict there is in Python
    with (root / "events.jsonl").open("rb") as f:
        next(f)  # $meta
        for line in f:
            read += 1
            try:
                row = decode(line)
            except (msgspec.DecodeError, UnicodeDecodeError):
                rejected += 1
                continue
            if type(row) is not dict or not FIELDS.issuperset(row):
                rejected += 1
                continue
            unit = units.get(row.get("unit"))  # type: ignore[arg-type]
            try:
                at = datetime.fromisoformat(row["published_at"])
            except (KeyError, ValueError):
                rejected += 1
                continue
            if unit is None:
                rejected += 1
                continue
            kind = CATEGORY_RULE.get(row.get("category"))  # type: ignore[arg-type]
            if kind is None:
                continue
            title = row.get("title", "")
            key = (kind, title)
            if key not in labels:
                labels[key] = labels_of(kind, title)
            if at.date() > as_of:
                continue
            ev = (at.replace(tzinfo=None), row["id"])
            for period in labels[key] or (previous(kind, at.date()),):
                if period[0] not in years:
                    continue
                k = (kind, unit, *period)
                cur = earliest.get(k)
                if cur is None or ev < cur:
                    earliest[k] = ev
    dues: dict[tuple[str, int, int], date] = {}
    met = late = 0
    for (kind, _unit, year, n), (at, _id) in earliest.items():
        due = dues.get((kind, year, n))
        if due is None:
            due = dues[(kind, year, n)] = due_of(kind, year, n)
        if at.date() <= due:
            met += 1
        else:
            late += 1
    total = meta["expected_obligations"]
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(f"reference: rows {read}, rejected {rejected}; obligations {total}: met {met}, late {late}, "
          f"missing {total - met - late}; {elapsed:.2f} s in-process, peak RSS {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
