"""The project's own error type: a file, a line and a reason, shown as one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file. ``line`` is 1-based, or None for the file."""

    path: str
    line: int | None
    reason: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.reason}"


class BriefingsError(Exception):
    """Raised for bad input. ``str()`` is the single line a user sees."""

    def __init__(self, path: str, line: int | None, reason: str):
        self.problem = Problem(str(path), line, reason)
        super().__init__(str(self.problem))

    @property
    def path(self) -> str:
        return self.problem.path

    @property
    def line(self) -> int | None:
        return self.problem.line

    @property
    def reason(self) -> str:
        return self.problem.reason

    def __reduce__(self):
        """Pickled as its three parts (annotate's process hands its errors back)."""
        return type(self), (self.problem.path, self.problem.line, self.problem.reason)
