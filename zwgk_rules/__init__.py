"""zwgk-rules: 政务公开 requirements as YAML rules, checked against logs of what units did.

Library use::

    from datetime import date
    from zwgk_rules import load_rules, load_units, read_events, check

    rules = load_rules(["rulesets/"])
    units = load_units("units.yaml")
    report = check(rules, units, read_events(["events.jsonl"]), as_of=date(2018, 1, 10))
    for finding in report.findings:
        print(finding.check_tuple())
"""

from __future__ import annotations

__version__ = "0.1.0"

from zwgk_rules.engine.check import check  # noqa: E402
from zwgk_rules.events.log import open_log, read_events  # noqa: E402
from zwgk_rules.findings import Finding, Status  # noqa: E402
from zwgk_rules.report import Report  # noqa: E402
from zwgk_rules.rules.loader import load_rules  # noqa: E402
from zwgk_rules.units import load_units  # noqa: E402

__all__ = [
    "Finding",
    "Report",
    "Status",
    "__version__",
    "check",
    "load_rules",
    "load_units",
    "open_log",
    "read_events",
]
