"""The plugin's signals: what it connects to Pelican, and nothing else.

Flow per build (no module-level state: everything hangs off the build's context):
  initialized                   -> dumps and notes excluded from Pelican's content
  generator_init                -> the plugin's templates after the theme's; the
                                   URLs every page may link to
  article_generator_pretaxonomy -> entries.py: load dumps, build the archive,
                                   annotate it; the search index and the recap and
                                   entity pages' HTML start in forked processes
                                   (jobs.py); write Markdown, read the entry
                                   documents as Articles (reader.py) and add them;
                                   take the briefing if annotate is done
  article_generator_finalized   -> writer.py: category, tag and author lists with
                                   constant-time membership (ArticleList)
  get_writer                    -> writer.py: ReusingWriter, entry and day pages
                                   whose fingerprint is unchanged are linked from
                                   the last site (reuse.py)
  get_generators                -> generator.py: BriefingsGenerator reads the day
                                   pages, takes the briefing (unless taken
                                   already: entries.finish_briefing), writes every
                                   other page and file, then saves the build cache
"""

from __future__ import annotations

from jinja2 import ChoiceLoader, FileSystemLoader
from pelican import signals

from .. import urls
from .entries import inject_entries
from .generator import get_generators
from .settings import TEMPLATES, setting
from .writer import fast_membership, get_writer


def add_templates_and_urls(generator) -> None:
    """The plugin's templates, after the theme's and Pelican's own: a theme overrides
    any of them by a template of the same name (``briefings/day.html``, say). And
    what every page may link to: the search page (base.html's search box), the
    plugin's stylesheets and scripts, the briefings' home page."""
    loader = getattr(generator.env, "loader", None)
    if isinstance(loader, ChoiceLoader) and not any(
        getattr(each, "searchpath", None) == [str(TEMPLATES)] for each in loader.loaders
    ):
        loader.loaders.append(FileSystemLoader(str(TEMPLATES)))
    home = setting(generator.settings, "BRIEFINGS_HOME_SAVE_AS")
    generator.context.update(
        SEARCH_URL=urls.search_url(),
        SEARCH_CSS_URL=urls.search_css_url(),
        BRIEFINGS_CSS_URL=urls.briefings_css_url(),
        BRIEFINGS_NEWSLETTER_JS_URL=urls.newsletter_script_url(),
        BRIEFINGS_HOME_URL=home,
        BRIEFINGS_HOME_NAME="Home" if home == "index.html" else "Briefings",
    )


def exclude_inputs(pelican) -> None:
    """Dumps and notes are the plugin's to read, never Pelican's articles or pages."""
    settings = pelican.settings
    for name in ("BRIEFINGS_BLOGS_DIR", "BRIEFINGS_ANNOTATIONS_DIR"):
        folder = setting(settings, name)
        for key in ("ARTICLE_EXCLUDES", "PAGE_EXCLUDES"):
            excludes = list(settings.get(key, []))
            if folder not in excludes:
                settings[key] = [*excludes, folder]


def connect():
    signals.initialized.connect(exclude_inputs)
    signals.article_generator_pretaxonomy.connect(inject_entries)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.article_generator_finalized.connect(fast_membership)
    signals.generator_init.connect(add_templates_and_urls)
