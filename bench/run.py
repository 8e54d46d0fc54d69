"""``make bench``: our full build against plain Pelican on the same entries, per size.

    python -m bench.run --sizes 1000,10000 [--seed 1] [--repeat 3] [--profile] [--keep DIR]

For each size: generate a corpus (bench/corpus.py), then build it twice, each
build in a fresh process: ours (``python -m briefings``, as ``make html``) and
the baseline (plain ``pelican`` on one Markdown article per entry, default
python-markdown reader, ``simple`` theme; bench/baseline.py). Each build's wall
time, CPU time and peak memory (the child's maximum resident set size, from
``wait4``) are reported per entry and as a ratio ours/baseline, with our
build's phases (``--timings``). Printed as tables and saved as JSON under
bench/results/ with the machine it ran on and its load. ``--profile`` also runs
our build of the largest size under cProfile (CPU time) and saves the top of
the profile beside the JSON.

The machine may be shared: wall time then grows with the neighbours' load,
CPU time much less, so both are reported, each build is repeated (``--repeat``)
and the fastest run of each side is kept.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.baseline import SETTINGS as BASELINE_SETTINGS  # noqa: E402
from bench.baseline import write_articles  # noqa: E402
from bench.corpus import generate, next_days, one_more_day  # noqa: E402
from pelican.plugins.briefings.ingest.catalog import build_archive  # noqa: E402
from pelican.plugins.briefings.ingest.sources import load_blogs  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# Our phases in build order; those other branches add (annotate, search) show as absent until merged.
PHASES = (
    "parse",
    "catalog",
    "annotate",
    "markdown",
    "read entries",
    "read days",
    "read briefing pages",
    "pelican: read",
    "pelican: write",
    "write pages",
    "search",
    "write api",
    "write feeds, sitemap",
    "publish markdown",
)


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_mib: float  # maximum resident set size
    status: int
    pages: int  # .html files written

    def per_entry_ms(self, entries: int) -> float:
        return 1000 * self.wall / entries


def measure(command: list[str], *, env: dict, log: Path, output: Path) -> Run:
    """Runs ``command`` in a fresh process; its own peak RSS comes from wait4."""
    with log.open("w") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    pages = sum(1 for _ in output.rglob("*.html")) if output.exists() else 0
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode, pages)


def fastest(runs: list[Run]) -> Run:
    """The least wall and CPU time of the runs, and the most memory: the noise
    of a shared machine only ever adds time."""
    return Run(
        min(r.wall for r in runs),
        min(r.cpu for r in runs),
        max(r.peak_mib for r in runs),
        max(r.status for r in runs),
        runs[0].pages,
    )


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor() or "unknown",
    )
    mem_kib = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    versions = {}
    for name in ("pelican", "markdown-it-py", "Markdown", "Jinja2"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": versions,
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def our_command(content: Path, output: Path, markdown: Path, timings: Path, fresh: bool = True) -> list[str]:
    """A cold build (``--fresh``: nothing reused from an earlier one), or with
    ``fresh=False`` an incremental one (its cache beside the Markdown)."""
    return [
        sys.executable,
        "-m",
        "pelican.plugins.briefings",
        "--settings",
        str(ROOT / "pelican.conf.py"),
        "--content",
        str(content),
        "--output",
        str(output),
        "--set",
        f"BRIEFINGS_MARKDOWN_DIR={markdown}",
        "--set",
        f"BRIEFINGS_CACHE_DIR={markdown}-cache",
        "--timings",
        str(timings),
    ] + (["--fresh"] if fresh else [])


def same_files(one: Path, other: Path) -> bool:
    def files(folder: Path) -> dict:
        return {path.relative_to(folder): path for path in folder.rglob("*") if path.is_file()}

    ours, theirs = files(one), files(other)
    return ours.keys() == theirs.keys() and all(ours[name].read_bytes() == theirs[name].read_bytes() for name in ours)


@dataclass(frozen=True)
class Change:
    """A change to the corpus that a rebuild must follow: ``apply`` makes it,
    ``undo`` takes it back (for the next repetition); ``entries`` it changes;
    ``made`` says whether the corpus has it now."""

    name: str
    apply: Callable[[], None]
    undo: Callable[[], None]
    entries: int
    made: Callable[[], bool] = lambda: False


def one_more_day_change(content: Path, seed: int, on: date, name: str = "one more day") -> Change:
    """Issue 7, part 4: the next day of coverage, a new live page of 50 entries
    ``on`` that day."""
    day = one_more_day(seed=seed, day=on)

    def apply():
        for name, text in day.items():
            (content / "blogs" / name).write_text(text, encoding="utf-8")

    def undo():
        for name in day:
            (content / "blogs" / name).unlink()

    def made():
        return all((content / "blogs" / name).exists() for name in day)

    added = sum(text.count("published at") for name, text in day.items() if name.endswith(".txt"))
    return Change(name, apply, undo, added, made)


def correction_change(content: Path) -> Change:
    """Issue 15: a correction to one entry of an old day: one word of the oldest
    dump's oldest entry (the last in the file: live pages are newest first)."""
    dump = sorted((content / "blogs").glob("*.txt"))[0]
    original = dump.read_text(encoding="utf-8")
    at = original.rindex(" the ")
    corrected = original[:at] + " the corrected " + original[at + len(" the ") :]

    def apply():
        dump.write_text(corrected, encoding="utf-8")

    def undo():
        dump.write_text(original, encoding="utf-8")

    return Change("a correction", apply, undo, 1)


