"""exports/places.geojson: the places as a GeoJSON (RFC 7946) FeatureCollection, for maps.

One Point feature per place, coordinates `[longitude, latitude]` (RFC 7946 puts longitude first, WGS 84); a
place without coordinates has a null geometry (RFC 7946, 3.2),
with the place's id, name, page and the ids, titles, dates and pages of its events. Unsplit, every place
is there, those without events with an empty list; split by year, a year's file has the places of that
year's events.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import Any

from timeline.eventmemo import remembered_all, remembered_by
from timeline.exports.common import event_url
from timeline.feeds import JsonText, event_digests, json_array, json_document, json_text
from timeline.model import Event, Place, Timeline

# Pieces are written for where they stand: a feature is an item of the top-level `features` (two spaces), an
# event an item of its `properties.events` (five).
FEATURE_MARGIN, EVENT_MARGIN = " " * 2, " " * 5


def _event_text(event: Event, timeline: Timeline) -> str:
    entry = {"id": event.id, "title": event.title, "date": str(event.date), "url": event_url(timeline.site, event)}
    return json_text(entry, EVENT_MARGIN)


def _feature(place: Place, events: list[Event], timeline: Timeline) -> dict[str, Any]:
    entries = remembered_all("geojson-event", timeline, events, functools.partial(_event_text, timeline=timeline))
    properties: dict[str, Any] = {
        "id": place.id,
        "name": place.name,
        "url": f"{timeline.site.base_url}places/{place.id}/",
        "events": JsonText(json_array(entries, EVENT_MARGIN[:-1])),
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
    """The places of `events` (all places when `events` is the whole timeline) with their events, each feature
    joined from pieces kept per event."""
    by_place: dict[str, list[Event]] = {}
    for event in events:
        for place in event.places:
            by_place.setdefault(place.id, []).append(event)
    whole = len(events) == len(timeline.events)
    places = [p for p in timeline.places.values() if whole or p.id in by_place]
    features = [_feature_text(place, by_place.get(place.id, []), timeline) for place in places]
    return json_document({"type": "FeatureCollection"}, "features", features)


def _feature_text(place: Place, events: list[Event], timeline: Timeline) -> str:
    """A place's feature, kept by the place and its events' digests (the place itself is shared content)."""
    key = (place.id, hashlib.sha256(event_digests(events).encode()).hexdigest())
    return remembered_by("geojson", timeline, key, lambda: json_text(_feature(place, events, timeline), FEATURE_MARGIN))
