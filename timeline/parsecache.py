"""Content files already read and converted, kept between runs: a rebuild reads only the files that changed.

Each entry is keyed by the file's size, modification and change times and inode, so any write to the
file (or its replacement by another) misses: an edit that keeps size and modification time (`cp -p`,
`touch -r`) still changes the change time, which no program can set. Where those stat fields mean
something else or nothing (Windows' st_ctime is the creation time; some file systems give no inode),
the key holds a digest of the file's bytes instead. Files modified in the last couple of seconds are
not kept, as an edit within one timestamp tick could look unchanged. The whole cache belongs to one version of the
code: a change to the package starts it afresh. It lives in the user's cache folder, beside the memory of
`check`, one file per content folder, and is only ever an optimisation: a cache that cannot be read or
written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timeline import __version__
from timeline.output import SETTLE_SECONDS, inputs_fingerprint

FORMAT = 2
StatKey = tuple[int, int, int, int, str]  # size, mtime, ctime, inode; a digest of the bytes where stat is not trusted


def cache_folder() -> Path:
    """The user's cache folder for this tool (XDG_CACHE_HOME, else ~/.cache)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "timeline"


def _code_version() -> str:
    """Changes whenever the code that converts content could have changed."""
    import yaml

    extra = f"{FORMAT}|{__version__}|{sys.version}|{yaml.__version__}|{getattr(yaml, '__with_libyaml__', False)}"
    return inputs_fingerprint([Path(__file__).parent], extra)


def stat_trusted(info: os.stat_result) -> bool:
    """Whether change time and inode identify a file's state here (POSIX, with real inodes)."""
    return os.name == "posix" and info.st_ino != 0


def stat_key(info: os.stat_result, file: str | Path | None = None) -> StatKey | None:
    """What identifies one state of a file; None while the file may still be changing (or cannot be read).

    Where stat is not trusted, the bytes of `file` are digested into the key."""
    if info.st_mtime_ns > time.time_ns() - int(SETTLE_SECONDS * 1e9):
        return None
    trusted = stat_trusted(info)
    if trusted:
        return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, "")
    if file is None:
        return None
    try:
        return (info.st_size, info.st_mtime_ns, 0, 0, hashlib.sha256(Path(file).read_bytes()).hexdigest())
    except OSError:
        return None


def stat_key_of(file: Path | str) -> StatKey | None:
    """The stat key of a file (not following a link); None when it cannot be known (see stat_key)."""
    try:
        return stat_key(os.lstat(file), file)
    except OSError:
        return None


def group_of(file: Path) -> str:
    """Which cache file holds a content file's entry: its folder and the start of its name (an event's month)."""
    return f"{file.parent.name}_{file.name[:7]}"


class ParseCache:
    """Maps a content file to (its stat key, the path messages name it by, what converting it gave).

    Kept in many small files (one per month of events, one per registry), so that an edit rewrites only one.
    """

    def __init__(self, content: Path) -> None:
        digest = hashlib.sha256(str(content.resolve()).encode()).hexdigest()[:16]
        self.folder = cache_folder() / f"parsed-{digest}"
        self.version = _code_version()
        self.groups: dict[str, dict[str, tuple[StatKey, str, Any]]] = {}
        self.dirty: set[str] = set()

    def _group(self, name: str) -> dict[str, tuple[StatKey, str, Any]]:
        """The entries of one group of files (see `group_of`), read from disk the first time."""
        if name not in self.groups:
            self.groups[name] = self._read(name) if self.version else {}
        return self.groups[name]

    def _read(self, name: str) -> dict[str, tuple[StatKey, str, Any]]:
        try:
            with (self.folder / f"{name}.pickle").open("rb") as stream:
                version, entries = pickle.load(stream)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}
        return entries if version == self.version and isinstance(entries, dict) else {}

    def get(self, file: Path, path: str, key: StatKey | None) -> Any | None:
        """What converting `file` (named `path` in messages) gave when it had this stat key, if known."""
        entry = self._group(group_of(file)).get(file.name)
        return entry[2] if key is not None and entry is not None and entry[:2] == (key, path) else None

    def put(self, file: Path, path: str, key: StatKey | None, converted: Any) -> None:
        group = self._group(group_of(file))
        if key is not None:
            group[file.name] = (key, path, converted)
        elif group.pop(file.name, None) is None:
            return
        self.dirty.add(group_of(file))

    def adopt(self, name: str, entries: dict[str, tuple[StatKey, str, Any]], written: bool) -> None:
        """Entries of a group converted elsewhere (see `convert_files`); `written` when they are already saved as
        the whole group."""
        if written:
            self.groups[name] = entries
            return
        self._group(name).update(entries)
        self.dirty.add(name)

    def keep_only(self, files: list[Path]) -> None:
        """Forget files that are gone."""
        present: dict[str, set[str]] = {}
        for file in files:
            present.setdefault(group_of(file), set()).add(file.name)
        for name in set(self.groups) | {p.stem for p in self.folder.glob("*.pickle")}:
            gone = self._group(name).keys() - present.get(name, set())
            for file_name in gone:
                del self.groups[name][file_name]
            if gone:
                self.dirty.add(name)

    def save(self) -> None:
        if not self.version:
            return
        for name in sorted(self.dirty):
            if not self.groups[name]:  # every file of the group is gone
                try:
                    (self.folder / f"{name}.pickle").unlink(missing_ok=True)
                except OSError:
                    return
            elif not write_group(self.folder, self.version, name, dump_group(self.version, self.groups[name])):
                return  # a read-only home folder reads everything every time
        self.dirty.clear()


_IN_PROCESS: dict[tuple[Path, str], ParseCache] = {}


def parse_cache(content: Path, in_process: bool = False) -> ParseCache:
    """The cache of `content`'s converted files; `in_process`, the same one for every build of this process (a
    `serve` builds again and again: what it holds is not read from disk again). Entries are checked against the
    files' stat keys either way, so one another process has since replaced is merely not found."""
    cache = ParseCache(content)
    if not in_process:
        return cache
    key = (cache.folder, cache.version)
    if key not in _IN_PROCESS:
        _IN_PROCESS.clear()
        _IN_PROCESS[key] = cache
    return _IN_PROCESS[key]


def dump_group(version: str, entries: dict[str, tuple[StatKey, str, Any]]) -> bytes:
    """A group's entries as its cache file holds them."""
    return pickle.dumps((version, entries), protocol=pickle.HIGHEST_PROTOCOL)


def write_group(folder: Path, version: str, name: str, data: bytes) -> bool:
    """Replace a group's cache file with `data` (from `dump_group`), in one step; whether it was written."""
    if not version:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, folder / f"{name}.pickle")
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        return False
    return True
