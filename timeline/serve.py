"""`timeline serve`: build into a temporary folder, serve it on 127.0.0.1 and rebuild on every change.

Open pages reload themselves after a rebuild (a small script the server adds to each HTML page, fed
by server-sent events). A content error keeps the last good site and shows the diagnostics in an
overlay until the content is fixed.
"""

from __future__ import annotations

import http.server
import json
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from timeline.build import build_site
from timeline.diagnostics import Diagnostics, format_diagnostics
from timeline.theme import template_folders

RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "timeline-serve-errors";
      overlay.setAttribute("role", "alert");
      var s = overlay.style;
      s.position = "fixed"; s.inset = "0"; s.zIndex = "2147483647"; s.overflow = "auto";
      s.background = "rgba(20,20,20,0.94)"; s.color = "#ffd7d7"; s.padding = "2rem";
      s.font = "14px/1.5 ui-monospace, monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "The content has errors; the page shows the last good build.\\n\\n" + text;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  var generation = null;
  var source = new EventSource("/__serve/events");
  source.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.errors) { show(state.errors); } else { hide(); }
    if (generation !== null && state.generation !== generation && !state.errors) { window.location.reload(); }
    generation = state.generation;
  });
})();
"""
SCRIPT_TAG = b'<script src="/__serve/reload.js"></script>'


class PreviewState:
    """The latest build: its number, and the diagnostics when it failed."""

    def __init__(self) -> None:
        self.generation = 0
        self.errors = ""
        self.changed = threading.Condition()

    def update(self, errors: str) -> None:
        with self.changed:
            self.generation += 1
            self.errors = errors
            self.changed.notify_all()

    def as_json(self) -> str:
        return json.dumps({"generation": self.generation, "errors": self.errors})


def rebuild(content: Path, templates: Path, out: Path, state: PreviewState) -> None:
    diagnostics = Diagnostics()
    try:
        report = build_site(content, templates, out, diagnostics)
    except Exception as exc:  # a template mistake must not stop the preview
        report = None
        diagnostics.error(str(templates), 1, 1, f"the templates failed to render: {type(exc).__name__}: {exc}")
    text = format_diagnostics(list(diagnostics), "text")
    if text:
        print(text, file=sys.stderr, flush=True)
    if report is None:
        print(f"build failed: {len(diagnostics.errors)} error(s); serving the last good build", file=sys.stderr, flush=True)
        state.update(text)
    else:
        print(f"rebuilt {report.rendered} of {report.pages} pages", flush=True)
        state.update("")


def make_handler(site: Path, state: PreviewState) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path == "/__serve/reload.js":
                self._send(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            elif path == "/__serve/events":
                self._stream_events()
            elif path.endswith("/") or path.endswith(".html"):
                self._send_html(path)
            else:
                super().do_GET()

        def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _send_html(self, path: str) -> None:
            file = site / unquote(path).lstrip("/")
            if file.is_dir() or path.endswith("/"):
                file = file / "index.html"
            status = 200
            if not file.is_file() or site.resolve() not in file.resolve().parents:
                file, status = site / "404.html", 404
            body = file.read_bytes() if file.is_file() else b"<!doctype html><title>Not found</title><h1>Not found</h1>"
            body = body.replace(b"</body>", SCRIPT_TAG + b"</body>", 1) if b"</body>" in body else body + SCRIPT_TAG
            self._send(body, "text/html; charset=utf-8", status)

        def _stream_events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while True:
                    with state.changed:
                        if state.generation == seen:
                            state.changed.wait(timeout=15)
                        seen, data = state.generation, state.as_json()
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(content: Path, templates: Path, host: str, port: int) -> int:
    """Build, serve and watch until interrupted."""
    from watchfiles import watch

    with tempfile.TemporaryDirectory(prefix="timeline-serve-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        state = PreviewState()
        rebuild(content, templates, site, state)
        server = http.server.ThreadingHTTPServer((host, port), make_handler(site, state))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"serving on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", flush=True)
        try:
            for _changes in watch(content, *template_folders(templates), debounce=200, step=50, raise_interrupt=False):
                rebuild(content, templates, site, state)
        finally:
            server.shutdown()
    return 0
