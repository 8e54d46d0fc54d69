"""Live blogs from elsewhere: ``NAME.json`` -> ``model.Blog``.

The schema is what ``write/export.py`` writes for an entry to ``api/entries.json``
(docs/inputs.md, "JSON input"), so a site built from another site's
``api/entries.json`` has the same entries, days and ids. The file is either

- an object: the blog's metadata with the YAML's keys (``title``, ``source``,
  ``slug``, ``publisher``, ``description``, ``date``), an optional ``summary``
  (the page head's lines), and ``entries``, a list of entries; or
- a list of entries, as ``api/entries.json`` is: metadata from ``NAME.yaml``
  beside it if there is one, else from each entry's ``blog`` and ``blog_title``
  (a list of several blogs' entries makes several blogs).

An entry: ``published`` (ISO 8601 with its offset, or null), ``day`` (needed
only without ``published``), ``title``, ``labels``, ``byline`` (``{name, role}``
or null), ``text`` (paragraphs separated by a blank line; a paragraph of ``•``
lines is a bullet list) and ``pictures`` (``{description, credit, caption, at}``,
``at`` the number of paragraphs before it). Every other field (``id``, ``url``,
``summary``, ``period``…) is the site's own making and is ignored.

Errors are one line naming the file, the entry's index and the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from .. import urls
from ..errors import BriefingsError, Problem
from ..model import Blog, BulletList, Byline, Dump, Entry, Figure, Head, Paragraph, Quote
from .parse import BULLET, LABELS, inline, visible

METADATA = ("title", "source", "slug", "publisher", "description", "date", "year")
STRUCTURE = ("entries", "summary")
# Computed by the site, so what the API writes but an input need not (and may not) say.
IGNORED = (
    "id",
    "url",
    "blog",
    "blog_title",
    "utc",
    "summary",
    "markdown",
    "period",
    "entities",
    "related",
    "number",
)
ENTRY_FIELDS = ("published", "day", "title", "labels", "byline", "text", "pictures", "quotes", "zone")
PICTURE_FIELDS = ("description", "credit", "caption", "at")
ZONE_NAMES = {timedelta(0): "GMT", timedelta(hours=1): "BST"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def load_json_blogs(path: Path, yaml_meta=None) -> tuple[list[Blog], list[Problem]]:
    """The blogs of one JSON file. ``yaml_meta``: the ``sources.Metadata`` of
    ``NAME.yaml`` beside it, if any (the file's own keys win over it)."""
    shown = str(path)
    data = _read(path)
    problems: list[Problem] = []
    if isinstance(data, dict):
        meta, records, summary = _object_form(data, shown, problems)
        groups = {None: records}
    elif isinstance(data, list):
        meta, summary = {}, []
        groups = {}
        for index, record in enumerate(data):
            blog = record.get("blog") if isinstance(record, dict) and yaml_meta is None else None
            groups.setdefault(blog if isinstance(blog, str) and blog.strip() else None, []).append((index, record))
    else:
        raise BriefingsError(shown, None, "JSON input must be a list of entries, or an object with `entries`")
    if not any(groups.values()):
        raise BriefingsError(shown, None, 'no entries: give at least one, like {"published": …, "title": …, "text": …}')
    yaml_values = dict(yaml_meta.values) if yaml_meta is not None else {}
    blogs = []
    for slug, indexed in groups.items():
        problems.extend(_unknown_fields(indexed, shown))
        entries = tuple(_entries(indexed, shown, {**yaml_values, **meta}.get("date")))
        first = indexed[0][1] if indexed else {}
        values = {**yaml_values, **meta}
        title = values.get("title") or (first.get("blog_title") if isinstance(first, dict) else None)
        blog_slug = values.get("slug") or slug or path.stem
        head = Head((BulletList(tuple(inline(visible(t)) for t in summary), ()),) if summary else (), ())
        blogs.append(
            Blog(
                slug=urls.slugify(_one_line(blog_slug)),
                title=_one_line(title) if title else path.stem.replace("-", " ").replace("_", " "),
                source=_source(values.get("source"), shown, problems),
                year=None,
                path=shown if len(groups) == 1 else f"{shown} ({slug})",
                dump=Dump(shown, head, entries),
                extra=tuple((key, _one_line(values[key])) for key in ("publisher", "description") if values.get(key)),
            )
        )
    return blogs, problems


def _read(path: Path):
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BriefingsError(shown, None, f"not UTF-8 (byte {error.start}): re-save it as UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BriefingsError(
            shown, error.lineno, f"invalid JSON: {error.msg} (column {error.colno}): fix the file"
        ) from None
    except RecursionError:
        raise BriefingsError(shown, None, "invalid JSON: nested too deeply to be a live blog") from None


def _object_form(data: dict, shown: str, problems: list[Problem]):
    for key in data:
        if key not in METADATA + STRUCTURE:
            known = ", ".join(METADATA + STRUCTURE)
            problems.append(Problem(shown, None, f"unknown key '{key}' ignored; known keys: {known}", "warning"))
    records = data.get("entries")
    if not isinstance(records, list):
        raise BriefingsError(shown, None, '`entries` must be a list of entries (docs/inputs.md, "JSON input")')
    summary = data.get("summary") or []
    if not isinstance(summary, list) or not all(isinstance(line, str) for line in summary):
        raise BriefingsError(shown, None, "`summary` must be a list of lines of text")
    meta = {}
    for key in METADATA:
        value = data.get(key)
        if value is None or value == "":
            continue
        if key == "year":
            continue  # stamps in JSON carry their year; kept so a YAML's keys can be copied as they are
        if not isinstance(value, str):
            raise BriefingsError(shown, None, f"`{key}` must be a line of text")
        meta[key] = value
    return meta, list(enumerate(records)), summary


def _entries(indexed: list[tuple[int, object]], shown: str, default_day) -> list[Entry]:
    drafts = [_entry(record, index, shown, default_day) for index, record in indexed]
    # Page order, newest first, as a dump has it; untimestamped entries keep the
    # file's order within their day (oldest first, as api/entries.json lists them).
    order = sorted(
        range(len(drafts)),
        key=lambda i: (drafts[i].day, drafts[i].utc.timestamp() if drafts[i].utc else float("-inf"), i),
        reverse=True,
    )
    return [replace(drafts[i], number=number) for number, i in enumerate(order, 1)]


def _unknown_fields(indexed: list[tuple[int, object]], shown: str) -> list[Problem]:
    known = set(ENTRY_FIELDS) | set(IGNORED)
    unknown = sorted({key for _, record in indexed if isinstance(record, dict) for key in record} - known)
    if not unknown:
        return []
    names = ", ".join(f"'{key}'" for key in unknown)
    return [Problem(shown, None, f"entry fields {names} ignored; known fields: {', '.join(ENTRY_FIELDS)}", "warning")]


class _Field:
    """Where a value came from, for one-line errors: ``entries[3].published``."""

    def __init__(self, shown: str, index: int):
        self.shown, self.index = shown, index

    def error(self, name: str, reason: str) -> BriefingsError:
        return BriefingsError(self.shown, None, f"entry {self.index} (counting from 0), `{name}`: {reason}")


def _entry(record, index: int, shown: str, default_day) -> Entry:
    where = _Field(shown, index)
    if not isinstance(record, dict):
        raise BriefingsError(shown, None, f"entry {index} (counting from 0) is not an object with `title` and `text`")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise where.error("title", "missing or empty: every entry needs a title")
    published = _published(record.get("published"), where)
    day = _day(record.get("day"), where)
    if published and day and published.date() != day:
        raise where.error(
            "day", f"'{day}' is not the local date of `published` ({published.isoformat()}): correct one of them"
        )
    if published is None and day is None:
        day = _day(default_day, where) if default_day else None
        if day is None:
            raise where.error("published", "missing: give `published` (with its offset), or at least `day`")
    return Entry(
        0,
        _one_line(title),
        _labels(record.get("labels"), where),
        published,
        _zone(record.get("zone"), published, where),
        day or published.date(),
        _byline(record.get("byline"), where),
        _blocks(record.get("text"), record.get("pictures"), record.get("quotes"), where),
        0,
        (),
    )


def _published(value, where: _Field) -> datetime | None:
    if value is None:
        return None
    example = "write it like 2022-02-15T09:01:00+00:00"
    if not isinstance(value, str):
        raise where.error("published", f"must be a text, {example}")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise where.error("published", f"'{value}' is not an ISO 8601 time: {example}") from None
    if moment.utcoffset() is None:
        raise where.error("published", f"'{value}' has no offset, so its instant is unknown: {example}")
    return moment


def _day(value, where: _Field) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise where.error("day", f"'{value}' is not a date: write it like 2022-02-15") from None


def _zone(value, published: datetime | None, where: _Field) -> str | None:
    if published is None:
        return None
    if value is not None:
        if not isinstance(value, str) or not value.strip():
            raise where.error("zone", "must be a zone's name, like GMT")
        return _one_line(value)
    offset = published.utcoffset()
    if offset in ZONE_NAMES:
        return ZONE_NAMES[offset]
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(offset).seconds // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _labels(value, where: _Field) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise where.error("labels", 'must be a list of words, like ["breaking"]')
    # The API writes labels in lower case; a dump's own spelling is the one shown.
    spelled = {known.casefold(): known for known in LABELS}
    return tuple(spelled.get(item.strip().casefold(), _one_line(item)) for item in value)


def _byline(value, where: _Field) -> Byline | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        raise where.error("byline", 'must be null or {"name": …, "role": …}')
    role = value.get("role")
    if role is not None and not isinstance(role, str):
        raise where.error("byline", "`role` must be a text or null")
    return Byline(_one_line(value["name"]), _one_line(role) if role and role.strip() else None, ())


def _blocks(text, pictures, quotes, where: _Field) -> tuple:
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise where.error("text", "must be a text: paragraphs separated by a blank line")
    blocks: list = []
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n").strip()):
        lines = [visible(line).strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith(BULLET) for line in lines):
            blocks.append(BulletList(tuple(inline(line[len(BULLET) :].strip()) for line in lines), ()))
        else:
            blocks.append(Paragraph(inline(" ".join(lines)), ()))
    blocks = _quoted(blocks, quotes, where)
    figures = _pictures(pictures, len(blocks), where)
    placed: list = []
    for at in range(len(blocks) + 1):
        placed.extend(figure for before, figure in figures if before == at)
        placed.extend(blocks[at : at + 1])
    return tuple(placed)


def _quoted(blocks: list, quotes, where: _Field) -> list:
    """``quotes``: the paragraphs (counting from 0) that quote someone."""
    if quotes is None:
        return blocks
    if not isinstance(quotes, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in quotes):
        raise where.error("quotes", "must be a list of paragraph numbers, counting from 0")
    for n in quotes:
        if not (0 <= n < len(blocks) and isinstance(blocks[n], Paragraph)):
            raise where.error("quotes", f"{n} is not one of the text's {len(blocks)} paragraphs (counting from 0)")
        blocks[n] = Quote(blocks[n].text, ())
    return blocks


def _pictures(value, paragraphs: int, where: _Field) -> list[tuple[int, Figure]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise where.error("pictures", "must be a list of {description, credit, caption, at}")
    figures = []
    for number, picture in enumerate(value):
        name = f"pictures[{number}]"
        if not isinstance(picture, dict):
            raise where.error(name, "must be an object {description, credit, caption, at}")
        parts = {}
        for key in ("description", "credit", "caption"):
            part = picture.get(key)
            if part is not None and not isinstance(part, str):
                raise where.error(f"{name}.{key}", "must be a text or null")
            parts[key] = _one_line(part) if part and part.strip() else None
        if not any(parts.values()):
            raise where.error(name, "has no description, credit or caption: give at least one, or remove it")
        at = picture.get("at", paragraphs)
        if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at <= paragraphs:
            raise where.error(f"{name}.at", f"must be a number of paragraphs before it, 0 to {paragraphs}")
        figures.append((at, Figure(parts["description"], parts["credit"], parts["caption"], ())))
    return figures


def _source(value, shown: str, problems: list[Problem]) -> str | None:
    """Only an http(s) URL is linked, as with the YAML's ``source:``."""
    if not value:
        return None
    source = _one_line(value)
    if urlsplit(source).scheme.lower() in ("http", "https"):
        return source
    problems.append(
        Problem(
            shown,
            None,
            f"`source: {source}` is not an http(s) URL, so it is not linked: write the page's https://… address",
            "warning",
        )
    )
    return None


def _one_line(text: str) -> str:
    """A text value on one line, control characters made visible (as the YAML's are)."""
    return visible(" ".join(str(text).split()))
