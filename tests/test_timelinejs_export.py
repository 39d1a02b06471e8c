"""exports/timelinejs.json: what each slide holds, and TimelineJS itself opening the flagship's export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from tests.conftest import BCE_CONTENT, ROOT, real_timeline, serve
from tests.export_model import EPISODE, Spec, make_timeline
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.exports.timelinejs import TITLE_ID, timelinejs_json
from timeline.importers.ownexport import read_exported_slide
from timeline.model import Timeline

TIMELINEJS = ROOT / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
SPECS = [
    Spec("day", "2022-07-03", title="<script>alert(1)</script> & co", summary="See [the report](https://example.org/r)."),
    Spec("month", "2022-02", date_note="early in the month"),
    Spec("about", "2022-06-25~"),
    Spec("interval", "2022-06-20/2022-07-02?", claimed=True, tags=()),
    Spec("year", "0900"),
]


@pytest.fixture(scope="module")
def export() -> dict[str, Any]:
    timeline = make_timeline(SPECS)
    return json.loads(timelinejs_json(timeline, timeline.events))


def _slides(export: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["unique_id"]: s for s in export["events"]}


def test_one_slide_per_event_in_date_order_with_a_title_slide(export: dict[str, Any]) -> None:
    assert [s["unique_id"] for s in export["events"]] == ["year", "month", "interval", "about", "day"]
    assert export["title"]["unique_id"] == TITLE_ID
    assert export["title"]["text"]["headline"] == "Тест, timeline; one"
    assert "https://example.org/t/" in export["title"]["text"]["text"]
    assert export["scale"] == "human"


def test_dates_keep_their_precision_and_qualified_dates_say_so(export: dict[str, Any]) -> None:
    slides = _slides(export)
    assert slides["day"]["start_date"] == {"year": 2022, "month": 7, "day": 3}
    assert "end_date" not in slides["day"]
    assert "display_date" not in slides["day"]
    assert slides["month"]["start_date"] == {"year": 2022, "month": 2}
    assert slides["month"]["display_date"] == "February 2022, early in the month"
    assert slides["year"]["start_date"] == {"year": 900}, "a year under 1000 is a number, not text"
    assert slides["about"]["start_date"] == {"year": 2022, "month": 6, "day": 25}
    assert slides["about"]["display_date"] == "about 25 June 2022 (2022-06-25~)", "the EDTF string ends the display date"
    interval = slides["interval"]
    assert (interval["start_date"], interval["end_date"]) == (
        {"year": 2022, "month": 6, "day": 20},
        {"year": 2022, "month": 7, "day": 2},
    )
    assert interval["display_date"].endswith("(2022-06-20/2022-07-02?)")


def test_eras_are_the_episodes_and_groups_the_main_tag(export: dict[str, Any]) -> None:
    assert export["eras"] == [
        {
            "start_date": {"year": 2022, "month": 6},
            "end_date": {"year": 2022, "month": 8, "day": 15},
            "text": {"headline": EPISODE.title},
        }
    ]
    slides = _slides(export)
    assert slides["day"]["group"] == "Military"
    assert "group" not in slides["interval"], "an event without tags has no group"


def test_text_is_escaped_and_carries_sources_claims_and_the_page(export: dict[str, Any]) -> None:
    day = _slides(export)["day"]
    assert day["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
    text = day["text"]["text"]
    assert "<script" not in text
    assert '<div class="tl-summary"><p>See <a href="https://example.org/r" rel="external noopener">the report</a>.</p>' in text
    wire = '<a href="https://example.org/wire"><cite>A wire report, long</cite></a>, <span class="tl-publisher">Wire agency'
    assert wire + "</span> (3 July 2022)</li>" in text
    paper = '<li data-id="paper" data-published="2022-07"><cite>=A paper&#39;s story</cite>, <span class="tl-publisher">Paper'
    assert paper in text, "a source without an address is not linked"
    own = read_exported_slide(text)  # what `timeline import` reads back
    assert own is not None
    assert [(s.id, s.title, s.publisher, s.published, s.url) for s in own.sources] == [
        ("wire", "A wire report, long", "Wire agency", "2022-07-03", "https://example.org/wire"),
        ("paper", "=A paper's story", "Paper", "2022-07", ""),
    ]
    assert '<p class="tl-page"><a href="https://example.org/t/events/day/">This event on Тест, timeline; one</a></p>' in text
    assert day["autolink"] is False
    claims = _slides(export)["interval"]["text"]["text"]
    claim = "<li>The governor (disputed, 20 June 2022 to 2 July 2022 (uncertain)): We hold the city.</li>"
    assert '<div class="tl-claims"><p>Claims</p><ul>' + claim in claims


# ---- TimelineJS itself ---------------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TimelineJS export</title>
<link rel="stylesheet" href="timelinejs/css/timeline.css"></head>
<body><div id="timeline-embed" style="width: 1200px; height: 650px"></div>
<script src="timelinejs/js/timeline.js"></script>
<script>
  window.tl = new TL.Timeline("timeline-embed", "timelinejs.json",
    {script_path: new URL("timelinejs/js/", location.href).href, font: null});
</script></body></html>
"""


