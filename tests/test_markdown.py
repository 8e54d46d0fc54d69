"""Dump text is text: whatever it contains renders exactly as typed."""

import pytest

from pelican.plugins.briefings.model import Inline
from pelican.plugins.briefings.write.markdown import escape, inline
from pelican.plugins.briefings.write.render import make_markdown

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


# Every code point YAML treats specially inside a double-quoted scalar, or that
# JSON escapes: C0 and C1 controls, DEL, NEL and the Unicode line and paragraph
# separators (line breaks to YAML 1.1), the byte order mark, non-characters, an
# astral character; and the characters that mean something in YAML outside quotes.
AWKWARD = (
    "".join(chr(n) for n in range(0x00, 0x100))
    + "\u2028\u2029\ufeff\ufffe\uffff\U0001f600 \u00e9\u2026\u2019"
    + ": - ? # & * ! | > ' \" % @ ` { } [ ] , \\ \\n \\u2028"
)


def test_front_matter_reads_back_as_its_values_with_either_yaml_loader():
    # Written by hand for speed (markdown.front_matter); the build reads it with
    # libyaml when PyYAML has it, a user's tools with anything: the same values.
    import yaml

    from pelican.plugins.briefings.glue.reader import YAML_LOADER
    from pelican.plugins.briefings.write.markdown import front_matter

    texts = HOSTILE + ["a: b # c", "'quoted' \"both\"", "yes", "no", "null", "~", "2022-02-15", "12:30", "0x10", ""]
    texts += [AWKWARD, AWKWARD[::-1], " leading and trailing ", "\ttab", "line\nbreak\r\n"]
    for text in texts:
        metadata = {"title": text, "summary": text, "date": "2022-02-15T09:01:00+00:00", "tags": "", "number": 3}
        written = front_matter(metadata)
        assert written.startswith("---\n") and written.endswith("\n---\n\n")
        body = written[4:-6]
        written.encode("utf-8")  # no lone surrogate left raw: the file is UTF-8
        assert yaml.load(body, Loader=yaml.SafeLoader) == metadata, repr(text)
        assert yaml.load(body, Loader=YAML_LOADER) == metadata, repr(text)
        assert len(body.splitlines()) == len(metadata)  # one line per key, whatever the text


def test_front_matter_refuses_what_it_cannot_write_as_yaml_that_reads_back():
    from pelican.plugins.briefings.write.markdown import front_matter

    refused = ({"title": None}, {"title": True}, {"title": ["a"]}, {"Title: x": "a"}, {"a b": "c"}, {"t": "\ud800"})
    for metadata in refused:
        with pytest.raises((TypeError, ValueError)):
            front_matter(metadata)


def _corpus(name: str, folder):
    """Dumps to assemble day pages from: the seeds (with their editor's notes),
    the hostile dump, and a generated corpus with every variant of the format."""
    from hostile import hostile_dump
    from seedbriefing import seed_briefing

    from bench.corpus import generate
    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs
    from pelican.plugins.briefings.write.briefing_markdown import note_blocks

    if name == "seeds":
        archive, briefing = seed_briefing()
        return archive, note_blocks(briefing.notes)
    if name == "hostile":
        (folder / "hostile.txt").write_text(hostile_dump(), encoding="utf-8")
        (folder / "hostile.yaml").write_text("title: Hostile\n", encoding="utf-8")
    else:
        generate(600, seed=7).write(folder)
        folder = folder / "blogs"
    return build_archive(list(load_blogs(folder).blogs)), {}


@pytest.mark.parametrize("name", ["seeds", "hostile", "generated"])
def test_a_day_page_put_together_from_its_entries_html_is_its_whole_document_rendered(md, tmp_path, name):
    from pelican.plugins.briefings.write.markdown import write_documents
    from pelican.plugins.briefings.write.render import render_parts, split_front_matter

    archive, notes = _corpus(name, tmp_path)
    documents = write_documents(archive, tmp_path / "markdown", notes=notes)

    def body(path: str) -> str:
        return split_front_matter((documents.root / path).read_text(encoding="utf-8"))[1]

    entry_html = {post_id: md.render(body(path)) for post_id, path in documents.entries.items()}
    assert len(documents.days) == len(archive.days) > 0
    for url, path in documents.days.items():
        whole = md.render(body(path))
        assembled = render_parts(md, documents.day_parts[url], lambda part: entry_html[part.post_id])
        assert assembled == whole, url
        assert whole.count('class="permalink"') == len(archive.days[[d.url for d in archive.days].index(url)].posts)


