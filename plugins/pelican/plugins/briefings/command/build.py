"""``briefings build``: build a site with Pelican, safely (the command is cli.py).

What it adds to plain ``pelican``:
- the site is built into a temporary folder beside the output and swapped in only
  when the build finished, so a failed or interrupted build (an exception, an
  error logged by Pelican, Ctrl-C, SIGTERM) leaves the last good site untouched;
  what a killed build leaves behind (SIGKILL, a power cut) is cleared by the next;
- one build at a time writes an output folder (a lock file beside it), and one
  at a time uses a Markdown or cache folder;
- it only ever replaces or removes a folder a build of ours made (``MARK`` at its
  root, or a site of an earlier version: ``LEGACY_SIGNS``), and refuses outputs
  that are, hold or lie inside the user's own folders (``check_places``);
- input problems are one line each, and decide the exit status: 1 if any input
  had an error (after every good blog was built), also on warnings with
  ``--strict``; 0 with ``--keep-going`` (unless ``--strict``); 2 for a failure of
  the build itself; 128 + the signal's number when interrupted.
"""

from __future__ import annotations

import fcntl
import gc
import json
import logging
import multiprocessing
import shutil
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .. import urls

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_BUILD_FAILED = 0, 1, 2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Written at the root of every site this command builds: only a folder carrying it
# is ever replaced or removed. A site built before the mark existed is recognised
# by files only our build writes (the JSON API's entries and the search folder).
MARK, MARK_TEXT = urls.SITE_MARK, urls.SITE_MARK_TEXT
LEGACY_SIGNS = ("api/entries.json", "search/manifest.js")
MESSAGE_MAX = 300  # characters of an exception's text in a one-line failure


class Refused(Exception):
    """The build will not start: ``str()`` is the one line saying why and what to do."""


class WithoutRelativeFeedWarning(logging.Filter):
    """A site built without SITEURL is meant for disk and sub-paths; its feeds'
    links are relative on purpose (README, "Publishing"), so Pelican's warning
    about them on every `make html` is noise. `make publish` sets SITEURL."""

    def filter(self, record):
        return "Feeds generated without SITEURL" not in str(record.msg)


def setting_value(text: str):
    """``--set`` values are JSON when they parse as JSON (``true``, ``3``,
    ``["a"]``), else plain strings, like ``pelican -e``."""
    if text == "None":  # Python's spelling, as in the settings file (`make html CACHE=None`)
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class Interrupted(BaseException):
    """A stop signal arrived. A BaseException, like KeyboardInterrupt, so that no
    ``except Exception`` in Pelican or a plugin swallows it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def interruptible():
    """SIGINT, SIGTERM and SIGHUP raise ``Interrupted`` (SIGTERM would otherwise end
    the process on the spot, leaving its temporary folder), then are ignored
    while the clean-up runs. The previous handlers come back on leaving."""

    def stop(signum, frame):
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def signals_held():
    """Stop signals wait until the block is done (delivered when it ends)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _sibling(output: Path, suffix: str) -> Path:
    return output.with_name(f".{output.name}.{suffix}")


