"""The only Pelican-aware module: a reader, the entry injection, a page generator.

Flow per build (no module-level state: everything hangs off the build's context):
  article_generator_pretaxonomy -> load dumps, build the archive, write Markdown,
                                   read entry documents as Articles and add them
  get_generators                -> BriefingsGenerator writes home, blog and day
                                   pages, the JSON API and the published Markdown
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

from . import export, publish, urls
from .catalog import Archive, build_archive
from .errors import Problem
from .markdown import Documents, time_label, write_documents
from .render import make_markdown, split_front_matter
from .sources import load_blogs
from .timing import PhaseTimer

logger = logging.getLogger(__name__)

CONTEXT_KEY = "BRIEFINGS"

DEFAULTS = {
    # Folder of NAME.txt dumps and NAME.yaml metadata, relative to PATH (content/).
    "BRIEFINGS_BLOGS_DIR": "blogs",
    # Where the generated Markdown documents are written (outside content/).
    "BRIEFINGS_MARKDOWN_DIR": "build/markdown",
}


# libyaml's parser when PyYAML has it: same values, about 8x faster than the
# pure-Python one, which took a third of the time of reading entries.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        loaded = yaml.load(raw_metadata, Loader=YAML_LOADER) if raw_metadata else {}
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
    timer: PhaseTimer = field(default_factory=PhaseTimer)  # how long each phase took (--timings)


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
    timer = PhaseTimer()
    with timer.phase("parse"):
        loaded = load_blogs(blogs_dir)
    report(loaded.problems)
    with timer.phase("catalog"):
        archive = build_archive(list(loaded.blogs))
    markdown_root = Path(setting(settings, "BRIEFINGS_MARKDOWN_DIR")).resolve()
    with timer.phase("markdown"):
        documents = write_documents(archive, markdown_root)
    state = BuildState(archive=archive, documents=documents, problems=loaded.problems, timer=timer)
    with timer.phase("read entries"):
        _read_entries(generator, state, markdown_root)
    _link_neighbours(archive, state.articles)
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    generator.context[CONTEXT_KEY] = state
    # Templates see a relative SITEURL for links; canonical URLs need the real one.
    generator.context["ABSOLUTE_SITEURL"] = settings["SITEURL"]


def _read_entries(generator, state: BuildState, markdown_root: Path) -> None:
    """Each entry's Markdown document, through the reader, as a Pelican Article."""
    settings, archive, documents = generator.settings, state.archive, state.documents
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
        article.jsonld = publish.entry_jsonld(post, settings["SITEURL"])
        state.articles[post.id] = article
        generator.add_source_path(article)
        generator.articles.append(article)


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
        self.env.globals.update(blog_url=urls.blog_url, blog_feed=urls.blog_feed, period_feed=urls.period_feed)
        if state is None:
            return
        with state.timer.phase("read days"):
            self._read_days(state)

    def _read_days(self, state: BuildState) -> None:
        for day in state.archive.days:
            page = self.readers.read_file(
                base_path=str(state.documents.root),
                path=state.documents.days[day.url],
                content_class=Page,
                context=self.context,
            )
            page.day = day
            page.jsonld = publish.day_jsonld(day, page.title.striptags(), self.settings["SITEURL"])
            page.entries = [state.articles[post.id] for post in day.posts]
            self.days.append(page)

    def generate_output(self, writer):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        if state is None:
            return
        with state.timer.phase("write pages"):
            self._write_pages(state.archive, writer)
        with state.timer.phase("write api"):
            self._write_api(state.archive)
        with state.timer.phase("publish markdown"):
            self._publish_markdown(state.documents)
        with state.timer.phase("write feeds, sitemap"):
            self._write_publishing_files(state.archive, writer)
            self._write_feeds(state, writer)

    def _write_pages(self, archive: Archive, writer) -> None:
        """The home page, a page per blog and a page per day."""
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
                jsonld=publish.live_blog_jsonld(
                    blog.title, urls.blog_url(blog.slug), archive.posts_of(blog), self.settings["SITEURL"]),
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

    @staticmethod
    def _periods(archive: Archive, day_pages: dict) -> list:
        """Blogs and their days grouped by year, newest year first."""
        by_year: dict[int, list] = {}
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            if days:
                by_year.setdefault(days[0].day.date.year, []).append((blog, days))
        return [(year, by_year[year]) for year in sorted(by_year, reverse=True)]

    def _write_api(self, archive: Archive) -> None:
        api = Path(self.output_path) / "api"
        api.mkdir(parents=True, exist_ok=True)
        export.write_json(export.entry_records(archive), api / "entries.json")
        export.write_json(export.blog_records(archive), api / "blogs.json")

    def _write_feeds(self, state: BuildState, writer) -> None:
        """Atom feeds per blog and per period (Pelican writes the one of all entries)."""
        if not self.settings.get("FEED_ALL_ATOM"):
            return
        archive = state.archive

        def newest_first(posts):
            return [state.articles[post.id] for post in reversed(posts)]

        for blog in archive.blogs:
            writer.write_feed(newest_first(archive.posts_of(blog)), self.context, urls.blog_feed(blog.slug),
                              feed_title=blog.title)
        for year, posts in self._posts_by_year(archive).items():
            writer.write_feed(newest_first(posts), self.context, urls.period_feed(str(year)),
                              feed_title=f"Coverage from {year}")

    @staticmethod
    def _posts_by_year(archive: Archive) -> dict:
        by_year: dict[int, list] = {}
        for post in archive.posts:
            by_year.setdefault(post.entry.day.year, []).append(post)
        return by_year

    def _write_publishing_files(self, archive: Archive, writer) -> None:
        siteurl = self.settings["SITEURL"]
        output = Path(self.output_path)
        (output / "sitemap.xml").write_text(publish.sitemap_xml(archive, siteurl), encoding="utf-8")
        (output / "robots.txt").write_text(publish.robots_txt(siteurl), encoding="utf-8")
        # GitHub Pages serves 404.html at whatever path was missing, so once the
        # site has an address its links are absolute; without one, relative.
        writer.write_file("404.html", self.get_template("404"), self.context, relative_urls=not siteurl,
                          page_name="404")
        (output / ".nojekyll").write_text("", encoding="utf-8")

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

