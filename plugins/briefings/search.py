"""Publish: the search index and document store, built with lunr.py for lunr.js 2.3.9.

Pure (no Pelican): takes the catalog's ``Archive`` and returns the files' text.

- One shard per period (a year, for now): ``search/index-2022.js`` holds the lunr
  index, ``search/store-2022.js`` what a result shows; ``search/manifest.js`` lists
  the shards and the filters. The page loads a shard only when a search needs it.
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
from contextlib import contextmanager
from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable

from lunr.builder import Builder
from lunr.index import Index
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

from . import stemmer, urls
from .catalog import Archive, Post
from .text import block_lines

GLOBAL = "BriefingsSearchData"
TITLE, BODY, BYLINE, LABELS = "title", "body", "byline", "labels"
SNIPPET_LENGTH = 320
TITLE_BOOST = 10

# lunr.py splits words at " \t\n\r\f\v", U+00A0 and "-"; these end a word too:
# the rest of JavaScript's white space (\s), dashes and "/". Each becomes one
# space, so that lunr's positions still point into the original text.
EXTRA_SEPARATORS = "\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000\ufeff" \
    + "\u2010\u2011\u2012\u2013\u2014\u2015/"
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
    # plugin): one shard, and one filter value, per period.
    period_of: Callable[[Post], str] = year_of


@dataclass(frozen=True)
class Shard:
    period: str
    posts: tuple[Post, ...]


@dataclass(frozen=True)
class Facets:
    """What the search page offers as filters: (value, shown) pairs."""

    periods: tuple[str, ...]  # newest first
    blogs: tuple[tuple[str, str], ...]  # (slug, title)
    labels: tuple[tuple[str, str], ...]  # ("breaking", "Breaking")


def prepare(text: str) -> str:
    """Text as lunr should split it; same length, so positions stay valid."""
    return _POSSESSIVE.sub("  ", text.translate(_PREPARE))


def shards(archive: Archive, period_of: Callable[[Post], str] = year_of) -> tuple[Shard, ...]:
    """One shard per period, the newest period first."""
    by_period: dict[str, list[Post]] = {}
    for post in archive.posts:
        by_period.setdefault(period_of(post), []).append(post)
    newest_first = sorted(by_period, key=lambda period: (by_period[period][-1].entry.day, period), reverse=True)
    return tuple(Shard(period, tuple(by_period[period])) for period in newest_first)


def facets(archive: Archive, period_of: Callable[[Post], str] = year_of) -> Facets:
    labels: dict[str, str] = {}
    for post in archive.posts:
        for label in post.entry.labels:
            labels.setdefault(label.lower(), label)
    return Facets(
        periods=tuple(shard.period for shard in shards(archive, period_of)),
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
    ("\\", "\\\\"), ("'", "\\'"), ("\n", "\\n"), ("\r", "\\r"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
    ("<", "\\x3C"), (">", "\\x3E"),  # no "</script>" or "<!--" in any context
)


def js_string(text: str) -> str:
    """``text`` as a single-quoted JavaScript string literal."""
    for character, escape in _JS_ESCAPES:  # str.replace: fast on the megabytes of an index
        text = text.replace(character, escape)
    return "'" + text + "'"


def js_assignment(key: str, data, comment: str) -> str:
    """A classic script that stores ``data`` as ``BriefingsSearchData[key]``."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        f"/* {comment.replace('*/', '')} (generated by Briefings; see plugins/briefings/search.py) */\n"
        f"(window.{GLOBAL} = window.{GLOBAL} || {{}})[{js_string(key)}] = JSON.parse({js_string(payload)});\n"
    )


def manifest(archive: Archive, built: list[tuple[Shard, int]], settings: SearchSettings) -> dict:
    found = facets(archive, settings.period_of)
    return {
        "version": 1,
        "fields": [TITLE, BODY, BYLINE, LABELS] + [extra.name for extra in settings.extra_fields],
        "shards": [
            {"period": shard.period, "entries": len(shard.posts), "bytes": size,
             "index": urls.search_index_url(shard.period), "store": urls.search_store_url(shard.period)}
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


def search_files(archive: Archive, settings: SearchSettings = SearchSettings()) -> dict[str, str]:
    """Every file of the search data, by its path relative to the site root."""
    with cyclic_gc_paused():
        return _search_files(archive, settings)


def _search_files(archive: Archive, settings: SearchSettings) -> dict[str, str]:
    files: dict[str, str] = {}
    built = []
    for shard in shards(archive, settings.period_of):
        records = [store_record(post, settings) for post in shard.posts]
        shown = {str(ref): len(record["snippet"].removesuffix("\u2026")) for ref, record in enumerate(records)}
        index = serialize_index(build_index(shard.posts, settings), shown)
        index_file = js_assignment(f"index/{shard.period}", index, f"lunr index, {shard.period}")
        store_file = js_assignment(f"store/{shard.period}", records, f"search results, {shard.period}")
        files[urls.search_index_url(shard.period)] = index_file
        files[urls.search_store_url(shard.period)] = store_file
        built.append((shard, len(index_file.encode("utf-8")) + len(store_file.encode("utf-8"))))
    files[urls.search_manifest_url()] = js_assignment("manifest", manifest(archive, built, settings), "search shards and filters")
    return files
