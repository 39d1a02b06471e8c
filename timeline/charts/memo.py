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
from typing import Any, TypeVar

from timeline.memories import keeping
from timeline.model import Event, Timeline

T = TypeVar("T")

_ID, _DIGEST = attrgetter("id"), attrgetter("digest")
# group ("charts", "maps") -> slot (a chart's id) -> (key, chart or None) of the last build
_KEPT: dict[str, dict[str, tuple[Hashable, Any]]] = {}


def events_key(events: Iterable[Event]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The ids and file digests of `events`, in order: what a chart drawn from whole events depends on; None
    when an event has no digest (made without its file, an edit of it could not be told)."""
    events = tuple(events)
    digests = tuple(map(_DIGEST, events))
    return None if "" in digests else (tuple(map(_ID, events)), digests)


class Round:
    """A round of drawing: `draw(slot, key, make)` gives what was kept for `slot` when it was made from the same
    `key` (and the same shared content), else `make()`; a None key, or a model made without its files, always
    makes. What `make` gives must be picklable (a Chart, or plain data a chart is drawn from)."""

    def __init__(self, before: dict[str, tuple[Hashable, Any]], shared_digest: str) -> None:
        self.before, self.shared_digest = before, shared_digest
        self.now: dict[str, tuple[Hashable, Any]] = {}

    def draw(self, slot: str, key: Hashable | None, make: Callable[[], T]) -> T:
        if key is None or not self.shared_digest:
            return make()
        key = (self.shared_digest, key)
        kept = self.before.get(slot)
        made: T = kept[1] if kept is not None and kept[0] == key else make()
        self.now[slot] = (key, made)
        return made


@contextmanager
def drawing(group: str, timeline: Timeline) -> Iterator[Round]:
    """A round of drawing for `group`; when it ends, the group keeps only what this round drew or took."""
    drawn = Round(_KEPT.get(group, {}), timeline.shared_digest)
    yield drawn
    if timeline.shared_digest and keeping():
        _KEPT[group] = drawn.now


def kept_state() -> dict[tuple[str, str], tuple[Hashable, Any]]:
    """The charts kept from the last build, as picklable data: (group, slot) -> (key, chart)."""
    return {(group, slot): kept for group, slots in _KEPT.items() for slot, kept in slots.items()}


def restore_state(state: object) -> None:
    """Keep `state` (from `kept_state()`, maybe of another process) as the last build's charts."""
    _KEPT.clear()
    if not isinstance(state, dict):
        return
    for where, kept in state.items():
        if isinstance(where, tuple) and len(where) == 2 and isinstance(kept, tuple) and len(kept) == 2:
            _KEPT.setdefault(where[0], {})[where[1]] = kept


def forget() -> None:
    """Keep nothing (tests: a fresh process)."""
    _KEPT.clear()
