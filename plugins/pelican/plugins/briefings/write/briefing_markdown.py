"""Briefing -> Markdown: recaps, entity pages, the then-and-now page, editor's notes.

Same rules as ``markdown.py``: dump text always goes through ``escape`` or
``inline``, structure is ours (``{#id .class}`` attributes, ``:::`` containers),
and every link is relative to the page it is on, so the documents also read
well on their own (they feed the newsletter export).

Editor's notes are Markdown written by editors: they are kept as written, inside
a ``::: note`` container whose fence is longer than any run of colons in the
note, so nothing in a note can close it; the reader renders them with raw HTML
off like everything else.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from types import MappingProxyType

from .. import urls
from ..annotate.briefing import Briefing
from ..annotate.entities import DETECTED, PHRASE, Entity
from ..annotate.notes import Note
from ..annotate.recaps import Recap, TimelineItem
from ..annotate.threads import Thread
from ..ingest.catalog import Post
from . import render, thread_svg
from .markdown import block, entry_body, escape, escape_fragment, front_matter, time_label
from .render import safe_note_markdown

KIND_HEADINGS = MappingProxyType(
    {
        "topic": "Topics",
        "person": "People",
        "organisation": "Organisations",
        "place": "Places",
        DETECTED: "Other names (found automatically)",
        PHRASE: "Key phrases (found automatically)",
    }
)
KIND_LABELS = MappingProxyType(
    {
        "topic": "Topic",
        "person": "Person",
        "organisation": "Organisation",
        "place": "Place",
        DETECTED: "Name found automatically",
        PHRASE: "Key phrase found automatically",
    }
)
_COLONS = re.compile(r"^\s*(:{3,})", re.MULTILINE)


# --- editor's notes ----------------------------------------------------------------


def note_block(note: Note) -> str:
    fence = ":" * max([3] + [len(run) + 1 for run in _COLONS.findall(note.body)])
    parts = [f"{fence} note", "{.note-label}\nEditor's note", safe_note_markdown(note.body)]
    if note.author:
        parts.append(f"{{.note-author}}\n\u2014 {escape_fragment(note.author)}")
    return "\n\n".join(parts) + f"\n\n{fence}"


def note_blocks(notes: Sequence[Note]) -> dict[str, tuple[str, ...]]:
    """Note Markdown for ``markdown.write_documents``: by entry id and by day URL."""
    blocks: dict[str, list[str]] = {}
    for note in notes:
        if note.entry:
            key = note.entry
        else:
            key = urls.day_url(note.blog, note.day)
        blocks.setdefault(key, []).append(note_block(note))
    return {key: tuple(value) for key, value in blocks.items()}


def _indent(text: str, by: str) -> str:
    return "\n".join(by + line if line.strip() else line for line in text.split("\n"))


# --- shared pieces -------------------------------------------------------------------


def when(post: Post, long: bool = False) -> str:
    day = post.entry.day
    date_text = f"{day:%A} {day.day} {day:%B %Y}" if long else f"{day.day} {day:%b %Y}"
    clock = time_label(post.entry)
    return f"{date_text}, {clock}" if clock else date_text


def post_link(post: Post, page: str) -> str:
    """``[**15 Feb 2022, 08:45 GMT** · Title](relative link)``"""
    return f"[**{escape_fragment(when(post))}** \u00b7 {escape_fragment(post.entry.title)}]({urls.relative(page, post.url)})"


def _document(metadata: dict, parts: Iterable) -> str:
    """Front matter and the blocks, each a Markdown string or a render.ListBlock."""
    texts = (part.markdown if isinstance(part, render.ListBlock) else part for part in parts)
    return front_matter(metadata) + "\n\n".join(text for text in texts if text) + "\n"


# --- recaps --------------------------------------------------------------------------


def recap_metadata(recap: Recap) -> dict:
    if recap.day:
        subject = f"{recap.day.date:%A} {recap.day.date.day} {recap.day.date:%B %Y}"
    else:
        subject = recap.blog.title
    return {
        "title": f"{recap.title} {subject}",
        "slug": urls.slugify(recap.url[:-5].replace("/", "-"), 200),
        "url": recap.url,
        "save_as": recap.url,
        "briefings_kind": "recap",
        "recap_kind": recap.kind,
        "blog": recap.blog.slug,
        "blog_title": recap.blog.title,
        "day": recap.day.date.isoformat() if recap.day else "",
    }


def _timeline_item(item: TimelineItem, briefing: Briefing, page: str) -> str:
    lines = [post_link(item.post, page)]
    if item.gist:
        lines.append(escape(item.gist))
    why = [briefing.labels[item.period.key], item.reason]
    if item.via:
        why.append(f"connects to \u201c{item.via.entry.title}\u201d")
    lines.append("[" + escape_fragment(" \u00b7 ".join(why)) + "]{.why}")
    text = "1. " + "\\\n   ".join(lines)
    notes = [note_block(note) for note in briefing.notes_of_entry(item.post.id)]
    return "\n\n".join([text] + [_indent(note, "   ") for note in notes])


def recap_document(recap: Recap, briefing: Briefing) -> str:
    page = recap.url
    coverage = "the day's coverage" if recap.day else "the whole blog"
    parts = [
        f"{{.recap-lede}}\nWhat led up to [{coverage}]({urls.relative(page, recap.coverage_url)}): first what "
        "the coverage itself said in summary, then a timeline of the earlier events it grew out of."
    ]
    notes = (
        briefing.notes_of_day(recap.blog.slug, recap.day.date)
        if recap.day
        else tuple(note for note in briefing.notes if note.blog == recap.blog.slug and note.day)
    )
    parts.extend(note_block(note) for note in notes)
    if recap.summary or recap.entries:
        parts.append("{#from-the-coverage}\n## From the coverage")
    if recap.summary:
        parts.append("{.recap-source}\nThe page's summary")
        parts.extend(block(item) for item in recap.summary)
    for post in recap.entries:
        parts.append(f"{{#{post.anchor}}}\n### {post_link(post, page)}")
        parts.append(entry_body(post.entry).rstrip("\n"))
        parts.extend(note_block(note) for note in briefing.notes_of_entry(post.id))
    parts.append("{#timeline}\n## Timeline")
    earlier = [item for item in recap.timeline if not item.own]
    own = [item for item in recap.timeline if item.own]
    if earlier:
        parts.append(_recap_picture(recap, earlier, briefing, page))
        parts.append("{#earlier}\n### Earlier")
        parts.append("{.timeline}\n" + "\n".join(_timeline_item(item, briefing, page) for item in earlier))
    else:
        parts.append("{.timeline-empty}\nNothing earlier in the archive is about the same things.")
    if own:
        parts.append("{#on-the-day}\n### " + ("On the day" if recap.day else "During this coverage"))
        parts.append("{.timeline}\n" + "\n".join(_timeline_item(item, briefing, page) for item in own))
    return _document(recap_metadata(recap), parts)


def _recap_picture(recap: Recap, earlier: list[TimelineItem], briefing: Briefing, page: str) -> str:
    """The timeline as a picture: a column per period of the earlier events (numbered
    as the list below), and one for the recapped coverage's entries they connect to."""
    periods = sorted({item.period for item in earlier}, key=lambda period: period.start)
    columns, where = [], {}
    for period in periods:
        marks = []
        for number, item in enumerate(earlier, 1):
            if item.period == period:
                where[item.post.id] = (len(columns), len(marks))
                marks.append((number, item.post.entry.title, urls.relative(page, item.post.url)))
        columns.append((briefing.labels[period.key], marks))
    vias = []
    for item in earlier:
        if item.via and item.via not in vias:
            vias.append(item.via)
    vias.sort(key=lambda post: (post.entry.day, post.entry.utc.timestamp() if post.entry.utc else 0, post.id))
    here = "This day" if recap.day else "This coverage"
    columns.append((here, [("", post.entry.title, urls.relative(page, post.url)) for post in vias]))
    row = {post.id: n for n, post in enumerate(vias)}
    lines = [(where[item.post.id], (len(columns) - 1, row[item.via.id])) for item in earlier if item.via]
    label = (
        f"{len(earlier)} earlier entr{'y' if len(earlier) == 1 else 'ies'}, numbered as in the list below, "
        f"and the entries of {here.lower()} they connect to (open circles)"
    )
    return thread_svg.description(columns, lines, label)


