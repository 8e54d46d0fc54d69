"""The dump parser: seeds and small fixtures in, the model a reader would expect out.

Expected values were read off the dumps by eye (the seeds, which content/blogs/
holds byte for byte as the shared folder's seeds/, and tests/fixtures/dumps), not
copied from the parser's output.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from pelican.plugins.briefings.errors import BriefingsError
from pelican.plugins.briefings.ingest.parse import (
    BODY_RULES,
    State,
    bullets,
    byline,
    entry_header,
    image_caption,
    image_credit,
    inline,
    is_entry_start,
    lone_figure,
    media_caption,
    normalise,
    paragraph,
    parse_dump,
    quote,
    read_blocks,
    read_head,
    summary,
)
from pelican.plugins.briefings.model import BulletList, Dump, Figure, Paragraph, Quote, VideoCaption

# The checkout's own copies of the seeds (shared/seeds/000_…, 002_…, 003_…), so the
# suite runs in a clone anywhere, with no shared folder beside it.
SEEDS = Path(__file__).resolve().parent.parent / "content" / "blogs"
FIXTURES = Path(__file__).parent / "fixtures" / "dumps"
SEED_000 = SEEDS / "ukraine-border-crisis-2022-02.txt"
SEED_002 = SEEDS / "munich-security-conference-2025-02.txt"
SEED_003 = SEEDS / "paris-summit-riyadh-talks-2025-02.txt"
STAMP = "published at 10:35 Greenwich Mean Time 15 February 2022"


def read(path: Path) -> str:
    # Bytes, not read_text(): universal newlines would hide the line endings under test.
    return path.read_bytes().decode("utf-8")


def parse(path: Path, **options) -> Dump:
    return parse_dump(read(path), path=str(path), **options)


def fixture(name: str, **options) -> Dump:
    return parse(FIXTURES / name, **options)


def state_of(*lines: str) -> State:
    """A state over the given lines, as if they were one part of a dump."""
    texts, warnings = normalise("\n".join(lines), "t.txt")
    return State("t.txt", texts, 1, len(texts), warnings)


def blocks_of(*lines: str) -> list:
    state = state_of(*lines)
    read_blocks(state, BODY_RULES)
    return state.blocks


# Every dump that parses, with what its blog's YAML would say.
PARSEABLE = {
    SEED_000: {},
    SEED_002: {"year": 2025},
    SEED_003: {"year": 2025},
    FIXTURES / "title_published_at.txt": {},
    FIXTURES / "british_summer_time.txt": {},
    FIXTURES / "no_year.txt": {"year": 2024},
    FIXTURES / "one_line_caption.txt": {},
    FIXTURES / "head_variants.txt": {},
    FIXTURES / "untimestamped.txt": {"default_day": date(2019, 3, 29)},
    FIXTURES / "partly_timestamped.txt": {},
    FIXTURES / "hostile.txt": {},
    FIXTURES / "control_characters.txt": {},
    FIXTURES / "bom_and_tabs.txt": {},
}


# --- normalising the text ------------------------------------------------------


def test_lines_are_numbered_as_an_editor_shows_them_whatever_the_line_endings():
    texts, _ = normalise("\ufeffone\r\ntwo\rthree\nfour  \t", "t.txt")
    assert texts == ("", "one", "two", "three", "four")


def test_control_characters_become_visible_symbols_with_a_warning():
    texts, warnings = normalise("a\x00b\x07c\x1bd\x7fe\x85f\tg\u200fh\x0bi", "t.txt")
    assert texts[1] == "a\u2400b\u2407c\u241bd\u2421e\ufffdf\tg\u200fh\u240bi"
    assert warnings == ["t.txt:1: control characters U+0000, U+0007, U+000B, U+001B, U+007F, U+0085 shown as symbols"]


def test_crlf_and_cr_dumps_parse_like_lf_dumps():
    text = read(SEED_000)
    assert parse_dump(text.replace("\n", "\r\n"), path="x") == parse_dump(text, path="x")
    assert parse_dump(text.replace("\n", "\r"), path="x") == parse_dump(text, path="x")


# --- recognisers, one by one ---------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("  1. Title", True),
        ("   12. Title", True),
        ("1. Title", True),
        ("    1. A numbered body line", False),
        ("\t1. One tab reaches the body's column", False),
        ("  • A bullet", False),
        ("  1.5 million", False),
    ],
)
def test_entries_start_with_a_number_indented_less_than_the_body(line, expected):
    assert is_entry_start(line) is expected


def test_summary_is_structure_not_text():
    state = state_of("Summary", "", "Live Reporting")
    head = read_head(state)
    assert head.lines == (1,)
    assert head.blocks == (Paragraph(inline("Live Reporting"), (3,)),)
    assert summary(state_of("Summary of the day")) is False


def test_a_bullet_run_may_have_blank_lines_between_items():
    state = state_of("  • one", "", "  • two", "    • three", "", "after")
    assert bullets(state)
    assert state.blocks == [BulletList((inline("one"), inline("two"), inline("three")), (1, 3, 4))]
    assert state.pos == 5


def test_media_caption_is_the_line_after_the_blank():
    state = state_of("Media caption,", "", "Watch: Vance and Zelensky meet")
    assert media_caption(state)
    assert state.blocks == [VideoCaption("Watch: Vance and Zelensky meet", (1, 3))]


def test_quote_message_introduces_the_next_paragraph():
    state = state_of("    Quote Message", "", "    Units have begun boarding rail transport.")
    assert quote(state)
    assert state.blocks == [Quote(inline("Units have begun boarding rail transport."), (1, 3))]


def test_a_marker_with_nothing_after_it_is_kept_as_text_and_warned_about():
    state = state_of("    Quote Message", "")
    assert quote(state)
    assert state.blocks == [Paragraph(inline("Quote Message"), (1,))]
    assert state.warnings == ["t.txt:1: 'Quote Message' is followed by nothing; kept as text"]


def test_paragraph_takes_exactly_one_line():
    state = state_of("    First line.", "    Second line.")
    assert paragraph(state)
    assert state.blocks == [Paragraph(inline("First line."), (1,))]
    assert state.pos == 2


def test_image_credit_splits_description_and_source():
    state = state_of("    Josep BorrellImage source, EPA")
    assert image_credit(state)
    assert state.blocks == [Figure("Josep Borrell", "EPA", None, (1,))]


def test_the_same_image_line_twice_is_one_figure_seen_twice():
    line = "    German Chancellor Scholz in MoscowImage source, Reuters"
    state = state_of(line, line, "", "    Text.")
    assert image_credit(state)
    assert state.blocks == [Figure("German Chancellor Scholz in Moscow", "Reuters", None, (1, 2), 2)]


def test_image_caption_belongs_to_the_figure_above_it():
    state = state_of("    Marco RubioImage source, Reuters", "    Image caption,", "", "    Rubio is due.")
    assert image_credit(state) and image_caption(state)
    assert state.blocks == [Figure("Marco Rubio", "Reuters", "Rubio is due.", (1, 2, 4))]


def test_image_caption_on_one_line():
    state = state_of("    Image caption: Protesters gathered in the rain")
    assert image_caption(state)
    assert state.blocks == [Figure(None, None, "Protesters gathered in the rain", (1,))]


def test_image_caption_after_a_paragraph_is_a_figure_of_its_own():
    blocks = blocks_of("    Some text.", "", "    Image caption,", "", "    A caption.")
    assert blocks[1] == Figure(None, None, "A caption.", (3, 5))


@pytest.mark.parametrize(
    "line",
    [
        "Graphic showing Nord Stream 2",
        "Map showing where Russian troops are positioned on Ukraine border",
        "A map of Ukraine, showing which nation controls which parts of the territory. "
        "It shows Russia controlling about 20% in the east",
        "Professor Sergey Radchenko",
    ],
)
def test_a_lone_phrase_without_final_punctuation_is_a_figure(line):
    state = state_of("", "    " + line, "")
    state.pos = 2
    assert lone_figure(state)
    assert state.blocks == [Figure(line, None, None, (2,))]


@pytest.mark.parametrize(
    "line",
    [
        "Why?",
        "Not any more.",
        "He said: \u201cIt could be imminent\u201d",
        "in the Daily Telegraph:, external",
        "# Not a heading",
        "<script>alert(1)</script>",
        "A" * 161,
    ],
)
def test_sentences_links_and_symbols_are_not_figures(line):
    state = state_of("", "    " + line, "")
    state.pos = 2
    assert not lone_figure(state)


def test_a_short_line_next_to_other_text_is_not_a_figure():
    blocks = blocks_of("    Some text.", "", "    Graphic showing Nord Stream 2", "    More text.")
    assert [type(block) for block in blocks] == [Paragraph, Paragraph, Paragraph]


def test_a_described_image_with_a_caption_but_no_credit_is_one_figure():
    blocks = blocks_of("    Graphic showing Nord Stream 2", "    Image caption,", "", "    The route.")
    assert blocks == [Figure("Graphic showing Nord Stream 2", None, "The route.", (1, 2, 4))]


@pytest.mark.parametrize(
    "text, offsets",
    [
        ("Macron tells the Financial Times, external that only", (32,)),
        ("a message on social media site X, external.", (32,)),
        ("in the Daily Telegraph:, external", (23,)),
        ("an external, external) and, external", (11, 26)),
        ("the risk, externally, grows", ()),
        ("the units, external-facing ones", ()),
    ],
)
def test_external_link_markers_are_found_but_left_in_the_text(text, offsets):
    assert inline(text).external == offsets
    assert inline(text).text == text


def test_byline_is_a_name_and_a_role_under_the_header():
    state = state_of("", "    Jessica Parker", "    BBC Brussels correspondent", "", "    Text.")
    found = byline(state)
    assert (found.name, found.role, found.lines) == ("Jessica Parker", "BBC Brussels correspondent", (2, 3))
    assert state.pos == 4


@pytest.mark.parametrize(
    "lines",
    [
        ("    Professor Sergey Radchenko", "", "    The news of troops moving."),
        ("    Jessica Parker", "    There's no sense of huge relief here.", ""),
        ("    Marco RubioImage source, Reuters", "    Image caption,", ""),
        ("    One", "    Two", "    Three", ""),
    ],
)
def test_lines_that_are_not_a_byline(lines):
    state = state_of(*lines)
    assert byline(state) is None
    assert state.pos == 1


def test_label_before_the_title():
    state = state_of("  1. Analysis", "", "    EU watching closely" + STAMP, "", "    Text.")
    draft = entry_header(state, None)
    assert (draft.number, draft.title, draft.labels) == (1, "EU watching closely", ("Analysis",))
    assert (draft.line, draft.lines) == (1, (1, 3))


def test_label_after_the_title():
    state = state_of("  4. We'll believe it when we see it" + STAMP, "    Breaking", "", "    Text.")
    draft = entry_header(state, None)
    assert (draft.title, draft.labels, draft.lines) == ("We'll believe it when we see it", ("Breaking",), (1, 2))


def test_a_lone_label_word_without_a_timestamped_title_is_the_title():
    state = state_of("  1. Analysis", "", "    Some text.")
    draft = entry_header(state, None)
    assert (draft.title, draft.labels, draft.lines) == ("Analysis", (), (1,))


def test_timestamp_is_local_time_with_the_zones_offset():
    draft = entry_header(state_of("  1. Putin cooking a broth of tension, expert says" + STAMP), None)
    assert draft.title == "Putin cooking a broth of tension, expert says"
    assert draft.published == datetime(2022, 2, 15, 10, 35, tzinfo=UTC)
    assert draft.zone == "Greenwich Mean Time"


def test_zone_abbreviations_are_understood():
    draft = entry_header(state_of("  1. Updatepublished at 10:35 GMT 15 February 2022"), None)
    assert (draft.published.utcoffset(), draft.zone) == (timedelta(0), "GMT")


def test_a_title_quoting_published_at_without_a_time_keeps_it_and_warns():
    state = state_of("  1. Report published at last")
    draft = entry_header(state, None)
    assert (draft.title, draft.published) == ("Report published at last", None)
    assert state.warnings == ["t.txt:1: no time after the last 'published at': read as part of the title"]


def test_a_garbled_timestamp_is_an_error():
    with pytest.raises(BriefingsError, match=r"t\.txt:1: .*cannot read the timestamp 'published at 10:35 soon'"):
        entry_header(state_of("  1. Updatepublished at 10:35 soon"), None)


def test_an_unknown_month_is_an_error():
    with pytest.raises(BriefingsError, match="unknown month 'Febuary'"):
        entry_header(state_of("  1. Updatepublished at 10:35 GMT 15 Febuary 2022"), None)


# --- the seeds -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path, days",
    [
        (SEED_000, {date(2022, 2, 15), date(2022, 2, 14)}),
        (SEED_002, {date(2025, 2, 14)}),
        (SEED_003, {date(2025, 2, 17)}),
    ],
)
def test_seeds_have_twenty_entries_newest_first(path, days):
    dump = parse(path, **PARSEABLE[path])
    assert [entry.number for entry in dump.entries] == list(range(1, 21))
    times = [entry.utc for entry in dump.entries]
    assert times == sorted(times, reverse=True)
    assert {entry.day for entry in dump.entries} == days
    assert dump.warnings == ()


def test_seed_000_days_change_between_entries_15_and_16():
    entries = parse(SEED_000).entries
    assert entries[14].day == date(2022, 2, 15) and entries[14].published.hour == 8
    assert entries[15].day == date(2022, 2, 14) and entries[15].published.hour == 20


def test_a_dates_own_year_wins_over_the_blogs_year():
    assert parse(SEED_000, year=2025).entries[0].day == date(2022, 2, 15)


def test_seed_bylines():
    e000, e002 = parse(SEED_000).entries, parse(SEED_002, year=2025).entries
    assert (e000[0].byline.name, e000[0].byline.role) == ("Jessica Parker", "BBC Brussels correspondent")
    assert (e002[4].byline.name, e002[4].byline.role) == ("Will Vernon", "Reporting from Warsaw")
    assert (e002[12].byline.name, e002[12].byline.role) == ("Frank Gardner", "Security correspondent, in Munich")
    assert e000[1].byline is None  # "Professor Sergey Radchenko" stands alone: a picture
    assert e000[1].blocks[0] == Figure("Professor Sergey Radchenko", None, None, (32,))
    assert e000[13].blocks[0] == Figure("Liz Truss", None, None, (165,))


def test_seed_labels():
    entries = parse(SEED_000).entries
    assert entries[0].labels == ("Analysis",) and entries[0].title == "EU watching Russian troop movements closely"
    assert entries[0].is_analysis and entries[0].lines == (15, 17)
    assert entries[3].labels == ("Breaking",) and entries[3].is_breaking and entries[3].lines == (59, 60)
    assert entries[16].labels == ("Analysis",) and entries[16].title == "Frantic efforts to deter invasion continue"
    assert [e.number for e in entries if e.labels] == [1, 4, 9, 13, 17, 18, 20]


def test_seed_quotes():
    quotes = [b for b in parse(SEED_000).entries[10].blocks if isinstance(b, Quote)]
    assert [q.text.text[:30] for q in quotes] == [
        "Units of the Southern and West",
        "A number of combat training ex",
        "The Russian Armed Forces are c",
    ]
    assert [q.lines for q in quotes] == [(128, 130), (132, 134), (138, 140)]


def test_seed_figures_with_credits():
    entries = parse(SEED_000).entries
    assert entries[5].blocks[0] == Figure("Josep Borrell", "EPA", None, (78,))
    scholz = entries[4].blocks[-1]
    assert (scholz.credit, scholz.repeated, scholz.lines) == ("Reuters", 2, (74, 75))
    assert entries[2].blocks[-1] == Figure("Graphic showing Nord Stream 2", None, None, (58,))
    assert entries[18].blocks[-1].description == "Map showing where Russian troops are positioned on Ukraine border"


def test_seed_002_chernobyl_images_each_have_credit_and_caption():
    figures = [b for b in parse(SEED_002, year=2025).entries[2].blocks if isinstance(b, Figure)]
    assert [f.credit for f in figures] == ["Reuters/State Emergency Service Of Ukraine"] * 4
    assert [f.caption for f in figures] == [
        "Damage on a protective shield over the remains of a reactor at Chernobyl",
        "Firefighters at the scene overnight",
        'What Reuters describes as an "engine of a Russian kamikaze drone" under the New Safe '
        "Confinement protective structure",
        "An interior view of the damage",
    ]
    assert (
        figures[0].description
        == "A domed structure over the power plant with a darkened mark where something has struck it"
    )
    assert figures[0].lines == (35, 36, 38)


def test_seed_002_short_sentences_stay_paragraphs():
    paragraphs = {b.text.text for b in parse(SEED_002, year=2025).entries[18].blocks if isinstance(b, Paragraph)}
    assert {"Why?", "Not any more."} <= paragraphs


@pytest.mark.parametrize(
    "path, number, words",
    [
        (SEED_002, 9, "site X, external."),
        (SEED_002, 14, "social media, external."),
        (SEED_002, 17, "Financial Times, external that"),
        (SEED_003, 15, "Daily Telegraph:, external"),
    ],
)
def test_seed_external_link_markers(path, number, words):
    entry = parse(path, year=2025).entries[number - 1]
    marked = [b.text for b in entry.blocks if isinstance(b, Paragraph) and b.text.external]
    assert len(marked) == 1 and words in marked[0].text
    assert marked[0].external == (marked[0].text.index(words) + words.index(", external"),)


def test_seed_heads():
    head = parse(SEED_000).head
    assert head.lines == (1,)
    (summary_bullets,) = head.blocks
    assert len(summary_bullets.items) == 6
    assert (
        summary_bullets.items[3].text
        == "President Vladimir Putin tells a news conference that Russia does not want war in Europe"
    )
    assert parse(SEED_002, year=2025).head.blocks == (
        VideoCaption("Watch: Vance and Zelensky meet to discuss 'durable, lasting' peace", (3, 5)),
    )
    assert parse(SEED_003, year=2025).head.blocks == (
        VideoCaption("Watch: There must be a US backstop to deter Russia - Starmer", (3, 5)),
    )


def test_closing_entry_is_paragraphs_and_bullets():
    closing = parse(SEED_000).entries[15]
    assert closing.title == "Live coverage concludes"
    assert [type(b) for b in closing.blocks] == [Paragraph, Paragraph, BulletList, Paragraph]
    assert len(closing.blocks[2].items) == 5
    assert closing.blocks[3].text.text.startswith("Our coverage was provided by:")


# --- nothing lost ---------------------------------------------------------------


def line_numbers(dump: Dump) -> list[int]:
    """Every line number the model claims, as often as it claims it."""
    numbers = list(dump.head.lines) + [n for block in dump.head.blocks for n in block.lines]
    for entry in dump.entries:
        numbers += entry.lines + (entry.byline.lines if entry.byline else ())
        numbers += [n for block in entry.blocks for n in block.lines]
    return numbers


def model_texts(dump: Dump) -> set[str]:
    def of(block) -> list[str | None]:
        if isinstance(block, (Paragraph, Quote)):
            return [block.text.text]
        if isinstance(block, BulletList):
            return [item.text for item in block.items]
        if isinstance(block, Figure):
            return [block.description, block.credit, block.caption]
        return [block.text]

    texts = [t for block in dump.head.blocks for t in of(block)]
    for entry in dump.entries:
        texts += [entry.title, *entry.labels]
        texts += [entry.byline.name, entry.byline.role] if entry.byline else []
        texts += [t for block in entry.blocks for t in of(block)]
    return {t for t in texts if t}


# Written independently of the parser on purpose: what a dump line shows once safe.
VISIBLE = {**{c: 0x2400 + c for c in range(32) if c != 9}, 0x7F: 0x2421, **{c: 0xFFFD for c in range(0x80, 0xA0)}}
ENTRY_NUMBER = re.compile(r"^ {0,3}\d+\.\s+")
STRUCTURE = re.compile(r"^(•\s*|(Image|Media) caption[,:]\s*|Quote Message$|Summary$)")
TIMESTAMP = re.compile(r"^(.*)published at \d{1,2}:\d{2} .*$")


def words_of(line: str) -> list[str]:
    """The parts of a dump line that must reach the model, markers taken out."""
    text = STRUCTURE.sub("", ENTRY_NUMBER.sub("", line.translate(VISIBLE)).strip())
    text = TIMESTAMP.sub(r"\1", text)
    return [part.strip() for part in text.split("Image source,") if part.strip()]


@pytest.mark.parametrize("path", PARSEABLE, ids=lambda p: p.name)
def test_every_non_blank_line_is_covered_exactly_once(path):
    dump = parse(path, **PARSEABLE[path])
    lines = re.split(r"\r\n|\r|\n", read(path).removeprefix("\ufeff"))
    filled = [n for n, line in enumerate(lines, 1) if line.strip()]
    assert dump.covered_lines() == set(filled)
    assert Counter(line_numbers(dump)) == Counter(filled)


@pytest.mark.parametrize("path", PARSEABLE, ids=lambda p: p.name)
def test_every_lines_words_reach_the_model(path):
    dump = parse(path, **PARSEABLE[path])
    texts = model_texts(dump)
    for n, line in enumerate(re.split(r"\r\n|\r|\n", read(path).removeprefix("\ufeff")), 1):
        for words in words_of(line):
            assert words in texts, f"line {n}: {words!r}"


# --- fixtures for the variants ---------------------------------------------------


def test_title_may_contain_published_at():
    entries = fixture("title_published_at.txt").entries
    assert entries[0].title == "Paper published at 09:00 GMT 1 May 2020 is retracted"
    assert entries[0].published == datetime(2022, 2, 15, 10, 35, tzinfo=UTC)
    assert entries[1].title == "Findings first published at dawn stand, say authors"


def test_british_summer_time_is_an_hour_ahead_of_utc():
    first, second = fixture("british_summer_time.txt").entries
    assert first.zone == "British Summer Time"
    assert first.published.utcoffset() == timedelta(hours=1)
    assert first.utc == datetime(2023, 7, 3, 17, 5, tzinfo=UTC)
    assert second.zone == "BST"
    # Half past midnight local is still the previous day in UTC; the day is the page's.
    assert second.utc == datetime(2023, 7, 2, 23, 30, tzinfo=UTC)
    assert second.day == date(2023, 7, 3)


def test_dates_without_a_year_take_the_blogs_year():
    dump = fixture("no_year.txt", year=2024)
    assert [e.published for e in dump.entries] == [
        datetime(2024, 2, 14, 10, 25, tzinfo=UTC),
        datetime(2024, 2, 14, 9, 0, tzinfo=UTC),
    ]
    assert dump.head.blocks == (VideoCaption("Watch: A page of the current year never prints its year", (3, 5)),)


def test_dates_without_a_year_and_no_blog_year_are_an_error():
    with pytest.raises(BriefingsError) as raised:
        fixture("no_year.txt")
    assert raised.value.line == 7
    assert "date '14 February' has no year" in raised.value.reason
    assert "`year: " in raised.value.reason and "no_year.yaml" in raised.value.reason


def test_an_unknown_zone_is_an_error_naming_it():
    with pytest.raises(BriefingsError) as raised:
        fixture("unknown_zone.txt")
    assert raised.value.line == 5
    assert "unknown time zone 'Central European Time'" in raised.value.reason


@pytest.mark.parametrize(
    "name, line, words",
    [
        ("impossible_time.txt", 9, "impossible time '25:61'"),
        ("impossible_date.txt", 9, "impossible date '31 February 2022'"),
    ],
)
def test_impossible_times_and_dates_are_errors_at_their_line(name, line, words):
    with pytest.raises(BriefingsError) as raised:
        fixture(name)
    assert raised.value.line == line
    assert words in raised.value.reason
    assert str(raised.value).startswith(f"{FIXTURES / name}:{line}: error: ")


def test_no_entries_is_an_error_that_shows_what_an_entry_looks_like():
    with pytest.raises(BriefingsError, match=r"no entries found: an entry starts with a line like '  1\. Title"):
        fixture("no_entries.txt")


def test_image_caption_one_line_variant():
    (entry,) = fixture("one_line_caption.txt").entries
    assert entry.blocks == (
        Figure("A crowd with umbrellas in a city square", "Reuters", "Protesters gathered in the rain", (7, 8)),
        Paragraph(inline("Thousands marched through the city centre."), (10,)),
        Figure(None, None, "A caption whose picture went undescribed", (12,)),
    )


def test_page_head_lines_other_than_the_summary_are_kept_as_paragraphs():
    head = fixture("head_variants.txt").head
    assert head.lines == (5,)
    assert [b.text.text if isinstance(b, Paragraph) else [i.text for i in b.items] for b in head.blocks] == [
        "Live Reporting",
        "Edited by Jasmine Taylor-Coleman",
        ["Talks continue in Paris", "Ministers meet in Riyadh"],
        "All times stated are UK",
        "Get involved",
    ]


def test_entries_without_timestamps_take_the_blogs_date():
    dump = fixture("untimestamped.txt", default_day=date(2019, 3, 29))
    assert [(e.title, e.published, e.zone, e.day) for e in dump.entries] == [
        ("Talks end without a deal", None, None, date(2019, 3, 29)),
        ("Talks begin", None, None, date(2019, 3, 29)),
    ]
    assert dump.entries[1].blocks[0] == Figure("Liz Truss", None, None, (11,))


def test_entries_without_timestamps_and_no_blog_date_are_an_error():
    with pytest.raises(BriefingsError) as raised:
        fixture("untimestamped.txt")
    assert raised.value.line == 5
    assert "`date: YYYY-MM-DD`" in raised.value.reason and "untimestamped.yaml" in raised.value.reason


def test_an_untimestamped_entry_takes_the_day_of_the_nearest_older_entry_else_newer():
    entries = fixture("partly_timestamped.txt", default_day=date(2000, 1, 1)).entries
    assert [e.day for e in entries] == [
        date(2022, 2, 15),
        date(2022, 2, 15),
        date(2022, 2, 14),
        date(2022, 2, 14),
        date(2022, 2, 14),
    ]
    assert [e.published is None for e in entries] == [True, False, True, False, True]


def test_hostile_text_is_kept_verbatim():
    dump = fixture("hostile.txt")
    (entry,) = dump.entries
    assert dump.head.blocks[0].items[0].text == "<script>alert(1)</script> in a summary bullet"
    assert entry.title == "Markdown *and* <b>HTML</b> in a title"
    assert [b.text.text if isinstance(b, Paragraph) else b for b in entry.blocks] == [
        "Some *stars* and _underscores_ stay as typed.",
        "A [x](javascript:alert(1)) link is only text.",
        "# Not a heading",
        "> Not a blockquote",
        "<script>alert(1)</script>",
        BulletList((inline("A bullet with [x](javascript:alert(1)) inside"),), (17,)),
        "1. Not an entry, a numbered line in the body.",
    ]


def test_control_characters_are_shown_not_obeyed():
    dump = fixture("control_characters.txt")
    (entry,) = dump.entries
    assert dump.head.blocks[0].items[0].text == "Bell\u2407 in a bullet"
    assert entry.title == "Escape\u241b[31m in a title"
    assert [b.text.text for b in entry.blocks] == [
        "Delete\u2421, next line\ufffd and control sequence\ufffd inside a sentence.",
        "Vertical\u240btab and form\u240cfeed do not end the line.",
        "A right-to-left mark \u200f and a zero-width joiner \u200d are kept.",
    ]
    assert [w.split(": ")[0] for w in dump.warnings] == [
        f"{FIXTURES / 'control_characters.txt'}:{n}" for n in (3, 5, 7, 9)
    ]


def test_a_byte_order_mark_and_tab_indentation_are_harmless():
    dump = fixture("bom_and_tabs.txt")
    assert dump.head.lines == (1,)
    assert dump.head.blocks == (BulletList((inline("A bullet indented with a tab"),), (3,)),)
    first, second = dump.entries
    assert [b.text.text for b in first.blocks] == [
        "A body line indented with a tab.",
        "2. A numbered line one tab deep is body text.",
    ]
    assert second.blocks == (Paragraph(inline("A body line two tabs deep."), (13,)),)


def test_entry_numbers_out_of_sequence_are_a_warning():
    text = f"  1. One{STAMP}\n\n    Text.\n\n  3. Three{STAMP}\n\n    Text.\n"
    assert parse_dump(text, path="t.txt").warnings == ("t.txt:5: entry 3 follows entry 1",)


def test_an_entry_newer_than_the_one_above_it_is_a_warning():
    later = STAMP.replace("10:35", "11:00")
    text = f"  1. One{STAMP}\n\n    Text.\n\n  2. Two{later}\n\n    Text.\n"
    assert parse_dump(text, path="t.txt").warnings == ("t.txt:5: entry 2 is newer than the one above it",)
