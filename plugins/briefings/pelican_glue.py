"""The only Pelican-aware module: a reader, the entry injection, a page generator.

Flow per build (no module-level state: everything hangs off the build's context):
  article_generator_pretaxonomy -> load dumps, build the archive, annotate it
                                   (annotate.py), write Markdown, read entry
                                   documents as Articles and add them
  get_generators                -> BriefingsGenerator writes home, blog, day,
                                   recap, entity and then-and-now pages, the
                                   JSON API and the published Markdown
"""

from __future__ import annotations

import logging
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator
from pelican.readers import BaseReader
from pelican.utils import order_content

from . import export, urls
from .annotate import Briefing, BriefingSettings, annotate
from .briefing_markdown import briefing_documents, note_blocks
from .catalog import Archive, build_archive
from .errors import Problem
from .markdown import Documents, time_label, write_documents
from .render import make_markdown, split_front_matter
from .sources import load_blogs

logger = logging.getLogger(__name__)

CONTEXT_KEY = "BRIEFINGS"

DEFAULTS = {
    # Folder of NAME.txt dumps and NAME.yaml metadata, relative to PATH (content/).
    "BRIEFINGS_BLOGS_DIR": "blogs",
    # Where the generated Markdown documents are written (outside content/).
    "BRIEFINGS_MARKDOWN_DIR": "build/markdown",
    # --- periods, entities, cross-links, recaps, notes (annotate.py; README "Settings") ---
    # None: one period per calendar year; or [{"name": …, "start": "YYYY-MM-DD", "end": …}, …].
    "BRIEFINGS_PERIODS": None,
    # The gazetteer, relative to PATH: canonical names, kinds and aliases.
    "BRIEFINGS_ENTITIES_FILE": "entities.yaml",
    # Folder of editor's notes (*.md), relative to PATH.
    "BRIEFINGS_ANNOTATIONS_DIR": "annotations",
    # Also find proper names the gazetteer does not list.
    "BRIEFINGS_DETECT_NAMES": True,
    # Cross-links shown per other period, and the score they need (0-1).
    "BRIEFINGS_RELATED_PER_PERIOD": 3,
    "BRIEFINGS_RELATED_THRESHOLD": 0.15,
    # Share of the score from shared names (the rest from shared words).
    "BRIEFINGS_RELATED_ENTITY_WEIGHT": 0.6,
    # A name in more than this share of all entries is no subject (Russia, Ukraine).
    "BRIEFINGS_RELATED_COMMON_SHARE": 0.25,
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
}


def setting(settings: dict, name: str):
    return settings.get(name, DEFAULTS[name])


class MarkdownItReader(BaseReader):
    """Reads ``.md`` with YAML front matter through markdown-it-py."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self._markdown = make_markdown()

    def read(self, source_path):
        text = Path(source_path).read_text(encoding="utf-8")
        raw_metadata, body = split_front_matter(text)
        loaded = yaml.safe_load(raw_metadata) if raw_metadata else {}
        metadata = {}
        for key, value in (loaded or {}).items():
            key = str(key).lower()
            if key in ("title", "summary"):
                # Pelican treats these as HTML; ours are plain text, so escape them.
                metadata[key] = Markup(escape(str(value)))
            elif isinstance(value, (str, int, float)):
                metadata[key] = self.process_metadata(key, str(value) if key in ("date", "tags") else value)
            else:
                metadata[key] = self.process_metadata(key, str(value))
        return self._markdown.render(body), metadata


@dataclass
class BuildState:
    """What one build knows about the briefings; kept in the build's context."""

    archive: Archive
    documents: Documents
    problems: tuple[Problem, ...]
    articles: dict = field(default_factory=dict)  # post id -> Article
    briefing: Briefing | None = None


def add_reader(readers):
    for extension in MarkdownItReader.file_extensions:
        readers.reader_classes[extension] = MarkdownItReader


def report(problems) -> None:
    # One plain line each on stderr: no rich wrapping, no traceback, easy to grep.
    for problem in problems:
        print(f"briefings: {problem}", file=sys.stderr)


def inject_entries(generator) -> None:
    settings = generator.settings
    blogs_dir = Path(settings["PATH"]) / setting(settings, "BRIEFINGS_BLOGS_DIR")
    loaded = load_blogs(blogs_dir)
    report(loaded.problems)
    archive = build_archive(list(loaded.blogs))
    briefing, briefing_problems = annotate_archive(archive, settings)
    report(briefing_problems)
    markdown_root = Path(setting(settings, "BRIEFINGS_MARKDOWN_DIR")).resolve()
    documents = write_documents(archive, markdown_root, extra=briefing_documents(briefing),
                                notes=note_blocks(briefing, archive))
    state = BuildState(archive=archive, documents=documents, problems=loaded.problems + briefing_problems,
                       briefing=briefing)
    for post in archive.posts:
        article = generator.readers.read_file(
            base_path=str(markdown_root),
            path=documents.entries[post.id],
            content_class=Article,
            context=generator.context,
            preread_signal=signals.article_generator_preread,
            preread_sender=generator,
            context_signal=signals.article_generator_context,
            context_sender=generator,
        )
        article.post = post
        article.time_label = time_label(post.entry)
        state.articles[post.id] = article
        generator.add_source_path(article)
        generator.articles.append(article)
    _link_neighbours(archive, state.articles)
    _attach_briefing(briefing, state.articles)
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    generator.context[CONTEXT_KEY] = state


