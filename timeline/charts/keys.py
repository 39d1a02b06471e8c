"""The key of each chart and map: exactly what it is drawn from, besides the shared content.

Each key mirrors the chart it names: what that chart reads of the events, in the order it reads them. A key
that left out a field its chart reads would keep a stale chart, so a change to a chart's inputs changes its key
here too (tests/test_chart_memo.py compares kept charts with fresh ones after every kind of edit).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from operator import attrgetter
from typing import Any

from timeline.charts.figures import Shown
from timeline.charts.memo import events_key
from timeline.charts.overview import AGGREGATE_ABOVE
from timeline.charts.reads import EventReads
from timeline.charts.sources import PER_EVENT_ROWS
from timeline.model import Episode, Event, Timeline

Reads = dict[str, EventReads]
_ID = attrgetter("id")
_MONTH_STATUS, _PLACES_TRACK, _CLAIMS, _SOURCES, _DAY_PLACES, _FIGURES = (
    attrgetter(name) for name in ("month_status", "places_track", "claims", "sources", "day_places", "figures")
)


def _each(field: attrgetter[Any], events: Iterable[Event], reads: Reads) -> tuple[Any, ...]:
    """One field of the reads of each of `events` (a loop in C: keys are made after every edit)."""
    return tuple(map(field, map(reads.__getitem__, map(_ID, events))))


def overview_key(timeline: Timeline, reads: Reads) -> Hashable | None:
    """The overview of a large timeline counts its episodes' events by month and main claim status; a small one
    draws every event."""
    episodes = [e for e in timeline.episodes if timeline.by_episode.get(e.id)]
    if sum(len(timeline.by_episode[e.id]) for e in episodes) <= AGGREGATE_ABOVE:
        return events_key(timeline.events)
    return tuple((e.id, _each(_MONTH_STATUS, timeline.by_episode[e.id], reads)) for e in episodes)


def places_key(reads: Reads) -> Hashable:
    """The map of every place: the located places of each event, with its main tag."""
    return tuple(map(_PLACES_TRACK, reads.values()))


def claims_key(reads: Reads) -> Hashable:
    return tuple(map(_CLAIMS, reads.values()))


def sources_key(timeline: Timeline, reads: Reads) -> Hashable | None:
    """A short timeline has a bar per event (its date and title too); a long one counts events by sources."""
    if len(timeline.events) <= PER_EVENT_ROWS:
        return events_key(timeline.events)
    return tuple(map(_SOURCES, reads.values()))


def publishers_key(timeline: Timeline) -> Hashable:
    """How many events cite each source (the sources themselves are shared content)."""
    return tuple(len(timeline.by_source.get(source_id, ())) for source_id in timeline.sources)


def episode_map_key(timeline: Timeline, episode: Episode, reads: Reads) -> Hashable:
    """An episode's map: the day and the located places of each of its events (and so their number)."""
    return _each(_DAY_PLACES, timeline.by_episode.get(episode.id, ()), reads)


def place_counts(reads: Reads) -> Counter[str]:
    """How many events name each located place: all a place's locator map shows of the events."""
    return Counter(place for r in reads.values() for place in r.places)


def shown_figures_key(timeline: Timeline, reads: Reads) -> Hashable:
    """Which figures are shown: the labels and values of every event's figures, its date, its id, and whether
    labels are dated (with more than one event)."""
    return len(timeline.by_id) >= 2, tuple(reads), tuple(map(_FIGURES, reads.values()))


def figures_key(timeline: Timeline, shown: Shown) -> Hashable | None:
    """The figures chart: the figures shown and the events they are on (their titles, sources and figures)."""
    return shown, events_key(timeline.by_id[event_id] for _, items in shown[1] for event_id, _ in items)
