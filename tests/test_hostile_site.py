"""Hostile text in every place a dump or its YAML can put it: the built site shows
it as text and runs nothing, in pages, JSON, Atom feeds and the Markdown copies.

The corpus and the checks live in tests/hostile.py, for other features to reuse.
"""

from __future__ import annotations

import json

import pytest
import yaml
from hostile import (
    BYLINE,
    HOSTILE,
    feed_entries,
    feed_problems,
    hostile_dump,
    html_problems,
    json_problems,
    kept,
    shown,
)
from sitebuild import build, read_page

from pelican.plugins.briefings.write.render import make_markdown, split_front_matter


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    blogs = root / "content" / "blogs"
    blogs.mkdir(parents=True)
    (blogs / "hostile.txt").write_text(hostile_dump(), encoding="utf-8")
    (blogs / "hostile.yaml").write_text(
        yaml.safe_dump(
            {
                "title": f"{HOSTILE[0]} {HOSTILE[12]} \x07",
                "publisher": HOSTILE[2],
                "description": HOSTILE[5],
                "source": "https://example.org/live?q=\"><script>alert('pwned')</script>",
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    (blogs / "scheme.txt").write_text("  1. Plainpublished at 09:00 GMT 14 March 2021\n\n    Text.\n")
    (blogs / "scheme.yaml").write_text("title: Scheme\nsource: \"javascript:alert('pwned')\"\n")
    output = root / "output"
    result = build(root / "content", output)
    assert result.returncode == 0, result.stderr
    return output, result.stderr


def test_no_page_holds_markup_or_urls_made_from_content(site):
    output, _ = site
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > len(HOSTILE)
    found = {str(page.relative_to(output)): html_problems(page.read_text(encoding="utf-8")) for page in pages}
    assert not {page: problems for page, problems in found.items() if problems}


def test_every_entry_page_shows_each_string_as_typed_in_every_place(site):
    output, _ = site
    entries = json.loads((output / "api" / "entries.json").read_text(encoding="utf-8"))
    by_title = {entry["title"]: entry for entry in entries if entry["blog"] == "hostile"}
    for text in HOSTILE:
        entry = by_title[kept(text)]
        page = read_page(output / entry["url"]).visible
        # title (page title and heading), paragraph, quote, description, credit, caption, bullet
        assert page.count(shown(text)) >= 8, (text, page)


def test_the_first_entry_shows_its_hostile_byline_as_text(site):
    output, _ = site
    entries = json.loads((output / "api" / "entries.json").read_text(encoding="utf-8"))
    [first] = [entry for entry in entries if entry["title"] == kept(HOSTILE[0])]
    assert first["byline"] == {"name": BYLINE[0], "role": BYLINE[1]}
    page = read_page(output / first["url"]).visible
    assert BYLINE[0] in page and BYLINE[1] in page


def test_the_day_blog_and_home_pages_show_the_summary_and_yaml_text_as_typed(site):
    output, _ = site
    title = shown(f"{HOSTILE[0]} {HOSTILE[12]} \x07")
    day = read_page(output / "blogs" / "hostile" / "2021-03-15.html").visible
    assert all(shown(text) in day for text in HOSTILE)
    assert title in day
    blog = read_page(output / "blogs" / "hostile" / "index.html")
    assert title in blog.visible and shown(HOSTILE[2]) in blog.visible
    assert ("href", "https://example.org/live?q=\"><script>alert('pwned')</script>") in blog.links
    assert title in read_page(output / "index.html").visible


def test_a_source_url_that_is_not_http_is_not_linked_and_is_reported(site):
    output, stderr = site
    assert "scheme.yaml:2: warning: `source: javascript:alert('pwned')` is not an http(s) URL" in stderr
    assert "original page" not in read_page(output / "blogs" / "scheme" / "index.html").visible


def test_json_is_safe_inside_a_script_element_and_keeps_the_text(site):
    output, _ = site
    for name in ("entries.json", "blogs.json"):
        raw = (output / "api" / name).read_text(encoding="utf-8")
        assert json_problems(raw) == [], name
    entries = json.loads((output / "api" / "entries.json").read_text(encoding="utf-8"))
    titles = {entry["title"] for entry in entries}
    assert {kept(text) for text in HOSTILE} <= titles
    texts = "\n".join(entry["text"] for entry in entries)
    assert all(kept(text) in texts for text in HOSTILE)


def test_atom_feeds_are_well_formed_show_titles_as_typed_and_carry_inert_html(site):
    output, _ = site
    feeds = sorted((output / "feeds").glob("*.xml"))
    assert feeds
    for feed in feeds:
        raw = feed.read_bytes()
        assert feed_problems(raw) == [], feed.name
    titles = {entry["title"] for entry in feed_entries((output / "feeds" / "all.atom.xml").read_bytes())}
    assert {shown(text) for text in HOSTILE} <= titles


def test_the_published_markdown_renders_to_the_same_inert_text(site):
    output, _ = site
    md = make_markdown()
    documents = sorted((output / "markdown").rglob("*.md"))
    assert len(documents) > len(HOSTILE)
    titles = set()
    for document in documents:
        front, body = split_front_matter(document.read_text(encoding="utf-8"))
        titles.add(yaml.safe_load(front)["title"])
        assert html_problems(md.render(body)) == [], document.name
    assert {kept(text) for text in HOSTILE} <= titles


def test_no_dialog_opens_and_nothing_runs_in_a_real_browser(site, browser):
    """Every page of the hostile site, and a search for the hostile words, opened in
    Chromium: no alert/confirm/prompt, no script error."""
    output, _ = site
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    pages = sorted(p for p in output.rglob("*.html"))
    assert len(pages) > len(HOSTILE)
    for path in pages:
        page.goto(path.as_uri())
        for link in page.locator("a[href^='javascript:']").all():  # there should be none to click
            problems.append(f"{path.name}: javascript: link {link.get_attribute('href')}")
    for query in ("pwned", "script alert", "<img onerror>"):
        page.goto((output / "search.html").as_uri() + "?q=" + query.replace(" ", "+"))
        page.wait_for_timeout(300)
    context.close()
    assert problems == []
