"""The output folder as a whole: where its paths may lead, how a new tree replaces it, what a killed build leaves.

A build writes a complete new tree beside the target (`.site-build-*`) and switches it in with one atomic
exchange of the two folders (renameat2 RENAME_EXCHANGE on Linux), so a reader, or a build killed at any
moment, sees the old site or the new one, never a mix. Where the exchange is not available the switch is
two renames; a build killed between them leaves the old tree in `.site-old-*`, which the next build puts back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def is_inside(relative: str) -> bool:
    """Whether an output path, relative to the site root, names a file inside it: no '..', no absolute path."""
    if not relative or "\\" in relative or "\0" in relative or relative.startswith("/"):
        return False
    return all(part not in ("", ".", "..") for part in relative.split("/"))


def tree_identity(target: Path) -> list[int] | None:
    """What tells this very folder from another at the same path: device, inode and change time.

    The change time moves whenever the folder is renamed (as a swap does) or its entries change, so a
    folder put in place by a build that was killed before it wrote its manifest never matches the manifest.
    """
    try:
        info = os.lstat(target)
    except OSError:
        return None
    return [info.st_dev, info.st_ino, info.st_ctime_ns]


def previous_tree(target: Path) -> Path:
    """Where the tree of the build before the last is kept, to be brought up to date by the next build."""
    return target.parent / f".{target.name}-previous"


def new_tree(target: Path) -> Path:
    """An empty folder beside the target to build the next site in."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False where the system or filesystem cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def swap_in(tree: Path, target: Path) -> Path | None:
    """Make `tree` the target in one step; returns where the old target's files now are, if there was one."""
    if not os.path.lexists(target):
        os.rename(tree, target)
        return None
    if _exchange(tree, target):
        return tree  # which now holds the old site
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rename(target, old / "site")  # killed after this line, the next build puts `old` back (see `clean_leftovers`)
    os.rename(tree, target)
    return old / "site"


def remove_tree(tree: Path) -> None:
    """Delete a tree of ours: the old site, a leftover (from its `.site-old-*` folder, if it is in one)."""
    shutil.rmtree(tree, ignore_errors=True)
    _remove_old_folder(tree)


def _remove_old_folder(tree: Path) -> None:
    if tree.name == "site" and "-old-" in tree.parent.name:
        shutil.rmtree(tree.parent, ignore_errors=True)


def keep_as_previous(old: Path, target: Path) -> bool:
    """Move the tree `swap_in` took out to `.site-previous`, for the next build to update; False if it cannot."""
    spare = previous_tree(target)
    if os.path.lexists(spare):
        shutil.rmtree(spare, ignore_errors=True)
    try:
        os.rename(old, spare)
    except OSError:
        remove_tree(old)
        return False
    _remove_old_folder(old)
    return True


def _leftover_pattern(target: Path) -> re.Pattern[str]:
    name = re.escape(target.name)
    return re.compile(rf"\.{name}-(?:build|old)-[A-Za-z0-9_]{{8}}|\.{name}\.manifest-[A-Za-z0-9_]{{8}}\.tmp")


def clean_leftovers(target: Path) -> list[str]:
    """Remove what builds killed half-way left beside the target; put back an old site a killed swap moved away.

    Call it only while holding the build lock, so no running build's folders are taken. Returns the names removed.
    """
    try:
        names = sorted(os.listdir(target.parent))
    except OSError:
        return []
    pattern = _leftover_pattern(target)
    leftovers = [name for name in names if pattern.fullmatch(name)]
    if not os.path.lexists(target):
        for name in leftovers:
            moved = target.parent / name / "site"
            if "-old-" in name and moved.is_dir():
                os.rename(moved, target)
                break
    for name in leftovers:
        path = target.parent / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return leftovers