# --- entities ------------------------------------------------------------------------


def entity_metadata(entity: Entity) -> dict:
    page = entity.url
    return {
        "title": entity.name,
        "slug": f"entity-{entity.slug}",
        "url": page,
        "save_as": page,
        "briefings_kind": "entity",
        "entity_kind": entity.kind,
    }


def entity_parts(entity: Entity, briefing: Briefing, lines: dict | None = None) -> tuple:
    """An entity page's body as blocks that each stand alone (render.render_block):
    its kind and count, then per period a heading and, per day, the day's entries
    under the day's name. A day's block is the same text from one build to the
    next, so a rebuild renders only the days that changed (an entity named by
    thousands of entries is a page of hundreds of days). ``lines``: each entry's
    line by the page's folder, shared by the entity pages of one build (an entry
    is on the page of every entity it names)."""
    page = entity.url
    lines = {} if lines is None else lines
    folder = posixpath.dirname(page)

    def line(post: Post) -> str:
        key = (post.id, folder)
        if key not in lines:
            lines[key] = f"{post_link(post, page)} [{escape_fragment(post.blog.title)}]{{.blog}}"
        return lines[key]

    posts = briefing.posts_of.get(entity.slug, ())
    count = f"{len(posts)} entr{'y' if len(posts) == 1 else 'ies'}"
    parts = [
        f"{{.entity-kind}}\n{KIND_LABELS[entity.kind]} \u00b7 named in {count} \u00b7 "
        f"[all people, places and topics]({urls.relative(page, urls.entities_url())})"
    ]
    by_period: dict[str, list[Post]] = {}
    for post in posts:
        by_period.setdefault(briefing.period_of[post.id].key, []).append(post)
    for period in briefing.periods:
        members = by_period.get(period.key)
        if not members:
            continue
        label = briefing.labels[period.key]
        heading = label if period.name in label else f"{escape_fragment(period.name)}: {label}"
        parts.append(f"{{#p-{period.key}}}\n## {heading}")
        by_day: dict = {}
        for post in members:
            by_day.setdefault(post.entry.day, []).append(post)
        for day, posts_of_day in by_day.items():
            items = tuple(line(post) for post in posts_of_day)
            parts.append(render.ListBlock(f"### {day:%A} {day.day} {day:%B %Y}", items))
    return tuple(parts)