def bench_change(change: Change, repeat: int, work: Path, env: dict) -> dict:
    """``change`` made to the corpus built in ``work / "ours"`` (bench_size), then
    an incremental rebuild; then the cold build of the same content, which it
    must equal byte for byte. Repeated by taking the change back (an untimed
    rebuild) and making it once more. The change stays made at the end."""
    content, out, markdown = work / "content", work / "ours", work / "markdown"
    runs, timings = [], []
    log = work / "incremental.log"
    for attempt in range(repeat):
        if attempt:
            change.undo()
            back = measure(
                our_command(content, out, markdown, work / "back.json", fresh=False), env=env, log=log, output=out
            )
            if back.status != 0:
                raise SystemExit(f"bench: a build failed; see {log}")
        change.apply()
        timings_file = work / f"incremental-{attempt}.json"
        runs.append(
            measure(our_command(content, out, markdown, timings_file, fresh=False), env=env, log=log, output=out)
        )
        if runs[-1].status != 0:
            raise SystemExit(f"bench: a build failed; see {log}")
        timings.append(json.loads(timings_file.read_text()) if timings_file.exists() else {})
        print(f"bench:   {change.name}, incremental: {runs[-1].wall:.1f} s", file=sys.stderr, flush=True)
    cold_out = work / "cold-changed"
    cold = measure(
        our_command(content, cold_out, work / "cold-markdown", work / "cold.json"), env=env, log=log, output=cold_out
    )
    identical = same_files(out, cold_out)
    shutil.rmtree(cold_out)
    best = min(range(repeat), key=lambda i: runs[i].wall)
    print(
        f"bench:   cold build of the same content {cold.wall:.1f} s; identical output: {identical}",
        file=sys.stderr,
        flush=True,
    )
    return {
        "change": change.name,
        "added_entries": change.entries,
        "incremental": asdict(fastest(runs)),
        "cold": asdict(cold),
        "identical": identical,
        "time_ratio": fastest(runs).wall / cold.wall,
        "phases": timings[best].get("cpu", {}),
        "phases_wall": timings[best].get("wall", {}),
    }


