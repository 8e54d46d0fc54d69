"""JSON input (docs/inputs.md, "JSON input"): another live blog's entries in the
shape of ``api/entries.json``; a site built from a site's own API is the same site's
entries, days and ids."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sitebuild import ROOT, SEEDS, build, read_page

from pelican.plugins.briefings.errors import BriefingsError
from pelican.plugins.briefings.ingest.sources import load_blogs, load_json
from pelican.plugins.briefings.model import BulletList, Figure, Paragraph, Quote

ENTRY = {
    "published": "2025-01-24T07:15:00+00:00",
    "title": "Red warning in force",
    "labels": ["breaking"],
    "byline": {"name": "Ciara Example", "role": "Ireland correspondent"},
    "text": "Winds of 100mph are forecast.\n\n• Schools are closed\n• Trains are cancelled\n\n"
    "\u201cStay at home,\u201d the police said.",
    "pictures": [{"description": "Waves over a sea wall", "credit": "PA Media", "caption": None, "at": 1}],
    "quotes": [2],
}


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_entry_reads_as_a_dump_entry_would(tmp_path):
    path = write(tmp_path, "storm.json", {"title": "Storm Eowyn", "summary": ["A red warning"], "entries": [ENTRY]})
    (blog,), problems = load_json(path)
    assert problems == []
    assert (blog.slug, blog.title, [item.text for item in blog.head.blocks[0].items]) == (
        "storm",
        "Storm Eowyn",
        ["A red warning"],
    )
    (entry,) = blog.entries
    assert entry.published == datetime(2025, 1, 24, 7, 15, tzinfo=UTC)
    assert (entry.day, entry.zone, entry.labels) == (date(2025, 1, 24), "GMT", ("Breaking",))
    assert (entry.byline.name, entry.byline.role) == ("Ciara Example", "Ireland correspondent")
    paragraph, figure, bullets, quote = entry.blocks
    assert paragraph == Paragraph(paragraph.text, ()) and paragraph.text.text == "Winds of 100mph are forecast."
    assert figure == Figure("Waves over a sea wall", "PA Media", None, ())
    assert isinstance(bullets, BulletList) and [i.text for i in bullets.items] == [
        "Schools are closed",
        "Trains are cancelled",
    ]
    assert isinstance(quote, Quote) and quote.text.text.startswith("\u201cStay at home")


def test_entries_in_any_order_are_placed_newest_first_and_other_offsets_keep_theirs(tmp_path):
    new_york = {**ENTRY, "title": "Later", "published": "2025-01-24T09:00:00-05:00", "quotes": []}
    path = write(tmp_path, "mixed.json", {"entries": [ENTRY, new_york]})
    (blog,), _ = load_json(path)
    assert [(e.number, e.title, e.zone) for e in blog.entries] == [
        (1, "Later", "UTC-05:00"),
        (2, ENTRY["title"], "GMT"),
    ]
    assert blog.entries[0].published.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    "change, reason",
    [
        (
            {"published": "24 Jan 07:15"},
            "entry 0 (counting from 0), `published`: '24 Jan 07:15' is not an ISO 8601 time",
        ),
        (
            {"published": "2025-01-24T07:15:00"},
            "entry 0 (counting from 0), `published`: '2025-01-24T07:15:00' has no offset",
        ),
        ({"title": ""}, "entry 0 (counting from 0), `title`: missing or empty"),
        ({"day": "2025-01-23"}, "entry 0 (counting from 0), `day`: '2025-01-23' is not the local date of `published`"),
        ({"labels": "breaking"}, "entry 0 (counting from 0), `labels`: must be a list of words"),
        ({"byline": "Ciara"}, "entry 0 (counting from 0), `byline`: must be null or"),
        ({"text": ["a"]}, "entry 0 (counting from 0), `text`: must be a text"),
        ({"pictures": [{"at": 1}]}, "entry 0 (counting from 0), `pictures[0]`: has no description, credit or caption"),
        ({"pictures": [{"credit": "PA", "at": 9}]}, "entry 0 (counting from 0), `pictures[0].at`: must be a number"),
        ({"quotes": [7]}, "entry 0 (counting from 0), `quotes`: 7 is not one of the text's 3 paragraphs"),
        ({"published": None}, "entry 0 (counting from 0), `published`: missing: give `published`"),
    ],
)
def test_a_bad_entry_is_one_line_naming_the_file_the_entry_and_the_field(tmp_path, change, reason):
    path = write(tmp_path, "storm.json", {"entries": [{**ENTRY, **change}]})
    with pytest.raises(BriefingsError) as raised:
        load_json(path)
    assert str(raised.value).startswith(f"{path}: error: {reason}")
    assert "\n" not in str(raised.value)


def test_invalid_json_names_its_line_and_a_bad_blog_leaves_the_others(tmp_path):
    (tmp_path / "broken.json").write_text('{"entries": [\n  {"title": "x"\n  "text": ""}]}\n', encoding="utf-8")
    write(tmp_path, "storm.json", {"entries": [ENTRY]})
    loaded = load_blogs(tmp_path)
    assert [blog.slug for blog in loaded.blogs] == ["storm"]
    assert [str(p) for p in loaded.problems] == [
        f"{tmp_path / 'broken.json'}:3: error: invalid JSON: Expecting ',' delimiter (column 3): fix the file"
    ]


def test_unknown_fields_and_keys_are_warnings(tmp_path):
    path = write(tmp_path, "storm.json", {"colour": "red", "entries": [{**ENTRY, "mood": "grim"}]})
    _, problems = load_json(path)
    assert [(p.severity, p.reason.split(";")[0]) for p in problems] == [
        ("warning", "unknown key 'colour' ignored"),
        ("warning", "entry fields 'mood' ignored"),
    ]


def test_a_yaml_beside_a_bare_list_gives_the_blogs_metadata(tmp_path):
    write(tmp_path, "storm.json", [ENTRY])
    (tmp_path / "storm.yaml").write_text("title: Storm Eowyn live\npublisher: Example News\n", encoding="utf-8")
    loaded = load_blogs(tmp_path)
    (blog,) = loaded.blogs
    assert (blog.title, blog.extra) == ("Storm Eowyn live", (("publisher", "Example News"),))
    assert loaded.problems == ()  # the YAML has its JSON beside it


# --- round trip ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    root = tmp_path_factory.mktemp("round-trip")
    shutil.copytree(SEEDS, root / "first" / "blogs")
    first = root / "first-site"
    assert build(root / "first", first).returncode == 0
    (root / "second" / "blogs").mkdir(parents=True)
    shutil.copy(first / "api" / "entries.json", root / "second" / "blogs" / "seeds.json")
    second = root / "second-site"
    result = build(root / "second", second)
    assert result.returncode == 0, result.stderr
    return first, second


def api(site: Path, name: str):
    return json.loads((site / "api" / name).read_text(encoding="utf-8"))


def test_a_site_built_from_a_sites_api_has_the_same_entries_days_and_ids(round_trip):
    first, second = round_trip
    before, after = api(first, "entries.json"), api(second, "entries.json")
    assert len(after) == 60
    assert [e["id"] for e in after] == [e["id"] for e in before]
    assert after == before  # every field: times, titles, labels, bylines, text, pictures, quotes, links
    days = {blog["slug"]: blog["days"] for blog in api(first, "blogs.json")}
    assert {blog["slug"]: blog["days"] for blog in api(second, "blogs.json")} == days


def test_the_round_trip_keeps_bullets_pictures_and_quotes_on_the_page(round_trip):
    first, second = round_trip
    for page in (
        "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html",  # quotes
        "2025/02/14/0952-images-show-damage-to-chernobyl-nuclear-plant-shield.html",  # four pictures
        "2022/02/14/2017-live-coverage-concludes.html",  # bullets
    ):
        html = [(site / page).read_text(encoding="utf-8") for site in (first, second)]
        body = [re.search(r"<main.*</main>", h, re.DOTALL).group(0) for h in html]
        assert body[0] == body[1], page
        assert read_page(second / page).visible


# --- the converter in docs/inputs.md -----------------------------------------------------


def test_the_converter_in_the_docs_makes_a_blog_that_builds(tmp_path):
    docs = (ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
    code = re.search(r"### A converter.*?```python\n(.*?)```", docs, re.DOTALL).group(1)
    namespace: dict = {"__name__": "converter"}
    exec(compile(code, "docs/inputs.md", "exec"), namespace)
    export = {
        "name": "Storm Eowyn",
        "url": "https://example.org/live/storm",
        "posts": [
            {
                "time": "2025-01-24T07:15:00Z",
                "headline": "Red warning <in force>",
                "author": "Ciara Example",
                "paragraphs": ["Winds of *100mph* are forecast.", "Schools are closed."],
                "image": {"alt": "Waves over a sea wall", "credit": "PA Media"},
                "pinned": True,
            }
        ],
    }
    blogs = tmp_path / "content" / "blogs"
    blogs.mkdir(parents=True)
    write(blogs, "storm.json", namespace["convert"](export))
    result = build(tmp_path / "content", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    page = read_page(tmp_path / "output" / "2025/01/24/0715-red-warning-in-force.html").visible
    for text in ("Red warning <in force>", "Winds of *100mph* are forecast.", "Waves over a sea wall", "Ciara Example"):
        assert text in page


@pytest.mark.parametrize(
    "text, reason",
    [
        ("[]", "no entries: give at least one"),
        ('{"entries": []}', "no entries: give at least one"),
        ('"a live blog"', "JSON input must be a list of entries, or an object with `entries`"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
        ('[{"blog": {"x": 1}, "title": ""}]', "entry 0 (counting from 0), `title`: missing or empty"),
    ],
)
def test_files_that_are_not_a_live_blog_are_one_line(tmp_path, text, reason):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefingsError) as raised:
        load_json(path)
    assert str(raised.value).startswith(f"{path}: error: {reason}")
