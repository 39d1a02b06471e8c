"""Writing the site: every build makes a whole new tree beside the target and swaps it in (see sitetree).

Outputs whose bytes did not change since the last build are hard links to the old tree's files (copies
where links cannot be made), so a rebuild writes only what changed. The manifest of output hashes lives
beside the target, not in it, and is written only after the swap; it records which folder it describes,
and one that does not match the folder now in place is checked against the files' real digests before any
of its entries is relied on. A failed build leaves the target as it was; the same input gives the same bytes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from timeline.files import files_under
from timeline.sitetree import is_inside, new_tree, swap_in, tree_identity


@dataclass(frozen=True)
class Staged:
    size: int
    digest: str
    changed: bool  # written anew (else a link to, or copy of, the old tree's identical file)
    key: str = ""  # what the output was made from (see pagekeys); empty when not tracked


class Recorded(NamedTuple):
    """What the manifest says of one output of the last build."""

    digest: str
    size: int
    key: str


class OutsideOutput(ValueError):
    """An output path that would lead out of the output folder."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(data: bytes) -> str:
    """A short content hash for cache-busting file names."""
    return digest(data)[:10]


def manifest_path(target: Path) -> Path:
    """Where the hashes of a site's files are kept: beside it, so the site holds only the site."""
    return target.parent / f".{target.name}.manifest.json"


MANIFEST_FORMAT = 3
_READABLE_FORMATS = (2, 3)  # format 2 did not record the tree: its entries are checked against the files


@dataclass
class Manifest:
    """What the last build into a folder recorded, and how far to trust it."""

    found: bool = False  # a manifest of ours is there: the target is a folder this tool built
    inputs: str = ""
    outputs: dict[str, Recorded] = field(default_factory=dict)
    tree: list[int] | None = None  # the identity of the folder it was written for (sitetree.tree_identity)
    outside: list[str] = field(default_factory=list)  # entries naming paths outside the folder: ignored

    def describes(self, target: Path) -> bool:
        """Whether the folder now at `target` is the one this manifest was written for."""
        return self.tree is not None and self.tree == tree_identity(target)


def read_manifest(target: Path) -> Manifest:
    """The manifest of the site in `target`, if this tool made it; entries outside the folder are set aside."""
    try:
        data = json.loads(manifest_path(target).read_text(encoding="utf-8"))
        if data.get("format") not in _READABLE_FORMATS or not isinstance(data["inputs"], str):
            return Manifest()
        manifest = Manifest(found=True, inputs=data["inputs"])
        tree = data.get("tree")
        manifest.tree = tree if isinstance(tree, list) and all(isinstance(n, int) for n in tree) else None
        for path, entry in data["outputs"].items():
            if not is_inside(path):
                manifest.outside.append(path)
                continue
            digest_, size, key = entry
            if isinstance(digest_, str) and isinstance(size, int) and isinstance(key, str):
                manifest.outputs[path] = Recorded(digest_, size, key)
        if not target.is_dir():
            manifest.inputs, manifest.outputs = "", {}
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def verified(target: Path, outputs: dict[str, Recorded]) -> dict[str, Recorded]:
    """The recorded outputs whose file in `target` really has the recorded bytes (symbolic links are not followed)."""
    found: dict[str, Recorded] = {}
    root = os.fspath(target)
    for path in files_under(target):  # regular files in real folders only
        relative = os.path.relpath(path, root).replace(os.sep, "/")
        recorded = outputs.get(relative)
        if recorded is None or os.lstat(path).st_size != recorded.size:
            continue
        with open(path, "rb") as stream:
            if digest(stream.read()) == recorded.digest:
                found[relative] = recorded
    return found


SETTLE_SECONDS = 2.0  # a file changed this recently may change again within its timestamp's resolution


def inputs_fingerprint(folders: list[Path], extra: str) -> str:
    """A hash of every file's path, size, inode and modification and change times under `folders`, and `extra`.

    Cheap (no file is read), so a rebuild with nothing changed can stop here. The change time catches an
    edit whose size and modification time were kept (`cp -p`, `touch -r`): no tool can set it back. Empty
    when a file changed in the last couple of seconds, as an edit within one timestamp tick could look
    unchanged: such a fingerprint is not to be trusted or stored, and the build then compares contents.
    """
    hasher = hashlib.sha256(extra.encode("utf-8"))
    settled = time.time_ns() - int(SETTLE_SECONDS * 1e9)
    for folder in folders:
        for path in files_under(folder):
            info = os.stat(path)
            if max(info.st_mtime_ns, info.st_ctime_ns) > settled:
                return ""
            hasher.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\n".encode())
    return hasher.hexdigest()


