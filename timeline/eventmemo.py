"""Pieces made from one event alone (its words for the search index, its TimelineJS slide, its CSV row, …), kept
in this process, and the derived files joined from them.

A piece is found again by the event's id and the digest of its file, for the digest of everything the events
share (site, registries, pages: `Timeline.shared_digest`); any change to those forgets every piece. `serve`
builds again and again in one process, making these outputs itself: after an edit, only the edited event's
pieces are made again and each file is a join. A build may keep the pieces on disk between runs
(`kept_state`, `restore_state`): they are plain data, found by content alone, so they hold in a fresh process.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from timeline import __version__
from timeline.memories import keeping
from timeline.model import Event, Timeline

T = TypeVar("T")
FORMAT = 2  # of the kept state: a change to what any piece holds must change this (or the package version)
_PIECES: dict[str, dict[Hashable, tuple[str, Any]]] = {}  # kind -> event id (or other key) -> (digest, piece)
_SHARED = {"digest": ""}


def _pieces(kind: str, timeline: Timeline) -> dict[Hashable, tuple[str, Any]] | None:
    """The pieces of `kind` kept for the shared content of `timeline`; None when it cannot be told (no digest)."""
    if not timeline.shared_digest or not keeping():  # a model made in code: its content is not told from another's
        return None
    if timeline.shared_digest != _SHARED["digest"]:
        _PIECES.clear()
        _SHARED["digest"] = timeline.shared_digest
    pieces = _PIECES.setdefault(kind, {})
    if len(pieces) > 2 * len(timeline.events) + 100:  # mostly the pieces of events deleted since
        pieces.clear()
    return pieces


def remembered(kind: str, timeline: Timeline, event: Event, make: Callable[[Event], T]) -> T:
    """`make(event)`, or what it gave before for this event, unchanged, among the same shared content.

    `make` must depend on nothing but the event and the shared content."""
    return remembered_all(kind, timeline, (event,), make)[0]


def remembered_all(kind: str, timeline: Timeline, events: Iterable[Event], make: Callable[[Event], T]) -> list[T]:
    """`remembered` for each of `events`, in their order (one loop: a file of 10,000 events asks for them all).

    Only the newest piece of each event is kept, by its id with its file's digest beside it."""
    pieces = _pieces(kind, timeline)
    if pieces is None:
        return [make(event) for event in events]
    out = []
    for event in events:
        kept = pieces.get(event.id)
        if kept is not None and kept[0] == event.digest and event.digest:
            out.append(kept[1])
            continue
        piece = make(event)
        if event.digest:  # an event built without its file's digest cannot be told apart from an edit of it
            pieces[event.id] = (event.digest, piece)
        out.append(piece)
    return out


def remembered_by(kind: str, timeline: Timeline, key: Hashable, make: Callable[[], T]) -> T:
    """`make()`, or what it gave before for `key` among the same shared content: for a piece of several events
    (a place's map feature), `key` names them and their digests; or of the shared content alone."""
    pieces = _pieces(kind, timeline)
    if pieces is None:
        return make()
    kept = pieces.get(key)
    if kept is None:
        kept = pieces[key] = ("", make())
    return kept[1]  # type: ignore[no-any-return]


def kept_state() -> dict[tuple[Hashable, ...], Any]:
    """Every piece kept, as a flat dict for `restore_state`: (kind, key) -> (digest, piece), beside the format,
    the code's version and the shared digest they were made for (see memories).

    The pieces depend on the code that made them: keep the state under a name that changes with the code."""
    flat: dict[tuple[Hashable, ...], Any] = {("format",): FORMAT, ("version",): __version__, ("shared",): _SHARED["digest"]}
    for kind, pieces in _PIECES.items():
        flat.update(((kind, key), kept) for key, kept in pieces.items())
    return flat


def restore_state(state: object) -> None:
    """Take back pieces that `kept_state` gave; anything else (another format, damaged data) keeps nothing."""
    _PIECES.clear()
    _SHARED["digest"] = ""
    if not isinstance(state, dict) or state.get(("format",)) != FORMAT or state.get(("version",)) != __version__:
        return
    shared = state.get(("shared",))
    if not isinstance(shared, str):
        return
    for where, kept in state.items():
        if len(where) == 2 and isinstance(where[0], str) and isinstance(kept, tuple) and len(kept) == 2:
            _PIECES.setdefault(where[0], {})[where[1]] = kept
    _SHARED["digest"] = shared
