"""Then and now: the threads that run from one period into another.

A thread is a subject that cross-links between periods are about. Every
cross-link is filed under its weightiest shared name (the first name of its
reason), so "Hegseth in Warsaw" -> "Truss: no concessions over Nato" files under
"Nato membership". A thread lists the linked entries of each period, oldest
first; threads are ranked by the summed scores of their links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..ingest.catalog import Post
from .entities import Entity
from .periods import Period


@dataclass(frozen=True)
class Link:
    """One cross-link, as threads need it."""

    source: Post
    target: Post
    score: float
    subject: Entity  # the weightiest shared name


@dataclass(frozen=True)
class Strand:
    """A thread's entries in one period."""

    period: Period
    label: str  # "Feb 2022"
    posts: tuple[Post, ...]  # oldest first


@dataclass(frozen=True)
class Thread:
    subject: Entity
    strands: tuple[Strand, ...]  # periods oldest first
    score: float
    pairs: tuple[tuple[str, str], ...] = ()  # the links between its shown entries (post ids), as drawn

    @property
    def title(self) -> str:
        return f"{self.subject.name}: " + " \u2192 ".join(strand.label for strand in self.strands)


def build_threads(
    links: Iterable[Link], period_of: Mapping[str, Period], labels: Mapping[str, str], limit: int, per_period: int
) -> tuple[Thread, ...]:
    """At most ``limit`` threads, each with at most ``per_period`` entries per
    period (its best-linked ones, shown oldest first)."""
    pairs: dict[tuple[str, str], Link] = {}
    for link in links:  # a pair is linked both ways; count it once
        key = tuple(sorted((link.source.id, link.target.id)))
        if key not in pairs or link.score > pairs[key].score:
            pairs[key] = link
    by_subject: dict[str, list[Link]] = {}
    for link in pairs.values():
        by_subject.setdefault(link.subject.slug, []).append(link)
    threads = []
    for subject_links in by_subject.values():
        weight: dict[str, float] = {}
        posts: dict[str, Post] = {}
        for link in subject_links:
            for post in (link.source, link.target):
                weight[post.id] = weight.get(post.id, 0.0) + link.score
                posts[post.id] = post
        strands = []
        for period in sorted({period_of[pid] for pid in posts}, key=lambda period: period.start):
            members = [posts[pid] for pid in posts if period_of[pid] == period]
            best = sorted(members, key=lambda post: (-weight[post.id], post.id))[:per_period]
            best.sort(key=lambda post: (post.entry.day, post.entry.utc.timestamp() if post.entry.utc else 0, post.id))
            strands.append(Strand(period, labels[period.key], tuple(best)))
        score = round(sum(link.score for link in subject_links), 4)
        shown = {post.id for strand in strands for post in strand.posts}
        pairs = tuple(
            sorted(
                (link.source.id, link.target.id)
                for link in subject_links
                if link.source.id in shown and link.target.id in shown
            )
        )
        threads.append(Thread(subject_links[0].subject, tuple(strands), score, pairs))
    threads.sort(key=lambda thread: (-thread.score, thread.subject.name))
    return tuple(threads[:limit])
