"""Shared test helpers: build rules, units and events from small literals."""

from __future__ import annotations

import sys
from pathlib import Path

# Let the tests run from a checkout without installing the package first.
ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):  # the package, and tests/helpers.py
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files and error snapshots from the current output",
    )


import pytest  # noqa: E402


@pytest.fixture
def golden(request):
    """Compare text with a golden file, or rewrite it under --update-golden."""
    update = request.config.getoption("--update-golden")

    def compare(path: Path, actual: str) -> None:
        if update or not path.exists():
            if not update:
                raise AssertionError(f"golden file {path} is missing; run pytest --update-golden")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert actual == path.read_text(encoding="utf-8")

    return compare
