"""The generator of every page that is not an entry: home, blogs, days, recaps with
their newsletter files, entities, then-and-now, search, 404; the JSON API, the
published Markdown, feeds per blog and period, sitemap and robots.txt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pelican.contents import Page
from pelican.generators import Generator

from .. import urls
from ..annotate.briefing import Briefing
from ..files import link_or_copy
from ..ingest.catalog import Archive
from ..write import newsletter, publish, search
from ..write.markdown import Documents
from ..write.render import make_markdown, render_parts
from .entries import BuildState, attach_briefing, finish_briefing, use_renders
from .reader import own_documents
from .settings import CONTEXT_KEY, PACKAGED_LUNR_JS, STATIC, setting


class BriefingsGenerator(Generator):
    """Writes every page that is not an entry (home, blogs, days, recaps with their
    newsletter files, entities, then-and-now, search, 404) and the other files:
    JSON API, published Markdown, feeds per blog and period, sitemap, robots.txt."""

    def generate_context(self):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        self.days = []
        self.markdown = make_markdown()  # for the newsletter exports
        self.env.globals.update(blog_url=urls.blog_url, blog_feed=urls.blog_feed, period_feed=urls.period_feed)
        if state is None:
            return
        with state.timer.phase("read days"):
            self._read_days(state)
        finish_briefing(state, self.settings, Path(self.output_path))  # unless taken already (entries.py)
        self._briefing_context(state)

    def _read_days(self, state: BuildState) -> None:
        root = state.documents.root
        reader = use_renders(self.readers, state)
        # A day page's entries are rendered already, on their own pages: the
        # day's HTML is put together from theirs (markdown.day_parts). Not when
        # typogrify has changed the entries' HTML after reading.
        assemble = reader is not None and not self.settings.get("TYPOGRIFY")

        def entry_html(part) -> str:
            return state.articles[part.post_id]._content

        for day in state.archive.days:
            path = state.documents.days[day.url]
            full_path = os.path.abspath(root / path)
            if assemble:
                parts = state.documents.day_parts[day.url]
                reader.assemble[full_path] = lambda body, parts=parts: render_parts(reader.markdown, parts, entry_html)
            with own_documents(self.readers):
                page = self.readers.read_file(base_path=str(root), path=path, content_class=Page, context=self.context)
            if assemble:
                reader.assemble.pop(full_path, None)
            page.day = day
            page.jsonld = publish.day_jsonld(day, page.title.striptags(), self.settings["SITEURL"])
            page.entries = [state.articles[post.id] for post in day.posts]
            self.days.append(page)

    def _briefing_context(self, state: BuildState) -> None:
        """Gives entries their entity chips, cross-link panels and recap, and day
        pages their panels and recap. Templates see ``briefing``."""
        briefing = state.briefing
        attach_briefing(briefing, state.articles)
        self.env.globals["briefing"] = briefing
        for day_page in self.days:
            day_page.panels = briefing.day_panels(day_page.day)
            day_page.recap = briefing.recap_of_day(day_page.day.url)

    def _read_briefing_pages(self, state: BuildState) -> None:
        """Reads the recap, entity and then-and-now documents, once the entry,
        day and blog pages are written: none of those needs them, and they are
        made, written and rendered on the other core since annotate
        (BriefingPages), taken only now."""
        state.briefing_pages.take(state)
        briefing = state.briefing
        self.briefing_pages = []
        documents = [(recap.url, recap.markdown) for recap in briefing.recaps]
        documents += [(entity.url, urls.entity_markdown(entity.slug)) for entity in briefing.entities]
        documents += [
            (urls.entities_url(), urls.entities_markdown()),
            (urls.then_and_now_url(), urls.then_and_now_markdown()),
        ]
        reader = use_renders(self.readers, state)
        for url, markdown in documents:
            if markdown in state.briefing_parts:
                reader.parts[os.path.abspath(state.documents.root / markdown)] = state.briefing_parts[markdown]
            page = self.readers.read_file(
                base_path=str(state.documents.root), path=markdown, content_class=Page, context=self.context
            )
            self.briefing_pages.append((url, page))

    def generate_output(self, writer):
        state: BuildState | None = self.context.get(CONTEXT_KEY)
        if state is None:
            return
        with state.timer.phase("write pages"):
            self._write_pages(state, writer)
        with state.timer.phase("read briefing pages"):
            self._read_briefing_pages(state)
        with state.timer.phase("write briefing pages, newsletters"):
            self._write_briefing(writer, state)
        with state.timer.phase("write api"):
            state.api_job.wait()  # written on the other core since annotate (entries.py)
        with state.timer.phase("publish markdown"):
            self._publish_markdown(state.documents)
        with state.timer.phase("write feeds, sitemap"):
            self._write_publishing_files(state.archive, writer)
            self._write_feeds(state, writer)
        with state.timer.phase("plugin's static files"):
            shutil.copytree(STATIC / "css", Path(self.output_path) / urls.static_url("css"), dirs_exist_ok=True)
            shutil.copytree(STATIC / "js", Path(self.output_path) / urls.static_url("js"), dirs_exist_ok=True)
        with state.timer.phase("search"):
            self._write_search(writer, state.archive)
        # Every page is written: what the next build may reuse (reuse.py).
        state.renders.save()
        if state.pages is not None:
            state.pages.save()

    def _write_pages(self, state: BuildState, writer) -> None:
        """The home page, a page per blog and a page per day."""
        archive = state.archive
        relative = self.settings["RELATIVE_URLS"]
        day_pages = {page.day.url: page for page in self.days}
        periods = self._periods(archive, state.briefing, day_pages)
        home = setting(self.settings, "BRIEFINGS_HOME_SAVE_AS")
        writer.write_file(
            home,
            self.get_template("briefings/index"),
            self.context,
            relative_urls=relative,
            periods=periods,
            page_name=home.removesuffix(".html"),
        )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            writer.write_file(
                urls.blog_url(blog.slug),
                self.get_template("briefings/blog"),
                self.context,
                relative_urls=relative,
                blog=blog,
                days=days,
                entries=len(blog.entries),
                page_name=urls.blog_url(blog.slug)[:-5],
                jsonld=publish.live_blog_jsonld(
                    blog.title, urls.blog_url(blog.slug), archive.posts_of(blog), self.settings["SITEURL"]
                ),
            )
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            for index, page in enumerate(days):
                writer.write_file(
                    page.day.url,
                    self.get_template("briefings/day"),
                    self.context,
                    relative_urls=relative,
                    page=page,
                    blog=blog,
                    previous_day=days[index - 1] if index else None,
                    next_day=days[index + 1] if index + 1 < len(days) else None,
                    page_name=page.day.url[:-5],
                )

    def _write_briefing(self, writer, state: BuildState) -> None:
        relative = self.settings["RELATIVE_URLS"]
        recaps = {recap.url: recap for recap in state.briefing.recaps}
        for url, page in self.briefing_pages:
            exports = self._write_newsletter(state, recaps[url], page) if url in recaps else None
            writer.write_file(
                url,
                self.get_template("briefings/briefing"),
                self.context,
                relative_urls=relative,
                page=page,
                page_name=url[:-5],
                newsletter=exports,
            )

    def _write_newsletter(self, state: BuildState, recap, page) -> dict:
        """email.html, email.txt and recap.md beside a recap page (newsletter.py);
        returns what the page's "Use in a newsletter" panel offers."""
        html_url, text_url, markdown_url = urls.recap_exports(recap.url)
        document = (state.documents.root / recap.markdown).read_text(encoding="utf-8")
        place = newsletter.Place(page_url=recap.url, export_url=html_url, siteurl=self.settings["SITEURL"])
        title, site_name = page.title.striptags(), self.settings["SITENAME"]

        def export(_) -> tuple:
            made = newsletter.export_recap(document, title, place, site_name, md=self.markdown)
            return made.html, made.text, made.markdown

        # css-inline is the slow part; a recap that did not change is not exported again.
        made = newsletter.Export(*state.renders.made("newsletter", repr((document, title, place, site_name)), export))
        output = Path(self.output_path)
        for url, text in ((html_url, made.html), (text_url, made.text), (markdown_url, made.markdown)):
            (output / url).parent.mkdir(parents=True, exist_ok=True)
            (output / url).write_text(text, encoding="utf-8")
        return {
            "html_url": html_url,
            "text_url": text_url,
            "markdown_url": markdown_url,
            "html": made.html,
            "text": made.text,
            "absolute": bool(self.settings["SITEURL"]),
        }

    @staticmethod
    def _periods(archive: Archive, briefing: Briefing, day_pages: dict) -> list:
        """``(period, [(blog, day pages)])``, newest period first; a blog belongs to
        the period of its first day."""
        by_period: dict = {}
        for blog in archive.blogs:
            days = [day_pages[day.url] for day in archive.days_of(blog)]
            if days:
                by_period.setdefault(briefing.period_of[days[0].day.posts[0].id], []).append((blog, days))
        return sorted(by_period.items(), key=lambda item: item[0].start, reverse=True)

    def _write_feeds(self, state: BuildState, writer) -> None:
        """Atom feeds per blog and per period (Pelican writes the one of all entries)."""
        if not self.settings.get("FEED_ALL_ATOM"):
            return
        archive = state.archive

        def newest_first(posts):
            return [state.articles[post.id] for post in reversed(posts)]

        for blog in archive.blogs:
            writer.write_feed(
                newest_first(archive.posts_of(blog)), self.context, urls.blog_feed(blog.slug), feed_title=blog.title
            )
        by_period: dict = {}
        for post in archive.posts:
            by_period.setdefault(state.briefing.period_of[post.id], []).append(post)
        for period, posts in by_period.items():
            writer.write_feed(
                newest_first(posts),
                self.context,
                urls.period_feed(period.key),
                feed_title=f"Coverage from {period.name}",
            )

    def _write_publishing_files(self, archive: Archive, writer) -> None:
        siteurl = self.settings["SITEURL"]
        output = Path(self.output_path)
        # Every site gets the mark: only a folder carrying it is ever replaced (command/build.py).
        (output / urls.SITE_MARK).write_text(urls.SITE_MARK_TEXT, encoding="utf-8")
        if not setting(self.settings, "BRIEFINGS_SITE_FILES"):
            return  # a site of its own: its sitemap, robots.txt and 404 page are its own
        (output / "sitemap.xml").write_text(publish.sitemap_xml(archive, siteurl), encoding="utf-8")
        (output / "robots.txt").write_text(publish.robots_txt(siteurl), encoding="utf-8")
        # GitHub Pages serves 404.html at whatever path was missing, so once the
        # site has an address its links are absolute; without one, relative.
        writer.write_file(
            "404.html", self.get_template("briefings/404"), self.context, relative_urls=not siteurl, page_name="404"
        )
        (output / ".nojekyll").write_text("", encoding="utf-8")

    def _publish_markdown(self, documents: Documents) -> None:
        """The documents this build wrote, and nothing else of their folder: hard
        links where the two folders share a file system (the Markdown folder's
        files are replaced, never written over, so a published one never changes
        after its build; 0.3 s instead of 2-3 s of copying at 10,000 entries),
        copies where they do not."""
        target = Path(self.output_path) / urls.MARKDOWN_URL_PREFIX
        if target.exists():
            shutil.rmtree(target)
        folders = set()
        for relative in documents.files:
            destination = target / relative
            if destination.parent not in folders:
                destination.parent.mkdir(parents=True, exist_ok=True)
                folders.add(destination.parent)
            link_or_copy(documents.root / relative, destination)

    def _write_search(self, writer, archive: Archive) -> None:
        """The search page and lunr.js; the index's files come from the search
        job started with the build (start_search)."""
        state: BuildState = self.context[CONTEXT_KEY]
        lunr_js = Path(setting(self.settings, "BRIEFINGS_LUNR_JS") or PACKAGED_LUNR_JS)
        if not lunr_js.is_file():
            state.search_job.cancel()
            raise FileNotFoundError(
                f"{lunr_js} is missing: run `npm ci`, then install the plugin again (make setup does both)"
            )
        state.search_job.wait()
        settings = state.index_settings
        shutil.copyfile(lunr_js, Path(self.output_path) / urls.lunr_js_url())
        writer.write_file(
            urls.search_url(),
            self.get_template("briefings/search"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            page_name=urls.search_url()[:-5],
            search=search.facets(archive, settings.period_of),
            search_scripts=(urls.lunr_js_url(), urls.search_manifest_url(), *urls.search_script_urls()),
        )


def get_generators(pelican):
    return BriefingsGenerator
