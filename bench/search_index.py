"""The search index against Pagefind: bytes and time until the first page of results.

    make bench                                               # 10,000 entries, as part of the build bench
    .venv-bench/bin/python bench/search_index.py --entries 10000 50000

Synthetic entries are made from the seeds: each copies the shape of a random
seed entry (its number of paragraphs and words per paragraph, its labels and
byline) and fills it with words drawn from the seeds' text. A real archive
keeps meeting new names, and a fixed vocabulary would make the index look
smaller than it will be, so the vocabulary grows by Heaps' law (V = K n^b, with
K = 30 and b = 0.5, usual for English news): now and then a new word is made of
two seed words' halves ("Zelenmoscow"), and every other word is drawn from all
words used so far, so frequent words stay frequent (Simon's model, which gives
Zipf's law). The random seed is fixed, so runs are comparable.

The same entries go into our index (search.py, its files and the page's own
scripts, static/js/search/ in the plugin) and, as one HTML page each, into Pagefind
(PyPI's ``pagefind`` with its binary, installed in .venv-bench only). Each
query then runs in a fresh page of Debian's headless Chromium, over a loopback
server and, for ours, from ``file://`` (Pagefind fetches its files, which
browsers refuse on ``file://``). Measured from the query to the first page of
results complete (20 results with their title, address and passage): the time,
the median of ``--runs`` fresh pages, and the bytes the page loaded since it
opened, each file counted gzipped (Pagefind's files are gzipped already, so
that is about their size as sent).
"""

from __future__ import annotations

import argparse
import functools
import gc
import gzip
import html
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from tools import CHROMIUM_ARGS, chromium  # noqa: E402

from pelican.plugins.briefings import urls  # noqa: E402
from pelican.plugins.briefings.ingest.catalog import build_archive  # noqa: E402
from pelican.plugins.briefings.ingest.parse import GMT  # noqa: E402
from pelican.plugins.briefings.ingest.sources import load_blogs  # noqa: E402
from pelican.plugins.briefings.model import Blog, Dump, Entry, Head, Inline, Paragraph  # noqa: E402
from pelican.plugins.briefings.text import block_lines  # noqa: E402
from pelican.plugins.briefings.write import search  # noqa: E402

SEEDS = ROOT / "content" / "blogs"
LUNR_JS = ROOT / "node_modules" / "lunr" / "lunr.min.js"
SCRIPTS = ROOT / "plugins" / "pelican" / "plugins" / "briefings" / "static" / "js" / "search"
HEAPS_K, HEAPS_B = 30, 0.5
QUERIES = ("russia", "nato", "russia talks", "peacekeep", "zelensky munich", "sanctions", "kyiv", "ceasefire talks")
FIRST_PAGE = 20  # page.js's PAGE_SIZE

# The search page's elements (the plugin's templates/briefings/search.html), without the site around it.
OURS = """<!doctype html><meta charset="utf-8"><title>bench</title>
<form id="search-form" data-site-root=""><input name="q" id="search-q">
<select name="period"><option value=""></option></select><select name="blog"><option value=""></option></select>
<select name="label"><option value=""></option></select></form>
<p id="search-status"></p><div id="search-help" hidden><p id="search-help-detail"></p>
<button id="search-clear-filters"></button></div><ol id="search-results"></ol><button id="search-more" hidden></button>
<script src="search/lunr.min.js"></script><script src="search/manifest.js"></script>
""" + "".join(f'<script src="{url}"></script>' for url in urls.search_script_urls())

# The query typed into the box: resolves once the status says how many match,
# which page.js says only once the first page of results is in.
OURS_QUERY = """query => new Promise(resolve => {
  const status = document.getElementById("search-status"), form = document.getElementById("search-form");
  const start = performance.now();
  new MutationObserver(() => {
    if (/match/.test(status.textContent)) resolve({
      ms: performance.now() - start, count: parseInt(status.textContent) || 0,
      shown: document.querySelectorAll(".result").length,
      loaded: Array.from(document.scripts, s => s.getAttribute("src")).filter(Boolean),
    });
  }).observe(status, {childList: true, characterData: true, subtree: true});
  form.elements.q.value = query;
  form.requestSubmit();
})"""

