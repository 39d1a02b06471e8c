"""`check` remembers its last result: with no file changed, the answer is read back instead of worked out.

The memory lives in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), never in the project.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from timeline import __version__
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.output import inputs_fingerprint
from timeline.parsecache import cache_folder


def _cache_file(content: Path) -> Path:
    key = hashlib.sha256(f"{content.resolve()}|{Path.cwd()}".encode()).hexdigest()[:16]
    return cache_folder() / f"check-{key}.json"


def check_fingerprint(content: Path) -> str:
    """What a remembered answer must match: the state of every file under `content` and of the code."""
    return inputs_fingerprint([content, Path(__file__).parent], __version__) if content.is_dir() else ""


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
