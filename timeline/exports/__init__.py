"""The exports every build writes under exports/: TimelineJS JSON, CSV, iCalendar and GeoJSON.

(`feed.json`, the JSON Feed, lives beside `feed.xml` at the site's root and holds the same entries.)
Above feeds.SPLIT_EXPORT_ABOVE events each export is split like events.json: one file per year of the events'
first days (`exports/timelinejs-2022.json`, …), each made and kept on its own, so an edit rewrites one
year's files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from timeline import feeds
from timeline.calendarday import iso_year
from timeline.exports.geojson import places_geojson
from timeline.exports.ics import events_ics
from timeline.exports.table import events_csv
from timeline.exports.timelinejs import timelinejs_json
from timeline.feeds import DataFile, event_digests, events_by_year
from timeline.model import Event, Timeline

FOLDER = "exports/"


@dataclass(frozen=True)
class ExportFormat:
    """One export: its file name (before the year suffix), what it is, and how it is made."""

    stem: str
    suffix: str
    label: str  # what the Data page calls it
    media_type: str
    make: Callable[[Timeline, Sequence[Event]], str]
    remembers: bool = False  # made from pieces kept per event (eventmemo): best made where they are kept

    def name(self, year: str = "") -> str:
        return f"{FOLDER}{self.stem}{'-' + year if year else ''}.{self.suffix}"


FORMATS = (
    ExportFormat("timelinejs", "json", "TimelineJS", "application/json", timelinejs_json, remembers=True),
    ExportFormat("events", "csv", "Spreadsheet (CSV)", "text/csv", events_csv, remembers=True),
    ExportFormat("events", "ics", "Calendar (iCalendar)", "text/calendar", events_ics, remembers=True),
    ExportFormat("places", "geojson", "Map (GeoJSON)", "application/geo+json", places_geojson, remembers=True),
)


def export_years(timeline: Timeline) -> dict[str, list[Event]]:
    """The events of each export file, by year; one share under "" when the timeline is not split."""
    if len(timeline.events) <= feeds.SPLIT_EXPORT_ABOVE:  # read here, so that a test may lower it
        return {"": list(timeline.events)}
    return events_by_year(timeline.events)


def export_listing(timeline: Timeline) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """For the Data page: each format as (file name, label, media type, its files as (year or "", path))."""
    if len(timeline.events) <= feeds.SPLIT_EXPORT_ABOVE:
        years = [""]
    else:  # the keys of export_years, without sharing the events out
        years = [iso_year(year) for year in dict.fromkeys(event.date.first_day.year for event in timeline.events)]
    return [
        (export.name().removeprefix(FOLDER), export.label, export.media_type, [(year, export.name(year)) for year in years])
        for export in FORMATS
    ]


def export_files(timeline: Timeline) -> list[DataFile]:
    """Every export file, made only when asked; a file's key changes whenever one of its events does
    (what every file shares beyond its events, the registries and the code, is in the build's key)."""
    files = []
    for year, events in export_years(timeline).items():
        key = event_digests(events)
        for export in FORMATS:
            make = functools.partial(export.make, timeline, events)
            files.append(DataFile(export.name(year), key, make, export.remembers))
    return files
