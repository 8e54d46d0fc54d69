"""The only Pelican-aware module: a reader, the entry injection, a page generator.

Flow per build (no module-level state: everything hangs off the build's context):
  article_generator_pretaxonomy -> load dumps, build the archive, annotate it
                                   (annotate.py); the search index and the
                                   recap/entity pages' HTML start in forked
                                   processes (background.py); write Markdown,
                                   read entry documents as Articles and add them
  article_generator_finalized   -> category, tag and author lists with
                                   constant-time membership (ArticleList)
  get_writer                    -> ReusingWriter: entry and day pages whose
                                   fingerprint is unchanged are linked from the
                                   last site (reuse.py)
  get_generators                -> BriefingsGenerator writes home, blog, day,
                                   recap, entity and then-and-now pages, the
                                   JSON API and the published Markdown, the
                                   search page with its index (search.py), and
                                   the publishing files (publish.py); then saves
                                   the build cache
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup, escape
from pelican import signals
from pelican.contents import Article, Page
from pelican.generators import Generator
from pelican.readers import BaseReader
from pelican.utils import order_content
from pelican.writers import Writer

from .. import urls
from ..annotate.briefing import Briefing, BriefingSettings, annotate
from ..errors import BriefingsError, Problem
from ..ingest.catalog import Archive, build_archive
from ..ingest.sources import load_blogs
from ..write import export, newsletter, publish, search
from ..write.briefing_markdown import briefing_documents, note_blocks
from ..write.markdown import Documents, entry_metadata, time_label, write_documents
from ..write.render import make_markdown, render_parts, split_front_matter
from . import reuse
from .jobs import FilesJob, default_jobs
from .timing import PhaseTimer

CONTEXT_KEY = "BRIEFINGS"

DEFAULTS = {
    # Folder of NAME.txt dumps and NAME.yaml metadata, relative to PATH (content/).
    "BRIEFINGS_BLOGS_DIR": "blogs",
    # Where the generated Markdown documents are written (outside content/).
    "BRIEFINGS_MARKDOWN_DIR": "build/markdown",
    # lunr.js as npm installs it (`npm ci`, run by make); copied into output/search/.
    "BRIEFINGS_LUNR_JS": "node_modules/lunr/lunr.min.js",
    # Characters of an entry's text kept for a search result's snippet.
    "BRIEFINGS_SEARCH_SNIPPET_LENGTH": search.SNIPPET_LENGTH,
    # How much more a word in an entry's title counts than one in its text.
    "BRIEFINGS_SEARCH_TITLE_BOOST": search.TITLE_BOOST,
    # Entries per search shard at most: a month with more is cut into parts of whole days.
    "BRIEFINGS_SEARCH_SHARD_ENTRIES": search.SHARD_ENTRIES,
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
}

# Settings that say where this build writes, not what: not part of a page's fingerprint.
WHERE_SETTINGS = ("OUTPUT_PATH", "BRIEFINGS_SITE_OUTPUT", "BRIEFINGS_FRESH")


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
        self.markdown = make_markdown()
        # How to make a document's HTML other than by rendering its body, by
        # absolute path: a day page put together from its entries' HTML
        # (BriefingsGenerator._read_days).
        self.assemble: dict[str, object] = {}
        # The HTML of bodies the last build rendered (reuse.RenderCache), if any.
        self.renders: reuse.RenderCache | None = None
        # What a document's front matter says, when the build has it at hand, by
        # absolute path: an entry's metadata, just written (markdown.entry_metadata;
        # tests/test_markdown.py checks that it reads back from the YAML unchanged).
        self.front_matter: dict[str, dict] = {}

    def read(self, source_path):
        text = Path(source_path).read_text(encoding="utf-8")
        raw_metadata, body = split_front_matter(text)
        render = self.assemble.pop(str(source_path), self.markdown.render)
        html = self.renders.render(body, render) if self.renders else render(body)
        loaded = self.front_matter.pop(str(source_path), None)
        if loaded is None:
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
        return html, metadata


@dataclass
class BuildState:
    """What one build knows about the briefings; kept in the build's context."""

    archive: Archive
    documents: Documents
    problems: tuple[Problem, ...]
    articles: dict = field(default_factory=dict)  # post id -> Article
    briefing: Briefing | None = None
    timer: PhaseTimer = field(default_factory=PhaseTimer)  # how long each phase took (--timings)
    search_job: FilesJob | None = None  # the search index, built beside the rest (background.py)
    index_settings: search.SearchSettings | None = None  # what that index is built with
    renders: reuse.RenderCache | None = None  # incremental builds (reuse.py); set by inject_entries
    pages: reuse.PageReuse | None = None
    prerender: Prerender | None = None  # recap and entity pages, rendered on the other core


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
    with timer.phase("annotate"):
        briefing, briefing_problems = annotate_archive(archive, settings)
    report(briefing_problems)
    version = cache_version(settings)  # hashes the plugin's and theme's files: once per build
    renders, pages = open_caches(settings, version)
    extra_documents = briefing_documents(briefing)
    prerender = start_prerender(extra_documents.values(), renders, settings, Path(generator.output_path))
    chosen_search = search_settings(settings, briefing)
    search_job = start_search(archive, chosen_search, settings, Path(generator.output_path), version)
    markdown_root = Path(setting(settings, "BRIEFINGS_MARKDOWN_DIR")).resolve()
    with timer.phase("markdown"):
        documents = write_documents(archive, markdown_root, extra=extra_documents, notes=note_blocks(briefing, archive))
    state = BuildState(
        archive=archive,
        documents=documents,
        problems=loaded.problems + briefing_problems,
        briefing=briefing,
        timer=timer,
        search_job=search_job,
        index_settings=chosen_search,
    )
    state.renders, state.pages, state.prerender = renders, pages, prerender
    with timer.phase("read entries"):
        _read_entries(generator, state, markdown_root)
    _link_neighbours(archive, state.articles)
    _attach_briefing(briefing, state.articles)
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    generator.context[CONTEXT_KEY] = state
    # Templates see a relative SITEURL for links; canonical URLs need the real one.
    generator.context["ABSOLUTE_SITEURL"] = settings["SITEURL"]


