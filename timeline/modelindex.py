"""The model's indexes (events by actor, place, tag, ...; each event's related events), made again after an edit
from the previous model's where that one's events are shared.

`serve` makes each model from the last (see model.build_timeline): the unchanged events are the same objects.
An index entry whose events are the same objects, in the same order, is then the previous model's tuple itself,
and the related events are sorted again only for events near an edited, new or deleted one. Later stages may
so tell an unchanged list by identity (see pages.plan_pages) without comparing its events one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from operator import is_
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.model import Event

Index = dict[str, tuple["Event", ...]]


def index(events: Iterable[Event], keys: Callable[[Event], Iterable[str]], previous: Index | None = None) -> Index:
    """key -> the events (in the order given) that `keys` gives it, keys sorted; each entry whose events are those of
    `previous`'s entry (the same objects) is that entry."""
    found: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for key in keys(event):
            found[key].append(event)
    before = previous or {}
    made: Index = {}
    for key, listed in sorted(found.items()):
        old = before.get(key)
        same = old is not None and len(old) == len(listed) and all(map(is_, listed, old))
        made[key] = old if same and old is not None else tuple(listed)
    return made


def related_of(event: Event, by_id: dict[str, Event], related_by: Index) -> tuple[Event, ...]:
    """The events `event` names as related, and those that name it, in date order."""
    ids = set(event.related_ids)
    ids.update(other.id for other in related_by.get(event.id, ()))
    return tuple(sorted((by_id[i] for i in ids), key=lambda e: (e.date.sort_key, e.id)))


def related_index(
    events: Iterable[Event],
    by_id: dict[str, Event],
    related_by: Index,
    previous: tuple[Index, Collection[str]] | None = None,
) -> Index:
    """event id -> `related_of` the event, for every event that has related events.

    `previous` is the last model's related index and the ids of the events edited, added or deleted since (every
    other event being the same object as then): only the events related to those, before or now, are looked at."""
    if previous is None:
        return {e.id: related_of(e, by_id, related_by) for e in events if e.related_ids or e.id in related_by}
    before, changed = previous
    near = set(changed)
    for event_id in changed:
        near.update(e.id for e in before.get(event_id, ()))  # related before the change, either way
        if event_id in by_id:
            near.update(by_id[event_id].related_ids)
            near.update(e.id for e in related_by.get(event_id, ()))
    made = {key: value for key, value in before.items() if key not in near}
    for event_id in near:
        event = by_id.get(event_id)
        if event is not None and (event.related_ids or event_id in related_by):
            made[event_id] = related_of(event, by_id, related_by)
    return made
