"""Sizes of the search index and of the maps on synthetic content: `python -m benchmarks.search_maps [N ...]`.

For each N (default 1000 10000) it generates content (or reads `--content FOLDER`), then reports the time to
build the search index, its files (count, total, gzip, the largest word file, the manifest, an events file),
and the JSON size of the charts-page map, the largest episode map and a place's locator map. It prints figures;
it does not pass or fail.
"""

from __future__ import annotations

import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate
from timeline.build import load_timeline
from timeline.charts.maps import episode_map, on_map, place_map, places_map
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline
from timeline.search import search_files


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size < 10 * 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MiB"


def measure(timeline: Timeline) -> dict[str, str]:
    started = time.perf_counter()
    files = search_files(timeline)
    seconds = time.perf_counter() - started
    data = {name: text.encode() for name, text in files.items()}
    words = {n: d for n, d in data.items() if n.startswith("search/w/")}
    largest = max(words, key=lambda n: len(data[n]))
    figures = {"map (charts page)": places_map(timeline)}
    episodes = [episode_map(timeline, e) for e in timeline.episodes]
    figures["largest episode map"] = max((c for c in episodes if c), key=lambda c: len(json.dumps(c.figure)), default=None)
    figures["place locator map"] = place_map(timeline, on_map(timeline.places.values())[0])
    out = {
        "events": f"{len(timeline.events):,}",
        "index build": f"{seconds:.1f} s",
        "index files": f"{len(data):,}",
        "index total": kib(sum(map(len, data.values()))),
        "index gzip": kib(sum(len(gzip.compress(d)) for d in data.values())),
        "manifest": kib(len(data["search/index.json"])),
        "largest word file": f"{largest.rsplit('/', 1)[1]}: {kib(len(data[largest]))}",
        "events file": kib(len(data["search/e/0.json"])),
    }
    for name, chart in figures.items():
        out[name] = kib(len(json.dumps(chart.figure, separators=(",", ":")))) if chart else "-"
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["--content"]:
        timeline = load_timeline(Path(argv[1]), Diagnostics())
        assert timeline is not None
        print(measure(timeline))
        return
    for count in [int(a) for a in argv] or [1000, 10000]:
        with tempfile.TemporaryDirectory() as folder:
            generate(count, Path(folder))
            timeline = load_timeline(Path(folder) / "content", Diagnostics())
            assert timeline is not None
            print(measure(timeline), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
