"""``briefings new FOLDER``: a starter site with one sample blog, like pelican-quickstart.

It writes into a folder that is new or empty, never over anything: the settings
(``pelicanconf.py``, with Pelican's own theme, which the plugin's pages extend),
one sample dump with its YAML, and a README saying what to do next. The files
are in ``starter_site/`` beside this module.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter_site"


def create(folder: str, title: str) -> int:
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"briefings: {target}: not an empty folder, so nothing was written: name a new folder", file=sys.stderr)
        return 2
    try:
        shutil.copytree(STARTER, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        settings = target / "pelicanconf.py"
        # json.dumps writes a valid Python string literal for any title.
        settings.write_text(
            settings.read_text(encoding="utf-8").replace('"My briefings"', json.dumps(title)), encoding="utf-8"
        )
    except OSError as error:
        print(f"briefings: {target}: cannot write the new site: {error.strerror}", file=sys.stderr)
        return 2
    print(
        f"briefings: a new site in {target}: cd {target}, then `briefings build` and open output/index.html",
        file=sys.stderr,
    )
    return 0
