"""Progress of a long build, on a terminal only: one line rewritten in place, then cleared.

Off a terminal (a pipe, a log, CI) nothing is printed, so output stays line-oriented.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER = 2.0  # seconds: short builds never show progress


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = self.stream.isatty() and not os.environ.get("CI")
        self.enabled = enabled
        self.started = time.monotonic()
        self.shown = False

    def update(self, stage: str, done: int = 0, total: int = 0) -> None:
        if not self.enabled or time.monotonic() - self.started < SHOW_AFTER:
            return
        count = f" {done:,}/{total:,}" if total else ""
        self.stream.write(f"\r\033[K{stage}{count}")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


QUIET = Progress(enabled=False)
