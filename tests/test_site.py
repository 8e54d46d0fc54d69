"""The seeds' site, built the way `make html` builds it, as a reader finds it."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from sitebuild import SEEDS, broken_links, build, read_page

ENTRY_FIELDS = {
    "id",
    "url",
    "blog",
    "blog_title",
    "day",
    "published",
    "utc",
    "title",
    "labels",
    "byline",
    "summary",
    "text",
    "pictures",
    "quotes",
    "markdown",
    "period",
    "entities",
    "related",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("seeds")
    content = root / "content"
    shutil.copytree(SEEDS, content / "blogs")
    output = root / "output"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def entries(site):
    return json.loads((site / "api" / "entries.json").read_text(encoding="utf-8"))


def test_sixty_entry_pages_four_day_pages_three_blog_pages(site):
    entry_pages = [p for p in site.glob("20[0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*.html")]
    assert len(entry_pages) == 60
    day_pages = sorted(p.name for p in site.glob("blogs/*/20*.html"))
    assert day_pages == ["2022-02-14.html", "2022-02-15.html", "2025-02-14.html", "2025-02-17.html"]
    assert len(list(site.glob("blogs/*/index.html"))) == 3


def test_entries_json_lists_every_entry_with_its_fields(entries):
    assert len(entries) == 60
    assert all(set(entry) == ENTRY_FIELDS for entry in entries)
    assert len({entry["id"] for entry in entries}) == 60
    withdrawal = next(e for e in entries if e["title"] == "Russia announces withdrawal of some troops from border")
    assert withdrawal["url"] == "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html"
    assert withdrawal["day"] == "2022-02-15"
    assert withdrawal["published"] == "2022-02-15T09:01:00+00:00"
    assert withdrawal["utc"] == "2022-02-15T09:01:00Z"
    assert withdrawal["byline"] is None
    assert "Konashenkov" in withdrawal["text"]
    parker = next(e for e in entries if e["title"] == "EU watching Russian troop movements closely")
    assert parker["byline"] == {"name": "Jessica Parker", "role": "BBC Brussels correspondent"}
    assert parker["labels"] == ["analysis"]
    assert parker["blog_title"].startswith("Russia-Ukraine border crisis")


def test_entries_json_holds_one_entry_per_line_for_grep_and_diff(site, entries):
    lines = (site / "api" / "entries.json").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(entries) + 2
    assert [json.loads(line.removesuffix(",")) for line in lines[1:-1]] == entries


def test_every_entry_has_its_page_and_markdown_file(site, entries):
    for entry in entries:
        assert (site / entry["url"]).is_file(), entry["url"]
        markdown = site / entry["markdown"]
        assert markdown.is_file(), entry["markdown"]
        assert markdown.read_text(encoding="utf-8").startswith("---\n")


def test_entry_page_shows_title_time_labels_byline_and_neighbours(site):
    page = read_page(site / "2022/02/15/1035-eu-watching-russian-troop-movements-closely.html")
    assert "EU watching Russian troop movements closely" in page.visible
    times = [attrs for tag, attrs in page.tags if tag == "time"]
    assert times[0]["datetime"] == "2022-02-15T10:35:00+00:00"
    assert "Analysis" in page.visible
    assert "Jessica Parker" in page.visible and "BBC Brussels correspondent" in page.visible
    hrefs = [value for name, value in page.links if name == "href"]
    assert (
        "../../../blogs/ukraine-border-crisis-2022-02/2022-02-15.html#e-1035-eu-watching-russian-troop-movements-closely"
        in hrefs
    )
    assert any("1024-putin-cooking-a-broth-of-tension-expert-says.html" in h for h in hrefs)  # earlier entry


def test_figures_show_description_credit_and_caption(site):
    html = (site / "2025/02/14/0952-images-show-damage-to-chernobyl-nuclear-plant-shield.html").read_text()
    assert html.count('<figure class="figure">') == 4
    assert "<figcaption" in html and "Firefighters at the scene overnight" in html
    assert "Image source: Reuters/State Emergency Service Of Ukraine" in html


def test_day_page_lists_key_events_first_then_entries_oldest_first(site):
    page = read_page(site / "blogs/ukraine-border-crisis-2022-02/2022-02-14.html")
    text = page.visible
    assert text.index("Key events") < text.index("US relocating embassy from Kyiv")
    entries_start = text.index("All 5 entries")
    order = [
        text.index(title, entries_start)
        for title in (
            "US relocating embassy from Kyiv",
            "Where are Russian troops positioned?",
            "Johnson and Biden phone call over",
            "Frantic efforts to deter invasion continue",
            "Live coverage concludes",
        )
    ]
    assert order == sorted(order)
    assert {"key-events", "e-1922-us-relocating-embassy-from-kyiv"} <= page.ids


def test_every_seed_line_is_on_the_site(site):
    """Each non-blank line of each dump, minus the dump's own markers, is readable
    on the day pages (which hold every entry, and the page head on the last day)."""
    text = " ".join(read_page(p).visible for p in site.glob("blogs/*/20*.html"))
    missing = []
    for dump in sorted(SEEDS.glob("*.txt")):
        for number, line in enumerate(dump.read_text(encoding="utf-8").splitlines(), 1):
            for expected in expected_texts(line):
                if " ".join(expected.split()) not in text:
                    missing.append(f"{dump.name}:{number}: {expected}")
    assert not missing, "\n".join(missing[:20])


MARKERS = {"Summary", "Quote Message", "Image caption,", "Media caption,"}


def expected_texts(line: str) -> list[str]:
    stripped = line.strip()
    if not stripped or stripped in MARKERS:
        return []
    header = re.match(r"^\s{2}\d+\.\s+(.*)$", line)
    if header:
        stripped = header.group(1)
    if "published at" in stripped:
        return [stripped.rsplit("published at", 1)[0]]
    if "Image source, " in stripped:
        return [part for part in stripped.split("Image source, ") if part]
    if stripped.startswith("Image caption: "):
        return [stripped[len("Image caption: ") :]]
    return [stripped.lstrip("• ")]


SITE_SCRIPT = re.compile(r"^(\./|(\.\./)+)(search|briefings/js)/[\w./-]+\.js$")  # the site's own files


def test_hostile_text_shows_as_typed_and_runs_nothing(tmp_path):
    content = tmp_path / "content" / "blogs"
    content.mkdir(parents=True)
    (content / "hostile.yaml").write_text('title: "<script>alert(1)</script> *blog*"\nyear: 2025\n')
    (content / "hostile.txt").write_text(
        "Summary\n\n  • [x](javascript:alert(1)) and <img src=x onerror=alert(1)>\n\n"
        "  1. <script>alert(2)</script> *stars*published at 10:00 Greenwich Mean Time 1 March\n\n"
        "    # not a heading\n\n    > not a quote\n\n    [click](javascript:alert(3)) {{ jinja }} {filename}x.md\n"
    )
    output = tmp_path / "output"
    result = build(tmp_path / "content", output)
    assert result.returncode == 0, result.stderr
    [entry_page] = list(output.glob("2025/03/01/*.html"))
    page = read_page(entry_page)
    assert "<script>alert(2)</script> *stars*" in page.visible
    assert "# not a heading" in page.visible and "> not a quote" in page.visible
    assert "[click](javascript:alert(3)) {{ jinja }} {filename}x.md" in page.visible
    for html_file in output.rglob("*.html"):
        parsed = read_page(html_file)
        scripts = [a for t, a in parsed.tags if t == "script" and a.get("type") != "application/ld+json"]
        # Only the search page runs code, and only the site's own files; JSON-LD is data.
        assert all(SITE_SCRIPT.match(a.get("src", "")) for a in scripts), html_file
        # Scripts only where a reader asks for them: search, and a recap's copy buttons.
        assert not scripts or html_file.name == "search.html" or html_file.name.startswith("recap"), html_file
        assert not [a for t, a in parsed.tags if any(name.startswith("on") for name in a)], html_file
        assert not [a for t, a in parsed.tags if t == "img"], html_file
        assert not [v for n, v in parsed.links if v.strip().lower().startswith("javascript:")], html_file
    home = read_page(output / "index.html")
    assert "<script>alert(1)</script> *blog*" in home.visible


def test_internal_links_resolve_to_files_and_anchors(site):
    broken = broken_links(site)
    assert not broken, "\n".join(broken[:20])


def test_pelican_taxonomies_and_feeds_include_entries(site):
    feed = (site / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert "Russia announces withdrawal of some troops from border" in feed
    breaking = read_page(site / "tag" / "breaking.html").visible
    assert "US relocating embassy from Kyiv" in breaking
    assert "EU watching Russian troop movements closely" in read_page(site / "author" / "jessica-parker.html").visible
    archives = read_page(site / "archives.html").visible
    assert "60 entries" in archives


def test_bad_dump_is_one_line_and_good_blogs_still_build(tmp_path):
    blogs = tmp_path / "content" / "blogs"
    shutil.copytree(SEEDS, blogs)
    (blogs / "broken.txt").write_text(
        "Summary\n\n  1. A titlepublished at 25:61 Greenwich Mean Time 15 February 2022\n\n    Text.\n"
    )
    (blogs / "broken.yaml").write_text("title: Broken\n")
    output = tmp_path / "output"
    result = build(tmp_path / "content", output)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problem_lines = [l for l in result.stderr.splitlines() if "broken.txt" in l]
    assert len(problem_lines) == 1
    assert re.search(r"broken\.txt:3: error: .*25:61", problem_lines[0]), problem_lines[0]
    assert len(list(output.glob("20[0-9][0-9]/*/*/*.html"))) == 60


def test_warnings_fail_only_in_strict_mode(tmp_path):
    blogs = tmp_path / "content" / "blogs"
    blogs.mkdir(parents=True)
    shutil.copy(SEEDS / "paris-summit-riyadh-talks-2025-02.txt", blogs / "paris.txt")
    (blogs / "paris.yaml").write_text("title: Paris\nyear: 2025\ncolour: blue\n")
    relaxed = build(tmp_path / "content", tmp_path / "out1")
    assert relaxed.returncode == 0
    assert "unknown key 'colour'" in relaxed.stderr
    strict = build(tmp_path / "content", tmp_path / "out2", "--strict")
    assert strict.returncode == 1
