"""What a build shows while it runs: phases with bars on a terminal, nothing elsewhere.

A build calls ``start(phase, total)``, ``advance()`` and ``stop()`` through its
``PhaseTimer`` (glue/timing.py). On a terminal, ``Bars`` draws them with rich (a
dependency of Pelican's already) on standard error; without one (CI, a pipe, a
log file) ``Quiet`` draws nothing, so a build's output stays a few lines.
"""

from __future__ import annotations

import sys
import time
from typing import Protocol


class Progress(Protocol):
    def start(self, phase: str, total: int | None = None) -> None: ...
    def advance(self, steps: int = 1) -> None: ...
    def stop(self) -> None: ...


class Quiet:
    """Shows nothing."""

    def start(self, phase: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def stop(self) -> None:
        pass


class Bars:
    """One line per phase on standard error: a bar where the phase knows how many
    steps it has, a spinner and a count where it does not. Finished phases stay
    on screen with their time, so the last screen shows where the time went."""

    def __init__(self, stream=None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description:<34}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream or sys.stderr),
            transient=False,
            # No refresh thread: the build forks its helpers only while it is
            # single-threaded (glue/jobs.py), so the screen is redrawn on advance.
            auto_refresh=False,
        )
        self._task = None
        self._drawn = 0.0
        self._progress.start()

    def start(self, phase: str, total: int | None = None) -> None:
        self._finish_task()
        self._task = self._progress.add_task(phase, total=total)
        self._draw(now=True)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)
            self._draw()

    def _draw(self, now: bool = False) -> None:
        moment = time.monotonic()
        if now or moment - self._drawn > 0.1:
            self._drawn = moment
            self._progress.refresh()

    def _finish_task(self) -> None:
        if self._task is not None:
            task = next(task for task in self._progress.tasks if task.id == self._task)
            self._progress.update(self._task, total=task.completed or 1, completed=task.completed or 1)
            self._task = None

    def stop(self) -> None:
        self._finish_task()
        self._draw(now=True)
        self._progress.stop()


def for_stream(stream, quiet: bool = False) -> Progress:
    """Bars on a terminal, unless ``quiet``; nothing otherwise."""
    isatty = getattr(stream, "isatty", None)
    if quiet or not (isatty and isatty()):
        return Quiet()
    return Bars(stream)
