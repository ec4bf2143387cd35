"""Generate a synthetic benchmark: one ruleset, N units and a JSON Lines log of M events.

Usage::

    python benchmarks/generate.py --events 1000000 --units 80000 --years 2017 2018 \\
        --seed 1 --out benchmarks/out/big

Writes ``rules.yaml``, ``units.yaml`` and the same units as ``units.csv``, ``events.jsonl`` and
``meta.json`` into ``--out``.
The log is streamed to disk one line at a time, so memory stays flat whatever ``--events``
is, and the same seed always gives the same bytes. The shape follows the target in
docs/performance.md: a monthly, a quarterly and a yearly ``periodic`` rule binding every
unit, over the plan years given.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

JURISDICTION = "bench"

# Shares of the event mix; the rest of the rows are well-formed events the rules use.
OTHER_CATEGORY_SHARE = 0.10  # publications no rule matches
MALFORMED_SHARE = 0.001  # lines the reader must reject
UNKNOWN_UNIT_SHARE = 0.001  # units missing from units.yaml
UNLABELLED_SHARE = 0.08  # titles that name no period
CUMULATIVE_SHARE = 0.10  # monthly releases titled 1-N月 (the rule accepts them)
LATE_SHARE = 0.15  # releases published after their deadline
DATE_ONLY_SHARE = 0.20  # published_at given as a day, not a date-time

# Unit reference mix: the id, the alias, the full name.
UNIT_REF_WEIGHTS = (0.6, 0.3, 0.1)

CN_QUARTER = "一二三四"

CHANNELS = ("区政府网站", "政务微博", "政务微信", "政府公报", "公开栏")

# Publications no rule matches: category -> title stem (no period label in most of them).
OTHER_CATEGORIES = {
    "统计信息": "国民经济和社会发展主要指标统计分析",
    "人事信息": "关于干部任前公示的公告",
    "招标采购": "办公设备政府采购项目中标结果公告",
    "政策解读": "关于进一步推进政务公开工作实施意见的政策解读",
    "权威信息": "关于近期社会关注热点问题的权威回应",
    "规范性文件": "关于印发加强基层政务公开标准化规范化工作方案的通知",
    "行政许可": "行政许可事项办理结果公示",
    "行政处罚": "行政处罚决定书信息公开",
}


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One of the three benchmark rules and how its releases are titled and timed."""

    id: str
    title: str
    category: str
    every: str  # month | quarter | year
    due_yaml: str
    accept_cumulative: bool
    url_dir: str
    weight: int  # share of rule-matching events: obligations per unit per year


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        id="bench.fiscal.monthly",
        title="按月公开财政收支情况",
        category="财政收支",
        every="month",
        due_yaml="{working_days_after_period: 20}",
        accept_cumulative=True,
        url_dir="czsz",
        weight=12,
    ),
    RuleSpec(
        id="bench.water.quarterly",
        title="每季度公开饮用水水质",
        category="饮用水水质",
        every="quarter",
        due_yaml="{working_days_after_period: 20}",
        accept_cumulative=False,
        url_dir="yysz",
        weight=4,
    ),
    RuleSpec(
        id="bench.annual-report.yearly",
        title="每年公开政府信息公开工作年度报告",
        category="年度报告",
        every="year",
        due_yaml="{months_after_period: 3}",
        accept_cumulative=False,
        url_dir="ndbg",
        weight=1,
    ),
)


# --- rules and units ------------------------------------------------------------------------


def rules_yaml(plan_year: int) -> str:
    """The benchmark ruleset: three periodic rules, each binding every unit."""
    lines = [
        "# Benchmark ruleset written by benchmarks/generate.py; see docs/performance.md.",
        "ruleset:",
        "  id: bench",
        "  title: 基准测试规则集",
        "  issuer: 基准测试",
        f"  jurisdiction: {JURISDICTION}",
        f"  plan_year: {plan_year}",
        "",
        "vocabulary:",
        "  categories: [" + ", ".join(r.category for r in RULES) + "]",
        "",
        "rules:",
    ]
    for r in RULES:
        lines += [
            f"  - id: {r.id}",
            f"    title: {r.title}",
            "    cite:",
            "      clause: 一",
            f"      quote: {r.title}",
            "    applies_to: {all: true}",
            "    severity: high",
            "    kind: periodic",
            f"    every: {r.every}",
            f"    due: {r.due_yaml}",
        ]
        if r.accept_cumulative:
            lines.append("    accept_cumulative: true")
        lines += [f"    match: {{type: publication, category: {r.category}}}", ""]
    return "\n".join(lines)


def unit_id(n: int) -> str:
    return f"u{n:06d}"


def unit_name(n: int) -> str:
    return f"单位{n:06d}"


def unit_alias(n: int) -> str:
    return f"第{n:06d}单位"


