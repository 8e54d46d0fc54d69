"""The markdown-it-py reader of the documents the build generates (never of the site's own)."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from dateutil import tz
from markupsafe import Markup, escape
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime

from ..write.render import make_markdown, render_block, split_front_matter
from . import reuse

# libyaml's parser when PyYAML has it: same values, about 8x faster than the
# pure-Python one, which took a third of the time of reading entries.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The dates our front matter writes (markdown.entry_metadata): seconds and an offset.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:[+-][0-9]{2}:[0-9]{2})?")


def iso_date(value: str) -> SafeDatetime | None:
    """What Pelican's date processor (``pelican.utils.get_date``, dateutil's parser)
    makes of one of our dates, the same value, class and tzinfo, made by
    ``datetime.fromisoformat``: dateutil took 10,000 entries' dates about 1.5 s.
    None for any other string, which goes to Pelican's own processor."""
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:  # 2022-02-30: Pelican's processor says so
        return None
    offset = parsed.utcoffset()
    naive = SafeDatetime(parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second)
    if offset is None:
        return naive
    if offset != timedelta(0):
        return naive.replace(tzinfo=tz.tzoffset(None, int(offset.total_seconds())))
    # dateutil names +00:00 "UTC", and takes a zone of that name to be the
    # machine's own when the machine's zone is called so.
    if "UTC" in time.tzname and naive.replace(tzinfo=tz.tzlocal()).tzname() == "UTC":
        return naive.replace(tzinfo=tz.tzlocal())
    return naive.replace(tzinfo=tz.UTC)


class MarkdownItReader(BaseReader):
    """Reads ``.md`` with YAML front matter through markdown-it-py."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.markdown = make_markdown()
        # How to make a document's HTML other than by rendering its body, by
        # absolute path: a day page put together from its entries' HTML
        # (BriefingsGenerator._read_days).
        self.assemble: dict[str, object] = {}
        # The HTML of bodies the last build rendered (reuse.RenderCache), if any.
        self.renders: reuse.RenderCache | None = None
        # A document the build has just written and still holds, by absolute path:
        # its front matter's metadata and its body, not read back from the file (an
        # entry: markdown.entry_metadata, whose YAML tests/test_markdown.py reads
        # back unchanged, and markdown.entry_markdown).
        self.written: dict[str, tuple[dict, str]] = {}
        # A document's body as blocks that each stand alone, by absolute path: its
        # HTML is theirs one after another, each rendered, and kept, on its own
        # (an entity page: briefing_markdown.entity_parts; render.render_block).
        self.parts: dict[str, tuple] = {}

    def read(self, source_path):
        loaded, body = self.written.pop(str(source_path), (None, None))
        if body is None:
            raw_metadata, body = split_front_matter(Path(source_path).read_text(encoding="utf-8"))
        parts = self.parts.pop(str(source_path), None)
        if parts is not None:
            md, renders = self.markdown, self.renders
            render = (lambda text: renders.render(text, md.render)) if renders else md.render
            inline = (lambda item: renders.made("inline", item, md.renderInline)) if renders else md.renderInline
            html = "".join(render_block(md, part, render, inline) for part in parts)
        else:
            render = self.assemble.pop(str(source_path), self.markdown.render)
            html = self.renders.render(body, render) if self.renders else render(body)
        if loaded is None:
            loaded = yaml.load(raw_metadata, Loader=YAML_LOADER) if raw_metadata else {}
        metadata = {}
        for key, value in (loaded or {}).items():
            key = str(key).lower()
            if key in ("title", "summary"):
                # Pelican treats these as HTML; ours are plain text, so escape them.
                metadata[key] = Markup(escape(str(value)))
            elif key == "date" and isinstance(value, str) and (date := iso_date(value)) is not None:
                metadata[key] = date
            elif isinstance(value, (str, int, float)):
                metadata[key] = self.process_metadata(key, str(value) if key in ("date", "tags") else value)
            else:
                metadata[key] = self.process_metadata(key, str(value))
        return html, metadata


@contextmanager
def own_documents(readers):
    """Our documents carry all their metadata in their front matter: Pelican must
    not read more out of their names (FILENAME_METADATA would take an entry's
    ``0802-20-30-drones-…`` for a date) or folders, whatever the site's settings say."""
    settings = readers.settings
    readers.settings = dict(settings, FILENAME_METADATA="", PATH_METADATA="", USE_FOLDER_AS_CATEGORY=False)
    try:
        yield
    finally:
        readers.settings = settings
