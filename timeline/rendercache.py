"""Rendered outputs kept between builds in the user's cache folder, by what they were made from (see pagekeys).

A build into an empty folder (a fresh checkout in CI with the cache folder restored, `--out` somewhere new)
takes every output whose key it has from here instead of rendering it. Keys never depend on where the
files are or on their stat data, so a copy of the project finds the same entries.

Each entry is a file named by its key and path, put in by a hard link to the file the build wrote (a copy
where links cannot be made), so keeping it costs no second write. The build never writes into a file it
has made (it replaces files), so the bytes behind a link do not change; an entry whose size or
modification time is not the recorded one is read and its digest checked before it is used. The index
records each key's files with their digest, size and time, and when each was last used; past the size bound
(TIMELINE_RENDER_CACHE_MB, default 2048) the least recently used go. Deleting the folder at any time costs
only rendering again; a cache that cannot be read or written is ignored.

The index is a base (one pickle, replaced atomically) and a journal beside it: each build appends one record
of what it changed (see `RenderCache.save`), so that saving costs what the build made, not the cache's size.
A record is framed with its length and a hash, so one cut short by a killed build ends the journal there.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import secrets
import shutil
import struct
import tempfile
import time
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from timeline.parsecache import cache_folder

FORMAT = 2
DEFAULT_LIMIT_MB = 2048
REFRESH_SECONDS = 3600.0  # a group used again is recorded as used now only when it was last recorded this long ago
FOLD_AT_LEAST = 512  # keys the journal may hold before it is folded into the base, however small the index
PRUNE_TO = 0.9  # the share of the bound that pruning leaves
_FRAME = struct.Struct(">I16s")  # a journal record's length and hash, before its pickle


class Entry(NamedTuple):
    """One output kept for a key: where it goes in the site and what its bytes were."""

    relative: str
    digest: str
    size: int
    mtime_ns: int


Group = tuple[float, tuple[Entry, ...]]  # when last used, and the outputs made from the key


def _size(group: Group) -> int:
    return sum(entry.size for entry in group[1])


def _check(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


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
        self.groups: dict[str, Group] = {}
        self.total = 0  # the bytes of every group in `groups`
        self.generation = ""  # the base's, naming its journal; empty while there is no base
        self.read_as: tuple[int, ...] = ()  # the base's identity when read
        self.offset = 0  # how far its journal was read (or written by this process)
        self.journaled = 0  # keys recorded in the journal since the base
        self.damaged = False  # the journal holds bytes past `offset` that are no whole record
        self._read()
        self.added: dict[str, Group] = {}
        self.used: set[str] = set()

    def _index(self) -> Path:
        return self.folder / "index.pickle"

    def _journal(self) -> Path:
        return self.folder / f"journal-{self.generation}"

    def _read(self) -> None:
        """Read the base and its journal anew."""
        self.groups, self.total, self.generation, self.read_as, self.offset, self.journaled = {}, 0, "", (), 0, 0
        self.damaged = False
        try:
            with self._index().open("rb") as stream:
                read_as = _identity(os.fstat(stream.fileno()))
                version, generation, groups = pickle.load(stream)
        except FileNotFoundError:
            return
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            self._drop_entries()
            return
        if version != FORMAT or not isinstance(groups, dict) or not isinstance(generation, str):
            self._drop_entries()
            return
        self.groups, self.generation, self.read_as = groups, generation, read_as
        self.total = sum(_size(group) for group in groups.values())
        self._read_journal()

    def _drop_entries(self) -> None:
        """Remove the files of an index that cannot be read (damaged, or of another version of this tool): nothing
        would ever name them again, so they would never be pruned."""
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.is_dir(follow_symlinks=False) and len(entry.name) == 2:
                    shutil.rmtree(entry.path, ignore_errors=True)

    def _read_journal(self) -> None:
        """Apply what the journal holds past `offset`; a record cut short or damaged ends it."""
        try:
            with self._journal().open("rb") as stream:
                stream.seek(self.offset)
                data = stream.read()
        except OSError:
            return
        at = 0
        while len(data) - at >= _FRAME.size:
            length, check = _FRAME.unpack_from(data, at)
            payload = data[at + _FRAME.size : at + _FRAME.size + length]
            if len(payload) != length or _check(payload) != check:
                break
            try:
                changes = pickle.loads(payload)
            except (EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
                break
            if not isinstance(changes, dict):
                break
            self._apply(changes)
            at += _FRAME.size + length
        self.offset += at
        self.damaged = at < len(data)

    def _apply(self, changes: dict[str, Group | None]) -> None:
        for key, group in changes.items():
            old = self.groups.pop(key, None)
            if old is not None:
                self.total -= _size(old)
            if group is not None:
                self.groups[key] = group
                self.total += _size(group)
        self.journaled += len(changes)

    def _on_disk(self) -> tuple[tuple[int, ...], int] | None:
        """The base's identity and the journal's length now; None when there is no base."""
        try:
            base = _identity(os.stat(self._index()))
        except OSError:
            return None
        try:
            return base, os.stat(self._journal()).st_size
        except OSError:
            return base, 0

    def _catch_up(self) -> None:
        """Bring `groups` to the index as saved now: the journal's new records, or all again if the base changed."""
        now = self._on_disk()
        if now is None or now[0] != self.read_as:
            self._read()
        elif now[1] != self.offset:
            self._read_journal()

    def current(self) -> bool:
        """Whether this holds exactly the index as saved: nothing added or used since, no other build saved since."""
        if self.added or self.used:
            return False
        now = self._on_disk()
        if now is None:
            return not self.read_as and not self.groups
        return now == (self.read_as, self.offset)

    def path(self, key: str, relative: str) -> Path:
        return Path(self._name(key, relative))

    def _name(self, key: str, relative: str) -> str:
        """`path`, as a string: a build keeps hundreds of files at a time, and a Path costs more to make."""
        name = hashlib.sha256(f"{key}\0{relative}".encode()).hexdigest()
        return f"{self.folder}/{name[:2]}/{name[2:]}"

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
        name = self._name(key, entry.relative)
        try:
            info = os.stat(name)
            if info.st_size != entry.size:
                return False
            if info.st_mtime_ns == entry.mtime_ns:
                return True
            with open(name, "rb") as stream:  # restored by a tool that set the time: the bytes tell
                return hashlib.sha256(stream.read()).hexdigest() == entry.digest
        except OSError:
            return False

    def knows(self, key: str) -> bool:
        return key in self.added or key in self.groups

    def holds(self, key: str, count: int) -> bool:
        """Whether `key`'s `count` outputs are kept already (or being added), so that `store` would do nothing."""
        known = self.groups.get(key)
        return not key or key in self.added or (known is not None and len(known[1]) == count)

    def place(self, key: str, relative: str, file: Path | str, digest: str, size: int) -> Entry | None:
        """Put one output made from `key` in the cache folder; the entry to `add`, None if it could not be put.
        Changes nothing else, so worker processes may call it."""
        name = self._name(key, relative)
        try:
            _place(file, name)
            return Entry(relative, digest, size, os.stat(name).st_mtime_ns)
        except OSError:
            return None

    def add(self, key: str, entries: tuple[Entry, ...]) -> None:
        self.added[key] = (time.time(), entries)

    def store(self, key: str, files: list[tuple[Path | str, str, str, int]]) -> None:
        """Keep the outputs made from `key`: (the file the build wrote, its path in the site, digest, size)."""
        if self.holds(key, len(files)):
            return
        entries = [self.place(key, relative, file, digest, size) for file, relative, digest, size in files]
        if all(entries):
            self.add(key, tuple(e for e in entries if e is not None))

    def save(self, live: Collection[str]) -> None:
        """Record what was added and used, and the `live` keys (those of the site just made); prune to the bound.

        Only what changed is written, as a record appended to the journal: the groups added, those pruned, and
        those used whose time of last use is older than REFRESH_SECONDS (so the least recently used are known
        to within that). When the journal has grown to an eighth of the index, or holds a record cut short, the
        whole is written as the new base instead."""
        self._catch_up()
        now = time.time()
        changes: dict[str, Group | None] = {}
        for key in itertools.chain(live, self.used):
            group = self.groups.get(key)
            if group is not None and now - group[0] > REFRESH_SECONDS and key not in self.added:
                changes[key] = (now, group[1])
        changes.update((key, (now, entries)) for key, (_, entries) in self.added.items())
        self._apply(changes)
        changes.update(self._prune(live))
        try:
            if self.damaged or not self.generation or self.journaled > max(FOLD_AT_LEAST, len(self.groups) // 8):
                self._fold()
            elif changes:
                self._append(changes)
        except OSError:
            return
        self.added, self.used = {}, set()

    def _append(self, changes: dict[str, Group | None]) -> None:
        payload = pickle.dumps(changes, protocol=pickle.HIGHEST_PROTOCOL)
        frame = _FRAME.pack(len(payload), _check(payload)) + payload
        descriptor = os.open(self._journal(), os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            written = os.write(descriptor, frame)  # one write, so records of builds saving at once do not mix
            size = os.fstat(descriptor).st_size
        finally:
            os.close(descriptor)
        if written != len(frame):
            raise OSError("the journal of the cache index was cut short")
        if size == self.offset + len(frame):  # else another build appended meanwhile: read from where this was
            self.offset = size

    def _fold(self) -> None:
        """Write the whole index as a new base, with a journal of its own; the old journals go."""
        self.folder.mkdir(parents=True, exist_ok=True)
        generation = secrets.token_hex(8)
        handle, temporary = tempfile.mkstemp(prefix=".index-", dir=self.folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((FORMAT, generation, self.groups), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._index())
        self.generation, self.offset, self.journaled = generation, 0, 0
        with contextlib.suppress(OSError):
            self.read_as = _identity(os.stat(self._index()))
        for old in self.folder.glob("journal-*"):
            if old.name != self._journal().name:
                with contextlib.suppress(OSError):
                    old.unlink()

    def _prune(self, live: Collection[str]) -> dict[str, None]:
        """Past the bound, forget the least recently used groups, and remove their files, until the rest fit in
        PRUNE_TO of it (so that the next builds need not prune again). The `live` keys, used by the build just
        made, go last whatever time is recorded for them."""
        gone: dict[str, None] = {}
        if self.total <= self.limit:
            return gone
        for key in sorted(self.groups, key=lambda k: (k in live, self.groups[k][0])):
            group = self.groups.pop(key)
            for entry in group[1]:
                with contextlib.suppress(OSError):
                    os.unlink(self._name(key, entry.relative))
            self.total -= _size(group)
            gone[key] = None
            self.journaled += 1
            if self.total <= self.limit * PRUNE_TO:
                break
        return gone


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


def _place(file: Path | str, name: str) -> None:
    """Put `file`'s bytes at `name` without writing them again where a hard link can be made; atomic."""
    path = Path(name)
    try:
        os.link(file, name)  # the common case: a new entry, one step
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
