"""Bad input: each problem is one line (file, line, reason, what to do), never a
traceback, and never costs a good blog or any of its entries.

The fixtures are in tests/fixtures/bad/, one blog (NAME.txt + NAME.yaml) each;
the enormous single line is written by ``write_enormous_dump`` instead of being
kept in git. ``test_the_seeds_and_every_bad_fixture_build_together`` builds them
all beside the seeds.
"""

from __future__ import annotations

import codecs
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from sitebuild import SEEDS, build, read_page

from pelican.plugins.briefings.errors import BriefingsError
from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.merge import merge_blogs
from pelican.plugins.briefings.ingest.parse import parse_dump
from pelican.plugins.briefings.ingest.sources import decode, load_blog, load_blogs, read_metadata
from pelican.plugins.briefings.model import Blog
from pelican.plugins.briefings.write import render
from pelican.plugins.briefings.write.markdown import day_document, entry_body
from pelican.plugins.briefings.write.render import make_markdown, parse_attrs

BAD = Path(__file__).parent / "fixtures" / "bad"
ENTRY = "  1. Talks endpublished at 10:35 Greenwich Mean Time 15 March 2021\n\n    Talks ended.\n"

# fixture -> (severity, line or None, words of the one line that reports it)
REPORTED = {
    "empty.txt": ("error", None, "empty dump: paste the live page's text into it, or remove it"),
    "binary.txt": ("error", None, "binary data (a NUL byte), not a text dump: remove the file"),
    "windows_1252.txt": ("warning", 3, "not UTF-8 (byte 0x95) and 2 more lines: read as Windows-1252"),
    "utf16.txt": ("warning", None, "UTF-16 text, read as such: re-save it as UTF-8"),
    "no_entries.txt": ("error", None, "no entries found: an entry starts with a line like"),
    "head_only.txt": ("error", None, "this file holds only the page head: copy the whole page"),
    "impossible_time.txt": ("error", 9, "impossible time '25:61': correct it in the dump"),
    "impossible_date.txt": ("error", 5, "impossible date '31 February 2021': correct the dump"),
    "unknown_zone.txt": ("error", 5, "unknown time zone 'Central European Time': known are"),
    "no_year.txt": ("error", 5, "date '14 March' has no year and the blog's YAML gives none: add"),
    "invalid_yaml.yaml": ("error", 3, "invalid YAML: while scanning a quoted scalar (line 1)"),
    "unknown_key.yaml": ("warning", 2, "unknown key 'colour' ignored; known keys: title, year"),
    "same_page_evening.txt": ("warning", None, "the same page as "),
    "same_slug_one.txt": ("warning", None, "same blog slug 'election-night' as "),
    "enormous.txt": None,  # builds without a word
}


