"""Markdown -> HTML with markdown-it-py, the way every document of the site is read.

CommonMark with raw HTML off; ``:::`` containers and ``{#id .class}`` attributes
(only ids and classes) for the structure the Markdown writer adds. Figures render
as ``<figure>`` with their caption as ``<figcaption>``, editor's notes as ``<aside>``,
a ``briefings-thread`` fenced block as a thread's inline SVG (``thread_svg``).
"""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin

from . import thread_svg

FRONT_MATTER = "---\n"


def _render_figure(self, tokens, idx, options, env):
    return '<figure class="figure">\n' if tokens[idx].nesting == 1 else "</figure>\n"


def _render_note(self, tokens, idx, options, env):
    # An editor's note (briefing_markdown.note_block): set apart from the dump's text.
    return '<aside class="editors-note">\n' if tokens[idx].nesting == 1 else "</aside>\n"


def _fence(self, tokens, idx, options, env):
    # A thread's picture (thread_svg): drawn here, from the block's JSON, every text escaped.
    if tokens[idx].info.strip() == thread_svg.FENCE:
        return thread_svg.render(tokens[idx].content)
    return self.fence(tokens, idx, options, env)


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


# The attrs plugin hands the rest of the paragraph to its attribute parser at
# every ``[…]`` span and after it, which is quadratic in the paragraph's length
# (a megabyte line of ", external" markers took minutes). The attribute blocks
# this site writes are short, so the parser is shown a window of this many
# characters instead, and the after-span rule runs only where a ``{`` stands.
ATTRS_WINDOW = 256
ALLOWED_ATTRS = ("id", "class")


def _span_rule(state, silent: bool) -> bool:
    """``[text]{.class}``, as the attrs plugin reads it, in time linear in the text."""
    if state.src[state.pos] != "[":
        return False
    maximum = state.posMax
    label_start, label_end = state.pos + 1, state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or label_end + 1 >= maximum:
        return False
    try:
        length, attrs = parse_attrs(state.src[label_end + 1 : label_end + 1 + ATTRS_WINDOW])
    except ParseError:
        return False
    if not silent:
        state.pos, state.posMax = label_start, label_end
        token = state.push("span_open", "span", 1)
        token.attrs.update({key: value for key, value in attrs.items() if key in ALLOWED_ATTRS})
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
    state.pos, state.posMax = label_end + 1 + length + 1, maximum
    return True


def _only_at_brace(rule):
    def guarded(state, silent: bool) -> bool:
        return state.src[state.pos] == "{" and rule(state, silent)

    return guarded


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(attrs_plugin, spans=True, allowed=ALLOWED_ATTRS)
    md.inline.ruler.at("span", _span_rule)
    md.inline.ruler.at("attr", _only_at_brace(md.inline.ruler.__rules__[md.inline.ruler.__find__("attr")].fn))
    md.use(attrs_block_plugin, allowed=ALLOWED_ATTRS)
    md.use(container_plugin, name="figure", render=_render_figure)
    md.use(container_plugin, name="note", render=_render_note)
    md.add_render_rule("paragraph_open", _paragraph_open)
    md.add_render_rule("paragraph_close", _paragraph_close)
    md.add_render_rule("fence", _fence)
    return md


def render_parts(md: MarkdownIt, parts, rendered) -> str:
    """The HTML of a document given as blocks that each stand alone
    (``markdown.day_parts``): runs of Markdown blocks are rendered together, and
    ``rendered(part)`` gives the HTML of any other part (an entry the build has
    already rendered). Equal to rendering the blocks joined by blank lines."""
    html, run = [], []
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if run:
            html.append(md.render("\n\n".join(run)))
            run = []
        html.append(rendered(part))
    if run:
        html.append(md.render("\n\n".join(run)))
    return "".join(html)


