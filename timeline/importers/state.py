"""What earlier imports wrote: content/.import-state.json records each event file's digest and input key.

A file whose bytes no longer match its digest was edited by hand, and an import leaves it alone unless
told to overwrite it (`--force`). Deleting the state file is safe: the next import then treats every
existing file as hand-made.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

STATE_FILE = ".import-state.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class ImportState:
    """Relative event path -> {"sha256", "input", "key"}."""

    files: dict[str, dict[str, str]] = field(default_factory=dict)

    def path_of(self, input_name: str, key: str) -> str | None:
        for path, record in self.files.items():
            if record.get("input") == input_name and record.get("key") == key:
                return path
        return None


def load_state(content: Path) -> ImportState:
    try:
        data = json.loads((content / STATE_FILE).read_text(encoding="utf-8"))
        files = data.get("files", {}) if isinstance(data, dict) else {}
        return ImportState({k: v for k, v in files.items() if isinstance(v, dict)})
    except (OSError, ValueError):
        return ImportState()


def save_state(content: Path, state: ImportState) -> None:
    text = json.dumps({"version": 1, "files": dict(sorted(state.files.items()))}, indent=1, ensure_ascii=False) + "\n"
    write_atomic(content / STATE_FILE, text.encode("utf-8"))


def write_atomic(file: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: a reader never sees half a file."""
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.importing")
    temporary.write_bytes(data)
    os.replace(temporary, file)
