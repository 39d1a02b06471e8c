"""Writing the site: everything goes to a temporary folder beside the target, swapped in at the end.

A failed build never touches the previous site. Files are written in a fixed order with fixed
permissions, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


class SiteWriter:
    """Collects output files in a staging folder; `commit` swaps it into place."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        self.written: dict[str, int] = {}

    def write(self, relative: str, content: str | bytes) -> None:
        """Write one file, given its path relative to the site root (e.g. 'events/x/index.html')."""
        if relative in self.written:
            raise ValueError(f"two outputs want the same path: {relative}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = self.staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.written[relative] = len(data)

    def copy(self, source: Path, relative: str) -> None:
        self.write(relative, source.read_bytes())

    def commit(self) -> None:
        """Replace the target with the staged site: two renames, so readers never see half a site."""
        for path in self.staging.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        self.staging.chmod(0o755)
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}-old-", dir=self.target.parent))
            os.replace(self.target, old / "site")
        os.replace(self.staging, self.target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def fingerprint(data: bytes) -> str:
    """A short content hash for cache-busting file names."""
    return hashlib.sha256(data).hexdigest()[:10]
