"""Model -> Markdown: one document per entry and one per day.

Dump text is text: every character that means something to Markdown (or to the
attrs and container plugins the reader enables) is backslash-escaped, and the
reader runs with HTML disabled, so ``<script>``, ``*stars*`` or a link to
``javascript:`` in a dump render exactly as typed. Structure we add ourselves
(figures, bylines, anchors) uses ``:::`` containers and ``{.class}`` attributes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .. import urls
from ..files import replace_file
from ..ingest.catalog import Archive, Day, Post
from ..model import EXTERNAL_MARKER, BulletList, Entry, Figure, Inline, Paragraph, Quote, VideoCaption
from ..text import entry_summary
from .render import split_front_matter

# Front matter is written by hand, not by PyYAML: its representer (Python, also
# with libyaml's emitter) took 1.6-2.2 s for the 10,212 documents of 10,000
# entries, this 0.3 s. Every value is a str (a double-quoted scalar, JSON's escapes, which
# YAML's double-quoted style reads the same) or an int. What YAML would read as a
# line break or refuses as non-printable inside quotes is escaped as \uXXXX. A
# lone surrogate cannot be in a UTF-8 file at all (the parser makes them U+FFFD).
_KEY = re.compile(r"[a-z][a-z_]*\Z")
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

# What CommonMark and the attrs plugin read as syntax inside a line. Tables and
# strikethrough are off, and "!" only matters before "[", so |, ~ and ! stay bare.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>&])")
_LINE_START = re.compile(r"^([#>+=:-]|\d+(?=[.)]))")


def escape_fragment(text: str) -> str:
    """Backslash-escape inline syntax; runs of white space become one space."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def escape_line_start(line: str) -> str:
    """Escape what would start a block: a heading, quote, list, fence or rule."""
    match = _LINE_START.match(line)
    if not match:
        return line
    if match.group(1)[0].isdigit():  # "1." would start an ordered list
        return line[: match.end()] + "\\" + line[match.end() :]
    return "\\" + line


def escape(text: str) -> str:
    """Dump text as one Markdown line that renders exactly as written."""
    return escape_line_start(escape_fragment(text).strip())


def inline(run: Inline) -> str:
    """Escaped text, with each ``, external`` marker made a styled span."""
    parts, start = [], 0
    for offset in run.external:
        parts.append(escape_fragment(run.text[start:offset]))
        parts.append("[" + escape_fragment(EXTERNAL_MARKER) + "]{.external}")
        start = offset + len(EXTERNAL_MARKER)
    parts.append(escape_fragment(run.text[start:]))
    return escape_line_start("".join(parts).strip())


def _paragraph(css: str, text: str) -> str:
    return f"{{.{css}}}\n{text}"


def block(item) -> str:
    if isinstance(item, Paragraph):
        return inline(item.text)
    if isinstance(item, Quote):
        return "> " + inline(item.text)
    if isinstance(item, BulletList):
        return "\n".join("- " + inline(entry) for entry in item.items)
    if isinstance(item, VideoCaption):
        return _paragraph("video-caption", escape(item.text))
    if isinstance(item, Figure):
        parts = []
        if item.description:
            parts.append(_paragraph("figure-description", escape(item.description)))
        if item.credit:
            parts.append(_paragraph("figure-credit", "Image source: " + escape(item.credit)))
        if item.caption:
            parts.append(_paragraph("figure-caption", escape(item.caption)))
        return "::: figure\n" + "\n\n".join(parts) + "\n:::"
    raise TypeError(f"unknown block {item!r}")


def entry_body(entry: Entry) -> str:
    parts = []
    if entry.byline:
        role = f"\\\n{escape(entry.byline.role)}" if entry.byline.role else ""
        parts.append(_paragraph("byline", f"**{escape(entry.byline.name)}**{role}"))
    parts.extend(block(item) for item in entry.blocks)
    return "\n\n".join(parts) + "\n"


def _scalar(key: str, value) -> str:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ValueError(f"front matter {key!r}: a lone surrogate, which no UTF-8 file can hold")
        quoted = encode_basestring(value)  # json.dumps's own, for a str: C, and quick
        if _NOT_YAML_PRINTABLE.search(quoted) is None:
            return quoted
        return _NOT_YAML_PRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"front matter {key!r}: a str or an int, not {type(value).__name__}")


def front_matter(metadata: dict) -> str:
    """YAML that reads back (PyYAML's safe loaders, pure or libyaml) as ``metadata``:
    keys in lower case, values str or int, in the dict's order."""
    lines = []
    for key, value in metadata.items():
        if not _KEY.match(key):
            raise ValueError(f"front matter key {key!r}: lower-case letters and underscores only")
        lines.append(f"{key}: {_scalar(key, value)}\n")
    return "---\n" + "".join(lines) + "---\n\n"


def time_label(entry: Entry) -> str:
    if not entry.published:
        return ""
    zone = {"Greenwich Mean Time": "GMT", "British Summer Time": "BST"}.get(entry.zone or "", entry.zone or "")
    return f"{entry.published:%H:%M} {zone}".strip()


