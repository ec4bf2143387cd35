"""Time ``zwgk-rules check`` end to end on directories written by benchmarks/generate.py.

Usage::

    .venv/bin/python benchmarks/run.py benchmarks/out/100k benchmarks/out/1m
    .venv/bin/python benchmarks/run.py --profile benchmarks/out/100k

Each configuration (directory x report format) runs ``--repeat`` times as a fresh child
process. Wall time is measured around the child; peak RSS is the child's own
``ru_maxrss``, read with ``os.wait4`` so one run's peak never leaks into the next. The
result is printed as Markdown table rows, after a description of the machine.

After each text check the hand-written reference checker (``reference.py``) runs on the
same data, and a second table compares the two and the limit the issue sets
(``--no-reference`` skips it).

``--profile`` instead runs the check once in a child under cProfile
(``python -m cProfile -o FILE -m zwgk_rules check ...``) and prints the 25 functions with
the most cumulative and the most own time, and a table of time by pipeline stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import pstats
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

AS_OF = "2019-06-30"
FORMATS = ("text", "json")
TOP = 25

# Pipeline stages for the --profile summary: (stage, file suffix, function). Times are
# cumulative, so a stage includes what it calls; indented stages are part of the stage
# above them. Functions that do not exist in the profiled code are left out of the table.
# Findings are lazy: check() returns before the reporter asks for tally() or findings, so
# evaluating shows up under the reporter's write() as well as under its own rows.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("load rules (YAML + schema)", "zwgk_rules/rules/loader.py", "load_rules"),
    ("load units", "zwgk_rules/units.py", "load_units"),
    ("  of which YAML parse + construct", "zwgk_rules/yamlio.py", "load_located"),
    ("check(): read events + match + accumulate", "zwgk_rules/engine/check.py", "check"),
    ("  read events (lines → Event/Rejection)", "zwgk_rules/events/log.py", "__iter__"),
    ("    JSON Lines reader (decode, short path)", "zwgk_rules/events/jsonl.py", "iter_jsonl"),
    ("      build Event (short path)", "zwgk_rules/events/fields.py", "well_formed_event"),
    ("      build Event or rejection (full check)", "zwgk_rules/events/fields.py", "checked_event_from_row"),
    ("      split list fields", "zwgk_rules/events/fields.py", "_items"),
    ("      label inference from titles", "zwgk_rules/labels.py", "_read_title"),
    ("  observe_match (route to period + keep earliest)", "zwgk_rules/kinds/periodic.py", "observe_match"),
    ("    evidence marks", "zwgk_rules/engine/evidence.py", "mark"),
    ("evaluate: counts per rule and status (tally)", "zwgk_rules/engine/check.py", "tally"),
    ("evaluate: findings (judge + stamp)", "zwgk_rules/engine/check.py", "generate"),
    ("  evidence read again from the log", "zwgk_rules/engine/evidence.py", "event"),
    ("report: text write (incl. tally + shown findings)", "zwgk_rules/reporters/text.py", "write"),
    ("report: json write (incl. tally + all findings)", "zwgk_rules/reporters/json.py", "write"),
    ("  finding → dict", "zwgk_rules/reporters/json.py", "finding_to_dict"),
    ("  json.dumps", "zwgk_rules/reporters/json.py", "_dumps"),
)

# The limit the issue sets, from its hand-written plain-Python checker on "this 2-core
# machine" (3.3 s, 185 MB): within twice that.
LIMIT_WALL_S = 6.6
LIMIT_RSS_MB = 370.0
REFERENCE = Path(__file__).with_name("reference.py")


@dataclass(frozen=True, slots=True)
class Run:
    """One child run: wall seconds, peak RSS in bytes, exit code, whether it was killed."""

    wall: float
    peak_rss: int
    returncode: int
    timed_out: bool


# --- machine --------------------------------------------------------------------------------


def machine() -> list[str]:
    """CPU model, cores, RAM, OS and Python, one ``- key: value`` line each."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- CPU: {cpu}",
        f"- cores: {os.cpu_count()} (usable by this process: {usable})",
        f"- RAM: {ram}",
        f"- OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"- Python: {platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        f"- zwgk-rules: {_package_version()} at commit {head_commit()}{_dirty()}",
    ]


