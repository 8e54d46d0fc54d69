"""The `briefings` command: build, check, new, serve; what it prints with and
without a terminal."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuild import ROOT, SEEDS, build

COMMAND = [sys.executable, "-m", "pelican.plugins.briefings"]
BRIEFINGS = str(Path(sys.executable).with_name("briefings"))  # the console script


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def seeds_content(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder / "blogs")
    return folder


def test_new_makes_a_site_that_builds_with_the_console_script(tmp_path):
    made = subprocess.run(
        [BRIEFINGS, "new", str(tmp_path / "gazette"), "--title", 'The "Quay" Gazette'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    site = tmp_path / "gazette"
    assert (site / "content" / "blogs" / "sample.txt").is_file()
    built = subprocess.run([BRIEFINGS, "build"], cwd=site, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert "built 1 blogs, 4 entries" in built.stderr
    entry = site / "output" / "2026" / "03" / "12" / "1205-first-cars-cross-the-bridge.html"
    assert 'The "Quay" Gazette' in entry.read_text(encoding="utf-8").replace("&#34;", '"').replace("&quot;", '"')
    assert (site / "output" / "blogs" / "index.html").is_file()


def test_new_never_writes_into_a_folder_that_holds_something(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me", encoding="utf-8")
    result = subprocess.run([BRIEFINGS, "new", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"briefings: {tmp_path}: not an empty folder, so nothing was written: name a new folder"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.txt"]


def test_check_reports_each_problem_in_one_line_and_builds_nothing(tmp_path):
    content = seeds_content(tmp_path / "content")
    (content / "blogs" / "broken.txt").write_text(
        "  1. A titlepublished at 25:61 Greenwich Mean Time 14 February 2022\n\n    Text.\n", encoding="utf-8"
    )
    (content / "blogs" / "broken.yaml").write_text("title: Broken\n", encoding="utf-8")
    result = run("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(
        line.startswith(f"briefings: {content}/blogs/broken.txt:1: error: impossible time '25:61'") for line in lines
    ), lines
    assert lines[-1] == "briefings: checked 3 blogs, 60 entries on 4 days; 1 errors, 0 warnings"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output").exists()


def test_check_of_good_inputs_exits_0():
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "briefings: checked 3 blogs, 60 entries on 4 days; 0 errors, 0 warnings"


def test_a_build_without_a_terminal_prints_a_few_lines(tmp_path):
    result = build(seeds_content(tmp_path / "content"), tmp_path / "output")
    assert result.returncode == 0, result.stderr
    printed = (result.stdout + result.stderr).strip().splitlines()
    assert len(printed) <= 3, printed
    assert printed[-1].startswith("briefings: built 3 blogs, 60 entries")


def test_quiet_prints_nothing_when_every_input_is_fine_and_verbose_gives_the_phases(tmp_path):
    content = seeds_content(tmp_path / "content")
    quiet = build(content, tmp_path / "quiet", "--quiet")
    assert quiet.returncode == 0, quiet.stderr
    assert (quiet.stdout + quiet.stderr).strip() == ""
    verbose = build(content, tmp_path / "verbose", "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    assert "briefings: annotate: " in verbose.stderr and "briefings: read entries: " in verbose.stderr


def test_a_build_on_a_terminal_shows_its_phases_then_one_summary(tmp_path):
    content = seeds_content(tmp_path / "content")
    output = tmp_path / "output"
    command = [
        *COMMAND,
        "build",
        "--settings",
        str(ROOT / "pelican.conf.py"),
        "--content",
        str(content),
        "--output",
        str(output),
        "--set",
        f"BRIEFINGS_MARKDOWN_DIR={tmp_path / 'markdown'}",
        "--set",
        f"BRIEFINGS_CACHE_DIR={tmp_path / 'cache'}",
    ]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=dict(os.environ, COLUMNS="120", TERM="xterm"),
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the build ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=600) == 0
    os.close(leader)
    text = shown.decode("utf-8", "replace")
    for phase in ("parse", "annotate", "read entries", "search"):
        assert phase in text, text[-2000:]
    assert "60/60" in text  # the entries' bar, counted
    assert "Done: Processed" not in text  # Pelican's line: the summary says it
    assert text.count("briefings: built 3 blogs, 60 entries") == 1


def test_serve_refuses_a_folder_with_no_site(tmp_path):
    result = run("serve", "--output", str(tmp_path))
    assert result.returncode == 2
    assert "no built site here: run `briefings build` first" in result.stderr


def test_options_without_a_command_build_as_before(tmp_path):
    result = build(seeds_content(tmp_path / "content"), tmp_path / "output")  # no "build" word
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "index.html").is_file()
