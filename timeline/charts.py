"""Charts: the timeline as Plotly figures, each with a plain table of its data.

Figures are built as plain JSON-ready data in plotly's figure format (plotly's graph objects validate
every value, which is slow for thousands of points) and shipped as JSON; the page's external script
draws them with the self-hosted plotly.js. The table is the accessible form of every chart.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from timeline.model import Episode, Event, Figure, Timeline
from timeline.pages import source_pages

Cell = tuple[str, str | None]  # text, and a link relative to the site root (or None)


@dataclass(frozen=True)
class ChartTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    summary: str  # one or two sentences saying what the chart shows, for every reader
    figure: dict[str, Any]  # Plotly figure: {"data": [...], "layout": {...}}
    table: ChartTable
    height: int = 420


STATUS_COLOURS = {  # Okabe-Ito, distinguishable with common colour-vision deficiencies
    "claimed": "#E69F00",
    "unverified": "#56B4E9",
    "disputed": "#CC79A7",
    "denied": "#D55E00",
    "confirmed": "#009E73",
}
TRACK_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000", "#999999")
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _event_link(event: Event) -> str:
    return f"events/{event.id}/"


def _layout(**extra: Any) -> dict[str, Any]:
    """Settings shared by every chart: transparent, system font, room for labels."""
    layout: dict[str, Any] = {
        "font": {"family": _FONT, "size": 13},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 10, "r": 10, "t": 40, "b": 40},
        "hovermode": "closest",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom"},
    }
    layout.update(extra)
    return layout


def _count_axis(title: str, largest: int, **extra: Any) -> dict[str, Any]:
    """An axis of whole counts from zero, with a tick every 1, 2, 5, 10, 20, 50... so that at most ten show."""
    steps = (multiple * 10**power for power in itertools.count() for multiple in (1, 2, 5))
    step = next(step for step in steps if largest <= 10 * step)
    return {"title": {"text": title}, "dtick": step, "rangemode": "tozero", **extra}


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A plotly figure as plain JSON-ready data, without a template (plotly.js has its own defaults).

    Every axis makes room for its tick labels and title, however long or slanted, on a phone too.
    """
    layout.setdefault("xaxis", {})
    layout.setdefault("yaxis", {})
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            axis.setdefault("automargin", True)
    return {"data": traces, "layout": layout}


def _trace(kind: str, **properties: Any) -> dict[str, Any]:
    """A plotly trace of the given type (`bar`, `scatter`...) as plain data: lists, not tuples."""
    return {"type": kind, **properties}


def _markers(kind: str, **properties: Any) -> dict[str, Any]:
    """A trace of event markers. SVG markers may overflow the plot area, so that an event on the first or last
    day shows whole; WebGL traces (`scattergl`) have no such setting."""
    trace = _trace(kind, **properties)
    if kind == "scatter":
        trace["cliponaxis"] = False
    return trace


def _track(event: Event) -> str:
    return event.track.label if event.track else "(untagged)"


def _hover(event: Event) -> str:
    return f"{event.date.human()}<br>{_escape(event.title)}"


def _escape(text: str) -> str:
    """Plotly renders a little HTML in hover text; content is shown as text."""
    return html.escape(text, quote=False)


