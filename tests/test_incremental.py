"""Incremental builds: a rebuild reuses what it can, and writes exactly what a cold
build of the same content writes (reuse.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from sitebuild import ROOT, SEEDS, build
from test_catalog import drop_newest

from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.sources import load_blogs

GROWING = "ukraine-border-crisis-2022-02"  # its dump covers 14 and 15 February 2022
# The seeds' pages that have a fingerprint: 60 entries, 4 days (14 and 15 February
# 2022, 14 and 17 February 2025), 7 recaps (one per blog, one per day), 116 entity
# pages and their index, then-and-now, and 6 feeds (all entries, one per blog, one per period).
SEED_PAGES = 60 + 4 + 7 + 116 + 1 + 1 + 6


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


def assert_same_site(built: Path, cold: Path) -> None:
    """Byte for byte, file for file; on a difference, name the files."""
    ours, theirs = tree(built), tree(cold)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if ours[name] != theirs[name]]
    assert not differing, differing[:10]


def newest_day_entries(blogs: Path, slug: str) -> int:
    archive = build_archive(list(load_blogs(blogs).blogs))
    [blog] = [blog for blog in archive.blogs if blog.slug == slug]
    days = archive.days_of(blog)
    assert len(days) >= 2
    return len(days[-1].posts)


def reused(stderr: str) -> tuple[int, int]:
    """(pages reused, pages with a fingerprint) from the build's last line."""
    last = stderr.strip().splitlines()[-1]
    if " pages reused" not in last:
        return 0, 0
    words = last.split(" pages reused")[0].rsplit(",", 1)[1].split()
    return int(words[0]), int(words[2])


@pytest.fixture()
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def test_adding_a_day_to_a_dump_rebuilds_to_exactly_the_cold_build(tmp_path, content):
    dump = content / "blogs" / f"{GROWING}.txt"
    full = dump.read_text(encoding="utf-8")
    added = newest_day_entries(SEEDS, GROWING)
    dump.write_text(drop_newest(full, added), encoding="utf-8")
    # Editor's notes on the new day's entries are written once the day exists.
    notes = {path: path.read_text(encoding="utf-8") for path in (content / "annotations").glob("*.md")}
    for path, text in notes.items():
        if "2022-02-15" in text:
            path.unlink()
    site = tmp_path / "site"
    first = build(content, site)
    assert first.returncode == 0, first.stderr
    assert "15 February 2022" not in (site / "index.html").read_text(encoding="utf-8")
    feeds = {feed.name: feed.stat().st_ino for feed in (site / "feeds" / "blogs").glob("*.atom.xml")}

    dump.write_text(full, encoding="utf-8")  # the live page went on for another day
    for path, text in notes.items():
        path.write_text(text, encoding="utf-8")
    second = build(content, site)
    cold = build(content, tmp_path / "cold")
    assert second.returncode == cold.returncode == 0, second.stderr + cold.stderr
    assert_same_site(site, tmp_path / "cold")
    assert "15 February 2022" in (site / "index.html").read_text(encoding="utf-8")
    # The other dumps' entries and days did not change: their pages were reused.
    count, pages = reused(second.stderr)
    other_pages = len(list(SEEDS.glob("*.txt")))  # a lower bound: at least one page per other dump
    assert count >= other_pages and pages == SEED_PAGES, second.stderr
    # The other blogs' feeds too: the very files of the last build (linked).
    for feed in (site / "feeds" / "blogs").glob("*.atom.xml"):
        assert (feed.stat().st_ino == feeds[feed.name]) == (GROWING not in feed.name), feed.name


def test_an_edited_entry_and_a_new_blog_rebuild_to_exactly_the_cold_build(tmp_path, content):
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    dump = content / "blogs" / "munich-security-conference-2025-02.txt"
    text = dump.read_text(encoding="utf-8")
    typo = "President Volodymyr Zelensky this morning"
    assert text.count(typo) == 1
    dump.write_text(text.replace(typo, "President Volodymyr Zelenskyy this morning"), encoding="utf-8")  # a correction
    shutil.copy(content / "blogs" / f"{GROWING}.txt", content / "blogs" / "copy-of-2022.txt")
    (content / "blogs" / "copy-of-2022.yaml").write_text("title: A second page on the same days\n")
    second = build(content, site)
    cold = build(content, tmp_path / "cold")
    assert second.returncode == cold.returncode == 0, second.stderr + cold.stderr
    assert_same_site(site, tmp_path / "cold")
    assert "A second page on the same days" in (site / "index.html").read_text(encoding="utf-8")
    corrected = [path for path in site.rglob("*.html") if "Zelenskyy this" in path.read_text(encoding="utf-8")]
    assert len(corrected) >= 2  # the entry's page and its day's page
    assert reused(second.stderr)[0] > 0, second.stderr


