"""``python -m bench.profiled STATS ARGS...``: ``python -m briefings ARGS`` under cProfile.

Counts CPU time (``time.process_time``), not wall time, so that other work on
the machine does not inflate whatever phase it happened to overlap.
"""

import cProfile
import sys
import time

from pelican.plugins.briefings.command.cli import main

if __name__ == "__main__":
    profiler = cProfile.Profile(time.process_time)
    status = profiler.runcall(main, sys.argv[2:])
    profiler.dump_stats(sys.argv[1])
    raise SystemExit(status)
