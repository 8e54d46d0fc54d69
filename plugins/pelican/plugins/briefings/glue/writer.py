"""Writing pages: entry, day and briefing pages whose fingerprint is unchanged are
linked from the last site (reuse.py); category, tag and author lists with constant-time membership."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pelican import signals
from pelican.writers import Writer

from . import reuse
from .settings import CONTEXT_KEY


def when(value) -> str | None:
    """A date or time as the fingerprints hold it: its ISO form and, for a time,
    its zone's name (a page may show either). A string pickles in a tenth of
    the time of a datetime and its zone, and a rebuild fingerprints 10,000
    pages, each with several."""
    if value is None:
        return None
    name = value.tzname() if isinstance(value, datetime) else None
    return value.isoformat() if name is None else f"{value.isoformat()} {name}"


def _links_shown(panels) -> tuple:
    return tuple(
        (
            panel.direction,
            panel.label,
            panel.gap,
            panel.period.key,
            tuple(
                (
                    link.target.url,
                    link.target.entry.title,
                    when(link.target.entry.day),
                    when(link.target.entry.published),
                    link.reason,
                    link.source.anchor,
                    link.source.entry.title,
                )
                for link in panel.links
            ),
        )
        for panel in panels
    )


def entry_page_shows(article) -> tuple:
    """Everything article.html and its includes show of an entry (templates and
    settings are in the build's version): a change to any of it re-renders the page."""
    post, entry = article.post, article.post.entry
    neighbours = tuple(
        (other.url, str(other.title)) if other else None for other in (article.previous_entry, article.next_entry)
    )
    return (
        article._content,
        str(article.title),
        str(article.summary),
        str(article.jsonld),  # Markup pickles through copyreg: 8 of the 26 µs of a page
        article.time_label,
        article.url,
        post.blog.title,
        post.blog_url,
        post.day_url,
        post.anchor,
        entry.title,
        entry.labels,
        when(entry.published),
        when(entry.day),
        tuple((entity.name, entity.kind, entity.url) for entity in article.entities),
        _links_shown(article.panels),
        article.recap.url if article.recap else None,
        neighbours,
    )


def day_page_shows(page, blog, previous_day, next_day) -> tuple:
    """Everything day.html and its includes show of a day."""
    neighbours = tuple((other.day.url, when(other.day.date)) if other else None for other in (previous_day, next_day))
    return (
        page._content,
        str(page.title),
        str(page.jsonld),
        page.day.url,
        when(page.day.date),
        len(page.day.posts),
        blog.title,
        blog.slug,
        _links_shown(page.panels),
        page.recap.url if page.recap else None,
        neighbours,
    )


def briefing_page_shows(page, newsletter) -> tuple:
    """Everything briefing.html and its includes show of a recap, entity, entity
    index or then-and-now page, with its "Use in a newsletter" panel."""
    offered = None if newsletter is None else tuple(sorted(newsletter.items()))
    return (
        page._content,
        str(page.title),
        page.briefings_kind,
        getattr(page, "blog", None),
        getattr(page, "blog_title", None),
        offered,
    )


def page_fingerprint(pages: reuse.PageReuse, relative_urls: bool, kwargs: dict) -> str | None:
    """Entry, day and briefing pages (all but a few dozen of a site) have a
    fingerprint; the others (home, blogs, Pelican's lists) are always rendered."""
    article, page = kwargs.get("article"), kwargs.get("page")
    if article is not None and hasattr(article, "post"):
        return reuse.digest(pages.version, relative_urls, entry_page_shows(article))
    if page is not None and hasattr(page, "day") and "blog" in kwargs:
        shows = day_page_shows(page, kwargs["blog"], kwargs.get("previous_day"), kwargs.get("next_day"))
        return reuse.digest(pages.version, relative_urls, shows)
    if page is not None and hasattr(page, "briefings_kind") and "newsletter" in kwargs:
        shows = briefing_page_shows(page, kwargs["newsletter"])
        return reuse.digest(pages.version, relative_urls, shows)
    return None


def feed_item_shows(entry) -> tuple:
    """Everything Pelican's feed writer shows of an entry: its HTML (which has no
    links for Pelican to rewrite: ours are written out in full), title, summary,
    address, dates, author, category and tags."""
    return (
        entry._content,
        str(entry.title),
        str(entry.summary),
        entry.url,
        when(entry.date),
        when(getattr(entry, "modified", None)),
        str(getattr(entry, "author", "")),
        str(getattr(entry, "category", "")),
        tuple(str(tag) for tag in getattr(entry, "tags", ())),
    )


def feed_fingerprint(version: str, elements, context: dict, settings: dict, shows: tuple) -> str | None:
    """A feed of entries: what it shows of each (``feed_item_shows``), the site's
    name, address and subtitle, and the call's own arguments (``shows``). None
    when an item is not one of our entries (a site's own article), or when a
    plugin listens to Pelican's feed signals, which a reused feed would not send."""
    if signals.feed_generated.receivers or signals.feed_written.receivers:
        return None
    items = elements[: settings.get("FEED_MAX_ITEMS")]
    if not all(hasattr(element, "post") for element in items):
        return None
    site = tuple(str(context.get(key)) for key in ("SITENAME", "SITESUBTITLE", "SITEURL", "FEED_DOMAIN"))
    return reuse.digest(version, "feed", site, shows, tuple(feed_item_shows(element) for element in items))


class ReusingWriter(Writer):
    """Pelican's writer, except that an entry, day or briefing page, or a feed of
    entries, whose fingerprint is unchanged since the last build is linked from
    its output, not rendered."""

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        pages = _pages(context)
        fingerprint = None
        if pages and path:
            shows = (path, url, feed_type, override_output, feed_title)
            fingerprint = feed_fingerprint(pages.version, elements, context, self.settings, shows)
        return self._linked_or_written(
            pages,
            path,
            fingerprint,
            lambda: super(ReusingWriter, self).write_feed(
                elements, context, path, url, feed_type, override_output, feed_title
            ),
        )

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        pages = _pages(context)
        fingerprint = page_fingerprint(pages, relative_urls, kwargs) if pages and not paginated else None
        self._linked_or_written(
            pages,
            name,
            fingerprint,
            lambda: super(ReusingWriter, self).write_file(
                name, template, context, relative_urls, paginated, template_name, override_output, url, **kwargs
            ),
        )

    def _linked_or_written(self, pages: reuse.PageReuse | None, name: str, fingerprint: str | None, write):
        """``name`` linked from the last site if its ``fingerprint`` is unchanged
        (None); else ``write()``'s result, and the fingerprint kept for the next build."""
        output = Path(self.output_path)
        if fingerprint and pages.reuse(name, fingerprint, output):
            return None
        written = write()
        if fingerprint:
            pages.rendered += 1
            pages.record(name, fingerprint, output)
        return written


def _pages(context: dict) -> reuse.PageReuse | None:
    """The build's page reuse, if it has one (a build without the plugin's state has none)."""
    state = context.get(CONTEXT_KEY)
    return state.pages if state is not None else None


class ArticleList(list):
    """A list of articles whose ``in`` takes constant time. Pelican 4.12 writes a
    category, tag or author page after asking ``article in articles`` for every
    article of the site (``generate_categories``): quadratic, 40 s at 50,000
    entries. Articles compare by identity (``Content`` has no ``__eq__``), so
    this is the same answer."""

    def __init__(self, articles):
        super().__init__(articles)
        self._ids = frozenset(map(id, self))

    def __contains__(self, item) -> bool:
        return id(item) in self._ids


def fast_membership(generator) -> None:
    """The article lists of categories, tags and authors as ``ArticleList``s, in
    the very lists the templates' context holds."""
    for pairs in (generator.categories, generator.authors):
        pairs[:] = [(key, ArticleList(articles)) for key, articles in pairs]
    for tag in list(generator.tags):
        generator.tags[tag] = ArticleList(generator.tags[tag])


def get_writer(pelican):
    return ReusingWriter
