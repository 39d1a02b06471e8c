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
from timeline.output import inputs_fingerprint


def _cache_file(content: Path) -> Path:
    key = hashlib.sha256(f"{content.resolve()}|{Path.cwd()}".encode()).hexdigest()[:16]
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "timeline" / f"check-{key}.json"


def _fingerprint(content: Path) -> str:
    return inputs_fingerprint([content, Path(__file__).parent], __version__)


def cached_check(content: Path) -> Diagnostics | None:
    """The diagnostics of the last check of `content`, if no file under it (or of the code) changed since."""
    try:
        fingerprint = _fingerprint(content)
        data = json.loads(_cache_file(content).read_text(encoding="utf-8"))
        if not fingerprint or data["fingerprint"] != fingerprint:
            return None
        return Diagnostics([Diagnostic(**item) for item in data["diagnostics"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember_check(content: Path, diagnostics: Diagnostics) -> None:
    fingerprint = _fingerprint(content)
    if not fingerprint:
        return  # a file is still changing: remember nothing
    try:
        file = _cache_file(content)
        file.parent.mkdir(parents=True, exist_ok=True)
        data = {"fingerprint": fingerprint, "diagnostics": [asdict(d) for d in diagnostics.items]}
        file.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout checks every time