def bench_size(entries: int, seed: int, repeat: int, work: Path, env: dict) -> dict:
    started = time.perf_counter()
    corpus = generate(entries, seed)
    content = work / "content"
    corpus.write(content)
    loaded = load_blogs(content / "blogs")
    if loaded.problems:
        raise SystemExit(f"bench: the generated corpus has problems: {loaded.problems[:3]}")
    articles = work / "baseline-content"
    write_articles(build_archive(list(loaded.blogs)), articles)
    del loaded
    prepared = time.perf_counter() - started
    print(
        f"bench: {entries:,} entries in {corpus.tally.blogs} blogs and {corpus.tally.days} days "
        f"(generated in {prepared:.1f} s); building...",
        file=sys.stderr,
        flush=True,
    )

    ours_runs, base_runs, timings = [], [], []
    for attempt in range(repeat):
        # Alternate, so a warm disk cache or a noisy neighbour favours neither.
        out, base_out = work / "ours", work / "baseline"
        timings_file = work / f"timings-{attempt}.json"
        ours_runs.append(
            measure(
                our_command(content, out, work / "markdown", timings_file), env=env, log=work / "ours.log", output=out
            )
        )
        timings.append(json.loads(timings_file.read_text()) if timings_file.exists() else {})
        base_runs.append(
            measure(
                [sys.executable, "-m", "pelican", str(articles), "-o", str(base_out), "-s", str(BASELINE_SETTINGS)],
                env=env,
                log=work / "baseline.log",
                output=base_out,
            )
        )
        for run, log in ((ours_runs[-1], "ours.log"), (base_runs[-1], "baseline.log")):
            if run.status != 0:
                raise SystemExit(f"bench: a build failed (exit {run.status}); see {work / log}")
        if attempt + 1 < repeat:
            shutil.rmtree(out)
            shutil.rmtree(base_out)
        print(
            f"bench:   ours {ours_runs[-1].wall:.1f} s, baseline {base_runs[-1].wall:.1f} s",
            file=sys.stderr,
            flush=True,
        )
    best = min(range(repeat), key=lambda i: ours_runs[i].cpu)  # whose phases are reported
    ours, base = fastest(ours_runs), fastest(base_runs)
    following, monday = next_days(entries, seed)
    incremental = bench_change(one_more_day_change(content, seed, following), repeat, work, env)
    correction = bench_change(correction_change(content), repeat, work, env)
    new_week = bench_change(one_more_day_change(content, seed, monday, "a new week's first day"), repeat, work, env)
    return {
        "incremental": incremental,
        "correction": correction,
        "new_week": new_week,
        "entries": entries,
        "blogs": corpus.tally.blogs,
        "days": corpus.tally.days,
        "dump_bytes": sum(len(text.encode()) for name, text in corpus.files.items() if name.endswith(".txt")),
        "ours": asdict(ours),
        "baseline": asdict(base),
        "ours_ms_per_entry": ours.per_entry_ms(entries),
        "baseline_ms_per_entry": base.per_entry_ms(entries),
        "time_ratio": ours.wall / base.wall,
        "cpu_ratio": ours.cpu / base.cpu,
        "memory_ratio": ours.peak_mib / base.peak_mib,
        "phases": timings[best].get("cpu", {}),
        "phases_wall": timings[best].get("wall", {}),
        "load_average": os.getloadavg(),
        "all_runs": {"ours": [asdict(r) for r in ours_runs], "baseline": [asdict(r) for r in base_runs]},
    }


