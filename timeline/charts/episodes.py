"""Each episode day by day."""

from __future__ import annotations

from collections import Counter
from typing import Any

from timeline.charts.layout import (
    TRACK_COLOURS,
    Chart,
    ChartTable,
    base_layout,
    count_axis,
    date_axis,
    day_text,
    escape,
    event_link,
    group_by,
    hover_text,
    make_figure,
    make_trace,
    marker_trace,
    stack_offsets,
    track_of,
)
from timeline.edtf import span_words
from timeline.model import Episode, Event, Timeline

EPISODE_MARKERS = 300  # events: above this an episode's chart counts events per day instead of drawing each


def episode_chart(timeline: Timeline, episode: Episode) -> Chart | None:
    """An episode day by day: each event a marker stacked on its day, coloured by track; for a busy episode,
    a bar per day stacked by track."""
    events = timeline.by_episode.get(episode.id, ())
    if not events:
        return None
    per_day = Counter(e.date.midpoint for e in events)
    busiest = max(per_day.values())
    layout = base_layout(
        xaxis=date_axis(episode.start.first_day, episode.end.last_day),
        yaxis=count_axis("events that day", busiest, range=[0, busiest + 1]),
        height=420,
    )
    if len(events) > EPISODE_MARKERS:
        traces = _episode_bars(events)
        layout["barmode"] = "stack"
        drawn = "each bar counts the events of one day, stacked by their main tag."
    else:
        traces = _episode_markers(events)
        drawn = "each marker is one event on its day, coloured by its main tag. Select a marker to open its event."
    rows = tuple(((day_text(day), None), (str(count), None)) for day, count in sorted(per_day.items()))
    return Chart(
        id=f"episode-{episode.id}",
        title=f"{episode.title}, day by day",
        summary=f"{len(events)} events from {' to '.join(span_words(episode.start, episode.end))}; {drawn}",
        figure=make_figure(traces, layout),
        table=ChartTable(f"events per day, {episode.label}", ("Day", "Events"), rows),
    )


def _episode_markers(events: tuple[Event, ...]) -> list[dict[str, Any]]:
    """A marker per event, stacked on its day, a trace per track."""
    offsets = stack_offsets(events, lambda e: e.date.midpoint)
    by_track = group_by(events, track_of)
    return [
        marker_trace(
            "scatter",
            x=[e.date.midpoint.isoformat() for e in by_track[track]],
            y=[offsets[e.id] + 1 for e in by_track[track]],
            mode="markers",
            name=track,
            marker={
                "size": [10 + 5 * e.importance for e in by_track[track]],
                "color": TRACK_COLOURS[index % len(TRACK_COLOURS)],
                "line": {"width": 1, "color": "#333333"},
            },
            customdata=[event_link(e) for e in by_track[track]],
            hovertext=[hover_text(e) for e in by_track[track]],
            hoverinfo="text",
        )
        for index, track in enumerate(sorted(by_track))
    ]


def _episode_bars(events: tuple[Event, ...]) -> list[dict[str, Any]]:
    """For a busy episode: the number of events of each day, a trace per track (stacked by the layout)."""
    by_track = group_by(events, track_of)
    traces = []
    for index, track in enumerate(sorted(by_track)):
        per_day = Counter(e.date.midpoint for e in by_track[track])
        days = sorted(per_day)
        traces.append(
            make_trace(
                "bar",
                x=[day.isoformat() for day in days],
                y=[per_day[day] for day in days],
                name=track,
                marker={"color": TRACK_COLOURS[index % len(TRACK_COLOURS)]},
                hovertext=[f"{day_text(day)}: {per_day[day]} {escape(track)}" for day in days],  # plotly writes 44 BCE as -43
                hoverinfo="text",
            )
        )
    return traces
