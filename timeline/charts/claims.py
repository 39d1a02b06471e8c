"""Claims by the side of who made them and by how they stand."""

from __future__ import annotations

from collections import defaultdict

from timeline.charts.layout import STATUS_COLOURS, Chart, ChartTable, base_layout, count_axis, make_figure, make_trace
from timeline.model import Timeline


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
        make_trace(
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
        figure=make_figure(traces, base_layout(barmode="stack", yaxis=count_axis("claims", tallest), height=380)),
        table=ChartTable("claims by side and status", ("Side", "Status", "Claims"), rows),
        height=380,
    )
