"""``python -m briefings``: build a site with Pelican, safely.

What it adds to plain ``pelican``:
- the site is built into a temporary folder beside the output and swapped in only
  when the build finished, so a failed or interrupted build leaves the last good
  site untouched;
- input problems are one line each, and decide the exit status: 1 if any input
  had an error (after every good blog was built), also on warnings with
  ``--strict``; 0 with ``--keep-going``; 2 for a failure of the build itself.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

EXIT_OK, EXIT_INPUT_ERRORS, EXIT_BUILD_FAILED = 0, 1, 2


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m briefings", description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default="pelican.conf.py", help="Pelican settings file")
    parser.add_argument("--content", default=None, help="content folder (dumps in CONTENT/blogs/)")
    parser.add_argument("--output", default=None, help="output folder (replaced only on success)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--keep-going", action="store_true", help="exit 0 even if some inputs had errors")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting (JSON or a string), e.g. --set SITEURL=https://example.org")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of build failures")
    parser.add_argument("--timings", metavar="FILE", help="write the seconds each phase of the build took, as JSON")
    return parser.parse_args(argv)


def setting_value(text: str):
    """``--set`` values are JSON when they parse as JSON (``true``, ``3``,
    ``["a"]``), else plain strings, like ``pelican -e``."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def swap_in(built: Path, output: Path) -> None:
    """Replace ``output`` by ``built`` with two renames, keeping the old one until
    the new one is in place."""
    old = output.with_name(output.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if output.exists():
        output.rename(old)
    built.rename(output)
    if old.exists():
        shutil.rmtree(old)


def run(args) -> int:
    from pelican import Pelican, signals
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from .pelican_glue import CONTEXT_KEY
    from .timing import clocks

    init_logging(level=logging.DEBUG if args.debug else logging.WARNING)
    override = {name: setting_value(value) for name, value in (item.split("=", 1) for item in args.set)}
    if args.content:
        override["PATH"] = str(Path(args.content).resolve())
    settings = read_settings(args.settings, override=override)
    output = Path(args.output or settings["OUTPUT_PATH"]).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{output.name}.building-", dir=output.parent))
    settings["OUTPUT_PATH"] = str(building)

    states = []

    def remember(generators):
        states.extend(g.context[CONTEXT_KEY] for g in generators if CONTEXT_KEY in g.context)
        if states:  # Pelican's own reading: the time so far that none of our phases took
            states[0].timer.rest("pelican: read", started)

    signals.all_generators_finalized.connect(remember)
    started = clocks()
    try:
        Pelican(settings).run()
    except Exception as error:  # a bug or an environment failure, not bad input
        shutil.rmtree(building, ignore_errors=True)
        if args.debug:
            raise
        print(f"briefings: build failed, {output} left as it was: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    finally:
        signals.all_generators_finalized.disconnect(remember)
    if states:  # and its writing: the time since then that none of ours took
        states[0].timer.rest("pelican: write", started)
    swap_in(building, output)
    if args.timings and states:
        Path(args.timings).write_text(json.dumps(states[0].timer.as_json(), indent=1) + "\n", encoding="utf-8")

    problems = states[0].problems if states else ()
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    blogs = len(states[0].archive.blogs) if states else 0
    entries = len(states[0].archive.posts) if states else 0
    print(f"briefings: built {blogs} blogs, {entries} entries into {output}; "
          f"{len(errors)} errors, {len(warnings)} warnings", file=sys.stderr)
    if args.keep_going:
        return EXIT_OK
    if errors or (args.strict and warnings):
        return EXIT_INPUT_ERRORS
    return EXIT_OK


def main(argv=None) -> int:
    return run(parse_args(sys.argv[1:] if argv is None else argv))