@contextmanager
def exclusive(output: Path, what: str = "into"):
    """Hold the lock file beside a folder: one build at a time swaps a site into
    an output, or writes a Markdown or cache folder."""
    with open(_sibling(output, "lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"briefings: waiting for another build {what} {output} to finish", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def is_ours(folder: Path) -> bool:
    """A site this command built: the mark, or an earlier version's own files."""
    return (folder / MARK).is_file() or all((folder / sign).is_file() for sign in LEGACY_SIGNS)


def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it."""
    return path == folder or folder in path.parents


def check_places(output: Path, places: dict[str, Path | None]) -> None:
    """Refuse an output that would take the user's own files with it when it is
    replaced: one that is or holds any of ``places`` (the content, settings, theme,
    Markdown and cache folders, the current and the home folder), or lies inside
    one the build reads or writes itself (all but the last three); then one that
    exists, is not empty and was not built by us. The Markdown and cache folders
    must not be, hold or lie inside the content folder (their stale files are
    removed)."""
    proceed = "choose an output folder of its own, e.g. --output output (make html OUTPUT=output)"
    # The folder the output is, if any, says most: checked first.
    for name, place in sorted(places.items(), key=lambda item: item[1] != output):
        if place is None:
            continue
        if _within(place, output):
            what = "is" if place == output else "contains"
            raise Refused(
                f"the output folder {output} {what} the {name} {place}, which a build would delete: {proceed}"
            )
        if name not in ("settings file's folder", "current folder", "home folder") and _within(output, place):
            raise Refused(f"the output folder {output} lies inside the {name} {place}: {proceed}")
    content = places.get("content folder")
    for name in ("Markdown folder", "cache folder"):
        place = places.get(name)
        if place is not None and content is not None and (_within(place, content) or _within(content, place)):
            raise Refused(
                f"the {name} {place} and the content folder {content} overlap: give the {name} a place of its own, "
                f"e.g. {'build/markdown' if name.startswith('Markdown') else 'build/cache'}"
            )
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise Refused(f"the output {output} is not a folder: remove it, or choose another output folder")
    if output.is_dir() and any(output.iterdir()) and not is_ours(output):
        raise Refused(
            f"the output folder {output} is not empty and was not built by Briefings (no {MARK} in it): "
            "choose an empty or new output folder, or move its files away first"
        )
    old = _sibling(output, "old")  # where the swap moves the last site aside
    if (old.exists() or old.is_symlink()) and not (old.is_dir() and not old.is_symlink() and is_ours(old)):
        raise Refused(f"{old} is in the way and was not built by Briefings: move it away, then build again")


def places_of(args, settings: dict) -> dict[str, Path | None]:
    from ..glue.settings import setting

    def folder(value):
        return None if value in (None, "") else Path(value).expanduser().resolve()

    return {
        "content folder": folder(settings["PATH"]),
        "settings file's folder": Path(args.settings).resolve().parent,
        "theme": folder(settings.get("THEME")),
        "Markdown folder": folder(setting(settings, "BRIEFINGS_MARKDOWN_DIR")),
        "cache folder": folder(setting(settings, "BRIEFINGS_CACHE_DIR")),
        "current folder": Path.cwd().resolve(),
        "home folder": Path.home().resolve(),
    }


def one_line(error: BaseException) -> str:
    """An exception as a short line: a failure of many files is one reason, not a list."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= MESSAGE_MAX else text[: MESSAGE_MAX - 1] + "\u2026"


def clear_leftovers(output: Path) -> None:
    """What a killed build left: its temporary folders, and a site moved aside
    but not yet replaced (put back: it is the last good one). Only called with
    the lock held, so no other build is using them."""
    old = _sibling(output, "old")
    if old.is_dir() and not old.is_symlink() and is_ours(old) and not output.exists():
        old.rename(output)
    # Names only mkdtemp in build() and discard() make: a killed build's folder, and
    # an old site whose removal was stopped (one still under way is left to it).
    ours = (f".{output.name}.building-", f".{output.name}.removing-")
    for leftover in output.parent.iterdir():
        if leftover.name.startswith(ours) and leftover.is_dir() and not leftover.is_symlink():
            if being_removed(leftover):
                continue
            shutil.rmtree(leftover, ignore_errors=True)
    if old.is_dir() and not old.is_symlink() and is_ours(old):
        shutil.rmtree(old)


def swap_in(built: Path, output: Path) -> None:
    """Replace ``output`` by ``built`` with two renames, keeping the old one until
    the new one is in place; stop signals wait until both are done."""
    old = _sibling(output, "old")
    if old.exists() or old.is_symlink():
        raise Refused(f"{old} is in the way and was not built by Briefings: move it away, then build again")
    with signals_held():
        if output.exists():
            output.rename(old)
        built.rename(output)
    if old.exists() and is_ours(old):
        discard(old, output)


# Run by a process of its own (discard): the folder given, removed, its REMOVING
# file last. It holds the lock on that file that it was handed (its standard input).
REMOVE = (
    "import shutil, sys; "
    "shutil.rmtree(sys.argv[1] + '/site', ignore_errors=True); shutil.rmtree(sys.argv[1], ignore_errors=True)"
)
REMOVING = ".removing"


def being_removed(folder: Path) -> bool:
    """A process is removing ``folder`` (discard): its lock file is locked."""
    try:
        with open(folder / REMOVING, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def discard(old: Path, output: Path) -> None:
    """Remove the site ``output`` replaced without waiting for it: a site is tens of
    thousands of files (about 5 s to unlink at 10,000 entries), which the new site
    does not need. Moved into a folder of a name only this makes, then removed by
    a process of its own that outlives the build, holding a lock on a file in it
    from the start; a removal that was stopped (a machine shut down meanwhile)
    the next build finishes (``clear_leftovers``)."""
    trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.removing-", dir=output.parent))
    old.rename(trash / "site")
    with open(trash / REMOVING, "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # handed on: the child's copy keeps it once this one closes
        try:
            subprocess.Popen(
                [sys.executable, "-c", REMOVE, str(trash)],
                stdin=lock,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # neither Ctrl-C nor the build's end stops it
            )
        except OSError:  # no process to be had: removed here
            shutil.rmtree(trash, ignore_errors=True)


def run(args) -> int:
    output = None
    try:
        with interruptible():
            try:
                settings = load_settings(args)
            except Exception as error:  # a missing theme, a settings file that does not run
                if args.debug:
                    raise
                print(f"briefings: cannot read the settings: {type(error).__name__}: {error}", file=sys.stderr)
                return EXIT_BUILD_FAILED
            output = Path(args.output or settings["OUTPUT_PATH"]).expanduser().resolve()
            try:
                places = places_of(args, settings)
                check_places(output, places)
                output.parent.mkdir(parents=True, exist_ok=True)
                with ExitStack() as locks:
                    locks.enter_context(exclusive(output))
                    # Builds into other outputs may share these: one at a time.
                    for name in ("Markdown folder", "cache folder"):
                        if places[name] is not None:
                            places[name].parent.mkdir(parents=True, exist_ok=True)
                            locks.enter_context(exclusive(places[name], "using"))
                    clear_leftovers(output)
                    check_places(output, places)  # a killed build's site may have come back
                    return build(args, settings, output)
            except Refused as refusal:
                print(f"briefings: {refusal}", file=sys.stderr)
                return EXIT_BUILD_FAILED
            except OSError as error:  # a read-only or full disk, a folder that cannot be made
                if args.debug:
                    raise
                where = f" ({error.filename})" if error.filename else ""
                print(
                    f"briefings: cannot write the site{where}: {error.strerror or error}: "
                    f"check the permissions and free space there, or choose another output folder",
                    file=sys.stderr,
                )
                return EXIT_BUILD_FAILED
    except Interrupted as stop:
        name = signal.Signals(stop.signum).name
        # Before the swap that is the previous site; a signal held during the swap
        # arrives after it, and then it is the new one: complete either way.
        print(
            f"briefings: interrupted by {name}" + (f"; {output} holds the last complete site" if output else ""),
            file=sys.stderr,
        )
        return 128 + stop.signum


def load_settings(args) -> dict:
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    # fatal="errors": an error Pelican logs and would carry on from (a file it could
    # not read, say) fails the build, so a site missing pages is never swapped in.
    level = logging.DEBUG if args.debug else logging.INFO if args.verbose else logging.WARNING
    init_logging(level=level, fatal="errors")
    logging.getLogger("pelican.settings").addFilter(WithoutRelativeFeedWarning())
    override = {name: setting_value(value) for name, value in (item.split("=", 1) for item in args.set)}
    if args.content:
        override["PATH"] = str(Path(args.content).resolve())
    return read_settings(args.settings, override=override)


# A build makes millions of long-lived objects (the archive, its annotations,
# Pelican's articles) and few garbage cycles: with Python's default thresholds
# (700, 10, 10) the cycle collector ran 3,742 times in a 10,000-entry build, 2.2 s
# of the parent's CPU; with these, 100 times and 0.7 s, the peak memory 537 ->
# 540 MiB (docs/benchmarks.md). Only for the build, then put back.
BUILD_GC_THRESHOLDS = (20_000, 50, 20)


@contextmanager
def fewer_collections():
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(args, settings: dict, output: Path) -> int:
    from pelican import Pelican, signals

    from ..glue.settings import CONTEXT_KEY
    from ..glue.timing import clocks
    from .progress import Quiet

    building = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    building.chmod(0o755)  # mkdtemp's 0700 would hide the swapped-in site from a web server's user
    (building / MARK).write_text(MARK_TEXT, encoding="utf-8")
    # Pages the last build wrote can be reused from the site in place (reuse.py).
    progress = args.progress
    settings = dict(
        settings,
        OUTPUT_PATH=str(building),
        BRIEFINGS_FRESH=args.fresh,
        BRIEFINGS_SITE_OUTPUT=str(output),
        BRIEFINGS_PROGRESS=progress,
    )
    states = []

    def remember(generators):
        states.extend(g.context[CONTEXT_KEY] for g in generators if CONTEXT_KEY in g.context)
        if states:  # Pelican's own reading: the time so far that none of our phases took
            states[0].timer.rest("pelican: read", started)
        progress.start("pelican: write entry, category, tag pages")

    def written(path, context):
        progress.advance()

    def finished(pelican):
        # Only Pelican's "Done: Processed …" line follows this signal: our summary
        # line says it, so with bars or --quiet it is not shown twice. (Quieting
        # its console earlier would hide the errors Pelican logs through it.)
        if args.quiet or not isinstance(progress, Quiet):
            pelican_console().quiet = True

    signals.all_generators_finalized.connect(remember)
    signals.content_written.connect(written)
    signals.finalized.connect(finished)
    started = clocks()
    try:
        try:
            with fewer_collections():
                Pelican(settings).run()
        except Exception as error:  # a bug or an environment failure, not bad input
            if args.debug:
                raise
            print(f"briefings: build failed, {output} left as it was: {one_line(error)}", file=sys.stderr)
            return EXIT_BUILD_FAILED
        if states:  # and its writing: the time since then that none of ours took
            states[0].timer.rest("pelican: write", started)
        (building / MARK).write_text(MARK_TEXT, encoding="utf-8")  # in case the build emptied its folder
        swap_in(building, output)
    finally:
        progress.stop()
        pelican_console().quiet = False
        signals.all_generators_finalized.disconnect(remember)
        signals.content_written.disconnect(written)
        signals.finalized.disconnect(finished)
        # A build that stopped early may leave forked helpers (background.py) still
        # writing into the temporary folder: stop them before removing it.
        for child in multiprocessing.active_children():
            child.terminate()
            child.join()
        shutil.rmtree(building, ignore_errors=True)  # gone already when swapped in
    if args.timings and states:
        Path(args.timings).write_text(json.dumps(states[0].timer.as_json(), indent=1) + "\n", encoding="utf-8")

    problems = states[0].problems if states else ()
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    blogs = len(states[0].archive.blogs) if states else 0
    entries = len(states[0].archive.posts) if states else 0
    pages = states[0].pages if states else None
    reused = f", {pages.reused} of {pages.reused + pages.rendered} pages reused" if pages and pages.reused else ""
    if args.verbose and states:
        for phase, seconds in states[0].timer.wall.items():
            print(f"briefings: {phase}: {seconds:.2f} s", file=sys.stderr)
    if not args.quiet:
        print(
            f"briefings: built {blogs} blogs, {entries} entries into {output}{reused}; "
            f"{len(errors)} errors, {len(warnings)} warnings",
            file=sys.stderr,
        )
    if errors or (args.strict and warnings):
        return EXIT_OK if args.keep_going and not args.strict else EXIT_INPUT_ERRORS
    return EXIT_OK


def pelican_console():
    from pelican.log import console

    return console
