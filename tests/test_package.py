"""The package as a Pelican user gets it: the wheel, installed into a new virtual
environment, in a site that only names it (PLUGINS = ["briefings"])."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from existing_site import make_site, pelican
from sitebuild import ROOT


def test_the_wheel_installs_into_a_fresh_venv_and_builds_an_existing_site(tmp_path):
    dist = tmp_path / "dist"
    wheel = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert wheel.returncode == 0, wheel.stderr
    (built,) = dist.glob("pelican_briefings-*.whl")

    fresh = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(fresh)
    # The dependencies at the versions make installs (already in pip's cache);
    # the plugin itself only from the wheel.
    install = subprocess.run(
        [
            str(fresh / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "requirements.txt"),
            str(built),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    installed = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import pelican.plugins.briefings as b; print(b.__file__)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert str(fresh) in installed.stdout, installed.stdout + installed.stderr  # not this checkout's copy

    site = make_site(tmp_path / "site", ["briefings"])
    result = pelican(site, str(fresh / "bin" / "pelican"))
    assert result.returncode == 0, result.stdout + result.stderr
    output = site / "output"
    for page in (
        "2022/02/15/0901-russia-announces-withdrawal-of-some-troops-from-border.html",
        "blogs/ukraine-border-crisis-2022-02/recap-2022-02-15.html",
        "then-and-now.html",
        "search.html",
        "briefings/js/search/page.js",
        "api/entries.json",
    ):
        assert (output / page).is_file(), page
    # lunr.js and its licence came inside the wheel, copied from the npm package.
    assert (output / "search" / "lunr.min.js").read_bytes() == (ROOT / "node_modules/lunr/lunr.min.js").read_bytes()
    package = Path(installed.stdout.strip()).parent
    assert (package / "static" / "lunr" / "LICENSE").read_text(encoding="utf-8").startswith("Copyright")

    command = subprocess.run(
        [str(fresh / "bin" / "briefings"), "check"], cwd=site, capture_output=True, text=True, timeout=300
    )
    assert command.returncode == 0, command.stderr
    assert "checked 3 blogs, 60 entries" in command.stderr
