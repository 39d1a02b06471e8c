"""Accessibility of the built real site in headless Chromium.

axe-core (from npm) on every kind of page in the light and the dark colour scheme, with the charts drawn;
the keyboard (skip link, every control reachable and visibly focused); landmarks and heading order;
reduced motion; and the site with JavaScript off (every event readable, filters gone, chart tables shown).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import ROOT, page_kinds, real_timeline, wait_until
from timeline.markdown import plain_text

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def draw_every_chart(page: Any) -> None:
    """Scroll each chart into view (they draw lazily) and wait until it has drawn."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        wait_until(page, f"document.querySelectorAll('[data-chart]')[{index}].dataset.drawn === 'yes'", 30)


def run_axe(page: Any) -> dict[str, Any]:
    """axe-core in the page. Evaluated through the debugging protocol: the pages' CSP refuses injected scripts."""
    # sections the browser skips rendering while out of view (content-visibility: auto) are rendered, so that
    # axe can measure their colours too
    page.evaluate(
        "document.querySelectorAll('*').forEach(el => {"
        " if (getComputedStyle(el).contentVisibility === 'auto') el.style.contentVisibility = 'visible' })"
    )
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']})")


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
    return "\n".join(lines)


@pytest.fixture(params=["light", "dark"])
def scheme_page(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    context = browser.new_context(color_scheme=request.param, viewport={"width": 1280, "height": 900})
    yield request.param, context.new_page()
    context.close()


@pytest.mark.parametrize("kind", list(page_kinds()))
def test_axe_finds_no_violation(scheme_page: tuple[str, Any], real_url: str, kind: str) -> None:
    scheme, page = scheme_page
    response = page.goto(real_url + page_kinds()[kind])
    assert response is not None
    assert response.ok
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    draw_every_chart(page)
    results = run_axe(page)
    assert len(results["passes"]) > 10, "axe-core did not run its checks"
    assert results["violations"] == [], f"{kind} ({scheme}):\n" + describe_violations(results["violations"])


def test_dark_scheme_changes_the_colours(browser: Any, real_url: str) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(real_url)
        colours[scheme] = page.evaluate(
            "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]"
        )
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["dark"][0] == "rgb(22, 21, 19)"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # reduced motion: focus scrolls the page at once, so a focused control can be checked on screen straight away
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    yield context.new_page()
    context.close()


def test_skip_link_shows_on_focus_and_moves_focus_to_main(page: Any, real_url: str) -> None:
    page.goto(real_url + page_kinds()["event"])
    skip = page.locator("a.skip-link")
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 0, "the skip link is off screen until focused"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["height"] > 10
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"


_FOCUSABLE = """() => Array.from(document.querySelectorAll(
  'a[href], button, select, input, textarea, summary, [tabindex]:not([tabindex="-1"])'))
  .filter(el => !el.disabled && el.checkVisibility({visibilityProperty: true}))
  .length"""

_STEP = """() => {
  const el = document.activeElement;
  window.__seen = window.__seen || new Set();
  const fresh = !window.__seen.has(el);
  window.__seen.add(el);
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    fresh, tag: el.tagName, text: (el.textContent || '').trim().slice(0, 60),
    body: el === document.body,
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
    focusVisible: el.matches(':focus-visible'),
    onScreen: box.bottom > 0 && box.top < innerHeight && box.width > 0 && box.height > 0,
  };
}"""


@pytest.mark.parametrize("kind", ["index", "event", "charts", "compare", "sources", "404"])
def test_every_control_is_reached_by_tab_and_visibly_focused(page: Any, real_url: str, kind: str) -> None:
    page.goto(real_url + page_kinds()[kind])
    draw_every_chart(page)
    page.evaluate("window.scrollTo(0, 0)")
    expected = page.evaluate(_FOCUSABLE)
    assert expected > 5
    reached = 0
    problems = []
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        step = page.evaluate(_STEP)
        if step["body"] or not step["fresh"]:
            break
        reached += 1
        where = f"{step['tag']} {step['text']!r}"
        if step["outline"] == "none" or step["width"] < 2 or not step["focusVisible"]:
            problems.append(f"no visible focus outline on {where}")
        if not step["onScreen"]:
            problems.append(f"focused but off screen: {where}")
    assert problems == []
    assert reached == expected, f"Tab reached {reached} of {expected} controls"


@pytest.mark.parametrize("kind", list(page_kinds()))
def test_landmarks_and_heading_order(page: Any, real_url: str, kind: str) -> None:
    page.goto(real_url + page_kinds()[kind])
    landmarks = page.evaluate(
        """() => ({
          main: document.querySelectorAll('main').length,
          banner: document.querySelectorAll('body > header').length,
          contentinfo: document.querySelectorAll('body > footer').length,
          navs: Array.from(document.querySelectorAll('nav')).map(n => n.getAttribute('aria-label')),
          outside: Array.from(document.body.children).filter(el =>
            !['HEADER', 'MAIN', 'FOOTER', 'SCRIPT'].includes(el.tagName) && !el.classList.contains('skip-link')).length,
          levels: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => +h.tagName[1]),
        })"""
    )
    assert landmarks["main"] == 1
    assert landmarks["banner"] == 1
    assert landmarks["contentinfo"] == 1
    assert "Main" in landmarks["navs"]
    assert all(landmarks["navs"]), "every navigation has a name"
    assert len(set(landmarks["navs"])) == len(landmarks["navs"]), "navigation names are unique"
    assert landmarks["outside"] == 0, "all content sits in a landmark"
    levels = landmarks["levels"]
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), f"a heading level is skipped: {levels}"


