"""Peak memory of every process of a command, such as a build and its forked
search process:

    python bench/process_memory.py -- .venv/bin/python -m briefings --content DIR --output OUT

Samples ``/proc`` every 20 ms for the command and its descendants and prints,
per process, its peak resident set (``VmHWM``: this counts the pages a forked
child still shares with its parent, so a child starts at its parent's size) and
the most private memory it held at a sample (``Private_Clean`` +
``Private_Dirty`` of ``smaps_rollup``: what it alone holds; a short spike
between two samples can be missed). Linux only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

PROC = Path("/proc")
INTERVAL = 0.02


def parents() -> dict[int, int]:
    """Every process's parent, from ``/proc/PID/stat`` (field 4, after the name)."""
    found = {}
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            found[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):  # the process ended meanwhile
            pass
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    parent_of = parents()
    pids, at = [pid], 0
    while at < len(pids):
        pids += [child for child, parent in parent_of.items() if parent == pids[at]]
        at += 1
    return pids


def kib(text: str, field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(found.group(1)) if found else 0


def sample(pid: int) -> tuple[int, int] | None:
    """(VmHWM, private) in KiB, or None once the process is gone."""
    try:
        status = (PROC / str(pid) / "status").read_text()
        rollup = (PROC / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return None
    return kib(status, "VmHWM"), kib(rollup, "Private_Clean") + kib(rollup, "Private_Dirty")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="+", help="the command to run (after --)")
    args = parser.parse_args(argv)
    process = subprocess.Popen(args.command)
    peaks: dict[int, list[int]] = {}  # pid -> [VmHWM, private], in the order first seen
    while process.poll() is None:
        for pid in tree(process.pid):
            seen = sample(pid)
            if seen:
                peak = peaks.setdefault(pid, [0, 0])
                peak[0], peak[1] = max(peak[0], seen[0]), max(peak[1], seen[1])
        time.sleep(INTERVAL)
    for number, (pid, (hwm, private)) in enumerate(peaks.items()):
        role = "the command" if number == 0 else "a child"
        print(
            f"process {pid} ({role}): peak resident {hwm / 1024:,.0f} MiB, peak private {private / 1024:,.0f} MiB",
            file=sys.stderr,
        )
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main())
