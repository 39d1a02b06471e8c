"""Writing the site: nothing touches the target until every output has been rendered.

A first build stages the whole site in a temporary folder beside the target and swaps it in with
two renames. A rebuild over a site this writer made (its manifest says so) stages only the files
whose bytes changed, then moves them into place and removes outputs that are gone; the manifest of
output hashes lives beside the target, not in it. Either way a failed build leaves the target as
it was, and the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from timeline.files import files_under


@dataclass(frozen=True)
class Staged:
    size: int
    digest: str
    changed: bool  # written to the staging folder (else identical to the file already in the target)
    key: str = ""  # what the output was made from (see pagekeys); empty when not tracked


class Recorded(NamedTuple):
    """What the manifest says of one output of the last build."""

    digest: str
    size: int
    key: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(data: bytes) -> str:
    """A short content hash for cache-busting file names."""
    return digest(data)[:10]


def stage(staging: Path, relative: str, data: bytes, previous: dict[str, Recorded], key: str = "") -> Staged:
    """Put one output in the staging folder unless the target already holds these exact bytes."""
    hashed = digest(data)
    recorded = previous.get(relative)
    if recorded is not None and recorded.digest == hashed:
        return Staged(len(data), hashed, changed=False, key=key)
    path = staging / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Staged(len(data), hashed, changed=True, key=key)


def manifest_path(target: Path) -> Path:
    """Where the hashes of a site's files are kept: beside it, so the site holds only the site."""
    return target.parent / f".{target.name}.manifest.json"


MANIFEST_FORMAT = 2


def read_manifest(target: Path) -> tuple[str, dict[str, Recorded]]:
    """The inputs fingerprint and what is recorded of each output of the site in `target`, if this writer made it."""
    try:
        manifest = json.loads(manifest_path(target).read_text(encoding="utf-8"))
        if manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest["inputs"], str) or not target.is_dir():
            return "", {}
        return manifest["inputs"], {path: Recorded(*entry) for path, entry in manifest["outputs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "", {}


SETTLE_SECONDS = 2.0  # a file changed this recently may change again within its timestamp's resolution


def inputs_fingerprint(folders: list[Path], extra: str) -> str:
    """A hash of every file's path, size and modification time under `folders`, and `extra`.

    Cheap (no file is read), so a rebuild with nothing changed can stop here. Empty when a file was
    modified in the last couple of seconds: an edit of the same size within one timestamp tick would
    look unchanged, so such a fingerprint is not to be trusted or stored.
    """
    hasher = hashlib.sha256(extra.encode("utf-8"))
    settled = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    for folder in folders:
        for path in files_under(folder):
            info = os.stat(path)
            if info.st_mtime_ns > settled:
                return ""
            hasher.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


class SiteWriter:
    """Stages outputs; `commit` puts them in place, `discard` forgets them."""

    def __init__(self, target: Path, inputs: str = "") -> None:
        self.target = target
        self.inputs = inputs
        target.parent.mkdir(parents=True, exist_ok=True)
        self.previous = read_manifest(target)[1]
        self.staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        self.outputs: dict[str, Staged] = {}

    @property
    def written(self) -> dict[str, int]:
        """Every output of this build and its size."""
        return {relative: staged.size for relative, staged in self.outputs.items()}

    @property
    def changed(self) -> list[str]:
        return sorted(r for r, s in self.outputs.items() if s.changed)

    @property
    def removed(self) -> list[str]:
        return sorted(self.previous.keys() - self.outputs.keys())

    def write(self, relative: str, content: str | bytes, key: str = "") -> None:
        """One output, by its path relative to the site root (e.g. 'events/x/index.html')."""
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.outputs[relative] = stage(self.staging, relative, data, self.previous, key)

    def keep_all(self, key: str) -> bool:
        """Keep every output the last build made from inputs with this key; False if it made none."""
        kept = [relative for relative, recorded in self.previous.items() if key and recorded.key == key]
        for relative in kept:
            self.keep(relative, key)
        return bool(kept)

    def keep(self, relative: str, key: str) -> bool:
        """Keep the output the last build made from the same inputs (same key), without making it again."""
        recorded = self.previous.get(relative)
        if not key or recorded is None or recorded.key != key:
            return False
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        self.outputs[relative] = Staged(recorded.size, recorded.digest, changed=False, key=key)
        return True

    def record(self, staged: dict[str, Staged]) -> None:
        """Outputs another process staged."""
        clash = staged.keys() & self.outputs.keys()
        if clash:
            raise ValueError(f"two outputs want the same path: {sorted(clash)[0]}")
        self.outputs.update(staged)

    def commit(self) -> None:
        for path in self.staging.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.staging.chmod(0o755)
        if self.previous:
            self._update_in_place()
        else:
            self._swap()
        outputs = {relative: [staged.digest, staged.size, staged.key] for relative, staged in sorted(self.outputs.items())}
        manifest = {"format": MANIFEST_FORMAT, "inputs": self.inputs, "outputs": outputs}
        manifest_path(self.target).write_text(json.dumps(manifest, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    def _swap(self) -> None:
        """Replace the whole target with the staged site: two renames, so readers never see half a site."""
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=self.target.parent))
            os.replace(self.target, old / "site")
        os.replace(self.staging, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _update_in_place(self) -> None:
        """Move the changed files into the target and delete outputs that are gone."""
        for relative in self.changed:
            destination = self.target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.staging / relative, destination)
        for relative in self.removed:
            (self.target / relative).unlink(missing_ok=True)
            folder = (self.target / relative).parent
            while folder != self.target and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        shutil.rmtree(self.staging, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
