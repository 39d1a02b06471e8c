"""Links of the built real site: a crawl from index.html finds no broken internal link or fragment, and the only
external addresses are the sources' own (their `url` and `archive_url`)."""

from __future__ import annotations

import json
import posixpath
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from tests.conftest import ROOT, build
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics

LOCAL = "http://site.invalid/"  # where the crawl pretends the site lives; any internal address resolves below it
LINK_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "form": ("action",),
    "area": ("href",),
}


@dataclass
class PageLinks(HTMLParser):
    """The ids of a page, and every address it refers to (element, attribute, value)."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, str]] = field(default_factory=list)
    chart_targets: list[tuple[str, str]] = field(default_factory=list)  # (data-root, customdata) of chart points
    _in_chart_json: bool = False
    _root: str = ""

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                self.links.append((tag, attribute, values[attribute]))
        if tag == "meta" and values.get("property") == "og:url":
            self.links.append(("meta", "og:url", values.get("content", "")))
        if "data-plotly-src" in values:
            self.links.append((tag, "data-plotly-src", values["data-plotly-src"]))
            self._root = values.get("data-root", "")
        self._in_chart_json = tag == "script" and "chart-figure" in values.get("class", "")

    def handle_data(self, data: str) -> None:
        if self._in_chart_json:
            figure = json.loads(data)
            for trace in figure.get("data", []):
                self.chart_targets.extend((self._root, target) for target in trace.get("customdata", []) or [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_chart_json = False


def parse(path: Path) -> PageLinks:
    page = PageLinks()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def file_for(site: Path, url: str) -> Path | None:
    """The file a local address is served from, as a static host serves it (a folder serves its index.html)."""
    path = unquote(urlsplit(url).path)
    relative = posixpath.normpath(path.removeprefix(urlsplit(LOCAL).path)) if path != "/" else "."
    if relative.startswith(".."):
        return None
    target = site / relative
    if target.is_dir():
        target = target / "index.html"
        return target if target.exists() and path.endswith("/") else None
    return target if target.is_file() else None


@dataclass
class Crawl:
    pages: dict[str, PageLinks] = field(default_factory=dict)  # page address -> what it holds
    files: set[Path] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)
    missing_fragments: list[str] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # address -> pages linking to it
    checked: int = 0


def allowed_external() -> set[str]:
    """The sources' own addresses, and the GeoNames entries the places' coordinates come from."""
    sources = yaml.safe_load((ROOT / "content" / "sources.yaml").read_text(encoding="utf-8"))
    places = yaml.safe_load((ROOT / "content" / "places.yaml").read_text(encoding="utf-8"))
    gazetteer = "https://www.geonames.org/"
    entries = {f"{gazetteer}{place['geonames']}" for place in places.values() if place.get("geonames")}
    return {entry[key] for entry in sources.values() for key in ("url", "archive_url") if entry.get(key)} | entries | {gazetteer}


def crawl(site: Path, base_url: str, start: str = "index.html") -> Crawl:
    result = Crawl()
    fragments: list[tuple[str, str, str]] = []  # (page linking, target page address, fragment)
    queue = deque([LOCAL + start])
    seen = {LOCAL + start}
    while queue:
        page_url = queue.popleft()
        path = file_for(site, page_url)
        assert path is not None, page_url
        result.files.add(path)
        if path.suffix != ".html":
            continue
        page = parse(path)
        result.pages[page_url] = page
        targets = [(f"<{tag} {attr}>", value) for tag, attr, value in page.links]
        targets += [(f"chart point (data-root {root!r})", root + customdata) for root, customdata in page.chart_targets]
        for what, written in targets:
            result.checked += 1
            # canonical, og:url and the 404 page's absolute links name the published site
            value = LOCAL + written.removeprefix(base_url) if written.startswith(base_url) else written
            url = urljoin(page_url, value)
            scheme = urlsplit(url).scheme
            if not url.startswith(LOCAL):
                if scheme in ("http", "https"):
                    result.external.setdefault(value, []).append(page_url)
                else:
                    result.broken.append(f"{page_url}: {what} {value!r} is not a web address")
                continue
            target, _, fragment = url.partition("#")
            target = target.partition("?")[0]
            if file_for(site, target) is None:
                result.broken.append(f"{page_url}: {what} {value!r} leads nowhere")
                continue
            if fragment:
                fragments.append((page_url, target, fragment))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for page_url, target, fragment in fragments:
        target_page = result.pages.get(target)
        if target_page is not None and unquote(fragment) not in target_page.ids:
            result.missing_fragments.append(f"{page_url}: #{fragment} is not in {target}")
    return result


@pytest.fixture(scope="module")
def real_crawl(real_site: Path) -> Crawl:
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    return crawl(real_site, timeline.site.base_url)


def test_no_broken_internal_link_or_fragment(real_crawl: Crawl) -> None:
    assert real_crawl.checked > 1000
    assert real_crawl.broken == []
    assert real_crawl.missing_fragments == []


def test_every_page_is_reachable_from_the_home_page(real_crawl: Crawl, real_site: Path) -> None:
    pages = {p for p in real_site.rglob("*.html") if p.name != "404.html"}
    assert pages - real_crawl.files == set()
    for machine_file in ("feed.xml", "events.json"):
        assert real_site / machine_file in real_crawl.files


def test_external_links_are_only_the_sources_own_addresses(real_crawl: Crawl) -> None:
    allowed = allowed_external()
    assert allowed
    strangers = {url: pages[:3] for url, pages in real_crawl.external.items() if url not in allowed}
    assert strangers == {}
    assert set(real_crawl.external) <= allowed
    assert real_crawl.external, "the crawl found the sources' links"


def test_the_404_page_links_resolve(real_site: Path) -> None:
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    result = crawl(real_site, timeline.site.base_url, start="404.html")
    assert result.broken == []
    assert result.missing_fragments == []


def test_a_site_split_over_many_pages_has_no_broken_link_or_fragment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Long lists and the bibliography split over pages: every link to a source finds the page that lists it."""
    from timeline import pages

    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 2)
    monkeypatch.setattr(pages, "LIST_PAGE_EVENTS", 3)
    monkeypatch.setattr(pages, "HOME_PAGE_EVENTS", 10)
    site = build(ROOT / "content", tmp_path / "site")
    assert (site / "sources" / "3" / "index.html").is_file()
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    result = crawl(site, timeline.site.base_url)
    assert result.broken == []
    assert result.missing_fragments == []
    assert {p for p in site.rglob("*.html") if p.name != "404.html"} - result.files == set()
