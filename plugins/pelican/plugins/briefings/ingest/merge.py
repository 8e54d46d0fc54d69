"""Dumps of the same blog: merged into one blog, every entry once.

A live page is often saved more than once: in the morning and again at night
(the later dump repeats most of the earlier one), or under a second file name.
Two dumps are taken to be of the same blog when

- they have the same slug (the file name, or ``slug:`` in the YAML), or
- they share an entry: the same time, title and text, word for word.

Such dumps are merged: every entry that is in any of them is kept, and an
entry that is in several is kept once, so no entry is lost and none gets two
pages. The merged blog keeps the slug and YAML of its oldest dump (the one whose
newest entry is oldest), so the blog's URLs do not move when a newer dump is
added, and the page head of its newest dump (the page's latest summary). Each
merge is reported as a warning on the dump merged in; so is an entry repeated
within one dump, and a pair with the same time and title but other text (an
entry edited between two saves), of which both versions are kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from ..errors import Problem
from ..model import Blog, Entry
from ..text import entry_plain_text


def entry_key(entry: Entry) -> tuple:
    """What makes two entries the same entry: time, day, title and every word."""
    return (entry.published, entry.day, entry.title, entry_plain_text(entry))


_NO_TIME = datetime.min.replace(tzinfo=UTC)  # aware, to compare with timestamps


def _newest(blog: Blog) -> tuple:
    """When a dump was saved, as far as it shows: its newest entry's day and time."""
    return max(((e.day, e.utc or _NO_TIME) for e in blog.entries), default=())


class _Groups:
    """Union-find over blog indices; a group is named by its lowest index."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        a, b = sorted((self.find(i), self.find(j)))
        self.parent[b] = a


def merge_blogs(blogs: list[Blog]) -> tuple[tuple[Blog, ...], tuple[Problem, ...]]:
    """Blogs in the order given, dumps of the same blog merged into the first one's place."""
    groups = _Groups(len(blogs))
    first_with: dict = {}
    for index, blog in enumerate(blogs):
        for key in [("slug", blog.slug)] + [("entry", entry_key(e)) for e in blog.entries]:
            groups.join(index, first_with.setdefault(key, index))
    members: dict[int, list[Blog]] = {}
    for index, blog in enumerate(blogs):
        members.setdefault(groups.find(index), []).append(blog)
    merged, problems = [], []
    for group in members.values():
        blog, group_problems = _merge(group)
        merged.append(blog)
        problems.extend(group_problems)
    return tuple(merged), tuple(problems)


def _merge(group: list[Blog]) -> tuple[Blog, list[Problem]]:
    by_age = sorted(group, key=lambda blog: (_newest(blog), blog.path))
    main, newest = by_age[0], by_age[-1]
    problems: list[Problem] = []
    kept: dict[tuple, tuple[Blog, Entry]] = {}
    titled: dict[tuple, tuple[Blog, Entry]] = {}
    for blog in [newest] + [b for b in by_age if b is not newest]:  # the latest text of a page first
        for entry in blog.entries:
            key = entry_key(entry)
            if key in kept:
                other_blog, other = kept[key]
                if other_blog is blog:
                    problems.append(
                        Problem(
                            blog.path,
                            entry.line,
                            f"entry {entry.number} repeats entry "
                            f"{other.number} (line {other.line}) word for word: shown once",
                            "warning",
                        )
                    )
                continue
            same_title = titled.get(key[:3])
            if same_title and same_title[0] is not blog:
                problems.append(
                    Problem(
                        blog.path,
                        entry.line,
                        f"entry {entry.number} has the time and title of "
                        f"{same_title[0].path}:{same_title[1].line} but other text (edited between "
                        "the two saves?): both versions kept",
                        "warning",
                    )
                )
            kept[key] = (blog, entry)
            titled.setdefault(key[:3], (blog, entry))
        if blog is not main:
            problems.append(_merged(blog, main))
    entries = [entry for _, entry in kept.values()]
    if len(group) == 1 and len(entries) == len(main.entries):
        return main, problems
    if len(group) > 1:
        entries.sort(key=_page_order)
    return replace(main, dump=replace(newest.dump, entries=tuple(entries))), problems


def _merged(blog: Blog, main: Blog) -> Problem:
    known = {entry_key(entry) for entry in main.entries}
    own = {entry_key(entry) for entry in blog.entries}
    counts = f"{len(own - known)} of its {len(own)} entries are not in {main.path}"
    if blog.slug == main.slug:
        return Problem(
            blog.path,
            None,
            f"same blog slug '{main.slug}' as {main.path}: merged into one blog "
            f"({counts}); if they are different blogs, give one its own `slug:`",
            "warning",
        )
    return Problem(
        blog.path,
        None,
        f"the same page as {main.path} (they share {len(own & known)} entries): "
        f"merged into blog '{main.slug}' ({counts}); nothing is lost, and no "
        "action is needed if both are saves of one page",
        "warning",
    )


def _page_order(entry: Entry) -> tuple:
    """Newest first, as on the page; sorted() is stable, so untimestamped entries keep their order."""
    return (-entry.day.toordinal(), -(entry.utc.timestamp() if entry.utc else float("-inf")))
