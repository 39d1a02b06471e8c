"""What the cross-file checks found, remembered between runs and found again by content.

Each check of one event is remembered by the event's id, its display path and the digest of its file, under a
`context`: the digests of the registries that check reads. A run whose context differs forgets that check's
results; a run keeps only the results of the events it saw, so the memory holds one run's worth. `serve` checks
again and again in one process; a build from the command line may save the memory (`kept_state`) and give it
to a later process (`restore_state`): it is plain data, and correct in a fresh process because nothing in it
is keyed by an object's identity.
"""

from __future__ import annotations

from typing import Any

from timeline.memories import keeping

FORMAT = 2
EventKey = tuple[str, str, str]  # event id, display path, digest of the file's bytes
_STATE: dict[str, Any] = {}  # what each user of this memory keeps, by its name
_MADE: dict[str, int] = {}  # results worked out (not found) by the last run, by check: for tests and benchmarks


def slot(name: str) -> Any:
    """What was kept under `name` (None at first)."""
    return _STATE.get(name)


def keep(name: str, value: Any) -> None:
    """Keep `value` (plain data) under `name` for the next run (unless this process keeps nothing: see memories)."""
    if keeping():
        _STATE[name] = value


def last_made(name: str) -> int:
    """How many results the last run of check `name` worked out rather than found."""
    return _MADE.get(name, 0)


def forget() -> None:
    """Forget everything: the next run checks every event."""
    _STATE.clear()


def kept_state() -> dict[Any, Any]:
    """All that is remembered, as a flat dict of values never changed in place (see memories): each slot's parts
    under (slot, part), and a kept mapping's entries each under (slot, part, key).

    Whoever saves it must find it again only with the same code (as snapshot.py keys a model by the code's
    digest): what a file's checks find is the same for the same bytes only while the checks are the same."""
    from timeline.uses import UseCounts

    flat: dict[Any, Any] = {("format",): FORMAT}
    for name, value in _STATE.items():
        if isinstance(value, UseCounts):
            flat[name, "counts"] = value.total, value.trusted
            flat.update(((name, "file", path), uses) for path, uses in value.files.items())
            flat.update(((name, "count", kind), tuple(c.items())) for kind, c in value.counts.items())
        elif isinstance(value, tuple) and len(value) == 4 and isinstance(value[1], dict):  # an EventMemo's
            context, entries, again, found = value
            flat[name, "memo"] = context, frozenset(again), frozenset(found)
            flat.update(((name, "entry", event_id), entry) for event_id, entry in entries.items())
        elif isinstance(value, dict):
            flat[name, "dict"] = None
            flat.update(((name, "item", key), item) for key, item in value.items())
        else:
            flat[name, "value"] = frozenset(value) if isinstance(value, set) else value
    return flat


def restore_state(state: object) -> None:
    """Remember `state` (from `kept_state`, maybe of another process); anything else is ignored."""
    from collections import Counter

    from timeline.uses import UseCounts

    _STATE.clear()
    if not isinstance(state, dict) or state.get(("format",)) != FORMAT:
        return
    parts: dict[str, dict[str, dict[Any, Any]]] = {}
    for key, value in state.items():
        if len(key) == 3:
            parts.setdefault(key[0], {}).setdefault(key[1], {})[key[2]] = value
    for key, value in state.items():
        if len(key) != 2:
            continue
        name, part = key
        inner = parts.get(name, {})
        if part == "counts":
            counts = UseCounts()
            counts.total, counts.trusted = value
            counts.files = inner.get("file", {})
            counts.counts = {kind: Counter(dict(pairs)) for kind, pairs in inner.get("count", {}).items()}
            _STATE[name] = counts
        elif part == "memo":
            context, again, found = value
            _STATE[name] = (context, inner.get("entry", {}), set(again), set(found))
        elif part == "dict":
            _STATE[name] = inner.get("item", {})
        elif part == "value":
            _STATE[name] = set(value) if isinstance(value, frozenset) else value


def changed_files(digests: dict[str, str]) -> tuple[set[str], set[str]] | None:
    """The files (display paths) new or changed since the last run, and those gone; None at first. Call once a run."""
    before: dict[str, str] | None = slot("digests")
    keep("digests", dict(digests))
    if before is None:
        return None
    return {path for path, _ in digests.items() - before.items()}, before.keys() - digests.keys()


class EventMemo:
    """What one check found for each event, under one context (see the module's docstring).

    An entry is (display path, digest, result); `changed` is what `changed_files` gave. `stale()` are the events to
    check again: new, changed, or whose result was not to be remembered; the rest keep their results."""

    def __init__(self, name: str, context: tuple[str, ...], changed: tuple[set[str], set[str]] | None) -> None:
        kept = slot(name)
        self.name, self.context, self.changed = name, context, changed
        fresh = kept is None or kept[0] != context or changed is None
        self.entries: dict[str, tuple[str, str, Any]] = {} if fresh else kept[1]
        self.again: set[str] = set() if fresh else kept[2]  # events checked every run
        self.found: set[str] = set() if fresh else kept[3]  # events whose result holds something
        self.made = 0  # results worked out in this run (not found), remembered or not

    def stale(self, events: dict[str, Any], paths: dict[str, str], digests: dict[str, str]) -> set[str]:
        """The ids of `events` to check again (every one when nothing was kept); forgets events that are gone."""
        if not self.entries:
            return set(events)
        for event_id in self.entries.keys() - events.keys():
            del self.entries[event_id]
        self.found &= self.entries.keys()
        self.again &= events.keys()
        stale = (events.keys() - self.entries.keys()) | self.again
        for path in self.changed[0] if self.changed else ():
            event_id = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            if event_id in events and paths.get(f"events/{event_id}") == path:
                stale.add(event_id)
        return stale

    def put(self, event_id: str, path: str, digest: str, value: Any, empty: bool, remember: bool = True) -> None:
        """`value` was worked out for the event: remember it (unless not to: `remember`, or an event without a
        digest, whose edits could not be told); `empty`, it holds nothing to report."""
        self.made += 1
        self.entries[event_id] = (path, digest, value)
        (self.found.discard if empty else self.found.add)(event_id)
        (self.again.discard if remember and digest else self.again.add)(event_id)

    def result(self, event_id: str) -> Any:
        return self.entries[event_id][2]

    def done(self) -> None:
        keep(self.name, (self.context, self.entries, self.again, self.found))
        _MADE[self.name] = self.made
