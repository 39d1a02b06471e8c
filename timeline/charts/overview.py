"""The overview: every event of the episodes on a date axis, or events per month for a large timeline."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from timeline.calendarday import CalendarDay, era_year
from timeline.charts.layout import (
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    Chart,
    ChartTable,
    base_layout,
    date_axis,
    event_link,
    group_by,
    hover_text,
    main_status,
    make_figure,
    make_trace,
    marker_trace,
    scatter_type,
    stack_offsets,
    track_of,
)
from timeline.edtf import MONTHS
from timeline.model import Episode, Event, Timeline

MAX_PANELS = 3  # above this many episodes the overview shows one date axis
AGGREGATE_ABOVE = 1500  # events: above this the overview counts events per month instead of drawing each

# Room, in pixels, that the panels of the overview leave for what plotly draws between them: automargin makes
# room around the whole figure, not between subplots, so without it a panel's tick labels, its axis title and
# the next panel's title would overlap when the panels are short.
PANEL_TITLE_PX = 30
TICK_LABELS_PX = 30
AXIS_TITLE_PX = 36

Panel = tuple[str, tuple[Event, ...], CalendarDay, CalendarDay]  # title, events, first and last day shown


def overview_chart(timeline: Timeline) -> Chart | None:
    """Every event of the episodes on a date axis by track, a panel per episode; click opens the event."""
    episodes = [e for e in timeline.episodes if timeline.by_episode.get(e.id)]
    if not episodes:
        return None
    count = sum(len(timeline.by_episode[e.id]) for e in episodes)
    if count > AGGREGATE_ABOVE:
        return _overview_by_month(timeline, episodes, count)
    panels = _overview_panels(timeline, episodes)
    tracks = sorted({track_of(e) for e in timeline.events if e.episode})
    track_index = {label: i for i, label in enumerate(tracks)}
    axes = [date_axis(first, last) for _, _, first, last in panels]
    panel_px = 45 * max(2, len(tracks))
    gap_px = PANEL_TITLE_PX + TICK_LABELS_PX + (AXIS_TITLE_PX if any("title" in axis for axis in axes[:-1]) else 0)
    plot_px = len(panels) * panel_px + (len(panels) - 1) * gap_px
    layout = _subplots_layout([p[0] for p in panels], gap_px / plot_px if len(panels) > 1 else 0.0)
    traces: list[dict[str, Any]] = []
    shown: set[str] = set()
    for row, ((_, events, _, _), axis) in enumerate(zip(panels, axes, strict=True), start=1):
        suffix = "" if row == 1 else str(row)
        for trace in _overview_markers(events, track_index, shown):
            traces.append({**trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
        layout[f"xaxis{suffix}"].update(axis)
        layout[f"yaxis{suffix}"].update(
            tickvals=list(range(len(tracks))), ticktext=tracks, range=[-0.6, len(tracks) - 0.2], automargin=True
        )
    rows = tuple(
        (
            (e.date.human(), None),
            (e.title, event_link(e)),
            (e.episode.title if e.episode else "", f"episodes/{e.episode.id}/" if e.episode else None),
            (track_of(e), None),
            (main_status(e) or "no claim", None),
        )
        for panel in panels
        for e in panel[1]
    )
    top = 40 + PANEL_TITLE_PX  # the legend, above the first panel's title
    bottom = 10 + TICK_LABELS_PX + (AXIS_TITLE_PX if "title" in axes[-1] else 0)
    height = top + plot_px + bottom
    legend = {**base_layout()["legend"], "y": 1 + PANEL_TITLE_PX / plot_px}
    layout.update(base_layout(height=height, margin={"l": 10, "r": 10, "t": top, "b": bottom}, legend=legend))
    return Chart(
        id="overview",
        title=f"Overview: every event of {_episodes_phrase(len(episodes))}",
        summary=(
            f"{count} events in {len(episodes)} episodes, placed by date and by main tag. "
            "Marker shape and colour give the status of the event's main claim; larger markers are more important events. "
            "Select a marker to open its event."
        ),
        figure=make_figure(traces, layout),
        table=ChartTable("events by date", ("Date", "Event", "Episode", "Track", "Main claim status"), rows),
        height=height,
    )


def _overview_panels(timeline: Timeline, episodes: list[Episode]) -> list[Panel]:
    """A panel per episode, or one panel for them all when there are more than MAX_PANELS."""
    events_of = {e.id: timeline.by_episode[e.id] for e in episodes}
    if len(episodes) <= MAX_PANELS:
        return [(e.label, events_of[e.id], e.start.first_day, e.end.last_day) for e in episodes]
    every = tuple(ev for e in episodes for ev in events_of[e.id])
    return [("All episodes", every, episodes[0].start.first_day, max(e.end.last_day for e in episodes))]


def _subplots_layout(titles: list[str], spacing: float) -> dict[str, Any]:
    """Axes (`xaxis`, `xaxis2`...) and titles of panels stacked in one column, as plotly lays them out.

    Only the layout of an empty figure goes through plotly's graph objects; traces stay plain data.
    """
    from plotly.subplots import make_subplots  # imported here: only building the site pays for plotly

    layout: dict[str, Any] = make_subplots(
        rows=len(titles), cols=1, subplot_titles=titles, vertical_spacing=spacing
    ).to_plotly_json()["layout"]
    layout.pop("template", None)
    return layout


def _overview_markers(events: tuple[Event, ...], track_index: dict[str, int], shown: set[str]) -> list[dict[str, Any]]:
    """One panel's events as markers, a trace per main claim status; each status in the legend once."""
    offsets = stack_offsets(events, lambda e: (e.date.midpoint, track_of(e)))
    by_status = group_by(events, lambda e: main_status(e) or "none")
    traces = []
    for status in ["none", *STATUS_COLOURS]:
        group = by_status.get(status)
        if not group:
            continue
        name = "no claim" if status == "none" else status
        traces.append(
            marker_trace(
                scatter_type(len(group)),
                x=[e.date.midpoint.isoformat() for e in group],
                y=[track_index[track_of(e)] + 0.18 * offsets[e.id] for e in group],
                mode="markers",
                name=name,
                legendgroup=name,
                showlegend=name not in shown,
                marker={
                    "size": [8 + 5 * e.importance for e in group],
                    "color": STATUS_COLOURS.get(status, "#777777"),
                    "symbol": STATUS_SYMBOLS.get(status, "circle"),
                    "line": {"width": 1, "color": "#333333"},
                },
                customdata=[event_link(e) for e in group],
                hovertext=[hover_text(e) for e in group],
                hoverinfo="text",
            )
        )
        shown.add(name)
    return traces


