"""Issue 14, points 1, 2, 9, 10, 17, 18: the build never deletes what it did not write.

Each test lays out folders by hand the way the issue describes (an output that
holds the content, a Markdown folder with the user's own notes in it, …), runs
`python -m briefings` as `make html` does, and checks that every file that must
survive is still there byte for byte, that the one line says what happened and
what to do, and the exit status (2: the build itself did not run).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import ROOT, SEEDS, build

GOOD = "ukraine-border-crisis-2022-02"


def snapshot(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(folder.rglob("*"))
    }


def content_at(folder: Path, *blogs: str) -> Path:
    """A content folder: dumps, their YAML, and an editor's note."""
    for blog in blogs or (GOOD,):
        for suffix in (".txt", ".yaml"):
            (folder / "blogs").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(SEEDS / f"{blog}{suffix}", folder / "blogs" / f"{blog}{suffix}")
    (folder / "annotations").mkdir(exist_ok=True)
    (folder / "annotations" / "note.md").write_text("---\nday: 2022-02-15\n---\nAn editor's note.\n", encoding="utf-8")
    return folder


def refusal(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    return line


def test_an_output_that_contains_the_content_is_refused_and_nothing_is_deleted(tmp_path):
    x = tmp_path / "x"
    content = content_at(x / "content")
    (x / "NOTES.md").write_text("my own notes\n", encoding="utf-8")
    before = snapshot(x)
    line = refusal(build(content, x))
    assert line == (
        f"briefings: the output folder {x} contains the content folder {content}, which a build would delete: "
        "choose an output folder of its own, e.g. --output output (make html OUTPUT=output)"
    )
    assert snapshot(x) == before


@pytest.mark.parametrize("where, says", [("content", "is the content folder"), ("content/site", "lies inside")])
def test_an_output_that_is_or_lies_inside_the_content_is_refused(tmp_path, where, says):
    content = content_at(tmp_path / "content")
    before = snapshot(content)
    line = refusal(build(content, tmp_path / where))
    assert says in line and "choose an output folder of its own" in line
    assert snapshot(content) == before


def test_the_current_folder_as_output_is_refused_with_the_checkout_intact(tmp_path):
    checkout = tmp_path / "checkout"
    content = content_at(tmp_path / "content")
    (checkout / ".git").mkdir(parents=True)
    (checkout / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = snapshot(checkout)
    command = [sys.executable, "-m", "pelican.plugins.briefings", "--settings", str(ROOT / "pelican.conf.py")]
    command += ["--content", str(content), "--output", ".", "--set", f"THEME={ROOT / 'theme'}"]
    result = subprocess.run(command, cwd=checkout, capture_output=True, text=True, timeout=600)
    assert f"the output folder {checkout} is the current folder" in refusal(result)
    assert snapshot(checkout) == before


def test_the_home_folder_as_output_is_refused(tmp_path):
    home = tmp_path / "home"
    content = content_at(tmp_path / "content")
    home.mkdir()
    (home / ".bashrc").write_text("export PS1='$ '\n", encoding="utf-8")
    before = snapshot(home)
    command = [sys.executable, "-m", "pelican.plugins.briefings", "--settings", str(ROOT / "pelican.conf.py")]
    command += ["--content", str(content), "--output", "~"]
    result = subprocess.run(
        command, cwd=ROOT, env=dict(os.environ, HOME=str(home)), capture_output=True, text=True, timeout=600
    )
    line = refusal(result)
    assert f"the output folder {home} " in line and "home folder" in line
    assert snapshot(home) == before


def test_a_folder_the_build_did_not_make_is_never_replaced(tmp_path):
    content = content_at(tmp_path / "content")
    output = tmp_path / "photos"
    output.mkdir()
    (output / "holiday.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")
    before = snapshot(output)
    line = refusal(build(content, output))
    assert line == (
        f"briefings: the output folder {output} is not empty and was not built by Briefings "
        "(no .briefings-site in it): choose an empty or new output folder, or move its files away first"
    )
    assert snapshot(output) == before


def test_a_site_of_an_earlier_version_or_of_this_one_is_replaced(tmp_path):
    content = content_at(tmp_path / "content")
    output = tmp_path / "output"
    assert build(content, output).returncode == 0
    assert (output / ".briefings-site").is_file()
    (output / ".briefings-site").unlink()  # as an earlier version left it: its own files, no mark
    (output / "stale.html").write_text("from the last build\n", encoding="utf-8")
    result = build(content, output)
    assert result.returncode == 0, result.stderr
    assert (output / ".briefings-site").is_file() and not (output / "stale.html").exists()


def test_a_markdown_folder_that_holds_the_content_is_refused(tmp_path):
    x = tmp_path / "x"
    content = content_at(x / "content")
    before = snapshot(x)
    line = refusal(build(content, tmp_path / "output", "--set", f"BRIEFINGS_MARKDOWN_DIR={x}"))
    assert f"the Markdown folder {x} and the content folder {content} overlap" in line
    assert snapshot(x) == before


def test_the_markdown_folder_loses_only_documents_the_build_wrote(tmp_path):
    content = content_at(tmp_path / "content", GOOD, "munich-security-conference-2025-02")
    markdown = tmp_path / "notes-and-markdown"
    markdown.mkdir()
    (markdown / "NOTES.md").write_text("my own notes\n", encoding="utf-8")
    (markdown / "drafts").mkdir()
    (markdown / "drafts" / "idea.md").write_text("an idea\n", encoding="utf-8")
    output = tmp_path / "output"
    flags = ("--set", f"BRIEFINGS_MARKDOWN_DIR={markdown}")
    assert build(content, output, *flags).returncode == 0
    munich = list(markdown.glob("days/munich-security-conference-2025-02/*.md"))
    assert munich
    for suffix in (".txt", ".yaml"):  # the blog is removed: its documents go, nothing else
        (content / "blogs" / f"munich-security-conference-2025-02{suffix}").unlink()
    result = build(content, output, *flags)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in munich)
    assert (markdown / "NOTES.md").read_text(encoding="utf-8") == "my own notes\n"
    assert (markdown / "drafts" / "idea.md").read_text(encoding="utf-8") == "an idea\n"
    assert not (output / "markdown" / "NOTES.md").exists() and not (output / "markdown" / "drafts").exists()
    assert "An editor's note." in (output / f"blogs/{GOOD}/2022-02-15.html").read_text(encoding="utf-8")


def test_two_builds_into_two_outputs_sharing_markdown_and_cache_both_succeed(tmp_path):
    content = content_at(tmp_path / "content")
    shared = ("--set", f"BRIEFINGS_MARKDOWN_DIR={tmp_path / 'md'}", "--set", f"BRIEFINGS_CACHE_DIR={tmp_path / 'c'}")
    processes = []
    for name in ("one", "two", "three"):
        command = [sys.executable, "-m", "pelican.plugins.briefings", "--settings", str(ROOT / "pelican.conf.py")]
        command += ["--content", str(content), "--output", str(tmp_path / name), *shared]
        processes.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for process in processes:
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, stderr
    for name in ("one", "two", "three"):
        assert len(list((tmp_path / name / "2022" / "02").glob("*/*.html"))) == 20
        assert (tmp_path / name / "markdown" / "entries" / "2022" / "02" / "15").is_dir()


def test_an_output_whose_parent_cannot_be_made_is_one_line_and_status_2(tmp_path):
    content = content_at(tmp_path / "content")
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    line = refusal(build(content, tmp_path / "a-file" / "output"))
    assert line.startswith("briefings: cannot write the site") and "a-file" in line


def test_a_read_only_output_parent_is_one_line_and_status_2(tmp_path):
    content = content_at(tmp_path / "content")
    if os.geteuid() == 0:
        # root writes into any folder whatever its mode (CI runs as root), but no
        # one may make a folder in /sys: a parent that is read-only for root too.
        line = refusal(build(content, Path("/sys") / "briefings-output"))
        assert line.startswith("briefings: cannot write the site") and "Permission denied" in line
        return
    parent = tmp_path / "read-only"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        line = refusal(build(content, parent / "output"))
    finally:
        parent.chmod(0o755)
    assert line.startswith("briefings: cannot write the site") and "Permission denied" in line


def test_cache_none_turns_the_cache_off_and_makes_no_folder_called_none(tmp_path):
    assert not (ROOT / "None").exists()
    content = content_at(tmp_path / "content")
    result = build(content, tmp_path / "output", "--set", "BRIEFINGS_CACHE_DIR=None")
    assert result.returncode == 0, result.stderr
    assert not (ROOT / "None").exists()
    assert not (tmp_path / "output-cache").exists()


def test_a_failure_of_many_files_is_one_short_line():
    from pelican.plugins.briefings.command.build import MESSAGE_MAX, one_line

    error = shutil.Error(
        [(f"/md/entries/{n}.md", f"/out/markdown/{n}.md", "[Errno 28] No space left") for n in range(500)]
    )
    line = one_line(error)
    assert "\n" not in line and len(line) <= MESSAGE_MAX
    assert line.startswith("Error: [('/md/entries/0.md'")