def _group(events: tuple[Event, ...], key: Callable[[Event], str]) -> dict[str, list[Event]]:
    """Events by key, each group in the order of `events`."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[key(event)].append(event)
    return groups


def _stack_offsets(events: tuple[Event, ...], key: Any) -> dict[str, int]:
    """Position of each event among events sharing the same key (e.g. day and track)."""
    seen: dict[Any, int] = defaultdict(int)
    offsets = {}
    for event in events:
        k = key(event)
        offsets[event.id] = seen[k]
        seen[k] += 1
    return offsets


MAX_PANELS = 3  # above this many episodes the overview shows one date axis
AGGREGATE_ABOVE = 1500  # events: above this the overview counts events per month instead of drawing each
WEBGL_ABOVE = 1000  # points in one trace: above this, WebGL keeps the chart responsive
PER_EVENT_ROWS = 60  # events: above this, per-event bar charts become distributions
EPISODE_MARKERS = 300  # events: above this an episode's chart counts events per day instead of drawing each


def _scatter_type(points: int) -> str:
    return "scattergl" if points > WEBGL_ABOVE else "scatter"


Panel = tuple[str, tuple[Event, ...], dt.date, dt.date]  # title, events, first and last day shown


def overview_chart(timeline: Timeline) -> Chart | None:
    """Every event of the episodes on a date axis by track, a panel per episode; click opens the event."""
    episodes = [e for e in timeline.episodes if timeline.by_episode.get(e.id)]
    if not episodes:
        return None
    count = sum(len(timeline.by_episode[e.id]) for e in episodes)
    if count > AGGREGATE_ABOVE:
        return _overview_by_month(timeline, episodes, count)
    panels = _overview_panels(timeline, episodes)
    tracks = sorted({_track(e) for e in timeline.events if e.episode})
    track_index = {label: i for i, label in enumerate(tracks)}
    spacing = 0.12 if len(panels) < 2 else min(0.12, 0.5 / (len(panels) - 1))
    layout = _subplots_layout([p[0] for p in panels], spacing)
    traces: list[dict[str, Any]] = []
    shown: set[str] = set()
    day = dt.timedelta(days=1)
    for row, (_, events, first, last) in enumerate(panels, start=1):
        suffix = "" if row == 1 else str(row)
        for trace in _overview_markers(events, track_index, shown):
            traces.append({**trace, "xaxis": f"x{suffix}", "yaxis": f"y{suffix}"})
        layout[f"xaxis{suffix}"].update(
            range=[(first - day).isoformat(), (last + day).isoformat()], type="date", tickformat="%-d %b"
        )
        layout[f"yaxis{suffix}"].update(
            tickvals=list(range(len(tracks))), ticktext=tracks, range=[-0.6, len(tracks) - 0.2], automargin=True
        )
    rows = tuple(
        (
            (e.date.human(), None),
            (e.title, _event_link(e)),
            (e.episode.title if e.episode else "", f"episodes/{e.episode.id}/" if e.episode else None),
            (_track(e), None),
            (_main_status(e) or "no claim", None),
        )
        for panel in panels
        for e in panel[1]
    )
    height = 120 + 90 * len(panels) * max(2, len(tracks)) // 2
    layout.update(_layout(height=height))
    return Chart(
        id="overview",
        title=f"Overview: every event of {_episodes_phrase(len(episodes))}",
        summary=(
            f"{count} events in {len(episodes)} episodes, placed by date and by main tag. "
            "Marker shape and colour give the status of the event's main claim; larger markers are more important events. "
            "Select a marker to open its event."
        ),
        figure=_figure(traces, layout),
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
    offsets = _stack_offsets(events, lambda e: (e.date.midpoint, _track(e)))
    by_status = _group(events, lambda e: _main_status(e) or "none")
    traces = []
    for status in ["none", *STATUS_COLOURS]:
        group = by_status.get(status)
        if not group:
            continue
        name = "no claim" if status == "none" else status
        traces.append(
            _markers(
                _scatter_type(len(group)),
                x=[e.date.midpoint.isoformat() for e in group],
                y=[track_index[_track(e)] + 0.18 * offsets[e.id] for e in group],
                mode="markers",
                name=name,
                legendgroup=name,
                showlegend=name not in shown,
                marker={
                    "size": [8 + 5 * e.importance for e in group],
                    "color": STATUS_COLOURS.get(status, "#777777"),
                    "symbol": _STATUS_SYMBOLS.get(status, "circle"),
                    "line": {"width": 1, "color": "#333333"},
                },
                customdata=[_event_link(e) for e in group],
                hovertext=[_hover(e) for e in group],
                hoverinfo="text",
            )
        )
        shown.add(name)
    return traces


def _episodes_phrase(count: int) -> str:
    return "the episode" if count == 1 else "both episodes" if count == 2 else f"{count} episodes"


def _overview_by_month(timeline: Timeline, episodes: list[Episode], count: int) -> Chart:
    """For large timelines: events per month, stacked by the status of their main claim."""
    per_month = Counter(
        (event.date.start.year, event.date.start.month or 1, _main_status(event) or "none")  # the month of its first day
        for episode in episodes
        for event in timeline.by_episode[episode.id]
    )
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (year, month, status), number in per_month.items():
        counts[(dt.date(year, month, 1).strftime("%Y-%m"), status)] += number
    months = sorted({month for month, _ in counts})
    traces = [
        _trace(
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
    layout = _layout(
        barmode="stack", height=420, xaxis={"type": "category", "automargin": True}, yaxis={"title": {"text": "events"}}
    )
    return Chart(
        id="overview",
        title=f"Overview: events per month across {_episodes_phrase(len(episodes))}",
        summary=f"{count} events, counted per month and stacked by the status of each event's main claim.",
        figure=_figure(traces, layout),
        table=ChartTable("events per month", ("Month", "Events"), rows),
    )


_STATUS_SYMBOLS = {
    "none": "circle",
    "claimed": "diamond",
    "unverified": "square",
    "disputed": "triangle-up",
    "denied": "x",
    "confirmed": "star",
}


def _main_status(event: Event) -> str | None:
    """The status of the event's first claim, the one its title is about."""
    return event.claims[0].status if event.claims else None


