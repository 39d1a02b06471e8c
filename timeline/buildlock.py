"""One build at a time per output folder: a lock file beside it (`.site.lock`) holding the builder's PID.

The lock is a POSIX record lock (lockf) on that file, which the system releases when its holder dies, even
by SIGKILL: a lock file left by a killed build is stale and is simply taken over. Unlike flock, it is not
inherited by forked worker processes, so workers a killed build leaves behind do not keep it. A second
build waits for the first. (Two builds in one process do not exclude each other: the lock is per process.)
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
from pathlib import Path
from types import TracebackType


def lock_path(target: Path) -> Path:
    return target.parent / f".{target.name}.lock"


def lock_holder(target: Path) -> int | None:
    """The PID written in the lock file, if there is one."""
    try:
        return int(lock_path(target).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


class BuildLock:
    """Held for the whole of one build of `target`, from reading its manifest to writing the new one."""

    def __init__(self, target: Path) -> None:
        self.path = lock_path(target)
        self.target = target
        self.fd = -1

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EACCES, errno.EAGAIN):
                    os.close(fd)
                    raise
                holder = lock_holder(self.target)
                who = f" (PID {holder})" if holder else ""
                print(f"waiting for another build of {self.target}/{who} to finish", file=sys.stderr, flush=True)
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            if self._still_the_lock_file(fd):
                break
            os.close(fd)  # the holder removed the file as it finished: lock the one that is there now
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self.fd = fd
        return self

    def _still_the_lock_file(self, fd: int) -> bool:
        try:
            here, there = os.fstat(fd), os.stat(self.path)
        except FileNotFoundError:
            return False
        return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.path.unlink(missing_ok=True)  # before unlocking: a waiting build then sees a new file and locks that
        os.close(self.fd)
        self.fd = -1
