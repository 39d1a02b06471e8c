"""What a build did, as the command line reports it; shared by the pipeline (build.py) and the writer (write.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    bytes: int
    changed: int = 0  # files written (all of them on a first build)
    removed: int = 0
    rendered: int = 0  # pages made again (the others' inputs had not changed)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
