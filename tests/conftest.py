"""Shared fixtures: built sites, a local web server and a headless Chromium."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.process import as_a_new_process
from timeline.build import build_site, load_timeline
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SMALL_CONTENT = FIXTURES / "site-small" / "content"
BCE_CONTENT = FIXTURES / "site-bce" / "content"  # events before the common era, and CE years under 1000
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(autouse=True, scope="session")
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite keeps its cached content apart from the user's (and from other runs')."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _cache_of_the_test(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test has its own cache folder too, and starts as a process of its own: a build memoised whole (the
    rendered outputs, the model, the list of a site's files) or in part (charts, checks, page keys) is found by its
    inputs, and a test that patches the code's settings changes the output without changing the inputs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    as_a_new_process(monkeypatch)


def build(content: Path, out: Path) -> Path:
    diagnostics = Diagnostics()
    report = build_site(content, ROOT / "templates", out, diagnostics)
    assert report is not None, "\n".join(d.format_text() for d in diagnostics)
    return out


@functools.cache
def real_timeline() -> Timeline:
    """The model of the real content, read once."""
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    return timeline


def page_kinds() -> dict[str, str]:
    """One page of every kind the real site has: name -> path below the site root. The event is the one
    with the most on its page."""
    timeline = real_timeline()
    event = max(timeline.events, key=lambda e: (bool(e.figures), len(e.claims), len(e.sources), e.id))
    return {
        "index": "",
        "event": f"events/{event.id}/",
        "episode": f"episodes/{timeline.episodes[0].id}/",
        "actor": f"actors/{next(iter(timeline.by_actor))}/",
        "place": f"places/{next(iter(timeline.by_place))}/",
        "tag": f"tags/{next(iter(timeline.by_tag))}/",
        "sources": "sources/",
        "charts": "charts/",
        "compare": "compare/",
        "about": "about/",
        "methodology": "methodology/",
        "404": "404.html",
        "episodes": "episodes/",
        "actors": "actors/",
        "places": "places/",
        "tags": "tags/",
        "data": "exports/",
    }


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture site, built once."""
    return build(SMALL_CONTENT, tmp_path_factory.mktemp("small") / "site")


@pytest.fixture(scope="session")
def bce_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site of events before the common era, built once."""
    return build(BCE_CONTENT, tmp_path_factory.mktemp("bce") / "site")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site from content/, built once."""
    return build(ROOT / "content", tmp_path_factory.mktemp("real") / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_url(real_site: Path) -> Iterator[str]:
    """The real site served on localhost."""
    yield from serve(real_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def wait_until(page: object, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true.

    Playwright's wait_for_function evaluates its predicate with eval(), which the pages'
    Content-Security-Policy forbids; page.evaluate goes through the debugging protocol instead.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(expression):  # type: ignore[attr-defined]
                return
        except Error as exc:  # the page is navigating: ask the next one
            if "context was destroyed" not in str(exc) and "navigation" not in str(exc):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {expression}")
        page.wait_for_timeout(50)  # type: ignore[attr-defined]
