"""Publish: the search index and document store, built with lunr.py for lunr.js 2.3.9.

Pure (no Pelican): takes the catalog's ``Archive`` and returns the files' text.

- One shard per calendar month of a period (a year, or a named period):
  ``search/index-2022-2022-02.js`` holds the lunr index,
  ``search/store-2022-2022-02.js`` what a result shows; ``search/manifest.js``
  lists the shards, newest first, and the filters. A month of more than
  ``shard_entries`` entries is cut into parts of whole days (``…-2022-02-2``,
  ``-3``…), from its first day forward, so a newer day only ever changes the last
  part. The page loads shards when a search needs them, newest first.
- A shard's files depend on nothing but its own entries and the settings (refs,
  term statistics and ``_index`` numbers are the shard's own), so adding newer
  days leaves every earlier shard byte for byte as it was; except through the
  ``ExtraField`` texts, which the plugin takes from the whole archive's entities.
- Shards are built one after another and each lunr index is dropped before the
  next is built: the peak memory is that of one shard, not of a period.
- Each file is a classic script that assigns into the global
  ``BriefingsSearchData`` with ``JSON.parse('…')``: browsers refuse ``fetch()``
  from ``file://``, but not ``<script src>``, and a JSON string parses faster
  than the same data as a JavaScript literal.
- Fields: title (boosted), body, byline, labels, and any ``ExtraField`` (entities,
  once they exist). Term positions are kept where a result can show them: in
  the title, and in the body as far as the stored snippet reaches.
- lunr.py sorts the inverted index by code point, lunr.js inserts it into its
  token set in UTF-16 order, so "🚀" and "ｆ" (U+FF46) in one index made
  ``lunr.Index.load`` throw "Out of order word insertion" (lunr.py issue 144):
  ``serialize_index`` re-sorts by UTF-16 code units.

Text is prepared for lunr the same way ``theme/static/js/search.js`` prepares a
query (``prepare``, ``trim``), and stemmed with lunr.js's own stemmer
(stemmer.py): change one side and change the other; the browser tests compare
them word for word.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from types import MappingProxyType

from lunr.builder import Builder
from lunr.index import Index
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

from .. import urls
from ..ingest.catalog import Archive, Post
from ..text import block_lines
from . import stemmer

GLOBAL = "BriefingsSearchData"
TITLE, BODY, BYLINE, LABELS = "title", "body", "byline", "labels"
SNIPPET_LENGTH = 320
TITLE_BOOST = 10
# Entries per shard at most (unless one day alone has more): a shard this size is
# ready for its first query in about 230 ms, under the 300 ms aimed at, where 2,000
# took 330 ms (README, "Size and load time").
SHARD_ENTRIES = 1500

# lunr.py splits words at " \t\n\r\f\v", U+00A0 and "-"; these end a word too:
# the rest of JavaScript's white space (\s), dashes and "/". Each becomes one
# space, so that lunr's positions still point into the original text.
EXTRA_SEPARATORS = (
    "\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "\u2010\u2011\u2012\u2013\u2014\u2015/"
)
# Curly apostrophes become straight ones, and a possessive "'s" is dropped (two
# spaces), so "Russia’s" is found by "russia" and by "Russia's".
APOSTROPHES = "\u2018\u2019\u02bc\u2032"
_PREPARE = MappingProxyType(str.maketrans({**{c: " " for c in EXTRA_SEPARATORS}, **{c: "'" for c in APOSTROPHES}}))
_POSSESSIVE = re.compile(r"(?<=\w)'s(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class ExtraField:
    """One more text to index for each entry (entities, say); found, not shown."""

    name: str  # no "/" (lunr's rule)
    text: Callable[[Post], str]
    boost: int = 1


def year_of(post: Post) -> str:
    return str(post.entry.day.year)


@dataclass(frozen=True)
class SearchSettings:
    snippet_length: int = SNIPPET_LENGTH
    title_boost: int = TITLE_BOOST
    extra_fields: tuple[ExtraField, ...] = ()
    # The period an entry belongs to (annotate.py's periods when built by the
    # plugin): one filter value per period, and shards within periods.
    period_of: Callable[[Post], str] = year_of
    shard_entries: int = SHARD_ENTRIES


@dataclass(frozen=True)
class Shard:
    """Entries of one period and calendar month, or a part of them, oldest first."""

    period: str
    month: str  # "2022-02"
    part: int  # 1, 2, … within the month
    posts: tuple[Post, ...]

    @property
    def key(self) -> str:
        return urls.search_shard_key(self.period, self.month, self.part)

    @property
    def first(self) -> date:
        return self.posts[0].entry.day

    @property
    def last(self) -> date:
        return self.posts[-1].entry.day


@dataclass(frozen=True)
class Facets:
    """What the search page offers as filters: (value, shown) pairs."""

    periods: tuple[str, ...]  # newest first
    blogs: tuple[tuple[str, str], ...]  # (slug, title)
    labels: tuple[tuple[str, str], ...]  # ("breaking", "Breaking")


def prepare(text: str) -> str:
    """Text as lunr should split it; same length, so positions stay valid."""
    return _POSSESSIVE.sub("  ", text.translate(_PREPARE))


def month_parts(posts: tuple[Post, ...], limit: int) -> list[tuple[Post, ...]]:
    """A month's posts (oldest first) in parts of at most ``limit``, cut only between
    days, from the first day forward: a day that does not fit in the part so far
    starts the next one, so a newer day changes the last part and no other. A day
    with more than ``limit`` entries on its own is cut into parts of ``limit``."""
    parts: list[list[Post]] = [[]]
    for _day, day_posts in groupby(posts, key=lambda post: post.entry.day):
        day_posts = list(day_posts)
        if parts[-1] and len(parts[-1]) + len(day_posts) > limit:
            parts.append([])
        for post in day_posts:
            if len(parts[-1]) == limit:
                parts.append([])
            parts[-1].append(post)
    return [tuple(part) for part in parts if part]


def shards(archive: Archive, settings: SearchSettings = SearchSettings()) -> tuple[Shard, ...]:
    """Each period's months, cut into parts of at most ``settings.shard_entries``;
    the newest shard first."""
    months: dict[tuple[str, str], list[Post]] = {}
    for post in archive.posts:  # oldest first
        months.setdefault(
            (settings.period_of(post), f"{post.entry.day.year:04d}-{post.entry.day.month:02d}"), []
        ).append(post)
    found = [
        Shard(period, month, number, part)
        for (period, month), posts in months.items()
        for number, part in enumerate(month_parts(tuple(posts), settings.shard_entries), 1)
    ]
    return tuple(sorted(found, key=lambda shard: (shard.last, shard.first, shard.part), reverse=True))


def periods(archive: Archive, period_of: Callable[[Post], str] = year_of) -> tuple[str, ...]:
    """The periods that have entries, the one with the newest entry first."""
    newest: dict[str, date] = {}
    for post in archive.posts:  # oldest first: the last one seen is the newest
        newest[period_of(post)] = post.entry.day
    return tuple(sorted(newest, key=lambda period: (newest[period], period), reverse=True))


def facets(archive: Archive, period_of: Callable[[Post], str] = year_of) -> Facets:
    labels: dict[str, str] = {}
    for post in archive.posts:
        for label in post.entry.labels:
            labels.setdefault(label.lower(), label)
    return Facets(
        periods=periods(archive, period_of),
        blogs=tuple((blog.slug, blog.title) for blog in archive.blogs),
        labels=tuple(sorted(labels.items())),
    )


def body_text(post: Post) -> str:
    return "\n\n".join(line for block in post.entry.blocks for line in block_lines(block))


def byline_text(post: Post) -> str:
    byline = post.entry.byline
    return " ".join(filter(None, (byline.name, byline.role))) if byline else ""


def snippet(body: str, length: int) -> str:
    """The body's opening, cut at a space; a prefix of ``body`` (so index positions
    apply to it) followed by "…" when something was cut."""
    if len(body) <= length:
        return body
    cut = body[:length]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > length // 2 else cut).rstrip() + "\u2026"


def store_record(post: Post, settings: SearchSettings) -> dict:
    return {
        "title": post.entry.title,
        "url": post.url,
        "day": post.entry.day.isoformat(),
        "blog": post.blog.slug,
        "period": settings.period_of(post),
        "labels": list(post.entry.labels),
        "snippet": snippet(body_text(post), settings.snippet_length),
    }


def index_documents(posts: tuple[Post, ...], settings: SearchSettings) -> list[dict]:
    """lunr documents; refs are positions in the shard's store ("0", "1", …), as
    a ref is repeated in every posting and field vector."""
    documents = []
    for ref, post in enumerate(posts):
        document = {
            "ref": str(ref),
            TITLE: post.entry.title,
            BODY: body_text(post),
            BYLINE: byline_text(post),
            LABELS: " ".join(post.entry.labels),
        }
        for extra in settings.extra_fields:
            document[extra.name] = extra.text(post)
        documents.append({key: prepare(value) if key != "ref" else value for key, value in document.items()})
    return documents


def new_builder() -> Builder:
    """lunr.py's default builder, but stemming as lunr.js does (stemmer.py)."""
    builder = Builder()
    stem = stemmer.pipeline_function()
    builder.pipeline.add(trimmer, stop_word_filter, stem)
    builder.search_pipeline.add(stem)
    return builder


