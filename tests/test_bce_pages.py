"""Pages of a timeline before the common era: episode spans in words, and the month pages of a long one."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import BCE_CONTENT, build
from tests.test_links import crawl
from timeline import pages
from timeline.build import load_timeline
from timeline.calendarday import iso_year
from timeline.diagnostics import Diagnostics


def texts(page: Path, css_class: str) -> list[str]:
    """The text (tags removed, entities read) of every `<p>` of the class on a page."""
    found = re.findall(rf'<p class="{css_class}">(.*?)</p>', page.read_text(encoding="utf-8"), re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", text)) for text in found]


def test_an_episode_across_the_era_boundary_says_ce_at_its_end_on_every_page(bce_site: Path) -> None:
    """The fixture's turn-of-the-era episode runs from -0039 (40 BCE) to 0050: `40 BCE to 50 CE`, never `to 50`."""
    crossing = "40 BCE to 50 CE · 2 events"
    within = "1 March 44 BCE to 30 April 44 BCE · 2 events"
    assert texts(bce_site / "episodes" / "turn-of-the-era" / "index.html", "page-dates") == [crossing]
    assert texts(bce_site / "episodes" / "index.html", "page-dates") == [within, crossing]
    assert [t for t in texts(bce_site / "index.html", "section-dates") if " to " in t] == [within, crossing]
    summaries = texts(bce_site / "charts" / "index.html", "chart-summary")
    assert any(s.startswith("2 events from 40 BCE to 50 CE;") for s in summaries), summaries
    reign = bce_site / "events" / "-0003-reign-spans-the-eras" / "index.html"
    assert "4 BCE to 5 CE" in html.unescape(re.sub(r"<[^>]+>", "", reign.read_text(encoding="utf-8")))


def test_the_ends_of_a_span_keep_their_machine_dates_where_html_has_them(bce_site: Path) -> None:
    """Words for both ends, `<time datetime>` only for the end in the common era (HTML's years are above zero)."""
    page = (bce_site / "episodes" / "turn-of-the-era" / "index.html").read_text(encoding="utf-8")
    assert '<span class="date">40 BCE</span> to <time datetime="0050-01-01">50 CE</time>' in page


def test_the_fixture_episode_crosses_the_era_boundary() -> None:
    timeline = load_timeline(BCE_CONTENT, Diagnostics())
    assert timeline is not None
    episode = next(e for e in timeline.episodes if e.id == "turn-of-the-era")
    assert not episode.start.common_era
    assert episode.end.common_era


# Months (astronomical year, month) that generated events fill, around the era boundary: 0000 is 1 BCE.
GENERATED_MONTHS = [(-43, 2), (-43, 3), (-43, 4), (-1, 12), (0, 1), (0, 12), (1, 1), (1, 2), (79, 8)]
MONTHS_IN_ORDER = [  # every month with events, the fixture's and the generated ones, as the pages list them
    ("-0499-01", "January 500 BCE"),  # -0499~: a year, listed under the month of its first day
    ("-0043-02", "February 44 BCE"),
    ("-0043-03", "March 44 BCE"),
    ("-0043-04", "April 44 BCE"),
    ("-0004-02", "February 5 BCE"),
    ("-0003-01", "January 4 BCE"),  # the interval -0003/0005
    ("-0001-12", "December 2 BCE"),
    ("0000-01", "January 1 BCE"),
    ("0000-12", "December 1 BCE"),
    ("0001-01", "January 1 CE"),  # on a timeline that begins before the common era, its months say CE
    ("0001-02", "February 1 CE"),
    ("0079-08", "August 79 CE"),
]


@pytest.fixture(scope="module")
def long_bce_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The BCE fixture and three events in each generated month, built as a long timeline: month pages."""
    folder = tmp_path_factory.mktemp("long-bce")
    content = folder / "content"
    shutil.copytree(BCE_CONTENT, content)
    for year, month in GENERATED_MONTHS:
        for day in (3, 12, 21):
            date = f"{iso_year(year)}-{month:02d}-{day:02d}"
            path = content / "events" / iso_year(year) / f"{date}-generated-event.yaml"
            path.parent.mkdir(exist_ok=True)
            path.write_text(
                f"date: {date}\ntitle: Generated event of {date}\ntags: [politics]\n"
                "summary: A generated event.\nsources: [plutarch]\n",
                encoding="utf-8",
            )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "HOME_PAGE_EVENTS", 20)  # 34 events: above it, the home page links a page per month
        return build(content, folder / "site")


def month_page(site: Path, key: str) -> str:
    return (site / "timeline" / key / "index.html").read_text(encoding="utf-8")


def pager_links(page: str) -> dict[str, str]:
    """rel -> month key of a month page's links to the months before and after it."""
    return {rel: key for key, rel in re.findall(r'href="\.\./\.\./timeline/([^/"]+)/" rel="(prev|next)"', page)}


def test_month_pages_of_a_timeline_across_the_era_boundary(long_bce_site: Path) -> None:
    keys = [key for key, _ in MONTHS_IN_ORDER]
    assert sorted(p.name for p in (long_bce_site / "timeline").iterdir()) == sorted(keys)
    for index, (key, label) in enumerate(MONTHS_IN_ORDER):
        page = month_page(long_bce_site, key)
        assert f"<h1>{label}</h1>" in page
        expected = {}
        if index:
            expected["prev"] = keys[index - 1]
        if index + 1 < len(keys):
            expected["next"] = keys[index + 1]
        assert pager_links(page) == expected, key
    march = month_page(long_bce_site, "-0043-03")
    assert march.count('class="event importance-') == 5  # three generated, the killing and the amnesty
    assert "15 March 44 BCE" in html.unescape(re.sub(r"<[^>]+>", "", march))


def test_the_home_page_links_every_month_in_order(long_bce_site: Path) -> None:
    home = (long_bce_site / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<li><a href="timeline/([^/"]+)/">([^<]+)</a> \(\d+\)</li>', home)
    assert linked == MONTHS_IN_ORDER  # the sections come in date order, and so do their months


def test_every_link_of_the_long_bce_site_resolves(long_bce_site: Path) -> None:
    result = crawl(long_bce_site, "https://example.org/ancient/")
    assert result.broken == []
    assert result.missing_fragments == []
    every_page = {p for p in long_bce_site.rglob("*.html") if p.name != "404.html"}
    assert every_page - result.files == set()
    assert {long_bce_site / "timeline" / key / "index.html" for key, _ in MONTHS_IN_ORDER} <= result.files
