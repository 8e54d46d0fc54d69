"""The benchmark's corpus generator (bench/corpus.py): what it writes is what the parser reads.

Small sizes only: the benchmark itself (`make bench`) is never run by the tests,
and nothing here is timed.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.baseline import write_articles  # noqa: E402
from bench.corpus import generate  # noqa: E402
from pelican.plugins.briefings.ingest.catalog import build_archive  # noqa: E402
from pelican.plugins.briefings.ingest.sources import load_blogs  # noqa: E402
from pelican.plugins.briefings.model import BulletList, Figure, Quote  # noqa: E402

SIZE = 600


@pytest.fixture(scope="module")
def corpus():
    return generate(SIZE, seed=7)


@pytest.fixture(scope="module")
def loaded(corpus, tmp_path_factory):
    folder = corpus.write(tmp_path_factory.mktemp("corpus"))
    return load_blogs(folder)


def test_the_corpus_parses_with_no_problem_at_all(loaded):
    assert loaded.problems == ()


def test_it_has_the_number_of_entries_asked(corpus, loaded):
    assert sum(len(blog.entries) for blog in loaded.blogs) == SIZE == corpus.tally.entries


def test_same_seed_same_bytes_other_seed_other_corpus(corpus):
    assert generate(SIZE, seed=7).files == corpus.files
    assert generate(SIZE, seed=8).files != corpus.files


def test_the_parser_reads_every_feature_as_it_was_written(corpus, loaded):
    entries = [entry for blog in loaded.blogs for entry in blog.entries]
    blocks = Counter(type(block).__name__ for entry in entries for block in entry.blocks)
    labels = Counter(label for entry in entries for label in entry.labels)
    figures = [block for entry in entries for block in entry.blocks if isinstance(block, Figure)]
    tally = corpus.tally
    assert sum(entry.byline is not None for entry in entries) == tally.bylines > 0
    assert labels == Counter({"Breaking": tally.breaking, "Analysis": tally.analysis})
    assert tally.breaking > 0 and tally.analysis > 0
    assert blocks[Figure.__name__] == tally.figures > 0
    assert sum(figure.caption is not None for figure in figures) == tally.captions > 0
    assert any(figure.repeated == 2 for figure in figures)
    assert blocks[Quote.__name__] == tally.quotes > 0
    assert blocks[BulletList.__name__] == tally.bullet_lists > 0
    assert (
        sum(
            len(block.text.external)
            for entry in entries
            for block in entry.blocks
            if hasattr(block, "text") and hasattr(block.text, "external")
        )
        >= tally.externals
        > 0
    )


def test_it_spans_periods_zones_and_pages_with_and_without_years(corpus, loaded):
    tally = corpus.tally
    assert tally.years == {2022, 2025}
    assert 0 < tally.yearless_blogs < tally.blogs
    zones = Counter(entry.zone for blog in loaded.blogs for entry in blog.entries)
    assert zones["British Summer Time"] == tally.bst_entries > 0 and zones["Greenwich Mean Time"] > 0
    for blog in loaded.blogs:
        text = Path(blog.path).read_text(encoding="utf-8")
        stamps = re.findall(r"published at \d\d:\d\d [A-Za-z ]+? \d{1,2} [A-Z][a-z]+( \d{4})?$", text, re.M)
        assert len(stamps) == len(blog.entries)
        assert all(stamps) if blog.year is None else not any(stamps)


def test_days_have_20_to_100_entries_closed_and_reopened_like_the_seeds(loaded):
    for blog in loaded.blogs:
        days = Counter(entry.day for entry in blog.entries)
        assert all(20 <= count <= 100 for count in days.values())
        titles = [entry.title for entry in reversed(blog.entries)]  # oldest first
        assert titles.count("Live coverage concludes") == len(days) - 1
        assert titles.count("Welcome back to our live coverage") == len(days) - 1
    heads = Counter(type(blog.head.blocks[0]).__name__ for blog in loaded.blogs)
    assert set(heads) == {"BulletList", "VideoCaption"}
    titles = [entry.title for blog in loaded.blogs for entry in blog.entries]
    assert any(title.startswith(("How did we get here?", "Recap: ", "What's happening")) for title in titles)


def test_the_baseline_gets_one_markdown_article_per_entry(loaded, tmp_path):
    archive = build_archive(list(loaded.blogs))
    written = write_articles(archive, tmp_path)
    files = sorted(tmp_path.rglob("*.md"))
    assert written == len(files) == SIZE
    first = files[0].read_text(encoding="utf-8")
    assert first.startswith("Title: ") and "\nDate: " in first and "\nCategory: " in first