class ListBlock(NamedTuple):
    """A heading and the tight bullet list under it, as one block of a document
    (an entity page's day: briefing_markdown.entity_parts). ``markdown`` is its
    text; ``render_block`` makes the same HTML from each item's inline HTML, so
    that an item, which recurs on every entity page of the entry, is rendered once."""

    heading: str
    items: tuple[str, ...]

    @property
    def markdown(self) -> str:
        return self.heading + "\n\n" + "\n".join(f"- {item}" for item in self.items)


def block_texts(block) -> list[tuple[str, str]]:
    """What render_block renders of ``block``, as ``(kind, text)``: ``"html"`` for
    ``md.render``, ``"inline"`` for ``md.renderInline`` (the render cache's kinds)."""
    if not isinstance(block, ListBlock):
        return [("html", block)]
    return [("html", block.heading)] + [("inline", item) for item in block.items]


def render_block(md: MarkdownIt, block, render=None, inline=None) -> str:
    """The HTML of one standalone block: a Markdown string (``render``, by default
    ``md.render``), or a ListBlock, put together as markdown-it renders a tight
    list (its items through ``inline``, by default ``md.renderInline``).
    tests/test_markdown.py checks that it equals rendering the whole document."""
    render = render or md.render
    if not isinstance(block, ListBlock):
        return render(block)
    inline = inline or md.renderInline
    items = "".join(f"<li>{inline(item)}</li>\n" for item in block.items)
    return f"{render(block.heading)}<ul>\n{items}</ul>\n"


def split_front_matter(text: str) -> tuple[str, str]:
    """``(yaml, body)``; a document without front matter has empty yaml."""
    if not text.startswith(FRONT_MATTER):
        return "", text
    end = text.find("\n---\n", len(FRONT_MATTER) - 1)
    if end == -1:
        return "", text
    return text[len(FRONT_MATTER) : end + 1], text[end + len("\n---\n") :]


# --- editor's notes --------------------------------------------------------------

# What a note may not do, outside code: raw HTML or autolinks (``<``, which recap.md
# would hand to a newsletter tool as HTML), attributes (``{#id .class}``, which
# could hide the page's own parts), images (``![``, a tracking pixel in every
# email), links to anything but http(s), mailto and relative addresses. Each is
# written as a character reference instead, which every CommonMark reader shows
# as the character typed and none reads as syntax.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)
_NOTE_SYNTAX = re.compile(r"<|\{|!(?=\[)|\]\((?=\s*([^\s)]*))|^ {0,3}\[(?=[^\]\n]+\]:\s*(\S*))", re.MULTILINE)
SAFE_SCHEMES = ("http", "https", "mailto")


def safe_note_markdown(text: str) -> str:
    """An editor's Markdown with what ``_NOTE_SYNTAX`` matches made plain text;
    code (fenced, indented, inline) is left as written, where nothing is syntax."""
    code_lines = set()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type in ("fence", "code_block") and token.map:
            code_lines.update(range(*token.map))
    lines, chunk, out = text.split("\n"), [], []
    for number, line in enumerate(lines):
        if number in code_lines:
            if chunk:
                out.append(_outside_code_spans("\n".join(chunk)))
                chunk = []
            out.append(line)
        else:
            chunk.append(line)
    if chunk:
        out.append(_outside_code_spans("\n".join(chunk)))
    return "\n".join(out)


def _outside_code_spans(text: str) -> str:
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(_NOTE_SYNTAX.sub(_plain, text[start : span.start()]))
        parts.append(span.group(0))
        start = span.end()
    parts.append(_NOTE_SYNTAX.sub(_plain, text[start:]))
    return "".join(parts)


def _plain(match: re.Match) -> str:
    found = match.group(0)
    destination = match.group(1) if match.group(1) is not None else match.group(2)
    if destination is not None:  # a link or a link reference definition: only safe targets
        scheme = re.match(r"\s*<?\s*([a-z][a-z0-9+.\-]*):", html.unescape(destination), re.IGNORECASE)
        if not scheme or scheme.group(1).lower() in SAFE_SCHEMES:
            return found
        return found.replace("[", "&#91;").replace("](", "]&#40;")
    return f"&#{ord(found)};"