def profile(entries: int, seed: int, work: Path, env: dict, target: Path) -> list[Path]:
    """Our build of ``entries`` under cProfile, cold (into ``target``) and then
    rebuilt after one more day with the cold build's cache (``target`` with
    ``-rebuild``): the top functions of each."""
    content = work / "content"
    if not content.exists():
        generate(entries, seed).write(content)
    following, monday = next_days(entries, seed)
    day = one_more_day_change(content, seed, following)
    # bench_size left both days made: the cold build is of the archive without them.
    for change in (one_more_day_change(content, seed, monday), day):
        if change.made():
            change.undo()
    runs = [
        ("cold", target, True),
        ("rebuilt after one more day", target.with_name(target.stem + "-rebuild.txt"), False),
    ]
    written = []
    for name, path, fresh in runs:
        if not fresh:
            day.apply()
        stats_file = work / "profile.out"
        command = our_command(
            content, work / "profiled", work / "profiled-md", work / "profiled-timings.json", fresh=fresh
        )
        command[1:3] = ["-m", "bench.profiled", str(stats_file)]
        run = measure(command, env=env, log=work / "profile.log", output=work / "profiled")
        if run.status != 0:
            raise SystemExit(f"bench: a profiled build failed; see {work / 'profile.log'}")
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text)
        stats.strip_dirs()
        text.write(
            f"# cProfile of our build, {entries:,} entries, {name}: {run.cpu:.1f} s of CPU under the profiler\n\n"
        )
        text.write("## by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(45)
        text.write("## by own time\n")
        stats.sort_stats("tottime").print_stats(30)
        path.write_text(text.getvalue(), encoding="utf-8")
        print(f"bench: profile of {entries:,} entries, {name}, in {path}", file=sys.stderr)
        written.append(path)
    return written


def table(results: list[dict]) -> str:
    rows = [
        (
            "entries",
            "ours wall s",
            "base wall s",
            "ours ms/entry",
            "base ms/entry",
            "wall ratio",
            "ours CPU s",
            "base CPU s",
            "CPU ratio",
            "ours peak MiB",
            "base peak MiB",
            "memory ratio",
            "pages ours / base",
        )
    ]
    for r in results:
        ours, base = r["ours"], r["baseline"]
        rows.append(
            (
                f"{r['entries']:,}",
                f"{ours['wall']:.1f}",
                f"{base['wall']:.1f}",
                f"{r['ours_ms_per_entry']:.2f}",
                f"{r['baseline_ms_per_entry']:.2f}",
                f"{r['time_ratio']:.2f}",
                f"{ours['cpu']:.1f}",
                f"{base['cpu']:.1f}",
                f"{r['cpu_ratio']:.2f}",
                f"{ours['peak_mib']:.0f}",
                f"{base['peak_mib']:.0f}",
                f"{r['memory_ratio']:.2f}",
                f"{ours['pages']:,} / {base['pages']:,}",
            )
        )
    return _markdown_table(rows)


def incremental_table(results: list[dict], key: str = "incremental") -> str:
    rows = [
        (
            "entries",
            "change",
            "entries changed",
            "cold build s",
            "incremental s",
            "time ratio",
            "incremental CPU s",
            "incremental peak MiB",
            "identical to cold",
        )
    ]
    for r in results:
        inc = r.get(key)
        if not inc:
            continue
        rows.append(
            (
                f"{r['entries']:,}",
                inc.get("change", "one more day"),
                f"{inc['added_entries']}",
                f"{inc['cold']['wall']:.1f}",
                f"{inc['incremental']['wall']:.1f}",
                f"{inc['time_ratio']:.2f}",
                f"{inc['incremental']['cpu']:.1f}",
                f"{inc['incremental']['peak_mib']:.0f}",
                "yes" if inc["identical"] else "NO",
            )
        )
    return _markdown_table(rows)


def phase_table(results: list[dict]) -> str:
    names = list(PHASES) + sorted({name for r in results for name in r["phases"]} - set(PHASES))
    rows = [("phase",) + tuple(f"{r['entries']:,} entries" for r in results)]
    for name in names:
        cells = []
        for r in results:
            seconds = r["phases"].get(name)
            cells.append("absent" if seconds is None else f"{seconds:.2f} s ({100 * seconds / r['ours']['cpu']:.0f}%)")
        rows.append((name,) + tuple(cells))
    rest = [r["ours"]["cpu"] - sum(r["phases"].values()) for r in results]
    rows.append(
        ("start-up, imports, swap-in",)
        + tuple(f"{s:.2f} s ({100 * s / r['ours']['cpu']:.0f}%)" for s, r in zip(rest, results))
    )
    rows.append(("whole build (CPU)",) + tuple(f"{r['ours']['cpu']:.2f} s" for r in results))
    return _markdown_table(rows)


def _markdown_table(rows: list[tuple]) -> str:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("-" * width for width in widths) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="entries per corpus, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="builds per size; the fastest of each side is kept")
    parser.add_argument(
        "--profile",
        nargs="?",
        type=int,
        const=0,
        metavar="ENTRIES",
        help="also profile our cold build and a rebuild after one more day, of the largest size or of ENTRIES",
    )
    parser.add_argument("--keep", type=Path, help="keep corpora and sites in this folder (default: a temporary one)")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size]
    if args.profile and args.profile not in sizes:
        parser.error(f"--profile {args.profile}: not one of --sizes {args.sizes}")

    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("BRIEFINGS_MARKDOWN_DIR", None)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    args.results.mkdir(parents=True, exist_ok=True)
    report = {
        "when": stamp,
        "machine": machine(),
        "load_average_before": os.getloadavg(),
        "seed": args.seed,
        "repeat": args.repeat,
        "results": [],
    }
    top = Path(args.keep or tempfile.mkdtemp(prefix="briefings-bench-"))
    try:
        for size in sizes:
            work = top / str(size)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            report["results"].append(bench_size(size, args.seed, args.repeat, work, env))
            if args.profile is not None and size == (args.profile or max(sizes)):
                target = args.results / f"profile-{stamp}-{size}.txt"
                written = profile(size, args.seed, work, env, target)
                report["profile"] = [str(p.relative_to(ROOT) if p.is_relative_to(ROOT) else p) for p in written]
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(top, ignore_errors=True)
    saved = args.results / f"bench-{stamp}.json"
    saved.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    m = report["machine"]
    print(f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB; Python {m['python']}; {m['os']}")
    print(
        f"Load average before: {report['load_average_before'][0]:.1f}, after: {os.getloadavg()[0]:.1f}. "
        f"Seed {args.seed}; fastest of {args.repeat} runs each.\nRatio = ours / baseline (below 1: ours is cheaper).\n"
    )
    print(table(report["results"]))
    print("\nOur build's phases (CPU seconds and share of the build's CPU time):\n")
    print(phase_table(report["results"]))
    print("\nIncremental: a change to the corpus, rebuilt with the last build's cache and site:\n")
    print(incremental_table(report["results"]))
    for key in ("correction", "new_week"):
        print(incremental_table(report["results"], key).split("\n", 2)[2])
    for key in ("incremental", "correction", "new_week"):
        changed = [
            dict(r[key], entries=r["entries"], ours=r[key]["incremental"]) for r in report["results"] if key in r
        ]
        print(f"\nThe incremental build's phases after {changed[0]['change']}:\n")
        print(phase_table(changed))
    print(f"\nSaved {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
