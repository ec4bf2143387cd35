"""The zwgk-rules command line: the only module that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, NoReturn

from zwgk_rules import __version__
from zwgk_rules.calendar import DEFAULT_CALENDAR, WorkCalendar, load_holiday_file
from zwgk_rules.cases import run_case_files
from zwgk_rules.engine.check import check, default_window
from zwgk_rules.errors import UserInputError
from zwgk_rules.events.log import EventLog, EventLogs, file_sha256, open_log
from zwgk_rules.report import InputFile
from zwgk_rules.reporters import REPORTERS
from zwgk_rules.reporters.base import ReportOptions
from zwgk_rules.rules.loader import load_rules
from zwgk_rules.rules.model import RuleSet
from zwgk_rules.timeutil import SHANGHAI
from zwgk_rules.units import load_units

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

# What the last check built (millions of small objects for a large log). :func:`run` ends
# the process with these still referenced, instead of freeing them one by one first, which
# takes a third of a second at a million events; :func:`main` lets go of them on each call.
_RETAINED: list[object] = []


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors take the same path as others."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserInputError(f"{self.prog}: {message}")


def _date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _count_arg(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


def _span_arg(text: str) -> tuple[date, date]:
    a, sep, b = text.partition("..")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not a span FROM..TO (e.g. 2017-01-01..2017-12-31)")
    start, end = _date_arg(a), _date_arg(b)
    if start > end:
        raise argparse.ArgumentTypeError(f"{text!r}: FROM is after TO")
    return start, end


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zwgk-rules", description="Check logs of 政务公开 work against declarative YAML rules.")
    p.add_argument("--version", action="version", version=f"zwgk-rules {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="check event logs against rules for a list of units")
    c.add_argument("--rules", nargs="+", required=True, metavar="PATH", help="rule files or directories")
    c.add_argument("--units", nargs="+", required=True, metavar="FILE", help="units files (.yaml or .csv)")
    c.add_argument("--events", nargs="+", required=True, metavar="FILE", help="event logs (.jsonl, .csv, .xlsx)")
    c.add_argument("--as-of", type=_date_arg, metavar="DATE", help="check as of the end of this day (default: today in Asia/Shanghai)")
    c.add_argument("--from", dest="window_from", type=_date_arg, metavar="DATE", help="window start (default: 1 January of the first plan year)")
    c.add_argument("--to", dest="window_to", type=_date_arg, metavar="DATE", help="window end (default: 31 December of the last plan year)")
    c.add_argument("--log-covers", type=_span_arg, metavar="FROM..TO", help="the span the logs cover (default: their metadata, else the window)")
    c.add_argument("--holidays", metavar="FILE", help="holiday file adding or overriding years of the working-day calendar")
    c.add_argument("--format", choices=sorted(REPORTERS), default="text", help="report format (default: text)")
    c.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of standard output")
    c.add_argument("--limit", type=_count_arg, default=200, metavar="N", help="rows of each text table (default 200; 0: all)")

    r = sub.add_parser("rules", help="work with rule files")
    rsub = r.add_subparsers(dest="rules_command", metavar="SUBCOMMAND", parser_class=_Parser)
    v = rsub.add_parser("validate", help="check rule files alone")
    v.add_argument("paths", nargs="+", metavar="PATH")
    t = rsub.add_parser("test", help="run the rules' test cases (*.cases.yaml) and report per rule")
    t.add_argument("paths", nargs="*", metavar="PATH", default=["rulesets"], help="cases files, rule files or directories (default: rulesets)")
    t.add_argument("--quiet", "-q", action="store_true", help="list only rules that fail or are untested")
    return p


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[BinaryIO]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    try:
        f = open(path, "wb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise UserInputError(f"cannot write the report: {exc.strerror}", None) from None
    with f:
        yield f


def _covers(logs: Sequence[EventLog], given: tuple[date, date] | None) -> tuple[date, date] | None:
    """--log-covers wins; else the span from the earliest to the latest the logs declare."""
    if given is not None:
        return given
    spans = [log.meta.covers for log in logs if log.meta.covers is not None]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _window(rules: RuleSet, start: date | None, end: date | None) -> tuple[date, date] | None:
    """--from/--to, each defaulting to its end of the plan years when only one is given."""
    if start is None and end is None:
        return None
    if start is None or end is None:
        default = default_window(rules)
        start = start or default[0]
        end = end or default[1]
    return start, end


def cmd_check(args: argparse.Namespace) -> int:
    # A check builds millions of long-lived objects and no reference cycles; the cyclic
    # collector would only walk them again and again (check() restores the collector it
    # found, so it stays off for this short-lived process until main returns).
    gc.disable()
    calendar: WorkCalendar = DEFAULT_CALENDAR
    inputs: list[InputFile] = []
    if args.holidays:
        calendar = load_holiday_file(args.holidays)
        inputs.append(InputFile(role="holidays", path=args.holidays, sha256=file_sha256(Path(args.holidays))))
    rules = load_rules(args.rules)
    units = load_units(args.units)
    logs = [open_log(p) for p in args.events]
    as_of = args.as_of or datetime.now(SHANGHAI).date()
    window = _window(rules, args.window_from, args.window_to)
    events = EventLogs(logs)
    report = check(
        rules,
        units,
        events,
        as_of=as_of,
        window=window,
        covers=_covers(logs, args.log_covers),
        calendar=calendar,
        inputs=(),
    )
    # Every rule file the check read, the bases found next to the given files included.
    rule_paths = sorted({m.file for m in rules.rulesets})
    inputs.extend(InputFile(role="rules", path=f, sha256=file_sha256(Path(f))) for f in rule_paths)
    inputs.extend(InputFile(role="units", path=p, sha256=file_sha256(Path(p))) for p in args.units)
    inputs.extend(InputFile(role="events", path=log.source, sha256=log.sha256) for log in logs)
    report = replace(report, inputs=tuple(inputs))
    try:
        with _output(args.output) as out:
            REPORTERS[args.format](ReportOptions(limit=args.limit)).write(report, out)
    finally:
        events.close()
    _RETAINED.append(report)
    return EXIT_VIOLATIONS if report.violations else EXIT_OK


def cmd_rules_validate(args: argparse.Namespace) -> int:
    rules = load_rules(args.paths)
    files = {m.file for m in rules.rulesets}
    print(f"{len(rules.rules)} rules in {len(files)} files: OK")
    return EXIT_OK


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def cmd_rules_test(args: argparse.Namespace) -> int:
    files = run_case_files(args.paths)
    cases = failed = untested = rules = 0
    for f in files:
        print(f"{f.path}: {_n(len(f.rules), 'rule')}, {_n(sum(len(r.results) for r in f.rules), 'case')}")
        for r in f.rules:
            rules += 1
            cases += len(r.results)
            shown = ", ".join(s.value for s in r.statuses) or "nothing"
            bad = [x for x in r.results if not x.passed]
            failed += len(bad)
            untested += bool(r.untested)
            if r.passed:
                if not args.quiet:
                    print(f"  ok        {r.rule_id}  {_n(len(r.results), 'case')} ({shown})")
                continue
            for x in bad:
                where = x.case.location
                print(f"  FAIL      {r.rule_id}  case {x.case.name!r} ({where})")
                for msg in x.failures:
                    print(f"              {msg}")
            if r.untested:
                print(f"  UNTESTED  {r.rule_id}  {r.untested}")
    print(f"{_n(rules, 'rule')}, {_n(cases, 'case')}: {cases - failed} passed, {failed} failed; {untested} untested")
    return EXIT_OK if not failed and not untested else EXIT_VIOLATIONS


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 violations, 2 bad input, 3 bug)."""
    parser = build_parser()
    _RETAINED.clear()
    collecting = gc.isenabled()
    try:
        args = parser.parse_args(argv)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "rules" and args.rules_command == "validate":
            return cmd_rules_validate(args)
        if args.command == "rules" and args.rules_command == "test":
            return cmd_rules_test(args)
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    except UserInputError as exc:
        print(f"zwgk-rules: error: {exc.render()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("zwgk-rules: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:
        traceback.print_exc()
        print(
            f"zwgk-rules {__version__}: internal error; please report it with the traceback above",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()


def run() -> NoReturn:
    """The console entry point: :func:`main`, then end the process at once.

    Everything a report goes to is flushed first; what is skipped is only freeing the
    check's objects and the interpreter's own teardown, which the OS does faster.
    """
    code = main()
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    # `python -m zwgk_rules.cli`: the command line with an ordinary interpreter exit, for
    # profilers and tools that must see the process end normally (see run()).
    raise SystemExit(main())
