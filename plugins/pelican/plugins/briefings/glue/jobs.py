"""Work that can run on another core while Pelican reads and renders.

The search index, the JSON API, and the HTML of the recap, entity and
then-and-now pages are made from the archive and the briefing alone and written
to files of their own, so they need nothing from the rest of the build: forked children make and write
them while the parent reads entries and renders pages (the machine this is built
for has two cores; ``make bench`` measures the gain). With one job, or where fork
is missing, the same work runs in the parent when its result is awaited.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

# (path relative to the root, text) pairs; a generator, so that each file can be
# written, and forgotten, as soon as it is made. The text is a str, or chunks of
# it (the JSON API, a record at a time: never the whole file in memory).
Files = Callable[[], Iterable[tuple[str, str | Iterable[str]]]]


def write_files(root: Path, files: Iterable[tuple[str, str | Iterable[str]]]) -> None:
    for relative, text in files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as out:
            if isinstance(text, str):
                out.write(text)
            else:
                out.writelines(text)


def default_jobs() -> int:
    return min(2, os.cpu_count() or 1)


class FilesJob:
    """``make_files()`` computed, and its files written under ``root``, either in a
    forked child started now or in this process on ``wait()``."""

    def __init__(self, name: str, make_files: Files, root: Path, jobs: int):
        self.name = name
        self._make_files = make_files
        self._root = root
        self._process = None
        # Fork only a single-threaded process: a lock held by another thread at the
        # fork (a devserver's file watcher, say) would stay locked in the child.
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            # fork: the child sees the archive as it is, nothing is pickled.
            self._process = multiprocessing.get_context("fork").Process(
                target=self._child, name=f"briefings {name}", daemon=True
            )
            self._process.start()
            # The child has its own copy now: the parent lets go of what the
            # work was made from (the recap and entity pages' Markdown, say).
            self._make_files = None

    def _child(self) -> None:
        # A stop signal (Ctrl-C reaches the whole process group; the parent
        # terminates its helpers when the build stops) ends the helper quietly:
        # the parent reports the interruption, once.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        try:
            write_files(self._root, self._make_files())
        except BaseException as error:  # one line, like every other failure; the parent says the rest
            print(f"briefings: {self.name} failed: {type(error).__name__}: {error}", file=sys.stderr)
            sys.stderr.flush()
            os._exit(1)

    def wait(self) -> None:
        """Return when the files are written; raise if they could not be."""
        if self._process is None:
            write_files(self._root, self._make_files())
            return
        self._process.join()
        if self._process.exitcode != 0:
            raise RuntimeError(f"{self.name} failed in its process (exit status {self._process.exitcode})")

    def cancel(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join()
