"""How big the search index gets and how long a browser takes to load it.

    make bench                      # 1,000 and 10,000 entries
    make bench SEARCH_BENCH_ARGS="--entries 1000 10000 50000 --runs 3"
    python bench/search_index.py --entries 50000 --shard-entries 500 1500 3000   # compare shard sizes

Synthetic entries are made from the seeds: each copies the shape of a random
seed entry (its number of paragraphs and words per paragraph, its labels and
byline) and fills it with words drawn from the seeds' text. A real archive
keeps meeting new names, and a fixed vocabulary would make the index look
smaller than it will be, so the vocabulary grows by Heaps' law (V = K n^b, with
K = 30 and b = 0.5, usual for English news): now and then a new word is made of
two seed words' halves ("Zelenmoscow"), and every other word is drawn from all
words used so far, so frequent words stay frequent (Simon's model, which gives
Zipf's law). The random seed is fixed, so runs are comparable.

All entries fall in one year, the worst case: a period as busy as the whole
archive, cut into a shard per month, and months into parts of at most
``--shard-entries`` entries (search.py). The generated files are then loaded in
Debian's headless Chromium from disk, as the search page loads them: shard after
shard, newest first, each time loading and running its two scripts (reading
and JSON.parse), ``lunr.Index.load`` and a two-word query. Reported, each the
median of several fresh pages: the newest shard (the first a search shows
results from), the largest shard loaded first in a page of its own (what a
search waits for at worst before its first results, say with a period filter
or early in a month), and all shards one after another.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

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
HEAPS_K, HEAPS_B = 30, 0.5
QUERY = "russia talks"

PAGE = """<!doctype html><meta charset="utf-8"><title>bench</title>
<script src="lunr.min.js"></script>
<script>
function load(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src; script.onload = resolve; script.onerror = reject;
    document.head.appendChild(script);
  });
}
// Shards one after another, as search.js loads them: [{index, store, key}].
window.bench = async function (shards) {
  const rows = [], start = performance.now();
  for (const shard of shards) {
    const t0 = performance.now();
    await Promise.all([load(shard.index), load(shard.store)]);
    const t1 = performance.now();
    const loaded = lunr.Index.load(BriefingsSearchData["index/" + shard.key]);
    delete BriefingsSearchData["index/" + shard.key];
    const t2 = performance.now();
    const hits = loaded.query(q => QUERY_WORDS.forEach(w => {
      q.term(w, {boost: 10});
      q.term(w, {usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING});
    }));
    const t3 = performance.now();
    rows.push({scripts: t1 - t0, load: t2 - t1, query: t3 - t2, total: t3 - t0, hits: hits.length});
  }
  return {rows: rows, all: performance.now() - start};
};
</script>
"""


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


def in_fresh_page(browser, site: Path, shards: list[dict]) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto((site / "bench.html").as_uri())
    timings = page.evaluate("shards => bench(shards)", shards)
    context.close()
    return timings


def median_of(timings: list[dict], key: str) -> float:
    return statistics.median(t[key] for t in timings)


def measure(archive, shard_entries: int, runs: int, browser) -> dict:
    settings = search.SearchSettings(shard_entries=shard_entries)
    started = time.perf_counter()
    files = search.search_files(archive, settings)
    build_seconds = time.perf_counter() - started
    shards = [
        {
            "key": shard.key,
            "entries": len(shard.posts),
            "index": urls.search_index_url(shard.key),
            "store": urls.search_store_url(shard.key),
        }
        for shard in search.shards(archive, settings)
    ]
    size = {
        shard["key"]: sum(len(files[shard[kind]].encode("utf-8")) for kind in ("index", "store")) for shard in shards
    }
    data = [name for name in files if name != urls.search_manifest_url()]
    largest = max(shards, key=lambda shard: (size[shard["key"]], shard["entries"]))
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        for name, text in files.items():
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(text, encoding="utf-8")
        (site / "lunr.min.js").write_bytes(LUNR_JS.read_bytes())
        (site / "bench.html").write_text(PAGE.replace("QUERY_WORDS", json.dumps(QUERY.split())), encoding="utf-8")
        everything = [in_fresh_page(browser, site, shards) for _ in range(runs)]
        alone = [in_fresh_page(browser, site, [largest])["rows"][0] for _ in range(runs)]
    first = [timings["rows"][0] for timings in everything]
    return {
        "entries": len(archive.posts),
        "shard_entries": shard_entries,
        "shards": len(shards),
        "bytes": sum(size.values()),
        "gzip": sum(len(gzip.compress(files[name].encode("utf-8"), 6)) for name in data),
        "first_entries": shards[0]["entries"],
        "first": median_of(first, "total"),
        "largest_entries": largest["entries"],
        "largest_bytes": size[largest["key"]],
        **{f"largest_{key}": median_of(alone, key) for key in ("scripts", "load", "query", "total")},
        "all": median_of(everything, "all"),
        "build_seconds": build_seconds,
    }


def machine(browser) -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = f"{names[0].strip()}, {len(names)} cores" if names else cpu
    return f"{cpu}; Python {platform.python_version()}, Chromium {browser.version} headless"


def table(rows: list[dict]) -> str:
    lines = [
        "| entries | shard limit | shards | all shards | all, gzip | newest shard: entries, ready in "
        "| largest shard: entries, size | its scripts | `lunr.Index.load` | first query | ready in "
        "| all shards, one after another | build (Python) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['entries']:,} | {row['shard_entries']:,} | {row['shards']:,} | {row['bytes'] / 1e6:.1f} MB "
            f"| {row['gzip'] / 1e6:.1f} MB | {row['first_entries']:,}: {row['first']:,.0f} ms "
            f"| {row['largest_entries']:,}: {row['largest_bytes'] / 1e6:.1f} MB | {row['largest_scripts']:,.0f} ms "
            f"| {row['largest_load']:,.0f} ms | {row['largest_query']:,.0f} ms | {row['largest_total']:,.0f} ms "
            f"| {row['all']:,.0f} ms | {row['build_seconds']:.1f} s |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument(
        "--shard-entries",
        type=int,
        nargs="+",
        default=[search.SHARD_ENTRIES],
        help="the limit of entries per shard (BRIEFINGS_SEARCH_SHARD_ENTRIES) to measure",
    )
    parser.add_argument("--runs", type=int, default=5, help="fresh pages per size; the median is shown")
    args = parser.parse_args(argv)
    if not LUNR_JS.is_file():
        print(f"bench: {LUNR_JS} is missing: run `npm ci` (make does)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        rows = []
        for count in args.entries:
            archive = synthetic_archive(count)
            for shard_entries in args.shard_entries:
                rows.append(measure(archive, shard_entries, args.runs, browser))
                print(f"bench: {count:,} entries in shards of at most {shard_entries:,} done", file=sys.stderr)
        print(f"Machine: {machine(browser)}; {date.today().isoformat()}.\n")
        browser.close()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
