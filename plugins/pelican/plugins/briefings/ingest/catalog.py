"""Places parsed blogs in one archive: stable ids and URLs for entries, and days.

Ids must not move when a longer dump of the same blog is ingested again. Live
pages grow at the top, so claims are made oldest first (bottom of the page
first): an entry that was already there claims its slug before any newcomer,
and a newcomer whose slug is taken gets a suffix from its own text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .. import urls
from ..model import Blog, Entry
from ..text import entry_plain_text


@dataclass(frozen=True)
class Post:
    """An entry placed in the archive: its blog, its permanent id and slug."""

    blog: Blog
    entry: Entry
    slug: str
    id: str

    # Kept once made (a frozen dataclass still has a __dict__): a page's URL is
    # asked for by every panel, chip, feed and JSON file that links to it, 1.2 s of
    # strftime in a rebuild at 10,000 entries.
    @cached_property
    def url(self) -> str:
        return urls.entry_url(self.entry.day, self.slug)

    @cached_property
    def markdown(self) -> str:
        return urls.entry_markdown(self.entry.day, self.slug)

    @cached_property
    def day_url(self) -> str:
        return urls.day_url(self.blog.slug, self.entry.day)

    @property
    def blog_url(self) -> str:
        return urls.blog_url(self.blog.slug)

    @property
    def anchor(self) -> str:
        return urls.day_anchor(self.slug)

    @property
    def is_key_event(self) -> bool:
        return self.entry.is_breaking or self.entry.is_analysis or is_recap_title(self.entry.title)


@dataclass(frozen=True)
class Day:
    """One local day of one blog's coverage, entries oldest first."""

    blog: Blog
    date: date
    posts: tuple[Post, ...]

    @cached_property
    def url(self) -> str:
        return urls.day_url(self.blog.slug, self.date)

    @property
    def markdown(self) -> str:
        return urls.day_markdown(self.blog.slug, self.date)

    @property
    def key_events(self) -> tuple[Post, ...]:
        return tuple(post for post in self.posts if post.is_key_event)


@dataclass(frozen=True)
class Archive:
    blogs: tuple[Blog, ...]
    posts: tuple[Post, ...]  # oldest first, across blogs
    days: tuple[Day, ...]  # oldest first, then by blog

    def posts_of(self, blog: Blog) -> tuple[Post, ...]:
        return self._by_blog[0].get(blog.slug, ())

    def days_of(self, blog: Blog) -> tuple[Day, ...]:
        return self._by_blog[1].get(blog.slug, ())

    @cached_property
    def _by_blog(self) -> tuple[dict[str, tuple[Post, ...]], dict[str, tuple[Day, ...]]]:
        """Posts and days per blog slug, in archive order, grouped once: filtering
        the whole archive per blog, as pages, feeds and JSON ask, was quadratic."""
        posts: dict[str, list[Post]] = {}
        days: dict[str, list[Day]] = {}
        for post in self.posts:
            posts.setdefault(post.blog.slug, []).append(post)
        for day in self.days:
            days.setdefault(day.blog.slug, []).append(day)
        return (
            {slug: tuple(items) for slug, items in posts.items()},
            {slug: tuple(items) for slug, items in days.items()},
        )


RECAP_PREFIXES = ("how did we get here", "recap", "a tale of two", "what's happening", "live coverage concludes")


def is_recap_title(title: str) -> bool:
    """Entries in which the coverage sums itself up (FORMAT.md, "Recap entries")."""
    lowered = title.lower().replace("\u2019", "'")
    return lowered.startswith(RECAP_PREFIXES)


def _chronological_key(blog_index: int, entry: Entry):
    # Entries without a timestamp sort by page position within their day.
    instant = entry.utc.timestamp() if entry.utc else 0.0
    return (entry.day, instant, blog_index, -entry.number)


def build_archive(blogs: list[Blog]) -> Archive:
    blogs = sorted(blogs, key=lambda blog: blog.slug)
    placed = sorted(
        ((index, entry) for index, blog in enumerate(blogs) for entry in blog.entries),
        key=lambda pair: _chronological_key(*pair),
    )
    taken: set[str] = set()
    posts = []
    for blog_index, entry in placed:
        hhmm = f"{entry.published:%H%M}" if entry.published else None
        slug = urls.entry_slug(entry.title, hhmm)
        if urls.entry_id(entry.day, slug) in taken:
            slug = urls.disambiguate(slug, entry_plain_text(entry))
        while urls.entry_id(entry.day, slug) in taken:  # identical twins: still deterministic
            slug = urls.disambiguate(slug, slug)
        post_id = urls.entry_id(entry.day, slug)
        taken.add(post_id)
        posts.append(Post(blog=blogs[blog_index], entry=entry, slug=slug, id=post_id))

    by_blog: dict[int, dict[date, list[Post]]] = {index: {} for index in range(len(blogs))}
    for (blog_index, _), post in zip(placed, posts):
        by_blog[blog_index].setdefault(post.entry.day, []).append(post)
    days = []
    for blog_index, blog in enumerate(blogs):
        days.extend(Day(blog, day, tuple(day_posts)) for day, day_posts in by_blog[blog_index].items())
    days.sort(key=lambda day: (day.date, day.blog.slug))
    return Archive(blogs=tuple(blogs), posts=tuple(posts), days=tuple(days))
