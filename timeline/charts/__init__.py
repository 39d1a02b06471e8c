"""Charts: the timeline as Plotly figures, each with a plain table of its data; one module per chart family."""

from __future__ import annotations

from timeline.charts.claims import claims_chart
from timeline.charts.episodes import episode_chart
from timeline.charts.figures import figures_chart
from timeline.charts.layout import Chart, ChartTable
from timeline.charts.maps import build_maps, map_assets, places_map
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
    """Every chart of the site, in the order the charts page shows them."""
    charts = [overview_chart(timeline), places_map(timeline)]
    charts += [episode_chart(timeline, episode) for episode in timeline.episodes]
    charts += [
        claims_chart(timeline),
        sources_per_event_chart(timeline),
        publishers_chart(timeline),
        figures_chart(timeline),
    ]
    return {chart.id: chart for chart in charts if chart is not None}