@pytest.mark.parametrize("name", ["seeds", "hostile", "generated"])
def test_an_entity_page_rendered_a_day_at_a_time_is_its_whole_document_rendered(md, tmp_path, name):
    """Entity pages are rendered, and kept between builds, a day at a time, each
    list item once (briefing_markdown.entity_parts, render.render_block): the
    blocks must stand alone, and the list put together from its items' inline HTML
    must be markdown-it's."""
    from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate
    from pelican.plugins.briefings.write.briefing_markdown import briefing_documents
    from pelican.plugins.briefings.write.render import render_block, split_front_matter

    archive, _ = _corpus(name, tmp_path)
    briefing, _ = annotate(archive, BriefingSettings(), tmp_path)
    parts: dict = {}
    documents = briefing_documents(briefing, parts)
    from pelican.plugins.briefings import urls

    assert set(parts) == {urls.entity_markdown(entity.slug) for entity in briefing.entities} <= set(documents)
    assert parts or name == "hostile"  # the hostile dump names nobody twice
    for path, blocks in parts.items():
        whole = md.render(split_front_matter(documents[path])[1])
        assert "".join(render_block(md, block) for block in blocks) == whole, path
        entity = next(e for e in briefing.entities if path.endswith(f"/{e.slug}.md"))
        assert whole.count('class="blog"') == len(briefing.posts_of[entity.slug])  # every entry listed


@pytest.mark.parametrize("name", ["seeds", "hostile", "generated"])
def test_an_entrys_front_matter_reads_back_as_the_metadata_it_was_written_from(tmp_path, name):
    """The reader takes an entry's metadata and body from memory instead of reading
    back the document it has just written: the two must be the same."""
    import yaml

    from pelican.plugins.briefings.write.markdown import entry_metadata, write_documents
    from pelican.plugins.briefings.write.render import split_front_matter

    archive, notes = _corpus(name, tmp_path)
    documents = write_documents(archive, tmp_path / "markdown", notes=notes)
    assert documents.written.keys() == {post.id for post in archive.posts}
    for post in archive.posts:
        front, body = split_front_matter((documents.root / documents.entries[post.id]).read_text(encoding="utf-8"))
        assert yaml.safe_load(front) == entry_metadata(post) == documents.written[post.id][0], post.id
        assert body == documents.written[post.id][1], post.id


@pytest.mark.parametrize("name", ["seeds", "hostile", "generated"])
def test_an_entrys_date_reads_as_pelicans_own_date_processor_reads_it(tmp_path, name):
    """The reader parses our ISO dates itself (dateutil was 1.5 s of 10,000
    entries): the same instant, class, offset and zone name as Pelican's."""
    from pelican.utils import get_date

    from pelican.plugins.briefings.glue.reader import iso_date
    from pelican.plugins.briefings.write.markdown import entry_metadata

    archive, _ = _corpus(name, tmp_path)
    for post in archive.posts:
        written = entry_metadata(post)["date"]
        ours, pelicans = iso_date(written), get_date(written)
        assert (ours, type(ours), ours.utcoffset(), ours.tzname(), repr(ours.tzinfo)) == (
            pelicans,
            type(pelicans),
            pelicans.utcoffset(),
            pelicans.tzname(),
            repr(pelicans.tzinfo),
        ), written
        assert ours.strftime("%Y-%m-%d %H:%M %z %Z") == pelicans.strftime("%Y-%m-%d %H:%M %z %Z")


@pytest.mark.parametrize(
    "written",
    ["2022-02-24T04:05:06+00:00", "2025-06-01T23:59:00+03:00", "2025-01-01T00:00:00-05:30", "2024-02-29T12:00:00"],
)
def test_any_offset_or_none_reads_as_pelican_reads_it(written):
    from pelican.utils import get_date

    from pelican.plugins.briefings.glue.reader import iso_date

    ours, pelicans = iso_date(written), get_date(written)
    assert (ours, type(ours), ours.utcoffset(), ours.tzname(), repr(ours.tzinfo)) == (
        pelicans,
        type(pelicans),
        pelicans.utcoffset(),
        pelicans.tzname(),
        repr(pelicans.tzinfo),
    )


@pytest.mark.parametrize("written", ["2022-02-30T10:00:00+00:00", "Monday", "2022-02-24 10:00", "٢٠٢٢-02-24T10:00:00"])
def test_other_dates_are_left_to_pelicans_processor(written):
    from pelican.plugins.briefings.glue.reader import iso_date

    assert iso_date(written) is None
