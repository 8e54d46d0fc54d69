"""How long each phase of one build took, for ``--timings FILE`` and the benchmark.

One ``PhaseTimer`` per build, kept in the build's state (never at module level,
so ``--autoreload`` runs do not add up). Each phase gets wall-clock seconds and
this process's CPU seconds: on a machine shared with other work, wall time
grows with the neighbours' load and CPU time much less. A phase entered twice
adds up. Phases are also shown as they run, by the ``progress`` the command
gives (command/progress.py: bars on a terminal, nothing elsewhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


def clocks() -> tuple[float, float]:
    """(wall, CPU) readings, to pass back to ``PhaseTimer.rest``."""
    return time.perf_counter(), time.process_time()


@dataclass
class PhaseTimer:
    wall: dict[str, float] = field(default_factory=dict)  # phase -> seconds, in the order first entered
    cpu: dict[str, float] = field(default_factory=dict)
    # start(name, total), advance(steps), stop(): see command/progress.py; None shows nothing.
    progress: Any = None

    @contextmanager
    def phase(self, name: str, total: int | None = None) -> Iterator[Callable[[], None]]:
        """Times the block; yields a function that counts one of its ``total`` steps."""
        wall, cpu = clocks()
        if self.progress is not None:
            self.progress.start(name, total)
        try:
            yield self.progress.advance if self.progress is not None else _nothing
        finally:
            now_wall, now_cpu = clocks()
            self.add(name, now_wall - wall, now_cpu - cpu)

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def rest(self, name: str, since: tuple[float, float]) -> None:
        """The time since ``since`` (from ``clocks()``) that no phase has yet
        taken, as phase ``name``: what happened around ours (Pelican's own work)."""
        wall, cpu = clocks()
        self.add(name, wall - since[0] - sum(self.wall.values()), cpu - since[1] - sum(self.cpu.values()))

    def as_json(self) -> dict:
        return {"wall": self.wall, "cpu": self.cpu}


def _nothing(steps: int = 1) -> None:
    pass
