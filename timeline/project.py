"""Where a project is: its root is the nearest folder, from the current one upward, that holds content/site.yaml."""

from __future__ import annotations

from pathlib import Path

PROJECT_MARKER = Path("content") / "site.yaml"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a project, like git finds its repository; None if none does."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_MARKER).is_file():
            return folder
    return None
