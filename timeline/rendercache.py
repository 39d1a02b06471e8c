"""Rendered outputs kept between builds in the user's cache folder, by what they were made from (see pagekeys).

A build into an empty folder (a fresh checkout in CI with the cache folder restored, `--out` somewhere new)
takes every output whose key it has from here instead of rendering it. Keys never depend on where the
files are or on their stat data, so a copy of the project finds the same entries.

Each entry is a file named by its key and path, put in by a hard link to the file the build wrote (a copy
where links cannot be made), so keeping it costs no second write. The build never writes into a file it
has made (it replaces files), so the bytes behind a link do not change; an entry whose size or
modification time is not the recorded one is read and its digest checked before it is used. The index
(one pickle) records each key's files with their digest, size and time, and when each was last used; past
the size bound (TIMELINE_RENDER_CACHE_MB, default 2048) the least recently used go. Deleting the folder at any
time costs only rendering again; a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from timeline.parsecache import cache_folder

FORMAT = 1
DEFAULT_LIMIT_MB = 2048


class Entry(NamedTuple):
    """One output kept for a key: where it goes in the site and what its bytes were."""

    relative: str
    digest: str
    size: int
    mtime_ns: int


Group = tuple[float, tuple[Entry, ...]]  # when last used, and the outputs made from the key


def _limit() -> int:
    try:
        return int(float(os.environ.get("TIMELINE_RENDER_CACHE_MB", DEFAULT_LIMIT_MB)) * 2**20)
    except ValueError:
        return DEFAULT_LIMIT_MB * 2**20


class RenderCache:
    """The rendered outputs of earlier builds, by key. Only the main process of a build uses it."""

    def __init__(self, folder: Path | None = None, limit: int | None = None) -> None:
        self.folder = folder or cache_folder() / "rendered"
        self.limit = _limit() if limit is None else limit
        self.read_as: tuple[int, ...] = ()
        self.groups: dict[str, Group] = self._read()
        self.added: dict[str, Group] = {}
        self.used: set[str] = set()

    def _index(self) -> Path:
        return self.folder / "index.pickle"

    def _read(self) -> dict[str, Group]:
        try:
            with self._index().open("rb") as stream:
                self.read_as = _identity(os.fstat(stream.fileno()))
                version, groups = pickle.load(stream)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}
        return groups if version == FORMAT and isinstance(groups, dict) else {}

    def _latest(self) -> dict[str, Group]:
        """The index as saved now: what was read, unless another build saved since."""
        try:
            if _identity(os.stat(self._index())) == self.read_as:
                return dict(self.groups)
        except OSError:
            pass
        return self._read()

    def current(self) -> bool:
        """Whether this holds exactly the index as saved: nothing added or used since, no other build saved since."""
        if self.added or self.used:
            return False
        try:
            return _identity(os.stat(self._index())) == self.read_as
        except OSError:
            return not self.read_as and not self.groups

    def path(self, key: str, relative: str) -> Path:
        name = hashlib.sha256(f"{key}\0{relative}".encode()).hexdigest()
        return self.folder / name[:2] / name[2:]

    def entries(self, key: str) -> tuple[Entry, ...]:
        """The outputs kept for `key`, whose files are there with the recorded bytes; empty if any is not."""
        group = self.added.get(key) or self.groups.get(key)
        if not key or group is None:
            return ()
        for entry in group[1]:
            if not self._intact(key, entry):
                return ()
        self.used.add(key)
        return group[1]

    def _intact(self, key: str, entry: Entry) -> bool:
        path = self.path(key, entry.relative)
        try:
            info = os.stat(path)
            if info.st_size != entry.size:
                return False
            if info.st_mtime_ns == entry.mtime_ns:
                return True
            return hashlib.sha256(path.read_bytes()).hexdigest() == entry.digest  # restored by a tool that set the time
        except OSError:
            return False

    def knows(self, key: str) -> bool:
        return key in self.added or key in self.groups

    def place(self, key: str, relative: str, file: Path, digest: str, size: int) -> Entry | None:
        """Put one output made from `key` in the cache folder; the entry to `add`, None if it could not be put.
        Changes nothing else, so worker processes may call it."""
        path = self.path(key, relative)
        try:
            _place(file, path)
            return Entry(relative, digest, size, os.stat(path).st_mtime_ns)
        except OSError:
            return None

    def add(self, key: str, entries: tuple[Entry, ...]) -> None:
        self.added[key] = (time.time(), entries)

    def store(self, key: str, files: list[tuple[Path, str, str, int]]) -> None:
        """Keep the outputs made from `key`: (the file the build wrote, its path in the site, digest, size)."""
        known = self.groups.get(key)
        if not key or key in self.added or (known is not None and len(known[1]) == len(files)):  # kept before
            return
        entries = [self.place(key, relative, file, digest, size) for file, relative, digest, size in files]
        if all(entries):
            self.add(key, tuple(e for e in entries if e is not None))

    def save(self, live: set[str]) -> None:
        """Record what was added and used, and the `live` keys (those of the site just made); prune to the bound."""
        now = time.time()
        groups = self._latest()
        for key in (live | self.used) - self.added.keys():
            group = groups.get(key) or self.groups.get(key)
            if group is not None:
                groups[key] = (now, group[1])
        groups.update((key, (now, entries)) for key, (_, entries) in self.added.items())
        self._prune(groups)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".index-", dir=self.folder)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((FORMAT, groups), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._index())
        except OSError:
            return
        self.groups, self.added, self.used = groups, {}, set()
        with contextlib.suppress(OSError):
            self.read_as = _identity(os.stat(self._index()))

    def _prune(self, groups: dict[str, Group]) -> None:
        """Forget the least recently used groups, and remove their files, until the rest fit in the bound."""
        total = sum(entry.size for _, entries in groups.values() for entry in entries)
        if total <= self.limit:
            return
        for key in sorted(groups, key=lambda k: groups[k][0]):
            for entry in groups.pop(key)[1]:
                with contextlib.suppress(OSError):
                    os.unlink(self.path(key, entry.relative))
                total -= entry.size
            if total <= self.limit:
                break


_IN_PROCESS: dict[tuple[Path, int], RenderCache] = {}


def render_cache() -> RenderCache:
    """The cache in the user's cache folder, its index read once in this process (a `serve` builds again and
    again) and again only when another process has saved it since, or a build here stopped before saving."""
    folder, limit = cache_folder() / "rendered", _limit()
    cache = _IN_PROCESS.get((folder, limit))
    if cache is None or not cache.current():
        _IN_PROCESS.clear()
        cache = _IN_PROCESS[folder, limit] = RenderCache(folder, limit)
    return cache


def _identity(info: os.stat_result) -> tuple[int, ...]:
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _place(file: Path, path: Path) -> None:
    """Put `file`'s bytes at `path` without writing them again where a hard link can be made; atomic."""
    try:
        os.link(file, path)  # the common case: a new entry, one step
        return
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # there already (an entry the index lost), or no hard links here: through a temporary file
    temporary = path.with_name(f".{path.name}-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        os.link(file, temporary)
    except OSError:
        shutil.copyfile(file, temporary)
    os.replace(temporary, path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)  # still there when `path` already was a link to the same file
