"""Build phases (`--timings FILE`, used by `make bench`): named, counted, written.

Nothing here asserts how long anything takes: only that the phases are there
and add up to the build.
"""

from __future__ import annotations

import json
import shutil
import time

from sitebuild import SEEDS, build

from pelican.plugins.briefings.glue.timing import PhaseTimer, clocks

PHASES = {
    "parse",
    "catalog",
    "markdown",
    "read entries",
    "read days",
    "pelican: read",
    "pelican: write",
    "write pages",
    "write api",
    "publish markdown",
    "write feeds, sitemap",
}


def test_a_phase_entered_twice_adds_up_and_rest_is_what_no_phase_took():
    timer = PhaseTimer()
    since = clocks()
    with timer.phase("parse"):
        pass
    with timer.phase("parse"):
        time.sleep(0.001)
    timer.rest("pelican", since)
    assert list(timer.wall) == list(timer.cpu) == ["parse", "pelican"]
    assert timer.wall["parse"] >= 0.001
    assert time.perf_counter() - since[0] >= sum(timer.wall.values())


def test_timings_file_names_every_phase_of_a_build(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SEEDS, content / "blogs")
    timings = tmp_path / "timings.json"
    result = build(content, tmp_path / "output", "--timings", str(timings))
    assert result.returncode == 0, result.stderr
    written = json.loads(timings.read_text(encoding="utf-8"))
    assert set(written) == {"wall", "cpu"}
    for clock in written.values():
        assert set(clock) >= PHASES
        assert all(seconds >= 0 for seconds in clock.values())
