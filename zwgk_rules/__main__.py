"""Run the command line as ``python -m zwgk_rules``."""

from __future__ import annotations

from zwgk_rules.cli import run

run()