class SiteWriter:
    """Makes the next tree beside `target`; `commit` swaps it in and writes the manifest, `discard` forgets it.

    `previous` is what the last build made that may be reused: entries of a manifest that describes the
    folder, or that were checked against its files.
    """

    def __init__(self, target: Path, inputs: str = "", previous: dict[str, Recorded] | None = None) -> None:
        self.target = target
        self.inputs = inputs
        target.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous or {}
        self.staging = new_tree(target)
        self.outputs: dict[str, Staged] = {}
        self._folders: set[str] = {""}
        self._tried: set[str] = set()  # outputs staged by workers and then dropped (see write.render_pages)

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

    def _folder_for(self, relative: str) -> None:
        folder = relative.rpartition("/")[0]
        if folder in self._folders:
            return
        parts = folder.split("/")
        for depth in range(1, len(parts) + 1):
            partial = "/".join(parts[:depth])
            if partial not in self._folders:
                path = self.staging / partial
                try:
                    os.mkdir(path)
                    os.chmod(path, 0o755)
                except FileExistsError:
                    pass  # made by another worker process
                self._folders.add(partial)

    def _link_old(self, relative: str, recorded: Recorded) -> bool:
        """Put the old tree's file for `relative` in the new tree; False if it is not there as recorded."""
        source = self.target / relative
        try:
            info = os.lstat(source)
        except OSError:
            return False
        if not stat.S_ISREG(info.st_mode) or info.st_size != recorded.size:
            return False
        self._folder_for(relative)
        self._clear(relative)
        try:
            os.link(source, self.staging / relative, follow_symlinks=False)
        except OSError as error:
            if error.errno == errno.ENOENT:
                return False
            shutil.copyfile(source, self.staging / relative)  # a filesystem without hard links
            os.chmod(self.staging / relative, 0o644)
        return True

    def _clear(self, relative: str) -> None:
        """Remove what an abandoned attempt put at `relative` (never written through: it may be a link to the old site)."""
        if relative in self._tried:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.staging / relative)

    def stage(self, relative: str, data: bytes, key: str = "") -> Staged:
        """Put one output in the new tree: a link to the old file when the bytes are the same. Safe in workers."""
        if not is_inside(relative):
            raise OutsideOutput(f"an output path leads outside the output folder: {relative!r}")
        hashed = digest(data)
        recorded = self.previous.get(relative)
        if recorded is not None and recorded.digest == hashed and self._link_old(relative, recorded):
            return Staged(len(data), hashed, changed=False, key=key)
        self._folder_for(relative)
        self._clear(relative)
        descriptor = os.open(self.staging / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(descriptor, 0o644)
            stream.write(data)
        return Staged(len(data), hashed, changed=True, key=key)

    def write(self, relative: str, content: str | bytes, key: str = "") -> None:
        """One output, by its path relative to the site root (e.g. 'events/x/index.html')."""
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.outputs[relative] = self.stage(relative, data, key)

    def keep_all(self, key: str) -> bool:
        """Keep every output the last build made from inputs with this key; False if any is missing."""
        kept = [relative for relative, recorded in self.previous.items() if key and recorded.key == key]
        if not kept or any(relative in self.outputs for relative in kept):
            return False
        linked = [relative for relative in kept if self.keep(relative, key)]
        if len(linked) == len(kept):
            return True
        for relative in linked:  # make the whole group again
            del self.outputs[relative]
            os.unlink(self.staging / relative)
        return False

    def keep(self, relative: str, key: str) -> bool:
        """Keep the output the last build made from the same inputs (same key), without making it again."""
        recorded = self.previous.get(relative)
        if not key or recorded is None or recorded.key != key:
            return False
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        if not self._link_old(relative, recorded):
            return False
        self.outputs[relative] = Staged(recorded.size, recorded.digest, changed=False, key=key)
        return True

    def forget(self, relative: str) -> None:
        """Drop an output a worker may have staged: it will be staged again."""
        self.outputs.pop(relative, None)
        self._tried.add(relative)

    def record(self, staged: dict[str, Staged]) -> None:
        """Outputs another process staged."""
        clash = staged.keys() & self.outputs.keys()
        if clash:
            raise ValueError(f"two outputs want the same path: {sorted(clash)[0]}")
        self.outputs.update(staged)

    def commit(self) -> None:
        """Swap the new tree in, then record it: a build killed before the manifest is written leaves one
        that no longer describes the folder, so the next build checks the files themselves."""
        self.staging.chmod(0o755)
        swap_in(self.staging, self.target)
        outputs = {relative: [staged.digest, staged.size, staged.key] for relative, staged in sorted(self.outputs.items())}
        manifest = {"format": MANIFEST_FORMAT, "inputs": self.inputs, "tree": tree_identity(self.target), "outputs": outputs}
        path = manifest_path(self.target)
        descriptor, temporary = tempfile.mkstemp(prefix=f"{path.stem}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(json.dumps(manifest, indent=0, sort_keys=True) + "\n")
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
