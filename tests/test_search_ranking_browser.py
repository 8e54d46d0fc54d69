"""The index split by term ranks as one whole lunr index would, in headless Chromium.

For each query, the page's own scripts (plugins/pelican/plugins/briefings/static/js/search/) load the parts
of the index the query needs and build a lunr.Index of them; the same query then
runs on one lunr.js index of the whole archive (lunr.py's, as ``lunr.Index.load``
reads it). Both must give the same refs in the same order with the same scores,
on the seeds and on a generated archive of 1,500 entries cut into many parts.
Then, on the seeds' site: the ranking a reader sees, and words marked wherever
in an entry's text they are.
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT, SEEDS
from test_search_browser import MATCH, page, result_titles, search_for, seeds_site, serve  # noqa: F401
from tools import LUNR_JS

from pelican.plugins.briefings import urls
from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.sources import load_blogs
from pelican.plugins.briefings.write import search

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.search_index import synthetic_archive  # noqa: E402

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - requirements.txt pins it
    expect = None

SCRIPTS = ROOT / "plugins" / "pelican" / "plugins" / "briefings" / "static" / "js" / "search"
# Entities stand in for an ExtraField: the blog's title, boosted, as the plugin boosts entities.
SETTINGS = search.SearchSettings(extra_fields=(search.ExtraField("entities", lambda post: post.blog.title, 3),))

PAGE = """<!doctype html><meta charset="utf-8"><title>ranking</title>
<script src="search/lunr.js"></script>
<script src="search/manifest.js"></script>
<script src="search/whole.js"></script>
""" + "".join(f'<script src="js/{name}.js"></script>\n' for name in urls.SEARCH_SCRIPTS)

COMPARE = """async queries => {
  const S = window.BriefingsSearch, manifest = BriefingsSearchData.manifest;
  const whole = lunr.Index.load(BriefingsSearchData.whole), loader = new S.Loader("", manifest);
  const out = [];
  for (const query of queries) {
    const words = S.queryWords(query, manifest.fields, []);
    if (!words.length) continue;
    const index = await loader.index(words);
    const ours = index.query(S.buildQuery(words)).map(r => [r.ref, r.score]);
    const theirs = whole.query(S.buildQuery(words)).map(r => [r.ref, r.score]);
    out.push({query, ours, theirs, parts: S.partsFor(manifest.parts, words).length});
  }
  return {out, parts: manifest.parts.length};
}"""


def write_site(folder: Path, archive, settings: search.SearchSettings) -> Path:
    for name, text in search.search_files(archive, settings).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    whole = search.serialize_index(search.build_index(archive.posts, settings))
    (folder / "search" / "whole.js").write_text(search.js_assignment("whole", whole, "one whole index"), "utf-8")
    shutil.copy(LUNR_JS, folder / "search" / "lunr.js")
    shutil.copytree(SCRIPTS, folder / "js")
    (folder / "ranking.html").write_text(PAGE, encoding="utf-8")
    return folder / "ranking.html"


def queries_for(archive, count: int) -> list[str]:
    """Typical queries, then words and prefixes drawn from the archive's titles."""
    rng = random.Random(13)
    words = sorted({w for post in archive.posts for w in re.findall(r"[A-Za-z]{3,}", post.entry.title)})
    drawn = [rng.choice(words) for _ in range(count)]
    return [
        "nato",
        "russia",
        "russia talks",
        "peacekeep",
        "chern",
        "ceasefire",
        "Scholz",
        "ru",
        "title:nato",
        "+russia -ukraine",
        "sanctions europe",
        *drawn,
        *(word[:4] for word in drawn[: count // 2]),
        *(f"{a} {b}" for a, b in zip(drawn[::2], drawn[1::2])),
    ]


def assert_same_ranking(opened, html: Path, queries: list[str]) -> dict:
    opened.goto(html.as_uri())
    answer = opened.evaluate(COMPARE, queries)
    compared = 0
    for row in answer["out"]:
        assert [ref for ref, _ in row["ours"]] == [ref for ref, _ in row["theirs"]], row["query"]
        for (_, ours), (_, theirs) in zip(row["ours"], row["theirs"]):
            assert abs(ours - theirs) <= 1e-9, row["query"]
        compared += bool(row["theirs"])
    assert compared > len(queries) // 2  # most queries found something to compare
    return answer


def test_the_seeds_rank_as_one_whole_index(page, tmp_path):  # noqa: F811
    archive = build_archive(list(load_blogs(SEEDS).blogs))
    assert_same_ranking(page, write_site(tmp_path, archive, SETTINGS), queries_for(archive, 60))


def test_a_generated_archive_in_many_parts_ranks_as_one_whole_index(page, tmp_path):  # noqa: F811
    archive = synthetic_archive(1500)
    settings = search.SearchSettings(extra_fields=SETTINGS.extra_fields, part_bytes=20_000)
    answer = assert_same_ranking(page, write_site(tmp_path, archive, settings), queries_for(archive, 80))
    assert answer["parts"] > 20
    by_query = {row["query"]: row["parts"] for row in answer["out"]}
    assert by_query["peacekeep"] == 1  # a prefix loads the one part holding its terms
    assert max(by_query.values()) < answer["parts"] // 2


RAW = """async () => {
  const S = window.BriefingsSearch, manifest = BriefingsSearchData.manifest, P = lunr.Query.presence;
  const whole = lunr.Index.load(BriefingsSearchData.whole), loader = new S.Loader("", manifest);
  // the parts of "russia" and "talk", and of every term that "russ", "talks" and "nato" start
  const index = await loader.index(S.queryWords("russ talks nato", manifest.fields, []));
  const queries = [
    q => { q.term("russia", {presence: P.REQUIRED}); q.term("talk", {presence: P.REQUIRED}); },
    q => { q.term("russia", {presence: P.REQUIRED}); q.term("nato", {presence: P.PROHIBITED}); },
    q => { q.term("russia", {presence: P.REQUIRED, fields: ["title"]}); q.term("talks", {boost: 3}); },
    q => { q.term("nato", {presence: P.REQUIRED}); q.term("russ", {wildcard: lunr.Query.wildcard.TRAILING}); },
    q => { q.term("talks", {presence: P.REQUIRED}); q.term("nothingsuch", {presence: P.REQUIRED}); },
  ];
  return queries.map(fn => [index.query(fn).map(r => [r.ref, r.score]), whole.query(fn).map(r => [r.ref, r.score])]);
}"""


def test_lunr_queries_the_page_does_not_make_rank_as_one_whole_index_too(page, tmp_path):  # noqa: F811
    """Required and prohibited clauses, a field, a boost: TermIndex runs a
    lunr.Query as lunr.Index.prototype.query does, not only the page's own."""
    archive = synthetic_archive(600)
    page.goto(write_site(tmp_path, archive, search.SearchSettings(part_bytes=20_000)).as_uri())
    answers = page.evaluate(RAW)
    for number, (ours, theirs) in enumerate(answers):
        assert [ref for ref, _ in ours] == [ref for ref, _ in theirs], (number, ours[:12], theirs[:12])
        assert all(abs(a - b) <= 1e-9 for (_, a), (_, b) in zip(ours, theirs))
    assert [bool(theirs) for _, theirs in answers] == [True, True, True, True, False]


@pytest.fixture(scope="module", params=["file", "http-sub-path"])
def site(request, seeds_site, serve):  # noqa: F811
    if request.param == "file":
        return seeds_site.as_uri() + "/"
    return serve(seeds_site.parent) + seeds_site.name + "/"


def test_nato_puts_first_the_entry_with_nato_in_its_title(page, site):  # noqa: F811
    """Shards per month ranked "EU ready to discuss Russian security concerns" first."""
    page.goto(site + "search.html?q=nato")
    expect(page.locator("#search-status")).to_have_text(MATCH)
    assert result_titles(page)[0] == "Ukraine on 'irreversible path' to Nato, Downing Street says"
    assert page.locator(".result-title").first.locator("mark").all_inner_texts() == ["Nato"]


def test_every_result_marks_the_word_wherever_it_is_in_the_text(page, site):  # noqa: F811
    """Only the first 320 characters were marked, so 2 of the 4 showed no "ceasefire"."""
    page.goto(site + "search.html?q=ceasefire")
    expect(page.locator("#search-status")).to_have_text("4 entries match “ceasefire”.")
    for result in page.locator(".result").all():
        marked = result.locator(".result-title mark, .result-snippet mark").all_inner_texts()
        assert marked and all(word.lower().startswith("ceasefire") for word in marked)
    assert page.locator(".result-elsewhere").count() == 0


def test_every_query_word_is_marked_in_the_passages_shown(page, site):  # noqa: F811
    search_page = site + "search.html?q=" + "Zelensky+Munich"
    page.goto(search_page)
    expect(page.locator("#search-status")).to_have_text(MATCH)
    for result in page.locator(".result").all():
        marked = {word.lower() for word in result.locator("mark").all_inner_texts()}
        elsewhere = result.locator(".result-elsewhere").all_inner_texts()
        assert {"zelensky", "munich"} <= marked or elsewhere, marked
    snippet = page.locator(".result-snippet").first.inner_text()
    assert len(snippet) < 600  # passages, not the whole text
