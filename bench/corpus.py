"""A corpus of live-blog dumps for the benchmark, in the exact format of the seeds.

    python -m bench.corpus --entries 10000 --seed 1 --out DIR   # DIR/blogs/NAME.txt + NAME.yaml

Same size and seed, same bytes. The words come from the seed dumps
(content/blogs/), read with the project's own parser: prose paragraphs are
seed sentences recombined, titles are seed headlines recombined with seed
attributions, and bylines, pictures, captions, quotes and bullets are the
seeds' own; only the format's stock lines (welcome back, closing, recap
openers) are written here, in the seeds' wording. So the people, places and
phrases that entities, cross-links and search see are those of real coverage,
in about the same proportions (entries average ~1.1 KB, as in the seeds).

The shape follows FORMAT.md and the seeds: pages newest first; each blog is a
page covering one to four consecutive days of 20-100 entries; labels before
(Analysis) and after (Breaking) the title; bylines; credited pictures (some
doubled, some with a caption) and lone graphics; quotes; bullets; `, external`
markers; recaps (`How did we get here?`, `Recap: ...`); a `Live coverage
concludes` entry closing every day but the page's last; `Welcome back` opening
the next; a head with Summary bullets or a `Media caption,`. Blogs are spread
over the years asked (two by default, 2022 and 2025): pages of the last year
omit the year, as current-year pages do, and their YAML gives it; pages from
late March to October are on British Summer Time.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

from pelican.plugins.briefings.ingest.parse import BULLET, FIGURE_MAX, MARKERS, SENTENCE_END  # noqa: E402
from pelican.plugins.briefings.ingest.sources import load_blogs  # noqa: E402
from pelican.plugins.briefings.model import BulletList, Figure, Paragraph, Quote, VideoCaption  # noqa: E402
from pelican.plugins.briefings.urls import slugify  # noqa: E402

SEEDS = ROOT / "content" / "blogs"
YEARS = (2022, 2025)
ENTRIES_PER_DAY = (20, 100)
DAYS_PER_BLOG = {1: 30, 2: 35, 3: 25, 4: 10}  # relative weights
FIRST_MINUTE, LAST_MINUTE = 5 * 60 + 30, 22 * 60 + 30  # the day's coverage, local time
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# How often each feature turns up, per ordinary entry (roughly the seeds' rates).
P_BYLINE, P_BYLINE_ANALYSIS = 0.22, 0.9
P_BREAKING, P_ANALYSIS = 0.12, 0.05
P_LEAD_PICTURE, P_HEADSHOT, P_CLOSING_PICTURE, P_GRAPHIC = 0.45, 0.04, 0.12, 0.04
P_DOUBLED, P_CAPTION = 0.05, 0.45
P_QUOTE, P_BULLETS, P_EXTERNAL = 0.08, 0.06, 0.03
P_RECAP = 0.03
P_SUMMARY_BULLETS = 0.5

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
_NEWSMAKER = re.compile(
    r"(?:President|Prime Minister|Chancellor|Secretary|Minister|[Ss]pokes(?:person|man|woman)) "
    r"((?:[A-Z][a-z]+ )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!')"
)
_PLACE = re.compile(r"\bin ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b(?![a-z])")
_NOT_PLACES = set(MONTH_NAMES) | {
    "Congress",
    "Russian",
    "Putin",
    "Nato",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
}


def unique(items) -> tuple:
    """In first-seen order (never a set: its order changes with the hash seed)."""
    return tuple(dict.fromkeys(item for item in items if item))


@dataclass(frozen=True)
class Vocabulary:
    """What the seeds say, sorted into the kinds of line a dump has."""

    sentences: tuple[str, ...]
    paragraph_lengths: tuple[int, ...]  # sentences per seed paragraph
    entry_lengths: tuple[int, ...]  # paragraphs per seed entry
    clauses: tuple[str, ...]  # headlines without their attribution
    attributions: tuple[str, ...]  # ", Truss says"
    sources: tuple[str, ...]  # " - Kremlin"
    bylines: tuple[tuple[str, str], ...]
    pictures: tuple[tuple[str, str], ...]  # (description, credit)
    captions: tuple[str, ...]
    graphics: tuple[str, ...]  # lone lines: head-shots, maps, graphics
    quotes: tuple[str, ...]
    bullets: tuple[str, ...]
    watch: tuple[str, ...]  # video captions
    newsmakers: tuple[str, ...]
    places: tuple[str, ...]
    topics: tuple[str, ...]  # blog title prefixes
    reporters: tuple[str, ...]  # "Our coverage was provided by"


def vocabulary(seeds: Path = SEEDS) -> Vocabulary:
    loaded = load_blogs(seeds)
    if loaded.problems or not loaded.blogs:
        raise SystemExit(f"bench.corpus: the seeds in {seeds} do not parse cleanly: {loaded.problems}")
    entries = [entry for blog in loaded.blogs for entry in blog.entries]
    blocks = [block for entry in entries for block in entry.blocks]
    texts = [block.text.text for block in blocks if isinstance(block, Paragraph)]
    split = [_SENTENCE_SPLIT.split(text) for text in texts]
    sentences = unique(s for parts in split for s in parts if _is_prose(s))
    clauses, attributions, sources = [], [], []
    for entry in entries:
        title = entry.title
        if "?" in title or title.lower().startswith(
            ("recap", "how did", "what's", "a tale", "live coverage", "welcome")
        ):
            continue
        if re.search(r", [^,]+ says$", title):
            clause, _, said = title.rpartition(", ")
            clauses.append(clause)
            attributions.append(said)
        elif " - " in title:
            clause, _, source = title.rpartition(" - ")
            clauses.append(clause)
            sources.append(source)
        else:
            clauses.append(title)
    figures = [block for block in blocks if isinstance(block, Figure)]
    lone = [f.description for f in figures if f.description and not f.credit and len(f.description) <= FIGURE_MAX]
    closing = [text for text in texts if text.startswith("Our coverage was provided by:")]
    reporters = [
        name.strip()
        for text in closing
        for name in re.split(r",| and ", text.removeprefix("Our coverage was provided by:").rstrip("."))
    ]
    bullets = [
        item.text
        for block in blocks + [b for blog in loaded.blogs for b in blog.head.blocks]
        if isinstance(block, BulletList)
        for item in block.items
    ]
    seed_text = "\n".join(texts)
    topics = [blog.title.partition(":")[0] for blog in loaded.blogs if ":" in blog.title]
    places = unique(p for p in _PLACE.findall(seed_text) if p not in _NOT_PLACES)
    return Vocabulary(
        sentences=sentences,
        paragraph_lengths=tuple(len([s for s in parts if s]) for parts in split),
        entry_lengths=tuple(sum(isinstance(b, Paragraph) for b in e.blocks) or 1 for e in entries),
        clauses=unique(clauses),
        attributions=unique(attributions),
        sources=unique(sources),
        bylines=unique((e.byline.name, e.byline.role) for e in entries if e.byline and e.byline.role),
        pictures=unique((f.description, f.credit) for f in figures if f.description and f.credit),
        captions=unique(f.caption for f in figures),
        graphics=unique(lone + [f"Map showing {place}" for place in places[:6]]),
        quotes=unique([b.text.text for b in blocks if isinstance(b, Quote)] + [s for s in sentences if s[0] in '"“']),
        bullets=unique(bullets),
        watch=unique(b.text for blog in loaded.blogs for b in blog.head.blocks if isinstance(b, VideoCaption)),
        newsmakers=unique(_NEWSMAKER.findall(seed_text)),
        places=places,
        topics=unique(topics + [f"{place} talks" for place in places[:8]]),
        reporters=unique(reporters + [e.byline.name for e in entries if e.byline]),
    )


def _is_prose(sentence: str) -> bool:
    return (
        len(sentence) >= 25
        and sentence.endswith(SENTENCE_END)
        and not sentence.startswith(BULLET)
        and not any(marker in sentence for marker in MARKERS)
        and not sentence.startswith("Our coverage was provided by")
    )


# --- the plan: which blogs cover which days ------------------------------------


@dataclass(frozen=True)
class BlogPlan:
    name: str
    days: tuple[date, ...]
    counts: tuple[int, ...]  # entries per day, same order as days
    year_written: bool


def day_counts(entries: int, rng: random.Random) -> list[int]:
    low, high = ENTRIES_PER_DAY
    counts = []
    left = entries
    while left > 0:
        if left <= high:
            count = left
        else:
            count = min(rng.randint(low, high), left - low)
        counts.append(count)
        left -= count
    return counts


def plan(entries: int, rng: random.Random, years: tuple[int, ...], topics: tuple[str, ...]) -> list[BlogPlan]:
    counts = day_counts(entries, rng)
    groups: list[list[int]] = []
    done = 0
    while done < len(counts):
        size = rng.choices(list(DAYS_PER_BLOG), weights=list(DAYS_PER_BLOG.values()))[0]
        groups.append(counts[done : done + size])
        done += size
    # Consecutive runs of blogs share a year, the years in the order given.
    year_of = [years[index * len(years) // len(groups)] for index in range(len(groups))]
    plans, names = [], Counter()
    for index, group in enumerate(groups):
        year = year_of[index]
        position, in_year = year_of[:index].count(year), year_of.count(year)
        # Spread a year's blogs over the whole year (so some are in summer, on
        # BST), never across its end: a page without years cannot cross it.
        spacing = 365 // in_year
        offset = position * spacing + rng.randint(0, max(0, min(spacing - len(group), 20)))
        first = min(date(year, 1, 1) + timedelta(days=offset), date(year, 12, 31) - timedelta(days=len(group) - 1))
        topic = rng.choice(topics)
        name = f"{slugify(topic)}-{first.isoformat()}"
        names[name] += 1
        if names[name] > 1:
            name = f"{name}-{names[name]}"
        plans.append(
            BlogPlan(
                name,
                tuple(first + timedelta(days=i) for i in range(len(group))),
                tuple(group),
                year_written=year != years[-1],
            )
        )
    return plans


def last_sunday(year: int, month: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - 6) % 7)


def zone(day: date) -> str:
    """The page's zone for coverage between 05:30 and 22:30 on ``day`` (UK clocks change at 01:00 UTC)."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return "British Summer Time" if summer else "Greenwich Mean Time"


