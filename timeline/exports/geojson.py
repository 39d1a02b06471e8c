"""exports/places.geojson: the places as a GeoJSON (RFC 7946) FeatureCollection, for maps.

One Point feature per place, coordinates `[longitude, latitude]` (RFC 7946 puts longitude first, WGS 84); a
place without coordinates has a null geometry (RFC 7946, 3.2),
with the place's id, name, page and the ids, titles, dates and pages of its events. Unsplit, every place
is there, those without events with an empty list; split by year, a year's file has the places of that
year's events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from timeline.exports.common import event_url
from timeline.model import Event, Place, Timeline
from timeline.render import dump_json


def _feature(place: Place, events: list[Event], timeline: Timeline) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": place.id,
        "name": place.name,
        "url": f"{timeline.site.base_url}places/{place.id}/",
        "events": [{"id": e.id, "title": e.title, "date": str(e.date), "url": event_url(timeline.site, e)} for e in events],
    }
    for key in ("oblast", "country"):
        if getattr(place, key):
            properties[key] = getattr(place, key)
    if place.alt_names:
        properties["alt_names"] = list(place.alt_names)
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]} if place.located else None,
        "properties": properties,
    }


def places_geojson(timeline: Timeline, events: Sequence[Event]) -> str:
    """The places of `events` (all places when `events` is the whole timeline) with their events."""
    by_place: dict[str, list[Event]] = {}
    for event in events:
        for place in event.places:
            by_place.setdefault(place.id, []).append(event)
    whole = len(events) == len(timeline.events)
    places = [p for p in timeline.places.values() if whole or p.id in by_place]
    features = [_feature(place, by_place.get(place.id, []), timeline) for place in places]
    return dump_json({"type": "FeatureCollection", "features": features}, indent=1) + "\n"
