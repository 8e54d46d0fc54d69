"""A recap, ready for an email newsletter: ``email.html``, ``email.txt``, ``recap.md``.

Made from the recap's own Markdown document, so the three agree with the page:
- email.html: table layout at most 600 px wide, CSS inlined with css-inline (the
  ``<style>`` stays only for the dark-mode media query), no script, form, iframe or
  external stylesheet, every link absolute to the published site;
- email.txt: the same text, links written out;
- recap.md: the Markdown with absolute links and without our ``{.class}``/``:::``
  structure, which newsletter tools would show as text.
Links can only be absolute when the site has an address (``SITEURL``); without
one they are relative to where the export files are written.
"""

from __future__ import annotations

import posixpath
import re
import textwrap
from dataclasses import dataclass
from urllib.parse import urljoin

import css_inline
from markupsafe import escape

from .. import urls
from . import thread_svg
from .markdown import escape as escape_markdown
from .render import make_markdown, split_front_matter

EMAIL_WIDTH = 600
TEXT_WIDTH = 72

EMAIL_CSS = """
body { margin: 0; padding: 0; background: #f4f3ef; }
.outer { width: 100%; background: #f4f3ef; }
.sheet { width: 100%; max-width: 600px; background: #ffffff; }
.content { padding: 24px 28px; font-family: Georgia, 'Times New Roman', serif; font-size: 16px; line-height: 1.55; color: #1d1d1f; }
.masthead { font-family: Arial, Helvetica, sans-serif; font-size: 13px; font-weight: bold; color: #8a1c1c; text-transform: uppercase; letter-spacing: 1px; }
h1 { font-family: Arial, Helvetica, sans-serif; font-size: 24px; line-height: 1.25; margin: 8px 0 16px; color: #1d1d1f; }
h2 { font-family: Arial, Helvetica, sans-serif; font-size: 18px; line-height: 1.3; margin: 24px 0 8px; color: #1d1d1f; }
h3 { font-family: Arial, Helvetica, sans-serif; font-size: 16px; margin: 18px 0 6px; color: #1d1d1f; }
p { margin: 0 0 12px; }
ul, ol { margin: 0 0 12px; padding-left: 22px; }
li { margin: 0 0 6px; }
a { color: #0b5cad; }
blockquote { margin: 0 0 12px; padding-left: 12px; border-left: 3px solid #dddddd; font-style: italic; }
figure { margin: 0 0 12px; padding: 8px 12px; border: 1px dashed #dddddd; }
figcaption { font-size: 14px; }
.byline, .figure-credit, .meta, .footer { font-family: Arial, Helvetica, sans-serif; font-size: 13px; color: #5b5b66; }
.footer { padding: 16px 28px 24px; }
""".strip()

DARK_CSS = """
@media (prefers-color-scheme: dark) {
  body, .outer { background: #16171a !important; }
  .sheet { background: #1f2024 !important; }
  .content, h1, h2, h3 { color: #ececec !important; }
  a { color: #8cc4ff !important; }
}
""".strip()

_ATTRS_LINE = re.compile(r"^\{[#.][^}]*\}\s*$", re.MULTILINE)
_FENCE_LINE = re.compile(r"^:::.*$\n?", re.MULTILINE)
_SPAN_ATTRS = re.compile(r"(?<!\\)\]\{[#.][^}]*\}")
# A link's destination may hold balanced parentheses (CommonMark), one level deep
# here: ``[Minsk II](notes/minsk_(2015).html)``.
_MD_LINK = re.compile(r"(?<!\\)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")


@dataclass(frozen=True)
class Export:
    html: str
    text: str
    markdown: str


@dataclass(frozen=True)
class Place:
    """Where links are resolved from: the page the Markdown was written for, the
    folder the export files go to, and the site's address (may be empty)."""

    page_url: str
    export_url: str
    siteurl: str

    def link(self, href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            return href  # already absolute (http:, https:, mailto:)
        if href.startswith("#"):
            target = self.page_url + href
        else:
            path, _, fragment = href.partition("#")
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_url), path))
            target = joined + (f"#{fragment}" if fragment else "")
        if self.siteurl:
            return urljoin(self.siteurl.rstrip("/") + "/", target)
        return urls.relative(self.export_url, target)

    @property
    def page_link(self) -> str:
        return self.link(posixpath.basename(self.page_url))


