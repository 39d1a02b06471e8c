"""The checked model of the last build, kept whole in the user's cache folder and found by what it was made from.

Its name is a digest of every content file's path (from the content folder) and bytes, of how messages name
the content folder, and of the code: never of where the files are or of their stat data. So a build with the
same content, a fresh checkout in CI with the cache folder restored among them, loads one file (0.1 s at
10,000 events) instead of reading, converting and checking every content file. The diagnostics (warnings)
that came with the model are kept with it and reported again. Only the newest few are kept; like the rest
of the cache folder it may be deleted at any time, and one that cannot be read is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline import __version__
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.digests import file_digests
from timeline.files import files_under
from timeline.parsecache import cache_folder

if TYPE_CHECKING:
    from timeline.model import Timeline

FORMAT = 1
KEEP = 2  # snapshots kept: the last build's and the one before, for a branch switched back and forth
_IN_PROCESS: dict[tuple[Path, str], tuple[Timeline, list[Diagnostic]]] = {}  # the last model made or loaded here


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
    for path in paths:
        try:
            digest, size = digests.digest(path)
        except OSError as exc:  # gone or unreadable since it was listed: the key says so, and reading will report it
            digest, size = f"unreadable:{exc.errno}", -1
        hasher.update(f"{path[len(root) + 1 :]}\0{size}\0{digest}\0".encode())  # its path inside `content`
    digests.keep_only(paths)
    digests.save()
    return hasher.hexdigest()


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
            version, found, items = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError, IndexError):
        return None
    if version != FORMAT or not all(isinstance(item, Diagnostic) for item in items):
        return None
    _remember(key, found, items)
    diagnostics.items.extend(items)
    return found  # type: ignore[no-any-return]


def recent_model() -> Timeline | None:
    """The last model this process made or loaded (for this cache folder), whatever content it was made from:
    `serve` makes the next one from it and the files that changed (see model.build_timeline)."""
    for (folder, _), (timeline, _) in _IN_PROCESS.items():
        if folder == _folder():
            return timeline
    return None


def _remember(key: str, timeline: Timeline, items: list[Diagnostic]) -> None:
    _IN_PROCESS.clear()
    _IN_PROCESS[_folder(), key] = (timeline, items)


def save_snapshot(key: str, timeline: Timeline, items: list[Any], on_disk: bool = True) -> None:
    """Keep the model and its diagnostics for `key` in this process and, `on_disk`, in the cache folder (then only
    the newest few snapshots)."""
    _remember(key, timeline, list(items))
    if not on_disk:
        return
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".model-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((FORMAT, timeline, list(items)), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, folder / f"{key}.pickle")
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    except (OSError, pickle.PicklingError, RecursionError):
        return
    for old in kept[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
