"""Markdown -> HTML with markdown-it-py, the way every document of the site is read.

CommonMark with raw HTML off; ``:::`` containers and ``{#id .class}`` attributes
(only ids and classes) for the structure the Markdown writer adds. Figures render
as ``<figure>`` with their caption as ``<figcaption>``, editor's notes as ``<aside>``.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin

FRONT_MATTER = "---\n"


def _render_figure(self, tokens, idx, options, env):
    return '<figure class="figure">\n' if tokens[idx].nesting == 1 else "</figure>\n"


def _render_note(self, tokens, idx, options, env):
    # An editor's note (briefing_markdown.note_block): set apart from the dump's text.
    return '<aside class="editors-note">\n' if tokens[idx].nesting == 1 else "</aside>\n"


def _paragraph_open(self, tokens, idx, options, env):
    if tokens[idx].attrGet("class") == "figure-caption":
        tokens[idx].tag = "figcaption"
    return self.renderToken(tokens, idx, options, env)


def _paragraph_close(self, tokens, idx, options, env):
    # The matching open token is the nearest paragraph_open before this one.
    for back in range(idx - 1, -1, -1):
        if tokens[back].type == "paragraph_open":
            tokens[idx].tag = tokens[back].tag
            break
    return self.renderToken(tokens, idx, options, env)


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(attrs_plugin, spans=True, allowed=("id", "class"))
    md.use(attrs_block_plugin, allowed=("id", "class"))
    md.use(container_plugin, name="figure", render=_render_figure)
    md.use(container_plugin, name="note", render=_render_note)
    md.add_render_rule("paragraph_open", _paragraph_open)
    md.add_render_rule("paragraph_close", _paragraph_close)
    return md


def split_front_matter(text: str) -> tuple[str, str]:
    """``(yaml, body)``; a document without front matter has empty yaml."""
    if not text.startswith(FRONT_MATTER):
        return "", text
    end = text.find("\n---\n", len(FRONT_MATTER) - 1)
    if end == -1:
        return "", text
    return text[len(FRONT_MATTER) : end + 1], text[end + len("\n---\n") :]
