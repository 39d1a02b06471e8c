"""Charts and maps kept from the last build, each found again by a key of exactly what it is drawn from.

`serve` draws after every edit, and a command-line build may restore what the last one drew: a chart whose
inputs did not change is the same chart, so only the charts an edit touched are drawn again. A key is made of
content (the shared digest, event ids with the digests of their files, or what a chart reads of each event),
never of an object's `id()`, so that the kept state can be pickled and trusted in a fresh process. Only the
charts of the last build are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import TypeVar

from timeline import eventmemo
from timeline.charts.layout import Chart
from timeline.model import Event, Timeline

T = TypeVar("T")
Draw = Callable[[str, Hashable | None, Callable[[], Chart | None]], Chart | None]

_ID, _DIGEST = attrgetter("id"), attrgetter("digest")
# group ("charts", "maps") -> slot (a chart's id) -> (key, chart or None) of the last build
_KEPT: dict[str, dict[str, tuple[Hashable, Chart | None]]] = {}


def events_key(events: Iterable[Event]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ids and file digests of `events`, in order: what a chart drawn from whole events depends on; None
    when an event has no digest (made without its file, an edit of it could not be told)."""
    events = tuple(events)
    digests = tuple(map(_DIGEST, events))
    return None if "" in digests else (tuple(map(_ID, events)), digests)


def reads(kind: str, timeline: Timeline, events: Iterable[Event], read: Callable[[Event], T]) -> tuple[T, ...]:
    """`read(event)` for each event, remembered per event (by id and file digest) among the same shared content:
    what a chart reads of the events, to draw from and to key the chart by. `read` must depend on nothing but
    the event and the shared content, and give plain data."""
    return tuple(eventmemo.remembered(f"chart-{kind}", timeline, event, read) for event in events)


@contextmanager
def drawing(group: str, timeline: Timeline) -> Iterator[Draw]:
    """A round of drawing: `draw(slot, key, make)` gives the chart kept for `slot` when it was drawn from the same
    `key` (and the same shared content), else `make()`; a None key always draws. When the round ends, the group
    keeps only the charts of this round."""
    if not timeline.shared_digest:  # a model made without its files: nothing to tell its content by
        yield lambda slot, key, make: make()
        return
    before = _KEPT.get(group, {})
    now: dict[str, tuple[Hashable, Chart | None]] = {}

    def draw(slot: str, key: Hashable | None, make: Callable[[], Chart | None]) -> Chart | None:
        if key is None:
            return make()
        key = (timeline.shared_digest, key)
        kept = before.get(slot)
        chart = kept[1] if kept is not None and kept[0] == key else make()
        now[slot] = (key, chart)
        return chart

    yield draw
    _KEPT[group] = now


def kept_state() -> object:
    """The charts kept from the last build, as picklable data."""
    return {group: dict(slots) for group, slots in _KEPT.items()}


def restore_state(state: object) -> None:
    """Keep `state` (from `kept_state()`, maybe of another process) as the last build's charts."""
    _KEPT.clear()
    if isinstance(state, dict):
        _KEPT.update({group: dict(slots) for group, slots in state.items() if isinstance(slots, dict)})


def forget() -> None:
    """Keep nothing (tests: a fresh process)."""
    _KEPT.clear()