def entities_document(briefing: Briefing) -> str:
    page = urls.entities_url()
    parts = [
        "{.lede}\nWho and what the entries are about, with every entry that names them, across the years. "
        "Names come from the site's list of entities (misspellings included) or were found automatically."
    ]
    for kind, heading in KIND_HEADINGS.items():
        members = [entity for entity in briefing.entities if entity.kind == kind]
        if not members:
            continue
        parts.append(f"{{#k-{kind}}}\n## {heading}")
        lines = []
        for entity in members:
            posts = briefing.posts_of.get(entity.slug, ())
            spans = list(dict.fromkeys(briefing.labels[briefing.period_of[post.id].key] for post in posts))
            count = f"{len(posts)} entr{'y' if len(posts) == 1 else 'ies'}"
            lines.append(
                f"- [{escape_fragment(entity.name)}]({urls.relative(page, entity.url)}) "
                f"[{count} \u00b7 {escape_fragment(', '.join(spans))}]{{.count}}"
            )
        parts.append("{.entity-index}\n" + "\n".join(lines))
    return _document(
        {
            "title": "People, places and topics",
            "slug": "entities",
            "url": page,
            "save_as": page,
            "briefings_kind": "entities",
        },
        parts,
    )


# --- then and now -------------------------------------------------------------------


def _thread(thread: Thread, page: str) -> str:
    parts = [
        f"{{#t-{thread.subject.slug}}}\n## {escape_fragment(thread.title)}",
        f"{{.thread-all}}\n[Every entry about {escape_fragment(thread.subject.name)}]"
        f"({urls.relative(page, thread.subject.url)})",
    ]
    columns, where, number = [], {}, 0
    for strand in thread.strands:
        marks = []
        for post in strand.posts:
            number += 1
            where[post.id] = (len(columns), len(marks))
            marks.append((number, post.entry.title, urls.relative(page, post.url)))
        columns.append((strand.label, marks))
    lines = [(where[a], where[b]) for a, b in thread.pairs if a in where and b in where]
    parts.append(
        thread_svg.description(
            columns, lines, f"{len(lines)} link{'' if len(lines) == 1 else 's'} between the entries listed below"
        )
    )
    number = 0
    for strand in thread.strands:
        parts.append(f"### {escape_fragment(strand.label)}")
        items = []
        for post in strand.posts:
            number += 1
            items.append(f"{number}. {post_link(post, page)}")
        parts.append("\n".join(items))
    return "\n\n".join(parts)


def then_and_now_document(briefing: Briefing) -> str:
    page = urls.then_and_now_url()
    periods = " \u2192 ".join(briefing.labels[period.key] for period in briefing.periods)
    parts = [
        f"{{.lede}}\nThe stories that run from one period into the next ({escape_fragment(periods)}). "
        "Each thread is a subject that entries of different periods are linked by, with those entries, "
        "oldest first."
    ]
    if briefing.threads:
        parts.extend(_thread(thread, page) for thread in briefing.threads)
    else:
        parts.append("No entries of different periods are about the same things yet.")
    return _document(
        {
            "title": "Then and now",
            "slug": "then-and-now",
            "url": page,
            "save_as": page,
            "briefings_kind": "then-and-now",
        },
        parts,
    )


def briefing_documents(briefing: Briefing, parts: dict | None = None) -> dict[str, str]:
    """Every document of this module, by its Markdown path. ``parts``, if given,
    receives the standalone blocks of the entity pages' bodies by the same path
    (entity_parts), so that they can be rendered, and kept, a block at a time."""
    documents = {recap.markdown: recap_document(recap, briefing) for recap in briefing.recaps}
    lines: dict = {}
    for entity in briefing.entities:
        blocks = entity_parts(entity, briefing, lines)
        documents[urls.entity_markdown(entity.slug)] = _document(entity_metadata(entity), blocks)
        if parts is not None:
            parts[urls.entity_markdown(entity.slug)] = tuple(block for block in blocks if block)
    documents[urls.entities_markdown()] = entities_document(briefing)
    documents[urls.then_and_now_markdown()] = then_and_now_document(briefing)
    return documents