def episode_chart(timeline: Timeline, episode: Episode) -> Chart | None:
    """An episode day by day: each event a marker stacked on its day, coloured by track; for a busy episode,
    a bar per day stacked by track."""
    events = timeline.by_episode.get(episode.id, ())
    if not events:
        return None
    per_day = Counter(e.date.midpoint for e in events)
    busiest = max(per_day.values())
    layout = _layout(
        xaxis={
            "type": "date",
            "title": {"text": "day"},
            "tickformat": "%-d %b",
            "range": [
                (episode.start.first_day - dt.timedelta(days=1)).isoformat(),
                (episode.end.last_day + dt.timedelta(days=1)).isoformat(),
            ],
        },
        yaxis=_count_axis("events that day", busiest, range=[0, busiest + 1]),
        height=420,
    )
    if len(events) > EPISODE_MARKERS:
        traces = _episode_bars(events)
        layout["barmode"] = "stack"
        drawn = "each bar counts the events of one day, stacked by their main tag."
    else:
        traces = _episode_markers(events)
        drawn = "each marker is one event on its day, coloured by its main tag. Select a marker to open its event."
    rows = tuple(((day.strftime("%-d %B %Y"), None), (str(count), None)) for day, count in sorted(per_day.items()))
    return Chart(
        id=f"episode-{episode.id}",
        title=f"{episode.title}, day by day",
        summary=f"{len(events)} events from {episode.start.human()} to {episode.end.human()}; {drawn}",
        figure=_figure(traces, layout),
        table=ChartTable(f"events per day, {episode.label}", ("Day", "Events"), rows),
    )


def _episode_markers(events: tuple[Event, ...]) -> list[dict[str, Any]]:
    """A marker per event, stacked on its day, a trace per track."""
    offsets = _stack_offsets(events, lambda e: e.date.midpoint)
    by_track = _group(events, _track)
    return [
        _markers(
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
            customdata=[_event_link(e) for e in by_track[track]],
            hovertext=[_hover(e) for e in by_track[track]],
            hoverinfo="text",
        )
        for index, track in enumerate(sorted(by_track))
    ]


def _episode_bars(events: tuple[Event, ...]) -> list[dict[str, Any]]:
    """For a busy episode: the number of events of each day, a trace per track (stacked by the layout)."""
    by_track = _group(events, _track)
    traces = []
    for index, track in enumerate(sorted(by_track)):
        per_day = Counter(e.date.midpoint for e in by_track[track])
        days = sorted(per_day)
        traces.append(
            _trace(
                "bar",
                x=[day.isoformat() for day in days],
                y=[per_day[day] for day in days],
                name=track,
                marker={"color": TRACK_COLOURS[index % len(TRACK_COLOURS)]},
                hovertemplate="%{x|%-d %b %Y}: %{y} %{fullData.name}<extra></extra>",
            )
        )
    return traces


