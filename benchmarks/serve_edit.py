"""`serve`: seconds from saving an edit to an event to having the reloaded page, as a browser would see it.

Starts `timeline serve` on a free port, listens to its reload events like the page's script does, edits
one event, waits for the next build's event, and fetches the event's page.
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


def time_serve_edit(code: Path, project: Path, templates: str) -> float:
    """Serve `project` (its content/ and cache/), edit one event once the first build is done, and time the edit to
    the reloaded page."""
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
        stream.fp.raw._sock.settimeout(WATCHER_START)  # type: ignore[union-attr]
        time.sleep(1.0)  # the watcher starts just after the server
        for attempt in range(1, 4):  # an edit before the watcher started is not seen: again
            started = time.perf_counter()
            event.write_text(text.replace("title: ", "title: Served " * attempt, 1), encoding="utf-8")
            try:
                while _next_state(stream)["generation"] == generation:
                    pass
                break
            except TimeoutError:
                continue
        else:
            raise RuntimeError("serve did not rebuild after an edit")
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        page.request("GET", f"/events/{event.stem}/")
        body = page.getresponse().read()
        seconds = time.perf_counter() - started
        if b"Served " not in body:
            raise RuntimeError("the reloaded page does not show the edit")
        return seconds
    finally:
        server.terminate()
        server.wait()
