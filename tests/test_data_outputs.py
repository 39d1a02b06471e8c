"""The feed, the sitemap and the data export stay usable however long the timeline grows."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONTENT, build
from timeline import feeds
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.render import dump_json

NS = {"atom": "http://www.w3.org/2005/Atom", "sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def timeline():  # type: ignore[no-untyped-def]
    loaded = load_timeline(SMALL_CONTENT, Diagnostics())
    assert loaded is not None
    return loaded


def test_the_export_holds_each_registry_entry_in_full(real_site: Path) -> None:
    data = json.loads((real_site / "events.json").read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["actors"]["shoigu"]["name"] == "Sergei Shoigu"
    for kind in ("actors", "places", "sources", "tags", "episodes"):
        assert all(isinstance(entry, dict) and entry["id"] == key for key, entry in data[kind].items()), kind
    assert all("publisher" in source and "title" in source for source in data["sources"].values())


def test_a_long_timeline_exports_a_file_per_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timeline) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 1)
    site = build(SMALL_CONTENT, tmp_path / "site")
    index = json.loads((site / "events.json").read_text(encoding="utf-8"))
    assert "events" not in index
    assert index["event_count"] == len(timeline.events)
    listed = []
    for year, name in index["event_files"].items():
        part = json.loads((site / name).read_text(encoding="utf-8"))
        assert part["year"] == int(year)
        assert all(e["date_first_day"].startswith(year) for e in part["events"])
        listed += [e["id"] for e in part["events"]]
    assert listed == [e.id for e in timeline.events]
    assert index["actors"]["haidai"]["name"] == "Serhiy Haidai"


def test_a_site_of_many_pages_has_a_sitemap_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "SITEMAP_URLS", 5)
    site = build(SMALL_CONTENT, tmp_path / "site")
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    locations = []
    for loc in root.findall("sm:sitemap/sm:loc", NS):
        part = ET.parse(site / str(loc.text).rsplit("/", 1)[1]).getroot()
        urls = [str(u.text) for u in part.findall("sm:url/sm:loc", NS)]
        assert 0 < len(urls) <= 5
        locations += urls
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    assert len(locations) == len(pages) == len(set(locations))


def test_the_feed_holds_the_newest_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timeline) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(feeds, "FEED_ENTRIES", 2)
    site = build(SMALL_CONTENT, tmp_path / "site")
    entries = ET.parse(site / "feed.xml").getroot().findall("atom:entry", NS)
    newest = sorted(timeline.events, key=lambda e: (e.date.sort_key, e.id), reverse=True)[:2]
    assert [str(e.findtext("atom:id", namespaces=NS)).rstrip("/").rsplit("/", 1)[1] for e in entries] == [e.id for e in newest]


JSON_VALUES = [
    {"b": [1, 2.5, -0.0, 1e300, True, False, None], "a": {"": "", "x\u2028y": 'é "quoted" \\ </script>'}},
    [[], {}, [[]], [{}], {"k": []}, {"k": {}}],
    {"nested": {"deeper": {"deepest": [1, {"n": 2}]}}, "unicode": "日本語 \u0000 \t\n"},
    {"nan": float("nan"), "inf": float("inf"), "tuple": (1, 2), "int key": {1: "one"}},
    "a lone string",
    12345678901234567890,
]


@pytest.mark.parametrize("value", JSON_VALUES)
def test_the_export_writes_the_json_the_standard_writer_writes(value: object) -> None:
    """The export's own writer is faster than json's indented output, and must give the same text."""
    assert feeds._indented_json(value) == dump_json(value, indent=1)
