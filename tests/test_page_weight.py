"""Page weight: the first view of the real home page is light, plotly.js comes only when a chart nears the
viewport, fonts are the reader's own and images (if any) are sized."""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import wait_until

FIRST_VIEW_LIMIT = 100 * 1024  # bytes, gzip-compressed
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PLOTLY = re.compile(r"/static/plotly\.min\.[0-9a-f]+\.js$")


class Loads:
    """Every request a page makes, and every response with its body, in the order they came.

    Requests are recorded when they start: a script can run, and draw a chart, before Playwright reports that
    its response finished."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.requested: list[str] = []
        self.responses: list[tuple[str, str, bytes]] = []  # url, resource type, body
        page.on("request", lambda request: self.requested.append(request.url))
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        response = request.response()
        body = response.body() if response is not None and response.ok else b""
        self.responses.append((request.url, request.resource_type, body))

    def plotly_requests(self) -> int:
        return sum(1 for url in self.requested if PLOTLY.search(url))

    def plotly_requested(self) -> bool:
        return self.plotly_requests() > 0


@pytest.fixture(params=["phone", "desktop"])
def loads(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Loads]]:
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    yield request.param, Loads(context.new_page())
    context.close()


@pytest.mark.browser
def test_first_view_of_the_home_page_is_under_100_kb_and_loads_no_plotly(loads: tuple[str, Loads], real_url: str) -> None:
    device, watch = loads
    watch.page.goto(real_url)
    watch.page.wait_for_load_state("networkidle")
    watch.page.wait_for_timeout(500)  # an IntersectionObserver would have fired by now
    chart_top = watch.page.evaluate("document.querySelector('[data-chart]').getBoundingClientRect().top")
    assert chart_top > watch.page.viewport_size["height"] + 300, "the overview chart sits below the first view"
    assert not watch.plotly_requested(), f"plotly.js was fetched for the first view ({device})"
    kinds = {kind for _, kind, _ in watch.responses}
    assert kinds <= {"document", "stylesheet", "script", "image", "other"}, kinds
    assert "font" not in kinds
    compressed = sum(len(gzip.compress(body, 9)) for _, _, body in watch.responses)
    raw = sum(len(body) for _, _, body in watch.responses)
    assert len(watch.responses) >= 4
    print(f"first view ({device}): {len(watch.responses)} files, {raw / 1024:.1f} KB, {compressed / 1024:.1f} KB gzip")
    assert compressed <= FIRST_VIEW_LIMIT, f"first view weighs {compressed / 1024:.1f} KB compressed"


@pytest.mark.browser
def test_plotly_loads_once_when_the_chart_nears_the_viewport(browser: Any, real_url: str) -> None:
    context = browser.new_context(**PHONE)
    watch = Loads(context.new_page())
    watch.page.goto(real_url)
    watch.page.wait_for_load_state("networkidle")
    assert not watch.plotly_requested()
    watch.page.locator("[data-chart]").first.scroll_into_view_if_needed()
    wait_until(watch.page, "document.querySelector('[data-chart]').dataset.drawn === 'yes'", 30)
    assert watch.plotly_requests() == 1
    context.close()


class Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.unsized: list[str] = []
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("img", "video", "iframe") or (tag == "input" and values.get("type") == "image"):
            self.count += 1
            if not (values.get("width") and values.get("height")):
                self.unsized.append(f"<{tag} src={values.get('src')!r}>")


def test_images_are_sized_and_fonts_are_the_readers_own(real_site: Path) -> None:
    unsized = []
    for page in real_site.rglob("*.html"):
        images = Images()
        images.feed(page.read_text(encoding="utf-8"))
        unsized += [f"{page.relative_to(real_site)}: {tag}" for tag in images.unsized]
    assert unsized == []
    for stylesheet in (real_site / "static").glob("*.css"):
        css = stylesheet.read_text(encoding="utf-8")
        assert "@font-face" not in css, f"{stylesheet.name} loads a web font"
        assert "@import" not in css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), f"{stylesheet.name} refers to another host"
