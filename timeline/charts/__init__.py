"""Charts: the timeline as Plotly figures, each with a plain table of its data; one module per chart family."""

from __future__ import annotations

from functools import partial

from timeline.charts.claims import claims_chart
from timeline.charts.episodes import episode_chart
from timeline.charts.figures import figures_chart
from timeline.charts.layout import Chart, ChartTable
from timeline.charts.maps import build_maps, map_assets, places_map
from timeline.charts.memo import drawing, events_key
from timeline.charts.overview import overview_chart
from timeline.charts.plotlyjs import plotly_assets, plotly_style_ids, plotly_stylesheet
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
    """Every chart of the site, in the order the charts page shows them; a chart whose inputs are those of the
    last build's is that build's chart."""
    every_event = events_key(timeline.events)
    with drawing("charts", timeline) as draw:
        charts = [
            draw("overview", every_event, partial(overview_chart, timeline)),
            draw("map", every_event, partial(places_map, timeline)),
        ]
        charts += [
            draw(f"episode-{e.id}", events_key(timeline.by_episode.get(e.id, ())), partial(episode_chart, timeline, e))
            for e in timeline.episodes
        ]
        charts += [
            draw("claims", every_event, partial(claims_chart, timeline)),
            draw("sources-per-event", every_event, partial(sources_per_event_chart, timeline)),
            draw("publishers", every_event, partial(publishers_chart, timeline)),
            draw("figures", every_event, partial(figures_chart, timeline)),
        ]
    return {chart.id: chart for chart in charts if chart is not None}
