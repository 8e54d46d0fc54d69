"""Entries into Pelican: the dumps read and written as Markdown, then read back as
Articles (article_generator_pretaxonomy) while annotate runs on the other core;
its briefing taken then or, if it is still running, after the day pages
(finish_briefing), which starts the search index, the JSON API and the briefing
pages on that core; what a build knows, kept in its context (BuildState)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from pelican import signals
from pelican.contents import Article
from pelican.utils import order_content

from .. import urls
from ..annotate.briefing import Briefing, BriefingSettings, annotate
from ..annotate.notes import load_notes
from ..errors import BriefingsError, Problem
from ..ingest.catalog import Archive, build_archive
from ..ingest.parse import parse_dump
from ..ingest.sources import load_blogs
from ..write import export, publish, search
from ..write.briefing_markdown import briefing_documents, note_blocks
from ..write.markdown import Documents, finish_documents, time_label, write_entry_documents
from ..write.render import block_texts, make_markdown, split_front_matter
from . import reuse
from .jobs import FilesJob, ValueJob
from .reader import MarkdownItReader, own_documents
from .settings import CONTEXT_KEY, DEFAULTS, PLUGIN_FOLDER, WHERE_SETTINGS, setting
from .timing import PhaseTimer


@dataclass
class BuildState:
    """What one build knows about the briefings; kept in the build's context."""

    archive: Archive
    documents: Documents
    problems: tuple[Problem, ...]
    articles: dict = field(default_factory=dict)  # post id -> Article
    briefing: Briefing | None = None
    timer: PhaseTimer = field(default_factory=PhaseTimer)  # how long each phase took (--timings)
    search_job: FilesJob | None = None  # the search index, built beside the rest (jobs.py)
    api_job: FilesJob | None = None  # the JSON API, likewise
    index_settings: search.SearchSettings | None = None  # what that index is built with
    renders: reuse.RenderCache | None = None  # incremental builds (reuse.py); set by inject_entries
    pages: reuse.PageReuse | None = None
    annotation: ValueJob | None = None  # annotate, on the other core, until finish_briefing takes it
    version: str = ""  # cache_version: the plugin's, the theme's and the settings'
    briefing_pages: BriefingPages | None = None  # their documents, made and rendered on the other core
    briefing_parts: dict = field(default_factory=dict)  # entity pages' standalone blocks, by Markdown path


def report(problems) -> None:
    # One plain line each on stderr: no rich wrapping, no traceback, easy to grep.
    for problem in problems:
        print(f"briefings: {problem}", file=sys.stderr)


def inject_entries(generator) -> None:
    """The entries, as Articles. Annotating the archive (entities, links, recaps)
    and writing and reading the entries' documents need nothing of each other:
    annotate runs on the other core (a ValueJob) while the parent writes and
    reads the entries (and, in a rebuild, the day pages: finish_briefing); the
    briefing's pages and panels come once it is made."""
    settings = generator.settings
    content = Path(settings["PATH"])
    blogs_dir = content / setting(settings, "BRIEFINGS_BLOGS_DIR")
    output = Path(generator.output_path)
    jobs = int(setting(settings, "BRIEFINGS_JOBS"))
    timer = PhaseTimer(progress=setting(settings, "BRIEFINGS_PROGRESS"))
    version = cache_version(settings)  # hashes the plugin's and theme's files: once per build
    parsed = open_memo(settings, "parsed", version)
    with timer.phase("parse"):
        loaded = load_blogs(blogs_dir, parse=remembered_parse(parsed))
        parsed.save()
    report(loaded.problems)
    with timer.phase("catalog"):
        archive = build_archive(list(loaded.blogs))
    chosen = briefing_settings(settings)
    notes, note_problems = load_notes(content / chosen.annotations_dir, archive)

    def annotated() -> tuple[Briefing, tuple[Problem, ...]]:
        scanned = open_memo(settings, "mentions", version)
        # The links on both cores: in a rebuild the parent has little else to do
        # by then than wait for them (docs/incremental.md).
        made = annotate(archive, chosen, content, scanned, (notes, note_problems), workers=jobs)
        scanned.save()
        return made

    annotation = ValueJob("annotate", annotated, output, jobs, shared=archive_objects(archive))
    renders, pages = open_caches(settings, version)
    markdown_root = Path(setting(settings, "BRIEFINGS_MARKDOWN_DIR")).resolve()
    with timer.phase("markdown"):
        documents = write_entry_documents(archive, markdown_root, notes=note_blocks(notes))
    state = BuildState(archive=archive, documents=documents, problems=loaded.problems, timer=timer)
    state.renders, state.pages = renders, pages
    with timer.phase("read entries", total=len(archive.posts)) as step:
        _read_entries(generator, state, markdown_root, step)
    state.annotation, state.version = annotation, version
    _link_neighbours(archive, state.articles)
    generator.articles = order_content(generator.articles, settings["ARTICLE_ORDER_BY"])
    generator.context[CONTEXT_KEY] = state
    # Templates see a relative SITEURL for links; canonical URLs need the real one.
    generator.context["ABSOLUTE_SITEURL"] = settings["SITEURL"]
    # In a cold build annotate is done by now: its pages start on the other core
    # at once. In a rebuild the entries come from the cache and are read sooner:
    # the Briefings generator reads the day pages first, which need nothing of
    # it, and takes the briefing then (finish_briefing).
    if annotation.ready():
        finish_briefing(state, settings, output)