def test_a_rebuild_leaves_the_markdown_the_last_site_published_as_it_was(tmp_path, content):
    """The site's Markdown copy is hard-linked from the Markdown folder, where a
    changed document is replaced, not written over: a copy of the last site (a
    deploy still serving it, a backup made with links) keeps its text."""
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    typo = "President Volodymyr Zelensky this morning"
    published = sorted(path for path in (site / "markdown").rglob("*.md") if typo in path.read_text(encoding="utf-8"))
    assert published  # the entry's document and its day's
    kept = tmp_path / "kept"
    kept.mkdir()
    for number, path in enumerate(published):
        os.link(path, kept / f"{number}.md")
    dump = content / "blogs" / "munich-security-conference-2025-02.txt"
    dump.write_text(dump.read_text(encoding="utf-8").replace(typo, typo.replace("Zelensky", "Zelenskyy")), "utf-8")
    assert build(content, site).returncode == 0
    for number, path in enumerate(published):
        assert typo in (kept / f"{number}.md").read_text(encoding="utf-8")
        assert "Zelenskyy this morning" in path.read_text(encoding="utf-8")


def test_a_markdown_folder_on_another_file_system_is_published_by_copy(tmp_path, content):
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system (/dev/shm) to put the Markdown folder on")
    with tempfile.TemporaryDirectory(dir=shm) as elsewhere:
        markdown = Path(elsewhere) / "markdown"
        built = build(content, tmp_path / "site", "--set", f"BRIEFINGS_MARKDOWN_DIR={markdown}")
        assert built.returncode == 0, built.stderr
        cold = build(content, tmp_path / "cold")
        assert cold.returncode == 0, cold.stderr
        assert_same_site(tmp_path / "site", tmp_path / "cold")
        assert tree(markdown) == tree(tmp_path / "cold-markdown")


def test_a_deleted_blog_rebuilds_to_exactly_the_cold_build(tmp_path, content):
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    assert (site / "blogs" / "munich-security-conference-2025-02" / "index.html").is_file()
    for suffix in (".txt", ".yaml"):
        (content / "blogs" / f"munich-security-conference-2025-02{suffix}").unlink()
    second = build(content, site)
    cold = build(content, tmp_path / "cold")
    assert second.returncode == cold.returncode == 0, second.stderr + cold.stderr
    assert_same_site(site, tmp_path / "cold")
    assert not (site / "blogs" / "munich-security-conference-2025-02").exists()
    assert "Munich" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_settings_change_rebuilds_to_exactly_the_cold_build(tmp_path, content):
    """A setting the links depend on, and one every page shows."""
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    before = (site / "api" / "entries.json").read_text(encoding="utf-8")
    changed = ("--set", "BRIEFINGS_RELATED_STANDOUT=3.5", "--set", "SITENAME=Other briefings")
    second = build(content, site, *changed)
    cold = build(content, tmp_path / "cold", *changed)
    assert second.returncode == cold.returncode == 0, second.stderr + cold.stderr
    assert_same_site(site, tmp_path / "cold")
    assert (site / "api" / "entries.json").read_text(encoding="utf-8") != before  # fewer links stand out
    assert "Other briefings" in (site / "index.html").read_text(encoding="utf-8")


def test_a_damaged_cache_is_a_cold_build_not_an_error(tmp_path, content):
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    cache = tmp_path / "site-cache"
    for name in ("parsed.pickle", "mentions.pickle", "renders.marshal", "pages.json"):
        assert (cache / name).is_file(), name
        (cache / name).write_bytes(b"\x80\x05 not what was written")
    dump = content / "blogs" / "munich-security-conference-2025-02.txt"
    dump.write_text(dump.read_text(encoding="utf-8").replace("this morning", "this very morning", 1), encoding="utf-8")
    second = build(content, site)
    cold = build(content, tmp_path / "cold")
    assert second.returncode == cold.returncode == 0, second.stderr + cold.stderr
    assert "Traceback" not in second.stderr
    assert_same_site(site, tmp_path / "cold")


