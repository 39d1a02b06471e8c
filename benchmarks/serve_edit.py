"""`serve`: seconds from saving an edit to an event to having the reloaded page, as a browser would see it, for
a first edit and the ones after it (the server keeps what it made in memory between builds).

Starts `timeline serve` on a free port, listens to its reload events like the page's script does, edits
one event, waits for the next build's event, and fetches the event's page; then again.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

WATCHER_START = 60.0  # seconds without a rebuild after an edit before the edit is made again


def _next_state(stream: http.client.HTTPResponse) -> dict[str, object]:
    """The next `state` message of the server-sent events stream."""
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("serve closed its event stream")
        if line.startswith(b"data: "):
            return json.loads(line[6:])  # type: ignore[no-any-return]


def time_serve_edit(code: Path, project: Path, templates: str, edits: int = 3) -> tuple[list[float], float]:
    """Serve `project` (its content/ and cache/), edit one event `edits` times once the first build is done, and
    time each edit to the reloaded page; and the server's peak resident memory (MiB), its workers' aside."""
    env = {**os.environ, "XDG_CACHE_HOME": str(project / "cache")}
    command = [sys.executable, str(code / "build.py"), "serve", "--templates", templates, "--port", "0"]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        while line and "serving on" not in line:
            line = server.stdout.readline()
        port = int(line.rsplit(":", 1)[1].split("/")[0])
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        events.request("GET", "/__serve/events")
        stream = events.getresponse()
        generation = _next_state(stream)["generation"]
        files = sorted((project / "content" / "events").rglob("*.yaml"))
        event = files[len(files) // 3]
        text = event.read_text(encoding="utf-8")
        stream.fp.raw._sock.settimeout(WATCHER_START)  # type: ignore[union-attr,attr-defined]
        time.sleep(1.0)  # the watcher starts just after the server
        times = []
        for edit in range(1, edits + 1):
            marker = f"Served {edit} "
            for attempt in range(1, 4):  # an edit before the watcher started is not seen: again
                started = time.perf_counter()
                event.write_text(text.replace("title: ", f"title: {marker * attempt}", 1), encoding="utf-8")
                try:
                    while (state := _next_state(stream))["generation"] == generation:
                        pass
                    generation = state["generation"]
                    break
                except TimeoutError:
                    continue
            else:
                raise RuntimeError("serve did not rebuild after an edit")
            page = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            page.request("GET", f"/events/{event.stem}/")
            body = page.getresponse().read()
            times.append(time.perf_counter() - started)
            if marker.encode() not in body:
                raise RuntimeError("the reloaded page does not show the edit")
        return times, _peak_memory(server.pid)
    finally:
        server.terminate()
        server.wait()


def _peak_memory(pid: int) -> float:
    """The peak resident memory of a running process, in MiB (Linux), or 0 where that cannot be read."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0.0)