def finish_briefing(state: BuildState, settings: dict, output: Path) -> None:
    """The briefing, once annotate has made it: its pages' documents made, written
    and rendered on the other core (BriefingPages), the search index and JSON
    API started. Once per build. The entries get their chips and panels later,
    always at the same point (``attach_briefing``, by the Briefings generator),
    whichever order this build took."""
    if state.annotation is None:
        return
    annotation, state.annotation = state.annotation, None
    timer, archive, jobs = state.timer, state.archive, int(setting(settings, "BRIEFINGS_JOBS"))
    with timer.phase("annotate"):  # what the parent waits for it
        briefing, briefing_problems = annotation.result()
    report(briefing_problems)
    state.briefing, state.problems = briefing, state.problems + briefing_problems
    state.briefing_pages = BriefingPages(briefing, state.documents, state.renders, jobs, output)
    state.index_settings = search_settings(settings, briefing)
    state.search_job = start_search(archive, state.index_settings, settings, output, state.version)
    state.api_job = FilesJob("JSON API", lambda: export.api_files(archive, briefing), output, jobs=jobs)


def _read_entries(generator, state: BuildState, markdown_root: Path, step) -> None:
    """Each entry's Markdown document, through the reader, as a Pelican Article."""
    with own_documents(generator.readers):
        _read_entry_documents(generator, state, markdown_root, step)


def _read_entry_documents(generator, state: BuildState, markdown_root: Path, step) -> None:
    settings, archive, documents = generator.settings, state.archive, state.documents
    reader = use_renders(generator.readers, state)
    for post in archive.posts:
        # The document just written, from memory: neither read nor parsed again.
        reader.written[os.path.abspath(markdown_root / documents.entries[post.id])] = documents.written.pop(post.id)
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
        for wrapper in (article.category, *getattr(article, "authors", ())):
            wrapper.slug = urls.page_slug(wrapper.slug, wrapper.name)
        article.post = post
        article.time_label = time_label(post.entry)
        article.jsonld = publish.entry_jsonld(post, settings["SITEURL"])
        article.template = "briefings/entry"  # the plugin's, unless the theme has its own
        state.articles[post.id] = article
        generator.add_source_path(article)
        generator.articles.append(article)
        step()


def briefing_settings(settings: dict) -> BriefingSettings:
    """The BRIEFINGS_* settings annotate reads, read once (a bad value is an error here)."""
    return BriefingSettings.from_settings({name: setting(settings, name) for name in DEFAULTS})


def annotate_archive(archive: Archive, settings: dict, memo=None) -> tuple[Briefing, tuple[Problem, ...]]:
    """Periods, entities, cross-links, recaps and notes (annotate.py), settings read once."""
    return annotate(archive, briefing_settings(settings), Path(settings["PATH"]), memo)


def archive_objects(archive: Archive) -> list:
    """What the briefing refers to of the archive, which the parent has already:
    handed back from annotate's process as themselves, not as copies."""
    return [
        archive,
        *archive.blogs,
        *archive.days,
        *archive.posts,
        *(post.entry for post in archive.posts),
    ]


