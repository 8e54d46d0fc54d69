"""Work that can run on another core while Pelican reads and renders.

Annotate needs only the archive, and the entries' documents need nothing of
what it makes: a forked child annotates (ValueJob) while the parent writes and
reads them. The search index, the JSON API, and the HTML of the recap, entity and
then-and-now pages are made from the archive and the briefing alone and written
to files of their own: forked children make and write them (FilesJob) while the
parent reads days and renders pages (the machine this is built for has two
cores; ``make bench`` measures the gain). With one job, or where fork is
missing, the same work runs in the parent when its result is awaited.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import MappingProxyType

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


def _can_fork(jobs: int) -> bool:
    """More than one job, and fork to be had. Fork only a single-threaded process:
    a lock held by another thread at the fork (a devserver's file watcher, say)
    would stay locked in the child."""
    return jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _forked(target: Callable[[], None], name: str):
    """``target`` started in a forked child, which sees the archive as it is:
    nothing is pickled on the way in."""
    process = multiprocessing.get_context("fork").Process(target=target, name=f"briefings {name}", daemon=True)
    process.start()
    return process


def _in_child() -> None:
    """A stop signal (Ctrl-C reaches the whole process group; the parent
    terminates its helpers when the build stops) ends a helper quietly: the
    parent reports the interruption, once."""
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


def _failed(name: str, error: BaseException) -> None:
    """One line, like every other failure; the parent says the rest."""
    print(f"briefings: {name} failed: {type(error).__name__}: {error}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(1)


class FilesJob:
    """``make_files()`` computed, and its files written under ``root``, either in a
    forked child started now or in this process on ``wait()``."""

    def __init__(self, name: str, make_files: Files, root: Path, jobs: int):
        self.name = name
        self._make_files = make_files
        self._root = root
        self._process = None
        if _can_fork(jobs):
            self._process = _forked(self._child, name)
            # The child has its own copy now: the parent lets go of what the
            # work was made from (the recap and entity pages' Markdown, say).
            self._make_files = None

    def _child(self) -> None:
        _in_child()
        try:
            write_files(self._root, self._make_files())
        except BaseException as error:
            _failed(self.name, error)

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


class _Pickler(pickle.Pickler):
    """Objects of ``shared`` (which the parent has too, at the same address: the
    child is a fork) are written as their address, not copied; read-only
    mappings are written as the dicts they show."""

    def __init__(self, file, shared: dict[int, object]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared = shared

    def persistent_id(self, obj):
        key = id(obj)
        return key if key in self._shared and self._shared[key] is obj else None

    def reducer_override(self, obj):
        if type(obj) is MappingProxyType:
            return read_only, (dict(obj),)
        return NotImplemented


def _round_trips(error: Exception) -> bool:
    """Whether the parent can read ``error`` back (one whose ``__init__`` takes
    other arguments than its ``args`` cannot be)."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 - any failure means: hand over its one line instead
        return False
    return True


def read_only(mapping: dict) -> MappingProxyType:
    """A read-only view again (pickle cannot name the type itself)."""
    return MappingProxyType(mapping)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, shared: dict[int, object]):
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, key):
        return self._shared[key]


class ValueJob:
    """``make()``'s value, computed in a forked child started now (or in this
    process on ``result()``, with one job or where fork is missing), handed back
    through a pickle file in ``folder``. The value may refer to the objects of
    ``shared``: the parent gets its own back, not copies (so that the briefing
    made in the child names the very posts the parent's pages are made of). An
    exception ``make()`` raises is raised again by ``result()``."""

    def __init__(self, name: str, make: Callable[[], object], folder: Path, jobs: int, shared: Iterable[object] = ()):
        self.name = name
        self._make = make
        self._shared = {id(obj): obj for obj in shared}
        self._process = None
        if _can_fork(jobs):
            # Inside the folder being built, so that a failed build removes it with the rest.
            folder.mkdir(parents=True, exist_ok=True)
            handle, path = tempfile.mkstemp(prefix=".job-", suffix=".pickle", dir=folder)
            os.close(handle)
            self._path = Path(path)
            self._process = _forked(self._child, name)
            self._make = None  # the child has it; the parent lets go of what it holds

    def _child(self) -> None:
        _in_child()
        try:
            outcome = ("value", self._make())
        except Exception as error:  # raised again in the parent, as if made there
            outcome = ("error", error if _round_trips(error) else RuntimeError(f"{type(error).__name__}: {error}"))
        try:
            with open(self._path, "wb") as file:
                try:
                    _Pickler(file, self._shared).dump(outcome)
                except Exception as error:  # a value that cannot be pickled: its one line instead
                    file.seek(0)
                    file.truncate()
                    _Pickler(file, {}).dump(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        except BaseException as error:
            _failed(self.name, error)

    def ready(self) -> bool:
        """Whether ``result()`` would return at once: the child has ended. In
        one process, False: the value is made only when asked for."""
        return self._process is not None and not self._process.is_alive()

    def result(self):
        """The value, once made; raises what making it raised."""
        if self._process is None:
            return self._make()
        self._process.join()
        try:
            if self._process.exitcode != 0:
                raise RuntimeError(f"{self.name} failed in its process (exit status {self._process.exitcode})")
            with open(self._path, "rb") as file:
                kind, value = _Unpickler(file, self._shared).load()
        finally:
            self._path.unlink(missing_ok=True)
        if kind == "error":
            raise value
        return value
