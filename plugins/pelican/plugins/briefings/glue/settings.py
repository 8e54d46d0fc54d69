"""The plugin's settings, their documented defaults, and where its files are."""

from __future__ import annotations

from pathlib import Path

from ..write import search
from .jobs import default_jobs

CONTEXT_KEY = "BRIEFINGS"


DEFAULTS = {
    # Folder of NAME.txt dumps and NAME.yaml metadata, relative to PATH (content/).
    "BRIEFINGS_BLOGS_DIR": "blogs",
    # Where the generated Markdown documents are written (outside content/).
    "BRIEFINGS_MARKDOWN_DIR": "build/markdown",
    # lunr.js, copied into output/search/. None: the copy inside the package (setup.py
    # puts it there from the npm package when the plugin is built or installed).
    "BRIEFINGS_LUNR_JS": None,
    # Characters of an entry's text a search result shows, around the words found.
    "BRIEFINGS_SEARCH_SNIPPET_LENGTH": search.SNIPPET_LENGTH,
    # How much more a word in an entry's title counts than one in its text.
    "BRIEFINGS_SEARCH_TITLE_BOOST": search.TITLE_BOOST,
    # Uncompressed bytes of a part of the search index (its terms): a search loads the parts of its words.
    "BRIEFINGS_SEARCH_PART_BYTES": search.PART_BYTES,
    # Processes a build may use: 2 builds the search index on the second core
    # while pages render; 1 does everything in one process (same output).
    "BRIEFINGS_JOBS": default_jobs(),
    # --- periods, entities, cross-links, recaps, notes (annotate.py; README "Settings") ---
    # None: one period per calendar year; or [{"name": …, "start": "YYYY-MM-DD", "end": …}, …].
    "BRIEFINGS_PERIODS": None,
    # The gazetteer, relative to PATH: canonical names, kinds and aliases.
    "BRIEFINGS_ENTITIES_FILE": "entities.yaml",
    # Folder of editor's notes (*.md), relative to PATH.
    "BRIEFINGS_ANNOTATIONS_DIR": "annotations",
    # Also find proper names the gazetteer does not list.
    "BRIEFINGS_DETECT_NAMES": True,
    # Cross-links shown per other period; how far (standard deviations) above the
    # archive's mean pair across periods a link must stand; a floor on the
    # similarity itself (0-1, 0: none).
    "BRIEFINGS_RELATED_PER_PERIOD": 3,
    "BRIEFINGS_RELATED_STANDOUT": 1.6,
    "BRIEFINGS_RELATED_THRESHOLD": 0.0,
    # What the evidence of shared names adds to the texts' similarity.
    "BRIEFINGS_RELATED_ENTITY_WEIGHT": 0.1,
    # A name in more than this share of all entries is no subject (Russia, Ukraine).
    "BRIEFINGS_RELATED_COMMON_SHARE": 0.25,
    # Share of each entry's five closest entries of its own period in what is
    # compared (0: the entry alone): fewer, surer links (docs/briefing.md).
    "BRIEFINGS_RELATED_BLEND": 0.0,
    # Context check: each entry blended with its live page's day (this share; 0:
    # no check), and how far two entries' contexts must stand out for a link, so
    # that unrelated stories do not link (docs/briefing.md).
    "BRIEFINGS_RELATED_CONTEXT": 0.5,
    "BRIEFINGS_RELATED_CONTEXT_STANDOUT": 0.7,
    # Links per other period in a day page's "Three years earlier" panel.
    "BRIEFINGS_DAY_LINKS": 5,
    # Recap timelines: earlier events, at most this many of them from the recapped
    # coverage's own period, the coverage's own key events, and how far back
    # (days; None: the whole archive).
    "BRIEFINGS_RECAP_ITEMS": 8,
    "BRIEFINGS_RECAP_SAME_PERIOD": 4,
    "BRIEFINGS_RECAP_OWN_EVENTS": 3,
    "BRIEFINGS_RECAP_LOOKBACK_DAYS": None,
    # Then-and-now page: threads shown, and entries per period in each.
    "BRIEFINGS_THREADS": 12,
    "BRIEFINGS_THREAD_ENTRIES": 4,
    # --- incremental builds (reuse.py) ---
    # Where a build keeps what the next one may reuse: rendered Markdown, and the
    # fingerprints of entry and day pages. None: every build starts cold.
    "BRIEFINGS_CACHE_DIR": "build/cache",
    # Set by `python -m briefings`: the folder the finished site is swapped into
    # (pages are reused from the site it holds) and --fresh (ignore the cache,
    # then write it anew).
    "BRIEFINGS_SITE_OUTPUT": None,
    "BRIEFINGS_FRESH": False,
    # Set by the command: what shows the build's phases as they run (command/progress.py).
    "BRIEFINGS_PROGRESS": None,
    # --- in a site of its own (README, "Using it in an existing Pelican site") ---
    # Where the briefings' home page (blogs by period, recaps, threads) is written;
    # a site that is all briefings sets "index.html" (and INDEX_SAVE_AS = "").
    "BRIEFINGS_HOME_SAVE_AS": "blogs/index.html",
    # Also write the site-wide files: sitemap.xml, robots.txt, 404.html, .nojekyll.
    # Off by default, so that a site's own are never replaced.
    "BRIEFINGS_SITE_FILES": False,
}


# Settings that say where this build writes, not what: not part of a page's fingerprint.
WHERE_SETTINGS = ("OUTPUT_PATH", "BRIEFINGS_SITE_OUTPUT", "BRIEFINGS_FRESH", "BRIEFINGS_PROGRESS")


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


PLUGIN_FOLDER = Path(__file__).resolve().parent.parent


PACKAGED_LUNR_JS = PLUGIN_FOLDER / "static" / "lunr" / "lunr.min.js"


TEMPLATES = PLUGIN_FOLDER / "templates"


STATIC = PLUGIN_FOLDER / "static"
