"""The plugin added to a Pelican site of somebody else's: Pelican's default theme,
the site's own article and page, plain `pelican` to build it."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from existing_site import between, make_site, pelican

PELICAN = str(Path(sys.executable).with_name("pelican"))
PLUGIN = ["briefings"]
ENTRY = "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html"
BLOG = "blogs/ukraine-border-crisis-2022-02"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("existing") / "site", PLUGIN)
    result = pelican(site, PELICAN)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "output"


@pytest.fixture(scope="module")
def without_plugin(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("plain") / "site", [], blogs=False)
    result = pelican(site, PELICAN)
    assert result.returncode == 0, result.stdout + result.stderr
    return site / "output"


def test_the_briefing_pages_are_made_in_the_sites_own_theme(built):
    entry = (built / ENTRY).read_text(encoding="utf-8")
    assert "Russia announces withdrawal of some troops from border" in entry
    assert 'href="../../../theme/css/main.css"' in entry  # notmyidea's own stylesheet, kept
    assert 'href="../../../briefings/css/briefings.css"' in entry  # and the plugin's
    assert 'class="entity-chips"' in entry or 'class="chips"' in entry
    for page in (
        f"{BLOG}/2022-02-15.html",
        f"{BLOG}/recap-2022-02-15.html",
        f"{BLOG}/recap-2022-02-15/email.html",
        "entities/index.html",
        "then-and-now.html",
        "search.html",
        "briefings/css/briefings.css",
        "briefings/js/search/page.js",
        "search/lunr.min.js",
    ):
        assert (built / page).is_file(), page
    day = (built / f"{BLOG}/2022-02-15.html").read_text(encoding="utf-8")
    assert "Harbour Gazette" in day  # the theme's header, around the plugin's page
    entries = json.loads((built / "api" / "entries.json").read_text(encoding="utf-8"))
    assert len(entries["entries"] if isinstance(entries, dict) else entries) == 60


def test_the_sites_home_and_site_wide_files_stay_its_own(built):
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "Harbour notes" in home  # Pelican's index of articles, not replaced
    assert (built / "blogs" / "index.html").is_file()  # the briefings' home, beside it
    for own in ("robots.txt", "404.html", "sitemap.xml"):
        assert not (built / own).exists(), own


def test_its_own_article_and_page_read_as_without_the_plugin(built, without_plugin):
    for page, start in (
        ("harbour-notes.html", '<div class="entry-content">'),
        ("pages/about.html", '<h1 class="entry-title">'),
    ):
        ours = between((built / page).read_text(encoding="utf-8"), start, "</section>")
        theirs = between((without_plugin / page).read_text(encoding="utf-8"), start, "</section>")
        assert ours == theirs, page
    assert "<em>Tuesday</em>" in (built / "harbour-notes.html").read_text(encoding="utf-8")


def test_a_theme_overrides_one_plugin_template_and_keeps_the_others(tmp_path):
    import pelican as pelican_package

    site = make_site(tmp_path / "site", PLUGIN)
    theme = site / "mytheme"
    shutil.copytree(Path(pelican_package.__file__).parent / "themes" / "notmyidea", theme)
    (theme / "templates" / "briefings").mkdir()
    (theme / "templates" / "briefings" / "day.html").write_text(
        '{% extends "base.html" %}{% block content %}<p id="my-day">My day page: {{ page.day.date }}</p>{% endblock %}',
        encoding="utf-8",
    )
    with (site / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write('THEME = "mytheme"\n')
    result = pelican(site, PELICAN)
    assert result.returncode == 0, result.stdout + result.stderr
    day = (site / "output" / BLOG / "2022-02-15.html").read_text(encoding="utf-8")
    assert '<p id="my-day">My day page: 2022-02-15</p>' in day
    entry = (site / "output" / ENTRY).read_text(encoding="utf-8")
    assert re.search(r'<article class="entry">', entry)  # the plugin's entry template still


def test_search_works_in_the_existing_site_from_disk(browser, built):
    from playwright.sync_api import expect

    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built / "search.html").as_uri() + "?q=withdrawal")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ (entry|entries)"))
    titles = page.locator(".result-title").all_inner_texts()
    assert "Russia announces withdrawal of some troops from border" in titles
    assert not errors
    page.close()