# --- writing entries -------------------------------------------------------------


@dataclass
class Tally:
    """What the generator meant to write, to check the parser reads it so."""

    entries: int = 0
    blogs: int = 0
    days: int = 0
    bylines: int = 0
    breaking: int = 0
    analysis: int = 0
    figures: int = 0
    captions: int = 0
    quotes: int = 0
    bullet_lists: int = 0
    recaps: int = 0
    closings: int = 0
    externals: int = 0
    bst_entries: int = 0
    yearless_blogs: int = 0
    years: set = field(default_factory=set)


@dataclass(frozen=True)
class Corpus:
    files: dict[str, str]  # file name -> text (NAME.txt, NAME.yaml)
    tally: Tally

    def write(self, folder: Path) -> Path:
        blogs = folder / "blogs"
        blogs.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (blogs / name).write_text(text, encoding="utf-8")
        return blogs


@dataclass(frozen=True)
class Post:
    """One entry as lines of the dump, before its number is known."""

    title: str
    minute: int
    day: date
    body: tuple[str, ...]  # lines after the header (blank lines included), body indent added
    label_before: str | None = None
    label_after: str | None = None


class Writer:
    def __init__(self, vocab: Vocabulary, rng: random.Random, tally: Tally):
        self.vocab, self.rng, self.tally = vocab, rng, tally

    # Small pieces of text.
    def pick(self, pool):
        return self.rng.choice(pool)

    def paragraph(self) -> str:
        count = self.pick(self.vocab.paragraph_lengths)
        text = " ".join(self.pick(self.vocab.sentences) for _ in range(max(1, min(count, 4))))
        if self.rng.random() < P_EXTERNAL:
            # A flattened link that left the site: ", external" after some words.
            words = text.split(" ")
            at = self.rng.randrange(1, max(2, len(words) - 1))
            if len(words) >= 3 and words[at - 1][-1:].isalpha():
                words[at - 1] += ", external"
                text = " ".join(words)
                self.tally.externals += 1
        return text

    def title(self) -> str:
        clause = self.pick(self.vocab.clauses)
        roll = self.rng.random()
        if roll < 0.35 and self.vocab.attributions:
            return f"{clause}, {self.pick(self.vocab.attributions)}"
        if roll < 0.6 and self.vocab.sources:
            return f"{clause} - {self.pick(self.vocab.sources)}"
        return clause

    def bullet_lines(self, items) -> list[str]:
        self.tally.bullet_lists += 1
        return [f"{BULLET} {item}" for item in items]

    def picture(self) -> list[str]:
        description, credit = self.pick(self.vocab.pictures)
        line = f"{description}Image source, {credit}"
        lines = [line, line] if self.rng.random() < P_DOUBLED else [line]
        self.tally.figures += 1
        if self.rng.random() < P_CAPTION:
            self.tally.captions += 1
            lines += ["Image caption,", "", self.pick(self.vocab.captions)]
        return lines

    def graphic(self) -> list[str]:
        self.tally.figures += 1
        return [self.pick(self.vocab.graphics)]

    # Whole entries.
    def ordinary(self, day: date, minute: int) -> Post:
        rng = self.rng
        label_before = "Analysis" if rng.random() < P_ANALYSIS else None
        label_after = "Breaking" if not label_before and rng.random() < P_BREAKING else None
        chunks: list[list[str]] = []
        if rng.random() < (P_BYLINE_ANALYSIS if label_before else P_BYLINE):
            chunks.append(list(self.pick(self.vocab.bylines)))
            self.tally.bylines += 1
        if rng.random() < P_HEADSHOT:
            chunks.append(self.graphic())
        elif rng.random() < P_LEAD_PICTURE:
            chunks.append(self.picture())
        paragraphs: list[list[str]] = [[self.paragraph()] for _ in range(self.pick(self.vocab.entry_lengths))]
        if rng.random() < P_QUOTE:
            at = rng.randrange(1, len(paragraphs) + 1)
            paragraphs[at:at] = [["Quote Message", "", self.pick(self.vocab.quotes)]]
            self.tally.quotes += 1
        if rng.random() < P_BULLETS:
            paragraphs.append(self.bullet_lines(rng.sample(self.vocab.bullets, rng.randint(2, 5))))
        chunks += paragraphs
        if rng.random() < P_GRAPHIC:
            chunks.append(self.graphic())
        elif rng.random() < P_CLOSING_PICTURE:
            chunks.append(self.picture())
        self.tally.breaking += label_after is not None
        self.tally.analysis += label_before is not None
        return Post(self.title(), minute, day, _join(chunks), label_before, label_after)

    def recap(self, day: date, minute: int, earlier: list[Post]) -> Post:
        rng = self.rng
        self.tally.recaps += 1
        kind = rng.randrange(4)
        lines = [f.title for f in earlier[-6:]] or list(rng.sample(self.vocab.bullets, 3))
        if kind == 0:
            title = "How did we get here?"
            chunks = [[self.paragraph()], ["Before it gets under way, let's remind ourselves how we got here:"]]
        elif kind == 1:
            title = f"Recap: What did {self.pick(self.vocab.newsmakers)} say about {self.pick(self.vocab.places)}?"
            chunks = [[self.paragraph()]]
        elif kind == 2:
            title = f"What's happening in {self.pick(self.vocab.places)} today?"
            chunks = [[self.paragraph()], [self.paragraph()]]
        else:
            title = "A tale of two summits, 3,000 miles apart"
            chunks = [[self.paragraph()], ["Before they begin, here's a look back at the latest developments so far:"]]
        chunks.append(self.bullet_lines(lines))
        return Post(title, minute, day, _join(chunks))

    def welcome(self, day: date, minute: int, topic: str) -> Post:
        chunks = [[f"Welcome back to our live coverage of the {topic}."]]
        chunks += [[self.paragraph()] for _ in range(self.rng.randint(2, 4))]
        chunks.append(["Stay with us as we bring you the latest developments and analysis."])
        return Post("Welcome back to our live coverage", minute, day, _join(chunks))

    def closing(self, day: date, minute: int, earlier: list[Post]) -> Post:
        self.tally.closings += 1
        names = self.rng.sample(self.vocab.reporters, min(len(self.vocab.reporters), self.rng.randint(4, 10)))
        chunks = [
            ["Thank you for joining our live coverage."],
            ["We're pausing our live reporting for now, but here are the latest news lines:"],
            self.bullet_lines([post.title for post in self.rng.sample(earlier, min(len(earlier), 5))]),
            [f"Our coverage was provided by: {', '.join(names[:-1])} and {names[-1]}."],
        ]
        return Post("Live coverage concludes", minute, day, _join(chunks))

    def head(self, last_day: list[Post]) -> list[str]:
        if self.rng.random() < P_SUMMARY_BULLETS or not self.vocab.watch:
            picked = self.rng.sample(last_day, min(len(last_day), self.rng.randint(4, 6)))
            lines = ["Summary", ""]
            for post in picked:
                lines += [f"  {BULLET} {post.title}", ""]
            return lines
        return ["Summary", "", "Media caption,", "", f"{self.pick(self.vocab.watch)}", ""]

    def blog(self, blog: BlogPlan) -> tuple[str, str]:
        rng, tally = self.rng, self.tally
        topic = rng.choice(self.vocab.topics)
        days: list[list[Post]] = []
        for index, (day, count) in enumerate(zip(blog.days, blog.counts)):
            minutes = sorted(rng.sample(range(FIRST_MINUTE, LAST_MINUTE), count))
            posts: list[Post] = []
            for position, minute in enumerate(minutes):
                last = position == count - 1
                if position == 0 and index > 0:
                    posts.append(self.welcome(day, minute, topic))
                elif last and index < len(blog.days) - 1 and posts:
                    posts.append(self.closing(day, minute, posts))
                elif position >= 3 and rng.random() < P_RECAP:
                    posts.append(self.recap(day, minute, posts))
                else:
                    posts.append(self.ordinary(day, minute))
            days.append(posts)
        tally.blogs += 1
        tally.days += len(days)
        tally.yearless_blogs += not blog.year_written
        tally.years.add(blog.days[0].year)
        newest_first = [post for posts in reversed(days) for post in reversed(posts)]
        lines = self.head(days[-1])
        for number, post in enumerate(newest_first, 1):
            lines += _entry_lines(number, post, blog.year_written)
            tally.entries += 1
            tally.bst_entries += zone(post.day) == "British Summer Time"
        headline = next(
            (p.title for p in newest_first if not p.title.startswith(("Live", "Welcome"))), newest_first[0].title
        )
        meta = {"title": f"{topic}: {headline}"}
        if not blog.year_written:
            meta["year"] = blog.days[0].year
        meta["publisher"] = "BBC News"
        return "\n".join(lines) + "\n", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**9)


