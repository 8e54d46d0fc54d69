"""The search index and store (search.py), without a browser; Node.js runs the
generated files where JavaScript's own reading of them is the point."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from lunr.index import Index
from tools import LUNR_JS, node

from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.parse import parse_dump
from pelican.plugins.briefings.ingest.sources import load_blogs
from pelican.plugins.briefings.model import Blog
from pelican.plugins.briefings.write import search

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "content" / "blogs"
ODD_TEXT = Path(__file__).resolve().parent / "fixtures" / "search" / "odd-text.txt"
PIPELINE = "Key Russia-Germany gas pipeline at risk, top EU diplomat warns"


def archive_of(text: str, slug: str = "blog", year: int | None = 2025):
    dump = parse_dump(text, path=f"{slug}.txt", year=year)
    return build_archive([Blog(slug=slug, title=slug.title(), source=None, year=year, path=f"{slug}.txt", dump=dump)])


@pytest.fixture(scope="module")
def seeds():
    return build_archive(list(load_blogs(SEEDS).blogs))


@pytest.fixture(scope="module")
def files(seeds):
    return search.search_files(seeds)


def data_of(script: str):
    """What ``JSON.parse('…')`` in a generated file gives, read back in Python."""
    literal = script[script.index("JSON.parse(") + len("JSON.parse(") : script.rindex(");")]
    return json.loads(decode_js_string(literal))


def decode_js_string(literal: str) -> str:
    assert literal[0] == literal[-1] == "'"
    escapes = {
        "\\\\": "\\",
        "\\'": "'",
        "\\n": "\n",
        "\\r": "\r",
        "\\u2028": "\u2028",
        "\\u2029": "\u2029",
        "\\x3C": "<",
        "\\x3E": ">",
    }
    out, body, at = [], literal[1:-1], 0
    while at < len(body):
        if body[at] == "\\":
            escape = next(e for e in escapes if body.startswith(e, at))
            out.append(escapes[escape])
            at += len(escape)
        else:
            assert body[at] not in "'\n\r\u2028\u2029<>", f"unescaped {body[at]!r}"
            out.append(body[at])
            at += 1
    return "".join(out)


def run_node(script: str) -> str:
    result = subprocess.run([node(), "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_one_shard_per_month_newest_first_listed_in_the_manifest(files):
    manifest = data_of(files["search/manifest.js"])
    assert manifest["version"] == 2
    assert [(s["period"], s["month"], s["part"], s["first"], s["last"], s["entries"]) for s in manifest["shards"]] == [
        ("2025", "2025-02", 1, "2025-02-14", "2025-02-17", 40),
        ("2022", "2022-02", 1, "2022-02-14", "2022-02-15", 20),
    ]
    assert manifest["shards"][1]["key"] == "2022-2022-02"
    assert manifest["shards"][1]["index"] == "search/index-2022-2022-02.js"
    assert manifest["shards"][1]["bytes"] == len(files["search/index-2022-2022-02.js"].encode()) + len(
        files["search/store-2022-2022-02.js"].encode()
    )
    assert set(files) == {
        "search/manifest.js",
        "search/index-2025-2025-02.js",
        "search/store-2025-2025-02.js",
        "search/index-2022-2022-02.js",
        "search/store-2022-2022-02.js",
    }
    assert [label["value"] for label in manifest["labels"]] == ["analysis", "breaking"]
    assert len(manifest["blogs"]) == 3


SMALL_SHARDS = search.SearchSettings(shard_entries=8)


def test_a_month_over_the_limit_is_cut_into_parts_holding_every_entry_once(seeds):
    files = search.search_files(seeds, SMALL_SHARDS)
    shards = data_of(files["search/manifest.js"])["shards"]
    assert [(s["key"], s["entries"]) for s in shards] == [
        ("2025-2025-02-6", 4),
        ("2025-2025-02-5", 8),
        ("2025-2025-02-4", 8),
        ("2025-2025-02-3", 4),
        ("2025-2025-02-2", 8),
        ("2025-2025-02", 8),
        ("2022-2022-02-3", 7),
        ("2022-2022-02-2", 8),
        ("2022-2022-02", 5),
    ]
    urls = []
    for shard in shards:
        store = data_of(files[shard["store"]])
        index = Index.load(data_of(files[shard["index"]]))
        assert len(store) == shard["entries"] <= 8
        assert {record["day"] for record in store} <= {shard["first"], shard["last"]}
        assert all(record["period"] == shard["period"] for record in store)
        assert sorted(index.field_vectors) == sorted(
            f"{field}/{ref}" for ref in range(len(store)) for field in index.fields
        )
        urls += [record["url"] for record in store]
    assert sorted(urls) == sorted(post.url for post in seeds.posts)  # each entry once
    # Parts are cut between days; only a day of more than 8 entries is cut itself.
    for newer, older in zip(shards, shards[1:]):
        if newer["month"] == older["month"] and newer["first"] == older["last"]:
            assert sum(post.entry.day.isoformat() == newer["first"] for post in seeds.posts) > 8


def days(*sizes: int) -> list[SimpleNamespace]:
    """Stand-ins for posts: ``sizes[i]`` entries on the (i+1)th of March 2025."""
    return [
        SimpleNamespace(entry=SimpleNamespace(day=date(2025, 3, number)), n=n)
        for number, size in enumerate(sizes, 1)
        for n in range(size)
    ]


def test_month_parts_cut_between_days_from_the_first_day_forward():
    parts = search.month_parts(tuple(days(3, 4, 2, 9, 1)), 5)
    assert [len(part) for part in parts] == [3, 4, 2, 5, 5]  # the day of 9 is cut; the last day joins its end
    assert [post.entry.day.day for post in parts[-1]] == [4, 4, 4, 4, 5]
    assert search.month_parts((), 5) == []


def test_a_newer_day_changes_only_the_last_part_of_its_month():
    sizes = [3, 4, 2, 9, 1, 6, 5, 5, 1, 1, 2, 7]
    for known in range(1, len(sizes)):
        before = search.month_parts(tuple(days(*sizes[:known])), 5)
        after = search.month_parts(tuple(days(*sizes[: known + 1])), 5)
        assert after[: len(before) - 1] == before[:-1]


def later_dump(day: int, entries: int, month: str = "February") -> str:
    """A live page of ``entries`` entries on one day of 2025, the newest at the top."""
    return "Summary\n\n  • Later coverage\n\n" + "".join(
        f"  {n}. Later talks on Russia, number {n}published at 10:{59 - n:02d} Greenwich Mean Time {day} {month} 2025"
        f"\n\n    Talks went on about Russia and sanctions with Olaf Scholz, part {n}.\n\n"
        for n in range(1, entries + 1)
    )


def later_blog(day: int, entries: int, month: str = "February") -> Blog:
    dump = parse_dump(later_dump(day, entries, month), path="later.txt", year=2025)
    assert not dump.warnings
    return Blog(slug="later", title="Later", source=None, year=2025, path="later.txt", dump=dump)


def shard_files(keys: set[str]) -> set[str]:
    return {f"search/{kind}-{key}.js" for key in keys for kind in ("index", "store")}


@pytest.mark.parametrize(
    "later, changed, added",
    [
        (later_blog(20, 3), {"2025-2025-02-6"}, set()),  # fits in the month's last part
        (later_blog(20, 5), set(), {"2025-2025-02-7"}),  # does not: a new part
        (later_blog(3, 20, "March"), set(), {"2025-2025-03", "2025-2025-03-2", "2025-2025-03-3"}),
    ],
)
def test_adding_a_newer_day_leaves_every_earlier_shard_byte_identical(later, changed, added):
    settings = search.SearchSettings(
        shard_entries=8, extra_fields=(search.ExtraField("blog", lambda post: post.blog.title),)
    )
    blogs = list(load_blogs(SEEDS).blogs)
    before = search.search_files(build_archive(blogs), settings)
    after = search.search_files(build_archive(blogs + [later]), settings)
    assert set(after) - set(before) == shard_files(added)
    assert {name for name in before if before[name] != after[name]} == shard_files(changed) | {"search/manifest.js"}


def test_store_holds_what_a_result_shows(files):
    store = data_of(files["search/store-2022-2022-02.js"])
    record = next(r for r in store if r["title"] == PIPELINE)
    assert record["url"] == "2022/02/15/1008-key-russia-germany-gas-pipeline-at-risk-top-eu-diplomat-warns.html"
    assert record["day"] == "2022-02-15" and record["period"] == "2022"
    assert record["blog"] == "ukraine-border-crisis-2022-02"
    assert record["snippet"].startswith("More from the top EU diplomat's interview with us earlier.")
    assert record["snippet"].endswith("\u2026") and len(record["snippet"]) <= search.SNIPPET_LENGTH + 1
    breaking = [r for r in store if r["labels"]]
    assert breaking and all(set(r["labels"]) <= {"Breaking", "Analysis"} for r in breaking)


def test_lunr_py_finds_nord_stream_in_the_2022_index(files):
    index = Index.load(data_of(files["search/index-2022-2022-02.js"]))
    store = data_of(files["search/store-2022-2022-02.js"])
    titles = [store[int(hit["ref"])]["title"] for hit in index.search("+nord +stream")]
    assert PIPELINE in titles
    assert index.fields == ["title", "body", "byline", "labels"]


def test_positions_are_kept_where_a_result_shows_them(files):
    index = data_of(files["search/index-2022-2022-02.js"])
    store = data_of(files["search/store-2022-2022-02.js"])
    postings = dict(index["invertedIndex"])
    ref = str(next(i for i, r in enumerate(store) if r["title"] == PIPELINE))
    [[start, length]] = postings["pipelin"]["title"][ref]["position"]
    assert store[int(ref)]["title"][start : start + length] == "pipeline"
    shown = len(store[int(ref)]["snippet"]) - 1
    body = [p for p in postings["nordstream"]["body"][ref]["position"]]
    assert body and all(s + n <= shown for s, n in body)  # the third "Nordstream" is beyond the snippet
    assert all(
        not docs
        for term, posting in postings.items()
        for field, docs in posting.items()
        if field in ("byline", "labels")
        for docs in docs.values()
    )


def test_byline_and_labels_are_searchable(files):
    index = Index.load(data_of(files["search/index-2022-2022-02.js"]))
    assert index.search("byline:parker") and index.search("labels:analysis")


def test_extra_field_feeds_more_text_into_the_index(seeds):
    entities = search.ExtraField("entities", lambda post: "Bundeskanzleramt" if post.entry.title == PIPELINE else "", 2)
    files = search.search_files(seeds, search.SearchSettings(extra_fields=(entities,)))
    index = Index.load(data_of(files["search/index-2022-2022-02.js"]))
    store = data_of(files["search/store-2022-2022-02.js"])
    assert "entities" in index.fields
    assert [store[int(hit["ref"])]["title"] for hit in index.search("entities:bundeskanzleramt")] == [PIPELINE]


def test_text_is_prepared_without_moving_positions():
    text = "Russia’s Nord Stream—pipeline/route and it's Kyiv's"
    prepared = search.prepare(text)
    assert len(prepared) == len(text)
    assert prepared.split() == ["Russia", "Nord", "Stream", "pipeline", "route", "and", "it", "Kyiv"]


def test_snippet_is_the_opening_of_the_text_cut_at_a_space():
    body = "word " * 100
    cut = search.snippet(body, 42)
    assert cut.endswith("\u2026") and body.startswith(cut[:-1]) and not cut[:-1].endswith(" ")
    assert search.snippet("short", 42) == "short"


def test_inverted_index_is_in_utf16_order_so_lunr_js_loads_it():
    """lunr.py issue 144: an emoji and a character in U+E000–U+FFFF."""
    archive = archive_of(ODD_TEXT.read_text(encoding="utf-8"))
    files = search.search_files(archive)
    terms = [term for term, _ in data_of(files["search/index-2025-2025-03.js"])["invertedIndex"]]
    assert "🚀" in terms and "ｆｕｌｌｗｉｄｔｈ" in terms
    assert terms == sorted(terms, key=search.utf16_key)
    assert terms != sorted(terms), "the fixture should hold terms whose two orders differ"
    out = run_node(f"""
        var lunr = require({json.dumps(str(LUNR_JS))});
        global.window = global;
        eval({json.dumps(files["search/index-2025-2025-03.js"])});
        var index = lunr.Index.load(window.BriefingsSearchData["index/2025-2025-03"]);
        console.log(JSON.stringify([index.search("🚀").length, index.search("ｆｕｌｌｗｉｄｔｈ").length]));
    """)
    assert json.loads(out) == [1, 1]


def test_code_point_order_is_what_lunr_js_refuses():
    """The bug itself, so the test above is known to test something."""
    out = run_node(f"""
        var lunr = require({json.dumps(str(LUNR_JS))});
        var builder = new lunr.TokenSet.Builder;
        try {{ {"".join(f"builder.insert({json.dumps(t)});" for t in sorted(["🚀", "ｆｕｌｌ"]))} console.log("loaded"); }}
        catch (error) {{ console.log(error.message); }}
    """)
    assert out.strip() == "Out of order word insertion"


HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!-- x",
    "it's",
    'say "hi"',
    "back\\slash",
    "\\'",
    "line\u2028separator",
    "para\u2029separator",
    "new\nline",
    "\r",
    "\x00",
    "🚀",
    "\ue000",
    "\\u2028",
]


def test_scripts_carry_any_text_exactly_and_safely():
    script = search.js_assignment("test", HOSTILE, "hostile */ comment")
    for forbidden in ("</", "<!--", "\u2028", "\u2029"):
        assert forbidden not in script
    assert data_of(script) == HOSTILE
    out = run_node(f"""
        global.window = global;
        eval({json.dumps(script)});
        console.log(JSON.stringify(window.BriefingsSearchData.test));
    """)
    assert json.loads(out) == HOSTILE


def test_an_empty_archive_has_a_manifest_and_no_shards():
    files = search.search_files(build_archive([]))
    assert list(files) == ["search/manifest.js"]
    assert data_of(files["search/manifest.js"])["shards"] == []


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from sitebuild import build

    root = tmp_path_factory.mktemp("search-site")
    (root / "content").mkdir()
    shutil.copytree(SEEDS, root / "content" / "blogs")
    result = build(root / "content", root / "output")
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_every_page_has_a_search_box_that_opens_the_search_page(site):
    from sitebuild import read_page

    # Every page but the search page itself, and email.html (a newsletter file, not a page).
    pages = [path for path in site.rglob("*.html") if path.name not in ("search.html", "email.html")]
    assert len(pages) > 60
    for path in pages:
        forms = [attrs for tag, attrs in read_page(path).tags if tag == "form"]
        assert [f.get("method") for f in forms] == ["get"], path
        assert (path.parent / forms[0]["action"]).resolve() == (site / "search.html").resolve(), path
        assert 'name="q"' in path.read_text(encoding="utf-8"), path


def test_the_search_page_and_its_files_are_in_the_output(site):
    from sitebuild import read_page

    page = read_page(site / "search.html")
    scripts = [attrs["src"] for tag, attrs in page.tags if tag == "script"]
    assert scripts == ["./search/lunr.min.js", "./search/manifest.js", "./briefings/js/search.js"]
    assert all((site / src).is_file() for src in scripts)
    assert (site / "search" / "lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    assert {path.name for path in (site / "search").glob("*-20*.js")} == {
        "index-2022-2022-02.js",
        "store-2022-2022-02.js",
        "index-2025-2025-02.js",
        "store-2025-2025-02.js",
    }
    assert "Search runs in your browser and needs JavaScript" in page.visible  # the <noscript> fallback
    labels = [attrs.get("for") for tag, attrs in page.tags if tag == "label"]
    assert {"search-q", "search-period", "search-label", "search-blog"} <= set(labels)


def test_without_lunr_js_the_build_stops_and_says_what_to_run(tmp_path):
    from sitebuild import build

    (tmp_path / "content").mkdir()
    shutil.copytree(SEEDS, tmp_path / "content" / "blogs")
    result = build(tmp_path / "content", tmp_path / "output", "--set", "BRIEFINGS_LUNR_JS=nowhere/lunr.min.js")
    assert result.returncode == 2
    assert "nowhere/lunr.min.js is missing: run `npm ci`" in result.stderr
    assert "Traceback" not in result.stderr


def test_building_leaves_the_garbage_collector_as_it_was():
    import gc

    assert gc.isenabled()
    search.search_files(archive_of(ODD_TEXT.read_text(encoding="utf-8")))
    assert gc.isenabled()


def test_the_built_site_finds_a_misspelt_name_by_its_entity(tmp_path):
    """The plugin feeds each entry's entities into the index: the 2022 entry that
    wrote "Olaf Sholz" is found by "Scholz" through its entity "Olaf Scholz"."""
    from sitebuild import build

    shutil.copytree(ROOT / "content", tmp_path / "content")
    result = build(tmp_path / "content", tmp_path / "output")
    assert result.returncode == 0, result.stderr
    index = Index.load(data_of((tmp_path / "output" / "search" / "index-2022-2022-02.js").read_text(encoding="utf-8")))
    store = data_of((tmp_path / "output" / "search" / "store-2022-2022-02.js").read_text(encoding="utf-8"))
    welcome = next(
        str(ref) for ref, record in enumerate(store) if record["title"] == "Welcome back to our live coverage"
    )
    assert "Scholz" not in store[int(welcome)]["snippet"] and "Sholz" in store[int(welcome)]["snippet"]
    assert welcome in {hit["ref"] for hit in index.search("entities:scholz")}


def test_a_site_with_small_shards_rebuilt_with_a_newer_day_keeps_its_earlier_shards(tmp_path):
    """End to end, with the plugin's entities in the index: the seeds' months in
    parts of at most 8 entries; a newer day changes only the last part it joins."""
    from sitebuild import build

    outputs = {}
    for name, later in (("before", None), ("after", later_dump(20, 3))):
        shutil.copytree(ROOT / "content", tmp_path / name)
        if later:
            (tmp_path / name / "blogs" / "later.txt").write_text(later, encoding="utf-8")
            (tmp_path / name / "blogs" / "later.yaml").write_text("title: Later\nyear: 2025\n", encoding="utf-8")
        result = build(tmp_path / name, tmp_path / f"{name}-output", "--set", "BRIEFINGS_SEARCH_SHARD_ENTRIES=8")
        assert result.returncode == 0, result.stderr
        outputs[name] = {path.name: path.read_bytes() for path in (tmp_path / f"{name}-output" / "search").iterdir()}
    before, after = outputs["before"], outputs["after"]
    shards = data_of(before["manifest.js"].decode())["shards"]
    assert len(shards) == 9 and max(shard["entries"] for shard in shards) == 8
    assert set(after) == set(before)
    assert {name for name in before if before[name] != after[name]} == {
        "manifest.js",
        "index-2025-2025-02-6.js",
        "store-2025-2025-02-6.js",
    }
