"""Placing the build's own files: replaced whole, or linked from where they were made."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def replace_file(path: Path, data: bytes | str) -> None:
    """``path`` with ``data`` (text as UTF-8), by renaming a new file over it: a
    reader (or a hard link in the site in place) sees the old file or the new,
    never a half-written or changed one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    if isinstance(data, str):
        partial.write_text(data, encoding="utf-8")
    else:
        partial.write_bytes(data)
    os.replace(partial, path)


def link_or_copy(source: Path, target: Path) -> bool:
    """``target`` as a hard link to ``source`` (True), or a copy where the two are
    on different file systems or one without hard links (False)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        return False
    return True
