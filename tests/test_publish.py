"""The published site: absolute URLs where a crawler or feed reader needs them."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from sitebuild import SEEDS, broken_links, build, read_page

SITEURL = "https://user.github.io/briefings"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("published")
    shutil.copytree(SEEDS, root / "content" / "blogs")
    result = build(root / "content", root / "output", "--set", f"SITEURL={SITEURL}", "--set", f"FEED_DOMAIN={SITEURL}")
    assert result.returncode == 0, result.stderr
    return root / "output"


def ld_json(page):
    html = page.read_text(encoding="utf-8")
    start = html.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(html[start : html.index("</script>", start)])


def test_sitemap_lists_every_page_with_absolute_urls(published):
    tree = ET.parse(published / "sitemap.xml")
    locs = [el.text for el in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == 1 + 3 + 4 + 60
    assert all(loc.startswith(SITEURL + "/") for loc in locs)
    assert f"{SITEURL}/2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html" in locs
    assert (published / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {SITEURL}/sitemap.xml"


def test_feeds_per_blog_and_period_are_valid_atom_with_absolute_links(published):
    feeds = sorted(p.relative_to(published).as_posix() for p in (published / "feeds").rglob("*.xml"))
    assert feeds == [
        "feeds/all.atom.xml",
        "feeds/blogs/munich-security-conference-2025-02.atom.xml",
        "feeds/blogs/paris-summit-riyadh-talks-2025-02.atom.xml",
        "feeds/blogs/ukraine-border-crisis-2022-02.atom.xml",
        "feeds/periods/2022.atom.xml",
        "feeds/periods/2025.atom.xml",
    ]
    period = ET.parse(published / "feeds/periods/2022.atom.xml").getroot()
    entries = period.findall(f"{ATOM}entry")
    assert len(entries) == 20
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert all(link.startswith(SITEURL + "/2022/02/") for link in links)
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert titles[0] == "EU watching Russian troop movements closely"  # newest first


def test_pages_link_their_feeds(published):
    blog = read_page(published / "blogs/ukraine-border-crisis-2022-02/index.html")
    alternates = [attrs["href"] for tag, attrs in blog.tags if tag == "link" and attrs.get("rel") == "alternate"]
    assert "../../feeds/blogs/ukraine-border-crisis-2022-02.atom.xml" in alternates


def test_entry_pages_carry_news_article_json_ld_and_canonical_url(published):
    page = published / "2022/02/15/1035-eu-watching-russian-troop-movements-closely.html"
    data = ld_json(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "EU watching Russian troop movements closely"
    assert data["datePublished"] == "2022-02-15T10:35:00+00:00"
    assert data["author"] == {"@type": "Person", "name": "Jessica Parker", "jobTitle": "BBC Brussels correspondent"}
    assert data["url"] == f"{SITEURL}/2022/02/15/1035-eu-watching-russian-troop-movements-closely.html"
    canonical = [a["href"] for t, a in read_page(page).tags if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [data["url"]]


def test_day_and_blog_pages_are_live_blog_postings(published):
    day = ld_json(published / "blogs/ukraine-border-crisis-2022-02/2022-02-14.html")
    assert day["@type"] == "LiveBlogPosting"
    assert day["coverageStartTime"] == "2022-02-14T19:22:00+00:00"
    assert len(day["liveBlogUpdate"]) == 5
    blog = ld_json(published / "blogs/munich-security-conference-2025-02/index.html")
    assert blog["@type"] == "LiveBlogPosting" and len(blog["liveBlogUpdate"]) == 20
    assert blog["publisher"] == {"@type": "Organization", "name": "BBC News"}


def test_404_page_links_work_from_any_depth(published):
    page = read_page(published / "404.html")
    hrefs = [value for name, value in page.links if name == "href" and not value.startswith("#")]
    assert hrefs and all(href.startswith(SITEURL + "/") for href in hrefs)
    assert (published / ".nojekyll").exists()


def test_json_ld_cannot_be_closed_by_text(tmp_path):
    blogs = tmp_path / "content" / "blogs"
    blogs.mkdir(parents=True)
    title = 'Talks </script><script>alert(1)</script> & "quotes" \u2028 end'
    (blogs / "x.yaml").write_text("title: X\nyear: 2025\n")
    (blogs / "x.txt").write_text(
        f"Summary\n\n  1. {title}published at 10:00 Greenwich Mean Time 1 March\n\n    Body.\n", encoding="utf-8"
    )
    result = build(tmp_path / "content", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    [page] = (tmp_path / "output").glob("2025/03/01/*.html")
    html = page.read_text(encoding="utf-8")
    block = html[html.index("application/ld+json") :]
    block = block[: block.index("</script>")]
    assert "<" not in block.split(">", 1)[1]
    assert ld_json(page)["headline"] == title


def test_every_recap_has_newsletter_files_that_follow_email_rules(published):
    recaps = json.loads((published / "api" / "recaps.json").read_text(encoding="utf-8"))
    pages = sorted(published.glob("blogs/*/recap*.html"))
    assert len(pages) == 4 + 3  # a recap per day and per blog
    for page in pages:
        folder = page.with_suffix("")
        html = (folder / "email.html").read_text(encoding="utf-8")
        text = (folder / "email.txt").read_text(encoding="utf-8")
        markdown = (folder / "recap.md").read_text(encoding="utf-8")
        parsed = read_page(folder / "email.html")
        tags = {tag for tag, _ in parsed.tags}
        assert not tags & {"script", "iframe", "form", "link"}, page
        assert len(html.encode("utf-8")) < 100_000, page
        hrefs = [value for name, value in parsed.links if name == "href"]
        assert hrefs and all(href.startswith(SITEURL + "/") for href in hrefs), page
        assert "How did we get here?" in parsed.visible and "How did we get here?" in text
        assert f"Read online: {SITEURL}/{page.relative_to(published).as_posix()}" in text
        assert "](" + SITEURL in markdown and "{." not in markdown and ":::" not in markdown
        panel = read_page(page)
        assert "Use in a newsletter" in panel.visible
    assert recaps


def test_published_site_links_resolve_and_none_assumes_the_site_root(published):
    """The published build is served under a sub-path (/briefings/): every internal
    link must resolve as a file, and none may start with "/"."""
    assert broken_links(published) == []
    rooted = [
        f"{page.relative_to(published)}: {value}"
        for page in published.rglob("*.html")
        for _, value in read_page(page).links
        if value.startswith("/") and not value.startswith("//")
    ]
    assert rooted == []