PAGEFIND = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
await pagefind.init();
window.ready = true;
window.run = async query => {
  const start = performance.now();
  const found = await pagefind.search(query);
  const page = await Promise.all(found.results.slice(0, FIRST).map(result => result.data()));
  return {ms: performance.now() - start, count: found.results.length, shown: page.length,
    loaded: performance.getEntriesByType("resource").map(entry => new URL(entry.name).pathname)};
};
</script>
""".replace("FIRST", str(FIRST_PAGE))


def seed_material():
    archive = build_archive(list(load_blogs(SEEDS).blogs))
    text = " ".join(search.body_text(post) + " " + post.entry.title for post in archive.posts)
    words = re.findall(r"[A-Za-z][A-Za-z'’]+|\d+", text)
    return archive.posts, words


class Vocabulary:
    """Words by Heaps' and Zipf's laws, starting from the seeds' words."""

    def __init__(self, rng: random.Random, seed_words: list[str]):
        self.rng = rng
        self.seed_words = seed_words
        self.used = list(seed_words)
        self.emitted = 0

    def word(self) -> str:
        self.emitted += 1
        # dV/dn of V = K n^b: the chance that the next word is a new one
        if self.rng.random() < HEAPS_K * HEAPS_B * (self.emitted + len(self.seed_words)) ** (HEAPS_B - 1):
            first, second = self.rng.choice(self.seed_words), self.rng.choice(self.seed_words)
            chosen = (first[: max(2, len(first) // 2)] + second[len(second) // 2 :]).capitalize()
        else:
            chosen = self.rng.choice(self.used)
        self.used.append(chosen)
        return chosen

    def sentence(self, count: int) -> str:
        return " ".join(self.word() for _ in range(count)).capitalize() + "."


def synthetic_archive(count: int, seed: int = 1):
    rng = random.Random(seed)
    posts, words = seed_material()
    vocabulary = Vocabulary(rng, words)
    entries = []
    start = datetime(2030, 1, 1, 6, 0, tzinfo=GMT)
    for number in range(count):
        shape = rng.choice(posts).entry
        published = start + timedelta(minutes=int(number * 525_000 / count))  # spread over one year
        blocks = tuple(
            Paragraph(Inline(vocabulary.sentence(max(3, len(" ".join(block_lines(block)).split())))), ())
            for block in shape.blocks
        )
        entries.append(
            Entry(
                number=count - number,
                title=vocabulary.sentence(len(shape.title.split()))[:-1],
                labels=shape.labels,
                published=published,
                zone="GMT",
                day=published.date(),
                byline=shape.byline,
                blocks=blocks,
                line=0,
                lines=(),
            )
        )
    dump = Dump(path="bench.txt", head=Head((), ()), entries=tuple(reversed(entries)))
    blog = Blog(slug="bench", title="Synthetic coverage", source=None, year=2030, path="bench.txt", dump=dump)
    return build_archive([blog])


def memory_kib(field: str) -> int:
    """This process's ``VmRSS`` or ``VmHWM`` (its peak), in KiB; 0 off Linux."""
    status = Path("/proc/self/status")
    found = re.search(rf"^{field}:\s+(\d+) kB", status.read_text(), re.MULTILINE) if status.exists() else None
    return int(found.group(1)) if found else 0


def reset_peak_memory() -> bool:
    """Start ``VmHWM`` again from the present size (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def write_ours(archive, folder: Path) -> tuple[float, float]:
    """Our search files and page in ``folder``; the seconds the index took to
    make, and the MiB the process grew by at its peak while making it (what a
    search process needs beyond the archive it is given)."""
    gc.collect()
    before = memory_kib("VmRSS")
    reset = reset_peak_memory()
    started = time.perf_counter()
    files = search.search_files(archive)
    seconds = time.perf_counter() - started
    grown = (memory_kib("VmHWM") - before) / 1024 if reset else float("nan")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    shutil.copy(LUNR_JS, folder / "search" / "lunr.min.js")
    shutil.copytree(SCRIPTS, folder / urls.static_url("js/search"))
    (folder / "search.html").write_text(OURS, encoding="utf-8")
    return seconds, grown


def write_pagefind(archive, folder: Path) -> float:
    """Each entry as a page, indexed by Pagefind; the seconds Pagefind took."""
    for number, post in enumerate(archive.posts):
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in search.body_text(post).split("\n\n"))
        page = folder / "e" / f"{number}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{html.escape(post.entry.title)}</title>'
            f"<main data-pagefind-body><h1>{html.escape(post.entry.title)}</h1>{paragraphs}</main></html>",
            encoding="utf-8",
        )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(folder)], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    (folder / "bench.html").write_text(PAGEFIND, encoding="utf-8")
    return seconds


class QuietHandler(SimpleHTTPRequestHandler):
    """Notes every path asked for: Pagefind fetches from a worker, which the
    page's own resource timing does not see. HTTP/1.1, so connections are kept
    open between requests, as every web host keeps them (http.server's HTTP/1.0
    opens one per file: a first page's 20 results took 90-360 ms of waves of
    new connections, for ours and Pagefind's alike)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms wait for an ACK between them

    def do_GET(self):
        self.server.requested.append(unquote(urlsplit(self.path).path))
        super().do_GET()

    def log_message(self, format, *args):
        pass


def served(folder: Path) -> tuple[str, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    server.requested = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def gzipped(folder: Path, paths) -> int:
    """The bytes of these site files, each gzipped (already gzipped ones barely shrink)."""
    total = 0
    for path in set(paths):
        file = folder / path.lstrip("./").lstrip("/")
        total += len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else 0
    return total


def one_query(browser, url: str, query: str, ours: bool, server=None) -> dict:
    """One query in a fresh page; ``loaded``: every file it asked for, from the server
    if there is one (else the scripts in the page: all our files are scripts)."""
    context = browser.new_context()
    page = context.new_page()
    if server:
        server.requested.clear()
    page.goto(url)
    if ours:
        measured = page.evaluate(OURS_QUERY, query)
        measured["loaded"] = ["search.html", *measured["loaded"]]
    else:
        page.wait_for_function("window.ready === true")
        measured = page.evaluate("query => window.run(query)", query)
    if server:
        measured["loaded"] = list(server.requested)
    context.close()
    return measured


def measure(browser, folder: Path, url: str, ours: bool, runs: int, server) -> list[dict]:
    rows = []
    for query in QUERIES:
        tries = [one_query(browser, url, query, ours, server) for _ in range(runs)]
        rows.append(
            {
                "query": query,
                "ms": statistics.median(t["ms"] for t in tries),
                "count": tries[0]["count"],
                "shown": tries[0]["shown"],
                "bytes": gzipped(folder, tries[0]["loaded"]),
            }
        )
    return rows


results_memory: dict[int, float] = {}  # entries -> MiB our index build grew the process by


def bench_size(browser, count: int, runs: int) -> list[dict]:
    archive = synthetic_archive(count)
    results = []
    with tempfile.TemporaryDirectory() as temporary:
        ours, theirs = Path(temporary) / "ours", Path(temporary) / "pagefind"
        ours_build, ours_memory = write_ours(archive, ours)
        theirs_build = write_pagefind(archive, theirs)
        print(f"bench: {count:,} entries indexed", file=sys.stderr)
        results_memory[count] = ours_memory
        ours_url, ours_server = served(ours)
        theirs_url, theirs_server = served(theirs)
        try:
            for name, folder, url, is_ours, build, server in (
                ("ours, file://", ours, (ours / "search.html").as_uri(), True, ours_build, None),
                ("ours, loopback", ours, ours_url + "search.html", True, ours_build, ours_server),
                ("Pagefind, loopback", theirs, theirs_url + "bench.html", False, theirs_build, theirs_server),
            ):
                load = os.getloadavg()[0]
                rows = measure(browser, folder, url, is_ours, runs, server)
                load = (load, os.getloadavg()[0])
                results.append({"entries": count, "search": name, "build": build, "rows": rows, "load": load})
                print(f"bench: {count:,} entries, {name} done", file=sys.stderr)
        finally:
            for server in (ours_server, theirs_server):
                server.shutdown()
                server.server_close()
    return results


def machine(browser) -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = f"{names[0].strip()}, {len(names)} cores" if names else cpu
    return f"{cpu}; Python {platform.python_version()}, Chromium {browser.version} headless"


def tables(results: list[dict]) -> str:
    lines = [
        "| entries | search, opened from | bytes until the first page (gzip), median / most "
        "| first page in, median / slowest | index built in | load (1 min) before / after |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        sizes = [row["bytes"] / 1000 for row in result["rows"]]
        times = [row["ms"] for row in result["rows"]]
        lines.append(
            f"| {result['entries']:,} | {result['search']} | {statistics.median(sizes):,.0f} / {max(sizes):,.0f} KB "
            f"| {statistics.median(times):,.0f} / {max(times):,.0f} ms | {result['build']:.1f} s "
            f"| {result['load'][0]:.2f} / {result['load'][1]:.2f} |"
        )
    lines += ["", "| entries | query | " + " | ".join(r["search"] for r in results[:3]) + " |"]
    lines.append("| ---: | --- |" + " ---: |" * 3)
    for start in range(0, len(results), 3):
        group = results[start : start + 3]
        for at, query in enumerate(QUERIES):
            cells = [
                f"{r['rows'][at]['bytes'] / 1000:,.0f} KB, {r['rows'][at]['ms']:,.0f} ms, {r['rows'][at]['count']:,}"
                for r in group
            ]
            lines.append(f"| {group[0]['entries']:,} | {query} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=3, help="fresh pages per query; the median is shown")
    args = parser.parse_args(argv)
    if not LUNR_JS.is_file():
        print(f"bench: {LUNR_JS} is missing: run `npm ci` (make does)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    load_at_start = os.getloadavg()[0]

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        results = []
        for count in args.entries:
            results += bench_size(browser, count, args.runs)
        print(f"Machine: {machine(browser)}; {date.today().isoformat()}; load at the start {load_at_start:.2f}.\n")
        browser.close()
    print(tables(results))
    print("\n(each query: bytes until the first page, its time, the number of matches)")
    for count, grown in results_memory.items():
        print(f"\nOur index build at {count:,} entries: the process grew by {grown:,.0f} MiB at its peak.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