def open_memo(settings: dict, kind: str, version: str) -> reuse.PickleMemo:
    """``kind.pickle`` in the cache folder; without a cache folder, a memo that keeps nothing."""
    folder = setting(settings, "BRIEFINGS_CACHE_DIR")
    path = Path(folder).resolve() / f"{kind}.pickle" if folder else None
    return reuse.PickleMemo(path, version, fresh=setting(settings, "BRIEFINGS_FRESH"))


def remembered_parse(memo: reuse.PickleMemo):
    """``parse_dump``, taken from the last build for a dump whose text, path, year
    and date are unchanged (the plugin's version is the memo's)."""

    def parse(text: str, *, path: str, year, default_day):
        key = memo.key("dump", text, path, year, default_day)
        return memo.get(key, lambda: parse_dump(text, path=path, year=year, default_day=default_day))

    return parse


def attach_briefing(briefing: Briefing, articles: dict) -> None:
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


def start_search(
    archive: Archive, chosen: search.SearchSettings, settings: dict, output: Path, version: str
) -> FilesJob:
    """The search index only needs the archive and the briefing: build it on the
    other core while Pelican renders (BRIEFINGS_JOBS). An index of the same
    entries comes from the build cache (reuse.FileMemo)."""
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
    """Filters follow the briefing's periods; entities are indexed (found by
    "Scholz" also where the text said "Sholz")."""

    def entity_names(post) -> str:
        return " ".join(entity.name for entity in briefing.entities_of.get(post.id, ()))

    part_bytes = setting(settings, "BRIEFINGS_SEARCH_PART_BYTES")
    if isinstance(part_bytes, bool) or not isinstance(part_bytes, int) or part_bytes < 1:
        raise BriefingsError(
            "pelican.conf.py",
            None,
            f"BRIEFINGS_SEARCH_PART_BYTES must be a whole number of at least 1, not {part_bytes!r}",
        )
    return search.SearchSettings(
        snippet_length=int(setting(settings, "BRIEFINGS_SEARCH_SNIPPET_LENGTH")),
        title_boost=int(setting(settings, "BRIEFINGS_SEARCH_TITLE_BOOST")),
        extra_fields=(search.ExtraField("entities", entity_names, boost=3),),
        period_of=lambda post: briefing.period_of[post.id].name,
        part_bytes=part_bytes,
    )


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


class BriefingPages:
    """The recap, entity and then-and-now pages are the largest Markdown documents
    after the entries, and need nothing but the briefing: a forked child makes
    them, writes them beside the entries' documents and renders them, while the
    parent writes the entry and day pages. Nothing of it is on the way from
    annotate to those pages, the daily rebuild's longest path. The HTML comes
    back through the render cache (with one job, the parent does it all when
    taken)."""

    def __init__(self, briefing: Briefing, documents: Documents, renders: reuse.RenderCache, jobs: int, output: Path):
        self.renders = renders

        def make() -> tuple[tuple[str, ...], dict, dict]:
            parts: dict[str, tuple] = {}
            extra = briefing_documents(briefing, parts)
            files = finish_documents(documents, extra).files
            texts = [  # (kind, text), as the reader will ask for them
                pair
                for path, text in extra.items()
                for part in parts.get(path, (split_front_matter(text)[1],))
                for pair in block_texts(part)
            ]
            del extra  # written: 70 MiB at 10,000 entries, not kept
            md = make_markdown()
            how = {"html": md.render, "inline": md.renderInline}
            made = {
                renders.key(kind, text): how[kind](text)
                for kind, text in dict.fromkeys(texts)
                if not renders.known(kind, text)
            }
            return files, parts, made

        self.job = ValueJob("briefing pages", make, output, jobs)

    def take(self, state: BuildState) -> None:
        """Wait for the documents and their HTML: the HTML into the render cache,
        the entity pages' blocks and the documents written into ``state``."""
        files, parts, made = self.job.result()
        for key, html in made.items():
            self.renders.add(key, html)
        state.documents = replace(state.documents, files=files)
        state.briefing_parts = parts


def use_renders(readers, state: BuildState) -> MarkdownItReader:
    """Our Markdown reader in ``readers`` (one generator's), given the build's render
    cache. It is put there only once that generator has read the site's own
    content (entries are injected after Pelican read the articles), so the site's
    own Markdown keeps Pelican's reader and its settings."""
    reader = readers.readers.get("md")
    if not isinstance(reader, MarkdownItReader):
        reader = readers.readers["md"] = MarkdownItReader(readers.settings)
    reader.renders = state.renders
    return reader