def write_units(path: Path, count: int) -> None:
    """``count`` units in jurisdiction ``bench``, one flow mapping per line, one alias each."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("# Benchmark units written by benchmarks/generate.py.\n")
        out.write("jurisdictions:\n")
        out.write(f"  - {{id: {JURISDICTION}, name: 基准区, level: district}}\n\n")
        out.write("units:\n")
        for n in range(1, count + 1):
            out.write(
                f"  - {{id: {unit_id(n)}, name: {unit_name(n)}, aliases: [{unit_alias(n)}], "
                f"jurisdiction: {JURISDICTION}, level: department}}\n"
            )


def write_units_csv(path: Path, count: int) -> None:
    """The same units as a CSV units file, the format an organisation of 80,000 units exports
    (and one that loads in about a second, where the YAML takes PyYAML about twenty)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,name,aliases,roles,jurisdiction,level,parent_jurisdiction\n")
        for n in range(1, count + 1):
            out.write(f"{unit_id(n)},{unit_name(n)},{unit_alias(n)},,{JURISDICTION},department,\n")


# --- events ---------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    """The first day after month ``month`` of ``year``."""
    return date(year + month // 12, month % 12 + 1, 1)


def _period(rng: random.Random, spec: RuleSpec, years: Sequence[int]) -> tuple[int, int, date]:
    """A random period of the rule's cadence: (year, number within the year, first day after)."""
    year = rng.choice(years)
    if spec.every == "month":
        month = rng.randint(1, 12)
        return year, month, _month_end(year, month)
    if spec.every == "quarter":
        quarter = rng.randint(1, 4)
        return year, quarter, _month_end(year, 3 * quarter)
    return year, 1, date(year + 1, 1, 1)


def _title(rng: random.Random, spec: RuleSpec, year: int, number: int, unit: int | None = None) -> str:
    """A release title naming its period in one of the ways offices write them (or not at all).

    With ``unit``, the title starts with the unit's name, as real releases do
    (周村区财政局关于公布2017年3月份财政收支情况的公告): then nearly every title is distinct.
    """
    title = _plain_title(rng, spec, year, number)
    return title if unit is None else unit_name(unit) + title


def _plain_title(rng: random.Random, spec: RuleSpec, year: int, number: int) -> str:
    if rng.random() < UNLABELLED_SHARE:
        return {
            "month": "关于公布本单位最新财政收支情况的公告",
            "quarter": "本单位辖区饮用水水源、供水厂出水、用户水龙头水质状况公告",
            "year": "政府信息公开工作年度报告（全文）",
        }[spec.every]
    if spec.every == "month":
        if number > 1 and rng.random() < CUMULATIVE_SHARE:
            return f"关于公布{year}年1-{number}月本单位财政收支情况的公告"
        return f"关于公布{year}年{number}月份本单位财政收支情况的公告"
    if spec.every == "quarter":
        if rng.random() < 0.5:
            return f"{year}年第{CN_QUARTER[number - 1]}季度饮用水水源、供水厂出水、用户水龙头水质状况公告"
        return f"{year}年第{number}季度本单位辖区饮用水水质监测信息公开"
    return f"本单位{year}年度政府信息公开工作年度报告"


def _delay_days(rng: random.Random, spec: RuleSpec) -> int:
    """Days from the end of the period to publication: mostly on time, some late."""
    late = rng.random() < LATE_SHARE
    if spec.every == "year":  # due at the end of March
        return rng.randint(100, 240) if late else rng.randint(5, 85)
    # 20 working days is about four weeks after the period.
    return rng.randint(32, 120) if late else rng.randint(1, 25)


def _instant(rng: random.Random, day: date) -> str:
    if rng.random() < DATE_ONLY_SHARE:
        return day.isoformat()
    at = datetime(day.year, day.month, day.day, rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59))
    return at.isoformat() + "+08:00"


def _unit_ref(rng: random.Random, n: int) -> str:
    pick = rng.random()
    if pick < UNIT_REF_WEIGHTS[0]:
        return unit_id(n)
    if pick < UNIT_REF_WEIGHTS[0] + UNIT_REF_WEIGHTS[1]:
        return unit_alias(n)
    return unit_name(n)


def _channel(rng: random.Random) -> str | list[str]:
    if rng.random() < 0.2:
        return rng.sample(CHANNELS, 2)
    return CHANNELS[0] if rng.random() < 0.7 else rng.choice(CHANNELS)


