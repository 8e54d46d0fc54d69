"""Files for publishing: sitemap.xml, robots.txt and schema.org JSON-LD.

Pure functions of the archive and the site's absolute URL (``SITEURL``). With no
SITEURL (the default, for a site read from disk) URLs stay relative: the sitemap
is then only a list for tools, and robots.txt names no sitemap.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from .. import urls
from ..ingest.catalog import Archive, Day, Post
from ..text import entry_summary
from .export import script_safe


def absolute(siteurl: str, url: str) -> str:
    return f"{siteurl.rstrip('/')}/{url}" if siteurl else url


def script_json(data) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and
    ``&`` are escaped as ``\\u003c`` etc., so ``</script>`` in text cannot end it."""
    return Markup(script_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))


def _publisher(blog) -> dict | None:
    name = dict(blog.extra).get("publisher")
    return {"@type": "Organization", "name": name} if name else None


def _iso(post: Post) -> str:
    entry = post.entry
    return entry.published.isoformat() if entry.published else entry.day.isoformat()


def entry_jsonld(post: Post, siteurl: str) -> Markup:
    entry = post.entry
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": entry.title,
        "datePublished": _iso(post),
        "url": absolute(siteurl, post.url),
        "description": entry_summary(entry),
        "articleSection": post.blog.title,
        "isPartOf": {"@type": "LiveBlogPosting", "headline": post.blog.title, "url": absolute(siteurl, post.blog_url)},
    }
    if entry.byline:
        data["author"] = {"@type": "Person", "name": entry.byline.name}
        if entry.byline.role:
            data["author"]["jobTitle"] = entry.byline.role
    publisher = _publisher(post.blog)
    if publisher:
        data["publisher"] = publisher
    return script_json(data)


def live_blog_jsonld(title: str, url: str, posts: tuple[Post, ...], siteurl: str) -> Markup:
    """``LiveBlogPosting`` for a blog or a day page: its entries are the updates."""
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": title,
        "url": absolute(siteurl, url),
        "coverageStartTime": _iso(posts[0]),
        "coverageEndTime": _iso(posts[-1]),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": post.entry.title,
                "datePublished": _iso(post),
                "url": absolute(siteurl, post.url),
            }
            for post in reversed(posts)
        ],
    }
    publisher = _publisher(posts[0].blog)
    if publisher:
        data["publisher"] = publisher
    return script_json(data)


def day_jsonld(day: Day, title: str, siteurl: str) -> Markup:
    return live_blog_jsonld(title, day.url, day.posts, siteurl)


def sitemap_xml(archive: Archive, siteurl: str, extra_urls: tuple[str, ...] = ()) -> str:
    """Every page a reader would land on, with the date of its newest entry."""
    rows: list[tuple[str, str]] = [("index.html", "")]
    for blog in archive.blogs:
        posts = archive.posts_of(blog)
        rows.append((urls.blog_url(blog.slug), posts[-1].entry.day.isoformat() if posts else ""))
    rows += [(day.url, day.date.isoformat()) for day in archive.days]
    rows += [(post.url, post.entry.day.isoformat()) for post in archive.posts]
    rows += [(url, "") for url in extra_urls]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in rows:
        lastmod_xml = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{xml_escape(absolute(siteurl, url))}</loc>{lastmod_xml}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(siteurl: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if siteurl:
        lines.append(f"Sitemap: {absolute(siteurl, 'sitemap.xml')}")
    return "\n".join(lines) + "\n"
