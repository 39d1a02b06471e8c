"""Listing and opening content files, and the rule for symbolic links: inside content/ there are none.

A content file that is a link could publish any file the builder can read (the password file, a key),
and its error messages would quote it; a link loop crashed `check`; a dangling link or a linked year
folder was silently skipped. So every link below content/ (to a file or a folder, dangling or looping)
is an error of its own, named by the link's path; its target is never opened. Files are opened with
O_NOFOLLOW and must be regular files, so a link swapped in between listing and reading is refused too,
and a named pipe cannot make a build wait forever. (The content folder itself may be a link: that is
the user's choice of folder, not a contributor's file.)
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

LINK_MESSAGE = "this is a symbolic link; content files and folders must be real ones inside content/"
LINK_HINT = "replace the link by the file or folder itself (e.g. `cp -L`); content is never read through links"
NOT_REGULAR_MESSAGE = "this is neither a file nor a folder (a named pipe, socket or device)"
NOT_REGULAR_HINT = "remove it from content/"


class NotRegularFile(OSError):
    """Opened something that is not a regular file."""


class TooLarge(OSError):
    """A file larger than the limit it is read with."""


@dataclass
class Listing:
    """What lies below a folder, without following links: files, links, and anything else."""

    files: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)


def list_folder(folder: Path, recursive: bool = True) -> Listing:
    """Everything below `folder` (itself included, when it is a link), sorted; never follows a link."""
    files, links, others = scan_folder(folder, recursive)
    return Listing([Path(f) for f in files], [Path(f) for f in links], [Path(f) for f in others])


def scan_folder(folder: Path, recursive: bool = True) -> tuple[list[str], list[str], list[str]]:
    """list_folder's files, links and others as plain paths (making a Path costs more than a stat)."""
    files: list[str] = []
    links: list[str] = []
    others: list[str] = []
    if os.path.islink(folder):
        return files, [os.fspath(folder)], others
    pending = [os.fspath(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append(entry.path)
            elif entry.is_dir(follow_symlinks=False):
                if recursive and entry.name != "__pycache__":
                    pending.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                files.append(entry.path)
            else:
                others.append(entry.path)
    for found in (files, links, others):
        found.sort(key=_parts)  # the order of paths by their parts, as pathlib orders them on POSIX
    return files, links, others


def _parts(path: str) -> list[str]:
    return path.split(os.sep)


def read_regular_file(file: Path | str, limit: int) -> bytes:
    """The bytes of a regular file that is not a link, at most `limit` of them (TooLarge past that)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        handle = os.open(file, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP or os.path.islink(file):
            raise IsALink(errno.ELOOP, LINK_MESSAGE) from None
        raise
    try:  # plain reads on the descriptor: a buffered file object costs more than reading a small file
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, NOT_REGULAR_MESSAGE)
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(handle, min(left, max(info.st_size + 1, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(handle)
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"the file is larger than {limit:,} bytes")
    return data


class IsALink(OSError):
    """A content file that is a symbolic link."""
