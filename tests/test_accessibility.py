"""Every kind of page, as a reader with assistive technology meets it: axe-core
(from the npm registry) in Debian's headless Chromium finds no serious or critical
violation, and the keyboard reaches every link and control."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitebuild import SEEDS, build
from tools import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PAGES = {
    "home": "index.html",
    "blog": "blogs/ukraine-border-crisis-2022-02/index.html",
    "day": "blogs/munich-security-conference-2025-02/2025-02-14.html",
    "entry": "2025/02/14/0952-images-show-damage-to-chernobyl-nuclear-plant-shield.html",
    "search": "search.html?q=nord+stream",
    "recap": "blogs/munich-security-conference-2025-02/recap-2025-02-14.html",
    "entity": "entities/index.html",
    "then-and-now": "then-and-now.html",
    "archives": "archives.html",
    "tag": "tag/breaking.html",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y")
    shutil.copytree(SEEDS, root / "content" / "blogs")
    result = build(root / "content", root / "output")
    assert result.returncode == 0, result.stderr
    return root / "output"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    yield context.new_page()
    context.close()


def open_page(page, site: Path, relative: str):
    path, _, query = relative.partition("?")
    page.goto((site / path).as_uri() + (f"?{query}" if query else ""))
    page.wait_for_load_state("load")


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_no_serious_or_critical_accessibility_violations(page, site, kind):
    if not AXE.is_file():
        pytest.fail(f"{AXE} missing: run `npm ci` (make test does)")
    open_page(page, site, PAGES[kind])
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


@pytest.mark.parametrize("kind", ["home", "day", "entry", "recap"])
def test_keyboard_reaches_every_link_and_control(page, site, kind):
    open_page(page, site, PAGES[kind])
    focusable = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
        .filter(el => !el.disabled && el.offsetParent !== null && el.tabIndex >= 0).length""")
    reached = set()
    for _ in range(focusable + 5):
        page.keyboard.press("Tab")
        marker = page.evaluate("""() => { const el = document.activeElement;
            if (!el || el === document.body) return null;
            el.dataset.tabbed = el.dataset.tabbed || String(Math.random()); return el.dataset.tabbed; }""")
        if marker:
            reached.add(marker)
    assert len(reached) >= focusable, f"{len(reached)} of {focusable} controls reachable by Tab"
