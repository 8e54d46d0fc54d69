"""Annotate: the archive -> one frozen ``Briefing``.

What a reader needs beyond the entries themselves: the period of every entry,
the entities it names, its cross-links into other periods, a recap of every day
and blog, the threads of the then-and-now page, and the editor's notes. This
stage reads the archive and two optional inputs beside the dumps
(``entities.yaml`` and ``annotations/``), and nothing else; it knows nothing of
Pelican or HTML.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import urls
from ..errors import BriefingsError, Problem
from ..ingest.catalog import Archive, Day, Post
from ..model import Blog, Entry, Paragraph
from ..text import block_lines
from . import links, meaning
from .entities import (
    DETECTED,
    PHRASE,
    Entity,
    Gazetteer,
    detected_entity,
    find_mentions,
    is_name,
    key_phrases,
    load_gazetteer,
    prose_words,
)
from .entities import words as words_of
from .notes import Note, load_notes
from .periods import Period, PeriodScheme, coverage_label, gap_phrase, scheme_from_setting
from .recaps import Recap, RecapSettings, build_recaps
from .threads import Link, Thread, build_threads

# A closing entry's list of staff, in any wording ("Our coverage was provided by",
# "Our editors today were", "The writers of today's live page were", "Today's
# updates were brought to you by"): who wrote the page, not what an entry is about.
CREDITS = re.compile(
    # who: "Our coverage", "Today's updates", "The writers", "This page's editors"
    r"^\W*(?i:our|today['\u2019]s|the|this(?:\s+page['\u2019]s)?)\s+(?:(?i:[a-z'\u2019-]+)\s+){0,3}?"
    r"(?i:coverage|editors?|writers?|reporters?|producers?|journalists?|team|updates|contributors?)"
    # when or where, at most: "today", "of today's live page", "on this page"
    r"(?:\s+(?i:today|of\s+today['\u2019]s\s+live\s+page|of\s+this\s+(?:live\s+)?page|on\s+this\s+page))?"
    # then straight away the names: "were Alex …", "was provided by: Jane …", "brought to you by Kim …"
    r"\s+(?:(?i:(?:was|were)\s+)?(?i:provided|brought\s+to\s+you|written|edited|produced|put\s+together|compiled)"
    r"\s+(?i:by)\s*:?\s*\S|(?i:was|were|included)\s*:?\s*[A-Z])"
)
CREDITS_LENGTH = 400  # a list of names, not a paragraph of news
SIMILAR = "close in meaning"  # the reason of a link that shares no name
KIND_ORDER = ("topic", "person", "organisation", "place", DETECTED, PHRASE)


@dataclass(frozen=True)
class BriefingSettings:
    """Every ``BRIEFINGS_*`` setting of this stage, read once (README, "Settings")."""

    periods: PeriodScheme = field(default_factory=PeriodScheme)
    entities_file: str = "entities.yaml"
    annotations_dir: str = "annotations"
    detect_names: bool = True
    related_per_period: int = 3
    related_threshold: float = 0.0  # a floor on the similarity itself, under the calibrated standout
    related: links.Tuning = field(default_factory=links.Tuning)
    day_links: int = 5
    recap: RecapSettings = field(default_factory=RecapSettings)
    threads: int = 12
    thread_entries: int = 4

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], where: str = "pelican.conf.py") -> BriefingSettings:
        """From Pelican's settings; a value of the wrong kind is a ``BriefingsError``."""
        default = cls()

        def get(name, fallback, kind, low=None, high=None):
            value = settings.get(name, fallback)
            if kind is bool:
                if not isinstance(value, bool):
                    raise BriefingsError(where, None, f"{name} must be True or False, not {value!r}")
                return value
            if kind is str:
                if not isinstance(value, str) or not value:
                    raise BriefingsError(where, None, f"{name} must be a folder or file name, not {value!r}")
                return value
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
                raise BriefingsError(
                    where, None, f"{name} must be {'a whole number' if kind is int else 'a number'}, not {value!r}"
                )
            if (low is not None and value < low) or (high is not None and value > high):
                raise BriefingsError(where, None, f"{name} must be between {low} and {high}, not {value!r}")
            return kind(value)

        lookback = settings.get("BRIEFINGS_RECAP_LOOKBACK_DAYS", default.recap.lookback_days)
        threshold = get("BRIEFINGS_RELATED_THRESHOLD", default.related_threshold, float, 0, 1)
        return cls(
            periods=scheme_from_setting(settings.get("BRIEFINGS_PERIODS"), where),
            entities_file=get("BRIEFINGS_ENTITIES_FILE", default.entities_file, str),
            annotations_dir=get("BRIEFINGS_ANNOTATIONS_DIR", default.annotations_dir, str),
            detect_names=get("BRIEFINGS_DETECT_NAMES", default.detect_names, bool),
            related_per_period=get("BRIEFINGS_RELATED_PER_PERIOD", default.related_per_period, int, 0, 50),
            related_threshold=threshold,
            related=links.Tuning(
                name_weight=get("BRIEFINGS_RELATED_ENTITY_WEIGHT", default.related.name_weight, float, 0, 1),
                common_share=get("BRIEFINGS_RELATED_COMMON_SHARE", default.related.common_share, float, 0, 1),
                standout=get("BRIEFINGS_RELATED_STANDOUT", default.related.standout, float, 0, 10),
                blend=get("BRIEFINGS_RELATED_BLEND", default.related.blend, float, 0, 0.9),
                context=get("BRIEFINGS_RELATED_CONTEXT", default.related.context, float, 0, 1),
                context_standout=get(
                    "BRIEFINGS_RELATED_CONTEXT_STANDOUT", default.related.context_standout, float, -10, 10
                ),
            ),
            day_links=get("BRIEFINGS_DAY_LINKS", default.day_links, int, 0, 50),
            recap=RecapSettings(
                items=get("BRIEFINGS_RECAP_ITEMS", default.recap.items, int, 0, 100),
                same_period=get("BRIEFINGS_RECAP_SAME_PERIOD", default.recap.same_period, int, 0, 100),
                own_events=get("BRIEFINGS_RECAP_OWN_EVENTS", default.recap.own_events, int, 0, 100),
                lookback_days=None if lookback is None else get("BRIEFINGS_RECAP_LOOKBACK_DAYS", None, int, 0, None),
                threshold=threshold,
            ),
            threads=get("BRIEFINGS_THREADS", default.threads, int, 0, 1000),
            thread_entries=get("BRIEFINGS_THREAD_ENTRIES", default.thread_entries, int, 1, 100),
        )


