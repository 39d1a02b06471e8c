"""Writing the site: every build makes a whole tree beside the target and swaps it in (see sitetree).

The tree is the one the build before the last left in `.site-previous`, brought up to date: only the outputs
that differ from what it holds are written (or hard-linked from the current site when the current site has
them), and files it holds that are no longer outputs are removed. Without such a tree, a new one is made,
unchanged files hard-linked from the current site. After the swap the old site becomes `.site-previous`
and the manifest is written (see manifest). A failed build leaves the target as it was; the same input
gives the same bytes.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import secrets
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from timeline.files import files_under
from timeline.manifest import Recorded, write_manifest
from timeline.sitetree import is_inside, keep_as_previous, new_tree, previous_tree, remove_tree, swap_in


@dataclass(frozen=True)
class Staged:
    size: int
    digest: str
    changed: bool  # its bytes differ from the current site's file at this path (or there is none)
    key: str = ""  # what the output was made from (see pagekeys); empty when not tracked


class OutsideOutput(ValueError):
    """An output path that would lead out of the output folder."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(data: bytes) -> str:
    """A short content hash for cache-busting file names."""
    return digest(data)[:10]


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


@functools.cache
def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for a moment, under other threads); 0o777
    where it cannot be read, so that every mode is then set explicitly."""
    try:
        with open("/proc/self/status", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o777


class SiteWriter:
    """Makes the next tree beside `target`; `commit` swaps it in and writes the manifest, `discard` forgets it.

    `previous` is what the current site holds that may be reused: entries of a manifest that describes the
    folder, or that were checked against its files. `spare` is what `.site-previous` holds, when the
    manifest vouches for it; `rotate` keeps the current site as the next `.site-previous` (only when
    `previous` lists all of it).
    """

    def __init__(
        self,
        target: Path,
        inputs: str = "",
        previous: dict[str, Recorded] | None = None,
        spare: dict[str, Recorded] | None = None,
        rotate: bool = False,
    ) -> None:
        self.target = target
        self.inputs = inputs
        target.parent.mkdir(parents=True, exist_ok=True)
        self.previous = previous or {}
        self.rotate = rotate
        self.present: dict[str, Recorded] = {}  # what the tree being made already holds
        spare_path = previous_tree(target)
        if spare is not None:
            self.staging = target.parent / f".{target.name}-build-{secrets.token_hex(4)}"
            os.rename(spare_path, self.staging)  # from now on the manifest no longer vouches for it
            self.present = spare
        else:
            if os.path.lexists(spare_path):
                remove_tree(spare_path)
            self.staging = new_tree(target)
        self.outputs: dict[str, Staged] = {}
        self._folders: set[str] = {""}
        self._tried: set[str] = set()  # outputs staged and then dropped, to be staged again (see `forget`)

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
                    os.mkdir(path, 0o755)
                    if _umask() & 0o755:
                        os.chmod(path, 0o755)
                except FileExistsError:
                    if not path.is_dir() or path.is_symlink():  # a file the reused tree had where a folder goes now
                        path.unlink()
                        os.mkdir(path)
                        os.chmod(path, 0o755)
                self._folders.add(partial)

    def _holds(self, relative: str, digest_: str) -> bool:
        """Whether the tree being made already has these bytes at `relative`."""
        held = self.present.get(relative)
        return held is not None and held.digest == digest_ and relative not in self._tried

    def _clear(self, relative: str) -> None:
        """Remove what the tree holds at `relative`, never writing through it: it may be a link to the site's file."""
        if relative in self.present or relative in self._tried:
            path = self.staging / relative
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    def _link_old(self, relative: str, recorded: Recorded) -> bool:
        """Put the current site's file for `relative` in the new tree; False if it is not there as recorded."""
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

    def stage(self, relative: str, data: bytes, key: str = "") -> Staged:
        """Put one output in the new tree, writing only bytes it does not already have. Safe in worker processes."""
        if not is_inside(relative):
            raise OutsideOutput(f"an output path leads outside the output folder: {relative!r}")
        hashed = digest(data)
        recorded = self.previous.get(relative)
        same = recorded is not None and recorded.digest == hashed
        if self._holds(relative, hashed) or (same and self._link_old(relative, recorded)):  # type: ignore[arg-type]
            return Staged(len(data), hashed, changed=not same, key=key)
        self._folder_for(relative)
        self._clear(relative)
        descriptor = os.open(self.staging / relative, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        with os.fdopen(descriptor, "wb") as stream:
            if _umask() & 0o644:
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
        """Keep every output the last build made from inputs with this key; False if any cannot be kept."""
        kept = [relative for relative, recorded in self.previous.items() if key and recorded.key == key]
        if not kept or any(relative in self.outputs for relative in kept):
            return False
        linked = [relative for relative in kept if self.keep(relative, key)]
        if len(linked) == len(kept):
            return True
        for relative in linked:  # the whole group is made again
            self.forget(relative)
        return False

    def keep(self, relative: str, key: str) -> bool:
        """Keep the output the last build made from the same inputs (same key), without making it again."""
        recorded = self.previous.get(relative)
        if not key or recorded is None or recorded.key != key:
            return False
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        if not self._holds(relative, recorded.digest) and not self._link_old(relative, recorded):
            return False
        self.outputs[relative] = Staged(recorded.size, recorded.digest, changed=False, key=key)
        return True

    def stage_file(self, relative: str, source: Path, digest_: str, size: int, key: str) -> Staged | None:
        """Put a file an earlier build made from the same inputs (see rendercache) in the tree: linked, else copied.
        None when `source` is gone. Safe in worker processes."""
        if not is_inside(relative):
            raise OutsideOutput(f"an output path leads outside the output folder: {relative!r}")
        recorded = self.previous.get(relative)
        same = recorded is not None and recorded.digest == digest_
        if not self._holds(relative, digest_):
            self._folder_for(relative)
            self._clear(relative)
            self._tried.add(relative)  # what the tree held there is gone, whatever comes next
            try:
                os.link(source, self.staging / relative, follow_symlinks=False)
            except FileNotFoundError:
                return None
            except OSError:  # another filesystem, or one without hard links
                try:
                    shutil.copyfile(source, self.staging / relative, follow_symlinks=False)
                except FileNotFoundError:
                    return None
                os.chmod(self.staging / relative, 0o644)
        return Staged(size, digest_, changed=not same, key=key)

    def adopt(self, relative: str, source: Path, digest_: str, size: int, key: str) -> bool:
        """`stage_file`, here: False when the file is gone."""
        if relative in self.outputs:
            raise ValueError(f"two outputs want the same path: {relative}")
        staged = self.stage_file(relative, source, digest_, size, key)
        if staged is None:
            self._tried.add(relative)
            return False
        self.outputs[relative] = staged
        return True

    def forget(self, relative: str) -> None:
        """Drop an output that may have been staged (by a worker, say): it will be staged again, or removed."""
        self.outputs.pop(relative, None)
        self._tried.add(relative)

    def record(self, staged: dict[str, Staged]) -> None:
        """Outputs another process staged."""
        clash = staged.keys() & self.outputs.keys()
        if clash:
            raise ValueError(f"two outputs want the same path: {sorted(clash)[0]}")
        self.outputs.update(staged)

    def _remove_stale(self) -> None:
        """Remove what the reused tree holds that is no longer an output, and the folders that leaves empty."""
        for relative in sorted((self.present.keys() | self._tried) - self.outputs.keys()):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.staging / relative)
            folder = relative.rpartition("/")[0]
            while folder:
                try:
                    os.rmdir(self.staging / folder)
                except OSError:
                    break
                folder = folder.rpartition("/")[0]

    def commit(self) -> None:
        """Swap the new tree in, keep the old one for the next build, then record both."""
        self._remove_stale()
        self.staging.chmod(0o755)
        old = swap_in(self.staging, self.target)
        kept = old is not None and self.rotate and keep_as_previous(old, self.target)
        if old is not None and not kept:
            remove_tree(old)
        outputs = {relative: _recorded(s, self.previous.get(relative)) for relative, s in self.outputs.items()}
        write_manifest(self.target, self.inputs, outputs, self.previous if kept else None)

    def discard(self) -> None:
        remove_tree(self.staging)


def _recorded(staged: Staged, before: Recorded | None) -> Recorded:
    """What the manifest records of an output: the last build's record itself when it is unchanged."""
    if before is not None and before.digest == staged.digest and before.key == staged.key and before.size == staged.size:
        return before
    return Recorded(staged.digest, staged.size, staged.key)