def annotate_archive(archive: Archive, settings: dict) -> tuple[Briefing, tuple[Problem, ...]]:
    """Periods, entities, cross-links, recaps and notes (annotate.py), settings read once."""
    briefing_settings = BriefingSettings.from_settings({name: setting(settings, name) for name in DEFAULTS})
    return annotate(archive, briefing_settings, Path(settings["PATH"]))


def _attach_briefing(briefing: Briefing, articles: dict) -> None:
    """What an entry page shows of the briefing: entity chips, Then/Later panels,
    the recap of its day."""
    for post_id, article in articles.items():
        post = article.post
        article.entities = briefing.entities_of.get(post_id, ())
        article.panels = briefing.entry_panels(post)
        article.recap = briefing.recap_of_day(post.day_url)


def _link_neighbours(archive: Archive, articles: dict) -> None:
    """Previous/next entry within the same blog, in time order."""
    for blog in archive.blogs:
        chain = [articles[post.id] for post in archive.posts_of(blog)]
        for older, newer in zip(chain, chain[1:]):
            older.next_entry = newer
            newer.previous_entry = older
        if chain:
            chain[0].previous_entry = None
            chain[-1].next_entry = None


class BriefingsGenerator(Generator):
    """Writes the home, blog and day pages, the JSON API and the Markdown copies."""

    def generate_context(self):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        self.days = []
        self.env.globals["blog_url"] = urls.blog_url
        if state is None:
            return
        for day in state.archive.days:
            page = self.readers.read_file(
                base_path=str(state.documents.root),
                path=state.documents.days[day.url],
                content_class=Page,
                context=self.context,
            )
            page.day = day
            page.entries = [state.articles[post.id] for post in day.posts]
            self.days.append(page)
        self._briefing_context(state)

    def _briefing_context(self, state: BuildState) -> None:
        """Reads the recap, entity and then-and-now documents; gives day pages
        their cross-link panels and recap. Templates see ``briefing``."""
        briefing = state.briefing
        self.env.globals["briefing"] = briefing
        self.briefing_pages = []
        for day_page in self.days:
            day_page.panels = briefing.day_panels(day_page.day)
            day_page.recap = briefing.recap_of_day(day_page.day.url)
        documents = [(recap.url, recap.markdown) for recap in briefing.recaps]
        documents += [(entity.url, urls.entity_markdown(entity.slug)) for entity in briefing.entities]
        documents += [(urls.entities_url(), urls.entities_markdown()),
                      (urls.then_and_now_url(), urls.then_and_now_markdown())]
        for url, markdown in documents:
            page = self.readers.read_file(base_path=str(state.documents.root), path=markdown,
                                          content_class=Page, context=self.context)
            self.briefing_pages.append((url, page))

    def generate_output(self, writer):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        if state is None:
            return
        archive = state.archive
        relative = self.settings["RELATIVE_URLS"]
        day_pages = {page.day.url: page for page in self.days}
        periods = self._periods(archive, day_pages)
        writer.write_file(
            "index.html", self.get_template("home"), self.context, relative_urls=relative,
            periods=periods, page_name="index",
        )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            writer.write_file(
                urls.blog_url(blog.slug), self.get_template("blog"), self.context, relative_urls=relative,
                blog=blog, days=days, entries=len(blog.entries), page_name=urls.blog_url(blog.slug)[:-5],
            )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            for index, page in enumerate(days):
                writer.write_file(
                    page.day.url, self.get_template("day"), self.context, relative_urls=relative,
                    page=page, blog=blog,
                    previous_day=days[index - 1] if index else None,
                    next_day=days[index + 1] if index + 1 < len(days) else None,
                    page_name=page.day.url[:-5],
                )
        self._write_briefing(writer, state)
        self._write_api(archive, state.briefing)
        self._publish_markdown(state.documents)

    def _write_briefing(self, writer, state: BuildState) -> None:
        relative = self.settings["RELATIVE_URLS"]
        for url, page in self.briefing_pages:
            writer.write_file(url, self.get_template("briefing"), self.context, relative_urls=relative,
                              page=page, page_name=url[:-5])

    @staticmethod
    def _periods(archive: Archive, day_pages: dict) -> list:
        """Blogs and their days grouped by year, newest year first."""
        by_year: dict[int, list] = {}
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            if days:
                by_year.setdefault(days[0].day.date.year, []).append((blog, days))
        return [(year, by_year[year]) for year in sorted(by_year, reverse=True)]

    def _write_api(self, archive: Archive, briefing: Briefing | None = None) -> None:
        api = Path(self.output_path) / "api"
        api.mkdir(parents=True, exist_ok=True)
        (api / "entries.json").write_text(export.entries_json(archive, briefing), encoding="utf-8")
        (api / "blogs.json").write_text(export.blogs_json(archive), encoding="utf-8")
        if briefing is not None:
            (api / "recaps.json").write_text(export.recaps_json(briefing), encoding="utf-8")

    def _publish_markdown(self, documents: Documents) -> None:
        target = Path(self.output_path) / urls.MARKDOWN_URL_PREFIX
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(documents.root, target)


def get_generators(pelican):
    return BriefingsGenerator


def connect():
    signals.readers_init.connect(add_reader)
    signals.article_generator_pretaxonomy.connect(inject_entries)
    signals.get_generators.connect(get_generators)

