"""Listing the files under a folder quickly and in a stable order."""

from __future__ import annotations

import os
from pathlib import Path


def files_under(folder: Path | str) -> list[str]:
    """The path of every file below `folder`, sorted; skips __pycache__ folders. Empty if `folder` is missing.

    Strings, not Path objects, and scandir, not rglob: several times faster on tens of thousands of files.
    """
    found: list[str] = []
    pending = [os.fspath(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    pending.append(entry.path)
            elif _is_file(entry):
                found.append(entry.path)
    found.sort()
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether an entry is a file or a link to one; a link loop (ELOOP) is neither, not a crash."""
    try:
        return entry.is_file()
    except OSError:
        return False
