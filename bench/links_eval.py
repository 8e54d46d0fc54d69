"""How good are the cross-links? Measured against a news editor's judgements.

    python -m bench.links_eval [--judged FILE ...] [--content DIR] [--candidates]

The judgements (``../shared/judged-links.json`` beside the checkout by default, read-only; never
copied into the repository; ``bench/judged-dev.json`` is a second, held-out set written
for development, see its "about") name, for entries of one period, the entries of
another period a reader would be helped by ("acceptable", maybe none) and the
best one. For the links the site shows, built exactly as the site builds them,
this prints, with the content's gazetteer and with an empty one:

- hit@3: of the entries that have an acceptable link, those with one among the
  links shown (at most three per period);
- false links: of the entries that have none, those that get a link anyway;
- precision: of the links shown on judged entries, the acceptable ones.

Then, for each dump of ``bench/other-stories`` (live pages about other stories,
written for this: a storm, an election night), the seeds and that dump built
together: how many links join the two stories, which no reader would want.

``--blend X`` measures the links with ``BRIEFINGS_RELATED_BLEND = X``;
``--context X`` with ``BRIEFINGS_RELATED_CONTEXT = X`` (0: no context check).
``--candidates`` also compares ways of measuring how alike two texts are, on
their own (no threshold, no shared-subject rule): hit@3 of the ranking, and
the pair AUC (how often an acceptable pair outscores an unacceptable one, the
higher the easier a threshold is to set).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT.parent / "shared" / "judged-links.json"  # the shared folder beside the checkout
DIRECTIONS = {"then": "Then", "later": "Later"}


def load(content: Path):
    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs

    return build_archive(list(load_blogs(content / "blogs").blogs))


def judged_sets(judged: dict, archive):
    """(direction, source post, acceptable titles) for every judgement whose entry is found."""
    rows = []
    for direction in DIRECTIONS:
        for item in judged.get(direction, []):
            sources = [
                post
                for post in archive.posts
                if post.entry.title == item["from"] and str(post.entry.day) == item.get("from_day", str(post.entry.day))
            ]
            for post in sources:
                rows.append((direction, post, frozenset(item["acceptable"])))
    return rows


def score_links(rows, shown_titles) -> dict:
    """``shown_titles(direction, post)``: the titles of the links shown, best first."""
    out = {}
    for direction in DIRECTIONS:
        mine = [row for row in rows if row[0] == direction]
        if not mine:
            continue
        hits = positives = falses = negatives = good = total = 0
        for _, post, acceptable in mine:
            titles = shown_titles(direction, post)[:3]
            total += len(titles)
            good += sum(title in acceptable for title in titles)
            if acceptable:
                positives += 1
                hits += any(title in acceptable for title in titles)
            else:
                negatives += 1
                falses += bool(titles)
        out[direction] = dict(
            hit3=(hits, positives), false=(falses, negatives), precision=(good, total), entries=len(mine)
        )
    return out


def site_briefing(archive, content: Path, gazetteer: bool, blend: float | None = None, context: float | None = None):
    from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate

    settings = BriefingSettings()
    if blend is not None:  # BRIEFINGS_RELATED_BLEND
        settings = replace(settings, related=replace(settings.related, blend=blend))
    if context is not None:  # BRIEFINGS_RELATED_CONTEXT
        settings = replace(settings, related=replace(settings.related, context=context))
    if not gazetteer:
        settings = replace(settings, entities_file="no-gazetteer-for-this-run.yaml")
    briefing, _ = annotate(archive, settings, content)
    return briefing


def site_links(archive, content: Path, gazetteer: bool, blend: float | None = None, context: float | None = None):
    briefing = site_briefing(archive, content, gazetteer, blend, context)

    def shown(direction, post):
        want = DIRECTIONS[direction]
        for panel in briefing.entry_panels(post):
            if panel.direction == want:
                return [link.target.entry.title for link in panel.links]
        return []

    return shown


def across_stories(content: Path, dump: Path, gazetteer: bool, blend=None, context=None) -> tuple[int, int]:
    """The seeds and one dump about another story, built together: (links
    between the two stories, all links shown)."""
    import tempfile

    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs

    with tempfile.TemporaryDirectory() as folder:
        blogs = Path(folder) / "blogs"
        blogs.mkdir()
        for path in [*(content / "blogs").iterdir(), dump, dump.with_suffix(".yaml")]:
            (blogs / path.name).write_bytes(path.read_bytes())
        archive = build_archive(list(load_blogs(blogs).blogs))
    briefing = site_briefing(archive, content, gazetteer, blend, context)
    other = dump.stem
    shown = [(post, link) for post in archive.posts for panel in briefing.entry_panels(post) for link in panel.links]
    crossing = sum((post.blog.slug == other) != (link.target.blog.slug == other) for post, link in shown)
    return crossing, len(shown)


def fraction(pair) -> str:
    done, of = pair
    return f"{done}/{of} = {done / of:.2f}" if of else "-"


def report(name: str, scores: dict) -> list[str]:
    lines = []
    for direction, score in scores.items():
        lines.append(
            f"{name:<22} {direction:<6} hit@3 {fraction(score['hit3']):<14} "
            f"false links {fraction(score['false']):<14} precision {fraction(score['precision'])}"
        )
    return lines


def candidates(archive, content: Path, rows) -> list[str]:
    """Each way of comparing texts on its own: hit@3 of its ranking and the pair AUC."""
    import numpy as np

    from bench import similarity_candidates as sc

    texts = sc.entry_texts(archive)
    by_title = {}
    for n, post in enumerate(archive.posts):
        by_title.setdefault(post.entry.title, []).append(n)
    index = {post.id: n for n, post in enumerate(archive.posts)}
    lines = []
    for name, matrix in sc.all_methods(texts, [post.entry.day.year for post in archive.posts]):
        hits = positives = 0
        above = pairs = 0
        for direction, post, acceptable in rows:
            a = index[post.id]
            others = [
                n
                for n, other in enumerate(archive.posts)
                if (other.entry.day.year < post.entry.day.year) == (direction == "then")
                and other.entry.day.year != post.entry.day.year
            ]
            scores = np.asarray([matrix[a, n] for n in others])
            order = [others[k] for k in np.argsort(-scores, kind="stable")]
            if acceptable:
                positives += 1
                hits += any(archive.posts[n].entry.title in acceptable for n in order[:3])
            good = [matrix[a, n] for n in others if archive.posts[n].entry.title in acceptable]
            bad = [matrix[a, n] for n in others if archive.posts[n].entry.title not in acceptable]
            for g in good:
                for b in bad:
                    above += 1.0 if g > b else 0.5 if g == b else 0.0
                    pairs += 1
        lines.append(f"{name:<22} ranking hit@3 {fraction((hits, positives)):<14} pair AUC {above / pairs:.3f}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--judged", type=Path, nargs="+", default=[JUDGED], help="one or more judgement files, each reported apart"
    )
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--candidates", action="store_true", help="also compare similarity methods on their own")
    parser.add_argument("--blend", type=float, help="BRIEFINGS_RELATED_BLEND for this run (default: the site's)")
    parser.add_argument("--context", type=float, help="BRIEFINGS_RELATED_CONTEXT for this run (default: the site's)")
    parser.add_argument(
        "--other-stories", type=Path, default=ROOT / "bench" / "other-stories", help="dumps about other stories"
    )
    args = parser.parse_args(argv)
    missing = [path for path in args.judged if not path.exists()]
    if missing:
        print(f"links_eval: {missing[0]}: no judgements there: give --judged FILE", file=sys.stderr)
        return 2
    archive = load(args.content)
    for path in args.judged:
        judged = json.loads(path.read_text(encoding="utf-8"))
        rows = judged_sets(judged, archive)
        print(f"{path}: {len(rows)} judged entries found in {args.content}")
        for gazetteer in (True, False):
            name = "with gazetteer" if gazetteer else "empty gazetteer"
            shown = site_links(archive, args.content, gazetteer, args.blend, args.context)
            for line in report(name, score_links(rows, shown)):
                print(line)
        if args.candidates:
            print()
            for line in candidates(archive, args.content, rows):
                print(line)
        print()
    for dump in sorted(args.other_stories.glob("*.txt")) if args.other_stories.is_dir() else ():
        for gazetteer in (True, False):
            crossing, shown = across_stories(args.content, dump, gazetteer, args.blend, args.context)
            name = "with gazetteer" if gazetteer else "empty gazetteer"
            print(f"{name:<22} the seeds and {dump.stem}: {crossing} of {shown} links join the two stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