def build_index(posts: tuple[Post, ...], settings: SearchSettings) -> Index:
    builder = new_builder()
    builder.ref("ref")
    builder.field(TITLE, boost=settings.title_boost)
    for name in (BODY, BYLINE, LABELS):
        builder.field(name)
    for extra in settings.extra_fields:
        builder.field(extra.name, boost=extra.boost)
    builder.metadata_whitelist = ["position"]
    for document in index_documents(posts, settings):
        builder.add(document)
    return builder.build()


def utf16_key(term: str) -> bytes:
    """Sort key in UTF-16 code unit order, the order of JavaScript's ``<``."""
    return term.encode("utf-16-be", "surrogatepass")


def serialize_index(index: Index, shown: dict[str, int]) -> dict:
    """lunr.py's serialisation, fixed for lunr.js: terms in UTF-16 order, and
    positions only where a result shows them (the title, and the body up to
    ``shown[ref]`` characters: its snippet)."""
    serialized = index.serialize()
    for _term, posting in serialized["invertedIndex"]:
        for field, documents in posting.items():
            if field == "_index":
                continue
            for ref, metadata in documents.items():
                positions = metadata.get("position", [])
                if field == BODY:
                    positions = [p for p in positions if p[0] + p[1] <= shown[ref]]
                elif field != TITLE:
                    positions = []
                documents[ref] = {"position": positions} if positions else {}
    serialized["invertedIndex"].sort(key=lambda pair: utf16_key(pair[0]))
    return serialized


