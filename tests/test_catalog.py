"""Permalinks are readable, stable when a dump grows, and never collide."""

from pathlib import Path

from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.parse import parse_dump
from pelican.plugins.briefings.model import Blog

SEEDS = Path(__file__).resolve().parent.parent / "content" / "blogs"
BORDER = SEEDS / "ukraine-border-crisis-2022-02.txt"


def blog_from(text: str, slug: str = "border", year=None) -> Blog:
    dump = parse_dump(text, path=f"{slug}.txt", year=year)
    return Blog(slug=slug, title=slug, source=None, year=year, path=f"{slug}.txt", dump=dump)


def drop_newest(text: str, count: int) -> str:
    """The same page as it stood earlier: its newest ``count`` entries not yet posted,
    and the others renumbered from 1 as the page would number them."""
    head, _, rest = text.partition("\n  1. ")
    lines = ("  1. " + rest).splitlines()
    starts = [
        i
        for i, line in enumerate(lines)
        if line.startswith("  ") and line[2:].split(".")[0].isdigit() and not line.startswith("   ")
    ]
    kept = lines[starts[count] :]
    renumbered = []
    for line in kept:
        number, dot, tail = line[2:].partition(". ")
        if line.startswith("  ") and not line.startswith("   ") and number.isdigit() and dot:
            line = f"  {int(number) - count}. {tail}"
        renumbered.append(line)
    return head + "\n" + "\n".join(renumbered) + "\n"


def test_entry_ids_do_not_change_when_the_dump_grows():
    full_text = BORDER.read_text(encoding="utf-8")
    earlier_text = drop_newest(full_text, 6)
    earlier = build_archive([blog_from(earlier_text)])
    later = build_archive([blog_from(full_text)])
    assert len(earlier.posts) == 14 and len(later.posts) == 20
    later_ids = {post.entry.title: post.id for post in later.posts}
    for post in earlier.posts:
        assert later_ids[post.entry.title] == post.id
    assert "2022-02-15-0901-russia-announces-withdrawal-of-some-troops-from-border" in later_ids.values()


SAME_MINUTE = """Summary

  1. Kremlin respondspublished at 10:00 Greenwich Mean Time 15 February 2022

    The second one.

  2. Kremlin respondspublished at 10:00 Greenwich Mean Time 15 February 2022

    The first one.
"""


def test_same_minute_same_title_gets_a_deterministic_suffix():
    archive = build_archive([blog_from(SAME_MINUTE)])
    first, second = archive.posts  # oldest (lowest on the page) first
    assert first.id == "2022-02-15-1000-kremlin-responds"
    assert second.id.startswith("2022-02-15-1000-kremlin-responds-") and second.id != first.id
    again = build_archive([blog_from(SAME_MINUTE)])
    assert [post.id for post in again.posts] == [first.id, second.id]


def test_days_are_per_blog_and_entries_oldest_first():
    archive = build_archive([blog_from(BORDER.read_text(encoding="utf-8"))])
    assert [(str(day.date), len(day.posts)) for day in archive.days] == [("2022-02-14", 5), ("2022-02-15", 15)]
    times = [post.entry.utc for post in archive.days[1].posts]
    assert times == sorted(times)
    titles = [post.entry.title for post in archive.days[0].key_events]
    assert titles == [
        "US relocating embassy from Kyiv",
        "Johnson and Biden phone call over",
        "Frantic efforts to deter invasion continue",
        "Live coverage concludes",
    ]
