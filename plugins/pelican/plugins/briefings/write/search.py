"""Publish: the search index, split by term, built with lunr.py for lunr.js 2.3.9.

Pure (no Pelican): takes the catalog's ``Archive`` and returns the files' text.

- One lunr index over the whole archive, built by lunr.py, then cut by term
  (search_parts.py): ``search/terms/N.js`` holds, for a run of terms in UTF-16
  order, each term's postings and its weight in every field it occurs in (the
  elements of lunr's field vectors). The page loads the parts that hold the
  query's words, or for a prefix the terms it starts, and builds a
  ``lunr.Index`` of just those terms: lunr.js scores a query exactly as it would
  with the whole index, because a result's score only reads the query's terms
  (the dot product of the query vector with the field vector, divided by the
  query vector's magnitude).
- ``search/entries.js``: what filters need for every entry (period, blog, day,
  labels), run-length coded, so that the count and the filters cover the whole
  archive. ``search/entry/N.js``: one entry's title, address and text, loaded
  only when its result is shown (a page of results at a time). ``N`` is the
  entry's place in the archive, oldest first: the lunr ref.
- ``search/manifest.js`` lists the parts' first terms, the fields and the filters.
- Each file is a classic script that assigns into the global
  ``BriefingsSearchData`` with ``JSON.parse('…')``: browsers refuse ``fetch()``
  from ``file://``, but not ``<script src>``, and a JSON string parses faster
  than the same data as a JavaScript literal.
- Fields: title (boosted), body, byline, labels, and any ``ExtraField``
  (entities). No positions are kept: the page finds the words to highlight in
  the entry's text itself, with the same analysis.

Text is prepared for lunr the same way ``plugins/pelican/plugins/briefings/static/js/search/analysis.js``
prepares a query (``prepare``, ``trim``), and stemmed with lunr.js's own stemmer
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
from types import MappingProxyType

from lunr.builder import Builder
from lunr.index import Index
from lunr.stop_word_filter import stop_word_filter
from lunr.trimmer import trimmer

from .. import urls
from ..ingest.catalog import Archive, Post
from ..text import block_lines
from . import search_parts, stemmer

GLOBAL = "BriefingsSearchData"
TITLE, BODY, BYLINE, LABELS = "title", "body", "byline", "labels"
SNIPPET_LENGTH = 320
TITLE_BOOST = 10
# The uncompressed size a term part aims at (one term's postings may be more):
# about 15 KB gzipped, so a word rarely loads much it does not need, and a
# prefix rarely needs more than one or two parts (docs/search.md).
PART_BYTES = 40_000

# lunr.py splits words at " \t\n\r\f\v", U+00A0 and "-"; these end a word too:
# the rest of JavaScript's white space (\s), dashes and "/". Each becomes one
# space, so that offsets still point into the original text.
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
    snippet_length: int = SNIPPET_LENGTH  # characters of text a result shows
    title_boost: int = TITLE_BOOST
    extra_fields: tuple[ExtraField, ...] = ()
    # The period an entry belongs to (annotate.py's periods when built by the
    # plugin): one filter value per period.
    period_of: Callable[[Post], str] = year_of
    part_bytes: int = PART_BYTES


@dataclass(frozen=True)
class Facets:
    """What the search page offers as filters: (value, shown) pairs."""

    periods: tuple[str, ...]  # newest first
    blogs: tuple[tuple[str, str], ...]  # (slug, title)
    labels: tuple[tuple[str, str], ...]  # ("breaking", "Breaking")


def prepare(text: str) -> str:
    """Text as lunr should split it; same length, so offsets stay valid."""
    return _POSSESSIVE.sub("  ", text.translate(_PREPARE))


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


def entry_record(post: Post) -> dict:
    """What a result shows: the page finds the passage and the words to mark."""
    return {
        "title": post.entry.title,
        "url": post.url,
        "day": post.entry.day.isoformat(),
        "blog": post.blog.slug,
        "labels": list(post.entry.labels),
        "text": body_text(post),
        "byline": byline_text(post),
    }


def fields(settings: SearchSettings) -> list[str]:
    return [TITLE, BODY, BYLINE, LABELS] + [extra.name for extra in settings.extra_fields]


def index_documents(posts: tuple[Post, ...], settings: SearchSettings) -> list[dict]:
    """lunr documents; refs are places in the archive ("0", "1", …, oldest
    first), as a ref is repeated in every posting."""
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


def new_builder(settings: SearchSettings = SearchSettings()) -> Builder:
    """lunr.py's default builder, stemming as lunr.js does (stemmer.py), with
    our fields and no metadata (no positions)."""
    builder = Builder()
    stem = stemmer.pipeline_function()
    builder.pipeline.add(trimmer, stop_word_filter, stem)
    builder.search_pipeline.add(stem)
    builder.ref("ref")
    builder.field(TITLE, boost=settings.title_boost)
    for name in (BODY, BYLINE, LABELS):
        builder.field(name)
    for extra in settings.extra_fields:
        builder.field(extra.name, boost=extra.boost)
    builder.metadata_whitelist = []
    return builder


def fill_builder(posts: tuple[Post, ...], settings: SearchSettings) -> Builder:
    """Every entry added to lunr.py's Builder and the field vectors computed:
    what ``Builder.build`` does but the token set. The tests compare it with
    ``search_parts.term_postings``, which the build uses."""
    builder = new_builder(settings)
    for document in index_documents(posts, settings):
        builder.add(document)
    builder._calculate_average_field_lengths()
    builder._create_field_vectors()
    return builder


def build_index(posts: tuple[Post, ...], settings: SearchSettings) -> Index:
    """One whole lunr index: what the parts, put together, must score as."""
    builder = new_builder(settings)
    for document in index_documents(posts, settings):
        builder.add(document)
    return builder.build()


def utf16_key(term: str) -> bytes:
    """Sort key in UTF-16 code unit order, the order of JavaScript's ``<``."""
    return term.encode("utf-16-be", "surrogatepass")


