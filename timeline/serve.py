"""`timeline serve`: build into a temporary folder, serve it on 127.0.0.1 and rebuild on every change.

Open pages reload themselves after a rebuild (a small script the server adds to each HTML page, fed
by server-sent events). A content error keeps the last good site and shows the diagnostics in an
overlay until the content is fixed.
"""

from __future__ import annotations

import http.server
import json
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
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
        report = build_site(content, templates, out, diagnostics, preview=True)
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


MAX_PATH = 2048  # longer request paths are refused (414) before any file is looked at
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def host_allowed(header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a Host header names this machine: a page on another site that re-points its own name at
    127.0.0.1 (DNS rebinding) sends its own name, so it is refused and cannot read the preview."""
    if not header:
        return False
    name = header.strip().lower()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name
    else:
        name = name.rsplit(":", 1)[0] if name.count(":") == 1 else name
    return name in LOOPBACK_NAMES or name.endswith(".localhost") or name in allowed


def request_problem(path: str) -> int | None:
    """The status to refuse a request path with, if it cannot name a file of the site."""
    if len(path) > MAX_PATH:
        return 414
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in unquote(path)):
        return 400
    return None


def make_handler(
    site: Path, state: PreviewState, allowed_hosts: frozenset[str] = frozenset()
) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _refused(self) -> bool:
            """Answer a request that must not be served (wrong host, impossible path); True if it was."""
            if not host_allowed(self.headers.get("Host"), allowed_hosts):
                self.send_error(403, "this preview answers only to localhost")
                return True
            status = request_problem(urlsplit(self.path).path)
            if status is not None:
                self.send_error(status)
                return True
            return False

        def do_HEAD(self) -> None:
            if not self._refused():
                super().do_HEAD()

        def do_GET(self) -> None:
            if self._refused():
                return
            path = urlsplit(self.path).path
            if path == "/__serve/reload.js":
                self._send(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            elif path == "/__serve/events":
                self._stream_events()
            elif path.endswith("/") or path.endswith(".html"):
                self._send_html(path)
            else:
                try:
                    super().do_GET()
                except (OSError, ValueError):  # a name the file system refuses: too long, say
                    self.send_error(404)

        def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _send_html(self, path: str) -> None:
            file, status = _html_file(site, path), 200
            if file is None:
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


def _html_file(site: Path, path: str) -> Path | None:
    """The page a path names, if it is a file inside the site; None for anything else."""
    try:
        file = site / unquote(path).lstrip("/")
        if file.is_dir() or path.endswith("/"):
            file = file / "index.html"
        if file.is_file() and site.resolve() in file.resolve().parents:
            return file
    except (OSError, ValueError):  # a name too long for the file system
        pass
    return None


def serve(content: Path, templates: Path, host: str, port: int, allowed_hosts: frozenset[str] = frozenset()) -> int:
    """Build, serve and watch until interrupted (Ctrl+C or SIGTERM, either of which removes the temporary site)."""
    try:  # the port first: finding it taken after a full build wastes the build
        server = http.server.ThreadingHTTPServer((host, port), http.server.BaseHTTPRequestHandler)
    except OSError as exc:
        print(f"timeline serve: error: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
        print("  hint: another program uses this port; choose another with --port (0 picks a free one)", file=sys.stderr)
        return 2
    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        with server, tempfile.TemporaryDirectory(prefix="timeline-serve-") as tmp:
            site = Path(tmp) / "site"
            site.mkdir()
            state = PreviewState()
            server.RequestHandlerClass = make_handler(site, state, allowed_hosts)
            server.daemon_threads = True
            seen = _identities(content, templates)
            rebuild(content, templates, site, state)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            print(f"serving on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", flush=True)
            try:
                _watch(content, templates, lambda: rebuild(content, templates, site, state), seen)
            finally:
                server.shutdown()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _exit_on_signal(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl+C: the temporary site is removed on the way out


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _identities(*folders: Path) -> list[tuple[int, int] | None]:
    return [_identity(folder) for folder in folders]


def _watch(content: Path, templates: Path, changed: Callable[[], None], seen: list[tuple[int, int] | None]) -> None:
    """Call `changed` after every change under content/ or templates/, for ever; `seen` is which folders
    the last build read.

    A watch follows the folder it started on; when content/ or templates/ is deleted, or replaced by
    another folder of the same name, the watch starts again on whatever is there now.
    """
    from watchfiles import watch

    stale = False  # a folder was replaced: rebuild once the new watch is live, so that no edit in between is lost
    while True:
        now = _identities(content, templates)
        if now != seen:
            seen, stale = now, True
        folders = [folder for folder in (content, *template_folders(templates)) if folder.is_dir()]
        if not folders:
            if stale:
                stale = False
                changed()
            time.sleep(0.2)
            continue
        try:
            for changes in watch(*folders, debounce=200, step=50, rust_timeout=1000, yield_on_timeout=True):
                if _identities(content, templates) != seen:
                    break  # watched again from the top of the loop
                if changes or stale:
                    stale = False
                    changed()
        except FileNotFoundError:  # a folder went away as the watch started
            time.sleep(0.2)
