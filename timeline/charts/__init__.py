"""Charts: the timeline as Plotly figures, each with a plain table of its data; one module per chart family."""

from __future__ import annotations

from functools import partial

from timeline.charts.claims import claims_chart
from timeline.charts.episodes import episode_chart
from timeline.charts.figures import draw_figures, figures_chart, shown_figures
from timeline.charts.keys import (
    claims_key,
    figures_key,
    overview_key,
    places_key,
    publishers_key,
    shown_figures_key,
    sources_key,
)
from timeline.charts.layout import Chart, ChartTable
from timeline.charts.maps import build_maps, map_assets, places_map
from timeline.charts.memo import drawing, events_key
from timeline.charts.overview import overview_chart
from timeline.charts.plotlyjs import plotly_assets, plotly_style_ids, plotly_stylesheet
from timeline.charts.reads import reads_of
from timeline.charts.sources import publishers_chart, sources_per_event_chart
from timeline.model import Timeline

__all__ = [
    "Chart",
    "ChartTable",
    "build_charts",
    "build_maps",
    "claims_chart",
    "episode_chart",
    "figures_chart",
    "map_assets",
    "overview_chart",
    "places_map",
    "plotly_assets",
    "plotly_style_ids",
    "plotly_stylesheet",
    "publishers_chart",
    "sources_per_event_chart",
]


def build_charts(timeline: Timeline) -> dict[str, Chart]:
    """Every chart of the site, in the order the charts page shows them; a chart drawn from what the last
    build's was drawn from is that build's chart."""
    reads = reads_of(timeline)
    with drawing("charts", timeline) as kept:
        shown = kept.draw("figures-shown", shown_figures_key(timeline, reads), partial(shown_figures, timeline, reads))
        charts = [
            kept.draw("overview", overview_key(timeline, reads), partial(overview_chart, timeline)),
            kept.draw("map", places_key(reads), partial(places_map, timeline)),
        ]
        charts += [
            kept.draw(f"episode-{e.id}", events_key(timeline.by_episode.get(e.id, ())), partial(episode_chart, timeline, e))
            for e in timeline.episodes
        ]
        charts += [
            kept.draw("claims", claims_key(reads), partial(claims_chart, timeline)),
            kept.draw("sources-per-event", sources_key(timeline, reads), partial(sources_per_event_chart, timeline)),
            kept.draw("publishers", publishers_key(timeline), partial(publishers_chart, timeline)),
            kept.draw("figures", figures_key(timeline, shown), partial(draw_figures, timeline, shown)),
        ]
    return {chart.id: chart for chart in charts if chart is not None}
