"""What every chart shares: the Chart and its table, colours, the base layout and small trace helpers.

Figures are plain JSON-ready data in plotly's figure format (plotly's graph objects validate every value,
which is slow for thousands of points); the page's external script draws them with the self-hosted plotly.js.
The table is the accessible form of every chart.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from timeline.calendarday import CalendarDay, astronomical_year, era_year, historical_year
from timeline.edtf import MONTHS, EdtfPoint
from timeline.model import Event

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


def event_link(event: Event) -> str:
    return f"events/{event.id}/"


def base_layout(**extra: Any) -> dict[str, Any]:
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


def count_axis(title: str, largest: int, **extra: Any) -> dict[str, Any]:
    """An axis of whole counts from zero, with a tick every 1, 2, 5, 10, 20, 50... so that at most ten show."""
    steps = (multiple * 10**power for power in itertools.count() for multiple in (1, 2, 5))
    step = next(step for step in steps if largest <= 10 * step)
    return {"title": {"text": title}, "dtick": step, "rangemode": "tozero", **extra}


def make_figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """A plotly figure as plain JSON-ready data, without a template (plotly.js has its own defaults).

    Every axis makes room for its tick labels and title, however long or slanted, on a phone too.
    """
    layout.setdefault("xaxis", {})
    layout.setdefault("yaxis", {})
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            axis.setdefault("automargin", True)
    return {"data": traces, "layout": layout}


def make_trace(kind: str, **properties: Any) -> dict[str, Any]:
    """A plotly trace of the given type (`bar`, `scatter`...) as plain data: lists, not tuples."""
    return {"type": kind, **properties}


def marker_trace(kind: str, **properties: Any) -> dict[str, Any]:
    """A trace of event markers. SVG markers may overflow the plot area, so that an event on the first or last
    day shows whole; WebGL traces (`scattergl`) have no such setting."""
    trace = make_trace(kind, **properties)
    if kind == "scatter":
        trace["cliponaxis"] = False
    return trace


def track_of(event: Event) -> str:
    return event.track.label if event.track else "(untagged)"


def day_text(day: CalendarDay, *, short: bool = False) -> str:
    """A day in words for tables and slider steps: `3 July 2022`, `15 March 44 BCE`; `short`: `3 Jul`."""
    if short:
        return f"{day.day} {MONTHS[day.month - 1][:3]}"
    return EdtfPoint(day.year, day.month, day.day).human()


def day_axis_title(first: CalendarDay, last: CalendarDay) -> str:
    """The title of a day axis, whose ticks show day and month only: `day`, or with the years in words when
    they are before 1 CE (plotly places such days right, as ISO 8601 numbers years, but its tick labels
    would write 44 BCE as -43)."""
    if first.common_era:
        return "day"
    years = era_year(first.year) if first.year == last.year else f"{era_year(first.year)} to {era_year(last.year, mark_ce=True)}"
    return f"day, {years}"


DAY_TICKS_UP_TO = 366  # days: a longer date axis is marked in years


def date_axis(first: CalendarDay, last: CalendarDay) -> dict[str, Any]:
    """A date axis from `first` to `last`, with a day of room on each side.

    Up to a year it marks days (`3 Jul`) and names the years in its title before 1 CE. A longer one marks
    years, which we write ourselves: plotly would write 40 BCE as -39, and `%-d %b` would repeat `1 Jan`."""
    day = dt.timedelta(days=1)
    axis: dict[str, Any] = {
        "type": "date",
        "range": [(first - day).isoformat(), (last + day).isoformat()],
        "ticklabelstandoff": 4,  # the first label, near the corner, stays clear of the other axis's lowest label
    }
    if (last - first).days <= DAY_TICKS_UP_TO:
        axis["tickformat"] = "%-d %b"
        if not first.common_era:  # the ticks show no year; before 1 CE the axis says which in words
            axis["title"] = {"text": day_axis_title(first, last)}
        return axis
    crosses = not first.common_era and last.common_era
    years = year_ticks(first.year, last.year)
    axis.update(
        tickmode="array",
        tickvals=[CalendarDay(year, 1, 1).isoformat() for year in years],
        ticktext=[era_year(year, mark_ce=crosses) for year in years],
        title={"text": "year"},
    )
    return axis


def year_ticks(first: int, last: int, most: int = 7) -> list[int]:
    """Astronomical years to mark between `first` and `last` (both included), at most `most` of them: every 1,
    2, 5, 10, 20, 50... years as a reader counts them, so 40 BCE, 30 BCE... 10 BCE, 10 CE (there is no year 0)."""
    steps = (multiple * 10**power for power in itertools.count() for multiple in (1, 2, 5))
    step = next(step for step in steps if (last - first) // step < most)
    low, high = historical_year(first), historical_year(last)
    marked = range(-(-low // step) * step, high + 1, step)
    return [astronomical_year(year) for year in marked if year != 0]


def hover_text(event: Event) -> str:
    return f"{event.date.human()}<br>{escape(event.title)}"


def escape(text: str) -> str:
    """Plotly renders a little HTML in hover text; content is shown as text."""
    return html.escape(text, quote=False)


def group_by(events: tuple[Event, ...], key: Callable[[Event], str]) -> dict[str, list[Event]]:
    """Events by key, each group in the order of `events`."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[key(event)].append(event)
    return groups


def stack_offsets(events: tuple[Event, ...], key: Any) -> dict[str, int]:
    """Position of each event among events sharing the same key (e.g. day and track)."""
    seen: dict[Any, int] = defaultdict(int)
    offsets = {}
    for event in events:
        k = key(event)
        offsets[event.id] = seen[k]
        seen[k] += 1
    return offsets


WEBGL_ABOVE = 1000  # points in one trace: above this, WebGL keeps the chart responsive


def scatter_type(points: int) -> str:
    return "scattergl" if points > WEBGL_ABOVE else "scatter"


STATUS_SYMBOLS = {
    "none": "circle",
    "claimed": "diamond",
    "unverified": "square",
    "disputed": "triangle-up",
    "denied": "x",
    "confirmed": "star",
}


def main_status(event: Event) -> str | None:
    """The status of the event's first claim, the one its title is about."""
    return event.claims[0].status if event.claims else None


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
