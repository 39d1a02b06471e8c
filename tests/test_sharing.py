"""Sharing and machines: canonical addresses, Open Graph and Twitter card tags on every page, schema.org JSON-LD on
each event page that matches the event, and a print stylesheet that prints an event with its sources."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, real_timeline
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.markdown import plain_text
from timeline.model import Event
from timeline.pages import plan_pages


class Head(HTMLParser):
    """The <head> facts of a page: title, meta tags, link rel=canonical and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.title = ""
        self.json_ld: list[str] = []
        self._in: str = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta.setdefault(values.get("property") or values["name"], []).append(values.get("content", ""))
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values.get("href", ""))
        elif tag == "title":
            self._in = "title"
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "ld":
            self.json_ld[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = ""


def head_of(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def one(head: Head, key: str) -> str:
    values = head.meta.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    assert values[0].strip(), f"{key} is empty"
    return values[0]


@pytest.mark.parametrize("which", ["real", "small"])
def test_every_page_has_canonical_open_graph_and_twitter_tags(which: str, real_site: Path, small_site: Path) -> None:
    site, content = (real_site, ROOT / "content") if which == "real" else (small_site, ROOT / "tests/fixtures/site-small/content")
    timeline = load_timeline(content, Diagnostics())
    assert timeline is not None
    pages = plan_pages(timeline)
    assert len(pages) > 10
    for page in pages:
        head = head_of(site / page.output)
        title = page.title if page.path else timeline.site.title
        assert one(head, "og:title") == title
        assert one(head, "twitter:title") == title
        assert one(head, "og:site_name") == timeline.site.title
        assert one(head, "twitter:card") == "summary"
        description = one(head, "description")
        assert one(head, "og:description") == description
        assert one(head, "twitter:description") == description
        if page.template == "event.html":
            event = page.context["event"]
            assert one(head, "og:type") == "article"
            assert plain_text(event.summary).startswith(description.rstrip("…"))
        else:
            assert one(head, "og:type") == "website"
        if page.path == "404.html":  # served at any missing address: no address of its own, and not to be indexed
            assert head.canonical == []
            assert "og:url" not in head.meta
            assert one(head, "robots") == "noindex"
        else:
            url = timeline.site.base_url + page.path
            assert head.canonical == [url]
            assert one(head, "og:url") == url
            assert "robots" not in head.meta


def check_json_ld(data: dict[str, Any], event: Event, base_url: str) -> None:
    """The schema.org data of an event page says what the event and its sources say."""
    day = {point: str(point).rstrip("~?%") for point in (event.date.start, event.date.end) if point}
    assert (data["@context"], data["@type"], data["name"]) == ("https://schema.org", "Event", event.title)
    assert data["startDate"] == day[event.date.start]
    assert data.get("endDate") == (day[event.date.end] if event.date.end else None)
    assert data["description"] == plain_text(event.summary)
    assert data["url"] == f"{base_url}events/{event.id}/"
    assert len(data["citation"]) == len(event.sources)
    for citation, source in zip(data["citation"], event.sources, strict=True):
        assert citation["@type"] == "NewsArticle"
        assert (citation["headline"], citation["publisher"]["name"]) == (source.title, source.publisher)
        assert citation["datePublished"] == str(source.published.start).rstrip("~?%")
        assert citation["inLanguage"] == source.language
        assert citation.get("url") == (source.url or None)
        assert citation.get("archivedAt") == (source.archive_url or None)
    geo = [p.get("geo", {}) for p in data.get("location", [])]  # none for a place whose position is not known
    places = [(p["name"], g.get("latitude"), g.get("longitude")) for p, g in zip(data.get("location", []), geo, strict=True)]
    assert places == [(p.name, p.latitude, p.longitude) for p in event.places]
    assert all(g == {} or g["@type"] == "GeoCoordinates" for g in geo)


def test_each_event_page_has_json_ld_matching_the_event(real_site: Path) -> None:
    timeline = real_timeline()
    located = 0
    for event in timeline.events:
        head = head_of(real_site / "events" / event.id / "index.html")
        assert len(head.json_ld) == 1
        assert "</" not in head.json_ld[0]
        data = json.loads(head.json_ld[0])
        check_json_ld(data, event, timeline.site.base_url)
        assert data["startDate"][:4] == str(event.date.first_day.year)
        assert all(("url" in c) == bool(s.url) for c, s in zip(data["citation"], event.sources, strict=True))
        located += "location" in data
    assert located > 0
    assert not head_of(real_site / "index.html").json_ld, "JSON-LD is for event pages"


@pytest.fixture
def print_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


@pytest.mark.browser
def test_print_shows_an_event_with_its_sources_and_their_addresses(print_page: Any, real_url: str) -> None:
    timeline = real_timeline()
    event = max(timeline.events, key=lambda e: sum(bool(s.url) for s in e.sources))
    print_page.goto(f"{real_url}events/{event.id}/")
    assert print_page.evaluate("matchMedia('print').matches")
    for hidden in (".skip-link", ".site-nav", ".breadcrumbs", ".pager", ".footer-links"):
        for element in print_page.locator(hidden).all():
            assert not element.is_visible(), f"{hidden} is printed"
    assert print_page.locator("h1").is_visible()
    citations = print_page.locator("ol.citations > li")
    assert citations.count() == len(event.sources)
    for source, citation in zip(event.sources, citations.all(), strict=True):
        assert citation.is_visible()
        assert source.publisher in citation.inner_text()
        if source.url:
            link = citation.locator(f"a[href='{source.url}']")
            printed = link.evaluate("a => getComputedStyle(a, '::after').content")
            assert source.url in printed, "a printed citation shows its address"
    assert print_page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = print_page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.browser
def test_print_hides_the_filters_and_shows_chart_tables(print_page: Any, real_url: str) -> None:
    print_page.goto(real_url)
    assert not print_page.locator("form.filters").is_visible()
    print_page.goto(real_url + "charts/")
    print_page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    tables = print_page.locator("[data-chart] table")
    assert tables.count() > 0
    assert all(t.is_visible() for t in tables.all())
    assert not any(p.is_visible() for p in print_page.locator(".chart-plot").all())
