"""Benchmark the generator on synthetic content: `python -m benchmarks.run [N ...]` (default 1000 10000).

For each N it generates fresh content, then times, each as its own process: a full build into a fresh
folder with an empty cache, a rebuild with nothing changed, a rebuild after editing one event, `check`
with an empty cache, `check` again with nothing changed, and `check` after editing the event again. It
prints the wall times, the peak memory of the full build and the size of the site and of its first page.
It prints figures; it does not pass or fail.
"""

from __future__ import annotations

import gzip
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from timeline.output import SETTLE_SECONDS

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path, cache: Path) -> tuple[float, float]:
    """Seconds of wall time and peak resident memory (MiB) of one command, with `cache` as its cache folder."""
    started = time.perf_counter()
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed with exit code {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def exports_size(folder: Path) -> str:
    """The exports' total size and their largest file: above 5,000 events each is split by year."""
    sizes = [p.stat().st_size for p in folder.iterdir() if p.is_file() and p.name != "index.html"]
    return f"{sum(sizes) / 1e6:,.0f} MB in {len(sizes)} files, largest {max(sizes) / 1e6:,.1f} MB"


def edit_one_event(content: Path) -> None:
    event = sorted((content / "events").rglob("*.yaml"))[len(list((content / "events").rglob("*.yaml"))) // 2]
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")


def bench(count: int, base: Path) -> dict[str, str]:
    work = base / f"n{count}"
    generate(count, work)
    templates = str(ROOT / "templates")
    build = ("build", "--templates", templates, "--out", "site")
    cache, cold = work / "cache", work / "cold-cache"  # the builds' cache folder; an empty one for `check` from cold
    time.sleep(SETTLE_SECONDS)  # files changed this recently are never trusted unchanged; a checkout is older
    full, memory = run(*build, cwd=work, cache=cache)
    noop, _ = run(*build, cwd=work, cache=cache)
    edit_one_event(work / "content")
    edit, _ = run(*build, cwd=work, cache=cache)
    check, _ = run("check", cwd=work, cache=cold)
    check_again, _ = run("check", cwd=work, cache=cold)
    edit_one_event(work / "content")
    check_edited, _ = run("check", cwd=work, cache=cold)
    index = (work / "site" / "index.html").read_bytes()
    return {
        "events": f"{count:,}",
        "full build": f"{full:.1f} s",
        "no-op rebuild": f"{noop:.2f} s",
        "one-event edit": f"{edit:.1f} s",
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
    rows = []
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        for count in sizes:
            rows.append(bench(count, Path(tmp)))
            print(" | ".join(f"{k}: {v}" for k, v in rows[-1].items()), flush=True)
    keys = list(rows[0])
    print("\n| " + " | ".join(keys) + " |\n|" + " --- |" * len(keys))
    for row in rows:
        print("| " + " | ".join(row[k] for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
