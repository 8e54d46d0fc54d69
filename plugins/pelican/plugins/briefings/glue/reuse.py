"""Incremental builds: what a build may take over from the last one (no Pelican).

Three caches, in ``BRIEFINGS_CACHE_DIR`` (``build/cache``):

- ``renders.marshal``: results of pure functions of text, by a hash of the text:
  the HTML markdown-it made of each document body (an entry whose Markdown did
  not change is not rendered again), and the newsletter files of each recap.
- ``pages.json``: for each entry and day page of the last build, a fingerprint
  of everything the page shows (its HTML, title, panels, neighbours, the theme,
  the plugin's code and the settings), with the written file's size and mtime.
  A page whose fingerprint is unchanged is linked from the last output instead
  of being rendered, if that file is still the one the last build wrote.

- ``search/``: the search index's files (term parts, entries' table, manifest), in a file named by a hash of
  everything they are made from (search.index_inputs); entries that did not
  change are not indexed again. Files the last build did not use are removed.

None can change what a build writes, only how fast: a rebuild is
byte-identical to a cold build of the same content (tests/test_incremental.py).
A cache that cannot be read (missing, from another version, damaged) is a cold
build, never an error. ``python -m briefings --fresh`` ignores both.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import pickle
from pathlib import Path

from ..files import link_or_copy, replace_file

FORMAT = 1  # bump when what is cached, or how, changes
RENDERS, PAGES = "renders.marshal", "pages.json"


def digest(*parts) -> str:
    """A fingerprint of values that pickle writes the same way every time (str,
    numbers, dates, tuples; never sets). Pickled, not ``repr``'d: half the time,
    and a rebuild fingerprints every page (digests took 2.9 s of a rebuild at
    10,000 entries). Equal bytes are equal values, so a page is never reused
    wrongly; equal values written otherwise (other sharing of equal strings, another
    Python) only have a page rendered again."""
    return hashlib.sha256(pickle.dumps(parts, protocol=5)).hexdigest()


def code_version(*folders: Path) -> str:
    """Every file of the plugin and the theme: a change to either re-renders all."""
    hasher = hashlib.sha256(str(FORMAT).encode())
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def settings_version(settings: dict, ignore: tuple[str, ...]) -> str:
    """The settings as JSON (objects by type name), without those that name where
    this build writes."""
    kept = {key: value for key, value in settings.items() if key not in ignore}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, default=lambda o: type(o).__name__).encode()).hexdigest()


class RenderCache:
    """Text -> what a pure function makes of it (a str, or a tuple of them), per
    kind of function. Only what this build used is saved."""

    def __init__(self, folder: Path | None, fresh: bool = False):
        """``fresh``: read nothing from ``folder``, only save there."""
        self.path = folder / RENDERS if folder else None
        self.old: dict[bytes, str] = {}
        self.used: dict[bytes, str] = {}
        if self.path and not fresh and self.path.is_file():
            # One marshalled (key, value) pair after another, after the format number:
            # read and written a pair at a time, never as one buffer of every page.
            try:
                with open(self.path, "rb") as file:
                    if marshal.load(file) == FORMAT:
                        while file.peek(1):
                            key, value = marshal.load(file)
                            self.old[key] = value
            except (ValueError, EOFError, TypeError, OSError):
                self.old = {}

    def render(self, body: str, render) -> str:
        """``render(body)``: the HTML of a Markdown document's body."""
        return self.made("html", body, render)

    @staticmethod
    def key(kind: str, text: str) -> bytes:
        return hashlib.sha1(kind.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).digest()

    def known(self, kind: str, text: str) -> bool:
        key = self.key(kind, text)
        return key in self.used or key in self.old

    def add(self, key: bytes, value) -> None:
        """A value made elsewhere (another process) for ``key``: used if asked for."""
        self.old[key] = value

    def made(self, kind: str, text: str, make):
        key = self.key(kind, text)
        value = self.used.get(key)
        if value is None:
            value = self.old.get(key)
        if value is None:
            value = make(text)
        self.used[key] = value
        return value

    def save(self) -> None:
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(self.path.name + ".partial")
            with open(partial, "wb") as file:
                marshal.dump(FORMAT, file)
                for pair in self.used.items():
                    marshal.dump(pair, file)
            os.replace(partial, self.path)


