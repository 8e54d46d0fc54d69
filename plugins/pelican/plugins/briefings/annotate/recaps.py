"""Recaps: "How did we get here?", one per day of a blog and one per blog.

A recap has two parts.

1. The coverage's own recap material: the page-head summary (on the blog's
   latest day, where the page showed it), then the entries in which the
   coverage sums itself up (``How did we get here?``, ``Recap: …``,
   ``A tale of two summits…``, ``Live coverage concludes``), oldest first.
2. A timeline, oldest first, short enough to read in two minutes:
   - earlier key events: every entry from a day *before* the recapped coverage
     that is related to one of its entries (see ``related``: a shared subject and
     a score of at least the cross-link threshold) is a candidate; its rank is
     its best score against the recapped entries times its importance
     (``IMPORTANCE``: 1, plus 0.5 if Breaking, 0.25 if Analysis, 0.25 if a recap
     entry). The best ``items`` are kept, at most ``same_period`` of them from
     the recapped coverage's own period so that the timeline reaches back into
     earlier ones, and none older than ``lookback_days``;
   - then the recapped coverage's own key events (Breaking or Analysis), at most
     ``own_events`` of them, Breaking first, shown in time order.
   Each item carries the entry's date, time, title, link and a one-sentence gist
   (``gist``): the first sentence of the entry that says something.
Ties are broken by time then id, so the same archive always gives the same recap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from .. import urls
from ..ingest.catalog import Archive, Day, Post, is_recap_title
from ..model import Block, Blog, BulletList, Entry, Paragraph, Quote
from ..text import shorten
from .links import Match
from .periods import Period

TITLE = "How did we get here?"
IMPORTANCE = MappingProxyType({"breaking": 0.5, "analysis": 0.25, "recap": 0.25})
GIST_LENGTH = 220
CLOSING = "live coverage concludes"
# Sentences about the live page itself, not the news: never a gist.
_LEAD_IN = re.compile(
    r"^(welcome|thank|stay with us|we're pausing|we are pausing|more now|more from|here's more|here is more"
    r"|now for|we can bring you|let's|before (it|they) |as we've been reporting|as we've reported|following on from"
    r"|much of our coverage)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018]?[A-Z0-9])")


@dataclass(frozen=True)
class RecapSettings:
    items: int = 8  # earlier key events in a timeline
    same_period: int = 4  # of which at most this many from the recapped coverage's own period
    own_events: int = 3  # the recapped coverage's own key events closing the timeline
    lookback_days: int | None = None  # None: the whole archive
    threshold: float = 0.0  # the similarity floor of cross-links (links.nearest has calibrated them)


@dataclass(frozen=True)
class TimelineItem:
    post: Post
    period: Period
    gist: str
    score: float  # rank: relevance x importance (0 for the coverage's own events)
    reason: str  # why it is there, in words: "both about: Nato membership"
    via: Post | None  # the recapped entry it relates to (None for the coverage's own events)

    @property
    def own(self) -> bool:
        """One of the recapped coverage's own key events."""
        return self.via is None


@dataclass(frozen=True)
class Recap:
    kind: str  # "day" or "blog"
    blog: Blog
    day: Day | None  # None for a blog recap
    summary: tuple[Block, ...]  # the page head's summary, if it belongs here
    entries: tuple[Post, ...]  # the coverage's own recap entries, oldest first
    timeline: tuple[TimelineItem, ...]  # oldest first

    @property
    def title(self) -> str:
        return TITLE

    @property
    def url(self) -> str:
        if self.day:
            return urls.day_recap_url(self.blog.slug, self.day.date)
        return urls.blog_recap_url(self.blog.slug)

    @property
    def markdown(self) -> str:
        if self.day:
            return urls.day_recap_markdown(self.blog.slug, self.day.date)
        return urls.blog_recap_markdown(self.blog.slug)

    @property
    def coverage_url(self) -> str:
        return self.day.url if self.day else urls.blog_url(self.blog.slug)

    @property
    def posts(self) -> tuple[Post, ...]:
        """Every entry the recap shows."""
        return self.entries + tuple(item.post for item in self.timeline)


def importance(entry: Entry) -> float:
    return (
        1.0
        + IMPORTANCE["breaking"] * entry.is_breaking
        + IMPORTANCE["analysis"] * entry.is_analysis
        + IMPORTANCE["recap"] * is_recap_title(entry.title)
    )


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def gist(entry: Entry) -> str:
    """One sentence that says what the entry is about: the first sentence of its
    text that is not about the live page itself ("Welcome back…", "More now on…")
    and does not end in a colon; a closing entry's first bullet."""
    closing = entry.title.lower().startswith(CLOSING)
    for block in entry.blocks:
        if closing and not isinstance(block, BulletList):
            continue
        if isinstance(block, (Paragraph, Quote)):
            candidates = sentences(block.text.text)
        elif isinstance(block, BulletList):
            candidates = [item.text for item in block.items]
        else:
            continue
        for sentence in candidates:
            if len(sentence.split()) >= 6 and not sentence.endswith(":") and not _LEAD_IN.match(sentence):
                return shorten(sentence, GIST_LENGTH)
    return ""


