"""Pages of a timeline before the common era: episode spans in words, and the month pages of a long one."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.conftest import BCE_CONTENT
from timeline.build import load_timeline
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
