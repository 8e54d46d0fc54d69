"""The search page in real headless Chromium (Debian's, through Playwright), as a
reader uses it: from disk (file://), from a web server at the site root, and from
a web server under a sub-path the way GitHub Pages serves a project site.

Every test fails if the page logged a console error, threw, or opened a dialog.
"""

from __future__ import annotations

import functools
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sitebuild import SEEDS, build

try:
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover - requirements.txt pins it; the browser fixture says so
    expect = None

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "search"
SUB_PATH = "briefings-archive"
PIPELINE = "Key Russia-Germany gas pipeline at risk, top EU diplomat warns"
CHERNOBYL = [
    "Images show damage to Chernobyl nuclear plant shield",
    "Widespread anger in Munich over Chernobyl strike, Ukraine claims",
    "Chernobyl's radiation levels remain normal - International Atomic Energy Agency",
    "Chernobyl's protective shield damaged by Russian strike - Ukraine",
]
MATCH = re.compile(r"entr(y|ies) match|No entries match")
# The index's term parts the page has loaded, in the order it asked for them.
LOADED = 'Array.from(document.scripts, s => s.getAttribute("src")).filter(s => s && s.includes("/terms/"))'
ENTRIES = 'Array.from(document.scripts, s => s.getAttribute("src")).filter(s => s && s.includes("/entry/")).length'


def build_site(root: Path, blogs: list[Path], *flags: str) -> Path:
    """The site built into ``root/www/SUB_PATH``: ``www`` is served for the sub-path."""
    content = root / "content" / "blogs"
    content.mkdir(parents=True)
    for path in blogs:
        shutil.copy(path, content / path.name)
    output = root / "www" / SUB_PATH
    result = build(root / "content", output, *flags)
    assert result.returncode == 0, result.stderr
    return output


class QuietHandler(SimpleHTTPRequestHandler):
    timeout = 30  # no request can hold the server for longer

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    """Starts static servers on free loopback ports; all stopped after the module."""
    servers = []

    def start(directory: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def seeds_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("search-seeds"), sorted(SEEDS.glob("*")))


@pytest.fixture(scope="module", params=["file", "http", "http-sub-path"])
def site(request, seeds_site, serve):
    """The seeds' site root as a URL, in each of the three ways it is opened."""
    if request.param == "file":
        return seeds_site.as_uri() + "/"
    if request.param == "http":
        return serve(seeds_site)
    return serve(seeds_site.parent) + SUB_PATH + "/"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda message: message.type == "error" and problems.append(f"console: {message.text}"))
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"),
    )

    def on_dialog(dialog):
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    opened.on("dialog", on_dialog)
    yield opened
    context.close()
    assert not problems, problems


def search_for(page, text: str):
    box = page.get_by_label("Search every entry")
    box.fill(text)
    box.press("Enter")
    expect(page.locator("#search-status")).to_have_text(MATCH)


def result_titles(page) -> list[str]:
    return page.locator(".result-title").all_inner_texts()


def count(page) -> int:
    """The number of matches the status line announces."""
    status = page.locator("#search-status").inner_text()
    return 0 if status.startswith("No entries") else int(status.split()[0])


def result_days(page) -> list[str]:
    return [time.get_attribute("datetime") for time in page.locator(".result-meta time").all()]


def test_nord_stream_finds_the_2022_pipeline_entry(page, site):
    page.goto(site + "search.html")
    search_for(page, "Nord Stream")
    titles = result_titles(page)
    assert titles[0] == PIPELINE
    assert all(day.startswith("2022-") for day in result_days(page))
    first = page.locator(".result").first
    assert first.locator("mark").first.inner_text() == "Nordstream"
    first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(PIPELINE)


def test_chernobyl_finds_the_2025_entries_with_the_word_highlighted(page, site):
    page.goto(site + "search.html?q=Chernobyl")
    expect(page.locator("#search-status")).to_have_text("4 entries match “Chernobyl”.")
    assert sorted(result_titles(page)) == sorted(CHERNOBYL)
    assert set(result_days(page)) == {"2025-02-14"}
    for result in page.locator(".result").all():
        assert "Chernobyl" in result.locator("mark").all_inner_texts()


def test_the_box_in_every_header_leads_to_the_results(page, site):
    page.goto(site + "2022/02/15/1008-key-russia-germany-gas-pipeline-at-risk-top-eu-diplomat-warns.html")
    box = page.get_by_role("search").get_by_label("Search entries")
    box.fill("Chernobyl")
    box.press("Enter")
    expect(page.locator("#search-status")).to_have_text(MATCH)
    assert page.url.startswith(site + "search.html?q=Chernobyl")
    assert len(result_titles(page)) == 4