# Backslash first, so the escapes' own backslashes are not doubled.
_JS_ESCAPES = (
    ("\\", "\\\\"),
    ("'", "\\'"),
    ("\n", "\\n"),
    ("\r", "\\r"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
    ("<", "\\x3C"),
    (">", "\\x3E"),  # no "</script>" or "<!--" in any context
)


def js_string(text: str) -> str:
    """``text`` as a single-quoted JavaScript string literal."""
    for character, escape in _JS_ESCAPES:  # str.replace: fast on the megabytes of an index
        text = text.replace(character, escape)
    return "'" + text + "'"


def js_assignment(key: str, data, comment: str) -> str:
    """A classic script that stores ``data`` as ``BriefingsSearchData[key]``.
    ``comment`` (it names the shard's period, from the settings) is a string
    literal, as escaped as the data: text inside a ``/* */`` comment could end it."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        "/* generated by Briefings; see plugins/pelican/plugins/briefings/write/search.py */\n"
        f"void {js_string(comment)};\n"
        f"(window.{GLOBAL} = window.{GLOBAL} || {{}})[{js_string(key)}] = JSON.parse({js_string(payload)});\n"
    )


def manifest(archive: Archive, built: list[tuple[Shard, int]], settings: SearchSettings) -> dict:
    found = facets(archive, settings.period_of)
    return {
        "version": 2,
        "fields": [TITLE, BODY, BYLINE, LABELS] + [extra.name for extra in settings.extra_fields],
        "shards": [
            {
                "key": shard.key,
                "period": shard.period,
                "month": shard.month,
                "part": shard.part,
                "first": shard.first.isoformat(),
                "last": shard.last.isoformat(),
                "entries": len(shard.posts),
                "bytes": size,
                "index": urls.search_index_url(shard.key),
                "store": urls.search_store_url(shard.key),
            }
            for shard, size in built
        ],
        "blogs": [{"slug": slug, "title": title} for slug, title in found.blogs],
        "labels": [{"value": value, "label": shown} for value, shown in found.labels],
    }


@contextmanager
def cyclic_gc_paused():
    """An index is millions of small objects and no garbage cycles, which Python's
    cycle collector would scan again and again: two thirds of the build time at
    10,000 entries. Paused only while building, and only if it was running."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def shard_files(shard: Shard, settings: SearchSettings) -> tuple[str, str]:
    """A shard's index and store scripts. Its lunr index lives only in here, so it
    is freed on return, before the next shard's is built."""
    with cyclic_gc_paused():
        records = [store_record(post, settings) for post in shard.posts]
        shown = {str(ref): len(record["snippet"].removesuffix("\u2026")) for ref, record in enumerate(records)}
        index = serialize_index(build_index(shard.posts, settings), shown)
        where = f"{shard.period}, {shard.first.isoformat()} to {shard.last.isoformat()}"
        return (
            js_assignment(f"index/{shard.key}", index, f"lunr index, {where}"),
            js_assignment(f"store/{shard.key}", records, f"search results, {where}"),
        )


def shard_inputs(shard: Shard, settings: SearchSettings) -> str:
    """Everything ``shard_files`` makes a shard's files from, as one text: the same
    text, the same files (with the same code: reuse.FileMemo keys on both)."""
    return json.dumps(
        [
            shard.key,
            shard.period,
            shard.first.isoformat(),
            shard.last.isoformat(),
            settings.snippet_length,
            settings.title_boost,
            [(extra.name, extra.boost) for extra in settings.extra_fields],
            index_documents(shard.posts, settings),
            [store_record(post, settings) for post in shard.posts],
        ],
        ensure_ascii=False,
    )


def search_file_items(
    archive: Archive, settings: SearchSettings = SearchSettings(), memo=None
) -> Iterator[tuple[str, str]]:
    """Every file of the search data as (path relative to the site root, text),
    shard by shard, newest first, then the manifest: a caller that writes each
    file as it comes holds one shard's files at a time. ``memo``: the shards a
    previous build made (reuse.FileMemo), by ``shard_inputs``."""
    built, keys = [], set()
    for shard in shards(archive, settings):
        if shard.key in keys:  # periods whose names make the same slug
            raise ValueError(f"two search shards would both be named {shard.key!r}: give the periods other names")
        keys.add(shard.key)
        if memo is None:
            index_file, store_file = shard_files(shard, settings)
        else:
            index_file, store_file = memo.made(
                "search shard", shard_inputs(shard, settings), lambda _, shard=shard: shard_files(shard, settings)
            )
        built.append((shard, len(index_file.encode("utf-8")) + len(store_file.encode("utf-8"))))
        yield urls.search_index_url(shard.key), index_file
        yield urls.search_store_url(shard.key), store_file
    yield (
        urls.search_manifest_url(),
        js_assignment("manifest", manifest(archive, built, settings), "search shards and filters"),
    )


def search_files(archive: Archive, settings: SearchSettings = SearchSettings()) -> dict[str, str]:
    """Every file of the search data, by its path relative to the site root."""
    return dict(search_file_items(archive, settings))