def _date_metadata(entry: Entry) -> str:
    if entry.published:
        return entry.published.isoformat()
    # Undated entries keep their page order within the day, oldest lowest.
    return f"{entry.day.isoformat()}T00:00:00+00:00"


def entry_metadata(post: Post) -> dict:
    entry = post.entry
    metadata = {
        "title": entry.title,
        "date": _date_metadata(post.entry),
        "slug": post.slug,
        "category": post.blog.title,
        "tags": ", ".join(label.lower() for label in entry.labels),
        "summary": entry_summary(entry),
        "url": post.url,
        "save_as": post.url,
        "briefings_kind": "entry",
        "entry_id": post.id,
        "blog": post.blog.slug,
        "day": entry.day.isoformat(),
        "zone": entry.zone or "",
        "number": entry.number,
    }
    if entry.byline:
        metadata["author"] = entry.byline.name
        metadata["byline_role"] = entry.byline.role or ""
    if not metadata["tags"]:
        del metadata["tags"]
    return metadata


def entry_markdown(post: Post, notes: tuple[str, ...] = ()) -> str:
    """An entry's text and its editor's notes: the body of its own document, and
    its section of its day's document."""
    return entry_body(post.entry) + "".join(f"\n{note}\n" for note in notes)


def entry_document(post: Post, notes: tuple[str, ...] = ()) -> str:
    """``notes``: editor's notes on the entry, as Markdown blocks (``briefing_markdown``)."""
    return front_matter(entry_metadata(post)) + entry_markdown(post, notes)


def _day_heading(post: Post) -> str:
    when = time_label(post.entry)
    title = escape(post.entry.title)
    return f"{{#{post.anchor}}}\n## {when + ' ' if when else ''}{title}"


def _key_event_line(post: Post) -> str:
    labels = ", ".join(post.entry.labels) or "Recap"
    when = time_label(post.entry)
    text = " ".join(filter(None, (escape(when), escape(post.entry.title))))
    return f"- [{text}](#{post.anchor}) ({escape(labels)})"


def day_summary_blocks(day: Day, is_latest: bool) -> list:
    """The page head belongs to the blog's latest day; an earlier day uses its own
    closing entry's bullet list (``Live coverage concludes``), if it has one."""
    if is_latest:
        return list(day.blog.head.blocks)
    for post in reversed(day.posts):
        if post.entry.title.lower().startswith("live coverage concludes"):
            return [item for item in post.entry.blocks if isinstance(item, BulletList)]
    return []


def day_metadata(day: Day) -> dict:
    first = day.posts[0].entry
    return {
        "title": f"{day.date:%A} {day.date.day} {day.date:%B %Y}: {day.blog.title}",
        "date": _date_metadata(first),
        "slug": f"{day.blog.slug}-{day.date.isoformat()}",
        "url": day.url,
        "save_as": day.url,
        "briefings_kind": "day",
        "blog": day.blog.slug,
        "day": day.date.isoformat(),
        "entries": len(day.posts),
    }


class EntryPart(NamedTuple):
    """In a day document's parts: where the text of an entry (and its notes) stands,
    exactly as the body of the entry's own document (``entry_markdown``)."""

    post_id: str


DayParts = tuple  # of str (Markdown blocks) and EntryPart


def day_parts(day: Day, is_latest: bool, notes: Mapping[str, tuple[str, ...]] | None = None) -> DayParts:
    """The body of a day's document as its blocks, in order. Each block stands
    alone (no list, container or reference runs from one to the next), so the
    document's HTML is the HTML of its blocks one after another: a day page
    reuses its entries' HTML instead of rendering their text again
    (``render.render_parts``; tests/test_markdown.py checks the identity)."""
    notes = notes or {}
    parts: list = list(notes.get(day.url, ()))
    summary = day_summary_blocks(day, is_latest)
    if summary:
        parts.append("{#summary}\n## Summary")
        parts.extend(block(item) for item in summary)
    if day.key_events:
        parts.append("{#key-events}\n## Key events")
        parts.append("\n".join(_key_event_line(post) for post in day.key_events))
    parts.append(f"{{#entries}}\n## All {len(day.posts)} entries, oldest first")
    for post in day.posts:
        parts.append(_day_heading(post))
        if post.entry.labels:
            parts.append(_paragraph("labels", escape(" · ".join(post.entry.labels))))
        parts.append(EntryPart(post.id))
        link = urls.relative(day.url, post.url)
        parts.append(_paragraph("permalink", f"[Entry page]({link})"))
    return tuple(parts)


