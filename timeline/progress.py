"""Progress of a long build, on a terminal only: one line rewritten in place, then cleared.

Off a terminal (a pipe, a log, CI) nothing is printed, so output stays line-oriented. A StageClock, when
given, times every stage the build announces (`timeline build --timings`).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

SHOW_AFTER = 2.0  # seconds: short builds never show progress


def _cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its workers that have finished."""
    try:
        import resource
    except ImportError:  # not POSIX: this process only
        return time.process_time()
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


class StageClock:
    """Wall and CPU seconds of each stage, in the order the stages first came."""

    def __init__(self) -> None:
        self.stages: dict[str, tuple[float, float]] = {}
        self._current: str | None = None
        self._wall = self._cpu = 0.0

    def enter(self, stage: str) -> None:
        if stage != self._current:
            self.stop()
            self._current, self._wall, self._cpu = stage, time.perf_counter(), _cpu_seconds()

    def stop(self) -> None:
        if self._current is not None:
            wall, cpu = self.stages.get(self._current, (0.0, 0.0))
            self.stages[self._current] = (wall + time.perf_counter() - self._wall, cpu + _cpu_seconds() - self._cpu)
        self._current = None

    def table(self) -> str:
        """One line per stage, then the total: wall seconds, CPU seconds (workers' included)."""
        total = (sum(wall for wall, _ in self.stages.values()), sum(cpu for _, cpu in self.stages.values()))
        rows = [*self.stages.items(), ("total", total)]
        width = max(len(name) for name, _ in rows)
        lines = [f"{'stage':<{width}}  {'wall s':>7}  {'CPU s':>7}"]
        lines += [f"{name:<{width}}  {wall:7.2f}  {cpu:7.2f}" for name, (wall, cpu) in rows]
        return "\n".join(lines)


class Progress:
    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None, clock: StageClock | None = None) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = self.stream.isatty() and not os.environ.get("CI")
        self.enabled = enabled
        self.clock = clock
        self.started = time.monotonic()
        self.shown = False

    def update(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self.clock is not None:
            self.clock.enter(stage)
        if not self.enabled or time.monotonic() - self.started < SHOW_AFTER:
            return
        count = f" {done:,}/{total:,}" if total else ""
        self.stream.write(f"\r\033[K{stage}{count}")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.clock is not None:
            self.clock.stop()
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


QUIET = Progress(enabled=False)
