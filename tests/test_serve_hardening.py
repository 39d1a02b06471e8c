"""`timeline serve` against hostile visitors and a changing project: odd paths, foreign Host headers, a port
in use, content/ deleted and re-created, SIGTERM. The server runs as a real process, as a user starts it."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_CONTENT
from timeline.serve import host_allowed

EVENT = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"


@dataclass
class Preview:
    process: subprocess.Popen[str]
    port: int
    content: Path
    tmp: Path  # the server's TMPDIR: its temporary site lives here
    lines: list[str]
    output: queue.Queue[str] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.put(line)

    def get(self, path: str, host: str | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host or f"127.0.0.1:{self.port}")
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def read_until(self, pattern: str, timeout: float = 30) -> str:
        """Output lines until one matches `pattern` (the server's output is read by a thread, so this never blocks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.output.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.lines.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} in:\n{''.join(self.lines)}")


def start(tmp_path: Path, *extra: str, port: int = 0) -> subprocess.Popen[str]:
    content = tmp_path / "content"
    if not content.exists():
        shutil.copytree(SMALL_CONTENT, content)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--content", str(content)]
    command += ["--templates", str(ROOT / "templates"), *extra]
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    process = start(tmp_path)
    running = Preview(process, 0, tmp_path / "content", tmp_path / "tmp", [])
    running.port = int(re.search(r"127\.0\.0\.1:(\d+)/", running.read_until("serving on")).group(1))  # type: ignore[union-attr]
    try:
        yield running
    finally:
        running.close()


def test_impossible_paths_get_an_answer_not_a_traceback(preview: Preview) -> None:
    assert preview.get("/index.html")[0] == 200
    assert preview.get("/index.html%00")[0] == 400
    assert preview.get("/static/x%00.css")[0] == 400
    assert preview.get("/" + "a" * 40_000 + "/")[0] == 414
    assert preview.get("/" + "a" * 2000 + "/")[0] == 404  # long, but not refused before looking: no such page
    assert preview.get("/" + "a" * 2000 + ".css")[0] == 404
    assert preview.get("/index.html")[0] == 200  # still serving
    assert "Traceback" not in "".join(preview.lines)


def test_only_loopback_host_names_are_answered(preview: Preview) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under its own name; its requests are refused."""
    assert preview.get("/", host=f"localhost:{preview.port}")[0] == 200
    assert preview.get("/", host=f"[::1]:{preview.port}")[0] == 200
    assert preview.get("/", host="evil.example")[0] == 403
    assert preview.get("/__serve/reload.js", host=f"attacker.example:{preview.port}")[0] == 403
    assert preview.get("/", host=f"127.0.0.1.evil.example:{preview.port}")[0] == 403


def test_host_names_allowed_by_choice() -> None:
    assert host_allowed("preview.local:8000", frozenset({"preview.local"}))
    assert not host_allowed("preview.local:8000", frozenset())
    assert not host_allowed(None, frozenset())
    assert host_allowed("app.localhost:8000", frozenset())


def test_deleting_and_recreating_content_keeps_the_preview_rebuilding(preview: Preview, tmp_path: Path) -> None:
    shutil.rmtree(preview.content)
    preview.read_until("build failed")
    shutil.copytree(SMALL_CONTENT, preview.content)
    preview.read_until("rebuilt")
    event = preview.content / EVENT
    event.write_text(event.read_text(encoding="utf-8").replace("describes the assault", "reports the assault"), encoding="utf-8")
    preview.read_until("rebuilt")
    assert b"reports the assault" in preview.get("/events/2022-07-03-haidai-account/")[1]


def test_sigterm_removes_the_temporary_site(preview: Preview) -> None:
    assert [p.name for p in preview.tmp.iterdir()], "the server keeps its site in TMPDIR"
    preview.process.send_signal(signal.SIGTERM)
    assert preview.process.wait(timeout=10) == 0
    assert list(preview.tmp.iterdir()) == []


def test_a_port_in_use_is_a_clear_error_before_any_build(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = start(tmp_path, port=taken.getsockname()[1])
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "cannot listen on 127.0.0.1" in output
    assert "--port" in output
    assert "Traceback" not in output
    assert "rebuilt" not in output  # no build was made first
    assert list((tmp_path / "tmp").iterdir()) == []
