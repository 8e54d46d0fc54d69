"""Two builds of the same input give byte-identical sites, so that a diff of the
published site shows only real changes: no build time, no build path, no order
that depends on hashing, the file system, the time zone or the locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hostile import hostile_dump
from sitebuild import ROOT, SEEDS

BAD = Path(__file__).parent / "fixtures" / "bad"


def content_folder(root: Path) -> Path:
    """The seeds, the bad fixtures (merges, decodings, errors) and the hostile blog."""
    blogs = root / "blogs"
    shutil.copytree(SEEDS, blogs)
    for fixture in BAD.iterdir():
        if fixture.suffix in (".txt", ".yaml"):
            shutil.copy(fixture, blogs)
    (blogs / "hostile.txt").write_text(hostile_dump(), encoding="utf-8")
    (blogs / "hostile.yaml").write_text("title: Hostile\n", encoding="utf-8")
    return root


def german_locale(tmp: Path) -> dict:
    """LC_ALL=de_DE.UTF-8, compiled into ``tmp`` if this machine can (else nothing)."""
    if not shutil.which("localedef") or not Path("/usr/share/i18n/locales/de_DE").exists():
        return {}
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(tmp / "de_DE.UTF-8")], capture_output=True)
    return (
        {"LOCPATH": str(tmp), "LC_ALL": "de_DE.UTF-8"}
        if made.returncode in (0, 1) and (tmp / "de_DE.UTF-8").exists()
        else {}
    )


def build(content: Path, output: Path, **env: str) -> subprocess.CompletedProcess:
    command = [
        str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python3",
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
    ]
    environment = dict(os.environ, **env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism")
    first = content_folder(root / "first" / "content")
    second = content_folder(root / "elsewhere" / "input")
    for path in second.rglob("*"):  # other modification times
        os.utime(path, (time.time() - 86400 * 400, time.time() - 86400 * 400))
    a = build(first, root / "first" / "output", PYTHONHASHSEED="0", TZ="UTC")
    b = build(
        second, root / "elsewhere" / "site-b", PYTHONHASHSEED="4242", TZ="Pacific/Auckland", **german_locale(root)
    )
    assert a.returncode == b.returncode == 1, (a.stderr, b.stderr)  # the bad fixtures
    return root, tree(root / "first" / "output"), tree(root / "elsewhere" / "site-b")


def test_two_builds_in_other_folders_with_other_seeds_zones_and_locales_are_identical(two_builds):
    _, first, second = two_builds
    assert len(first) > 100
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_no_file_holds_the_build_path_or_the_build_date(two_builds):
    root, first, _ = two_builds
    today = datetime.now(UTC)
    stamps = {today.strftime("%Y-%m-%d"), today.strftime("%d %B %Y").lstrip("0")}
    found = [
        (name, needle) for name, data in first.items() for needle in (str(root), *stamps) if needle.encode() in data
    ]
    assert found == []
