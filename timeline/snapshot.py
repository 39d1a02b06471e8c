"""The checked model of the last build, kept in the user's cache folder with what it was read from, and patched.

A snapshot is named by a digest of every content file's path (from the content folder) and bytes, of how
messages name the content folder, and of the code: never of where the files are or of their stat data. Its
file holds two parts, read one at a time:

1. the model and the diagnostics (warnings) that came with it. A build of the same content (a fresh checkout
   in CI with the cache folder restored among them) reads only this: 0.2 s at 10,000 events instead of reading,
   converting and checking every content file;
2. how the content was read (see content.LoadRecord: every event file's stat key and conversion) and the
   memories of the later stages (see memories). A build of other content starts from the newest snapshot: it
   reads only the files that changed since (see contentpatch), makes only the events they hold (see
   model.build_timeline) and reuses what the memories hold.

After such a build, what changed since the snapshot (the event files read again, the memories added) is kept
beside it in a small delta file, taken back with it, until it outgrows a tenth of the whole; then the snapshot
is written afresh. Only the newest few are kept; like the rest of the cache folder they may be deleted at any
time, and a file that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from timeline import __version__, memories
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.digests import file_digests
from timeline.files import files_under
from timeline.parsecache import cache_folder

if TYPE_CHECKING:
    from timeline.content import EventRead, LoadRecord
    from timeline.model import Timeline

FORMAT = 3
KEEP = 2  # snapshots kept: the last build's and the one before, for a branch switched back and forth
DELTA_SHARE = 0.1  # a delta past this share of the snapshot's entries (events and memories; and at least
# DELTA_LEAST) rewrites the snapshot
DELTA_LEAST = 200
_IN_PROCESS: dict[tuple[Path, str], tuple[Timeline, list[Diagnostic]]] = {}  # the last model made or loaded here
_UNREADABLE = (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError, IndexError)


@functools.cache
def _code_digest() -> str:
    """Changes whenever the code that reads, checks or models content could have changed."""
    import yaml

    hasher = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}|{yaml.__version__}".encode())
    package = Path(__file__).parent
    for path in files_under(package):
        if path.endswith(".py"):
            hasher.update(f"{os.path.relpath(path, package)}\0".encode())
            hasher.update(Path(path).read_bytes())
    return hasher.hexdigest()


def content_key(content: Path, named: str) -> str:
    """The digest of every file under `content` (by its path inside it) and its bytes, of `named` (how messages
    name the folder) and of the code."""
    hasher = hashlib.sha256(f"{named}\0{_code_digest()}\0".encode())
    root = os.fspath(content).rstrip(os.sep)  # files_under gives every path as `root` + a separator + the rest
    digests = file_digests(content)
    paths = files_under(content)
    if _LAST_KEY.get(root, ("",))[0] == hasher.hexdigest() and digests.unchanged(paths):
        return _LAST_KEY[root][1]  # the same files, none changed since they were digested: the same key
    named_and_code = hasher.hexdigest()
    digests.seen.clear()
    for path in paths:
        try:
            digest, size = digests.digest(path)
        except OSError as exc:  # gone or unreadable since it was listed: the key says so, and reading will report it
            digest, size = f"unreadable:{exc.errno}", -1
        hasher.update(f"{path[len(root) + 1 :]}\0{size}\0{digest}\0".encode())  # its path inside `content`
    digests.keep_only(paths)
    digests.save()
    _LAST_KEY.clear()
    _LAST_KEY[root] = (named_and_code, hasher.hexdigest())
    return hasher.hexdigest()


_LAST_KEY: dict[str, tuple[str, str]] = {}  # content folder -> (digest of its name and the code, its last key)


def _folder() -> Path:
    return cache_folder() / "models"


def load_snapshot(key: str, diagnostics: Diagnostics) -> Timeline | None:
    """The model kept for `key`, its diagnostics added to `diagnostics`; None when there is none."""
    if (_folder(), key) in _IN_PROCESS:  # `serve` builds again and again: a change to templates alone reads nothing
        found, items = _IN_PROCESS[_folder(), key]
        diagnostics.items.extend(items)
        return found
    try:
        with (_folder() / f"{key}.pickle").open("rb") as stream:
            kept = _model_part(stream)
    except _UNREADABLE:
        return None
    if kept is None:
        return None
    _remember(key, *kept)
    diagnostics.items.extend(kept[1])
    return kept[0]


def _model_part(stream: BinaryIO) -> tuple[Timeline, list[Diagnostic]] | None:
    version, code, found, items = pickle.load(stream)
    if version != FORMAT or code != _code_digest() or not all(isinstance(item, Diagnostic) for item in items):
        return None
    return found, items


def recent_model() -> Timeline | None:
    """The last model this process made or loaded (for this cache folder), whatever content it was made from: the
    next model is made from it and the files that changed (see model.build_timeline)."""
    for (folder, _), (timeline, _) in _IN_PROCESS.items():
        if folder == _folder():
            return timeline
    return None


def _remember(key: str, timeline: Timeline, items: list[Diagnostic]) -> None:
    _IN_PROCESS.clear()
    _IN_PROCESS[_folder(), key] = (timeline, items)


def keep_in_process(key: str, timeline: Timeline, items: list[Any]) -> None:
    """Keep the model and its diagnostics for `key` in this process (`serve`'s next build starts from it)."""
    _remember(key, timeline, list(items))


@dataclass
class _Taken:
    """The snapshot a build started from, as it was in its file (before its delta), to tell what changed since."""

    key: str
    identity: tuple[int, int]  # of its file, to tell it was not replaced since
    token: str  # named by its delta
    record: LoadRecord
    events: list[EventRead]
    memories: dict[str, Any]


_TAKEN: dict[str, _Taken] = {}  # the content folder (absolute) -> the snapshot this process started from


def _whose(content: Path) -> tuple[str, str]:
    """Which content a record is of: the folder, and the folder messages are named from."""
    return os.path.abspath(content), os.getcwd()


def take_newest(content: Path) -> None:
    """Start from the newest snapshot of `content` with its delta, if there is one: its model becomes the recent
    model, its record the last reading (see contentpatch) and its memories are given back."""
    from timeline.contentpatch import adopt_record

    try:
        newest = max(_folder().glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, default=None)
        if newest is None:
            return
        with newest.open("rb") as stream:
            identity = _identity(os.fstat(stream.fileno()))
            model = _model_part(stream)
            if model is None:
                return
            whose, token, record, states = pickle.load(stream)
    except _UNREADABLE:
        return
    if whose != _whose(content):
        return
    taken = _Taken(newest.stem, identity, token, record, list(record.events), {n: dict(s) for n, s in states.items()})
    _apply_delta(newest.with_suffix(".delta"), taken, states)
    _remember(newest.stem, *model)
    adopt_record(content, record)
    memories.restore(states)
    _TAKEN.clear()
    _TAKEN[_whose(content)[0]] = taken


def _apply_delta(file: Path, taken: _Taken, states: dict[str, Any]) -> None:
    try:
        with file.open("rb") as stream:
            version, identity, events, change = pickle.load(stream)
    except _UNREADABLE:
        return
    if version != FORMAT or identity != taken.token:
        return
    for index, read in events.items():
        if index < len(taken.record.events) and taken.record.events[index].job == read.job:
            taken.record.events[index] = read
    memories.apply(states, change)


def keep_snapshot(content: Path, key: str, timeline: Timeline, items: list[Any], record: LoadRecord | None) -> None:
    """Keep what this build read and made for the next: as a delta beside the snapshot it started from when little
    changed since, else as the snapshot of `key` (then only the newest few are kept)."""
    states = memories.kept() if record is not None else {}
    taken = _TAKEN.get(_whose(content)[0])
    if record is not None and taken is not None and taken.record is record and _keep_delta(taken, states):
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".model-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((FORMAT, _code_digest(), timeline, list(items)), stream, protocol=pickle.HIGHEST_PROTOCOL)
            if record is not None:
                token = uuid.uuid4().hex  # what its deltas name it by
                pickle.dump((_whose(content), token, record, states), stream, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{key}.delta").unlink()
        os.replace(temporary, folder / f"{key}.pickle")
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except (OSError, pickle.PicklingError, RecursionError):
        return
    for old in kept[KEEP:]:
        for file in (old, old.with_suffix(".delta")):
            with contextlib.suppress(OSError):
                file.unlink()


def _keep_delta(taken: _Taken, states: dict[str, Any]) -> bool:
    """Write what changed since `taken` beside its snapshot; False when that is too much, or cannot be done."""
    events = {index: read for index, read in enumerate(taken.record.events) if read is not taken.events[index]}
    change = memories.changes(taken.memories, states)
    entries = len(taken.events) + sum(len(state) for state in taken.memories.values())
    if len(events) + memories.size(change) > max(DELTA_LEAST, DELTA_SHARE * entries):
        return False
    folder = _folder()
    try:
        with (folder / f"{taken.key}.pickle").open("rb") as stream:
            if _identity(os.fstat(stream.fileno())) != taken.identity:
                return False  # replaced by another build since
        handle, temporary = tempfile.mkstemp(prefix=".delta-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((FORMAT, taken.token, events, change), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{taken.key}.delta")
        os.utime(folder / f"{taken.key}.pickle")  # the newest again, for the next build to start from
    except (OSError, pickle.PicklingError, RecursionError):
        return False
    return True


def _identity(info: os.stat_result) -> tuple[int, int]:
    """A snapshot file's identity: not its time, which a delta's writing sets (see _keep_delta)."""
    return (info.st_ino, info.st_size)
