"""Debian's Chromium for browser tests: where it is, how it starts here, and what to do when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root, and without the background traffic that a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> Path:
    """Debian's Chromium; the test is skipped when it is missing, unless FREIWEG_REQUIRE_BROWSER is set."""
    if not CHROMIUM.exists():
        if os.environ.get("FREIWEG_REQUIRE_BROWSER"):
            pytest.fail(
                f"{CHROMIUM} not found, but FREIWEG_REQUIRE_BROWSER is set; install Debian's chromium"
            )
        pytest.skip(f"{CHROMIUM} not found; install Debian's chromium package to run browser tests")
    return CHROMIUM
