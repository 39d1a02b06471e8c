"""Writing files below a folder of the project without following links out of it.

`timeline new` and `timeline schema` write into content/ (and docs/). A link planted there, say
content/.schema -> ~/.ssh or content/events/2022 -> /etc, must not make them write elsewhere: every
folder from the base down must be a real folder, and a file is replaced by a rename, never written
through an existing link. The base itself may be a link: it is the folder the user named.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class UnsafePath(Exception):
    """A write that would go through a link; the message names it."""


def safe_folder(base: Path, relative: Path) -> Path:
    """base/relative, made if missing, with no link on the way down from `base`."""
    base.mkdir(parents=True, exist_ok=True)
    folder = base
    for part in relative.parts:
        if part in ("", ".", ".."):
            raise UnsafePath(f"{base / relative} leaves {base}")
        folder = folder / part
        if os.path.islink(folder):
            raise UnsafePath(f"{folder} is a symbolic link; refusing to write through it")
        if not folder.is_dir():
            folder.mkdir()
    return folder


def write_new(base: Path, relative: Path, text: str) -> Path:
    """Create base/relative with `text`; refuses if anything (a link included) is already there."""
    folder = safe_folder(base, relative.parent)
    path = folder / relative.name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o644)  # O_EXCL: a dangling link is not followed either
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)
    return path


def replace_file(base: Path, relative: Path, text: str) -> Path:
    """Write base/relative with `text` by renaming a new file over it: an existing link is replaced, not followed."""
    folder = safe_folder(base, relative.parent)
    path = folder / relative.name
    handle, temporary = tempfile.mkstemp(prefix=f".{relative.name}-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