def test_a_dump_is_parsed_again_only_when_its_text_or_metadata_changed(tmp_path, monkeypatch):
    from pelican.plugins.briefings.glue import entries, reuse

    calls = []
    real = entries.parse_dump
    monkeypatch.setattr(entries, "parse_dump", lambda text, **kw: calls.append(kw["path"]) or real(text, **kw))
    text = (SEEDS / f"{GROWING}.txt").read_text(encoding="utf-8")
    memo_file = tmp_path / "parsed.pickle"

    def parse(text, **where):
        memo = reuse.PickleMemo(memo_file, "v1")
        dump = entries.remembered_parse(memo)(text, **where)
        memo.save()
        return dump

    where = dict(path="a.txt", year=2022, default_day=None)
    first = parse(text, **where)
    assert parse(text, **where) == first and calls == ["a.txt"]  # the second from the memo
    parse(text.replace("Kyiv", "Kiev", 1), **where)
    parse(text, **dict(where, year=2023))
    assert calls == ["a.txt"] * 3
    assert reuse.PickleMemo(memo_file, "v2").old == {}  # another version of the plugin: nothing reused


def test_a_theme_change_renders_every_page_again(tmp_path, content):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    site = tmp_path / "site"
    assert build(content, site, "--set", f"THEME={theme}").returncode == 0
    template = theme / "templates" / "base.html"  # every entry and day page extends it
    template.write_text(
        template.read_text().replace('<main id="main" class="wrap">', '<main id="main" class="wrap edited">')
    )
    second = build(content, site, "--set", f"THEME={theme}")
    assert second.returncode == 0, second.stderr
    assert reused(second.stderr) == (0, 0), second.stderr
    entry_pages = [path for path in (site / "2022").rglob("*.html") if path.parent.name.isdigit()]
    assert entry_pages and all('class="wrap edited"' in path.read_text(encoding="utf-8") for path in entry_pages)


def test_a_page_changed_in_the_output_since_the_last_build_is_written_again(tmp_path, content):
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    page = next(path for path in (site / "2022").rglob("*.html") if path.parent.name.isdigit())
    original = page.read_bytes()
    page.write_bytes(b"edited by hand")
    second = build(content, site)
    assert second.returncode == 0
    assert page.read_bytes() == original
    count, pages = reused(second.stderr)
    assert count == pages - 1, second.stderr


def test_fresh_reuses_nothing_and_the_setting_none_keeps_no_cache(tmp_path, content):
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    fresh = build(content, site, "--fresh")
    assert fresh.returncode == 0 and reused(fresh.stderr) == (0, 0), fresh.stderr
    again = build(content, site)
    assert reused(again.stderr)[0] == SEED_PAGES, again.stderr  # --fresh wrote the cache anew

    other = tmp_path / "other"
    for _ in range(2):
        result = build(content, other, "--set", "BRIEFINGS_CACHE_DIR=null")
        assert result.returncode == 0 and reused(result.stderr) == (0, 0), result.stderr
    assert not (tmp_path / "other-cache").exists()


def test_the_search_index_is_reused_until_an_entry_changes(tmp_path, content):
    """Every term's weights depend on the whole archive, so the index is made again
    when any entry changes, and taken from the cache when none did."""
    site = tmp_path / "site"
    assert build(content, site).returncode == 0
    cache = tmp_path / "site-cache" / "search"
    first = {path.name: path.stat().st_mtime_ns for path in cache.iterdir()}
    assert len(first) == 1
    assert build(content, site).returncode == 0
    assert {path.name: path.stat().st_mtime_ns for path in cache.iterdir()} == first
    dump = content / "blogs" / "munich-security-conference-2025-02.txt"
    text = dump.read_text(encoding="utf-8")
    dump.write_text(text.replace("renewing the country's support", "renewing the UK's support"), encoding="utf-8")
    second = build(content, site)
    assert second.returncode == 0, second.stderr
    after = {path.name for path in cache.iterdir()}
    assert len(after) == 1 and after != set(first)  # made again; the old one removed
    assert build(content, tmp_path / "cold").returncode == 0
    assert_same_site(site, tmp_path / "cold")
    entries = (site / "search" / "entry").glob("*.js")
    assert any("renewing the UK" in path.read_text(encoding="utf-8") for path in entries)


def test_plain_pelican_as_make_devserver_runs_it_builds_the_same_site(tmp_path, content):
    """`make devserver` runs `pelican` itself: no temporary folder, no site to reuse
    pages from, an output folder that does not exist yet."""
    import os
    import subprocess
    import sys

    assert build(content, tmp_path / "site").returncode == 0
    output = tmp_path / "plain" / "output"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-o",
            str(output),
            "-s",
            str(ROOT / "pelican.conf.py"),
            "-e",
            f'BRIEFINGS_MARKDOWN_DIR="{tmp_path / "plain-markdown"}"',
            f'BRIEFINGS_CACHE_DIR="{tmp_path / "plain-cache"}"',
        ],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert_same_site(output, tmp_path / "site")
