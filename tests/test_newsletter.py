"""A recap pasted into an email newsletter: safe HTML, plain text, Markdown."""

from __future__ import annotations

import re

import pytest

from pelican.plugins.briefings.write.markdown import escape
from pelican.plugins.briefings.write.newsletter import Place, export_recap

HOSTILE = "Russia says <script>alert(1)</script> some troops are *returning* to base"
DOCUMENT = """---
title: How did we get here?
---

{#summary}
## Summary

- HOSTILE_LINE

{.figure-credit}
Image source: EPA

::: figure
{.figure-description}
Josep Borrell
:::

- [19:22 GMT US relocating embassy from Kyiv](../../2022/02/14/1922-us-relocating-embassy-from-kyiv.html) (Breaking)
- [Same page anchor](#key-events)

> A quote with a [link](2022-02-15.html#e-0901-x)
""".replace("HOSTILE_LINE", escape(HOSTILE))

PLACE = Place(
    page_url="recaps/border/2022-02-15.html",
    export_url="recaps/border/2022-02-15/email.html",
    siteurl="https://user.github.io/repo",
)


@pytest.fixture(scope="module")
def export():
    return export_recap(DOCUMENT, "How did we get here? 15 February 2022", PLACE, "Briefings")


def test_email_html_follows_the_rules_of_email_clients(export):
    page = read_page_text(export.html)
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "iframe", "form", "link", "object", "embed"}
    assert len(export.html.encode("utf-8")) < 100_000
    widths = [int(attrs["width"]) for tag, attrs in page.tags if tag == "table" and attrs.get("width", "").isdigit()]
    assert widths and max(widths) <= 600
    metas = {attrs.get("name"): attrs.get("content") for tag, attrs in page.tags if tag == "meta"}
    assert metas["color-scheme"] == "light dark"
    assert 'style="' in export.html  # CSS inlined on the elements themselves


def test_email_links_are_absolute_to_the_published_site(export):
    hrefs = [value for name, value in read_page_text(export.html).links if name == "href"]
    assert hrefs and all(href.startswith("https://user.github.io/repo/") for href in hrefs)
    assert "https://user.github.io/repo/2022/02/14/1922-us-relocating-embassy-from-kyiv.html" in hrefs
    assert "https://user.github.io/repo/recaps/border/2022-02-15.html#key-events" in hrefs
    assert "https://user.github.io/repo/recaps/border/2022-02-15.html#e-0901-x" in hrefs


def test_email_shows_dump_text_as_text(export):
    assert HOSTILE in read_page_text(export.html).visible


def test_plain_text_writes_links_out(export):
    assert "<https://user.github.io/repo/2022/02/14/1922-us-relocating-embassy-from-kyiv.html>" in export.text
    assert "Read online: https://user.github.io/repo/recaps/border/2022-02-15.html" in export.text
    assert HOSTILE in " ".join(export.text.split())  # plain text is literal
    assert all(len(line) <= 72 or "://" in line for line in export.text.splitlines())


def test_newsletter_markdown_has_no_site_only_syntax_and_absolute_links(export):
    assert "{." not in export.markdown and "{#" not in export.markdown and ":::" not in export.markdown
    links = re.findall(r"\]\(([^)]+)\)", export.markdown)
    assert links and all(link.startswith("https://user.github.io/repo/") for link in links)
    assert "\\<script\\>" in export.markdown  # still escaped: renders as text in any Markdown tool


def test_without_siteurl_links_are_relative_to_the_export_files():
    place = Place(
        page_url="recaps/border/2022-02-15.html", export_url="recaps/border/2022-02-15/email.html", siteurl=""
    )
    export = export_recap(DOCUMENT, "Recap", place, "Briefings")
    hrefs = [value for name, value in read_page_text(export.html).links if name == "href"]
    assert "../../../2022/02/14/1922-us-relocating-embassy-from-kyiv.html" in hrefs


def read_page_text(html: str):
    from sitebuild import PageText

    page = PageText()
    page.feed(html)
    return page