_MOTION = """() => {
  const moving = [];
  for (const el of document.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    const durations = (s.transitionDuration + ',' + s.animationDuration).split(',').map(parseFloat);
    const animated = s.animationName && s.animationName !== 'none';
    if (durations.some(d => d > 0) || animated) moving.push(el.tagName + '.' + el.className);
  }
  return {moving, scroll: getComputedStyle(document.documentElement).scrollBehavior, running: document.getAnimations().length};
}"""


def test_reduced_motion_is_respected(browser: Any, real_url: str) -> None:
    for preference, scroll in (("reduce", "auto"), ("no-preference", "smooth")):
        context = browser.new_context(reduced_motion=preference)
        page = context.new_page()
        for kind in ("index", "charts"):
            page.goto(real_url + page_kinds()[kind])
            draw_every_chart(page)
            motion = page.evaluate(_MOTION)
            assert motion["scroll"] == scroll
            if preference == "reduce":
                assert motion["moving"] == []
                assert motion["running"] == 0
        context.close()


# ---- Without JavaScript ------------------------------------------------------------------------------


@pytest.fixture
def no_js(browser: Any) -> Iterator[Any]:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    yield context.new_page()
    context.close()


def test_without_javascript_every_event_is_reachable_and_readable(no_js: Any, real_url: str) -> None:
    timeline = real_timeline()
    no_js.goto(real_url)
    assert not no_js.locator("form.filters").is_visible()
    assert no_js.locator("ol.events > li").count() == no_js.locator("ol.events > li:visible").count() == len(timeline.events)
    hrefs = no_js.eval_on_selector_all("ol.events > li h3 a", "links => links.map(a => a.href)")
    assert len(hrefs) == len(timeline.events)
    for event, href in zip(timeline.events, hrefs, strict=True):
        assert href == f"{real_url}events/{event.id}/"
        response = no_js.goto(href)
        assert response is not None
        assert response.ok
        assert no_js.locator("h1").inner_text() == event.title
        summary = no_js.locator(".event-summary-full").inner_text()
        assert "".join(summary.split()) == "".join(plain_text(event.summary).split())
        citations = no_js.locator("ol.citations > li:visible")
        assert citations.count() == len(event.sources)
        for source, citation in zip(event.sources, citations.all(), strict=True):
            assert source.publisher in citation.inner_text()
        assert no_js.locator(".claims .claim:visible").count() == len(event.claims)


@pytest.mark.parametrize("kind", ["index", "episode", "charts"])
def test_without_javascript_each_chart_shows_its_table(no_js: Any, real_url: str, kind: str) -> None:
    no_js.goto(real_url + page_kinds()[kind])
    charts = no_js.locator("[data-chart]")
    assert charts.count() > 0
    for chart in charts.all():
        assert chart.locator(".chart-title").is_visible()
        assert chart.locator(".chart-summary").is_visible()
        assert not chart.locator(".chart-plot").is_visible(), "the empty plot area is hidden"
        table = chart.locator("table")
        assert table.is_visible()
        assert table.locator("tbody tr").count() > 0
    assert no_js.locator("script[src*='plotly']").count() == 0