def _read_entries(generator, state: BuildState, markdown_root: Path) -> None:
    """Each entry's Markdown document, through the reader, as a Pelican Article."""
    settings, archive, documents = generator.settings, state.archive, state.documents
    reader = use_renders(generator.readers, state)
    for post in archive.posts:
        if reader is not None:  # the front matter just written: no need to parse it again
            reader.front_matter[os.path.abspath(markdown_root / documents.entries[post.id])] = entry_metadata(post)
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
    """Writes every page that is not an entry (home, blogs, days, recaps with their
    newsletter files, entities, then-and-now, search, 404) and the other files:
    JSON API, published Markdown, feeds per blog and period, sitemap, robots.txt."""

    def generate_context(self):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        self.days = []
        self.markdown = make_markdown()  # for the newsletter exports
        self.env.globals.update(blog_url=urls.blog_url, blog_feed=urls.blog_feed, period_feed=urls.period_feed)
        if state is None:
            return
        with state.timer.phase("read days"):
            self._read_days(state)

    def _read_days(self, state: BuildState) -> None:
        state.prerender.take()
        root = state.documents.root
        reader = use_renders(self.readers, state)
        # A day page's entries are rendered already, on their own pages: the
        # day's HTML is put together from theirs (markdown.day_parts). Not when
        # typogrify has changed the entries' HTML after reading.
        assemble = reader is not None and not self.settings.get("TYPOGRIFY")

        def entry_html(part) -> str:
            return state.articles[part.post_id]._content

        for day in state.archive.days:
            path = state.documents.days[day.url]
            full_path = os.path.abspath(root / path)
            if assemble:
                parts = state.documents.day_parts[day.url]
                reader.assemble[full_path] = lambda body, parts=parts: render_parts(reader.markdown, parts, entry_html)
            page = self.readers.read_file(base_path=str(root), path=path, content_class=Page, context=self.context)
            if assemble:
                reader.assemble.pop(full_path, None)
            page.day = day
            page.jsonld = publish.day_jsonld(day, page.title.striptags(), self.settings["SITEURL"])
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
        documents += [
            (urls.entities_url(), urls.entities_markdown()),
            (urls.then_and_now_url(), urls.then_and_now_markdown()),
        ]
        for url, markdown in documents:
            page = self.readers.read_file(
                base_path=str(state.documents.root), path=markdown, content_class=Page, context=self.context
            )
            self.briefing_pages.append((url, page))

    def generate_output(self, writer):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        if state is None:
            return
        with state.timer.phase("write pages"):
            self._write_pages(state, writer)
        with state.timer.phase("write briefing pages, newsletters"):
            self._write_briefing(writer, state)
        with state.timer.phase("write api"):
            self._write_api(state.archive, state.briefing)
        with state.timer.phase("publish markdown"):
            self._publish_markdown(state.documents)
        with state.timer.phase("write feeds, sitemap"):
            self._write_publishing_files(state.archive, writer)
            self._write_feeds(state, writer)
        with state.timer.phase("search"):
            self._write_search(writer, state.archive)
        # Every page is written: what the next build may reuse (reuse.py).
        state.renders.save()
        if state.pages is not None:
            state.pages.save()

    def _write_pages(self, state: BuildState, writer) -> None:
        """The home page, a page per blog and a page per day."""
        archive = state.archive
        relative = self.settings["RELATIVE_URLS"]
        day_pages = {page.day.url: page for page in self.days}
        periods = self._periods(archive, state.briefing, day_pages)
        writer.write_file(
            "index.html",
            self.get_template("home"),
            self.context,
            relative_urls=relative,
            periods=periods,
            page_name="index",
        )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            writer.write_file(
                urls.blog_url(blog.slug),
                self.get_template("blog"),
                self.context,
                relative_urls=relative,
                blog=blog,
                days=days,
                entries=len(blog.entries),
                page_name=urls.blog_url(blog.slug)[:-5],
                jsonld=publish.live_blog_jsonld(
                    blog.title, urls.blog_url(blog.slug), archive.posts_of(blog), self.settings["SITEURL"]
                ),
            )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            for index, page in enumerate(days):
                writer.write_file(
                    page.day.url,
                    self.get_template("day"),
                    self.context,
                    relative_urls=relative,
                    page=page,
                    blog=blog,
                    previous_day=days[index - 1] if index else None,
                    next_day=days[index + 1] if index + 1 < len(days) else None,
                    page_name=page.day.url[:-5],
                )

    def _write_briefing(self, writer, state: BuildState) -> None:
        relative = self.settings["RELATIVE_URLS"]
        recaps = {recap.url: recap for recap in state.briefing.recaps}
        for url, page in self.briefing_pages:
            exports = self._write_newsletter(state, recaps[url], page) if url in recaps else None
            writer.write_file(
                url,
                self.get_template("briefing"),
                self.context,
                relative_urls=relative,
                page=page,
                page_name=url[:-5],
                newsletter=exports,
            )

    def _write_newsletter(self, state: BuildState, recap, page) -> dict:
        """email.html, email.txt and recap.md beside a recap page (newsletter.py);
        returns what the page's "Use in a newsletter" panel offers."""
        html_url, text_url, markdown_url = urls.recap_exports(recap.url)
        document = (state.documents.root / recap.markdown).read_text(encoding="utf-8")
        place = newsletter.Place(page_url=recap.url, export_url=html_url, siteurl=self.settings["SITEURL"])
        title, site_name = page.title.striptags(), self.settings["SITENAME"]

        def export(_) -> tuple:
            made = newsletter.export_recap(document, title, place, site_name, md=self.markdown)
            return made.html, made.text, made.markdown

        # css-inline is the slow part; a recap that did not change is not exported again.
        made = newsletter.Export(*state.renders.made("newsletter", repr((document, title, place, site_name)), export))
        output = Path(self.output_path)
        for url, text in ((html_url, made.html), (text_url, made.text), (markdown_url, made.markdown)):
            (output / url).parent.mkdir(parents=True, exist_ok=True)
            (output / url).write_text(text, encoding="utf-8")
        return {
            "html_url": html_url,
            "text_url": text_url,
            "markdown_url": markdown_url,
            "html": made.html,
            "text": made.text,
            "absolute": bool(self.settings["SITEURL"]),
        }

    @staticmethod
    def _periods(archive: Archive, briefing: Briefing, day_pages: dict) -> list:
        """``(period, [(blog, day pages)])``, newest period first; a blog belongs to
        the period of its first day."""
        by_period: dict = {}
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            if days:
                by_period.setdefault(briefing.period_of[days[0].day.posts[0].id], []).append((blog, days))
        return sorted(by_period.items(), key=lambda item: item[0].start, reverse=True)

    def _write_api(self, archive: Archive, briefing: Briefing | None = None) -> None:
        api = Path(self.output_path) / "api"
        api.mkdir(parents=True, exist_ok=True)
        export.write_json(export.entry_records(archive, briefing), api / "entries.json")
        export.write_json(export.blog_records(archive), api / "blogs.json")
        if briefing is not None:
            export.write_json(export.recap_records(briefing), api / "recaps.json")

    def _write_feeds(self, state: BuildState, writer) -> None:
        """Atom feeds per blog and per period (Pelican writes the one of all entries)."""
        if not self.settings.get("FEED_ALL_ATOM"):
            return
        archive = state.archive

        def newest_first(posts):
            return [state.articles[post.id] for post in reversed(posts)]

        for blog in archive.blogs:
            writer.write_feed(
                newest_first(archive.posts_of(blog)), self.context, urls.blog_feed(blog.slug), feed_title=blog.title
            )
        by_period: dict = {}
        for post in archive.posts:
            by_period.setdefault(state.briefing.period_of[post.id], []).append(post)
        for period, posts in by_period.items():
            writer.write_feed(
                newest_first(posts),
                self.context,
                urls.period_feed(period.key),
                feed_title=f"Coverage from {period.name}",
            )

    def _write_publishing_files(self, archive: Archive, writer) -> None:
        siteurl = self.settings["SITEURL"]
        output = Path(self.output_path)
        (output / "sitemap.xml").write_text(publish.sitemap_xml(archive, siteurl), encoding="utf-8")
        (output / "robots.txt").write_text(publish.robots_txt(siteurl), encoding="utf-8")
        # GitHub Pages serves 404.html at whatever path was missing, so once the
        # site has an address its links are absolute; without one, relative.
        writer.write_file(
            "404.html", self.get_template("404"), self.context, relative_urls=not siteurl, page_name="404"
        )
        (output / ".nojekyll").write_text("", encoding="utf-8")

    def _publish_markdown(self, documents: Documents) -> None:
        target = Path(self.output_path) / urls.MARKDOWN_URL_PREFIX
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(documents.root, target)

    def _write_search(self, writer, archive: Archive) -> None:
        """The search page and lunr.js; the index and store shards come from the
        search job started with the build (start_search)."""
        state: BuildState = self.context[CONTEXT_KEY]
        lunr_js = Path(setting(self.settings, "BRIEFINGS_LUNR_JS"))
        if not lunr_js.is_file():
            state.search_job.cancel()
            raise FileNotFoundError(f"{lunr_js} is missing: run `npm ci` (make html and make test do)")
        state.search_job.wait()
        settings = state.index_settings
        shutil.copyfile(lunr_js, Path(self.output_path) / urls.lunr_js_url())
        writer.write_file(
            urls.search_url(),
            self.get_template("search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_name=urls.search_url()[:-5],
            search=search.facets(archive, settings.period_of),
            search_scripts=(urls.lunr_js_url(), urls.search_manifest_url(), urls.search_script_url()),
        )


def start_search(
    archive: Archive, chosen: search.SearchSettings, settings: dict, output: Path, version: str
) -> FilesJob:
    """The search index only needs the archive and the briefing: build it on the
    other core while Pelican renders (BRIEFINGS_JOBS). Shards whose entries did
    not change come from the build cache (reuse.FileMemo)."""
    folder = setting(settings, "BRIEFINGS_CACHE_DIR")
    memo = (
        reuse.FileMemo(Path(folder).resolve() / "search", version, fresh=setting(settings, "BRIEFINGS_FRESH"))
        if folder
        else None
    )

    def items():
        yield from search.search_file_items(archive, chosen, memo)
        if memo is not None:
            memo.prune()

    return FilesJob("search index", items, output, jobs=int(setting(settings, "BRIEFINGS_JOBS")))


def search_settings(settings: dict, briefing: Briefing) -> search.SearchSettings:
    """Shards and filters follow the briefing's periods; entities are indexed
    (found by "Scholz" also where the text said "Sholz")."""

    def entity_names(post) -> str:
        return " ".join(entity.name for entity in briefing.entities_of.get(post.id, ()))

    shard_entries = setting(settings, "BRIEFINGS_SEARCH_SHARD_ENTRIES")
    if isinstance(shard_entries, bool) or not isinstance(shard_entries, int) or shard_entries < 1:
        raise BriefingsError(
            "pelican.conf.py",
            None,
            f"BRIEFINGS_SEARCH_SHARD_ENTRIES must be a whole number of at least 1, not {shard_entries!r}",
        )
    return search.SearchSettings(
        snippet_length=int(setting(settings, "BRIEFINGS_SEARCH_SNIPPET_LENGTH")),
        title_boost=int(setting(settings, "BRIEFINGS_SEARCH_TITLE_BOOST")),
        extra_fields=(search.ExtraField("entities", entity_names, boost=3),),
        period_of=lambda post: briefing.period_of[post.id].name,
        shard_entries=shard_entries,
    )


def add_search_urls(generator) -> None:
    """Every page's header links to the search page (base.html)."""
    generator.context["SEARCH_URL"] = urls.search_url()
    generator.context["SEARCH_CSS_URL"] = urls.search_css_url()


def get_generators(pelican):
    return BriefingsGenerator


# --- incremental builds (reuse.py) ---

PLUGIN_FOLDER = Path(__file__).resolve().parent.parent


def cache_version(settings: dict) -> str:
    """The plugin's code, the theme and the settings: what every cached thing depends on."""
    return reuse.digest(
        reuse.code_version(PLUGIN_FOLDER, Path(settings["THEME"])), reuse.settings_version(settings, WHERE_SETTINGS)
    )


def open_caches(settings: dict, version: str) -> tuple[reuse.RenderCache, reuse.PageReuse | None]:
    """Without a cache folder, renders are still shared within the build (the
    pages rendered on the other core, Prerender)."""
    folder = setting(settings, "BRIEFINGS_CACHE_DIR")
    if not folder:
        return reuse.RenderCache(None), None
    folder = Path(folder).resolve()
    fresh = setting(settings, "BRIEFINGS_FRESH")
    site = setting(settings, "BRIEFINGS_SITE_OUTPUT")
    return (
        reuse.RenderCache(folder, fresh=fresh),
        reuse.PageReuse(folder, Path(site) if site else None, version, fresh=fresh),
    )


class Prerender:
    """The recap, entity and then-and-now pages are the largest Markdown documents
    after the entries, and need nothing but the briefing: a forked child renders
    them while the parent writes and reads the entries, and hands the HTML over
    through the render cache (with one job, the parent renders them when asked)."""

    def __init__(self, documents, renders: reuse.RenderCache, jobs: int, output: Path):
        self.renders = renders
        # Inside the folder being built, so a failed build removes it with the rest;
        # take() removes it before the site is swapped in.
        output.mkdir(parents=True, exist_ok=True)  # plain `pelican` makes it only later
        self.folder = Path(tempfile.mkdtemp(prefix=".prerender-", dir=output))
        bodies = [split_front_matter(text)[1] for text in documents]
        wanted = [body for body in bodies if not renders.known("html", body)]

        def render_all() -> list[tuple[str, str]]:
            md = make_markdown()
            return [("renders.json", json.dumps({renders.key("html", body).hex(): md.render(body) for body in wanted}))]

        self.job = FilesJob("pre-rendering", render_all, self.folder, jobs=jobs)

    def take(self) -> None:
        """Wait for the HTML and put it in the render cache."""
        try:
            self.job.wait()
            made = json.loads((self.folder / "renders.json").read_text(encoding="utf-8"))
            for key, html in made.items():
                self.renders.add(bytes.fromhex(key), html)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_prerender(documents, renders: reuse.RenderCache, settings: dict, output: Path) -> Prerender:
    return Prerender(documents, renders, jobs=int(setting(settings, "BRIEFINGS_JOBS")), output=output)


def use_renders(readers, state: BuildState) -> MarkdownItReader | None:
    """The Markdown reader of ``readers``, given the build's render cache."""
    reader = readers.readers.get("md")
    if not isinstance(reader, MarkdownItReader):
        return None
    reader.renders = state.renders
    return reader


def _links_shown(panels) -> tuple:
    return tuple(
        (
            panel.direction,
            panel.label,
            panel.gap,
            panel.period.key,
            tuple(
                (
                    link.target.url,
                    link.target.entry.title,
                    link.target.entry.day,
                    link.target.entry.published,
                    link.reason,
                    link.source.anchor,
                    link.source.entry.title,
                )
                for link in panel.links
            ),
        )
        for panel in panels
    )


def entry_page_shows(article) -> tuple:
    """Everything article.html and its includes show of an entry (templates and
    settings are in the build's version): a change to any of it re-renders the page."""
    post, entry = article.post, article.post.entry
    neighbours = tuple(
        (other.url, str(other.title)) if other else None for other in (article.previous_entry, article.next_entry)
    )
    return (
        article._content,
        str(article.title),
        str(article.summary),
        article.jsonld,
        article.time_label,
        article.url,
        post.blog.title,
        post.blog_url,
        post.day_url,
        post.anchor,
        entry.title,
        entry.labels,
        entry.published,
        entry.day,
        tuple((entity.name, entity.kind, entity.url) for entity in article.entities),
        _links_shown(article.panels),
        article.recap.url if article.recap else None,
        neighbours,
    )


def day_page_shows(page, blog, previous_day, next_day) -> tuple:
    """Everything day.html and its includes show of a day."""
    neighbours = tuple((other.day.url, other.day.date) if other else None for other in (previous_day, next_day))
    return (
        page._content,
        str(page.title),
        page.jsonld,
        page.day.url,
        page.day.date,
        len(page.day.posts),
        blog.title,
        blog.slug,
        _links_shown(page.panels),
        page.recap.url if page.recap else None,
        neighbours,
    )


def page_fingerprint(pages: reuse.PageReuse, relative_urls: bool, kwargs: dict) -> str | None:
    """Entry and day pages (most of a site) have a fingerprint; the others are
    always rendered."""
    article, page = kwargs.get("article"), kwargs.get("page")
    if article is not None and hasattr(article, "post"):
        return reuse.digest(pages.version, relative_urls, entry_page_shows(article))
    if page is not None and hasattr(page, "day") and "blog" in kwargs:
        shows = day_page_shows(page, kwargs["blog"], kwargs.get("previous_day"), kwargs.get("next_day"))
        return reuse.digest(pages.version, relative_urls, shows)
    return None


class ReusingWriter(Writer):
    """Pelican's writer, except that an entry or day page whose fingerprint is
    unchanged since the last build is linked from its output, not rendered."""

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        state = context.get(CONTEXT_KEY)
        pages = state.pages if state is not None else None
        fingerprint = page_fingerprint(pages, relative_urls, kwargs) if pages and not paginated else None
        if fingerprint and pages.reuse(name, fingerprint, Path(self.output_path)):
            return
        super().write_file(
            name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
        )
        if fingerprint:
            pages.rendered += 1
            pages.record(name, fingerprint, Path(self.output_path))


class ArticleList(list):
    """A list of articles whose ``in`` takes constant time. Pelican 4.12 writes a
    category, tag or author page after asking ``article in articles`` for every
    article of the site (``generate_categories``): quadratic, 40 s at 50,000
    entries. Articles compare by identity (``Content`` has no ``__eq__``), so
    this is the same answer."""

    def __init__(self, articles):
        super().__init__(articles)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def fast_membership(generator) -> None:
    """The article lists of categories, tags and authors as ``ArticleList``s, in
    the very lists the templates' context holds."""
    for pairs in (generator.categories, generator.authors):
        pairs[:] = [(key, ArticleList(articles)) for key, articles in pairs]
    for tag in list(generator.tags):
        generator.tags[tag] = ArticleList(generator.tags[tag])


def get_writer(pelican):
    return ReusingWriter


def connect():
    signals.readers_init.connect(add_reader)
    signals.article_generator_pretaxonomy.connect(inject_entries)
    signals.get_generators.connect(get_generators)
    signals.get_writer.connect(get_writer)
    signals.article_generator_finalized.connect(fast_membership)
    signals.generator_init.connect(add_search_urls)
