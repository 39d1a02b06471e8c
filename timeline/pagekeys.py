"""What each page is made from, as one digest: a rebuild renders only the pages whose digest changed.

A page's key covers everything its bytes can depend on: the code, the templates and static files, plotly's
version, the build's clock, every content file that is not an event (site, registries, pages: any page
may show them), the page's own fields and, for each event its context holds or it `depends_on`, the
digest of the event's file. Pages whose templates read the whole timeline (the home page, the indexes, charts,
sources) are marked `uses_all_events` in pages.py and depend on every event. Nothing in a key depends on where
the files are or on their stat data, so a fresh checkout of the same files has the same keys and takes its
pages from the cache of rendered outputs (see rendercache).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from importlib.metadata import version
from pathlib import Path
from typing import Any

from timeline import __version__
from timeline.files import files_under
from timeline.memories import keeping
from timeline.model import Actor, Episode, Event, Page, Place, Site, Source, Tag, Timeline
from timeline.pages import Month, PageSpec
from timeline.parsecache import stat_key
from timeline.theme import template_folders

_SHARED_ENTRIES = (Actor, Episode, Page, Place, Site, Source, Tag)  # covered by the timeline's shared digest


_MEMORY: dict[str, Any] = {"builds": {}, "build": "", "pages": {}}
"""What keys were made from, by content (kept between runs: see kept_state): the build key by the stat keys of the
code and template files (see digests) and the shared digest; under the last build key, each page whose context
holds only events by its fields and its events' ids and file digests."""
_LAST: dict[str, tuple[PageSpec, str, str]] = {}  # path -> the page last keyed there, what beyond it the key used, key
_BOUND = {"pages": 10_000}  # entries kept per path: twice the pages of the last timeline keyed, at least
BUILDS_KEPT = 8


def build_key(timeline: Timeline, templates: Path) -> str:
    """What every page depends on: code, templates, plotly, the clock and the shared content."""
    head = f"{__version__}|{version('plotly')}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"
    files = [
        (number, os.path.relpath(path, folder), path)  # by their place in the folder, never where the checkout is
        for number, folder in enumerate((Path(__file__).parent, *template_folders(templates)))
        for path in files_under(folder)
    ]
    stats = [stat_key(os.stat(path)) for _, _, path in files]
    seen = repr((head, [(number, relative, stat) for (number, relative, _), stat in zip(files, stats, strict=True)]))
    found = hashlib.sha256(f"{seen}\0{timeline.shared_digest}".encode()).hexdigest()
    _BOUND["pages"] = 2 * (len(timeline.events) + len(timeline.actors) + len(timeline.places) + len(timeline.tags)) + 1000
    builds: dict[str, str] = _MEMORY["builds"]
    if found in builds and None not in stats:
        return builds[found]
    hasher = hashlib.sha256(head.encode())
    for number, relative, path in files:
        hasher.update(f"{number}:{relative}\0".encode())
        hasher.update(Path(path).read_bytes())
    hasher.update(timeline.shared_digest.encode())
    key = hasher.hexdigest()
    if None not in stats:  # no file was changing while it was read
        while len(builds) >= BUILDS_KEPT:
            del builds[next(iter(builds))]
        builds[found] = key
    return key


def page_key(page: PageSpec, build: str, all_events: str) -> str:
    """The digest of everything `page` is made from; `all_events` digests every event's file.

    The same page (the plan took it again, see pages._again) under the same keys has the key it had; a page whose
    context holds only events has the key it had under this build key with the same fields and events."""
    used = build + all_events if page.uses_all_events else build
    last = _LAST.get(page.path)
    if last is not None and last[0] is page and last[1] == used:
        return last[2]
    if len(_LAST) > _BOUND["pages"]:
        _LAST.clear()
    made_of = _events_only(page, all_events)
    if made_of is None:
        key = _page_key(page, build, all_events)
    else:
        if _MEMORY["build"] != build or len(_MEMORY["pages"]) > _BOUND["pages"]:
            _MEMORY.update(build=build, pages={})
        known = _MEMORY["pages"].get(page.path)
        key = known[1] if known is not None and known[0] == made_of else _page_key(page, build, all_events)
        if keeping():
            _MEMORY["pages"][page.path] = (made_of, key)
    _LAST[page.path] = (page, used, key)
    return key


