"""Pieces made from one event alone (its words for the search index, its TimelineJS slide), kept in this process.

A piece is found again by the event's id and the digest of its file, for the digest of everything the events
share (site, registries, pages: `Timeline.shared_digest`); any change to those forgets every piece. `serve`
builds again and again in one process, making these outputs itself: after an edit, only the edited event's
pieces are made again. A one-off build gains nothing and loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from timeline.model import Event, Timeline

T = TypeVar("T")
_PIECES: dict[str, dict[tuple[str, str], Any]] = {}  # kind -> (event id, file digest) -> piece
_SHARED = {"digest": ""}


def remembered(kind: str, timeline: Timeline, event: Event, make: Callable[[Event], T]) -> T:
    """`make(event)`, or what it gave before for this event, unchanged, among the same shared content.

    `make` must depend on nothing but the event and the shared content."""
    if timeline.shared_digest != _SHARED["digest"]:
        _PIECES.clear()
        _SHARED["digest"] = timeline.shared_digest
    if not event.digest:  # an event built without its file's digest cannot be told apart from an edit of it
        return make(event)
    pieces = _PIECES.setdefault(kind, {})
    key = (event.id, event.digest)
    if key not in pieces:
        if len(pieces) > 2 * len(timeline.events) + 100:  # the pieces of edits made since are mostly stale
            pieces.clear()
        pieces[key] = make(event)
    return pieces[key]  # type: ignore[no-any-return]