@dataclass(frozen=True)
class CrossLink:
    """An entry of another period about the same thing, and why."""

    source: Post
    target: Post
    period: Period  # the target's
    score: float  # standard deviations above the archive's mean pair across periods
    shared: tuple[Entity, ...]  # weightiest first; maybe none: alike in meaning, not in names

    @property
    def reason(self) -> str:
        if not self.shared:
            return SIMILAR
        return "both about: " + ", ".join(entity.name for entity in self.shared[:3])


@dataclass(frozen=True)
class Panel:
    """The links of one page into one other period."""

    period: Period
    label: str  # what the period covers: "Feb 2022"
    direction: str  # "Then" (an earlier period) or "Later"
    gap: str  # "Three years earlier", from the page's day to the linked entries
    links: tuple[CrossLink, ...]


@dataclass(frozen=True)
class Briefing:
    periods: tuple[Period, ...]  # periods with coverage, oldest first
    labels: Mapping[str, str]  # period key -> "Feb 2022"
    period_of: Mapping[str, Period]  # post id -> period
    entities: tuple[Entity, ...]  # every entity named by some entry, by kind then name
    entities_of: Mapping[str, tuple[Entity, ...]]  # post id -> its entities, by kind then first mention
    posts_of: Mapping[str, tuple[Post, ...]]  # entity slug -> its entries, oldest first
    related: Mapping[str, tuple[CrossLink, ...]]  # post id -> its cross-links, period by period, best first
    recaps: tuple[Recap, ...]
    threads: tuple[Thread, ...]
    notes: tuple[Note, ...]
    day_links: int = 5
    # Lookups by key, so pages find their recap and notes without scanning.
    recap_by_url: Mapping[str, Recap] = field(default_factory=dict)  # coverage URL -> recap
    notes_by_key: Mapping[str, tuple[Note, ...]] = field(default_factory=dict)  # entry id or day URL -> notes

    def entry_panels(self, post: Post) -> tuple[Panel, ...]:
        own = self.period_of[post.id]
        by_period: dict[str, list[CrossLink]] = {}
        for link in self.related.get(post.id, ()):
            by_period.setdefault(link.period.key, []).append(link)
        return tuple(self._panel(own, post.entry.day, links) for links in by_period.values())

    def day_panels(self, day: Day) -> tuple[Panel, ...]:
        own = self.period_of[day.posts[0].id]
        best: dict[str, CrossLink] = {}
        for post in day.posts:
            for link in self.related.get(post.id, ()):
                known = best.get(link.target.id)
                if known is None or link.score > known.score:
                    best[link.target.id] = link
        by_period: dict[str, list[CrossLink]] = {}
        for link in sorted(best.values(), key=lambda link: (-link.score, link.target.id)):
            by_period.setdefault(link.period.key, []).append(link)
        panels = [self._panel(own, day.date, links[: self.day_links]) for links in by_period.values()]
        return tuple(sorted(panels, key=lambda panel: panel.period.start))

    def _panel(self, own: Period, here: date, links: list[CrossLink]) -> Panel:
        period = links[0].period
        middle = statistics.median_low([link.target.entry.day for link in links])
        return Panel(
            period,
            self.labels[period.key],
            "Then" if period.start < own.start else "Later",
            gap_phrase(here, middle),
            tuple(links),
        )

    def notes_of_entry(self, post_id: str) -> tuple[Note, ...]:
        return self.notes_by_key.get(post_id, ())

    def notes_of_day(self, blog_slug: str, day: date) -> tuple[Note, ...]:
        return self.notes_by_key.get(urls.day_url(blog_slug, day), ())

    def recap_of_day(self, day_url: str) -> Recap | None:
        return self.recap_by_url.get(day_url)

    def recap_of_blog(self, blog: Blog) -> Recap | None:
        return self.recap_by_url.get(urls.blog_url(blog.slug))