class FileMemo:
    """Like RenderCache, for large values (a tuple of str): one file per value in
    ``folder``, read only when asked for, so a build never holds them all."""

    def __init__(self, folder: Path | None, version: str, fresh: bool = False):
        self.folder, self.version, self.fresh = folder, version, fresh
        self.used: set[str] = set()

    def made(self, kind: str, text: str, make) -> tuple:
        if self.folder is None:
            return tuple(make(text))
        hasher = hashlib.sha256(f"{FORMAT}\0{self.version}\0{kind}\0".encode())
        hasher.update(text.encode("utf-8", "surrogatepass"))
        path = self.folder / f"{hasher.hexdigest()}.marshal"
        self.used.add(path.name)
        if not self.fresh:
            try:
                value = marshal.loads(path.read_bytes())
                if isinstance(value, tuple):
                    return value
            except (OSError, ValueError, EOFError, TypeError):
                pass
        value = tuple(make(text))
        replace_file(path, marshal.dumps(value))
        return value

    def prune(self) -> None:
        """Remove the values this build did not use (older months' old versions)."""
        if self.folder is not None and self.folder.is_dir():
            for path in self.folder.glob("*.marshal"):
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


class PickleMemo:
    """Results of pure functions of the input, kept from one build to the next in
    one file per kind (``parsed.pickle``: each dump's parsed model; ``mentions.pickle``:
    each entry text's names and ordinary words). Keyed by a digest of everything the
    function reads and the plugin's version; only what this build used is saved.

    Pickle, as Pelican's own content cache: the file is the build's own, in its
    cache folder, never an input. One that cannot be read is an empty memo."""

    def __init__(self, path: Path | None, version: str, fresh: bool = False):
        self.path, self.version = path, version
        self.old: dict[str, object] = {}
        self.used: dict[str, object] = {}
        if path and not fresh and path.is_file():
            try:
                with open(path, "rb") as file:
                    stored = pickle.load(file)
                if stored.get("format") == FORMAT and stored.get("version") == version:
                    self.old = stored["values"]
            except Exception:  # noqa: BLE001 - any damage is a cold build, never an error
                self.old = {}

    @staticmethod
    def key(*parts) -> str:
        return digest(*parts)

    def get(self, key: str, make):
        """The value stored for ``key``, or ``make()``'s."""
        if key in self.used:
            return self.used[key]
        value = self.old[key] if key in self.old else make()
        self.used[key] = value
        return value

    def save(self) -> None:
        """Only when this build made something new or left something out. The
        memo is done with then, and lets go of what it held: each entry's terms
        and names would otherwise stay in memory for the rest of the build
        (about 100 MiB at 10,000 entries), when the results built from them
        are all that is used."""
        if self.path and (self.used.keys() != self.old.keys() or not self.path.is_file()):
            data = pickle.dumps(
                {"format": FORMAT, "version": self.version, "values": self.used}, protocol=pickle.HIGHEST_PROTOCOL
            )
            replace_file(self.path, data)
        self.old, self.used = {}, {}


class PageReuse:
    """Pages of the last output whose fingerprint is unchanged, linked instead of rendered."""

    def __init__(self, folder: Path | None, site: Path | None, version: str, fresh: bool = False):
        self.path = folder / PAGES if folder else None
        self.previous = site  # the folder the last complete site is in, and this one will be
        self.version = version
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        self.reused = self.rendered = 0
        self.folders: set[Path] = set()  # folders of the new site made so far
        if self.path and self.previous and not fresh and self.path.is_file():
            try:
                manifest = json.loads(self.path.read_text(encoding="utf-8"))
                if (manifest.get("format"), manifest.get("output"), manifest.get("version")) == (
                    FORMAT,
                    str(self.previous),
                    version,
                ):
                    self.old = manifest["pages"]
            except (ValueError, KeyError, TypeError, OSError):
                self.old = {}

    def reuse(self, name: str, fingerprint: str, output: Path) -> bool:
        """Link ``name`` from the last output into ``output`` if it is what this
        build would write; True when done."""
        known = self.old.get(name)
        if not known or known[0] != fingerprint:
            return False
        source = self.previous / name
        try:
            stat = source.stat()
        except OSError:
            return False
        if [stat.st_size, stat.st_mtime_ns] != known[1:]:
            return False  # changed or replaced since the last build wrote it
        target = output / name
        if target.parent not in self.folders:  # one mkdir per folder, not per page
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        self.reused += 1
        if link_or_copy(source, target):  # the same file: its size and time
            self.new[name] = [fingerprint, stat.st_size, stat.st_mtime_ns]
        else:  # a copy (another file system), of its own time
            self.record(name, fingerprint, output)
        return True

    def record(self, name: str, fingerprint: str, output: Path) -> None:
        stat = (output / name).stat()
        self.new[name] = [fingerprint, stat.st_size, stat.st_mtime_ns]

    def save(self) -> None:
        if self.path and self.previous:
            manifest = {"format": FORMAT, "output": str(self.previous), "version": self.version, "pages": self.new}
            replace_file(self.path, json.dumps(manifest, sort_keys=True).encode("utf-8"))
