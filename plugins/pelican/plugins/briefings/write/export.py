"""The JSON API: ``api/entries.json``, ``api/blogs.json`` and ``api/recaps.json`` (schema in docs/output.md; ingest/json_input.py reads an entry back)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import TYPE_CHECKING

from .. import urls
from ..ingest.catalog import Archive, Post
from ..text import (
    block_lines,  # briefings: recap summaries
    entry_body,
    entry_summary,
)

if TYPE_CHECKING:  # the annotate stage pulls in numpy and scipy; the JSON only reads its results
    from ..annotate.briefing import Briefing
    from ..annotate.recaps import Recap, TimelineItem


def iso_utc(moment) -> str:
    """ISO 8601 in UTC with a four-digit year (strftime's %Y writes the year 1 as "1")."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}Z"


def entry_record(post: Post) -> dict:
    entry = post.entry
    byline = {"name": entry.byline.name, "role": entry.byline.role} if entry.byline else None
    text, pictures, quotes = entry_body(entry)
    return {
        "id": post.id,
        "url": post.url,
        "blog": post.blog.slug,
        "blog_title": post.blog.title,
        "day": entry.day.isoformat(),
        "published": entry.published.isoformat() if entry.published else None,
        "utc": iso_utc(entry.utc) if entry.utc else None,
        "title": entry.title,
        "labels": [label.lower() for label in entry.labels],
        "byline": byline,
        "summary": entry_summary(entry),
        "text": text,
        "pictures": pictures,
        "quotes": quotes,
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


def json_lines(records: list[dict]):
    """A JSON list with one record per line (``grep`` and ``diff`` show an entry
    as one line), safe inside a ``<script>`` (script_safe). Each record goes
    through the json module's C encoder: the indented list went through its
    pure-Python one ("write api" at 10,000 entries: 1.59 s, now 1.07)."""
    if not records:
        yield "[]\n"
        return
    encode, separator = json.JSONEncoder(ensure_ascii=False).encode, "[\n"
    for record in records:
        yield separator + script_safe(encode(record))
        separator = ",\n"
    yield "\n]\n"


def script_safe(json_text: str) -> str:
    """JSON text that is also safe inside a ``<script>`` element (JSON-LD, or the
    API pasted into a page): ``<``, ``>``, ``&`` and the JavaScript line
    separators as ``\\u`` escapes, which JSON reads back as the same characters."""
    return (
        json_text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def api_files(archive: Archive, briefing: Briefing):
    """The JSON API's files, ``(path in the site, chunks of its text)``, for
    glue.jobs (written beside the rest of the build, on the other core). A
    record at a time (json_lines), never as one string: at 10,000 entries,
    entries.json made as one string (and escaped three times) was the build's
    peak of memory (README, "Build speed")."""
    yield "api/entries.json", json_lines(entry_records(archive, briefing))
    yield "api/blogs.json", json_lines(blog_records(archive))
    yield "api/recaps.json", json_lines(recap_records(briefing))


def entry_records(archive: Archive, briefing: Briefing | None = None) -> list[dict]:
    """``briefing`` (an ``annotate.Briefing``) adds ``period``, ``entities`` and ``related``."""
    records = [entry_record(post) for post in archive.posts]
    if briefing is not None:
        for record, post in zip(records, archive.posts):
            record.update(briefing_fields(post, briefing))
    return records


def blog_records(archive: Archive) -> list[dict]:
    return [blog_record(archive, blog) for blog in archive.blogs]


# --- briefings: periods, entities, cross-links, recaps (annotate stage) ---------------


def briefing_fields(post: Post, briefing: Briefing) -> dict:
    return {
        "period": briefing.period_of[post.id].name,
        "entities": [entity.name for entity in briefing.entities_of.get(post.id, ())],
        "related": [
            {
                "id": link.target.id,
                "title": link.target.entry.title,
                "url": link.target.url,
                "period": link.period.name,
                "score": link.score,
                "reason": link.reason,
            }
            for link in briefing.related.get(post.id, ())
        ],
    }


def _recap_item(item: TimelineItem) -> dict:
    entry = item.post.entry
    return {
        "id": item.post.id,
        "title": entry.title,
        "url": item.post.url,
        "blog": item.post.blog.slug,
        "day": entry.day.isoformat(),
        "published": entry.published.isoformat() if entry.published else None,
        "period": item.period.name,
        "gist": item.gist,
        "on_the_day": item.own,
        "score": item.score,
        "reason": item.reason,
        "related_to": item.via.id if item.via else None,
    }


def recap_record(recap: Recap, briefing: Briefing) -> dict:
    day_notes = briefing.notes_of_day(recap.blog.slug, recap.day.date) if recap.day else ()
    return {
        "kind": recap.kind,
        "blog": recap.blog.slug,
        "day": recap.day.date.isoformat() if recap.day else None,
        "title": recap.title,
        "url": recap.url,
        "markdown": urls.published_markdown(recap.markdown),
        "coverage_url": recap.coverage_url,
        "summary": [line for block in recap.summary for line in block_lines(block)],
        "recap_entries": [{"id": post.id, "title": post.entry.title, "url": post.url} for post in recap.entries],
        "items": [_recap_item(item) for item in recap.timeline],
        "notes": [
            {"entry": note.entry, "day": note.day.isoformat() if note.day else None, "markdown": note.body}
            for note in day_notes + tuple(n for post in recap.posts for n in briefing.notes_of_entry(post.id))
        ],
    }


def recap_records(briefing: Briefing) -> list[dict]:
    return [recap_record(recap, briefing) for recap in briefing.recaps]
