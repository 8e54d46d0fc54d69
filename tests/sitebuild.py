"""Builds sites for the tests the way `make html` does: `python -m briefings`."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content" / "blogs"


def build(content: Path, output: Path, *flags: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    command = [
        sys.executable,
        "-m",
        "pelican.plugins.briefings",
        "--settings",
        str(ROOT / "pelican.conf.py"),
        "--content",
        str(content),
        "--output",
        str(output),
        "--set",
        f"BRIEFINGS_MARKDOWN_DIR={output.parent / (output.name + '-markdown')}",
        "--set",
        f"BRIEFINGS_CACHE_DIR={output.parent / (output.name + '-cache')}",
        *flags,
    ]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


BLOCKS = {
    "p",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "figure",
    "figcaption",
    "blockquote",
    "br",
    "td",
    "th",
    "tr",
}


class PageText(HTMLParser):
    """Visible text, links and element names of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []  # (attribute, value)
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCKS:
            self.text.append(" ")
        self.tags.append((tag, attributes))
        if tag in ("script", "style"):
            self._skip += 1
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((name, attributes[name]))
        if attributes.get("id"):
            self.ids.add(attributes["id"])

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.text.append(" ")
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join("".join(self.text).split())


def read_page(path: Path) -> PageText:
    page = PageText()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every internal ``href``/``src`` of every HTML file under ``site`` whose file
    (or ``#anchor``) does not exist, or that points at a bare folder, as a reader
    opening the site from disk would meet it."""
    broken = []
    pages = {path: read_page(path) for path in site.rglob("*.html")}
    for path, page in pages.items():
        for _, value in page.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir() or not target.exists():
                broken.append(f"{path.relative_to(site)}: {value}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in pages[target].ids:
                broken.append(f"{path.relative_to(site)}: {value} (no such anchor)")
    return broken
