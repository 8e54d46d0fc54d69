"""The search index's build time now against an earlier commit's, same entries, same process.

    .venv-bench/bin/python bench/search_build_compare.py --entries 10000 --commit fa51ab8

The earlier commit's ``write/search.py`` (and what it imports) is taken with
``git archive`` into a temporary folder and imported as a package of its own; it
reads the same archive (its model and text modules are today's, which did not
change). Each side builds every search file in memory, twice, alternating, so a
busy machine weighs on both alike.
"""

from __future__ import annotations

import argparse
import gc
import io
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pelican.plugins.briefings.ingest.catalog  # noqa: E402, F401
import pelican.plugins.briefings.model  # noqa: E402
import pelican.plugins.briefings.text  # noqa: E402
from bench.search_index import synthetic_archive  # noqa: E402
from pelican.plugins.briefings.write import search as now  # noqa: E402

PACKAGE = "plugins/pelican/plugins/briefings"


def then(commit: str, folder: Path):
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, PACKAGE], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as files:
        files.extractall(folder, filter="data")
    (folder / PACKAGE).rename(folder / "briefings_then")
    sys.path.insert(0, str(folder))
    sys.modules["briefings_then.model"] = pelican.plugins.briefings.model
    sys.modules["briefings_then.text"] = pelican.plugins.briefings.text
    from briefings_then.write import search

    return search


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--commit", default="fa51ab8", help="the commit to compare with (shards per month)")
    args = parser.parse_args(argv)
    archive = synthetic_archive(args.entries)
    with tempfile.TemporaryDirectory() as folder:
        before = then(args.commit, Path(folder))
        for name, module in ((args.commit, before), ("now", now)) * 2:
            gc.collect()
            started = time.perf_counter()
            files = module.search_files(archive)
            seconds = time.perf_counter() - started
            size = sum(len(text.encode("utf-8")) for text in files.values()) / 1e6
            print(f"{args.entries:,} entries, {name}: {seconds:.1f} s, {len(files):,} files, {size:.1f} MB", flush=True)
            del files
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
