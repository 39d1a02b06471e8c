"""The charts of a timeline before the common era, drawn by plotly.js in headless Chromium: every chart draws,
its words say the years as the site does (44 BCE, never -43), nothing overlaps, and each has its table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, serve
from tests.test_browser import PageWatch, draw_every_chart

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = (375, 1280)
PAGES = ("charts/", "episodes/ides-44bce/", "episodes/turn-of-the-era/")
MINUS_YEAR = re.compile(r"(?<![\w-])[-\u2212]\d")  # -43, -0043 or plotly's typographic minus: a year without its era

# Every text a chart draws, with its box: tick labels of every axis (xtick, x2tick, ytick...), axis and panel
# titles, legend entries.
CHART_TEXTS = r"""
() => Array.from(document.querySelectorAll('[data-chart]')).map((chart) => ({
  id: chart.id,
  svgs: chart.querySelectorAll('.chart-plot svg.main-svg').length,
  tableRows: chart.querySelectorAll('table tbody tr').length,
  table: (chart.querySelector('table') || {textContent: ''}).textContent,
  texts: Array.from(chart.querySelectorAll('.chart-plot svg text')).filter((t) => t.textContent.trim()).map((t) => {
    const r = t.getBoundingClientRect();
    const slanted = /rotate\((?!0[,)])/.test(t.getAttribute('transform') || '');
    const tick = t.closest('[class$="tick"]');
    return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom, slanted,
            tick: tick ? tick.getAttribute('class') : '', visible: r.width > 0};
  }),
}))
"""


@pytest.fixture(scope="module")
def bce_url(bce_site: Path) -> Iterator[str]:
    yield from serve(bce_site)


def overlaps(texts: list[dict[str, Any]]) -> list[str]:
    """Pairs of drawn texts whose boxes overlap (slanted ones aside: their box is wider than their text)."""
    shown = [t for t in texts if t["visible"] and not t["slanted"]]
    found = []
    for index, a in enumerate(shown):
        for b in shown[index + 1 :]:
            side_by_side = a["right"] <= b["left"] + 1 or b["right"] <= a["left"] + 1
            one_above_other = a["bottom"] <= b["top"] + 1 or b["bottom"] <= a["top"] + 1
            if not (side_by_side or one_above_other):
                found.append(f"'{a['text']}' overlaps '{b['text']}'")
    return found


def drawn(browser: Any, site: str, path: str, width: int) -> list[dict[str, Any]]:
    """Every chart of the page, drawn at this width: what it shows, after a screenshot for people to look at."""
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1, is_mobile=width < 500)
    watch = PageWatch(context.new_page())
    response = watch.page.goto(site + path)
    assert response is not None
    assert response.ok
    draw_every_chart(watch.page)
    charts = watch.page.evaluate(CHART_TEXTS)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-")
    watch.page.screenshot(path=str(ARTIFACTS / f"bce-{name}-{width}.png"), full_page=True)
    context.close()
    assert watch.errors == []
    assert [u for u in watch.requests if not u.startswith(site)] == []  # nothing from another host
    return charts


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
def test_bce_charts_draw_with_years_in_words_and_their_tables(browser: Any, bce_url: str, path: str, width: int) -> None:
    charts = drawn(browser, bce_url, path, width)
    assert charts
    for chart in charts:
        assert chart["svgs"] >= 1, chart["id"]
        assert chart["tableRows"] >= 1, chart["id"]
        words = [t["text"] for t in chart["texts"]]
        assert [w for w in words if MINUS_YEAR.search(w)] == [], chart["id"]
        assert not MINUS_YEAR.search(chart["table"]), chart["id"]
        assert overlaps(chart["texts"]) == [], chart["id"]


def texts_of(charts: list[dict[str, Any]], chart_id: str) -> list[str]:
    return [t["text"] for t in next(c for c in charts if c["id"] == chart_id)["texts"]]


def test_the_charts_say_which_years_they_show(browser: Any, bce_url: str) -> None:
    charts = drawn(browser, bce_url, "charts/", 1280)
    ides = texts_of(charts, "chart-episode-ides-44bce")
    assert "day, 44 BCE" in ides  # the ticks show day and month; the axis title names the year
    assert "15 Mar" in ides or "17 Mar" in ides
    era = texts_of(charts, "chart-episode-turn-of-the-era")
    assert [w for w in era if w.endswith(("BCE", "CE"))] == ["40 BCE", "20 BCE", "20 CE", "40 CE"]
    overview = texts_of(charts, "chart-overview")
    assert {"March 44 BCE", "The turn of the era", "day, 44 BCE", "40 BCE", "40 CE"} <= set(overview)
    sources = texts_of(charts, "chart-sources-per-event")
    assert any(w.startswith("15 March 44 BCE") for w in sources)
    table = next(c for c in charts if c["id"] == "chart-episode-ides-44bce")["table"]
    assert "15 March 44 BCE" in table