def claims_chart(timeline: Timeline) -> Chart | None:
    """Claims counted by the side of who made them and by their status."""
    from timeline.render import side_label
    from timeline.schema import SIDES

    counts: dict[tuple[str, str], int] = defaultdict(int)
    for event in timeline.events:
        for claim in event.claims:
            counts[(claim.by.side, claim.status)] += 1
    if not counts:
        return None
    sides = [s for s in SIDES if any(k[0] == s for k in counts)]
    traces = [
        _trace(
            "bar",
            x=[side_label(s) for s in sides],
            y=[counts.get((s, status), 0) for s in sides],
            name=status,
            marker={"color": colour},
            hovertemplate=f"%{{x}}: %{{y}} {status}<extra></extra>",
        )
        for status, colour in STATUS_COLOURS.items()
        if any(k[1] == status for k in counts)
    ]
    rows = tuple(
        ((side_label(s), None), (status, None), (str(counts[(s, status)]), None))
        for s in sides
        for status in STATUS_COLOURS
        if counts.get((s, status))
    )
    total = sum(counts.values())
    tallest = max(sum(n for (side, _), n in counts.items() if side == s) for s in sides)
    return Chart(
        id="claims",
        title="Claims by side and status",
        summary=f"{total} claims, grouped by the side of the actor who made them and stacked by how each claim stands.",
        figure=_figure(traces, _layout(barmode="stack", yaxis=_count_axis("claims", tallest), height=380)),
        table=ChartTable("claims by side and status", ("Side", "Status", "Claims"), rows),
        height=380,
    )


def sources_per_event_chart(timeline: Timeline) -> Chart | None:
    """For each event: how many sources, and how many independent ones."""
    events = timeline.events
    if not events:
        return None
    if len(events) > PER_EVENT_ROWS:
        return _sources_distribution(events)
    labels = [f"{e.date.start} {_shorten(e.title, 48)}" for e in events]
    links = [_event_link(e) for e in events]
    traces = [
        _trace(
            "bar",
            y=labels,
            x=[len(e.sources) for e in events],
            orientation="h",
            name="sources",
            marker={"color": "#56B4E9"},
            customdata=links,
            hovertemplate="%{y}: %{x} sources<extra></extra>",
        ),
        _trace(
            "bar",
            y=labels,
            x=[e.independent_sources for e in events],
            orientation="h",
            name="independent",
            marker={"color": "#0072B2"},
            customdata=links,
            hovertemplate="%{y}: %{x} independent<extra></extra>",
        ),
    ]
    height = 120 + 26 * len(events)
    layout = _layout(
        barmode="group",
        height=height,
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        xaxis=_count_axis("sources", max(len(e.sources) for e in events)),
    )
    rows = tuple(((e.title, _event_link(e)), (str(len(e.sources)), None), (str(e.independent_sources), None)) for e in events)
    return Chart(
        id="sources-per-event",
        title="Sources per event",
        summary=(
            "How many sources each event cites, and how many of them are independent once copies of the same "
            "report are counted once. Select a bar to open its event."
        ),
        figure=_figure(traces, layout),
        table=ChartTable("sources per event", ("Event", "Sources", "Independent"), rows),
        height=height,
    )


def _sources_distribution(events: tuple[Event, ...]) -> Chart:
    """For many events: how many events cite one, two, three... sources, and how many independent ones."""
    total: dict[int, int] = defaultdict(int)
    independent: dict[int, int] = defaultdict(int)
    for event in events:
        total[len(event.sources)] += 1
        independent[event.independent_sources] += 1
    sizes = sorted(total.keys() | independent.keys())
    traces = [
        _trace("bar", x=sizes, y=[total.get(n, 0) for n in sizes], name="sources", marker={"color": "#56B4E9"}),
        _trace("bar", x=sizes, y=[independent.get(n, 0) for n in sizes], name="independent", marker={"color": "#0072B2"}),
    ]
    layout = _layout(
        barmode="group",
        height=380,
        xaxis=_count_axis("sources cited", sizes[-1]),
        yaxis=_count_axis("events", max(*total.values(), *independent.values())),
    )
    rows = tuple(((str(n), None), (str(total.get(n, 0)), None), (str(independent.get(n, 0)), None)) for n in sizes)
    return Chart(
        id="sources-per-event",
        title="Sources per event",
        summary=(
            f"How many of the {len(events)} events cite one, two, three or more sources, and how many "
            "independent sources they have once copies of the same report are counted once."
        ),
        figure=_figure(traces, layout),
        table=ChartTable("events by number of sources", ("Sources", "Events (all sources)", "Events (independent)"), rows),
        height=380,
    )


