"""Packaging hook: lunr.js goes into the package when it is built.

The search page needs lunr.js 2.3.9 at run time. It comes from the npm package
that package-lock.json pins (`npm ci`, which `make setup` runs), and is copied,
with lunr's licence, into the package's static folder whenever setuptools builds
it (a wheel, `pip install .` or `pip install -e .`), so an installed plugin needs
no npm. Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LUNR = ROOT / "node_modules" / "lunr"
TARGET = ROOT / "plugins" / "pelican" / "plugins" / "briefings" / "static" / "lunr"


def copy_lunr() -> None:
    files = {"lunr.min.js": LUNR / "lunr.min.js", "LICENSE": LUNR / "LICENSE"}
    if not all(path.is_file() for path in files.values()):
        if all((TARGET / name).is_file() for name in files):
            return  # an sdist, or a tree whose copy was made before
        raise SystemExit("pelican-briefings: node_modules/lunr is missing: run `npm ci` first (make setup does)")
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        shutil.copyfile(source, TARGET / name)


class BuildWithLunr(build_py):
    def run(self):
        copy_lunr()
        super().run()


copy_lunr()  # also for editable installs, which read the package from this tree
setup(cmdclass={"build_py": BuildWithLunr})
