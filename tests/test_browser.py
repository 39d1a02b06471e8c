"""The site as readers meet it: pages in headless Chromium, with and without JavaScript."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, page_kinds, real_timeline, wait_until
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"


class PageWatch:
    """A page that records console errors, failed requests and every request's address."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", self._failed)
        page.on("request", lambda r: self.requests.append(r.url))

    def _failed(self, request: Any) -> None:
        if "ERR_ABORTED" not in (request.failure or ""):  # a reload cancels what is still loading
            self.errors.append(f"failed: {request.url} ({request.failure})")


@pytest.fixture
def watch(browser: Any) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield PageWatch(context.new_page())
    context.close()


def latest_event_id() -> str:
    return real_timeline().events[-1].id


@pytest.mark.parametrize("path", list(page_kinds().values()))
def test_page_loads_without_errors_or_foreign_requests(watch: PageWatch, real_url: str, path: str) -> None:
    response = watch.page.goto(real_url + path)
    assert response is not None
    assert response.ok
    draw_every_chart(watch.page)
    assert watch.page.locator("h1").count() == 1
    assert watch.errors == []
    assert [u for u in watch.requests if not u.startswith(real_url)] == []


def draw_every_chart(page: Any) -> None:
    """Scroll each chart into view (they draw lazily) and wait until it has drawn."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        wait_until(page, f"document.querySelectorAll('[data-chart]')[{index}].dataset.drawn === 'yes'")


def test_charts_draw_svg_and_load_plotly_once(watch: PageWatch, real_url: str) -> None:
    watch.page.goto(real_url + "charts/")
    charts = watch.page.locator("[data-chart]")
    draw_every_chart(watch.page)
    assert watch.page.locator("[data-chart] .chart-plot svg.main-svg").count() >= charts.count()
    assert len([u for u in watch.requests if "/static/plotly." in u and u.endswith(".js")]) == 1
    assert watch.errors == []


def test_plotly_is_not_loaded_on_pages_without_charts(watch: PageWatch, real_url: str) -> None:
    watch.page.goto(real_url + f"events/{latest_event_id()}/")
    watch.page.wait_for_load_state("networkidle")
    assert [u for u in watch.requests if "plotly" in u] == []


def test_clicking_a_chart_point_opens_its_event(watch: PageWatch, real_url: str) -> None:
    watch.page.goto(real_url + "episodes/lysychansk-2022/")
    chart = watch.page.locator("[data-chart]").first
    chart.scroll_into_view_if_needed()
    wait_until(watch.page, "document.querySelector('[data-chart]').dataset.drawn === 'yes'")
    point = chart.locator(".scatterlayer .point").first
    box = point.bounding_box()
    assert box is not None
    with watch.page.expect_navigation():
        watch.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "/events/" in watch.page.url
    assert watch.page.locator("h1").count() == 1


def visible_events(page: Any) -> int:
    return page.locator("ol.events > li:visible").count()


def test_filters_hide_and_show_events(watch: PageWatch, real_url: str) -> None:
    page = watch.page
    page.goto(real_url)
    total = page.locator("ol.events > li").count()
    assert visible_events(page) == total
    form = page.locator("form.filters")
    assert form.is_visible()
    page.select_option("select[name=side]", "ukraine")
    shown = visible_events(page)
    assert 0 < shown < total
    assert all("ukraine" in (li.get_attribute("data-sides") or "") for li in page.locator("ol.events > li:visible").all())
    assert f"{shown}" in page.locator("[aria-live]").inner_text()
    assert "side=ukraine" in page.url
    page.select_option("select[name=status]", "confirmed")
    assert visible_events(page) <= shown
    page.reload()  # the state survives in the address
    assert page.locator("select[name=side]").input_value() == "ukraine"
    page.locator("form.filters [type=reset], form.filters button.reset").first.click()
    wait_until(page, f"document.querySelectorAll('ol.events > li:not([hidden])').length === {total}")
    assert visible_events(page) == total
    assert "side=" not in page.url
    assert watch.errors == []


def test_without_javascript_every_event_and_every_chart_table_is_there(browser: Any, real_url: str) -> None:
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_url)
    links = page.locator("ol.events > li:visible a[href*='events/']")
    hrefs = {
        href.rstrip("/").rsplit("/", 1)[-1] for href in (links.nth(i).get_attribute("href") or "" for i in range(links.count()))
    }
    assert hrefs >= {e.id for e in timeline.events}
    assert not page.locator("form.filters").is_visible()
    page.goto(real_url + "charts/")
    tables = page.locator("[data-chart] table")
    assert tables.count() == page.locator("[data-chart]").count() > 0
    assert all(tables.nth(i).is_visible() for i in range(tables.count()))
    context.close()


@pytest.mark.parametrize("path", ["", "compare/", f"events/{latest_event_id()}/"])
def test_phone_width_has_no_horizontal_scroll(browser: Any, real_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    page.goto(real_url + path)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = (path.strip("/").replace("/", "-") or "index") + "-375.png"
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert width <= 375
    assert Path(ARTIFACTS / name).stat().st_size > 10_000  # something was drawn
    context.close()


AXIS_LABELS = r"""
() => Array.from(document.querySelectorAll('[data-chart]')).map((chart) => {
  const box = chart.querySelector('.chart-plot').getBoundingClientRect();
  const axes = {};
  chart.querySelectorAll('g.xtick text, g.ytick text').forEach((label) => {
    const r = label.getBoundingClientRect();
    if (!label.textContent.trim() || r.width === 0) return;
    const layer = label.closest('[class*="axislayer"]').getAttribute('class');
    const axis = layer + label.closest('g.xtick, g.ytick').getAttribute('class');
    const slanted = /rotate\((?!0[,)])/.test(label.getAttribute('transform') || '');
    const rect = {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    (axes[axis] = axes[axis] || []).push({text: label.textContent, slanted, ...rect});
  });
  return {id: chart.id, left: box.left, right: box.right, top: box.top, bottom: box.bottom, axes: Object.values(axes)};
})
"""


def label_problems(chart: dict[str, Any]) -> list[str]:
    """Tick labels of a drawn chart that run outside it or overlap their neighbours on the same axis."""
    problems = []
    for labels in chart["axes"]:
        problems += [
            f"{chart['id']}: '{label['text']}' runs outside the chart"
            for label in labels
            if not (chart["left"] - 1 <= label["left"] and label["right"] <= chart["right"] + 1)
            or not (chart["top"] - 1 <= label["top"] and label["bottom"] <= chart["bottom"] + 1)
        ]
        for a, b in itertools.pairwise(labels):
            if a["slanted"] or b["slanted"]:
                continue  # a slanted label's box is wider than its text: plotly slants labels so that they fit
            side_by_side = a["right"] <= b["left"] + 1 or b["right"] <= a["left"] + 1
            one_above_other = a["bottom"] <= b["top"] + 1 or b["bottom"] <= a["top"] + 1
            if not (side_by_side or one_above_other):
                problems.append(f"{chart['id']}: '{a['text']}' overlaps '{b['text']}'")
    return problems


def test_on_a_phone_chart_labels_stay_inside_the_chart_and_apart(browser: Any, real_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, is_mobile=True)
    page = context.new_page()
    page.goto(real_url + "charts/")
    draw_every_chart(page)
    charts = page.evaluate(AXIS_LABELS)
    context.close()
    assert len(charts) >= 6
    problems = [problem for chart in charts for problem in label_problems(chart)]
    assert problems == [], "\n".join(problems)
