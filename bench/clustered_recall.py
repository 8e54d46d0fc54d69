"""What the clustered candidate search finds of what the exact search finds.

    python -m bench.clustered_recall --entries 50000

Annotates ``bench.corpus``'s archive (same size and seed, same bytes) twice in
this process: with the exact search over all pairs (``exact_search`` above the
archive's size) and with the clustered one (``exact_search=0``), and prints each
run's time, the links shown, and how many of the exact search's links the
clustered search shows (its recall), how many of its links the exact search does
not show, and how many entries keep the same best link. docs/briefing.md reads
the results.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from bench.corpus import generate
    from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate
    from pelican.plugins.briefings.ingest.catalog import build_archive
    from pelican.plugins.briefings.ingest.sources import load_blogs

    with tempfile.TemporaryDirectory(prefix="clustered-recall-") as work:
        content = Path(work) / "content"
        generate(args.entries, args.seed).write(content)
        (content / "entities.yaml").write_bytes((ROOT / "content" / "entities.yaml").read_bytes())
        archive = build_archive(list(load_blogs(content / "blogs").blogs))
        shown = {}
        for name, limit in (("exact", len(archive.posts)), ("clustered", 0)):
            settings = BriefingSettings()
            settings = replace(settings, related=replace(settings.related, exact_search=limit))
            start = time.perf_counter()
            briefing, _ = annotate(archive, settings, content)
            wall = time.perf_counter() - start
            shown[name] = {key: [link.target.id for link in value] for key, value in briefing.related.items()}
            digest = hashlib.sha256(repr(sorted(shown[name].items())).encode()).hexdigest()[:12]
            count = sum(map(len, shown[name].values()))
            print(f"{name:<10} annotate {len(archive.posts)} entries: {wall:.1f} s, {count} links (digest {digest})")
    exact = {(key, target) for key, targets in shown["exact"].items() for target in targets}
    clustered = {(key, target) for key, targets in shown["clustered"].items() for target in targets}
    with_links = [key for key, targets in shown["exact"].items() if targets]
    same_best = sum(
        shown["clustered"].get(key, [None])[:1] == targets[:1] for key, targets in shown["exact"].items() if targets
    )
    print(
        f"links of the exact search shown: {len(exact & clustered)}/{len(exact)} = {len(exact & clustered) / max(1, len(exact)):.3f}"
    )
    print(f"links shown the exact search does not show: {len(clustered - exact)}/{len(clustered)}")
    print(f"entries with the same best link: {same_best}/{len(with_links)} = {same_best / max(1, len(with_links)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