def _absolutize(tokens, place: Place) -> None:
    for token in tokens:
        if token.children:
            _absolutize(token.children, place)
        if token.type == "link_open":
            token.attrSet("href", place.link(token.attrGet("href") or ""))


def email_html(title: str, content: str, place: Place, site_name: str) -> str:
    """``content``: the recap's body as HTML, its links already absolute."""
    document = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{escape(title)}</title>
<style>{EMAIL_CSS}</style>
</head>
<body>
<table role="presentation" class="outer" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td align="center" style="padding: 16px 8px;">
<table role="presentation" class="sheet" width="{EMAIL_WIDTH}" cellpadding="0" cellspacing="0" border="0">
<tr><td class="content">
<p class="masthead">{escape(site_name)}</p>
<h1>{escape(title)}</h1>
{content}
</td></tr>
<tr><td class="footer">Read this recap online: <a href="{escape(place.page_link)}">{escape(place.page_link)}</a></td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""
    inlined = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False).inline(document)
    # Inlining drops the <style>; the dark-mode rules cannot be inlined, so they go back.
    return inlined.replace("</head>", f"<style>{DARK_CSS}</style>\n</head>", 1)


def _text_of(children) -> str:
    """Inline tokens as plain text, each link followed by its address."""
    parts, href_stack = [], []
    for token in children or ():
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "link_open":
            href_stack.append(token.attrGet("href"))
        elif token.type == "link_close" and href_stack:
            parts.append(f" <{href_stack.pop()}>")
    return "".join(parts)


def email_text(title: str, tokens, place: Place) -> str:
    """``tokens``: the recap's body parsed by markdown-it, links already absolute."""
    lines = [title, "=" * min(len(title), TEXT_WIDTH), ""]
    prefix, heading = "", None
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
        elif token.type == "bullet_list_open":
            prefix = "- "
        elif token.type == "bullet_list_close":
            prefix = ""
            lines.append("")
        elif token.type == "blockquote_open":
            prefix = "> "
        elif token.type == "blockquote_close":
            prefix = ""
        elif token.type == "inline":
            text = _text_of(token.children)
            if heading:
                lines += [text.upper() if heading == "h2" else text, ""]
                heading = None
                continue
            indent = " " * len(prefix)
            lines += textwrap.wrap(
                text,
                TEXT_WIDTH,
                initial_indent=prefix,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            if prefix != "- ":
                lines.append("")
    lines += ["", f"Read online: {place.page_link}"]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def newsletter_markdown(title: str, body: str, place: Place) -> str:
    """Plain Markdown: our attribute lines and fences removed, links absolute."""
    plain = _FENCE_LINE.sub("", _ATTRS_LINE.sub("", body))
    plain = _SPAN_ATTRS.sub("]", plain)
    plain = _MD_LINK.sub(lambda m: f"]({place.link(m.group(1))})", plain)
    plain = re.sub(r"\n{3,}", "\n\n", plain).strip()
    return f"# {escape_markdown(title)}\n\n{plain}\n\n[Read online]({place.page_link})\n"


def export_recap(document: str, title: str, place: Place, site_name: str, md=None) -> Export:
    """All three forms of one recap, from its Markdown document (front matter ok);
    ``md``: a ``render.make_markdown()`` to use (one is made otherwise)."""
    _, body = split_front_matter(document)
    body = thread_svg.without_pictures(body)
    md = md or make_markdown()
    tokens = md.parse(body)
    _absolutize(tokens, place)
    return Export(
        html=email_html(title, md.renderer.render(tokens, md.options, {}), place, site_name),
        text=email_text(title, tokens, place),
        markdown=newsletter_markdown(title, body, place),
    )
