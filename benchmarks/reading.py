"""Time the reading stage of a cold build, stage by stage, in one process.

    python -m benchmarks.reading CONTENT [--runs N] [--profile FILE] [--workers 1]

Each run starts with an empty cache folder (XDG_CACHE_HOME), as a cold build does, and times what a build
does before rendering: the content digest, reading and converting every file, the cross-file checks, the
model and its snapshot. `--profile` writes a cProfile of the last run (with `--workers 1`, all of it in
this process). It prints figures and never fails.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path


def _run(content: Path) -> dict[str, float]:
    from timeline.build import model_key
    from timeline.collector import cycle_collector_paused
    from timeline.content import load_content
    from timeline.diagnostics import Diagnostics
    from timeline.model import build_timeline
    from timeline.snapshot import keep_snapshot
    from timeline.validate import validate

    diagnostics = Diagnostics()
    times: dict[str, float] = {}

    def timed(name: str, started: float) -> float:
        now = time.perf_counter()
        times[name] = now - started
        return now

    started = first = time.perf_counter()
    key = model_key(content)
    started = timed("content digest", started)
    with cycle_collector_paused():
        raw = load_content(content, diagnostics)
        started = timed("read and convert", started)
        validate(raw, diagnostics)
        started = timed("cross-file checks", started)
        timeline = build_timeline(raw) if not diagnostics.errors else None
        started = timed("model", started)
    if timeline is not None and model_key(content) == key:
        keep_snapshot(content, key, timeline, diagnostics.items, None)
    timed("snapshot (digest again, saved)", started)
    times["total"] = time.perf_counter() - first
    times["errors"] = float(len(diagnostics.errors))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("content", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--workers", type=int, help="limit the cores the reading may use (1: all in this process)")
    args = parser.parse_args()
    if args.workers and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[: args.workers])
    workers_cpu = 0.0
    for run in range(args.runs):
        cache = Path(tempfile.mkdtemp(prefix="reading-cache-"))
        os.environ["XDG_CACHE_HOME"] = str(cache)
        cpu = time.process_time()
        try:
            if args.profile and run == args.runs - 1:
                profile = cProfile.Profile()
                times = profile.runcall(_run, args.content)
                profile.dump_stats(args.profile)
            else:
                times = _run(args.content)
        finally:
            shutil.rmtree(cache, ignore_errors=True)
        times["CPU of this process"] = time.process_time() - cpu
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        times["CPU of its workers"] = children.ru_utime + children.ru_stime - workers_cpu
        workers_cpu = children.ru_utime + children.ru_stime
        print(f"run {run + 1}: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in times.items()), flush=True)


if __name__ == "__main__":
    main()
