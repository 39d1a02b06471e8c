"""The model's indexes (events by actor, place, tag, ...; each event's related events), made again after an edit
from the previous model's where that one's events are shared.

`serve` makes each model from the last (see model.build_timeline): the unchanged events are the same objects.
After a few edits the order and the indexes are the previous model's with the events made again taken out and
put in (only the entries that hold them are made again); after many they are made afresh, and an entry whose
events are the same objects, in the same order, is then the previous model's tuple itself. The related events
are sorted again only for events near an edited, new or deleted one. Later stages may
so tell an unchanged list by identity (see pages.plan_pages) without comparing its events one by one.
"""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from operator import is_
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from timeline.model import Event, Timeline

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


def patched_index(
    previous: Index,
    keys: Callable[[Event], Iterable[str]],
    gone: Iterable[Event],
    made: Iterable[Event],
    order: Callable[[Event], Any],
) -> Index:
    """`index` of the events now, made from `previous` (the index of the events before): `gone` are the events taken
    out or made again since (as they were), `made` those made again or added (as they are now), every other event
    being the same object in both. Only the entries that held or now hold one of those are made again; `order` is
    the events' order (the one `index` was given them in)."""
    out = {event.id for event in gone} | {event.id for event in made}
    added: dict[str, list[Event]] = defaultdict(list)
    touched: set[str] = set()
    for event in gone:
        touched.update(keys(event))
    for event in made:
        for key in keys(event):
            added[key].append(event)
    touched.update(added)
    patched = dict(previous)
    for key in touched:
        listed = [event for event in previous.get(key, ()) if event.id not in out] + added.get(key, [])
        if listed:
            listed.sort(key=order)
            patched[key] = tuple(listed)
        else:
            patched.pop(key, None)
    if patched.keys() != previous.keys():
        patched = dict(sorted(patched.items()))
    return patched


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


PATCH_SHARE = 0.1  # above this share of the events made again, the order and indexes are made afresh


def _order(event: Event) -> tuple[Any, str]:
    """The model's order of events: by date, then by id."""
    return (event.date.sort_key, event.id)


def _patchable(changed: set[str], before: Timeline | None) -> bool:
    """Whether the order and indexes are best made from `before`'s (few events changed since)."""
    return before is not None and len(changed) <= PATCH_SHARE * max(1, len(before.events))


def in_order(events: list[Event], fresh: list[Event], changed: set[str], before: Timeline | None) -> tuple[Event, ...]:
    """The events in the model's order; after a few changes, the previous order with the events made again put in."""
    if before is None or not _patchable(changed, before):
        return tuple(sorted(events, key=_order))
    if not changed:
        return before.events
    kept = [event for event in before.events if event.id not in changed]
    for event in fresh:
        insort(kept, event, key=_order)
    return tuple(kept)


def by_id_of(ordered: tuple[Event, ...], changed: set[str], before: Timeline | None) -> dict[str, Event]:
    """Event id -> event, in the model's order."""
    if before is not None and not changed:
        return before.by_id
    return {e.id: e for e in ordered}


_INDEX_KEYS: dict[str, Callable[[Event], Iterable[str]]] = {
    "by_actor": lambda e: [a.id for a in e.all_actors],
    "by_place": lambda e: [p.id for p in e.places],
    "by_tag": lambda e: [t.id for t in e.tags],
    "by_episode": lambda e: [e.episode.id] if e.episode else [],
    "by_source": lambda e: sorted({s.id for s in e.sources}),
    "related_by": lambda e: e.related_ids,
}


def model_indexes(
    ordered: tuple[Event, ...], fresh: list[Event], changed: set[str], before: Timeline | None
) -> dict[str, dict[str, tuple[Event, ...]]]:
    """The model's indexes: after a few changes, the previous model's with only the entries of the events made
    again or deleted made again (see modelindex)."""
    if before is None or not _patchable(changed, before):
        return {name: index(ordered, keys, getattr(before, name, None)) for name, keys in _INDEX_KEYS.items()}
    gone = [before.by_id[event_id] for event_id in changed if event_id in before.by_id]
    return {name: patched_index(getattr(before, name), keys, gone, fresh, _order) for name, keys in _INDEX_KEYS.items()}
