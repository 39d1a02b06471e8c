"""Reported figures on which the sources disagree."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from timeline.charts.layout import Cell, Chart, ChartTable, base_layout, escape, event_link, make_figure, make_trace
from timeline.charts.reads import EventReads
from timeline.model import Event, Figure, Timeline
from timeline.pages import source_pages

FIGURES_SHOWN = 24  # a chart of more disagreements than this shows the widest ones


# how many figures differ, and the ones shown: each label with its items as (event id, index among its figures)
Shown = tuple[int, tuple[tuple[str, tuple[tuple[str, int], ...]], ...]]


def figures_chart(timeline: Timeline, reads: Mapping[str, EventReads] | None = None) -> Chart | None:
    """Numbers that sources report differently, side by side; the widest disagreements when there are many.
    `reads`: what the charts read of each event, when the caller has them (their dates in words)."""
    return draw_figures(timeline, shown_figures(timeline, reads))


def shown_figures(timeline: Timeline, reads: Mapping[str, EventReads] | None = None) -> Shown:
    """Which figures the chart shows: every one the sources disagree on, or the widest disagreements. Reading
    every event's figures is the costly part; this choice depends on their labels, values and dates only."""
    differing = differing_figures(timeline, reads)
    shown = list(differing)
    if len(differing) > FIGURES_SHOWN:
        shown = sorted(sorted(differing, key=lambda label: (-spread(differing[label]), label))[:FIGURES_SHOWN])
    return len(differing), tuple(
        (label, tuple((event.id, event.figures.index(figure)) for event, figure in differing[label])) for label in shown
    )


def draw_figures(timeline: Timeline, shown: Shown) -> Chart | None:
    """The chart of the figures `shown` (from `shown_figures`): their values, sources and events."""
    count, labels = shown
    if not count:
        return None
    differing = {
        label: [(timeline.by_id[event_id], timeline.by_id[event_id].figures[index]) for event_id, index in items]
        for label, items in labels
    }
    summary = (
        f"{count} {'figure' if count == 1 else 'figures'} on which the sources disagree, "
        "each value beside the publisher that reported it."
    )
    if count > FIGURES_SHOWN:
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
        figure=make_figure(
            traces,
            base_layout(barmode="group", height=360, yaxis={"title": {"text": "value as reported"}, "rangemode": "tozero"}),
        ),
        table=ChartTable("figures reported differently", ("Figure", "Value", "Reported by", "Event"), tuple(rows)),
        height=360,
    )


def spread(items: list[tuple[Event, Figure]]) -> float:
    """How far apart the reported values are: the largest over the smallest (in magnitude)."""
    values = [abs(f.value) for _, f in items]
    return max(values) / min(values) if min(values) else math.inf


def differing_figures(timeline: Timeline, reads: Mapping[str, EventReads] | None = None) -> dict[str, list[tuple[Event, Figure]]]:
    """Figures by label, in label order, where the sources report more than one value."""
    dated = len(timeline.by_id) >= 2  # with several events, a label is one figure on one date
    by_label: dict[str, list[tuple[Event, Figure]]] = defaultdict(list)
    for event in timeline.events:
        if not event.figures:
            continue
        when = f" ({reads[event.id].figures[0] if reads else event.date.human()})" if dated else ""
        for figure in event.figures:  # one label within one event is one figure, as each source reports it
            by_label[figure.label + when].append((event, figure))
    return {label: items for label, items in sorted(by_label.items()) if len({f.value for _, f in items}) > 1}


def _figure_bars(
    label: str, items: list[tuple[Event, Figure]], listed_on: dict[str, str]
) -> tuple[dict[str, Any], list[tuple[Cell, ...]]]:
    """One figure's values as bars, a bar per source, and the same values as table rows; `listed_on` gives the
    bibliography page of each source."""
    shown = [f.display for _, f in items]
    links = [event_link(e) for e, _ in items]
    trace = make_trace(
        "bar",
        x=[f"{f.source.publisher}" for _, f in items],
        y=[f.value for _, f in items],
        name=label,
        text=shown,
        textposition="outside",
        customdata=links,
        hovertemplate="%{x}: %{text}<extra>" + escape(label) + "</extra>",
    )
    rows: list[tuple[Cell, ...]] = [
        ((label, None), (text, None), (f.source.publisher, f"{listed_on[f.source.id]}#{f.source.id}"), (e.title, link))
        for (e, f), text, link in zip(items, shown, links, strict=True)
    ]
    return trace, rows
