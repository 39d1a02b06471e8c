"""Valid output: the Nu HTML Checker (vnu-jar from npm, on the machine's Java) on every page of the real and the
small site, in one run; the Atom feed, the sitemap and the data export parse and have what they must have."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import BCE_CONTENT, ROOT, SMALL_CONTENT
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.feeds import FEED_ENTRIES
from timeline.model import Timeline
from timeline.pages import plan_pages

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BROKEN = '<!doctype html><html lang="en"><head><title>canary</title></head><body><p><div>bad nesting</p></body></html>\n'


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_vnu_finds_no_error_on_any_page(real_site: Path, small_site: Path, bce_site: Path, tmp_path: Path) -> None:
    """The fixture of events before the common era among them: their dates are in words, with no <time>."""
    java = shutil.which("java")
    assert java, "Java runs the Nu HTML Checker: apt-get install default-jre-headless"
    assert VNU.exists(), "run `npm ci --ignore-scripts` (make install-test) to get vnu-jar"
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "broken.html").write_text(BROKEN, encoding="utf-8")
    pages = html_files(real_site) + html_files(small_site) + html_files(bce_site)
    assert len(pages) > 100
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--errors-only",
            "--skip-non-html",
            str(real_site),
            str(small_site),
            str(bce_site),
            str(canary),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if "canary" not in m.get("url", "")]
    report = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in errors[:40])
    assert errors == [], f"{len(errors)} HTML errors:\n{report}"
    assert any("canary" in m.get("url", "") for m in messages), "the checker did not report the broken canary page"


def parse_time(text: str | None) -> dt.datetime:
    assert text, "a date is missing"
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def built(which: str, real_site: Path, small_site: Path, bce_site: Path | None = None) -> tuple[Path, Timeline]:
    """The real, the small or the BCE site, and the timeline it was built from."""
    sites = {"real": (real_site, ROOT / "content"), "small": (small_site, SMALL_CONTENT), "bce": (bce_site, BCE_CONTENT)}
    site, content = sites[which]
    assert site is not None
    timeline = load_timeline(content, Diagnostics())
    assert timeline is not None
    return site, timeline


@pytest.mark.parametrize("which", ["real", "small", "bce"])
def test_atom_feed_parses_and_has_the_required_elements(which: str, real_site: Path, small_site: Path, bce_site: Path) -> None:
    """Every entry has an RFC 3339 `updated`; one of an event before 1 CE, which RFC 3339 cannot date, the feed's."""
    site, timeline = built(which, real_site, small_site, bce_site)
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), f"feed has no <{required}>"
    parse_time(feed.findtext(f"{ATOM}updated"))
    links = {link.get("rel", "alternate"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links.get("self") == timeline.site.base_url + "feed.xml"
    assert links.get("alternate") == timeline.site.base_url
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(len(timeline.events), FEED_ENTRIES)
    has_feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), f"an entry has no <{required}>"
        parse_time(entry.findtext(f"{ATOM}updated"))
        assert has_feed_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        href = next(link.get("href") for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate")
        assert href
        assert href.startswith(timeline.site.base_url + "events/")
        assert (site / href.removeprefix(timeline.site.base_url) / "index.html").exists()
        ids.add(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(entries), "entry ids are unique"


@pytest.mark.parametrize("which", ["real", "small"])
def test_sitemap_parses_and_lists_every_page(which: str, real_site: Path, small_site: Path) -> None:
    site, timeline = built(which, real_site, small_site)
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") or "" for u in root.findall(f"{SITEMAP}url")]
    expected = [timeline.site.base_url + p.path for p in plan_pages(timeline) if p.in_sitemap]
    assert sorted(locs) == sorted(expected)
    for loc in locs:
        assert (site / loc.removeprefix(timeline.site.base_url) / "index.html").exists()


def test_robots_and_events_json_parse(real_site: Path) -> None:
    data = json.loads((real_site / "events.json").read_text(encoding="utf-8"))
    assert data
    robots = (real_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://" in robots
