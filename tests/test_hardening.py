"""Issue 14: no everyday input stops the build, and nothing the build did not write is lost.

One build (``hostile``) reads a content folder with a good blog (a seed) and, beside
it, every kind of input the issue found breaking the build, each written by hand
in the shape the issue describes. Each test asserts what a user sees: the one
line naming the file and the reason, the page or file that shows the text, the
good blog built, the exit status. The output-safety cases (points 1, 2, 9, 10,
17, 18) are builds of their own in test_output_safety.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from sitebuild import SEEDS, build

GOOD = "ukraine-border-crisis-2022-02"  # 20 entries, 14 and 15 February 2022


def dump(*entries: tuple[str, str], body: str = "Some text of the entry.") -> str:
    """A dump as a browser copies it: the page head, then numbered entries."""
    lines = ["Summary", "", "  • A summary line", ""]
    for number, (title, stamp) in enumerate(entries, 1):
        lines += [f"  {number}. {title}published at {stamp}", "", f"    {body}", ""]
    return "\n".join(lines)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines)


NESTED = "[" * 5000 + "]" * 5000
HTML_NOTE = (
    "Read <img src=x onerror=alert(1)> this. <script>alert(2)</script>\n\n"
    "[Click](javascript:alert(3)) and [the agreement](https://en.wikipedia.org/wiki/Minsk_agreements_(2015)).\n\n"
    "[The day before](2022-02-14.html) and [its recap](recap-2022-02-14.html#top_(first)).\n\n"
    "{#newsletter-buttons .hidden}\n\n"
    "A pixel: ![](https://tracker.example/pixel.gif)\n\n"
    "Code stays as typed: `<b>{x}</b>`\n"
)
PERIOD_NAME = "Winter */ globalThis.pwned = 1; /* 2022"

FILES = {
    f"blogs/{GOOD}.txt": (SEEDS / f"{GOOD}.txt").read_text(encoding="utf-8"),
    f"blogs/{GOOD}.yaml": (SEEDS / f"{GOOD}.yaml").read_text(encoding="utf-8"),
    # 3: headlines that start like a date range (Pelican read 0802-20-30 as a date)
    "blogs/drones.txt": dump(
        ("50-50 chance of a ceasefire, minister says", "08:03 Greenwich Mean Time 16 February 2022"),
        ("20-30 drones shot down overnight", "08:02 Greenwich Mean Time 16 February 2022"),
    ),
    "blogs/drones.yaml": "title: Drones overnight\n",
    # 4: a control character in a dump's file name, and no YAML to give a title
    "blogs/bell\x07ringing.txt": dump(("Bells rang", "09:00 Greenwich Mean Time 17 February 2022")),
    # 5: nesting 5,000 deep, a lone surrogate, the year 1
    "blogs/deep.txt": dump(("Deep", "09:00 Greenwich Mean Time 18 February 2022")),
    "blogs/deep.yaml": f"title: {NESTED}\n",
    "blogs/surrogate.txt": dump(("Half a character", "09:00 Greenwich Mean Time 19 February 2022")),
    "blogs/surrogate.yaml": 'title: "Half \\uD800 a character"\n',
    "blogs/bst-year-one.txt": dump(("Too early", "00:30 British Summer Time 1 January 0001")),
    "blogs/bst-year-one.yaml": "title: Too early\n",
    "blogs/gmt-year-one.txt": dump(("Early", "00:30 Greenwich Mean Time 1 January 0001")),
    "blogs/gmt-year-one.yaml": "title: Early\n",
    # 6: category file names from long titles
    "blogs/long-title.txt": dump(("Long", "09:00 Greenwich Mean Time 20 February 2022")),
    "blogs/long-title.yaml": "title: " + "Ceasefire talks resume " * 12 + "\n",
    "blogs/chinese-title.txt": dump(("Chinese", "09:00 Greenwich Mean Time 21 February 2022")),
    "blogs/chinese-title.yaml": "title: " + "乌克兰和平谈判" * 10 + "停火协议会谈\n",
    # 11: bidi override and zero-width characters in a title
    "blogs/spoof.txt": dump(("Safe\u202etxt.exe\u200b headline", "09:00 Greenwich Mean Time 22 February 2022")),
    "blogs/spoof.yaml": 'title: "Spoof \\u202Egnp.exe"\n',
    # 12: bylines whose names slugify to nothing
    "blogs/bylines.txt": "\n".join(
        [
            "Summary",
            "",
            "  • Two reporters",
            "",
            "  1. Second reportpublished at 10:00 Greenwich Mean Time 23 February 2022",
            "",
            "    ☆☆☆",
            "    Reporter",
            "",
            "    The second reporter's text.",
            "",
            "  2. First reportpublished at 09:00 Greenwich Mean Time 23 February 2022",
            "",
            "    ★★★",
            "    Reporter",
            "",
            "    The first reporter's text.",
            "",
        ]
    ),
    "blogs/bylines.yaml": "title: Bylines\n",
    # 15: tags, where plain text is meant
    "blogs/set-title.txt": dump(("Set", "09:00 Greenwich Mean Time 24 February 2022")),
    "blogs/set-title.yaml": "title: !!set {a, b}\n",
    "blogs/binary-title.txt": dump(("Binary", "09:00 Greenwich Mean Time 25 February 2022")),
    "blogs/binary-title.yaml": "title: !!binary aGVsbG8=\n",
    # 16: a name in capitals
    "blogs/LOUD.TXT": dump(("Loud", "09:00 Greenwich Mean Time 26 February 2022")),
    # 4: a form feed pasted from a PDF, a bell in the author
    "annotations/form-feed.md": '---\nday: 2022-02-15\nblog: ukraine-border-crisis-2022-02\nauthor: "Ed\\a"\n---\n'
    "Pasted from\x0ca PDF.\n",
    # 5: an impossible day; nesting 5,000 deep
    "annotations/bad-day.md": "---\nday: 2022-02-31\n---\nText.\n",
    "annotations/deep.md": f"---\nday: {NESTED}\n---\nText.\n",
    # 7: a billion laughs
    "annotations/laughs.md": f"---\n{billion_laughs()}\nday: 2022-02-15\n---\nText.\n",
    # 8, 13: raw HTML, unsafe links, attributes and a remote image
    "annotations/html.md": f"---\nday: 2022-02-15\nblog: {GOOD}\n---\n{HTML_NOTE}",
    # 11: the gazetteer: NUL, BEL, U+FFFE and a bidi override in a name
    "entities.yaml": '- name: "Na\\0t\\ao\\uFFFE \\u202Eecnailla"\n  kind: organisation\n  aliases: [Nato]\n',
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    content = base / "content"
    for relative, text in FILES.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    os.mkfifo(content / "blogs" / "pipe.txt")  # 16: a FIFO hung the build
    outside = base / "secret.txt"
    outside.write_text("root:x:0:0\n", encoding="utf-8")
    (content / "blogs" / "linked.txt").symlink_to(outside)  # 16: a link out of the content folder
    periods = [{"name": PERIOD_NAME, "start": "2022-01-01", "end": "2022-12-31"}]
    output = base / "output"
    result = build(content, output, "--set", f"BRIEFINGS_PERIODS={json.dumps(periods)}")
    return content, output, result


def line_about(result, name: str) -> str:
    [line] = [line for line in result.stderr.splitlines() if name in line and ("error" in line or "warning" in line)]
    return line


def test_the_build_reports_input_errors_and_builds_every_good_blog(hostile):
    _, output, result = hostile
    assert result.returncode == 1, result.stderr  # input errors: documented as 1
    assert "Traceback" not in result.stderr
    assert len(list((output / "2022" / "02" / "15").glob("*.html"))) > 10
    assert (output / "blogs" / GOOD / "index.html").is_file()
    assert (output / ".briefings-site").is_file()


def test_headlines_that_start_like_a_date_range_are_built(hostile):
    _, output, result = hostile
    assert (output / "2022/02/16/0802-20-30-drones-shot-down-overnight.html").is_file()
    page = (output / "2022/02/16/0803-50-50-chance-of-a-ceasefire-minister-says.html").read_text(encoding="utf-8")
    assert "50-50 chance of a ceasefire, minister says" in page
    assert "drones" not in result.stderr


def test_a_control_character_in_a_dump_name_without_yaml_is_shown_as_a_symbol(hostile):
    _, output, _ = hostile
    page = (output / "blogs" / "bell-ringing" / "index.html").read_text(encoding="utf-8")
    assert "bell\u2407ringing" in page and "\x07" not in page
    assert "\x07" not in (output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")


def test_control_characters_in_a_note_are_shown_as_symbols(hostile):
    _, output, result = hostile
    page = (output / "blogs" / GOOD / "2022-02-15.html").read_text(encoding="utf-8")
    assert "Pasted from\u240ca PDF." in page and "Ed\u2407" in page
    assert "form-feed.md" not in result.stderr


def test_an_impossible_day_in_a_note_is_one_line(hostile):
    _, _, result = hostile
    line = line_about(result, "bad-day.md")
    assert "bad-day.md:2: error:" in line and "day is out of range for month" in line


@pytest.mark.parametrize("name", ["blogs/deep.yaml", "annotations/deep.md"])
def test_yaml_nested_5000_deep_is_one_line(hostile, name):
    _, _, result = hostile
    line = line_about(result, name)
    assert "error: YAML nested more than" in line


def test_a_lone_surrogate_in_yaml_becomes_a_replacement_character(hostile):
    _, output, _ = hostile
    page = (output / "blogs" / "surrogate" / "index.html").read_text(encoding="utf-8")
    assert "Half \ufffd a character" in page


def test_the_year_1_in_british_summer_time_is_one_line_and_in_gmt_has_four_digits(hostile):
    _, output, result = hostile
    line = line_about(result, "bst-year-one.txt")
    assert "bst-year-one.txt:5: error: impossible date '1 January 0001'" in line
    entries = json.loads((output / "api" / "entries.json").read_text(encoding="utf-8"))
    [early] = [entry for entry in entries if entry["blog"] == "gmt-year-one"]
    assert early["utc"] == "0001-01-01T00:30:00Z"


@pytest.mark.parametrize("slug", ["long-title", "chinese-title"])
def test_long_blog_titles_get_category_pages_with_safe_file_names(hostile, slug):
    _, output, _ = hostile
    title = FILES[f"blogs/{slug}.yaml"].removeprefix("title: ").strip()
    pages = [page for page in (output / "category").glob("*.html") if title in page.read_text(encoding="utf-8")]
    assert pages and all(len(page.name.encode()) <= 120 for page in pages)


def test_a_billion_laughs_in_a_note_is_refused_at_once(hostile):
    _, _, result = hostile
    line = line_about(result, "laughs.md")
    assert "laughs.md:2: error: YAML anchors and aliases" in line


def recap_markdown(output: Path) -> str:
    return (output / "blogs" / GOOD / "recap-2022-02-15" / "recap.md").read_text(encoding="utf-8")


def test_recap_markdown_carries_no_raw_html_or_unsafe_links_from_a_note(hostile):
    _, output, _ = hostile
    markdown = recap_markdown(output)
    assert "Read &#60;img src=x onerror=alert(1)> this." in markdown
    for unsafe in ("<img", "<script", "](javascript:"):
        assert unsafe not in markdown
    assert "`<b>{x}</b>`" in markdown  # code is left as written


def test_recap_markdown_makes_links_with_parentheses_absolute_and_keeps_them(hostile):
    _, output, _ = hostile
    markdown = recap_markdown(output)
    assert "[the agreement](https://en.wikipedia.org/wiki/Minsk_agreements_(2015))" in markdown
    # a note's relative links, written for the recap's page, are resolved from the export's folder
    assert "[The day before](../2022-02-14.html)" in markdown
    assert "[its recap](../recap-2022-02-14.html#top_(first))" in markdown


def test_a_note_sets_no_attributes_and_embeds_no_remote_image(hostile):
    _, output, _ = hostile
    page = (output / "blogs" / GOOD / "2022-02-15.html").read_text(encoding="utf-8")
    assert 'id="newsletter-buttons"' not in page and "{#newsletter-buttons .hidden}" in page
    assert "tracker.example/pixel.gif" in page  # as a link, shown
    assert '<img src="https://tracker.example' not in page
    assert "alert(3)" in page and 'href="javascript:' not in page


def test_gazetteer_names_and_titles_show_hidden_characters_visibly(hostile):
    _, output, _ = hostile
    names = (output / "entities" / "index.html").read_text(encoding="utf-8")
    assert "Na\u2400t\u2407o\ufffd \ufffdecnailla" in names
    for hidden in ("\x00", "\x07", "\ufffe", "\u202e"):
        assert hidden not in names
    spoof = (output / "blogs" / "spoof" / "index.html").read_text(encoding="utf-8")
    assert "<title>Spoof \ufffdgnp.exe" in spoof and "\u202e" not in spoof
    [entry] = (output / "2022" / "02" / "22").glob("*.html")
    assert "Safe\ufffdtxt.exe\ufffd headline" in entry.read_text(encoding="utf-8")


def test_two_bylines_that_slugify_to_nothing_keep_their_own_author_pages(hostile):
    _, output, _ = hostile
    authors = (output / "authors.html").read_text(encoding="utf-8")
    assert "★★★" in authors and "☆☆☆" in authors
    assert not (output / "author" / ".html").exists()
    pages = [page.read_text(encoding="utf-8") for page in (output / "author").glob("*.html")]
    assert sum("The first reporter" in page or "First report" in page for page in pages) == 1
    assert sum("Second report" in page for page in pages) == 1


def test_a_period_name_cannot_end_a_comment_in_the_search_scripts(hostile):
    _, output, _ = hostile
    scripts = [path for path in (output / "search").glob("*.js") if "lunr" not in path.name]
    assert any("Winter" in path.read_text(encoding="utf-8") for path in scripts)
    for path in scripts:
        result = subprocess.run(
            ["node", "-e", f"global.window = global; require({json.dumps(str(path))}); console.log(typeof pwned)"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == "undefined", path.name


@pytest.mark.parametrize("name, tag", [("set-title.yaml", "!!set"), ("binary-title.yaml", "!!binary")])
def test_yaml_tags_are_refused_where_text_is_meant(hostile, name, tag):
    _, output, result = hostile
    line = line_about(result, name)
    assert f"{name}:1: error: YAML tags like `{tag}` are not allowed" in line
    assert not (output / "blogs" / name.removesuffix(".yaml")).exists()


def test_a_fifo_is_one_line_and_does_not_hang_the_build(hostile):
    _, _, result = hostile
    assert "pipe.txt: error: not a regular file" in line_about(result, "pipe.txt")


def test_a_link_out_of_the_content_folder_is_not_followed(hostile):
    _, output, result = hostile
    assert "outside the content folder" in line_about(result, "linked.txt")
    assert not (output / "blogs" / "linked").exists()
    assert not any("root:x:0:0" in path.read_text(encoding="utf-8") for path in output.rglob("*.md"))


def test_a_dump_named_in_capitals_is_named_in_a_warning(hostile):
    _, _, result = hostile
    line = line_about(result, "LOUD.TXT")
    assert "warning: ignored" in line and "rename it LOUD.txt" in line


def test_the_good_blog_pages_are_those_of_a_build_of_it_alone(hostile, tmp_path):
    """The hostile inputs change nothing of the good blog but what they annotate."""
    content = tmp_path / "content"
    (content / "blogs").mkdir(parents=True)
    for suffix in (".txt", ".yaml"):
        (content / "blogs" / f"{GOOD}{suffix}").write_text(FILES[f"blogs/{GOOD}{suffix}"], encoding="utf-8")
    alone = tmp_path / "output"
    assert build(content, alone).returncode == 0
    _, output, _ = hostile
    page = "entries/2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.md"
    assert (alone / "markdown" / page).read_bytes() == (output / "markdown" / page).read_bytes()