def test_filters_narrow_the_results_and_go_into_the_url(page, site):
    page.goto(site + "search.html")
    search_for(page, "Russia")
    everything = count(page)
    page.get_by_label("Label").select_option("breaking")
    expect(page.locator("#search-status")).to_have_text(re.compile("labelled breaking"))
    breaking = set(result_titles(page))
    assert 0 < len(breaking) == count(page) < everything
    for result in page.locator(".result").all():
        assert "Breaking" in result.locator(".label").all_text_contents()
    page.get_by_label("Period").select_option("2022")
    expect(page.locator("#search-status")).to_have_text(re.compile("in 2022, labelled breaking"))
    assert set(result_titles(page)) < breaking
    assert all(day.startswith("2022-") for day in result_days(page))
    page.get_by_label("Blog").select_option(
        label="Munich Security Conference: Vance and Zelensky meet as Chernobyl shield is hit"
    )
    expect(page.locator("#search-status")).to_have_text(re.compile("No entries match"))
    assert "label=breaking" in page.url and "period=2022" in page.url and "blog=munich" in page.url


def test_the_query_in_the_url_survives_a_reload(page, site):
    page.goto(site + "search.html?q=Chernobyl&period=2025")
    expect(page.locator("#search-status")).to_have_text(re.compile("4 entries match .* in 2025"))
    search_for(page, "Zelensky Munich")
    shown = result_titles(page)
    assert "q=Zelensky+Munich" in page.url
    page.reload()
    expect(page.locator("#search-status")).to_have_text(MATCH)
    assert page.get_by_label("Search every entry").input_value() == "Zelensky Munich"
    assert page.get_by_label("Period").input_value() == "2025"
    assert result_titles(page) == shown


ODD_QUERIES = [
    ":",
    "^",
    "~",
    "*",
    '"',
    "'",
    "\\",
    "nord:stream",
    "title:Chernobyl",
    "Chernobyl^10",
    "Chernobyl~1",
    "+Russia -Ukraine",
    "*stream",
    '"Nord Stream"',
    "<script>alert(1)</script>",
    "%",
    "?",
    "()[]{}",
    "--",
    "the",
    "a b c",
    "🚀",
    "Chern*",
    "\u2028",
    "' OR 1=1 --",
]


def test_odd_queries_show_no_error(page, site):
    page.goto(site + "search.html")
    box = page.get_by_label("Search every entry")
    for query in ODD_QUERIES:
        box.fill(query)
        box.press("Enter")
        status = page.locator("#search-status")
        expect(status).not_to_have_text(re.compile("Searching|could not", re.IGNORECASE))
        assert "error" not in status.inner_text().lower(), query
    # What lunr's own query parser would have refused still finds something useful.
    for query, title in (
        ("title:Chernobyl", None),
        ("Chernobyl^10", CHERNOBYL[0]),
        ('"Nord Stream"', PIPELINE),
        ("Chern*", CHERNOBYL[0]),
        ("+Russia -Ukraine", None),
    ):
        search_for(page, query)
        if title:
            assert title in result_titles(page), query


def test_several_words_narrow_prefixes_and_stems_widen(page, site):
    page.goto(site + "search.html")
    search_for(page, "Russia")
    assert len(result_titles(page)) == 20 < count(page)  # the rest behind a button, a page at a time
    more = page.get_by_role("button", name=re.compile("Show .* more"))
    more.click()
    expect(page.locator(".result-title a").nth(20)).to_be_focused()
    russia = set(all_results(page))
    assert len(russia) == count(page)
    search_for(page, "Russia Scholz")
    both = set(result_titles(page))
    assert both and both < russia
    search_for(page, "chern")
    assert sorted(result_titles(page)) == sorted(CHERNOBYL)
    search_for(page, "withdrawing")  # the index holds the stem "withdraw"
    assert "Russia announces withdrawal of some troops from border" in result_titles(page)
    search_for(page, "Russia's")
    assert set(result_titles(page)) <= russia and result_titles(page)


def test_no_results_explains_what_to_try(page, site):
    page.goto(site + "search.html?q=Chernobyl+xyzzyplugh")
    expect(page.locator("#search-status")).to_have_text("No entries match “Chernobyl xyzzyplugh”.")
    help_box = page.locator("#search-help")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("No entry contains “xyzzyplugh”")
    page.goto(site + "search.html?q=Chernobyl&period=2022")
    expect(page.locator("#search-help")).to_contain_text("Try “Any period”")
    page.goto(site + "search.html?q=Chernobyl+shield&label=breaking")
    expect(page.locator("#search-help")).to_contain_text("4 entries match without the blog and label filters.")
    page.get_by_role("button", name="Search without filters").click()
    expect(page.locator("#search-status")).to_have_text("4 entries match “Chernobyl shield”.")
    assert "label=" not in page.url


