"""Dump text is text: whatever it contains renders exactly as typed."""

import pytest

from briefings.markdown import escape, inline
from briefings.model import Inline
from briefings.render import make_markdown

HOSTILE = [
    "*stars* and _underscores_ and **bold**",
    "[x](javascript:alert(1))",
    "![img](data:text/html;base64,PHNjcmlwdD4=)",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "1. not an ordered list",
    "2) not an ordered list either",
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "::: figure",
    "{#id .class} attrs",
    "text{.evil}",
    "`code` and ``more``",
    "&amp; stays &amp; and &copy;",
    "a | table | row",
    "---",
    "***",
    "===",
    "<https://example.org> autolink",
    "ends with a backslash \\",
    "{{ jinja }} {% raw %} {filename}/x.md",
    "~~strike~~ and $math$",
]


@pytest.fixture(scope="module")
def md():
    return make_markdown()


def visible_text(html: str) -> str:
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_exactly_as_typed(md, text):
    html = md.render(escape(text))
    assert visible_text(html) == text
    assert html.startswith("<p>"), html  # one plain paragraph, no other structure
    assert "<script" not in html and "<img" not in html and "href" not in html


def test_external_marker_becomes_a_span_and_keeps_its_words(md):
    text = "Macron tells the Financial Times, external that only Ukraine's president"
    run = Inline(text, external=(text.index(", external"),))
    html = md.render(inline(run))
    assert '<span class="external">, external</span>' in html
    assert visible_text(html) == text


def test_escaped_markdown_stays_readable_for_plain_prose():
    assert escape("Putin's troops, 130,000 of them, moved.") == "Putin's troops, 130,000 of them, moved."


def test_front_matter_is_the_same_text_and_values_with_or_without_libyaml():
    # The build uses libyaml when PyYAML has it (for speed); the text it writes
    # and the values read back must be those of the pure-Python YAML.
    import yaml

    from briefings.markdown import front_matter
    from briefings.pelican_glue import YAML_LOADER

    for text in HOSTILE + ["a: b # c", "'quoted' \"both\"", "yes", "null", "2022-02-15", "\u2028 \x85 é … ’"]:
        metadata = {"title": text, "summary": text, "date": "2022-02-15T09:01:00+00:00", "tags": "", "number": 3}
        written = front_matter(metadata)
        plain = yaml.dump(metadata, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=10**9)
        assert written == f"---\n{plain}---\n\n"
        assert yaml.load(plain, Loader=YAML_LOADER) == yaml.load(plain, Loader=yaml.SafeLoader) == metadata
