"""``briefings check``: read every input as a build would, report, build nothing.

The dumps and their YAML (parse, merge, catalog), then the gazetteer and the
editor's notes (annotate): each problem one line, as in a build, then one line
that sums up. The exit status is a build's: 1 when an input has an error (or a
warning, with ``--strict``), 2 when the settings cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import EXIT_BUILD_FAILED, EXIT_INPUT_ERRORS, EXIT_OK, load_settings


def check(args: argparse.Namespace) -> int:
    from ..glue.entries import annotate_archive, report
    from ..glue.settings import setting
    from ..ingest.catalog import build_archive
    from ..ingest.sources import load_blogs

    args.debug, args.verbose = False, False
    try:
        settings = load_settings(args)
    except Exception as error:  # a settings file that does not run, a missing theme
        print(f"briefings: cannot read the settings: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_BUILD_FAILED
    loaded = load_blogs(Path(settings["PATH"]) / setting(settings, "BRIEFINGS_BLOGS_DIR"))
    archive = build_archive(list(loaded.blogs))
    _, briefing_problems = annotate_archive(archive, settings)
    problems = loaded.problems + briefing_problems
    report(problems)
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    print(
        f"briefings: checked {len(archive.blogs)} blogs, {len(archive.posts)} entries on {len(archive.days)} days; "
        f"{errors} errors, {warnings} warnings",
        file=sys.stderr,
    )
    return EXIT_INPUT_ERRORS if errors or (args.strict and warnings) else EXIT_OK
