"""Wall time and peak RSS of each stage of a check, in process and without a profiler.

Usage::

    .venv/bin/python benchmarks/stages.py benchmarks/out/1m

cProfile slows call-heavy Python code unevenly (a run of 56 s takes 125 s under it), so
its shares are only a guide. This runs the pipeline the way ``zwgk-rules check`` does,
through the public API, and times each stage with a clock instead. Reading the events is
timed in a pass of its own first, so ``check()`` minus that pass is the engine's matching
and accumulating. Findings are lazy: the engine evaluates obligations when the report asks,
so "evaluate" rows are the first call for counts and one full pass over the findings.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dir", type=Path, help="a directory written by benchmarks/generate.py")
    p.add_argument("--as-of", default="2019-06-30")
    args = p.parse_args(argv)
    data: Path = args.dir
    meta = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    window = (date.fromisoformat(meta["window"][0]), date.fromisoformat(meta["window"][1]))
    rows: list[tuple[str, float, float]] = []

    def stage(name: str, fn: Callable[[], T]) -> T:
        started = time.perf_counter()
        value = fn()
        rows.append((name, time.perf_counter() - started, _peak_mb()))
        return value

    # As `zwgk-rules check` does: the cyclic collector is off for the whole run.
    gc.disable()
    started = time.perf_counter()
    import zwgk_rules
    from zwgk_rules.reporters import REPORTERS
    from zwgk_rules.reporters.base import ReportOptions

    rows.append(("import zwgk_rules", time.perf_counter() - started, _peak_mb()))
    rules = stage("load rules", lambda: zwgk_rules.load_rules([data / "rules.yaml"]))
    # CSV when the generator wrote one, as run.py does: 80,000 units of YAML take PyYAML
    # seconds, which says nothing about the checker.
    units_file = data / "units.csv" if (data / "units.csv").exists() else data / "units.yaml"
    units = stage(f"load units ({units_file.suffix[1:]})", lambda: zwgk_rules.load_units(units_file))
    events = data / "events.jsonl"

    def read_only() -> int:
        return sum(1 for _ in zwgk_rules.open_log(events))

    stage("read events alone (separate pass)", read_only)

    def run_check() -> zwgk_rules.Report:
        logs = zwgk_rules.read_events([events])
        covers = logs.logs[0].meta.covers
        return zwgk_rules.check(
            rules, units, logs, as_of=date.fromisoformat(args.as_of), window=window, covers=covers
        )

    report = stage("check(): read events + match + accumulate", run_check)
    stage("evaluate: counts per rule and status", report.summary)
    options = ReportOptions()
    with open(os.devnull, "wb") as null:
        stage("report: text (200 rows a table)", lambda: REPORTERS["text"](options).write(report, null))
        stage("report: json (every finding)", lambda: REPORTERS["json"](options).write(report, null))

    read = next(t for name, t, _ in rows if name.startswith("read events"))
    checked = next(t for name, t, _ in rows if name.startswith("check()"))
    print(f"## Stages: {data} ({meta['events']:,} events, {meta['units']:,} units)\n")
    print("| stage | wall s | peak RSS so far, MB |\n|---|---:|---:|")
    for name, seconds, peak in rows:
        print(f"| {name} | {seconds:.2f} | {peak:,.0f} |")
    print(f"| (check() minus reading: match + accumulate) | {checked - read:.2f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
