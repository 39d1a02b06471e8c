"""What the charts read of each event, made once per event and kept with the event's other pieces.

A chart of the whole timeline is keyed by what it reads of every event, in timeline order: a chart is a
function of the shared content and that sequence, so an edit that leaves the sequence as it was (a new title
for the claims chart, say) leaves the chart as it was. Reading the same fields of 10,000 events again after
each edit would cost as much as drawing; the reads of an unchanged event are taken as they were.
"""

from __future__ import annotations

from typing import NamedTuple

from timeline import eventmemo
from timeline.calendarday import CalendarDay
from timeline.charts.layout import main_status, track_of
from timeline.model import Event, Timeline


class EventReads(NamedTuple):
    """The fields of one event that charts and maps are drawn from, grouped as the charts read them (plain
    data, picklable)."""

    month_status: tuple[tuple[int, int], str]  # year and month of its first day (month 1 when none); main status
    claims: tuple[tuple[str, str], ...]  # side of who claims, status
    sources: tuple[int, int]  # sources cited, independent ones
    places: tuple[str, ...]  # ids of its places that have coordinates
    day_places: tuple[CalendarDay, tuple[str, ...]]  # its midpoint, its located places
    places_track: tuple[tuple[str, ...], str]  # its located places, its main tag
    figures: tuple[str, tuple[tuple[str, float], ...]]  # its date in words; the label and value of each figure


def _read(event: Event) -> EventReads:
    places = tuple(place.id for place in event.places if place.located)
    return EventReads(
        month_status=((event.date.start.year, event.date.start.month or 1), main_status(event) or "none"),
        claims=tuple((claim.by.side, claim.status) for claim in event.claims),
        sources=(len(event.sources), event.independent_sources),
        places=places,
        day_places=(event.date.midpoint, places),
        places_track=(places, track_of(event)),
        figures=(event.date.human(), tuple((figure.label, figure.value) for figure in event.figures)),
    )


def reads_of(timeline: Timeline) -> dict[str, EventReads]:
    """What the charts read of each event, by id in timeline order; an unchanged event's reads are those of the
    last build (by its id and file digest, among the same shared content)."""
    return {event.id: eventmemo.remembered("chart-reads", timeline, event, _read) for event in timeline.events}