def _join(chunks: list[list[str]]) -> tuple[str, ...]:
    """Chunks separated by blank lines, as the reader view shows paragraphs."""
    lines: list[str] = []
    for chunk in chunks:
        lines += chunk + [""]
    return tuple(lines)


def _entry_lines(number: int, post: Post, year_written: bool) -> list[str]:
    stamp = (
        f"published at {post.minute // 60:02d}:{post.minute % 60:02d} {zone(post.day)} "
        f"{post.day.day} {MONTH_NAMES[post.day.month - 1]}" + (f" {post.day.year}" if year_written else "")
    )
    lines = []
    if post.label_before:
        lines += [f"  {number}. {post.label_before}", "", f"    {post.title}{stamp}"]
    else:
        lines.append(f"  {number}. {post.title}{stamp}")
    if post.label_after:
        lines.append(f"    {post.label_after}")
    lines.append("")
    lines += [f"    {line}" if line else "" for line in post.body]
    return lines


def generate(entries: int, seed: int = 1, years: tuple[int, ...] = YEARS, seeds: Path = SEEDS) -> Corpus:
    """``entries`` entries in dumps and YAML files, the same for the same arguments."""
    rng = random.Random(seed)
    vocab = vocabulary(seeds)
    tally = Tally()
    writer = Writer(vocab, rng, tally)
    files: dict[str, str] = {}
    for blog in plan(entries, rng, tuple(years), vocab.topics):
        dump, meta = writer.blog(blog)
        files[f"{blog.name}.txt"] = dump
        files[f"{blog.name}.yaml"] = meta
    return Corpus(files, tally)