def test_keyboard_and_screen_reader_use(page, site):
    page.goto(site + "search.html")
    status = page.get_by_role("status")
    assert status.get_attribute("aria-live") == "polite"
    box = page.get_by_role("searchbox", name="Search every entry")
    expect(box).to_be_focused()  # the page opens ready to type
    page.keyboard.type("Chernobyl")
    expect(status).to_have_text("4 entries match “Chernobyl”.")
    links = page.locator(".result-title a")
    page.keyboard.press("ArrowDown")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    for name in ("Period", "Label", "Blog"):
        expect(page.get_by_label(name)).to_be_visible()
    assert page.get_by_role("list", name="Search results").count() == 1


def test_index_parts_load_only_when_a_search_needs_them(page, site):
    page.goto(site + "search.html")
    expect(page.get_by_label("Search every entry")).to_be_visible()
    assert page.evaluate(LOADED) == [] and page.evaluate(ENTRIES) == 0
    page.goto(site + "search.html?q=Scholz&period=2022")
    expect(page.locator("#search-status")).to_have_text(MATCH)
    parts = page.evaluate(LOADED)
    assert len(parts) == 1 and parts[0].startswith("./search/terms/")  # "scholz" is in one part of two
    assert page.evaluate(ENTRIES) == count(page) > 0  # one script per result shown
    page.get_by_label("Period").select_option("")
    expect(page.locator("#search-status")).not_to_have_text(re.compile("in 2022"))
    expect(page.locator("#search-status")).to_have_text(MATCH)
    assert page.evaluate(LOADED) == parts  # the other period needs no other part


def all_results(page) -> list[str]:
    """Every result's title, after "Show more" until none are left."""
    more = page.locator("#search-more")
    while more.is_visible():
        shown = len(result_titles(page))
        more.click()
        expect(page.locator(".result-title")).not_to_have_count(shown)
    return result_titles(page)


def test_a_period_filter_counts_the_whole_period(page, site):
    page.goto(site + "search.html?q=Russia")
    expect(page.locator("#search-status")).to_have_text(MATCH)
    everything = all_results(page)
    page.goto(site + "search.html?q=Russia&period=2022")
    expect(page.locator("#search-status")).to_have_text(re.compile("entries match .* in 2022"))
    assert len(all_results(page)) == count(page) > 0
    assert all(day.startswith("2022-") for day in result_days(page))
    assert set(result_titles(page)) < set(everything)


def test_the_browser_analyses_words_as_lunr_py_indexed_them(page, seeds_site):
    """analysis.js prepares a query the way search.py and lunr.py prepared the text:
    compared on every word of the seeds."""
    from lunr.tokenizer import Tokenizer

    from pelican.plugins.briefings.write.search import new_builder, prepare

    words = sorted(
        {
            word
            for path in SEEDS.glob("*.txt")
            for word in prepare(path.read_text(encoding="utf-8")).split()
            if "*" not in word
        }
    )
    pipeline = new_builder().pipeline
    expected = [[str(term) for term in pipeline.run(Tokenizer(word))] for word in words]
    page.goto(seeds_site.as_uri() + "/search.html")
    actual = page.evaluate("words => words.map(word => window.BriefingsSearch.analyse(word))", words)
    differences = [(w, e, a) for w, e, a in zip(words, expected, actual) if e != a]
    assert len(words) > 2000 and not differences, differences[:20]


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("search-odd"), sorted(FIXTURES.glob("odd-text.*")))


def test_emoji_and_fullwidth_text_load_and_are_found(page, odd_site):
    """lunr.py issue 144: this index made lunr.Index.load throw before the fix."""
    page.goto(odd_site.as_uri() + "/search.html?q=🚀")
    expect(page.locator("#search-status")).to_have_text("1 entry matches “🚀”.")
    assert result_titles(page) == ["Rocket 🚀 and ｆｕｌｌｗｉｄｔｈ letters in one index"]
    search_for(page, "ｆｕｌｌｗｉｄｔｈ")
    assert page.locator(".result-title mark").all_inner_texts() == ["ｆｕｌｌｗｉｄｔｈ"]


def test_results_show_markup_from_a_dump_as_text(page, odd_site):
    page.goto(odd_site.as_uri() + "/search.html?q=zebra")
    expect(page.locator("#search-status")).to_have_text(MATCH)
    [title] = result_titles(page)
    assert title == "</script><script>alert(\"title\")</script> <img src=x onerror=alert(1)> 'quoted' \\backslash\\"
    results = page.locator("#search-results")
    assert results.locator("script, img, b").count() == 0
    assert "<b>bold?</b> <!-- comment --> and a quote ' \" \\u2028 \\' stays text." in results.inner_text()
    assert page.locator("#search-form [name=blog] option").all_inner_texts()[1] == 'Odd text: <b>emoji</b> and "quotes"'