@pytest.fixture(scope="module")
def timelinejs_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The flagship's export beside a page that opens it in TimelineJS, served from localhost."""
    if not (TIMELINEJS / "js" / "timeline.js").exists():
        pytest.fail("TimelineJS is missing: run `npm ci --ignore-scripts` (package.json lists @knight-lab/timelinejs)")
    yield from _serve_export(tmp_path_factory.mktemp("timelinejs"), real_timeline())


def _serve_export(folder: Path, timeline: Timeline) -> Iterator[str]:
    (folder / "timelinejs.json").write_text(timelinejs_json(timeline, timeline.events), encoding="utf-8")
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    (folder / "timelinejs").symlink_to(TIMELINEJS)
    yield from serve(folder)


@pytest.fixture(scope="module")
def bce_timelinejs_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The export of the fixture site of events before the common era, opened the same way."""
    timeline = load_timeline(BCE_CONTENT, Diagnostics())
    assert timeline is not None
    yield from _serve_export(tmp_path_factory.mktemp("timelinejs-bce"), timeline)


def test_timelinejs_shows_the_years_before_the_common_era_that_the_site_shows(browser: Any, bce_timelinejs_page: str) -> None:
    """Our -0043 goes out as year -44, which TimelineJS itself writes as 44 BCE; no console error."""
    from tests.conftest import wait_until

    timeline = load_timeline(BCE_CONTENT, Diagnostics())
    assert timeline is not None
    page, problems, elsewhere = _open(browser, bce_timelinejs_page)
    wait_until(page, f"document.querySelectorAll('.tl-timemarker').length === {len(timeline.events)}")
    page.wait_for_timeout(500)
    dates = page.evaluate(
        "Array.from(document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide) .tl-headline-date'), e => e.textContent)"
    )
    assert page.evaluate("window.tl.config.getErrors().length") == 0
    assert problems == []
    assert elsewhere == []
    page.close()
    shown = " | ".join(dates)
    assert "44 BCE" in shown, shown
    assert "45 BCE" not in shown, shown
    assert "29 February 5 BCE" in dates, shown  # the display_date, where TimelineJS's own Date has no 29 February
    assert "about 500 BCE (-0499~)" in dates, shown


def _open(browser: Any, url: str) -> tuple[Any, list[str], list[str]]:
    """The page at `url` opened in Chromium, with the console's errors and warnings and the requests made to
    any other address (refused), both collected as it runs."""
    page = browser.new_page()
    problems: list[str] = []
    elsewhere: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def local_only(route: Any) -> None:
        if route.request.url.startswith(url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.goto(url + "index.html")
    return page, problems, elsewhere


def test_timelinejs_opens_the_export_with_a_marker_per_event(browser: Any, timelinejs_page: str) -> None:
    from tests.conftest import wait_until

    page, problems, elsewhere = _open(browser, timelinejs_page)
    events = len(real_timeline().events)
    wait_until(page, f"document.querySelectorAll('.tl-timemarker').length === {events}")
    page.wait_for_timeout(500)  # anything TimelineJS logs after drawing
    assert page.evaluate("document.querySelectorAll('.tl-timeera').length") == len(real_timeline().episodes)
    assert page.evaluate("document.querySelectorAll('.tl-slide').length") == events + 1, "a slide per event and the title"
    assert page.evaluate("window.tl.config.getErrors().length") == 0
    assert problems == []
    assert elsewhere == [], "the export makes TimelineJS request nothing from another host"
    headline = page.evaluate(
        "document.querySelector('.tl-slide-titleslide .tl-headline-title, .tl-slide-titleslide h2').textContent"
    )
    assert headline.strip() == real_timeline().site.title
    page.close()


def test_the_flagship_export_matches_its_content() -> None:
    timeline = real_timeline()
    data = json.loads(timelinejs_json(timeline, timeline.events))
    assert [s["unique_id"] for s in data["events"]] == [e.id for e in timeline.events]
    assert len(data["eras"]) == len(timeline.episodes)
    for event, slide in zip(timeline.events, data["events"], strict=True):
        assert slide["start_date"]["year"] == event.date.start.year
        assert ("display_date" in slide) == (
            bool(event.date_note) or any(p.qualifier for p in (event.date.start, event.date.end) if p)
        )
        for source in event.sources:
            assert str(escape(source.url or source.title)) in slide["text"]["text"]
