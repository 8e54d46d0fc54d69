"""The one place that knows the URL scheme, the slug function and entry ids.

Every URL here is relative to the site root and names a file (``…/index.html``,
never a bare directory), so links also work when the site is opened from disk.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from datetime import date

from unidecode import unidecode

MAX_SLUG_LENGTH = 70


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """ASCII, lowercase, hyphen-separated; cut at a word boundary."""
    ascii_text = unidecode(text).lower().replace("'", "")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


# Bytes of a file name Pelican makes from a name (a category's, an author's): file
# systems allow 255, and ".html" or ".atom.xml" is added.
NAME_BYTES = 100


def page_slug(slug: str, name: str) -> str:
    """The slug of a page Pelican makes for a name (``category/SLUG.html``,
    ``author/SLUG.html``): as Pelican made it when it is a safe file name; else
    cut to ``NAME_BYTES`` and ended with a hash of the name, so that a long blog
    title fits the file system and two names that slugify to nothing (or to the
    same long start) never share one page."""
    if slug and len(slug.encode("utf-8")) <= NAME_BYTES and slug.strip("-"):
        return slug
    tag = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    cut = slug.encode("utf-8")[: NAME_BYTES - len(tag) - 1].decode("utf-8", "ignore").rstrip("-")
    return f"{cut}-{tag}" if cut.strip("-") else tag


def entry_slug(title: str, hhmm: str | None) -> str:
    """``0901-russia-announces-withdrawal`` (or the bare title slug without a time)."""
    return f"{hhmm}-{slugify(title)}" if hhmm else slugify(title)


def disambiguate(slug: str, text: str) -> str:
    """A second entry with the same slug on the same day gets a suffix from its own
    text, so its URL depends on nothing but itself (not on the order of ingestion)."""
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


def entry_id(day: date, slug: str) -> str:
    return f"{day.isoformat()}-{slug}"


def entry_url(day: date, slug: str) -> str:
    return f"{day:%Y/%m/%d}/{slug}.html"


def blog_url(blog_slug: str) -> str:
    return f"blogs/{blog_slug}/index.html"


def day_url(blog_slug: str, day: date) -> str:
    return f"blogs/{blog_slug}/{day.isoformat()}.html"


def day_anchor(slug: str) -> str:
    """The id of an entry's section on its day page."""
    return f"e-{slug}"


def blog_feed(blog_slug: str) -> str:
    return f"feeds/blogs/{blog_slug}.atom.xml"


def period_feed(period_slug: str) -> str:
    return f"feeds/periods/{period_slug}.atom.xml"


def entry_markdown(day: date, slug: str) -> str:
    return f"entries/{day:%Y/%m/%d}/{slug}.md"


def day_markdown(blog_slug: str, day: date) -> str:
    return f"days/{blog_slug}/{day.isoformat()}.md"


MARKDOWN_URL_PREFIX = "markdown"
# At the root of every site built: only a folder carrying it is ever replaced or
# removed by `python -m briefings` (command/build.py).
SITE_MARK = ".briefings-site"
SITE_MARK_TEXT = "Built by Briefings (pelican-briefings). A build replaces this folder as a whole.\n"


def published_markdown(markdown_path: str) -> str:
    """Where a generated Markdown document is published inside the site."""
    return f"{MARKDOWN_URL_PREFIX}/{markdown_path}"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-root relative)."""
    to_path, _, fragment = to_url.partition("#")
    rel = _relpath(to_path, posixpath.dirname(from_url)) if to_path else posixpath.basename(from_url)
    return f"{rel}#{fragment}" if fragment else rel


def _relpath(path: str, base: str) -> str:
    """``posixpath.relpath(path, base or ".")`` for site-root relative paths, by
    their parts alone: relpath makes both absolute against the current folder
    first, which was most of the time of writing the recap and entity pages."""
    if ".." in path or ".." in base or path.startswith("/") or base.startswith("/"):
        return posixpath.relpath(path, base or ".")
    to_parts = [part for part in path.split("/") if part and part != "."]
    from_parts = [part for part in base.split("/") if part and part != "."]
    common = 0
    while common < min(len(to_parts), len(from_parts)) and to_parts[common] == from_parts[common]:
        common += 1
    return "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."


# Search: the page, and the classic scripts it loads (see search.py): the index
# in parts by term ("search/terms/12.js"), the table of every entry for the
# filters, and one script per entry with what its result shows, by its place in
# the archive, oldest first ("search/entry/0.js").
SEARCH_DATA_PREFIX = "search"


def search_url() -> str:
    return "search.html"


def search_manifest_url() -> str:
    return f"{SEARCH_DATA_PREFIX}/manifest.js"


def search_terms_url(part: int) -> str:
    return f"{SEARCH_DATA_PREFIX}/terms/{part}.js"


def search_entries_url() -> str:
    return f"{SEARCH_DATA_PREFIX}/entries.js"


def search_entry_url(ref: int) -> str:
    return f"{SEARCH_DATA_PREFIX}/entry/{ref}.js"


def lunr_js_url() -> str:
    return f"{SEARCH_DATA_PREFIX}/lunr.min.js"


# The plugin's own static files (its static/ folder), copied into the site here,
# apart from the theme's (theme/) and the site's.
STATIC_PREFIX = "briefings"


def static_url(name: str) -> str:
    """``css/briefings.css`` -> where the plugin's static file is in the site."""
    return f"{STATIC_PREFIX}/{name}"


# The search page's own scripts, in the order the page runs them.
SEARCH_SCRIPTS = ("analysis", "index", "snippet", "page")


def search_script_urls() -> tuple[str, ...]:
    return tuple(static_url(f"js/search/{name}.js") for name in SEARCH_SCRIPTS)


def search_css_url() -> str:
    return static_url("css/search.css")


def briefings_css_url() -> str:
    return static_url("css/briefings.css")


def newsletter_script_url() -> str:
    return static_url("js/newsletter.js")


# --- briefings: entities, recaps, then and now (annotate stage) --------------------


def entity_url(slug: str) -> str:
    return f"entities/{slug}.html"


def entities_url() -> str:
    return "entities/index.html"


def entity_markdown(slug: str) -> str:
    return f"entities/{slug}.md"


def entities_markdown() -> str:
    return "entities/index.md"


def day_recap_url(blog_slug: str, day: date) -> str:
    """``blogs/NAME/recap-YYYY-MM-DD.html``: beside the day it recaps."""
    return f"blogs/{blog_slug}/recap-{day.isoformat()}.html"


def blog_recap_url(blog_slug: str) -> str:
    return f"blogs/{blog_slug}/recap.html"


def day_recap_markdown(blog_slug: str, day: date) -> str:
    return f"recaps/{blog_slug}/{day.isoformat()}.md"


def blog_recap_markdown(blog_slug: str) -> str:
    return f"recaps/{blog_slug}/index.md"


def then_and_now_url() -> str:
    return "then-and-now.html"


def then_and_now_markdown() -> str:
    return "then-and-now.md"


def recap_exports(recap_url: str) -> tuple[str, str, str]:
    """A recap's newsletter files, in a folder named after its page:
    ``(email.html, email.txt, recap.md)``."""
    folder = recap_url.removesuffix(".html")
    return f"{folder}/email.html", f"{folder}/email.txt", f"{folder}/recap.md"
