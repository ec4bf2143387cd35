"""Report formats, one module each, registered by hand."""

from __future__ import annotations

from zwgk_rules.reporters.base import Reporter
from zwgk_rules.reporters.json import JsonReporter
from zwgk_rules.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    TextReporter.name: TextReporter,
    JsonReporter.name: JsonReporter,
}
