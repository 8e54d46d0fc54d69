"""The JSON API: ``api/entries.json`` and ``api/blogs.json`` (schema in the README)."""

from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path

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


def json_chunks(data, batch: int = 4096):
    """Stable, readable JSON, piece by piece. ``<``, ``>`` and ``&`` are escaped as
    ``\\u003c`` etc. so the text is also safe when pasted inside a ``<script>`` element."""
    pending = []
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=1, sort_keys=False).iterencode(data):
        pending.append(chunk)
        if len(pending) == batch:
            yield _script_safe("".join(pending))
            pending.clear()
    yield _script_safe("".join(pending)) + "\n"


def _script_safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_json(data) -> str:
    return "".join(json_chunks(data))


def write_json(data, path: Path) -> None:
    """``to_json(data)`` into ``path`` without holding the whole text: at 10,000
    entries, entries.json made as one string (and escaped three times) was the
    build's peak of memory (README, "Benchmarks")."""
    with path.open("w", encoding="utf-8") as out:
        out.writelines(json_chunks(data))


def entry_records(archive: Archive) -> list[dict]:
    return [entry_record(post) for post in archive.posts]


def blog_records(archive: Archive) -> list[dict]:
    return [blog_record(archive, blog) for blog in archive.blogs]


def entries_json(archive: Archive) -> str:
    return to_json(entry_records(archive))


def blogs_json(archive: Archive) -> str:
    return to_json(blog_records(archive))