def entry_text(entry: Entry) -> str:
    """What an entry is about, as text: its title and blocks (not its byline,
    which says who wrote it, nor a list of staff closing the entry)."""
    parts = [entry.title]
    # The paragraphs that close the entry by naming its staff (one or several).
    credits = set()
    for n in range(len(entry.blocks) - 1, -1, -1):
        block = entry.blocks[n]
        if not (isinstance(block, Paragraph) and is_credits(block.text.text)):
            break
        credits.add(n)
    for n, block in enumerate(entry.blocks):
        if n in credits:
            continue
        parts.extend(block_lines(block))
    return "\n\n".join(parts)


def _phrase_slug(phrase: str, taken: set[str]) -> str:
    return detected_entity(phrase, taken).slug


def is_credits(text: str) -> bool:
    """A short paragraph that names who made the page."""
    return len(text) <= CREDITS_LENGTH and CREDITS.match(text) is not None


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the names cut out, so TF-IDF does not count them again."""
    parts, last = [], 0
    for start, end in sorted(spans):
        if start >= last:
            parts.append(text[last:start])
            last = end
    parts.append(text[last:])
    return " ".join(parts)


def scan_text(text: str, gazetteer: Gazetteer) -> tuple[frozenset[str], list]:
    """What find_entities reads of one text: the words it uses in lower case (its
    share of the archive's ordinary prose), and the names it mentions. A pure
    function of the text and the gazetteer, so a rebuild can keep it (``memo``)."""
    tokens = words_of(text)
    return prose_words(tokens), find_mentions(text, gazetteer, tokens)


def find_entities(
    archive: Archive,
    gazetteer: Gazetteer,
    detect: bool,
    words: links.Words | None = None,
    memo=None,
    texts: list[str] | None = None,
) -> tuple[list[tuple[Entity, ...]], list[str], list[str]]:
    """Each post's entities (by kind, then first mention), its text with them
    blanked out, and its text. ``words``: the texts' TF-IDF, where key phrases
    are read from (computed here when not given). ``memo``: a reuse.PickleMemo
    of ``scan_text`` from earlier builds, or None. ``texts``: each post's
    ``entry_text``, if made already."""
    if texts is None:
        texts = [entry_text(post.entry) for post in archive.posts]
    if memo is None:
        scans = [scan_text(text, gazetteer) for text in texts]
    else:
        aliases = repr((gazetteer.entities, sorted(gazetteer.names.items()), sorted(gazetteer.topics.items())))
        scans = [
            memo.get(memo.key("scan", aliases, text), lambda text=text: scan_text(text, gazetteer)) for text in texts
        ]
    prose = frozenset().union(*(own for own, _ in scans)) if detect else frozenset()
    detected: dict[str, Entity] = {}
    taken = {entity.slug for entity in gazetteer.entities}
    entities, blanked = [], []
    for text, (_, mentions) in zip(texts, scans):
        found: dict[str, Entity] = {}
        spans = []
        for mention in mentions:
            entity = mention.entity
            if entity is None:
                if not detect or not is_name(mention, prose):
                    continue
                entity = detected.get(mention.name) or detected.setdefault(
                    mention.name, detected_entity(mention.name, taken)
                )
            found.setdefault(entity.slug, entity)
            spans.append((mention.start, mention.end))
        entities.append(found)
        blanked.append(_blank(text, spans))
    if detect:
        words = words or links.vectorise(texts)
        days = [post.entry.day for post in archive.posts]
        # An entry's phrases in the order it first uses them, as its names: not in
        # the archive's order of use, which one more day can shuffle (and with it
        # the chips of a thousand old pages, rendered again in a rebuild).
        lowered: dict[int, str] = {}
        placed: dict[int, list[tuple[int, str, Entity]]] = {}
        for phrase in key_phrases(words.rows, words.vocabulary, days, prose, gazetteer, texts):
            entity = Entity(phrase.name, PHRASE, _phrase_slug(phrase.name, taken))
            needle = phrase.name.lower()
            for n in phrase.entries:
                text = lowered.get(n) or lowered.setdefault(n, texts[n].lower())
                where = text.find(needle)
                placed.setdefault(n, []).append((where if where >= 0 else len(text), entity.name, entity))
        for n, phrases in placed.items():
            for _, _, entity in sorted(phrases, key=lambda placed: placed[:2]):
                entities[n].setdefault(entity.slug, entity)
    ordered = [tuple(sorted(found.values(), key=lambda e: KIND_ORDER.index(e.kind))) for found in entities]
    return ordered, blanked, texts


def _notes_by_key(notes: tuple[Note, ...]) -> dict[str, tuple[Note, ...]]:
    by_key: dict[str, list[Note]] = {}
    for note in notes:
        by_key.setdefault(note.entry or urls.day_url(note.blog, note.day), []).append(note)
    return {key: tuple(value) for key, value in by_key.items()}


def annotate(
    archive: Archive, settings: BriefingSettings, content: Path, memo=None, notes=None, workers: int = 1
) -> tuple[Briefing, tuple[Problem, ...]]:
    """``memo``: what earlier builds found in each text (find_entities), or None;
    ``notes``: the editor's notes and their problems, if loaded already
    (``load_notes``): the entries' documents carry them, and are written while
    this runs; ``workers``: threads the links are found on (``links.nearest``),
    the same links with any number.

    Linear algebra on one thread: the same sums in the same order on any machine
    (so the same links), and no BLAS threads spinning against the build's other
    process or a busy machine's other work (that made the SVD's QR steps 25 times
    slower on a loaded machine)."""
    from threadpoolctl import threadpool_limits

    if workers > 1:
        links.one_heap()
    try:
        with threadpool_limits(limits=1):
            return _annotate(archive, settings, content, memo, notes, workers)
    finally:
        meaning.release_model()


def _annotate(
    archive: Archive, settings: BriefingSettings, content: Path, memo, notes, workers: int
) -> tuple[Briefing, tuple[Problem, ...]]:
    problems: list[Problem] = []
    gazetteer, found = load_gazetteer(content / settings.entities_file)
    problems += found
    notes, found = notes if notes is not None else load_notes(content / settings.annotations_dir, archive)
    problems += found

    period_of = {post.id: settings.periods.period_of(post.entry.day) for post in archive.posts}
    periods = tuple(sorted(set(period_of.values()), key=lambda period: period.start))
    days_of_period: dict[str, list[date]] = {}
    for post in archive.posts:
        days_of_period.setdefault(period_of[post.id].key, []).append(post.entry.day)
    labels = {key: coverage_label(days) for key, days in days_of_period.items()}

    texts = [entry_text(post.entry) for post in archive.posts]
    words = links.vectorise(texts, memo)
    entities_of, blanked, texts = find_entities(archive, gazetteer, settings.detect_names, words, memo, texts)
    by_slug = {entity.slug: entity for entities in entities_of for entity in entities}
    model = links.fit(
        blanked,
        [[entity.slug for entity in entities] for entities in entities_of],
        {slug: entity.kind for slug, entity in by_slug.items()},
        settings.related,
        originals=texts,
        words=words,
        keys=[post.id for post in archive.posts],
        settled=links.settled_days([post.entry.day for post in archive.posts]),
    )
    group = {period.key: n for n, period in enumerate(periods)}
    day = {url: n for n, url in enumerate(dict.fromkeys(post.day_url for post in archive.posts))}
    nearest = links.nearest(
        model,
        [group[period_of[post.id].key] for post in archive.posts],
        minimum=settings.related_threshold,
        contexts=[day[post.day_url] for post in archive.posts],
        workers=workers,
    )

    cross_links: dict[str, tuple[CrossLink, ...]] = {}
    for n, (post, matches_by_group) in enumerate(zip(archive.posts, nearest)):
        own = group[period_of[post.id].key]
        shown = []
        for other in sorted(matches_by_group):
            if other == own:
                continue
            strong = matches_by_group[other]
            shown.extend(
                CrossLink(
                    post,
                    archive.posts[m.index],
                    periods[other],
                    m.score,
                    tuple(by_slug[key] for key in model.shared(n, m.index)),
                )
                for m in strong[: settings.related_per_period]
            )
        if shown:
            cross_links[post.id] = tuple(shown)

    posts_of: dict[str, list[Post]] = {}
    for post, entities in zip(archive.posts, entities_of):
        for entity in entities:
            posts_of.setdefault(entity.slug, []).append(post)
    index = {post.id: n for n, post in enumerate(archive.posts)}
    names = {slug: entity.name for slug, entity in by_slug.items()}
    # A recap reaches other periods through the links the entry panels show, no others.
    shown_nearest = [
        {
            other: matches if other == group[period_of[post.id].key] else matches[: settings.related_per_period]
            for other, matches in matches_by_group.items()
        }
        for post, matches_by_group in zip(archive.posts, nearest)
    ]
    recaps = build_recaps(archive, index, shown_nearest, period_of, names, model.shared, settings.recap)
    threads = build_threads(
        (
            Link(link.source, link.target, link.score, link.shared[0])
            for shown in cross_links.values()
            for link in shown
            if link.shared  # a thread is a subject: a link alike only in meaning names none
        ),
        period_of,
        labels,
        settings.threads,
        settings.thread_entries,
    )
    briefing = Briefing(
        periods=periods,
        labels=MappingProxyType(labels),
        period_of=MappingProxyType(period_of),
        entities=tuple(sorted(by_slug.values(), key=lambda e: (KIND_ORDER.index(e.kind), e.name.lower()))),
        entities_of=MappingProxyType({post.id: entities for post, entities in zip(archive.posts, entities_of)}),
        posts_of=MappingProxyType({slug: tuple(posts) for slug, posts in posts_of.items()}),
        related=MappingProxyType(cross_links),
        recaps=recaps,
        threads=threads,
        notes=notes,
        day_links=settings.day_links,
        recap_by_url=MappingProxyType({recap.coverage_url: recap for recap in recaps}),
        notes_by_key=MappingProxyType(_notes_by_key(notes)),
    )
    return briefing, tuple(problems)
