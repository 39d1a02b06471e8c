"""Benchmark the generator on synthetic content: `python -m benchmarks.run [N ...]` (default 1000 10000).

For each N it generates fresh content, then times, each as its own process: a full build into a fresh
folder with an empty cache, a rebuild with nothing changed, a rebuild after editing one event and another
after editing it again (the first edit after a full build also links every kept page into the new tree), the CI case
(a fresh copy of the content, no site/, the cache folder restored from the runs before), `check` with an
empty cache, `check` again with nothing changed, and `check` after editing the event again; then `serve`:
the time from an edit to the reloaded page. Hugo builds a minimal site (one page per event and an index)
from the same events in the same run, and the build figures are also given as ratios to Hugo's time. It
prints the peak memory of the full build and the size of the site and of its first page, then each of the
full, edit and CI builds' own table of stages (`timeline build --timings`: wall and CPU seconds). It prints
figures; it does not pass or fail. BENCH_CODE=/path/to/another/checkout times that checkout's code instead
(to compare before and after in one run).
"""

from __future__ import annotations

import gzip
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from benchmarks.hugo import hugo_binary, make_hugo_site, time_hugo
from benchmarks.serve_edit import time_serve_edit

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(os.environ.get("BENCH_CODE") or ROOT)
SETTLE_SECONDS = 2.0  # files changed this recently are never trusted unchanged (timeline.output); a checkout is older


TIMINGS = "--timings" in (CODE / "timeline" / "cli.py").read_text(encoding="utf-8")  # older code has no stage clock
STAGES: dict[str, str] = {}  # "10,000: full build" -> the build's own table of stages


def run(*args: str, cwd: Path, cache: Path, stages: str = "") -> tuple[float, float]:
    """Seconds of wall time and peak resident memory (MiB) of one command, with `cache` as its cache folder; with
    `stages`, the build's table of stages is kept in STAGES under that name."""
    started = time.perf_counter()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, str(CODE / "build.py"), *args, *(["--timings"] if stages and TIMINGS else [])]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        text = errors.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.stderr.write(text)
        raise SystemExit(f"{' '.join(args)} failed with exit code {process.returncode}")
    if stages and TIMINGS:
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("stage"))
        last = next(i for i, line in enumerate(lines) if i > first and line.startswith("total"))
        STAGES[stages] = "\n".join(lines[first : last + 1])
    return seconds, usage.ru_maxrss / 1024


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def exports_size(folder: Path) -> str:
    """The exports' total size and their largest file: above 5,000 events each is split by year."""
    sizes = [p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name != "index.html"]
    return f"{sum(sizes) / 1e6:,.0f} MB in {len(sizes)} files, largest {max(sizes) / 1e6:,.1f} MB"


def edit_one_event(content: Path) -> Path:
    event = sorted((content / "events").rglob("*.yaml"))[len(list((content / "events").rglob("*.yaml"))) // 2]
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
    return event


def ratio(seconds: float, hugo: float | None) -> str:
    return f"{seconds:.1f} s ({seconds / hugo:.2f}×)" if hugo else f"{seconds:.1f} s"


def bench(count: int, base: Path) -> dict[str, str]:
    work = base / f"n{count}"
    generate(count, work)
    hugo = None
    if hugo_binary():
        make_hugo_site(work / "content", base / f"hugo{count}")
        hugo = time_hugo(base / f"hugo{count}")
    templates = str(CODE / "templates")
    build = ("build", "--templates", templates, "--out", "site")
    cache, cold = work / "cache", work / "cold-cache"  # the builds' cache folder; an empty one for `check` from cold
    time.sleep(SETTLE_SECONDS)
    full, memory = run(*build, cwd=work, cache=cache, stages=f"{count:,}: full build, empty cache")
    noop, _ = run(*build, cwd=work, cache=cache)
    edit_one_event(work / "content")
    time.sleep(SETTLE_SECONDS)
    edit, _ = run(*build, cwd=work, cache=cache, stages=f"{count:,}: one-event edit")
    edit_one_event(work / "content")  # again: the first edit after a full build also links every kept page into
    time.sleep(SETTLE_SECONDS)  # the tree it swaps in (see output.SiteWriter); from the second on, only what changed
    edit_again, _ = run(*build, cwd=work, cache=cache, stages=f"{count:,}: another one-event edit")
    ci = base / f"ci{count}"  # what CI has on a merge: a fresh checkout (new inodes and times) and the cache restored
    shutil.copytree(work / "content", ci / "content")
    shutil.copytree(cache, ci / "cache")
    time.sleep(SETTLE_SECONDS)
    merged, _ = run(*build, cwd=ci, cache=ci / "cache", stages=f"{count:,}: CI, fresh copy, cache restored")
    check, _ = run("check", cwd=work, cache=cold)
    check_again, _ = run("check", cwd=work, cache=cold)
    edit_one_event(work / "content")
    check_edited, _ = run("check", cwd=work, cache=cold)
    serve_edits, serve_memory = time_serve_edit(CODE, work, templates)  # the project being worked on, with its cache
    index = (work / "site" / "index.html").read_bytes()
    return {
        "events": f"{count:,}",
        "Hugo": f"{hugo:.1f} s" if hugo else "not installed",
        "full build": ratio(full, hugo),
        "CI: fresh copy, cache restored": ratio(merged, hugo),
        "no-op rebuild": f"{noop:.2f} s",
        "one-event edit": f"{edit:.1f} s",
        "another edit": f"{edit_again:.1f} s",
        "serve: edit to reloaded page, first / then": f"{serve_edits[0]:.2f} s / {min(serve_edits[1:]):.2f} s",
        "serve: peak memory": f"{serve_memory:,.0f} MiB",
        "check": f"{check:.1f} s",
        "check, nothing changed": f"{check_again:.2f} s",
        "check, one event edited": f"{check_edited:.2f} s",
        "peak memory": f"{memory:,.0f} MiB",
        "site": f"{folder_size(work / 'site') / 1e6:,.0f} MB",
        "first page": f"{len(index) / 1e3:,.0f} kB ({len(gzip.compress(index)) / 1e3:,.0f} kB gzip)",
        "exports": exports_size(work / "site" / "exports"),
    }


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000, 10000]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    print(f"code: {CODE}; load average {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        for count in sizes:
            rows.append(bench(count, Path(tmp)))
            print(" | ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |\n|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(row[k] for k in keys) + " |")
    for name, table in STAGES.items():
        print(f"\n{name}\n{table}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
