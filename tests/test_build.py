"""`python -m briefings` swaps a finished site in, or leaves the last one untouched.

Builds run in subprocesses, as `make html` runs them. A build is made to fail
half-way with a broken copy of the theme, and is stopped half-way by a signal
once a test plugin (SLOW_PLUGIN) shows it has started writing pages.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitebuild import ROOT, SEEDS, build

SLOW_PLUGIN = '''
"""Test plugin: touches $SLOWDOWN_MARKER and sleeps a little after each page written."""
import os, time
from pathlib import Path
from pelican import signals

def written(path, context):
    Path(os.environ["SLOWDOWN_MARKER"]).touch()
    time.sleep(0.05)

def register():
    signals.content_written.connect(written)
'''


def snapshot(folder: Path) -> dict:
    """Every file's bytes (as a digest) and modification time, and every folder."""
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        if path.is_file()
        else "folder"
        for path in sorted(folder.rglob("*"))
    }


def leftovers(output: Path) -> list[str]:
    """What lies beside the output but the lock file. The site a build replaced is
    removed by a process of its own after the build (build.discard): waited for,
    up to a minute, so that one it never removes is a leftover."""
    deadline = time.monotonic() + 60
    while True:
        names = sorted(
            p.name
            for p in output.parent.iterdir()
            if p.name.startswith(f".{output.name}.") and not p.name.endswith(".lock")
        )
        if not any(".removing-" in name for name in names) or time.monotonic() > deadline:
            return names
        time.sleep(0.05)


@pytest.fixture()
def site(tmp_path):
    """A content folder of the seeds, and a good site built from it."""
    content = tmp_path / "content"
    shutil.copytree(SEEDS, content / "blogs")
    output = tmp_path / "output"
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    return content, output