def publishers_chart(timeline: Timeline) -> Chart | None:
    """For each publisher: how many events cite it, split into original reporting and republished copies."""
    per: dict[str, dict[str, int]] = defaultdict(lambda: {"original": 0, "republished": 0})
    for source in timeline.sources.values():
        kind = "republished" if source.republishes else "original"
        per[source.publisher][kind] += len(timeline.by_source.get(source.id, ()))
    if not per:
        return None
    publishers = sorted(per, key=lambda p: (-sum(per[p].values()), p))
    traces = [
        _trace(
            "bar",
            y=publishers,
            x=[per[p][kind] for p in publishers],
            orientation="h",
            name=f"{kind} reporting",
            marker={"color": colour},
            hovertemplate=f"%{{y}}: cited by %{{x}} events ({kind})<extra></extra>",
        )
        for kind, colour in (("original", "#0072B2"), ("republished", "#E69F00"))
    ]
    height = 140 + 40 * len(publishers)
    layout = _layout(
        barmode="stack",
        height=height,
        yaxis={"autorange": "reversed"},
        xaxis=_count_axis("events citing", max(sum(counts.values()) for counts in per.values())),
    )
    rows = tuple(((p, None), (str(per[p]["original"]), None), (str(per[p]["republished"]), None)) for p in publishers)
    return Chart(
        id="publishers",
        title="Citations by publisher and independence",
        summary=(
            "How many events cite each publisher, split into original reporting "
            "and copies that republish another source's report."
        ),
        figure=_figure(traces, layout),
        table=ChartTable("events citing each publisher", ("Publisher", "Original reporting", "Republished copies"), rows),
        height=height,
    )


FIGURES_SHOWN = 24  # a chart of more disagreements than this shows the widest ones


def figures_chart(timeline: Timeline) -> Chart | None:
    """Numbers that sources report differently, side by side; the widest disagreements when there are many."""
    differing = _differing_figures(timeline)
    if not differing:
        return None
    summary = (
        f"{len(differing)} {'figure' if len(differing) == 1 else 'figures'} on which the sources disagree, "
        "each value beside the publisher that reported it."
    )
    if len(differing) > FIGURES_SHOWN:
        widest = sorted(differing, key=lambda label: (-_spread(differing[label]), label))[:FIGURES_SHOWN]
        differing = {label: differing[label] for label in sorted(widest)}
        summary += f" Shown: the {FIGURES_SHOWN} widest disagreements; every figure is on its event's page."
    traces = []
    rows: list[tuple[Cell, ...]] = []
    listed_on = source_pages(timeline)
    for label, items in differing.items():
        trace, label_rows = _figure_bars(label, items, listed_on)
        traces.append(trace)
        rows.extend(label_rows)
    return Chart(
        id="figures",
        title="Figures the sources report differently",
        summary=summary,
        figure=_figure(
            traces,
            _layout(barmode="group", height=360, yaxis={"title": {"text": "value as reported"}, "rangemode": "tozero"}),
        ),
        table=ChartTable("figures reported differently", ("Figure", "Value", "Reported by", "Event"), tuple(rows)),
        height=360,
    )


def _spread(items: list[tuple[Event, Figure]]) -> float:
    """How far apart the reported values are: the largest over the smallest (in magnitude)."""
    values = [abs(f.value) for _, f in items]
    return max(values) / min(values) if min(values) else math.inf