def last_day(entries: int, seed: int = 1, years: tuple[int, ...] = YEARS, seeds: Path = SEEDS) -> date:
    """The newest day of ``generate(entries, seed, years, seeds)`` (its plan
    alone, which comes first from the same random numbers)."""
    blogs = plan(entries, random.Random(seed), tuple(years), vocabulary(seeds).topics)
    return max(day for blog in blogs for day in blog.days)


def next_days(entries: int, seed: int = 1) -> tuple[date, date]:
    """The day after the newest of ``generate(entries, seed)`` (the daily case:
    the same week, unless the newest is a Sunday) and the Monday after that one
    (a new week begins: the entries of the week before become settled,
    links.settled_days)."""
    following = last_day(entries, seed) + timedelta(days=1)
    return following, following + timedelta(days=7 - following.weekday())


def one_more_day(
    entries: int = 50, seed: int = 1, years: tuple[int, ...] = YEARS, seeds: Path = SEEDS, day: date | None = None
) -> dict[str, str]:
    """The next day of coverage for a corpus made by ``generate``: a new live page
    of ``entries`` entries on ``day`` (by default 31 December of the last year,
    after every other day), in the same format; file name -> text, as
    ``Corpus.files``."""
    writer = Writer(vocabulary(seeds), random.Random(f"one more day {seed}"), Tally())
    day = day or date(years[-1], 12, 31)
    # Pages of the last year omit the year, as generate() writes them.
    dump, meta = writer.blog(BlogPlan(f"next-day-{day.isoformat()}", (day,), (entries,), year_written=False))
    return {f"next-day-{day.isoformat()}.txt": dump, f"next-day-{day.isoformat()}.yaml": meta}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--years", default=",".join(map(str, YEARS)), help="comma-separated; pages of the last one omit the year"
    )
    parser.add_argument("--out", type=Path, required=True, help="content folder; dumps go to OUT/blogs/")
    args = parser.parse_args(argv)
    corpus = generate(args.entries, args.seed, tuple(int(y) for y in args.years.split(",")))
    folder = corpus.write(args.out)
    print(
        f"bench.corpus: {corpus.tally.entries} entries in {corpus.tally.blogs} blogs, "
        f"{corpus.tally.days} days, into {folder}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
