"""Hostile text, and the checks that it stayed text: one place for every feature.

Whatever puts dump or YAML text into the output (pages, JSON, feeds, Markdown,
and later the search index, entity names, editor's notes, email recaps,
JSON-LD) should be tested with ``HOSTILE`` and checked with these functions:

    from hostile import HOSTILE, MARKER, kept, shown, html_problems, json_problems, feed_problems

- ``hostile_dump()``: a dump with every string in every place a dump has.
- ``HOSTILE``: one-line strings, each trying to become markup, a link, a
  template expression, a Pelican link or Markdown structure. Every string that
  would run something calls or names ``MARKER``, so a check can tell content
  from the theme's own scripts and images.
- ``shown(text)``: what a reader must see for ``text`` (control characters as
  visible symbols, runs of white space as one space); ``kept(text)``: what data
  such as JSON keeps of it (every character, controls as visible symbols).
- ``*_problems(...)``: empty when the output is inert; otherwise what is wrong.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser

from pelican.plugins.briefings.ingest.parse import visible

MARKER = "pwned"

HOSTILE: tuple[str, ...] = (
    "<script>alert('pwned')</script>",
    "</script><script>alert('pwned')</script><!--",
    "<img src=x onerror=alert('pwned')>",
    "<svg onload=alert('pwned')><iframe src=\"javascript:alert('pwned')\"></iframe>",
    "<a href=\"javascript:alert('pwned')\">pwned link</a>",
    "\"><script>alert('pwned')</script><a title='",
    "' onmouseover='alert(\"pwned\")' x='",
    "[pwned link](javascript:alert('pwned'))",
    "![pwned image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[pwned data](data:text/html,<script>alert('pwned')</script>)",
    "<https://example.org/pwned> and <javascript:alert('pwned')>",
    "javascript:alert('pwned') data:text/html;base64,cHduZWQ=",
    "{{ pwned }} {% if true %}pwned{% endif %} {# pwned #} {{ ''.__class__ }}",
    "{filename}/pwned.md {static}/pwned.png |filename|pwned.md {attach}pwned",
    "*pwned* **pwned** _pwned_ `pwned` ~~pwned~~ $pwned$",
    "# pwned, not a heading",
    "> pwned, not a quote",
    "1. pwned, not a list",
    "[pwned]{.external onclick=alert('pwned')} {#pwned} ::: figure",
    "&lt;script&gt;alert('pwned')&lt;/script&gt; &amp; &#60;script&#62; &copy;",
    "<!-- pwned --> <![CDATA[ pwned ]]> <?php pwned ?>",
    "\\u003c/script\\u003e pwned \\",
    "${pwned} #{pwned} %(pwned)s {0} %s | pwned | table",
    "right-to-left \u202epwned\u202c and \u200fmarks\u200e \u2066isolate\u2069",
    "bell\x07 escape\x1b[31m delete\x7f next-line\x85 pwned",
    "line\u2028separator\u2029pwned",
)

# A byline (name, role) as hostile as a byline can be: short lines, no final full stop.
BYLINE = ("<b onmouseover=alert('pwned')>Kim</b> {{ pwned }}", "[pwned](javascript:x) reporter")


def hostile_dump() -> str:
    """A dump with every hostile string as a summary bullet, an entry title (one
    entry each, 15 March 2021), a paragraph, a quote, an image's description,
    credit and caption, and a bullet; the first entry has ``BYLINE``."""
    lines = ["Summary", ""] + [f"  • {text}\n" for text in HOSTILE]
    for number, text in enumerate(HOSTILE, 1):
        minute = 59 - number  # newest first
        lines.append(f"  {number}. {text}published at 10:{minute:02d} Greenwich Mean Time 15 March 2021\n")
        if number == 1:
            lines += [f"    {BYLINE[0]}", f"    {BYLINE[1]}", ""]
        lines += [
            f"    {text}\n",
            "    Quote Message\n",
            f"    {text}\n",
            f"    {text}Image source, {text}",
            "    Image caption,\n",
            f"    {text}\n",
            f"    • {text}\n",
        ]
    return "\n".join(lines)


# Elements that content must never create, whatever the theme does.
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "svg",
    "math",
    "audio",
    "video",
    "source",
    "input",
    "button",
    "textarea",
}
# The theme's one form: the site search box (a GET to search.html) and its controls.
SEARCH_FORM_CONTROLS = {"input", "button", "label"}
# Elements the theme may use, but whose URLs must never come from content.
WATCHED_ELEMENTS = {"script", "img", "link", "style", "meta"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "srcset",
    "background",
    "cite",
    "ping",
}
BAD_SCHEMES = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)


def kept(text: str) -> str:
    """What data (JSON, Markdown front matter) keeps of one line of ``text``: every
    character, controls as visible symbols, no white space at the ends."""
    return visible(text).strip()


def shown(text: str) -> str:
    """What a reader sees for ``text``: controls as visible symbols, one space for
    any run of white space, none at the ends."""
    return " ".join(visible(text).split())


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.script_text: list[str] = []
        self.json_ld: list[str] = []
        self._in_script = 0
        self._in_json_ld = False
        self._in_search_form = False

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "form" and (named.get("action") or "").endswith("search.html") and named.get("method") == "get":
            self._in_search_form = True
            return
        if self._in_search_form and tag in SEARCH_FORM_CONTROLS and not any(n.startswith("on") for n in named):
            return
        if (
            tag == "button"
            and named.get("type") == "button"
            and ((named.get("id") or "").startswith(("search-", "copy-email-")))
        ):
            return  # the search page's and the newsletter panel's own controls
        if tag == "textarea" and (named.get("id") or "").startswith("newsletter-") and "readonly" in named:
            return  # the newsletter panel's copies of email.html and email.txt, as text
        self.found.append((tag, attrs))
        if tag == "script":
            self._in_script += 1
            self._in_json_ld = named.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")

    def handle_startendtag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_search_form = False
        if tag == "script" and self._in_script:
            self._in_script -= 1
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data
        elif self._in_script:
            self.script_text.append(data)


def html_problems(html: str) -> list[str]:
    """Elements, attributes and URLs in ``html`` through which content could run code."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    problems = []
    for tag, attrs in parser.found:
        # The site's own drawings of threads (write/thread_svg.py) are the one <svg>
        # allowed; what is inside them is checked like everything else.
        if tag in FORBIDDEN_ELEMENTS and not (tag == "svg" and ("class", "thread-map-svg") in attrs):
            problems.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=…> event handler")
            if name in URL_ATTRIBUTES and BAD_SCHEMES.match(value):
                problems.append(f"<{tag} {name}={value!r}> URL")
            if name == "srcdoc" or (name == "http-equiv" and value.lower() == "refresh"):
                problems.append(f"<{tag} {name}=…>")
            if tag in WATCHED_ELEMENTS and (name in URL_ATTRIBUTES or name == "style") and MARKER in value:
                problems.append(f"<{tag} {name}={value!r}> made from content")
    if any(MARKER in text for text in parser.script_text):
        problems.append("content inside a <script> element")
    # JSON-LD holds content by design: it must stay JSON that cannot end its element.
    problems += [f"JSON-LD: {problem}" for data in parser.json_ld for problem in json_problems(data)]
    return problems


def json_problems(raw: str) -> list[str]:
    """JSON that does not parse, or that would end or confuse a ``<script>`` it is pasted into."""
    problems = []
    try:
        json.loads(raw)
    except ValueError as error:
        problems.append(f"not JSON: {error}")
    for danger in ("</script", "<!--", "<script"):
        if danger in raw.lower():
            problems.append(f"raw {danger!r} in JSON")
    return problems


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entries(raw: bytes) -> list[dict]:
    """``title``, ``summary`` and ``content`` (as HTML text) of each entry of an Atom feed."""
    root = ElementTree.fromstring(raw)
    return [
        {
            part: "".join(entry.find(ATOM + part).itertext()) if entry.find(ATOM + part) is not None else ""
            for part in ("title", "summary", "content")
        }
        for entry in root.iter(ATOM + "entry")
    ]


def feed_problems(raw: bytes) -> list[str]:
    """A feed that is not well-formed XML, or whose HTML parts could run code."""
    try:
        entries = feed_entries(raw)
    except ElementTree.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for entry in entries:
        for part in ("summary", "content"):
            problems += [f"{part}: {problem}" for problem in html_problems(entry[part])]
    return problems
