"""The JSON API: ``api/entries.json`` and ``api/blogs.json`` (schema in the README)."""

from __future__ import annotations

import json
from datetime import timezone

from . import urls
from .catalog import Archive, Post
from .text import entry_plain_text, entry_summary


def entry_record(post: Post) -> dict:
    entry = post.entry
    byline = {"name": entry.byline.name, "role": entry.byline.role} if entry.byline else None
    return {
        "id": post.id,
        "url": post.url,
        "blog": post.blog.slug,
        "blog_title": post.blog.title,
        "day": entry.day.isoformat(),
        "published": entry.published.isoformat() if entry.published else None,
        "utc": entry.utc.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if entry.utc else None,
        "title": entry.title,
        "labels": [label.lower() for label in entry.labels],
        "byline": byline,
        "summary": entry_summary(entry),
        "text": entry_plain_text(entry),
        "markdown": urls.published_markdown(post.markdown),
    }


def blog_record(archive: Archive, blog) -> dict:
    days = archive.days_of(blog)
    return {
        "slug": blog.slug,
        "title": blog.title,
        "url": urls.blog_url(blog.slug),
        "source": blog.source,
        "entries": len(blog.entries),
        "days": [{"day": day.date.isoformat(), "url": day.url, "entries": len(day.posts)} for day in days],
    }


def to_json(data) -> str:
    """Stable, readable JSON. ``<``, ``>`` and ``&`` are escaped as ``\\u003c`` etc.
    so the text is also safe when pasted inside a ``<script>`` element."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def entries_json(archive: Archive) -> str:
    return to_json([entry_record(post) for post in archive.posts])


def blogs_json(archive: Archive) -> str:
    return to_json([blog_record(archive, blog) for blog in archive.blogs])