def _episodes_phrase(count: int) -> str:
    return "the episode" if count == 1 else "both episodes" if count == 2 else f"{count} episodes"


def _month_label(year: int, month: int) -> str:
    """A month of a timeline that reaches before 1 CE, in words (`Mar 44 BCE`): as 2022-07 is written, the
    minus sign of -0043-03 would be the only mark of the era."""
    return f"{MONTHS[month - 1][:3]} {era_year(year)}"


def _overview_by_month(timeline: Timeline, episodes: list[Episode], count: int) -> Chart:
    """For large timelines: events per month, stacked by the status of their main claim."""
    per_month = Counter(
        (event.date.start.year, event.date.start.month or 1, main_status(event) or "none")  # the month of its first day
        for episode in episodes
        for event in timeline.by_episode[episode.id]
    )
    in_order = sorted({(year, month) for year, month, _ in per_month})
    label = _month_label if in_order[0][0] < 1 else (lambda year, month: f"{year:04d}-{month:02d}")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (year, month, status), number in per_month.items():
        counts[(label(year, month), status)] += number
    months = [label(year, month) for year, month in in_order]
    traces = [
        make_trace(
            "bar",
            x=months,
            y=[counts.get((m, status), 0) for m in months],
            name="no claim" if status == "none" else status,
            marker={"color": STATUS_COLOURS.get(status, "#777777")},
        )
        for status in ["none", *STATUS_COLOURS]
        if any(s == status for _, s in counts)
    ]
    rows = tuple(
        ((month, None), (str(sum(counts.get((month, s), 0) for s in ["none", *STATUS_COLOURS])), None)) for month in months
    )
    layout = base_layout(
        barmode="stack", height=420, xaxis={"type": "category", "automargin": True}, yaxis={"title": {"text": "events"}}
    )
    return Chart(
        id="overview",
        title=f"Overview: events per month across {_episodes_phrase(len(episodes))}",
        summary=f"{count} events, counted per month and stacked by the status of each event's main claim.",
        figure=make_figure(traces, layout),
        table=ChartTable("events per month", ("Month", "Events"), rows),
    )
