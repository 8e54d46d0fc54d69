"""Outside programs some tests need: Node.js (which `make` needs for `npm ci`
anyway) and Debian's Chromium. Missing ones skip those tests on a developer's
machine, but fail them under CI=true, where .ci/run installs them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true, so this test must run (.ci/run installs what it needs)")
    pytest.skip(reason)


def node() -> str:
    found = shutil.which("node")
    if not found:
        unavailable("no `node` on PATH")
    if not LUNR_JS.is_file():
        unavailable(f"{LUNR_JS} missing: run `npm ci` (make test does)")
    return found


def chromium() -> str:
    """Debian's Chromium (never a browser Playwright downloads); BRIEFINGS_CHROMIUM overrides."""
    for candidate in (os.environ.get("BRIEFINGS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    unavailable("no Chromium found (apt-get install chromium)")
