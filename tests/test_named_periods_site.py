"""Named periods from the settings reach every place periods show: the home page,
the period feeds, and the search filters."""

import json
import shutil

from sitebuild import SEEDS, build, read_page

PERIODS = [
    {"name": "Invasion eve", "start": "2022-02-01", "end": "2022-02-23"},
    {"name": "Peace push", "start": "2025-02-01", "end": "2025-02-28"},
]


def test_named_periods_group_home_feeds_and_search(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "content" / "blogs")
    output = tmp_path / "output"
    result = build(tmp_path / "content", output, "--set", f"BRIEFINGS_PERIODS={json.dumps(PERIODS)}")
    assert result.returncode == 0, result.stderr
    headings = [text for text in read_page(output / "index.html").visible.split(" ") if text]
    home = " ".join(headings)
    assert home.index("Peace push") < home.index("Invasion eve")  # newest period first
    feeds = sorted(p.name for p in (output / "feeds" / "periods").iterdir())
    assert len(feeds) == 2 and all(name.endswith(".atom.xml") for name in feeds)
    manifest = (output / "search" / "manifest.js").read_text(encoding="utf-8")
    assert "Peace push" in manifest and "Invasion eve" in manifest
    assert '"periods":["Peace push","Invasion eve"]' in manifest  # the Period filter's values, newest first