def head_commit() -> str:
    """The commit the working tree is on (read-only git), or "unknown"."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    return "unknown"


def _package_changed(old: str, new: str) -> bool:
    """Whether zwgk_rules/ differs between two commits (read-only git)."""
    with contextlib.suppress(OSError):
        return subprocess.run(["git", "diff", "--quiet", old, new, "--", "zwgk_rules"], capture_output=True).returncode != 0
    return True


def _dirty() -> str:
    """Whether the package differs from that commit; ``git diff`` never writes the index."""
    with contextlib.suppress(OSError):
        diff = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "zwgk_rules"], capture_output=True)
        if diff.returncode == 1:
            return " with uncommitted changes to zwgk_rules/"
        if diff.returncode == 0:
            return " (zwgk_rules/ as committed)"
    return ""


def _package_version() -> str:
    try:
        from zwgk_rules import __version__
    except ImportError:
        return "not importable"
    return __version__


# --- running --------------------------------------------------------------------------------


def zwgk_command() -> list[str]:
    """The console script next to this interpreter, else ``python -m zwgk_rules``."""
    script = Path(sys.executable).parent / "zwgk-rules"
    if script.exists():
        return [str(script)]
    found = shutil.which("zwgk-rules")
    return [found] if found else [sys.executable, "-m", "zwgk_rules"]


def check_args(data: Path, fmt: str, output: str, window: tuple[str, str], as_of: str) -> list[str]:
    return [
        "check",
        "--rules", str(data / "rules.yaml"),
        # CSV when the generator wrote one: parsing 80,000 units of YAML alone takes PyYAML
        # about twenty seconds, which would swamp what the benchmark is about.
        "--units", str(data / "units.csv" if (data / "units.csv").exists() else data / "units.yaml"),
        "--events", str(data / "events.jsonl"),
        "--as-of", as_of,
        "--from", window[0],
        "--to", window[1],
        "--format", fmt,
        "--output", output,
    ]  # fmt: skip


def run_child(cmd: Sequence[str], *, timeout: float, mem_limit: int | None) -> tuple[Run, str]:
    """Run ``cmd`` to the end (or kill it after ``timeout`` s); returns the run and its stderr.

    ``os.wait4`` reports the rusage of exactly this child, unlike ``RUSAGE_CHILDREN``,
    which keeps the maximum over every child reaped so far.
    """

    def limit() -> None:
        if mem_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mem_limit, mem_limit))

    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limit)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            os.kill(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    # ru_maxrss is in KiB on Linux.
    return Run(wall, usage.ru_maxrss * 1024, proc.returncode, killed.is_set()), stderr


def obligations_in(report: Path) -> int | None:
    """The obligation count from a JSON report's summary, without parsing the findings.

    The summary sits after the findings (streamed reports) or before them (older ones), so
    look at the tail, then the head.
    """
    size = report.stat().st_size
    with report.open("rb") as f:
        f.seek(max(0, size - (1 << 16)))
        tail = f.read()
        f.seek(0)
        head = f.read(1 << 22)
    for chunk in (tail, head):
        m = re.search(rb'"obligations":\s*(\d+)', chunk)
        if m:
            return int(m[1])
    return None


def load_meta(data: Path) -> dict[str, object]:
    try:
        meta: dict[str, object] = json.loads((data / "meta.json").read_text(encoding="utf-8"))
    except OSError:
        return {}
    return meta


def window_of(meta: dict[str, object], args: argparse.Namespace) -> tuple[str, str]:
    default = meta.get("window") or ["2017-01-01", "2018-12-31"]
    assert isinstance(default, list)
    return args.window_from or default[0], args.window_to or default[1]


def _mb(n: float) -> str:
    return f"{n / 1e6:,.0f}"


def _size(n: int | None) -> str:
    if n is None:
        return "— (/dev/null)"
    return f"{n / 1e6:,.1f} MB" if n >= 1e6 else f"{n / 1e3:,.1f} kB"


HEADER = (
    "| data | events | units | obligations | format | runs | best wall s | median wall s | peak RSS MB | output |\n"
    "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
)


def benchmark(data: Path, args: argparse.Namespace, reference: list[Run]) -> list[str]:
    """Time every format on one data directory; returns its Markdown rows.

    With ``--reference``, each run of the text check is followed by a run of the reference
    checker (appended to ``reference``), so that both see the machine in the same state.
    """
    meta = load_meta(data)
    window = window_of(meta, args)
    base = zwgk_command()
    results: dict[str, tuple[list[Run], int | None]] = {}
    obligations: int | None = None
    mem_limit = int(args.mem_limit_gb * 1024**3) if args.mem_limit_gb else None
    for fmt in args.formats:
        commit = head_commit()
        output = os.devnull if fmt == "text" else str(args.json_dir or data) + f"/report.{fmt}"
        runs: list[Run] = []
        size: int | None = None
        for i in range(args.repeat):
            run, stderr = run_child(
                base + check_args(data, fmt, output, window, args.as_of),
                timeout=args.timeout,
                mem_limit=mem_limit,
            )
            state = "killed after timeout" if run.timed_out else f"exit {run.returncode}"
            print(
                f"  {data.name} {fmt} run {i + 1}/{args.repeat}: {run.wall:.2f} s, "
                f"peak RSS {_mb(run.peak_rss)} MB, {state}",
                file=sys.stderr,
                flush=True,
            )
            if args.reference and fmt == "text":
                ref, ref_err = run_child(
                    [sys.executable, str(REFERENCE), str(data)], timeout=args.timeout, mem_limit=mem_limit
                )
                print(f"  {data.name} reference run {i + 1}/{args.repeat}: {ref.wall:.2f} s, "
                      f"peak RSS {_mb(ref.peak_rss)} MB, exit {ref.returncode}", file=sys.stderr, flush=True)
                if ref.returncode == 0:
                    reference.append(ref)
                else:
                    print(ref_err[-3000:], file=sys.stderr)
            runs.append(run)
            if run.timed_out or run.returncode not in (0, 1):
                # 0: no violations, 1: violations found; anything else is a failed run.
                print(stderr[-3000:], file=sys.stderr)
                break
            if output != os.devnull:
                size = Path(output).stat().st_size
                obligations = obligations_in(Path(output)) or obligations
        if output != os.devnull and not args.keep_output:
            Path(output).unlink(missing_ok=True)
        after = head_commit()
        if after != commit and _package_changed(commit, after):
            # Other people commit while a long benchmark runs; say so rather than mix code.
            print(f"  warning: HEAD moved from {commit} to {after} during {data.name} {fmt}", file=sys.stderr)
            fmt = f"{fmt} (HEAD moved {commit}→{after})"
        results[fmt] = (runs, size)
    if obligations is None:
        expected = meta.get("expected_obligations")
        obligations = expected if isinstance(expected, int) else None
    rows = []
    for fmt, (runs, size) in results.items():
        ok = [r for r in runs if not r.timed_out and r.returncode in (0, 1)]
        events = meta.get("events", "?")
        units = meta.get("units", "?")
        counts = f"| {data.name} | {events:,} | {units:,} | {obligations:,} " if obligations else f"| {data.name} | {events} | {units} | ? "
        if not ok:
            bad = runs[-1]
            why = f"killed after {args.timeout:.0f} s" if bad.timed_out else f"failed (exit {bad.returncode})"
            rows.append(counts + f"| {fmt} | {len(runs)} | {why} | | {_mb(bad.peak_rss)} | |")
            continue
        walls = [r.wall for r in ok]
        peak = max(r.peak_rss for r in ok)
        rows.append(
            counts
            + f"| {fmt} | {len(ok)} | {min(walls):.2f} | {statistics.median(walls):.2f} "
            + f"| {_mb(peak)} | {_size(size)} |"
        )
    return rows


# --- profiling ------------------------------------------------------------------------------


def profile(data: Path, args: argparse.Namespace) -> None:
    """Run the check once under cProfile and print where the time went."""
    meta = load_meta(data)
    window = window_of(meta, args)
    fmt = args.formats[0]
    output = os.devnull if fmt == "text" else str(data / f"report.{fmt}")
    prof = Path(args.profile_out or data / f"check-{fmt}.prof")
    print(f"## Profile: {data} ({meta.get('events', '?')} events, {meta.get('units', '?')} units, --format {fmt})\n")
    if not (args.reuse_profile and prof.exists()):
        # zwgk_rules.cli, not zwgk_rules: the console entry ends with os._exit, before
        # cProfile could write its file.
        cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "zwgk_rules.cli"]
        run, stderr = run_child(
            cmd + check_args(data, fmt, output, window, args.as_of), timeout=args.timeout, mem_limit=None
        )
        if output != os.devnull and not args.keep_output:
            Path(output).unlink(missing_ok=True)
        print(
            f"Under cProfile: {run.wall:.2f} s wall, peak RSS {_mb(run.peak_rss)} MB, exit {run.returncode}, "
            f"commit {head_commit()}. Profile data: {prof}\n"
        )
        if run.timed_out or not prof.exists():
            print(stderr[-3000:])
            return
    stats = pstats.Stats(str(prof))
    total = max((v[3] for v in stats.stats.values()), default=0.0)  # type: ignore[attr-defined]
    print("### Time by stage (cumulative seconds under the profiler)\n")
    print("| stage | function | cumulative s | share |\n|---|---|---:|---:|")
    for stage, suffix, func in STAGES:
        cum = sum(
            v[3]
            for (file, _line, name), v in stats.stats.items()  # type: ignore[attr-defined]
            if name == func and file.replace(os.sep, "/").endswith(suffix)
        )
        if cum:
            print(f"| {stage.replace('  ', '&nbsp;&nbsp;')} | `{func}` | {cum:.2f} | {cum / total:.0%} |")
    print(f"| whole run | | {total:.2f} | 100% |\n")
    for key, title in (("cumulative", "cumulative time"), ("tottime", "own (total) time")):
        print(f"### Top {TOP} by {title}\n\n```")
        sys.stdout.flush()
        pstats.Stats(str(prof), stream=sys.stdout).strip_dirs().sort_stats(key).print_stats(TOP)
        print("```\n")


# --- command line ---------------------------------------------------------------------------


def _formats(text: str) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    bad = [n for n in names if n not in FORMATS]
    if bad or not names:
        raise argparse.ArgumentTypeError(f"formats are {', '.join(FORMATS)}, comma-separated")
    return names


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dirs", nargs="+", type=Path, help="directories written by benchmarks/generate.py")
    p.add_argument("--repeat", "-r", type=int, default=3, help="runs per configuration (default 3)")
    p.add_argument("--formats", type=_formats, default=list(FORMATS), help="report formats, comma-separated (default: text,json)")
    p.add_argument("--as-of", default=AS_OF, help=f"--as-of for the check (default {AS_OF})")
    p.add_argument("--from", dest="window_from", help="window start (default: from meta.json)")
    p.add_argument("--to", dest="window_to", help="window end (default: from meta.json)")
    p.add_argument("--timeout", type=float, default=480.0, help="kill a run after this many seconds (default 480)")
    p.add_argument("--mem-limit-gb", type=float, default=16.0, help="address-space cap on the child, GiB; 0 for none (default 16)")
    p.add_argument("--json-dir", type=Path, help="where JSON reports go (default: the data directory)")
    p.add_argument("--keep-output", action="store_true", help="keep JSON reports instead of deleting them")
    p.add_argument(
        "--no-reference",
        dest="reference",
        action="store_false",
        help="do not run benchmarks/reference.py after each text check",
    )
    p.add_argument("--profile", action="store_true", help="profile one run per directory instead of timing")
    p.add_argument("--profile-out", help="where to write the .prof file (default: DIR/check-FORMAT.prof)")
    p.add_argument("--reuse-profile", action="store_true", help="with --profile: report on an existing .prof file instead of running")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for d in args.dirs:
        if not (d / "events.jsonl").exists():
            print(f"run.py: {d} has no events.jsonl; write it with benchmarks/generate.py", file=sys.stderr)
            return 2
    print("## Machine\n")
    print("\n".join(machine()) + "\n")
    if args.profile:
        for d in args.dirs:
            profile(d, args)
        return 0
    print(f"## zwgk-rules check, --as-of {args.as_of}, best of {args.repeat}\n")
    print(f"Command: `{' '.join(zwgk_command())} check --rules … --units … --events … --format F --output …`\n")
    print(HEADER, flush=True)
    comparisons: list[str] = []
    for d in args.dirs:
        reference: list[Run] = []
        rows = benchmark(d, args, reference)
        for row in rows:
            print(row, flush=True)
        text = next((r for r in rows if "| text |" in r), None)
        if reference and text is not None:
            comparisons.append(compare(d, text, reference, load_meta(d).get("events") == 1_000_000))
    if comparisons:
        print(
            "\n## Against the reference checker and the limit\n\n"
            "`benchmarks/reference.py`, the hand-written single-purpose checker, ran after each "
            "text check on the same data. The limit is the issue's: twice its reference "
            f"figures, {LIMIT_WALL_S} s and {LIMIT_RSS_MB:.0f} MB.\n"
        )
        print(COMPARE_HEADER)
        print("\n".join(comparisons))
    return 0


COMPARE_HEADER = (
    "| data | ours best s | reference best s | ratio | limit s | ours peak MB | reference peak MB | ratio | limit MB |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def compare(data: Path, text_row: str, reference: list[Run], at_target_size: bool) -> str:
    """One row comparing the text check's best time and peak with the reference's; the
    issue's limit applies to its workload of a million events only."""
    cells = [c.strip() for c in text_row.strip("|").split("|")]
    ours_best, ours_peak = float(cells[6]), float(cells[8].replace(",", ""))
    ref_best = min(r.wall for r in reference)
    ref_peak = max(r.peak_rss for r in reference) / 1e6
    limit_s, limit_mb = (f"{LIMIT_WALL_S}", f"{LIMIT_RSS_MB:.0f}") if at_target_size else ("—", "—")
    return (
        f"| {data.name} | {ours_best:.2f} | {ref_best:.2f} | {ours_best / ref_best:.2f} | {limit_s} "
        f"| {ours_peak:,.0f} | {ref_peak:,.0f} | {ours_peak / ref_peak:.2f} | {limit_mb} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
