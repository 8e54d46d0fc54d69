"""The seeds' archive and briefing, built the way the site builds them, for unit tests."""

from __future__ import annotations

from pathlib import Path

from pelican.plugins.briefings.annotate.briefing import Briefing, BriefingSettings, annotate
from pelican.plugins.briefings.ingest.catalog import Archive, Post, build_archive
from pelican.plugins.briefings.ingest.sources import load_blogs

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def seed_briefing(settings: BriefingSettings = BriefingSettings()) -> tuple[Archive, Briefing]:
    archive = build_archive(list(load_blogs(CONTENT / "blogs").blogs))
    briefing, problems = annotate(archive, settings, CONTENT)
    assert not problems, problems
    return archive, briefing


def post_titled(archive: Archive, start: str) -> Post:
    """The one entry whose title starts with ``start``."""
    [post] = [post for post in archive.posts if post.entry.title.startswith(start)]
    return post