def _malformed(rng: random.Random, good: str, index: int) -> str:
    """A broken line: cut JSON, a bad date, a missing field, a non-object, an unknown field."""
    pick = rng.randrange(5)
    if pick == 0:
        return good[: len(good) // 2]
    if pick == 1:
        row = json.loads(good)
        row["published_at"] = "2017-02-30"
        return json.dumps(row, ensure_ascii=False)
    if pick == 2:
        row = json.loads(good)
        del row["unit"]
        return json.dumps(row, ensure_ascii=False)
    if pick == 3:
        return json.dumps(["ev", index], ensure_ascii=False)
    row = json.loads(good)
    row["标题"] = row.pop("title")
    return json.dumps(row, ensure_ascii=False)


def events(count: int, units: int, years: Sequence[int], seed: int, unit_titles: bool = False) -> Iterator[str]:
    """The log's lines (without newlines), generated one at a time from ``seed``."""
    rng = random.Random(seed)
    weights = [r.weight for r in RULES]
    others = list(OTHER_CATEGORIES.items())
    first, last = date(years[0], 1, 1), date(years[-1] + 1, 6, 30)
    yield json.dumps(
        {"$meta": {"covers": f"{first.isoformat()}..{last.isoformat()}"}}, ensure_ascii=False
    )
    for i in range(1, count + 1):
        n = rng.randint(1, units)
        ref = f"未登记单位{rng.randint(1, 500):03d}" if rng.random() < UNKNOWN_UNIT_SHARE else _unit_ref(rng, n)
        if rng.random() < OTHER_CATEGORY_SHARE:
            category, title = rng.choice(others)
            day = first + timedelta(days=rng.randrange((last - first).days))
            url_dir = "qt"
        else:
            spec = rng.choices(RULES, weights)[0]
            year, number, after = _period(rng, spec, years)
            day = min(after + timedelta(days=_delay_days(rng, spec)), last)
            title = _title(rng, spec, year, number, n if unit_titles else None)
            category, url_dir = spec.category, spec.url_dir
        event_id = f"ev{i:08d}"
        row = {
            "id": event_id,
            "unit": ref,
            "type": "publication",
            "category": category,
            "title": title,
            "published_at": _instant(rng, day),
            "channel": _channel(rng),
            "url": (
                f"http://www.{JURISDICTION}.gov.cn/gongkai/site_{unit_id(n)}/channel_{url_dir}/"
                f"{day:%Y%m}/doc_t{day:%Y%m%d}_{event_id}.html"
            ),
        }
        line = json.dumps(row, ensure_ascii=False)
        if rng.random() < MALFORMED_SHARE:
            line = _malformed(rng, line, i)
        yield line


def write_events(path: Path, count: int, units: int, years: Sequence[int], seed: int, unit_titles: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        for line in events(count, units, years, seed, unit_titles):
            out.write(line)
            out.write("\n")


# --- command line ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000, help="event lines to write (default 1000000)")
    p.add_argument("--units", type=int, default=80_000, help="units to write (default 80000)")
    p.add_argument("--years", type=int, nargs="+", default=[2017, 2018], help="plan years (default 2017 2018)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--unit-titles",
        action="store_true",
        help="start every release title with its unit's name, so that titles hardly repeat",
    )
    p.add_argument("--out", required=True, type=Path, help="directory to write into (created if missing)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    years = sorted(set(args.years))
    if args.units < 1 or args.events < 0:
        print("generate.py: --units must be at least 1 and --events at least 0", file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    (out / "rules.yaml").write_text(rules_yaml(years[0]), encoding="utf-8")
    write_units(out / "units.yaml", args.units)
    write_units_csv(out / "units.csv", args.units)
    write_events(out / "events.jsonl", args.events, args.units, years, args.seed, args.unit_titles)
    elapsed = time.perf_counter() - started
    sizes = {name: (out / name).stat().st_size for name in ("rules.yaml", "units.yaml", "events.jsonl")}
    periods_per_year = sum({"month": 12, "quarter": 4, "year": 1}[r.every] for r in RULES)
    meta = {
        "generator": "benchmarks/generate.py",
        "events": args.events,
        "units": args.units,
        "years": years,
        "seed": args.seed,
        "unit_titles": args.unit_titles,
        "rules": [r.id for r in RULES],
        "expected_obligations": args.units * periods_per_year * len(years),
        "window": [f"{years[0]}-01-01", f"{years[-1]}-12-31"],
        "shares": {
            "other_category": OTHER_CATEGORY_SHARE,
            "malformed": MALFORMED_SHARE,
            "unknown_unit": UNKNOWN_UNIT_SHARE,
            "unlabelled_title": UNLABELLED_SHARE,
            "cumulative_monthly": CUMULATIVE_SHARE,
            "late": LATE_SHARE,
            "date_only": DATE_ONLY_SHARE,
        },
        "bytes": sizes,
        "bytes_per_event_line": round(sizes["events.jsonl"] / args.events, 1) if args.events else None,
    }
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"wrote {out}: {args.events} events ({sizes['events.jsonl'] / 1e6:.1f} MB, "
        f"{meta['bytes_per_event_line']} B/line), {args.units} units "
        f"({sizes['units.yaml'] / 1e6:.1f} MB) in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