def _page_key(page: PageSpec, build: str, all_events: str) -> str:
    parts = [build, page.path, page.template, page.title, page.description, str(page.in_sitemap)]
    if page.uses_all_events:
        parts.append(all_events)
    parts.append(_describe(page.context))
    parts.append(_describe(page.depends_on))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _events_only(page: PageSpec, all_events: str) -> tuple[Any, ...] | None:
    """What the key of a page whose context holds only events (an event page) is made of beyond the build key, by
    content; None for any other page."""
    made_of: list[Any] = [page.template, page.title, page.description, page.in_sitemap, page.uses_all_events]
    if page.uses_all_events:
        made_of.append(all_events)
    for name, value in (*page.context.items(), ("", page.depends_on)):
        if type(value) is Event:
            made_of.append((name, value.id, value.digest))
        elif value is None:
            made_of.append((name,))
        elif type(value) is tuple and all(type(item) is Event for item in value):
            made_of.append((name, tuple((item.id, item.digest) for item in value)))
        else:
            return None
    return tuple(made_of)


def all_events_key(timeline: Timeline) -> str:
    return hashlib.sha256("".join(f"{e.id}:{e.digest}\n" for e in timeline.events).encode()).hexdigest()


FORMAT = 2


def kept_state() -> dict[tuple[str, ...], Any]:
    """The memory of keys, as a flat dict to pickle: see restore_state."""
    flat: dict[tuple[str, ...], Any] = {("format",): FORMAT, ("build",): _MEMORY["build"]}
    flat.update((("builds", found), key) for found, key in _MEMORY["builds"].items())
    flat.update((("page", path), kept) for path, kept in _MEMORY["pages"].items())
    return flat


def restore_state(state: object) -> None:
    """Take back a memory of keys from kept_state (of any process); anything else is ignored."""
    if not isinstance(state, dict) or state.get(("format",)) != FORMAT:
        return
    builds = {where[1]: key for where, key in state.items() if where[0] == "builds"}
    pages = {where[1]: kept for where, kept in state.items() if where[0] == "page"}
    _MEMORY.update(builds=builds, build=str(state.get(("build",), "")), pages=pages)


def _describe(value: Any) -> str:
    """A text that changes whenever `value` would render differently, given the build key."""
    kind = type(value)
    if kind is Event:
        return f"event:{value.id}:{value.digest}"
    if kind is tuple or kind is list:  # most often a page's events: described without a call each
        return "[" + ",".join(f"event:{v.id}:{v.digest}" if type(v) is Event else _describe(v) for v in value) + "]"
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return repr(value)
    if isinstance(value, _SHARED_ENTRIES):
        return f"{kind.__name__}:{getattr(value, 'id', getattr(value, 'name', ''))}"
    if isinstance(value, Event):
        return f"event:{value.id}:{value.digest}"
    if isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_describe(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_describe(k)}:{_describe(v)}" for k, v in sorted(value.items())) + "}"
    if kind is Month:  # the search page lists every month: one taken again (see pages.months_of) is described once
        known = _MONTHS.get(value.key)
        if known is not None and known[0] is value:
            return known[1]
        described = f"Month({value.key!r},{value.label!r},{_describe(value.events)})"
        _MONTHS[value.key] = (value, described)
        return described
    if dataclasses.is_dataclass(value):
        fields = ",".join(f"{name}={_describe(getattr(value, name))}" for name in _field_names(kind))
        return f"{kind.__name__}({fields})"
    raise TypeError(f"a page's context holds a {kind.__name__}, which pagekeys cannot describe")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_MONTHS: dict[str, tuple[Month, str]] = {}  # month key -> the Month last described, and how


def _field_names(kind: type) -> tuple[str, ...]:
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _FIELD_NAMES[kind]