def write_enormous_dump(folder: Path, megabytes: int = 5) -> Path:
    """A dump whose one body line is ``megabytes`` long: plain prose with, now and
    then, the characters that Markdown escaping and the parser look at."""
    sentence = (
        "The minister said the talks, which began on Monday in Paris and moved to Riyadh, would go on "
        "for as long as it takes; she tells the FT, external that it was *not* over [yet] & <b>that</b> "
        "was that, at 10:35 on the second day of talks between the delegations. "
    )
    line = (sentence * (megabytes * 2**20 // len(sentence) + 1))[: megabytes * 2**20]
    (folder / "enormous.yaml").write_text("title: One enormous line\n", encoding="utf-8")
    path = folder / "enormous.txt"
    path.write_text(
        "Summary\n\n  • Megabytes on one line\n\n"
        "  1. A very long entrypublished at 10:35 Greenwich Mean Time 18 March 2021\n\n"
        f"    {line}\n",
        encoding="utf-8",
    )
    return path


# --- decoding ----------------------------------------------------------------------


def test_utf8_with_or_without_a_byte_order_mark_is_read_silently():
    assert decode("Café\n".encode(), "x.txt") == ("Café\n", [])
    assert decode(codecs.BOM_UTF8 + "Café\n".encode(), "x.txt") == ("Café\n", [])


def test_windows_1252_lines_are_read_as_such_with_one_warning_naming_the_first():
    raw = "ascii\nCafé – “quoted”\nagain é\n".encode("cp1252")
    text, [warning] = decode(raw, "x.txt")
    assert text == "ascii\nCafé – “quoted”\nagain é\n"
    assert (warning.severity, warning.line) == ("warning", 2)
    assert "byte 0xE9" in warning.reason and "'é'" in warning.reason and "1 more line" in warning.reason
    assert "re-save the file as UTF-8" in warning.reason


def test_the_warning_names_the_byte_that_is_not_utf8_not_an_accent_before_it():
    raw = "Zürich".encode() + b" caf\xe9\n"
    assert "byte 0xE9" in decode(raw, "x.txt")[1][0].reason


def test_one_stray_byte_does_not_garble_the_utf8_lines_around_it():
    raw = "Zelensky’s “plan”\n".encode() + "Caf\xe9\n".encode("latin-1") + "Müller\n".encode()
    text, [warning] = decode(raw, "x.txt")
    assert text == "Zelensky’s “plan”\nCafé\nMüller\n"
    assert warning.line == 2


def test_line_numbers_of_the_fallback_count_every_kind_of_line_end():
    raw = b"one\r\ntwo\rthree\ncaf\xe9\n"
    assert decode(raw, "x.txt")[1][0].line == 4


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_with_a_warning(encoding):
    raw = ("\ufeff" if encoding != "utf-16" else "") + "Café “Unicode”\n"
    text, [warning] = decode(raw.encode(encoding), "x.txt")
    assert text.removeprefix("\ufeff") == "Café “Unicode”\n"
    assert "UTF-16" in warning.reason


def test_a_nul_byte_is_a_binary_file_and_an_error():
    with pytest.raises(BriefingsError, match=r"^x\.txt: error: binary data"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00", "x.txt")


def test_undefined_windows_1252_bytes_become_replacement_characters():
    text, _ = decode(b"a\x81b\x9dc\n", "x.txt")
    assert text == "a\ufffdb\ufffdc\n"


# --- the parser's own refusals -----------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "   \n\t\n", "\ufeff"])
def test_an_empty_or_blank_dump_says_so(text):
    with pytest.raises(BriefingsError, match="empty dump"):
        parse_dump(text, path="x.txt")


def test_a_dump_that_is_only_the_page_head_says_so():
    with pytest.raises(BriefingsError, match="no entries found.*only the page head"):
        parse_dump("Summary\n\n  • One\n\n  • Two\n", path="x.txt")


def test_text_without_entries_shows_what_an_entry_looks_like():
    with pytest.raises(BriefingsError) as raised:
        parse_dump("Just an article.\n", path="x.txt")
    assert "an entry starts with a line like" in raised.value.reason
    assert "page head" not in raised.value.reason


def test_an_impossible_date_from_the_blogs_year_points_at_the_yaml_too():
    with pytest.raises(
        BriefingsError, match=r"impossible date '29 February 2025': correct the dump, or `year: 2025` in x\.yaml"
    ):
        parse_dump("  1. Apublished at 10:00 GMT 29 February\n", path="x.txt", year=2025)


# --- metadata ------------------------------------------------------------------------


def yaml_file(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "blog.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_invalid_yaml_names_its_line_and_how_to_fix_it(tmp_path):
    with pytest.raises(BriefingsError) as raised:
        read_metadata(yaml_file(tmp_path, "title: Talks\nyear: [2025\n"))
    assert raised.value.line == 3 and "invalid YAML" in raised.value.reason and "fix the file" in raised.value.reason


def test_a_control_character_in_yaml_is_an_error_at_its_line(tmp_path):
    with pytest.raises(BriefingsError) as raised:
        read_metadata(yaml_file(tmp_path, "title: Talks\npublisher: a\x07b\n"))
    assert raised.value.line == 2 and "U+0007 is not allowed" in raised.value.reason


def test_unknown_and_repeated_keys_are_warnings_at_their_lines(tmp_path):
    meta, problems = read_metadata(yaml_file(tmp_path, "title: One\ncolour: blue\ntitle: Two\n"))
    assert [(p.severity, p.line, p.reason.split(";")[0].split(":")[0]) for p in problems] == [
        ("warning", 2, "unknown key 'colour' ignored"),
        ("warning", 3, "key 'title' given twice (also line 1)"),
    ]
    assert meta.get("title") == "Two"


@pytest.mark.parametrize("text", ["- a list\n", "just a string\n"])
def test_metadata_that_is_not_a_mapping_is_an_error(tmp_path, text):
    with pytest.raises(BriefingsError, match="must be a mapping"):
        read_metadata(yaml_file(tmp_path, text))


def test_metadata_that_is_not_utf8_is_an_error(tmp_path):
    with pytest.raises(BriefingsError, match="not UTF-8"):
        read_metadata(yaml_file(tmp_path, "title: Caf\xe9\n".encode("latin-1")))


def blog_from(tmp_path: Path, yaml: str, dump: str = ENTRY):
    (tmp_path / "blog.txt").write_text(dump, encoding="utf-8")
    yaml_file(tmp_path, yaml)
    return load_blog(tmp_path / "blog.txt")


@pytest.mark.parametrize(
    "yaml, line, words",
    [
        ("title: [a, b]\n", 1, "`title:` must be a line of text"),
        ("title: x\nyear: twenty\n", 2, "`year: twenty` is not a four-digit year"),
        ("title: x\ndate: 2021-02-30\n", 2, "invalid YAML value: day is out of range for month"),
        ("title: x\ndate: 30 February\n", 2, "`date: 30 February` is not a date: write it like 2022-02-15"),
    ],
)
def test_values_of_the_wrong_kind_are_errors_at_their_line(tmp_path, yaml, line, words):
    with pytest.raises(BriefingsError) as raised:
        blog_from(tmp_path, yaml)
    assert raised.value.line == line and words in raised.value.reason


@pytest.mark.parametrize("source", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x/"])
def test_a_source_that_is_not_http_is_not_linked(tmp_path, source):
    blog, problems = blog_from(tmp_path, f"title: x\nsource: '{source}'\n")
    assert blog.source is None
    assert [(p.severity, p.line) for p in problems] == [("warning", 2)]
    assert "not an http(s) URL" in problems[0].reason


def test_titles_lose_line_breaks_and_show_control_characters(tmp_path):
    blog, _ = blog_from(tmp_path, 'title: "Talks\\nin\\tParis\\x1b[31m"\n')
    assert blog.title == "Talks in Paris\u241b[31m"


def test_parser_warnings_become_problems_with_their_line(tmp_path):
    _, problems = blog_from(tmp_path, "title: x\n", ENTRY.replace("Talks ended.", "Bell\x07"))
    assert [(p.path, p.line, p.reason) for p in problems] == [
        (str(tmp_path / "blog.txt"), 3, "control characters U+0007 shown as symbols")
    ]


# --- two dumps of the same blog ----------------------------------------------------


def fixture_blogs(tmp_path: Path, *names: str):
    for name in names:
        shutil.copy(BAD / f"{name}.txt", tmp_path)
        shutil.copy(BAD / f"{name}.yaml", tmp_path)
    return load_blogs(tmp_path)


def test_two_saves_of_one_page_become_one_blog_with_every_entry_once(tmp_path):
    loaded = fixture_blogs(tmp_path, "same_page_morning", "same_page_evening")
    (blog,) = loaded.blogs
    assert blog.slug == "same-page-morning" and blog.title == "Talks, saved in the morning"
    assert [e.title for e in blog.entries] == [
        "Talks end without a deal",
        "Talks resume",
        "Ministers arrive",
        "Day two begins",
    ]
    assert blog.head.blocks[0].items[0].text == "The evening's summary"
    (problem,) = loaded.problems
    assert problem.path.endswith("same_page_evening.txt") and problem.severity == "warning"
    assert "they share 2 entries" in problem.reason and "1 of its 3 entries are not in" in problem.reason


def test_two_dumps_with_one_slug_become_one_blog(tmp_path):
    loaded = fixture_blogs(tmp_path, "same_slug_one", "same_slug_two")
    (blog,) = loaded.blogs
    assert blog.slug == "election-night"
    assert [e.title for e in blog.entries] == ["Vote counted", "Polls close"]
    assert [p.path.rsplit("/", 1)[1] for p in loaded.problems] == ["same_slug_one.txt"]


def test_a_dump_and_a_copy_of_it_give_one_blog_and_the_same_pages(tmp_path):
    shutil.copy(SEEDS / "ukraine-border-crisis-2022-02.txt", tmp_path / "a.txt")
    shutil.copy(SEEDS / "ukraine-border-crisis-2022-02.txt", tmp_path / "b.txt")
    (tmp_path / "a.yaml").write_text("title: A\n")
    (tmp_path / "b.yaml").write_text("title: B\n")
    loaded = load_blogs(tmp_path)
    (blog,) = loaded.blogs
    assert blog.slug == "a" and len(blog.entries) == 20
    assert len({post.id for post in build_archive(list(loaded.blogs)).posts}) == 20


def test_an_entry_pasted_twice_into_one_dump_is_shown_once(tmp_path):
    dump = ENTRY.replace("  1.", "  2.")
    (blog,), problems = merge_blogs([blog_from(tmp_path, "title: x\n", ENTRY + "\n" + dump)[0]])
    assert len(blog.entries) == 1
    assert [(p.line, p.reason) for p in problems] == [(5, "entry 2 repeats entry 1 (line 1) word for word: shown once")]


def test_an_entry_edited_between_two_saves_keeps_both_versions(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, _ = blog_from(tmp_path / "a", "title: x\nslug: talks\n", ENTRY)
    second, _ = blog_from(tmp_path / "b", "title: x\nslug: talks\n", ENTRY.replace("ended.", "ended late."))
    (blog,), problems = merge_blogs([first, second])
    assert [[b.text.text for b in e.blocks] for e in blog.entries] == [["Talks ended late."], ["Talks ended."]] or [
        [b.text.text for b in e.blocks] for e in blog.entries
    ] == [["Talks ended."], ["Talks ended late."]]
    assert any("other text (edited between the two saves?): both versions kept" in p.reason for p in problems)
    posts = build_archive([blog]).posts
    assert len({post.url for post in posts}) == 2


# --- an enormous line --------------------------------------------------------------

WORST_LINES = {  # a pattern that each stage looks at, repeated
    "external markers": "a, external ",
    "markdown syntax": "*_[]<>&`\\{}|~!#",
    "brackets": "[",
    "stamps": "published at 10:35 x 1 y ",
}


def pipeline_seconds(pattern: str, length: int) -> float:
    """Parse a dump with one line of ``length`` characters and write its day's
    Markdown: the best of three, so a busy machine disturbs it less."""
    line = (pattern * (length // len(pattern) + 1))[:length]
    text = f"  1. {line[:1000]}published at 10:35 GMT 15 March 2021\n\n    {line}\n"
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        archive = build_archive([_blog(parse_dump(text, path="big.txt"))])
        day_document(archive.days[0], is_latest=True)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("name", WORST_LINES)
def test_parsing_and_escaping_one_long_line_costs_time_linear_in_its_length(name):
    """Eight times the text may take about eight times as long, never sixty-four."""
    small, large = (pipeline_seconds(WORST_LINES[name], n) for n in (50_000, 400_000))
    assert large / small < 24, (small, large)


def test_the_attribute_parser_only_ever_sees_a_short_window(monkeypatch):
    """Rendering is linear as long as the attrs plugin's parser is not handed the
    rest of the line at each ``[…]{…}`` span: that took minutes for a few megabytes
    of ``, external`` markers. (A 5 MB line is built whole in the site test.)"""
    seen = []

    def recording(text):
        seen.append(len(text))
        return parse_attrs(text)

    monkeypatch.setattr(render, "parse_attrs", recording)
    from mdit_py_plugins.attrs import index

    monkeypatch.setattr(index, "parse", recording)
    line = "tells the Times, external that " * 2000
    entry = parse_dump(f"  1. Apublished at 10:35 GMT 15 March 2021\n\n    {line}\n", path="x.txt").entries[0]
    html = make_markdown().render(entry_body(entry))
    assert html.count('<span class="external">') == 2000
    assert seen and max(seen) <= render.ATTRS_WINDOW


def _blog(dump):
    return Blog(slug="big", title="Big", source=None, year=None, path="big.txt", dump=dump)


# --- all of it at once, as a user would meet it --------------------------------------


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    blogs = root / "content" / "blogs"
    shutil.copytree(SEEDS, blogs)
    for fixture in BAD.glob("*.*"):
        if fixture.suffix in (".txt", ".yaml"):
            shutil.copy(fixture, blogs)
    write_enormous_dump(blogs)
    started = time.perf_counter()
    result = build(root / "content", root / "output")
    return root / "output", result, time.perf_counter() - started


def test_every_bad_input_is_one_line_naming_file_line_and_remedy(bad_site):
    _, result, _ = bad_site
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("briefings: ")]
    for name, expected in REPORTED.items():
        mentioning = [line for line in lines if f"/{name}" in line.split(": ")[1]]
        if expected is None:
            assert mentioning == [], mentioning
            continue
        severity, line, words = expected
        assert len(mentioning) == 1, (name, mentioning)
        where = f"/{name}:{line}" if line else f"/{name}"
        assert re.match(rf"briefings: \S+{re.escape(where)}: {severity}: ", mentioning[0]), mentioning[0]
        assert words in mentioning[0], mentioning[0]
    assert lines[-1].endswith("; 9 errors, 5 warnings")


def test_the_build_reports_errors_with_status_1_after_building_every_good_blog(bad_site):
    output, result, _ = bad_site
    assert result.returncode == 1
    built = {blog["slug"]: blog["entries"] for blog in json.loads((output / "api" / "blogs.json").read_text())}
    assert built == {
        "ukraine-border-crisis-2022-02": 20,
        "munich-security-conference-2025-02": 20,
        "paris-summit-riyadh-talks-2025-02": 20,
        "windows-1252": 1,
        "utf16": 1,
        "unknown-key": 1,
        "enormous": 1,
        "same-page-morning": 4,
        "election-night": 2,
    }
    entries = json.loads((output / "api" / "entries.json").read_text())
    assert len(entries) == len({e["url"] for e in entries}) == 70
    assert all((output / e["url"]).is_file() for e in entries)


def test_text_read_as_windows_1252_or_utf16_shows_its_accents(bad_site):
    output, _, _ = bad_site
    page = read_page(next(output.glob("2021/03/15/1035-ministers-statement.html")))
    assert "Minister’s statement" in page.visible
    assert "The minister said: “We’re close.”" in page.visible
    day = read_page(output / "blogs" / "windows-1252" / "2021-03-15.html")
    assert "Café talks – “quoted” and £100" in day.visible
    assert "Saved as Windows “Unicode” text" in read_page(output / "blogs" / "utf16" / "2021-03-15.html").visible


def test_two_saves_of_a_page_give_each_entry_one_page(bad_site):
    output, _, _ = bad_site
    pages = sorted(p.name for p in output.glob("2021/03/16/*.html"))
    assert pages == [
        "0900-day-two-begins.html",
        "1000-ministers-arrive.html",
        "1100-talks-resume.html",
        "1500-talks-end-without-a-deal.html",
    ]


def test_five_megabytes_on_one_line_are_built_whole_and_fast(bad_site):
    output, _, seconds = bad_site
    [page] = output.glob("2021/03/18/*.html")
    assert page.stat().st_size > 5 * 2**20
    text = read_page(page).visible
    assert text.count("she tells the FT, external that it was *not* over [yet] & <b>that</b> was that") > 20_000
    assert seconds < 120  # under 10 s on an idle 2-core machine
