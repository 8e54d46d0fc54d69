"""The annotate stage's time on a generated archive, for this tree and an earlier one, in one run.

    python -m bench.annotate_time --entries 10000 --baseline fa51ab8

The corpus (``bench.corpus``, same size and seed, same bytes) is written once;
each tree's plugin (the baseline extracted with ``git archive``) then times
``annotate`` on it in a fresh process, ``--repeat`` times, alternating, and the
fastest run of each is printed with their ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The tree's own plugin, loaded from its folder: `pelican.plugins` is a namespace
# package whose first portion is the installed one (make setup's link to this
# checkout), so PYTHONPATH alone would time this tree twice.
PROBE = """
import importlib.util, sys, time
from pathlib import Path
package = Path(sys.argv[2]) / "plugins" / "pelican" / "plugins" / "briefings"
spec = importlib.util.spec_from_file_location(
    "pelican.plugins.briefings", package / "__init__.py", submodule_search_locations=[str(package)]
)
sys.modules["pelican.plugins.briefings"] = module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from pelican.plugins.briefings.annotate.briefing import BriefingSettings, annotate
from pelican.plugins.briefings.ingest.catalog import build_archive
from pelican.plugins.briefings.ingest.sources import load_blogs
content = Path(sys.argv[1])
archive = build_archive(list(load_blogs(content / "blogs").blogs))
start = time.process_time(), time.perf_counter()
briefing, _ = annotate(archive, BriefingSettings(), content)
cpu, wall = time.process_time() - start[0], time.perf_counter() - start[1]
links = sum(len(shown) for shown in briefing.related.values())
import hashlib
shown = sorted((key, [(link.target.id, round(link.score, 3)) for link in value]) for key, value in briefing.related.items())
print(f"{cpu:.2f} {wall:.2f} {len(archive.posts)} {links} {hashlib.sha256(repr(shown).encode()).hexdigest()[:12]}")
print(annotate.__code__.co_filename, file=sys.stderr)
"""


def run(tree: Path, content: Path) -> tuple[float, float, int, int, str]:
    """(CPU s, wall s, entries, cross-links, a digest of the links shown) of annotate, in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(content), str(tree)],
        env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "2"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2]), int(out[3]), out[4]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline", default="fa51ab8", help="the git revision to compare with")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    from bench.corpus import generate

    with tempfile.TemporaryDirectory(prefix="annotate-time-") as work:
        work = Path(work)
        generate(args.entries, args.seed).write(work / "content")
        (work / "content" / "entities.yaml").write_bytes((ROOT / "content" / "entities.yaml").read_bytes())
        baseline = work / "baseline"
        baseline.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "plugins"], capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(baseline)], input=archive.stdout, check=True)
        results = {"baseline": [], "this tree": []}
        for _ in range(args.repeat):
            results["baseline"].append(run(baseline, work / "content"))
            results["this tree"].append(run(ROOT, work / "content"))
        best = {name: min(runs) for name, runs in results.items()}
        for name, (cpu, wall, entries, links, shown) in best.items():
            print(
                f"{name:<10} annotate {entries} entries: {cpu:.2f} s CPU, {wall:.2f} s wall, "
                f"{links} cross-links (digest {shown})"
            )
        ratio = best["this tree"][1] / best["baseline"][1]
        print(f"this tree / baseline (wall): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
