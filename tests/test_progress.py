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
