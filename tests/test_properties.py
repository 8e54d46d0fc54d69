"""Properties of the parser and the Markdown writer, over generated dumps.

1. Any text at all: ``parse_dump`` returns a dump that claims every non-blank
   line, or raises ``BriefingsError``; nothing else.
2. A well-formed dump: every entry, title, timestamp and body line survives
   parse -> Markdown -> HTML (markdown-it, as the site renders it).

Example counts are kept modest so that the suite stays quick on two cores
(``BRIEFINGS_EXAMPLES=5000 make test PYTEST_ARGS=tests/test_properties.py`` for a
long hunt).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

from hostile import HOSTILE, shown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican.plugins.briefings.errors import BriefingsError
from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.parse import BST, GMT, MONTHS, parse_dump, visible
from pelican.plugins.briefings.model import Blog
from pelican.plugins.briefings.write.markdown import day_document, entry_document
from pelican.plugins.briefings.write.render import make_markdown, split_front_matter

# BRIEFINGS_EXAMPLES=5000 for a long hunt; the default keeps `make test` quick.
SETTINGS = settings(
    max_examples=int(os.environ.get("BRIEFINGS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
MD = make_markdown()

# --- 1. any text -------------------------------------------------------------------

ZONE_NAMES = ("Greenwich Mean Time", "British Summer Time", "GMT", "BST", "Central European Time", "")
MONTH_NAMES = tuple(m.capitalize() for m in MONTHS) + ("Febuary", "")


def mostly(good, bad):
    """Mostly values from ``good``, sometimes from ``bad``: enough valid headers
    for dumps to parse, enough wrong ones to reach every error."""
    return st.one_of(good, good, good, bad)


@st.composite
def header_lines(draw) -> str:
    """Entry headers, right and wrong: odd numbers, times, zones, days, months, years."""
    number = draw(mostly(st.integers(1, 30), st.integers(0, 10**6)))
    title = draw(st.text(max_size=30))
    stamp = " ".join(
        filter(
            None,
            (
                f"{draw(mostly(st.integers(0, 23), st.integers(0, 99)))}:"
                f"{draw(mostly(st.integers(0, 59), st.integers(0, 99))):02d}",
                draw(mostly(st.sampled_from(ZONE_NAMES[:4]), st.sampled_from(ZONE_NAMES[4:]))),
                str(draw(mostly(st.integers(1, 28), st.integers(0, 40)))),
                draw(mostly(st.sampled_from(MONTH_NAMES[:12]), st.sampled_from(MONTH_NAMES[12:]))),
                draw(st.sampled_from(("", "2022", "2022", "0", "9999", "10000"))),
            ),
        )
    )
    if draw(st.booleans()):  # a page saved on the day: the time and zone only
        stamp = " ".join(stamp.split(" ")[:2]) if stamp.count(" ") > 1 else stamp
    stamp += draw(st.sampled_from(("", "", "Breaking", " Analysis")))  # a label glued after the date
    published = draw(mostly(st.just("published at "), st.sampled_from(("published at", ""))))
    indent = draw(mostly(st.just("  "), st.sampled_from(("", " ", "   ", "\t"))))
    # Numbered as the seeds are, a bullet entry, or a flattened page's bare header.
    mark = draw(st.sampled_from((f"{number}. ", f"{number}. ", "• ", "")))
    return f"{indent}{mark}{title}{published}{stamp}"


FRAGMENTS = st.one_of(
    st.sampled_from(
        [
            "",
            "Summary",
            "Breaking",
            "Analysis",
            "Quote Message",
            "Image caption,",
            "Media caption,",
            "Image caption: a caption",
            "Media caption: Watch",
            "Live Reporting",
            "  1. Analysis",
            "    Jessica Parker",
            "    BBC Brussels correspondent",
            "    published at 10:35 15 February",  # a scraper's repeated stamp
            "published at 10:35",
            "Postpublished at 05:00 Greenwich Mean Time 6 November 2024Breaking",
            "    Talks began.Marco RubioImage source, ReutersThe US secretary of state arrived.",
            "LIVE stream page 1",
        ]
    ),
    st.builds(lambda indent, text: f"{indent}• {text}", st.sampled_from(("", "  ", "    ")), st.text(max_size=20)),
    st.builds(lambda a, b: f"    {a}Image source, {b}", st.text(max_size=20), st.text(max_size=10)),
    st.builds(lambda text: f"    {text}", st.text(max_size=40)),
    st.builds(lambda text: f"    {text}, external", st.text(max_size=20)),
    st.sampled_from(HOSTILE),
    st.text(max_size=60),
)
ENTRIES = st.lists(st.tuples(header_lines(), st.lists(FRAGMENTS, max_size=8)), min_size=1, max_size=6).map(
    lambda parts: [line for header, body in parts for line in (header, *body)]
)
DUMP_TEXT = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda head, lines, end: end.join(head + lines),
        st.lists(FRAGMENTS, max_size=6),
        st.one_of(ENTRIES, st.lists(st.one_of(header_lines(), FRAGMENTS), max_size=25)),
        st.sampled_from(("\n", "\r\n", "\r", "\n\n")),
    ),
)


@SETTINGS
@given(
    text=DUMP_TEXT,
    year=st.none() | st.integers(-5, 12000),
    default_day=st.none() | st.dates(date(1900, 1, 1), date(2100, 1, 1)),
)
def test_any_text_parses_to_a_dump_claiming_every_line_or_raises_briefings_error(text, year, default_day):
    try:
        dump = parse_dump(text, path="any.txt", year=year, default_day=default_day)
    except BriefingsError as error:
        assert error.path == "any.txt" and "\n" not in str(error)
        return
    lines = [""] + text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # A control character is content shown as a symbol, so a line of one is not blank.
    assert dump.covered_lines() == {n for n in range(1, len(lines)) if visible(lines[n]).strip()}
    assert dump.entries


# --- 2. well-formed dumps ------------------------------------------------------------

STRUCTURAL = ("•", "Quote Message", "Image caption", "Media caption", "Summary")
# Printable text: controls, surrogates and line or paragraph separators are
# covered by (1); here a line must stay one line.
LINE_TEXT = (
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=50),
        st.sampled_from([h for h in HOSTILE if all(ord(c) >= 32 and c not in "\u2028\u2029\x7f\x85" for c in h)]),
    )
    .map(str.strip)
    .filter(
        lambda text: (
            text
            and "published at" not in text
            and "Image source," not in text
            and not text.startswith(STRUCTURAL)
            # A label word right under a header is a label; on a flattened page a
            # numbered line is a header: neither is a line of text any more.
            and text.casefold() not in ("breaking", "analysis")
            and not re.match(r"\d+\.\s", text)
            # Invisible characters (U+202A and other bidi controls, zero-width
            # ones, noncharacters) are shown as stand-ins, as (1) checks.
            and visible(text) == text
        )
    )
)


@dataclass(frozen=True)
class Shape:
    """How a page was saved (FORMAT.md, "Variants seen in real pages")."""

    headers: str  # "numbered" (the seeds), "bullet" or "flattened"
    time_only: bool  # stamps without a date, the day from the YAML's date:
    repeated: bool  # a scraper's zone-less copy of the stamp under each header
    loose: bool  # no blank lines at all


SHAPES = st.builds(
    Shape, st.sampled_from(("numbered", "bullet", "flattened")), st.booleans(), st.booleans(), st.booleans()
)


@st.composite
def entries(draw, within_a_day: bool = False) -> list[tuple[str, datetime, str, list[str]]]:
    """Entries newest first: (title, local time, zone name, body lines). Pages
    that print only times need less than a day between entries to be read."""
    count = draw(st.integers(1, 5))
    newest = draw(st.datetimes(datetime(2000, 1, 1), datetime(2030, 12, 31)))
    longest = 60 * 24 - 1 if within_a_day else 60 * 30
    gaps = draw(st.lists(st.integers(1, longest), min_size=count, max_size=count))
    result = []
    moment = newest
    for gap in gaps:
        zone = draw(st.sampled_from(("Greenwich Mean Time", "British Summer Time")))
        result.append(
            (
                draw(LINE_TEXT),
                moment.replace(second=0, microsecond=0),
                zone,
                draw(st.lists(LINE_TEXT, min_size=1, max_size=4)),
            )
        )
        moment -= timedelta(minutes=gap)
    return result


def dump_of(items, with_year: bool, shape: Shape = Shape("numbered", False, False, False)) -> str:
    gap = [] if shape.loose else [""]
    flat = shape.headers == "flattened"
    parts = ["Summary", *gap, ("" if flat else "  ") + "• The page head", *gap]
    for number, (title, moment, zone, body) in enumerate(items, 1):
        day = f" {moment.day} {moment:%B}" + (f" {moment.year}" if with_year else "")
        when = f"{moment:%H:%M} {zone}" + ("" if shape.time_only else day)
        mark = {"numbered": f"  {number}. ", "bullet": "  • ", "flattened": ""}[shape.headers]
        parts += [f"{mark}{title}published at {when}"]
        if shape.repeated:
            parts += [("" if flat else "    ") + f"published at {moment:%H:%M}{day}"]
        parts += gap
        for line in body:
            parts += [("" if flat else "    ") + line, *gap]
    return "\n".join(parts)


class Visible(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(html)
        self.close()

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


@st.composite
def pages(draw):
    shape = draw(SHAPES)
    return shape, draw(entries(within_a_day=shape.time_only))


@SETTINGS
@given(page=pages(), with_year=st.booleans())
def test_every_entry_title_time_and_body_line_survives_parse_markdown_and_html(page, with_year):
    shape, items = page
    year = None if with_year else items[0][1].year
    if not with_year and any(moment.year != year for _, moment, _, _ in items):
        with_year = True  # a dump without years covers one year
    newest_day = items[0][1].date() if shape.time_only else None
    dump = parse_dump(
        dump_of(items, with_year, shape), path="gen.txt", year=None if with_year else year, default_day=newest_day
    )
    assert len(dump.entries) == len(items)
    for entry, (title, moment, zone, body) in zip(dump.entries, items):
        assert entry.title == title
        assert entry.published == moment.replace(tzinfo=GMT if zone == "Greenwich Mean Time" else BST)
        assert entry.zone == zone and entry.day == moment.date()
    blog = Blog(slug="gen", title="Generated", source=None, year=year, path="gen.txt", dump=dump)
    archive = build_archive([blog])
    days = archive.days_of(blog)
    day_text = " ".join(
        Visible(MD.render(split_front_matter(day_document(day, day is days[-1]))[1])).text for day in days
    )
    for post in archive.posts:
        entry_text = Visible(MD.render(split_front_matter(entry_document(post))[1])).text
        title, moment, zone, body = items[dump.entries.index(post.entry)]
        label = f"{moment:%H:%M} {'GMT' if zone == 'Greenwich Mean Time' else 'BST'}"
        assert f"{label} {shown(title)}" in day_text
        for line in body:
            assert shown(line) in entry_text, (line, entry_text)
            assert shown(line) in day_text


PIECES = st.sampled_from(["full", "scale", "full scale", " ", "-", "anti", "x", "1", "_", "é", "½", ".", "\n"])


@given(st.lists(PIECES, max_size=14).map("".join))
@settings(max_examples=400, deadline=None)
def test_key_phrase_is_found_as_written_exactly_as_the_pattern_reads_it(text):
    """A key phrase's name is the pair as a text writes it, a hyphenated first
    word included ("full-scale invasion"): the string scan gives what the
    pattern it replaced gives, on any mix of letters, digits, hyphens and spaces."""
    from pelican.plugins.briefings.annotate.entities import _written

    pattern = re.compile(r"(?<![\w-])((?:[^\W\d_]+-)?full scale)(?![\w-])")
    match = pattern.search(text)
    assert _written(text, "full scale") == (match.group(1) if match else None)
