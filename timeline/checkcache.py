"""`check` remembers its last result: with no file changed, the answer is read back instead of worked out.

The memory lives in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), never in the project.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from timeline import __version__
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.files import files_under
from timeline.parsecache import cache_folder, stat_key


def _cache_file(content: Path) -> Path:
    key = hashlib.sha256(f"{content.resolve()}|{Path.cwd()}".encode()).hexdigest()[:16]
    return cache_folder() / f"check-{key}.json"


def check_fingerprint(content: Path) -> str:
    """What a remembered answer must match: the state of every file under `content` and of the code.

    Each file counts by its parse-cache key (see timeline.parsecache.stat_key): size, modification and
    change times and inode, or a digest of its bytes where those are not to be trusted, so an edit that
    keeps size and modification time (`cp -p`) is not taken for no change. Empty while a file is changing.
    """
    if not content.is_dir():
        return ""
    hasher = hashlib.sha256(__version__.encode())
    for folder in (content, Path(__file__).parent):
        for path in files_under(folder):
            try:
                key = stat_key(os.lstat(path), path)
            except OSError:
                return ""
            if key is None:
                return ""
            hasher.update(f"{path}\0{key}\n".encode())
    return hasher.hexdigest()


def cached_check(content: Path, fingerprint: str) -> Diagnostics | None:
    """The diagnostics of the last check of `content`, if it was made when the files were in this state."""
    if not fingerprint:
        return None
    try:
        data = json.loads(_cache_file(content).read_text(encoding="utf-8"))
        if data["fingerprint"] != fingerprint:
            return None
        return Diagnostics([Diagnostic(**item) for item in data["diagnostics"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_check(content: Path, fingerprint: str, diagnostics: Diagnostics) -> None:
    """Keep the answer of a check that started with the files in the state `fingerprint` describes."""
    if not fingerprint:
        return  # a file was still changing: remember nothing
    try:
        file = _cache_file(content)
        file.parent.mkdir(parents=True, exist_ok=True)
        data = {"fingerprint": fingerprint, "diagnostics": [asdict(d) for d in diagnostics.items]}
        file.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout checks every time
