"""A Pelican site that is not ours: its own article and page, Pelican's default
theme, and the plugin added to it with a content/blogs/ folder of the seeds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content" / "blogs"

OWN_ARTICLE = """\
Harbour notes
#############

:date: 2024-05-01 10:00
:category: Notes
:slug: harbour-notes

The harbour committee met on *Tuesday*. Nothing here is a live blog.
"""

OWN_PAGE = """\
About this site
###############

:slug: about

A site that had articles and pages long before it had briefings.
"""


def settings_text(plugins: list[str]) -> str:
    return (
        'SITENAME = "Harbour Gazette"\n'
        'SITEURL = ""\n'
        "RELATIVE_URLS = True\n"
        'PATH = "content"\n'
        'TIMEZONE = "Europe/London"\n'
        'LOCALE = ["C.UTF-8", "C"]\n'
        f"PLUGINS = {plugins!r}\n"
        # Pelican's default theme (notmyidea): nothing about briefings in it.
    )


def make_site(folder: Path, plugins: list[str], blogs: bool = True) -> Path:
    """The site's folder, with ``pelicanconf.py`` naming ``plugins``."""
    (folder / "content" / "pages").mkdir(parents=True)
    (folder / "content" / "harbour-notes.rst").write_text(OWN_ARTICLE, encoding="utf-8")
    (folder / "content" / "pages" / "about.rst").write_text(OWN_PAGE, encoding="utf-8")
    if blogs:
        shutil.copytree(SEEDS, folder / "content" / "blogs")
    (folder / "pelicanconf.py").write_text(settings_text(plugins), encoding="utf-8")
    return folder


def pelican(site: Path, executable: str) -> subprocess.CompletedProcess:
    """Plain ``pelican``, as the site's owner runs it."""
    return subprocess.run(
        [executable, "content", "-s", "pelicanconf.py", "-o", "output"],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=600,
    )


def between(html: str, start: str, end: str) -> str:
    """The text of ``html`` from ``start`` to the next ``end``."""
    at = html.index(start)
    return html[at : html.index(end, at)]
