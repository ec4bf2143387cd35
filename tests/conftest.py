"""Shared test helpers: build rules, units and events from small literals."""

from __future__ import annotations

import sys
from pathlib import Path

# Let the tests run from a checkout without installing the package first.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