def test_a_build_that_fails_half_way_leaves_the_last_site_byte_for_byte(site, tmp_path):
    content, output = site
    before = snapshot(output)
    (content / "blogs" / "ukraine-border-crisis-2022-02.yaml").write_text("title: A changed title\n")
    result = build(content, output, "--set", f"THEME={broken_theme(tmp_path)}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("briefings: build failed")]
    assert f"{output} left as it was" in line and "'no' is undefined" in line
    assert snapshot(output) == before
    assert leftovers(output) == []


def broken_theme(tmp_path: Path) -> Path:
    """A copy of the theme with a day page of its own (overriding the plugin's) that
    fails to render. Day pages are written after every entry page, so a build with
    it dies half-way."""
    theme = tmp_path / "broken-theme"
    shutil.copytree(ROOT / "theme", theme)
    plugin_day = ROOT / "plugins" / "pelican" / "plugins" / "briefings" / "templates" / "briefings" / "day.html"
    day = theme / "templates" / "briefings" / "day.html"
    day.parent.mkdir(exist_ok=True)
    day.write_text(
        plugin_day.read_text().replace("{{ page.content|safe }}", "{{ page.content|safe }}{{ no.such.thing }}")
    )
    return theme


def test_an_error_pelican_logs_and_carries_on_from_fails_the_build(site):
    """A page Pelican could not read would be missing from the site: no swap."""
    content, output = site
    before = snapshot(output)
    (content / "notes.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    result = build(content, output)
    assert result.returncode == 2, result.stderr
    assert "build failed" in result.stderr
    assert snapshot(output) == before
    assert leftovers(output) == []


def slow_build(content: Path, output: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """A build that writes pages slowly, started in the background, and the file
    that appears once it has begun writing pages into its temporary folder."""
    plugins = tmp_path / "test-plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "slowdown.py").write_text(SLOW_PLUGIN)
    settings = tmp_path / "slow.conf.py"
    settings.write_text(
        f"exec(open({str(ROOT / 'pelican.conf.py')!r}).read())\n"
        f"THEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(plugins)!r}]\n"
        "PLUGINS = ['briefings', 'slowdown']\n"
    )
    marker = tmp_path / "writing"
    marker.unlink(missing_ok=True)
    env = dict(os.environ, SLOWDOWN_MARKER=str(marker))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pelican.plugins.briefings",
            "--settings",
            str(settings),
            "--content",
            str(content),
            "--output",
            str(output),
            "--set",
            f"BRIEFINGS_MARKDOWN_DIR={tmp_path / 'slow-markdown'}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, marker


def wait_for(marker: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the build never started writing pages"
        time.sleep(0.02)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_the_last_site_and_no_temporary_folder(site, tmp_path, stop):
    content, output = site
    before = snapshot(output)
    process, marker = slow_build(content, output, tmp_path)
    wait_for(marker, process)
    assert [name for name in leftovers(output) if ".building-" in name], "not building into a temporary folder"
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + stop
    assert "Traceback" not in stderr
    assert f"briefings: interrupted by {stop.name}; {output} holds the last complete site" in stderr.splitlines()
    assert not [line for line in stderr.splitlines() if "failed" in line]  # helpers stop quietly
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_what_a_killed_build_leaves_is_cleared_by_the_next(site, tmp_path):
    content, output = site
    process, marker = slow_build(content, output, tmp_path)
    wait_for(marker, process)
    process.kill()  # SIGKILL: no clean-up possible
    process.communicate(timeout=120)
    assert [name for name in leftovers(output) if ".building-" in name]
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert leftovers(output) == []
    assert (output / "index.html").is_file()


def test_the_replaced_site_is_removed_and_a_removal_left_unfinished_by_the_next_build(site, tmp_path):
    """The old site goes in the background; one whose removal was stopped (a
    machine shut down meanwhile) is removed by the next build, and only that."""
    content, output = site
    kept = tmp_path / "kept.html"
    os.link(output / "index.html", kept)  # a second name for one of the old site's files
    result = build(content, output, "--fresh")  # every page written anew: none shared with the old site
    assert result.returncode == 0, result.stderr
    assert leftovers(output) == []
    assert kept.stat().st_nlink == 1, "the old site's file is still there under another name"
    stopped = output.with_name(".output.removing-a1b2c3") / "site"
    shutil.copytree(output, stopped)
    mine = output.with_name(".output.removing")  # not a name the build makes: left alone
    mine.mkdir()
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert leftovers(output) == [".output.removing"]
    assert (output / "index.html").is_file()


def test_a_removal_under_way_is_left_to_its_process_and_a_stopped_one_finished(tmp_path):
    from pelican.plugins.briefings.command.build import REMOVING, clear_leftovers

    output = tmp_path / "output"
    under_way, stopped = (tmp_path / f".output.removing-{name}" for name in ("a1", "b2"))
    for folder in (under_way, stopped):
        (folder / "site" / "2022").mkdir(parents=True)
        (folder / REMOVING).touch()
    with open(under_way / REMOVING, "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as the removing process holds it
        clear_leftovers(output)
        assert under_way.is_dir() and not stopped.exists()
    clear_leftovers(output)
    assert not under_way.exists()


def test_a_site_moved_aside_but_not_replaced_is_put_back(site, tmp_path):
    """A build killed between the two renames of the swap leaves the last good
    site as .output.old and no output: the next build starts from it."""
    content, output = site
    before = snapshot(output)
    output.rename(output.with_name(".output.old"))
    (output.with_name(".output.building-x1y2") / "half").mkdir(parents=True)
    result = build(content, output, "--set", f"THEME={broken_theme(tmp_path)}")  # the old site must be back
    assert result.returncode == 2, result.stderr
    assert snapshot(output) == before
    assert leftovers(output) == []


def test_a_second_build_into_the_same_output_waits_for_the_first(site):
    content, output = site
    with open(output.with_name(".output.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = dict(os.environ)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pelican.plugins.briefings",
                "--settings",
                str(ROOT / "pelican.conf.py"),
                "--content",
                str(content),
                "--output",
                str(output),
                "--set",
                f"BRIEFINGS_MARKDOWN_DIR={output}-markdown",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = f"briefings: waiting for another build into {output} to finish"
        seen = []
        while waiting not in seen and (line := process.stderr.readline()):  # it blocks right after saying so
            seen.append(line.rstrip("\n"))
        assert waiting in seen, seen
        time.sleep(0.2)
        assert process.poll() is None, "it did not wait"
    process.communicate(timeout=120)
    assert process.returncode == 0


def test_a_settings_problem_is_one_line_and_touches_nothing(site):
    content, output = site
    before = snapshot(output)
    result = build(content, output, "--set", f"THEME={output.parent / 'no-such-theme'}")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"briefings: cannot read the settings: ValueError: Could not find the theme {output.parent / 'no-such-theme'}"
    ]
    assert snapshot(output) == before


def test_the_built_site_is_readable_by_a_web_server(site):
    _, output = site
    assert output.stat().st_mode & 0o777 == 0o755


# --- exit status, through make as a user runs it --------------------------------------


def make_html(content: Path, output: Path, *variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "html",
            f"CONTENT={content}",
            f"OUTPUT={output}",
            f"MARKDOWN={output}-markdown",
            *variables,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def warned_and_broken(tmp_path_factory):
    """A content folder with a good blog that has a warning, and one with an error."""
    root = tmp_path_factory.mktemp("status")
    warned, broken = root / "warned", root / "broken"
    for content in (warned, broken):
        (content / "blogs").mkdir(parents=True)
        shutil.copy(SEEDS / "ukraine-border-crisis-2022-02.txt", content / "blogs" / "good.txt")
        (content / "blogs" / "good.yaml").write_text("title: Good\ncolour: blue\n")
    (broken / "blogs" / "bad.txt").write_text("")
    (broken / "blogs" / "bad.yaml").write_text("title: Bad\n")
    return root, warned, broken


@pytest.mark.parametrize(
    "folder, variables, status",
    [
        ("warned", (), 0),
        ("warned", ("STRICT=1",), 1),
        ("broken", (), 1),
        ("broken", ("KEEP_GOING=1",), 0),
        ("broken", ("STRICT=1", "KEEP_GOING=1"), 1),
    ],
)
def test_make_html_exit_status(warned_and_broken, folder, variables, status):
    root, *_ = warned_and_broken
    output = root / f"out-{folder}-{'-'.join(variables) or 'default'}"
    result = make_html(root / folder, output, *variables)
    # make itself exits 2 when a command fails, and names the command's status.
    assert (result.returncode, f"Error {status}" in result.stderr) == ((2, True) if status else (0, False))
    assert len(list(output.glob("2022/02/*/*.html"))) == 20, "the good blog is built whatever the status"


def test_the_build_gives_the_cycle_collector_back_as_it_found_it_even_when_it_fails():
    """A build runs with fewer collections (a build's objects live long), and
    a program that builds in its own process (the dev server) gets its own
    thresholds back afterwards, also after a failed build."""
    import gc

    from pelican.plugins.briefings.command.build import BUILD_GC_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    gc.set_threshold(701, 11, 12)
    try:
        with fewer_collections():
            assert gc.get_threshold() == BUILD_GC_THRESHOLDS
        assert gc.get_threshold() == (701, 11, 12)
        try:
            with fewer_collections():
                raise RuntimeError("a build that fails")
        except RuntimeError:
            pass
        assert gc.get_threshold() == (701, 11, 12)
    finally:
        gc.set_threshold(*before)
