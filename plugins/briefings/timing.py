"""How long each phase of one build took, for ``--timings FILE`` and the benchmark.

One ``PhaseTimer`` per build, kept in the build's state (never at module level,
so ``--autoreload`` runs do not add up). Wall-clock seconds; a phase entered
twice adds up.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class PhaseTimer:
    seconds: dict[str, float] = field(default_factory=dict)  # phase -> seconds, in the order first entered

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def total(self) -> float:
        return sum(self.seconds.values())
