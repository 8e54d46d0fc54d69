"""The ``briefings`` command: ``build``, ``check``, ``new`` and ``serve``.

``briefings`` alone, or with options only, builds (``python -m
pelican.plugins.briefings`` is the same command), so the Makefile's calls and
older scripts keep working.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .build import EXIT_BUILD_FAILED, run

COMMANDS = ("build", "check", "new", "serve")
SETTINGS_FILES = ("pelican.conf.py", "pelicanconf.py")


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--settings", default=None, help="Pelican settings file (default: pelican.conf.py, or else pelicanconf.py)"
    )
    parser.add_argument("--content", default=None, help="content folder (dumps in CONTENT/blogs/); default: PATH")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting (JSON or a string), e.g. --set SITEURL=https://example.org",
    )
    parser.add_argument("--strict", action="store_true", help="fail on warnings too (wins over --keep-going)")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="briefings",
        description="Briefings: saved live-blog pages -> a linked, searchable Pelican site.",
        epilog="`briefings COMMAND --help` shows each command's options; without a command, `build`.",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (the output is replaced only on success)")
    _site_options(build)
    build.add_argument("--output", default=None, help="output folder; default: OUTPUT_PATH")
    build.add_argument("--keep-going", action="store_true", help="exit 0 even if some inputs had errors")
    build.add_argument(
        "--fresh", action="store_true", help="reuse nothing from the last build (the cache is rewritten)"
    )
    build.add_argument("--timings", metavar="FILE", help="write the seconds each phase of the build took, as JSON")
    build.add_argument("--debug", action="store_true", help="show tracebacks of build failures")
    loudness = build.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print only the inputs' problems")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also Pelican's messages and each phase's time")

    check = commands.add_parser("check", help="read and check the inputs, build nothing")
    _site_options(check)

    new = commands.add_parser("new", help="start a new site with one sample blog, in a folder that is empty or new")
    new.add_argument("folder", help="where to create the site")
    new.add_argument("--title", default="My briefings", help="the site's name (default: %(default)s)")

    serve = commands.add_parser("serve", help="serve a built site on this machine (127.0.0.1)")
    serve.add_argument("--output", default="output", help="the built site (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve.add_argument("--bind", default="127.0.0.1", help="address (default: %(default)s)")
    return top


def parse_args(argv: list[str]) -> argparse.Namespace:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv = ["build", *argv]
    return parser().parse_args(argv)


def default_settings() -> str:
    """This project's name for the settings file, or else pelican-quickstart's."""
    return next((name for name in SETTINGS_FILES if Path(name).is_file()), SETTINGS_FILES[-1])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else list(argv))
    if getattr(args, "settings", "") is None:
        args.settings = default_settings()
    if args.command == "build":
        from .progress import for_stream

        args.progress = for_stream(sys.stderr, quiet=args.quiet)
        return run(args)
    if args.command == "check":
        from .check import check

        return check(args)
    if args.command == "new":
        from .starter import create

        return create(args.folder, args.title)
    if args.command == "serve":
        from .serve import serve

        return serve(args.output, args.bind, args.port)
    return EXIT_BUILD_FAILED  # pragma: no cover - argparse allows only the commands above


def command() -> None:
    """The ``briefings`` command (and ``python -m pelican.plugins.briefings``):
    ``main``, then the process ends without tearing the interpreter down. A
    build leaves its archive, annotations and Articles in memory, and freeing
    them one by one at exit took 1.5-3.0 s after a 10,000-entry build; every file
    is written and closed by then, so only the logs and the standard streams
    are flushed."""
    status = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``briefings build | head``): nothing to save
            pass
    os._exit(int(status or 0))
