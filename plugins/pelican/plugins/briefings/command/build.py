"""``briefings build``: build a site with Pelican, safely (the command is cli.py).

What it adds to plain ``pelican``:
- the site is built into a temporary folder beside the output and swapped in only
  when the build finished, so a failed or interrupted build (an exception, an
  error logged by Pelican, Ctrl-C, SIGTERM) leaves the last good site untouched;
  what a killed build leaves behind (SIGKILL, a power cut) is cleared by the next;
- one build at a time writes an output folder (a lock file beside it);
- input problems are one line each, and decide the exit status: 1 if any input
  had an error (after every good blog was built), also on warnings with
  ``--strict``; 0 with ``--keep-going`` (unless ``--strict``); 2 for a failure of
  the build itself; 128 + the signal's number when interrupted.
"""

from __future__ import annotations

import fcntl
import json
import logging
import multiprocessing
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_BUILD_FAILED = 0, 1, 2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class WithoutRelativeFeedWarning(logging.Filter):
    """A site built without SITEURL is meant for disk and sub-paths; its feeds'
    links are relative on purpose (README, "Publishing"), so Pelican's warning
    about them on every `make html` is noise. `make publish` sets SITEURL."""

    def filter(self, record):
        return "Feeds generated without SITEURL" not in str(record.msg)


def setting_value(text: str):
    """``--set`` values are JSON when they parse as JSON (``true``, ``3``,
    ``["a"]``), else plain strings, like ``pelican -e``."""
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
def exclusive(output: Path):
    """Hold the output's lock file: one build at a time swaps a site in."""
    with open(_sibling(output, "lock"), "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"briefings: waiting for another build into {output} to finish", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def clear_leftovers(output: Path) -> None:
    """What a killed build left: its temporary folders, and a site moved aside
    but not yet replaced (put back: it is the last good one). Only called with
    the lock held, so no other build is using them."""
    old = _sibling(output, "old")
    if old.is_dir() and not output.exists():
        old.rename(output)
    building = f".{output.name}.building-"
    for leftover in output.parent.iterdir():
        if leftover.name.startswith(building) and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    if old.is_dir():
        shutil.rmtree(old)


def swap_in(built: Path, output: Path) -> None:
    """Replace ``output`` by ``built`` with two renames, keeping the old one until
    the new one is in place; stop signals wait until both are done."""
    old = _sibling(output, "old")
    with signals_held():
        if output.exists():
            output.rename(old)
        built.rename(output)
    if old.exists():
        shutil.rmtree(old)


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
            output = Path(args.output or settings["OUTPUT_PATH"]).resolve()
            output.parent.mkdir(parents=True, exist_ok=True)
            with exclusive(output):
                clear_leftovers(output)
                return build(args, settings, output)
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


def build(args, settings: dict, output: Path) -> int:
    from pelican import Pelican, signals

    from ..glue.pelican_glue import CONTEXT_KEY
    from ..glue.timing import clocks
    from .progress import Quiet

    building = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    building.chmod(0o755)  # mkdtemp's 0700 would hide the swapped-in site from a web server's user
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
            Pelican(settings).run()
        except Exception as error:  # a bug or an environment failure, not bad input
            if args.debug:
                raise
            print(f"briefings: build failed, {output} left as it was: {type(error).__name__}: {error}", file=sys.stderr)
            return EXIT_BUILD_FAILED
        if states:  # and its writing: the time since then that none of ours took
            states[0].timer.rest("pelican: write", started)
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