def day_document(
    day: Day,
    is_latest: bool,
    notes: Mapping[str, tuple[str, ...]] | None = None,
    parts: DayParts | None = None,
    bodies: Mapping[str, str] | None = None,
) -> str:
    """``notes``: editor's notes as Markdown blocks, by day URL and by entry id;
    ``bodies``: ``entry_markdown`` by entry id, when already made."""
    notes = notes or {}
    if parts is None:
        parts = day_parts(day, is_latest, notes)
    if bodies is None:
        bodies = {post.id: entry_markdown(post, notes.get(post.id, ())) for post in day.posts}
    blocks = [bodies[part.post_id].rstrip("\n") if isinstance(part, EntryPart) else part for part in parts]
    return front_matter(day_metadata(day)) + "\n\n".join(blocks) + "\n"


@dataclass(frozen=True)
class Documents:
    """Where the Markdown documents were written, relative to ``root``."""

    root: Path
    entries: dict[str, str]  # post id -> path
    days: dict[str, str]  # day url -> path
    day_parts: dict[str, DayParts]  # day url -> its document's blocks (day_parts)
    files: tuple[str, ...] = ()  # every document written, relative to root (what is published)
    # Each entry's document as written, by post id, until the entry is read
    # (glue/entries.py takes each out): its metadata (entry_metadata) and its body
    # as read from the file after the front matter. The file need not be read back.
    written: dict[str, tuple[dict, str]] = field(default_factory=dict, compare=False, repr=False)


# In the Markdown folder: the documents the last build wrote there. Only those are
# ever removed; anything else in the folder (a user's own files) is left alone.
MANIFEST = ".briefings-manifest.json"


def write_documents(
    archive: Archive,
    root: Path,
    extra: Mapping[str, str] | None = None,
    notes: Mapping[str, tuple[str, ...]] | None = None,
) -> Documents:
    """Write every entry and day document under ``root``; documents an earlier
    build wrote there (``MANIFEST``) and this one does not are removed, so the
    published Markdown mirrors the archive; no other file is touched. ``extra`` are more documents by
    path (recaps, entity pages: ``briefing_markdown``); ``notes`` are editor's
    notes by entry id and day URL.
    The same as ``write_entry_documents`` then ``finish_documents``."""
    return finish_documents(write_entry_documents(archive, root, notes), extra or {})


def write_entry_documents(
    archive: Archive, root: Path, notes: Mapping[str, tuple[str, ...]] | None = None
) -> Documents:
    """The entry and day documents, which need nothing of the briefing: written
    while it is made (glue/entries.py), read as soon as written. Until
    ``finish_documents``, the folder's manifest lists the last build's documents
    and these, so that a build stopped in between still knows its files."""
    wanted: dict[str, str] = {}
    notes = notes or {}
    entries, days, parts, bodies, written = {}, {}, {}, {}, {}
    for post in archive.posts:
        bodies[post.id] = entry_markdown(post, notes.get(post.id, ()))
        metadata = entry_metadata(post)
        wanted[post.markdown] = text = front_matter(metadata) + bodies[post.id]
        written[post.id] = (metadata, split_front_matter(text)[1])  # the body as the reader finds it in the file
        entries[post.id] = post.markdown
    for blog in archive.blogs:
        blog_days = archive.days_of(blog)
        for day in blog_days:
            parts[day.url] = day_parts(day, is_latest=day is blog_days[-1], notes=notes)
            wanted[day.markdown] = day_document(
                day, is_latest=day is blog_days[-1], notes=notes, parts=parts[day.url], bodies=bodies
            )
            days[day.url] = day.markdown
    root.mkdir(parents=True, exist_ok=True)
    _list(root, _written_before(root) | set(wanted))  # listed before writing
    _write_texts(root, wanted)
    return Documents(
        root=root, entries=entries, days=days, day_parts=parts, files=tuple(sorted(wanted)), written=written
    )


def finish_documents(documents: Documents, extra: Mapping[str, str]) -> Documents:
    """The other documents (``extra``, by path) written beside the entries' and
    days'; the documents of an earlier build that this one did not write removed."""
    root = documents.root
    names = set(documents.files) | set(extra)
    before = _written_before(root)
    _list(root, before | names)
    for relative in sorted(before - names):
        stale = root / relative
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    _write_texts(root, extra)
    _list(root, names)
    return replace(documents, files=tuple(sorted(names)))


def _written_before(root: Path) -> set[str]:
    """The documents the manifest lists; none if it is missing or unreadable (a
    folder of an earlier version then keeps its stale files, unpublished)."""
    try:
        listed = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    if not isinstance(listed, list):
        return set()
    return {
        name
        for name in listed
        if isinstance(name, str)
        and name.endswith(".md")
        and ".." not in PurePosixPath(name).parts
        and not PurePosixPath(name).is_absolute()
    }


def _list(root: Path, names) -> None:
    (root / MANIFEST).write_text(json.dumps(sorted(names), indent=0) + "\n", encoding="utf-8")


def _write_texts(root: Path, wanted: Mapping[str, str]) -> None:
    for relative, text in wanted.items():
        target = root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        elif target.read_text(encoding="utf-8") != text:  # unchanged files keep their mtime, for Pelican's cache
            # Replaced, not written over: the site in place may hold a hard link
            # to the old file (the published Markdown copy), which must not change.
            replace_file(target, text)
