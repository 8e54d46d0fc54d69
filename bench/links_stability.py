"""How many old entries' links a new day changes: the daily rebuild's floor.

    python -m bench.links_stability [--entries 10000] [--seed 1] [--exact-search N]

A rebuild equals a cold build, so every old entry whose cross-links a new day
changes has its page rendered again. This writes the bench corpus
(``bench.corpus``), annotates it as a build does, adds one more day of 50 entries
(``bench.corpus.one_more_day``), annotates again, and counts the old entries whose
shown links changed: those that gained a link to a new entry (a real change), and
those whose links changed although no new entry is among them (the statistics
moving under them). ``--exact-search N`` sets ``Tuning.exact_search`` (the size
above which link candidates come from clustered lists, docs/briefing.md), to
compare the two searches on the same archive. docs/incremental.md has the figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path


def links_of(content: Path, exact_search: int | None = None):
    from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate
    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs

    archive = build_archive(list(load_blogs(content / "blogs").blogs))
    settings = BriefingSettings()
    if exact_search is not None:
        settings = replace(settings, related=replace(settings.related, exact_search=exact_search))
    briefing, _ = annotate(archive, settings, content)
    return {post.id: [link.target.id for link in briefing.related.get(post.id, ())] for post in archive.posts}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exact-search", type=int, help="Tuning.exact_search for this run (default: the site's)")
    parser.add_argument("--day", type=date.fromisoformat, help="the new day (default: 31 December of the last year)")
    args = parser.parse_args(argv)
    from bench.corpus import generate, one_more_day

    with tempfile.TemporaryDirectory(prefix="links-stability-") as work:
        content = Path(work) / "content"
        generate(args.entries, args.seed).write(content)
        before = links_of(content, args.exact_search)
        for name, text in one_more_day(seed=args.seed, day=args.day).items():
            (content / "blogs" / name).write_text(text, encoding="utf-8")
        after = links_of(content, args.exact_search)
    new = set(after) - set(before)
    changed = [key for key in before if before[key] != after[key]]
    gained = [key for key in changed if any(target in new for target in after[key])]
    print(f"{len(before):,} old entries, {len(new)} new ones")
    print(f"old entries whose links changed: {len(changed):,}")
    print(f"  with a link to a new entry: {len(gained):,}")
    print(f"  without any (the statistics moved): {len(changed) - len(gained):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