def reason(shared: Sequence[str], names: Mapping[str, str]) -> str:
    """``both about: Nato membership, Olaf Scholz``: the weightiest shared names."""
    if not shared:
        return "close in meaning"
    return "both about: " + ", ".join(names[key] for key in shared[:3])


def build_recap(
    kind: str,
    blog: Blog,
    day: Day | None,
    span: Sequence[Post],
    summary: tuple[Block, ...],
    archive_posts: Sequence[Post],
    index: Mapping[str, int],
    nearest: Sequence[Mapping[int, tuple[Match, ...]]],
    period_of: Mapping[str, Period],
    names: Mapping[str, str],
    shared: Callable[[int, int], Sequence[str]],
    settings: RecapSettings,
    weights: Sequence[float] | None = None,
) -> Recap:
    """``weights[i]``: the importance of entry ``i`` (computed here if not given)."""
    if weights is None:
        weights = [importance(post.entry) for post in archive_posts]
    start = min(post.entry.day for post in span)
    best: dict[int, tuple[float, Match, Post]] = {}
    for post in span:
        for matches in nearest[index[post.id]].values():
            for match in matches:
                other = archive_posts[match.index]
                if other.entry.day >= start or match.score < settings.threshold:
                    continue
                if settings.lookback_days is not None and (start - other.entry.day).days > settings.lookback_days:
                    continue
                known = best.get(match.index)
                if known is None or match.score > known[0]:
                    best[match.index] = (match.score, match, post)
    ranked = sorted((-round(score * weights[i], 6), i) for i, (score, _, _) in best.items())
    chosen, same_period = [], 0
    own_period = period_of[span[0].id].key
    for negative_rank, i in ranked:
        rank, via = -negative_rank, best[i][2]
        post = archive_posts[i]
        period = period_of[post.id]
        if period.key == own_period:
            if same_period >= settings.same_period:
                continue
            same_period += 1
        why = reason(shared(index[via.id], i), names)
        chosen.append(TimelineItem(post, period, gist(post.entry), round(rank, 4), why, via))
        if len(chosen) == settings.items:
            break
    key_events = [
        post
        for post in span
        if (post.entry.is_breaking or post.entry.is_analysis) and not is_recap_title(post.entry.title)
    ]
    key_events = sorted(key_events, key=lambda post: (-importance(post.entry), index[post.id]))[: settings.own_events]
    own = [
        TimelineItem(post, period_of[post.id], gist(post.entry), 0.0, _own_reason(post.entry), None)
        for post in key_events
    ]
    chosen.sort(key=lambda item: index[item.post.id])
    own.sort(key=lambda item: index[item.post.id])
    entries = tuple(post for post in span if is_recap_title(post.entry.title))
    return Recap(kind, blog, day, summary, entries, tuple(chosen) + tuple(own))


def _own_reason(entry: Entry) -> str:
    return (
        " and ".join(label for label in ("Breaking", "Analysis") if getattr(entry, f"is_{label.lower()}"))
        + " on the day"
    )


def build_recaps(
    archive: Archive,
    index: Mapping[str, int],
    nearest,
    period_of: Mapping[str, Period],
    names: Mapping[str, str],
    shared: Callable[[int, int], Sequence[str]],
    settings: RecapSettings,
) -> tuple[Recap, ...]:
    """A recap for every day of every blog, then one for every blog. ``shared(a, b)``:
    the names entries ``a`` and ``b`` are both about, weightiest first."""
    weights = [importance(post.entry) for post in archive.posts]

    def recap_of(kind: str, blog, day, posts, summary) -> Recap:
        return build_recap(
            kind, blog, day, posts, summary, archive.posts, index, nearest, period_of, names, shared, settings, weights
        )

    recaps = []
    for blog in archive.blogs:
        days = archive.days_of(blog)
        for day in days:
            summary = blog.head.blocks if day is days[-1] else ()
            recaps.append(recap_of("day", blog, day, day.posts, summary))
    for blog in archive.blogs:
        posts = archive.posts_of(blog)
        if posts:
            recaps.append(recap_of("blog", blog, None, posts, blog.head.blocks))
    return tuple(recaps)
