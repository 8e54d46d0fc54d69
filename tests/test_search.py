"""The search index and store (search.py), without a browser; Node.js runs the
generated files where JavaScript's own reading of them is the point."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tools import LUNR_JS, node

from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.parse import parse_dump
from pelican.plugins.briefings.ingest.sources import load_blogs
from pelican.plugins.briefings.model import Blog
from pelican.plugins.briefings.write import search, search_parts

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


def test_the_manifest_lists_the_parts_fields_and_filters(files, seeds):
    manifest = data_of(files["search/manifest.js"])
    assert manifest["version"] == 3
    assert manifest["fields"] == ["title", "body", "byline", "labels"]
    assert manifest["entries"] == len(seeds.posts) == 60
    assert manifest["periods"] == ["2025", "2022"]
    assert {blog["slug"] for blog in manifest["blogs"]} == {blog.slug for blog in seeds.blogs}
    assert {"value": "breaking", "label": "Breaking"} in manifest["labels"]
    parts = manifest["parts"]
    assert parts == sorted(parts, key=search.utf16_key) and len(set(parts)) == len(parts)
    assert {name for name in files if not name.startswith("search/entry/")} == {
        "search/manifest.js",
        "search/entries.js",
        *(f"search/terms/{number}.js" for number in range(len(parts))),
    }


def decoded_parts(files: dict[str, str]) -> dict[str, dict]:
    """Every term of every part: {term: {"_index": n, field: {ref: weight}}}."""
    manifest = data_of(files["search/manifest.js"])
    terms = {}
    for number, first in enumerate(manifest["parts"]):
        part = data_of(files[f"search/terms/{number}.js"])
        assert next(iter(part)) == first
        for term, encoded in part.items():
            assert term not in terms, term  # in one part only
            posting, at = {"_index": encoded[0]}, 1
            while at < len(encoded):
                field, count = manifest["fields"][encoded[at]], encoded[at + 1]
                refs, ref = [], 0
                for gap in encoded[at + 2 : at + 2 + count]:
                    ref += gap
                    refs.append(str(ref))
                posting[field] = dict(zip(refs, (w / 1000 for w in encoded[at + 2 + count : at + 2 + 2 * count])))
                at += 2 + 2 * count
            terms[term] = posting
    return terms


def as_lists(made):
    numbers, found = made
    return numbers, [{field: (list(refs), list(weights)) for field, (refs, weights) in f.items()} for f in found]


@pytest.mark.parametrize("which", ["seeds", "odd text", "generated"])
def test_term_postings_computes_what_lunr_py_s_builder_does(seeds, which):
    """The build's own BM25 (term_postings) against lunr.py's Builder: the same
    terms with the same places, the same refs, the same weights, every field."""
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.search_index import synthetic_archive

    archive = {
        "seeds": lambda: seeds,
        "odd text": lambda: archive_of(ODD_TEXT.read_text(encoding="utf-8")),
        "generated": lambda: synthetic_archive(400),
    }[which]()
    settings = search.SearchSettings(extra_fields=(search.ExtraField("entities", lambda post: post.blog.title, 3),))
    fields = search.fields(settings)
    theirs = search_parts.postings(search.fill_builder(archive.posts, settings), fields)
    ours = search_parts.term_postings(search.new_builder(settings), search.index_documents(archive.posts, settings))
    assert as_lists(ours) == as_lists(theirs)
    assert len(ours[0]) > 40


def test_the_parts_hold_every_term_of_the_whole_index_with_its_postings_and_weights(seeds):
    settings = search.SearchSettings(part_bytes=3_000)  # many parts
    files = search.search_files(seeds, settings)
    terms = decoded_parts(files)
    whole = search.build_index(seeds.posts, settings)
    assert len(data_of(files["search/manifest.js"])["parts"]) > 20
    assert set(terms) == set(whole.inverted_index)
    ordered = list(terms)
    assert ordered == sorted(ordered, key=search.utf16_key)  # parts follow each other in UTF-16 order
    for term, posting in whole.inverted_index.items():
        assert terms[term]["_index"] == posting["_index"], term
        for field in whole.fields:
            weights = terms[term].get(field, {})
            assert set(weights) == set(posting[field]), (term, field)
            for ref, weight in weights.items():
                vector = whole.field_vectors[f"{field}/{ref}"].elements
                assert weight == dict(zip(vector[::2], vector[1::2]))[posting["_index"]], (term, field, ref)


def test_the_entries_table_gives_every_entry_its_period_blog_day_and_labels(files, seeds):
    table = data_of(files["search/entries.js"])
    manifest = data_of(files["search/manifest.js"])

    def expand(runs):
        return [value for value, count in runs for _ in range(count)]

    assert table["count"] == len(seeds.posts)
    assert [manifest["periods"][n] for n in expand(table["periods"])] == [str(p.entry.day.year) for p in seeds.posts]
    assert [manifest["blogs"][n]["slug"] for n in expand(table["blogs"])] == [p.blog.slug for p in seeds.posts]
    assert expand(table["days"]) == [p.entry.day.isoformat() for p in seeds.posts]
    breaking = [ref for ref, post in enumerate(seeds.posts) if "Breaking" in post.entry.labels]
    assert list(itertools.accumulate(table["labels"]["breaking"])) == breaking and breaking


def test_an_entry_script_holds_what_its_result_shows(files, seeds):
    [ref] = [ref for ref, post in enumerate(seeds.posts) if post.entry.title == PIPELINE]
    record = data_of(files[f"search/entry/{ref}.js"])
    assert record["title"] == PIPELINE
    assert record["url"].startswith("2022/02/15/") and record["url"].endswith(".html")
    assert record["day"] == "2022-02-15" and record["blog"] == "ukraine-border-crisis-2022-02"
    assert record["text"].startswith("More from the top EU diplomat's interview")
    assert record["text"].endswith("Graphic showing Nord Stream 2")
    assert len(record["text"]) > search.SNIPPET_LENGTH  # the whole text: the page picks the passage


def test_lunr_py_finds_nord_stream_in_the_whole_index(seeds):
    index = search.build_index(seeds.posts, search.SearchSettings())
    titles = [seeds.posts[int(hit["ref"])].entry.title for hit in index.search("+nord +stream")]
    assert titles and titles[0] == PIPELINE


def test_byline_and_labels_are_searchable(seeds):
    index = search.build_index(seeds.posts, search.SearchSettings())
    assert index.search("byline:parker") and index.search("labels:analysis")


def test_extra_field_feeds_more_text_into_the_index(seeds):
    entities = search.ExtraField("entities", lambda post: "Bundeskanzleramt" if post.entry.title == PIPELINE else "", 2)
    settings = search.SearchSettings(extra_fields=(entities,))
    terms = decoded_parts(search.search_files(seeds, settings))
    [ref] = terms["bundeskanzleramt"]["entities"]
    assert seeds.posts[int(ref)].entry.title == PIPELINE


def test_text_is_prepared_without_moving_positions():
    text = "Russia’s Nord Stream—pipeline/route and it's Kyiv's"
    prepared = search.prepare(text)
    assert len(prepared) == len(text)
    assert prepared.split() == ["Russia", "Nord", "Stream", "pipeline", "route", "and", "it", "Kyiv"]


def test_terms_are_in_utf16_order_so_lunr_js_loads_them():
    """lunr.py issue 144: code point order made lunr.Index.load throw "Out of order
    word insertion" on the fixture; the parts, put together by the page's own
    index.js in Node (TermIndex, which expands a prefix with lunr.TokenSet), find
    both words, and every entry for a wildcard over every term."""
    archive = archive_of(ODD_TEXT.read_text(encoding="utf-8"))
    files = search.search_files(archive)
    terms = list(decoded_parts(files))
    assert "🚀" in terms and "ｆｕｌｌｗｉｄｔｈ" in terms
    assert terms == sorted(terms, key=search.utf16_key)
    assert terms != sorted(terms), "the fixture should hold terms whose two orders differ"
    parts = [name for name in files if name.startswith("search/terms/")]
    out = run_node(f"""
        global.lunr = require({json.dumps(str(LUNR_JS))});
        global.window = global;
        {"".join(f"eval({json.dumps(files[name])});" for name in ["search/manifest.js", *parts])}
        eval(require("fs").readFileSync({json.dumps(str(ROOT / "plugins/pelican/plugins/briefings/static/js/search/index.js"))}, "utf8"));
        var data = window.BriefingsSearchData, manifest = data.manifest;
        var index = new BriefingsSearch.TermIndex(manifest.parts.map(function (_, n) {{ return data["terms/" + n]; }}),
            manifest);
        function found(term, wildcard) {{
            return index.query(function (q) {{ q.term(term, {{usePipeline: false, wildcard: wildcard}}); }}).length;
        }}
        // "*": a lunr.TokenSet of every loaded term, which throws if they are out of UTF-16 order
        console.log(JSON.stringify([found("🚀"), found("ｆｕｌｌｗｉｄｔｈ"), found("", lunr.Query.wildcard.TRAILING)]));
    """)
    assert json.loads(out) == [1, 1, len(archive.posts)]


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


def test_an_empty_archive_has_a_manifest_and_no_parts():
    files = search.search_files(build_archive([]))
    assert sorted(files) == ["search/entries.js", "search/manifest.js"]
    assert data_of(files["search/manifest.js"])["parts"] == []


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
    assert scripts == [
        "./search/lunr.min.js",
        "./search/manifest.js",
        *(f"./briefings/js/search/{name}.js" for name in ("analysis", "index", "snippet", "page")),
    ]
    assert all((site / src).is_file() for src in scripts)
    assert (site / "search" / "lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    assert len(list((site / "search" / "entry").glob("*.js"))) == 60
    assert (site / "search" / "entries.js").is_file() and list((site / "search" / "terms").glob("*.js"))
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
    files = {
        path.relative_to(tmp_path / "output").as_posix(): path.read_text(encoding="utf-8")
        for path in (tmp_path / "output" / "search").rglob("*.js")
    }
    count = sum(1 for name in files if name.startswith("search/entry/"))
    entries = [data_of(files[f"search/entry/{ref}.js"]) for ref in range(count)]
    assert data_of(files["search/manifest.js"])["entries"] == len(entries)
    [welcome] = [
        str(ref) for ref, record in enumerate(entries) if record["title"] == "Welcome back to our live coverage"
    ]
    assert "Scholz" not in entries[int(welcome)]["text"] and "Sholz" in entries[int(welcome)]["text"]
    assert welcome in decoded_parts(files)["scholz"]["entities"]
