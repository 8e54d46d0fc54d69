"""The markdown-it-py reader of the documents the build generates (never of the site's own)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import yaml
from markupsafe import Markup, escape
from pelican.readers import BaseReader

from ..write.render import make_markdown, render_block, split_front_matter
from . import reuse

# libyaml's parser when PyYAML has it: same values, about 8x faster than the
# pure-Python one, which took a third of the time of reading entries.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        # What a document's front matter says, when the build has it at hand, by
        # absolute path: an entry's metadata, just written (markdown.entry_metadata;
        # tests/test_markdown.py checks that it reads back from the YAML unchanged).
        self.front_matter: dict[str, dict] = {}
        # A document's body as blocks that each stand alone, by absolute path: its
        # HTML is theirs one after another, each rendered, and kept, on its own
        # (an entity page: briefing_markdown.entity_parts; render.render_block).
        self.parts: dict[str, tuple] = {}

    def read(self, source_path):
        text = Path(source_path).read_text(encoding="utf-8")
        raw_metadata, body = split_front_matter(text)
        parts = self.parts.pop(str(source_path), None)
        if parts is not None:
            md, renders = self.markdown, self.renders
            render = (lambda text: renders.render(text, md.render)) if renders else md.render
            inline = (lambda item: renders.made("inline", item, md.renderInline)) if renders else md.renderInline
            html = "".join(render_block(md, part, render, inline) for part in parts)
        else:
            render = self.assemble.pop(str(source_path), self.markdown.render)
            html = self.renders.render(body, render) if self.renders else render(body)
        loaded = self.front_matter.pop(str(source_path), None)
        if loaded is None:
            loaded = yaml.load(raw_metadata, Loader=YAML_LOADER) if raw_metadata else {}
        metadata = {}
        for key, value in (loaded or {}).items():
            key = str(key).lower()
            if key in ("title", "summary"):
                # Pelican treats these as HTML; ours are plain text, so escape them.
                metadata[key] = Markup(escape(str(value)))
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
