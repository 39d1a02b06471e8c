"""The digest of each content file's bytes, kept between runs and found again by the file's stat key.

A build names its content by the digest of every file (see snapshot.content_key). Reading 10,000 files to
learn that one changed costs more than the rest of a no-change rebuild, so each file's digest is kept with
its stat key (size, modification and change times, inode: see parsecache.stat_key); a file whose stat key
is unchanged is not read again. The change time cannot be set by any program, so a rewritten file always
misses, and a fresh checkout (new inodes and times) reads every file once. Kept in the process for a
long-running `serve`, and in the user's cache folder between runs; only ever an optimisation.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from timeline.parsecache import StatKey, cache_folder, stat_key

FORMAT = 1
_IN_PROCESS: dict[str, FileDigests] = {}


class FileDigests:
    """path -> (stat key, sha256 of the bytes) for the files under one folder."""

    def __init__(self, folder: Path) -> None:
        name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
        self.file = cache_folder() / "digests" / f"{name}.pickle"
        self.entries: dict[str, tuple[StatKey, str]] = self._read()
        self.dirty = False
        self.seen: dict[str, tuple[StatKey | None, str]] = {}  # each file's stat key and digest when last digested

    def _read(self) -> dict[str, tuple[StatKey, str]]:
        try:
            with self.file.open("rb") as stream:
                version, entries = pickle.load(stream)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}
        return entries if version == FORMAT and isinstance(entries, dict) else {}

    def digest(self, path: str) -> tuple[str, int]:
        """The sha256 of the file at `path` and its size in bytes, read only when its stat key is new."""
        info = os.stat(path)
        key = stat_key(info)  # None while the file may still be changing: read it, keep nothing
        known = self.entries.get(path)
        if key is not None and known is not None and known[0] == key:
            self.seen[path] = (key, known[1])
            return known[1], info.st_size
        with open(path, "rb") as stream:
            data = stream.read()
        found = hashlib.sha256(data).hexdigest()
        self.seen[path] = (key, found)
        if key is not None:
            self.entries[path] = (key, found)
            self.dirty = True
        return found, len(data)

    def unchanged(self, paths: list[str], most_read: int = 20) -> bool:
        """Whether `paths` are the files last digested here with the same bytes, as far as can be told without
        digesting them all: each must have the stat key it had then, but a file that was changing then (no stat
        key) is read again and its digest compared (at most `most_read` of them: past that, False)."""
        if len(paths) != len(self.seen):
            return False
        seen, read = self.seen, 0
        try:
            for path in paths:
                known = seen.get(path)
                if known is None:
                    return False
                if known[0] is not None:  # its stat key then: unchanged if it is the same now
                    if stat_key(os.stat(path)) != known[0]:
                        return False
                    continue
                read += 1  # it was changing then: only its bytes tell
                if read > most_read:
                    return False
                with open(path, "rb") as stream:
                    if hashlib.sha256(stream.read()).hexdigest() != known[1]:
                        return False
        except OSError:
            return False
        return True

    def stat_key(self, path: str) -> StatKey | None:
        """The stat key `path` had when it was last digested here; None if unknown (or it was changing)."""
        known = self.seen.get(path)
        return known[0] if known is not None else None

    def keep_only(self, paths: list[str]) -> None:
        """Forget files that are gone."""
        present = set(paths)
        gone = [path for path in self.entries if path not in present]
        for path in gone:
            del self.entries[path]
        self.dirty = self.dirty or bool(gone)

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".digests-", dir=self.file.parent)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((FORMAT, self.entries), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
        except OSError:
            return  # a read-only cache folder digests every file every time
        self.dirty = False


def file_digests(folder: Path) -> FileDigests:
    """The digests of `folder`'s files, kept in this process after the first use (a `serve` builds many times), as
    part of the cache folder they are saved in."""
    key = f"{cache_folder()}\0{folder.resolve()}"
    if key not in _IN_PROCESS:
        _IN_PROCESS[key] = FileDigests(folder)
    return _IN_PROCESS[key]
