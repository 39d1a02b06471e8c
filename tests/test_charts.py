"""Charts of a long timeline stay light and responsive: counts per month instead of a marker per event, WebGL
for big traces, a bar per day for a busy episode, distributions instead of a bar per event, the widest
disagreements instead of all of them."""

from __future__ import annotations

import json

import pytest

from benchmarks.generate import generate
from timeline import charts
from timeline.build import load_timeline
from timeline.charts import episodes, figures, layout, overview
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline


@pytest.fixture(scope="module")
def long_timeline(tmp_path_factory: pytest.TempPathFactory) -> Timeline:
    """1,600 synthetic events in the real format."""
    folder = tmp_path_factory.mktemp("long")
    generate(1600, folder)
    timeline = load_timeline(folder / "content", Diagnostics())
    assert timeline is not None
    return timeline


def test_the_overview_of_a_long_timeline_counts_events_per_month(long_timeline: Timeline) -> None:
    chart = charts.overview_chart(long_timeline)
    assert chart is not None
    traces = chart.figure["data"]
    assert {t["type"] for t in traces} == {"bar"}
    months = traces[0]["x"]
    assert all(len(m) == 7 and m[4] == "-" for m in months)
    in_episodes = sum(1 for e in long_timeline.events if e.episode)
    assert sum(sum(t["y"]) for t in traces) == in_episodes
    assert len(chart.table.rows) == len(months)
    assert len(json.dumps(chart.figure)) < 60_000


def test_big_traces_are_drawn_with_webgl(long_timeline: Timeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "AGGREGATE_ABOVE", 10**6)
    monkeypatch.setattr(layout, "WEBGL_ABOVE", 100)
    chart = charts.overview_chart(long_timeline)
    assert chart is not None
    kinds = {(t["type"], len(t["x"]) > layout.WEBGL_ABOVE) for t in chart.figure["data"]}
    assert ("scattergl", True) in kinds
    assert ("scatter", True) not in kinds
    assert ("scattergl", False) not in kinds


def test_sources_per_event_become_a_distribution(long_timeline: Timeline) -> None:
    chart = charts.sources_per_event_chart(long_timeline)
    assert chart is not None
    bars = chart.figure["data"][0]
    assert len(bars["x"]) < 20, "one bar per number of sources, not one per event"
    assert sum(bars["y"]) == len(long_timeline.events)


def test_many_disagreements_show_the_widest(long_timeline: Timeline) -> None:
    chart = charts.figures_chart(long_timeline)
    assert chart is not None
    differing = figures.differing_figures(long_timeline)
    assert len(differing) > figures.FIGURES_SHOWN
    assert len(chart.figure["data"]) == figures.FIGURES_SHOWN
    assert f"{len(differing)} figures" in chart.summary
    assert f"the {figures.FIGURES_SHOWN} widest disagreements" in chart.summary
    shown = {t["name"] for t in chart.figure["data"]}
    narrowest_shown = min(figures.spread(differing[label]) for label in shown)
    assert all(figures.spread(items) <= narrowest_shown for label, items in differing.items() if label not in shown)


def test_count_axes_tick_at_one_two_or_five_times_a_power_of_ten_and_show_at_most_ten_ticks() -> None:
    steps = [m * 10**k for k in range(5) for m in (1, 2, 5)]
    for largest in range(1, 20_000):
        step = layout.count_axis("events", largest)["dtick"]
        assert step in steps
        assert largest / step <= 10
        assert step == 1 or largest / steps[steps.index(step) - 1] > 10, f"{largest}: {step} is not the finest step"


def test_a_busy_episode_counts_events_per_day_stacked_by_track(long_timeline: Timeline) -> None:
    episode = long_timeline.episodes[0]
    events = long_timeline.by_episode[episode.id]
    assert len(events) > episodes.EPISODE_MARKERS
    chart = charts.episode_chart(long_timeline, episode)
    assert chart is not None
    traces = chart.figure["data"]
    assert {t["type"] for t in traces} == {"bar"}
    assert chart.figure["layout"]["barmode"] == "stack"
    assert sorted(t["name"] for t in traces) == sorted({layout.track_of(e) for e in events})
    assert sum(sum(t["y"]) for t in traces) == len(events)
    assert sum(int(row[1][0]) for row in chart.table.rows) == len(events)
    assert len(json.dumps(chart.figure)) < 30_000


def test_a_quiet_episode_draws_each_event_as_a_marker_linking_it(
    long_timeline: Timeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(episodes, "EPISODE_MARKERS", 10**6)
    episode = long_timeline.episodes[0]
    chart = charts.episode_chart(long_timeline, episode)
    assert chart is not None
    links = [link for t in chart.figure["data"] for link in t["customdata"]]
    assert sorted(links) == sorted(f"events/{e.id}/" for e in long_timeline.by_episode[episode.id])


def test_a_long_date_axis_marks_years_in_words_counted_without_a_year_zero() -> None:
    from timeline.calendarday import CalendarDay
    from timeline.charts.layout import date_axis, year_ticks

    assert year_ticks(-39, 50) == [-39, -19, 20, 40]  # 40 BCE, 20 BCE, 20 CE, 40 CE
    assert year_ticks(2000, 2025) == [2000, 2005, 2010, 2015, 2020, 2025]
    axis = date_axis(CalendarDay(-39, 1, 1), CalendarDay(50, 12, 31))
    assert axis["ticktext"] == ["40 BCE", "20 BCE", "20 CE", "40 CE"]
    assert axis["tickvals"][0] == "-0039-01-01"
    assert "tickformat" not in axis  # `%-d %b` would write 1 Jan under every year
    short = date_axis(CalendarDay(-43, 3, 1), CalendarDay(-43, 4, 30))
    assert (short["tickformat"], short["title"]) == ("%-d %b", {"text": "day, 44 BCE"})
    assert "title" not in date_axis(CalendarDay(2022, 7, 1), CalendarDay(2022, 7, 31))