def _differing_figures(timeline: Timeline) -> dict[str, list[tuple[Event, Figure]]]:
    """Figures by label, in label order, where the sources report more than one value."""
    dated = len(timeline.by_id) >= 2  # with several events, a label is one figure on one date
    by_label: dict[str, list[tuple[Event, Figure]]] = defaultdict(list)
    for event in timeline.events:
        if not event.figures:
            continue
        when = f" ({event.date.human()})" if dated else ""
        for figure in event.figures:  # one label within one event is one figure, as each source reports it
            by_label[figure.label + when].append((event, figure))
    return {label: items for label, items in sorted(by_label.items()) if len({f.value for _, f in items}) > 1}


def _figure_bars(
    label: str, items: list[tuple[Event, Figure]], listed_on: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[Cell, ...]]]:
    """One figure's values as bars, a bar per source, and the same values as table rows; `listed_on` gives the
    bibliography page of each source."""
    shown = [f.display for _, f in items]
    links = [_event_link(e) for e, _ in items]
    trace = _trace(
        "bar",
        x=[f"{f.source.publisher}" for _, f in items],
        y=[f.value for _, f in items],
        name=label,
        text=shown,
        textposition="outside",
        customdata=links,
        hovertemplate="%{x}: %{text}<extra>" + _escape(label) + "</extra>",
    )
    rows: list[tuple[Cell, ...]] = [
        ((label, None), (text, None), (f.source.publisher, f"{listed_on[f.source.id]}#{f.source.id}"), (e.title, link))
        for (e, f), text, link in zip(items, shown, links, strict=True)
    ]
    return trace, rows


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_charts(timeline: Timeline) -> dict[str, Chart]:
    """Every chart of the site, in the order the charts page shows them."""
    charts = [overview_chart(timeline)]
    charts += [episode_chart(timeline, episode) for episode in timeline.episodes]
    charts += [
        claims_chart(timeline),
        sources_per_event_chart(timeline),
        publishers_chart(timeline),
        figures_chart(timeline),
    ]
    return {chart.id: chart for chart in charts if chart is not None}


_PLOTLY_RULES = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*([,}])""")


def _js_string(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def plotly_stylesheet(script: str) -> str:
    """plotly.js's own CSS, taken from the bundle, so the page can link it instead of plotly injecting <style>.

    plotly.js skips injecting styles when the page has a stylesheet with id `plotly.js-style-global`
    and class `no-inline-styles`, which a Content-Security-Policy without 'unsafe-inline' needs.
    """
    start = script.find('"X,X div"')
    if start < 0:
        raise RuntimeError("plotly.js bundle without its style rules: cannot build plotly.css")
    position = script.rfind("{", 0, start) + 1
    rules = []
    while True:
        match = _PLOTLY_RULES.match(script, position)
        if not match:
            break
        selector = _js_string(match.group(1)).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        if selector.startswith(","):
            selector = " " + selector
        rules.append(f"{selector}{{{_js_string(match.group(2))}}}")
        position = match.end()
        if match.group(3) == "}":
            break
    return "\n".join(rules) + "\n"


_BUNDLED_STYLE = re.compile(r'getElementById\("(?P<id>[0-9a-f]{64})"\)\)\{var (?P<v>\w+)=document\.createElement\("style"\)')


@lru_cache(maxsize=1)
def plotly_assets() -> dict[str, bytes]:
    """plotly.js from the installed plotly package, and its stylesheet."""
    from importlib.resources import files

    script = files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    return {"plotly.min.js": script, "plotly.css": plotly_stylesheet(script.decode("utf-8")).encode("utf-8")}


@lru_cache(maxsize=1)
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of stylesheets plotly.js injects when it loads unless an element with the id exists.

    They style map traces (maplibre), which the site does not draw: charts.js puts a placeholder
    element with each id in the page before loading plotly.js, so nothing is injected.
    """
    script = plotly_assets()["plotly.min.js"].decode("utf-8")
    return tuple(sorted(m.group("id") for m in _BUNDLED_STYLE.finditer(script)))
