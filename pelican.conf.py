"""Pelican settings for Briefings. Every BRIEFINGS_* setting is documented in the README."""

import os

AUTHOR = "Briefings"
SITENAME = "Briefings"
SITESUBTITLE = "Live coverage, kept: every entry and every day, linked across the years"
# Empty for a site that works from disk and from any sub-path; `make publish`
# passes the absolute URL on the command line.
SITEURL = os.environ.get("SITEURL", "")
RELATIVE_URLS = True

PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y, %H:%M"
# English month and day names whatever the machine's locale (LANG, LC_ALL), so
# that two machines build the same bytes. C.UTF-8 is on every Linux; "C" if not.
LOCALE = ["C.UTF-8", "C"]

THEME = "theme"
# The installed plugin (make setup: `pip install -e .`), found by its short name.
PLUGINS = ["briefings"]

# Dumps and notes are read by the plugin, never as ordinary Pelican content.
ARTICLE_EXCLUDES = ["blogs", "annotations"]
PAGE_EXCLUDES = ["blogs", "annotations"]
STATIC_PATHS = []  # dumps carry no pictures; the theme brings its own files

# Entries set their own `url`/`save_as` (see plugins/pelican/plugins/briefings/urls.py); these
# are for Pelican's own pages. Every URL names a file, so links work from disk.
CATEGORY_URL = "category/{slug}.html"
CATEGORY_SAVE_AS = "category/{slug}.html"
TAG_URL = "tag/{slug}.html"
TAG_SAVE_AS = "tag/{slug}.html"
AUTHOR_URL = "author/{slug}.html"
AUTHOR_SAVE_AS = "author/{slug}.html"
ARCHIVES_SAVE_AS = "archives.html"
DIRECT_TEMPLATES = ["archives", "categories", "tags", "authors"]
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None}
DEFAULT_PAGINATION = False
INDEX_SAVE_AS = ""  # the plugin writes the home page
BRIEFINGS_HOME_SAVE_AS = "index.html"
BRIEFINGS_SITE_FILES = True  # sitemap.xml, robots.txt, 404.html, .nojekyll

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None  # the plugin writes feeds per blog and per period
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 100

JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}

# Briefings (defaults shown; see the README).
BRIEFINGS_BLOGS_DIR = "blogs"
BRIEFINGS_MARKDOWN_DIR = os.environ.get("BRIEFINGS_MARKDOWN_DIR", "build/markdown")