def serialize_index(index: Index) -> dict:
    """lunr.py's serialisation, fixed for lunr.js: terms in UTF-16 order, as
    lunr.js inserts them into its token set ("Out of order word insertion"
    otherwise: lunr.py issue 144, "🚀" before "ｆ" (U+FF46))."""
    serialized = index.serialize()
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


def runs(values) -> list[list]:
    """[[value, how many in a row], …]"""
    found: list[list] = []
    for value in values:
        if found and found[-1][0] == value:
            found[-1][1] += 1
        else:
            found.append([value, 1])
    return found


def entries_table(archive: Archive, settings: SearchSettings) -> dict:
    """Every entry's period, blog, day and labels, by ref, for the filters, the
    count and the order of equal scores: runs of equal values, and for each
    label the gaps between the refs that have it."""
    found = facets(archive, settings.period_of)
    period_number = {period: number for number, period in enumerate(found.periods)}
    blog_number = {slug: number for number, (slug, _title) in enumerate(found.blogs)}
    labelled: dict[str, list[int]] = {value: [] for value, _shown in found.labels}
    for ref, post in enumerate(archive.posts):
        for value in dict.fromkeys(label.lower() for label in post.entry.labels):
            labelled[value].append(ref)
    return {
        "count": len(archive.posts),
        "periods": runs(period_number[settings.period_of(post)] for post in archive.posts),
        "blogs": runs(blog_number[post.blog.slug] for post in archive.posts),
        "days": runs(post.entry.day.isoformat() for post in archive.posts),
        "labels": {value: search_parts.gaps(refs) for value, refs in labelled.items()},
    }


def manifest(archive: Archive, settings: SearchSettings, parts: list[str], pipeline: list) -> dict:
    found = facets(archive, settings.period_of)
    return {
        "version": 3,
        "fields": fields(settings),
        "pipeline": pipeline,
        "snippet": settings.snippet_length,
        "entries": len(archive.posts),
        "parts": parts,
        "periods": list(found.periods),
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


def index_files(archive: Archive, settings: SearchSettings) -> tuple[str, ...]:
    """The term parts, the entries' table and the manifest, as (path, text,
    path, text, …): everything made from the whole archive's index."""
    with cyclic_gc_paused():
        pipeline, parts = new_builder(settings).search_pipeline.serialize(), []
        if archive.posts:  # lunr.py divides by the number of entries
            made = search_parts.term_postings(new_builder(settings), index_documents(archive.posts, settings))
            parts = search_parts.term_parts(made, settings.part_bytes, utf16_key)
            del made
        made: list[str] = []
        for number, part in enumerate(parts):
            made += [urls.search_terms_url(number), js_assignment(f"terms/{number}", part.terms, part.comment)]
        made += [
            urls.search_entries_url(),
            js_assignment("entries", entries_table(archive, settings), "every entry, for the filters"),
            urls.search_manifest_url(),
            js_assignment("manifest", manifest(archive, settings, [p.first for p in parts], pipeline), "search"),
        ]
        return tuple(made)


def index_inputs(archive: Archive, settings: SearchSettings) -> str:
    """Everything ``index_files`` makes its files from, as one text: the same
    text, the same files (with the same code: reuse.FileMemo keys on both)."""
    found = facets(archive, settings.period_of)
    return json.dumps(
        [
            settings.snippet_length,
            settings.title_boost,
            settings.part_bytes,
            [(extra.name, extra.boost) for extra in settings.extra_fields],
            index_documents(archive.posts, settings),
            [
                (settings.period_of(post), post.blog.slug, post.entry.day.isoformat(), post.entry.labels)
                for post in archive.posts
            ],
            found.periods,
            found.blogs,
        ],
        ensure_ascii=False,
    )


def search_file_items(
    archive: Archive, settings: SearchSettings = SearchSettings(), memo=None
) -> Iterator[tuple[str, str]]:
    """Every file of the search data as (path relative to the site root, text):
    each entry's, then the index's. ``memo``: the index a previous build made of
    the same entries (reuse.FileMemo, by ``index_inputs``)."""
    for ref, post in enumerate(archive.posts):
        yield urls.search_entry_url(ref), js_assignment(f"entry/{ref}", entry_record(post), "a search result")
    if memo is None:
        made = index_files(archive, settings)
    else:
        made = memo.made("search index", index_inputs(archive, settings), lambda _: index_files(archive, settings))
    yield from zip(made[::2], made[1::2])


def search_files(archive: Archive, settings: SearchSettings = SearchSettings()) -> dict[str, str]:
    """Every file of the search data, by its path relative to the site root."""
    return dict(search_file_items(archive, settings))
