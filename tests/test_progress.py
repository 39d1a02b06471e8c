"""Progress shows on a terminal for long builds only; elsewhere output stays line-oriented."""

import io

import pytest

from timeline import progress as progress_module
from timeline.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_stages_and_counts_then_a_cleared_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)
    stream = Terminal()
    shown = Progress(stream)
    shown.update("rendering pages", 200, 1000)
    shown.done()
    assert stream.getvalue() == "\r\033[Krendering pages 200/1,000\r\033[K"


def test_short_builds_pipes_and_ci_show_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    terminal = Terminal()
    Progress(terminal).update("rendering pages", 1, 2)  # within the first two seconds
    assert terminal.getvalue() == ""
    monkeypatch.setattr(progress_module, "SHOW_AFTER", 0.0)
    pipe = io.StringIO()
    Progress(pipe).update("rendering pages", 1, 2)
    assert pipe.getvalue() == ""
    monkeypatch.setenv("CI", "true")
    ci = Terminal()
    Progress(ci).update("rendering pages", 1, 2)
    assert ci.getvalue() == ""


def test_the_stage_clock_adds_up_each_stage_and_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    now = iter([0.0, 1.0, 1.0, 3.5, 3.5, 4.0])  # perf_counter and CPU seconds advance together here
    cpu = iter([0.0, 0.5, 0.5, 2.5, 2.5, 2.75])
    monkeypatch.setattr(progress_module.time, "perf_counter", lambda: next(now))
    monkeypatch.setattr(progress_module, "_cpu_seconds", lambda: next(cpu))
    clock = progress_module.StageClock()
    shown = Progress(io.StringIO(), enabled=False, clock=clock)
    shown.update("reading content")
    shown.update("rendering pages", 1, 10)
    shown.update("rendering pages", 5, 10)  # the same stage goes on
    shown.update("reading content")  # a stage seen before adds to its time
    shown.done()
    assert clock.stages == {"reading content": (1.5, 0.75), "rendering pages": (2.5, 2.0)}
    lines = clock.table().splitlines()
    assert [line.split()[-2:] for line in lines[1:]] == [["1.50", "0.75"], ["2.50", "2.00"], ["4.00", "2.75"]]
    assert lines[-1].startswith("total")
