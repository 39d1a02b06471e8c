"""Sources: how many each event cites, and citations by publisher."""

from __future__ import annotations

from collections import defaultdict

from timeline.charts.layout import Chart, ChartTable, base_layout, count_axis, event_link, make_figure, make_trace, shorten
from timeline.model import Event, Timeline

PER_EVENT_ROWS = 60  # events: above this, per-event bar charts become distributions


def sources_per_event_chart(timeline: Timeline) -> Chart | None:
    """For each event: how many sources, and how many independent ones."""
    events = timeline.events
    if not events:
        return None
    if len(events) > PER_EVENT_ROWS:
        return _sources_distribution(events)
    in_words = any(not e.date.common_era for e in events)  # -0043-03-15 would be the only mark of 44 BCE
    labels = [f"{e.date.start.human() if in_words else e.date.start} {shorten(e.title, 48)}" for e in events]
    links = [event_link(e) for e in events]
    traces = [
        make_trace(
            "bar",
            y=labels,
            x=[len(e.sources) for e in events],
            orientation="h",
            name="sources",
            marker={"color": "#56B4E9"},
            customdata=links,
            hovertemplate="%{y}: %{x} sources<extra></extra>",
        ),
        make_trace(
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
    layout = base_layout(
        barmode="group",
        height=height,
        yaxis={"autorange": "reversed", "tickfont": {"size": 11}},
        xaxis=count_axis("sources", max(len(e.sources) for e in events)),
    )
    rows = tuple(((e.title, event_link(e)), (str(len(e.sources)), None), (str(e.independent_sources), None)) for e in events)
    return Chart(
        id="sources-per-event",
        title="Sources per event",
        summary=(
            "How many sources each event cites, and how many of them are independent once copies of the same "
            "report are counted once. Select a bar to open its event."
        ),
        figure=make_figure(traces, layout),
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
        make_trace("bar", x=sizes, y=[total.get(n, 0) for n in sizes], name="sources", marker={"color": "#56B4E9"}),
        make_trace("bar", x=sizes, y=[independent.get(n, 0) for n in sizes], name="independent", marker={"color": "#0072B2"}),
    ]
    layout = base_layout(
        barmode="group",
        height=380,
        xaxis=count_axis("sources cited", sizes[-1]),
        yaxis=count_axis("events", max(*total.values(), *independent.values())),
    )
    rows = tuple(((str(n), None), (str(total.get(n, 0)), None), (str(independent.get(n, 0)), None)) for n in sizes)
    return Chart(
        id="sources-per-event",
        title="Sources per event",
        summary=(
            f"How many of the {len(events)} events cite one, two, three or more sources, and how many "
            "independent sources they have once copies of the same report are counted once."
        ),
        figure=make_figure(traces, layout),
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
        make_trace(
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
    layout = base_layout(
        barmode="stack",
        height=height,
        yaxis={"autorange": "reversed"},
        xaxis=count_axis("events citing", max(sum(counts.values()) for counts in per.values())),
    )
    rows = tuple(((p, None), (str(per[p]["original"]), None), (str(per[p]["republished"]), None)) for p in publishers)
    return Chart(
        id="publishers",
        title="Citations by publisher and independence",
        summary=(
            "How many events cite each publisher, split into original reporting "
            "and copies that republish another source's report."
        ),
        figure=make_figure(traces, layout),
        table=ChartTable("events citing each publisher", ("Publisher", "Original reporting", "Republished copies"), rows),
        height=height,
    )
