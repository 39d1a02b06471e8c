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
from timeline.model import Actor, Episode, Event, Page, Place, Site, Source, Tag, Timeline
from timeline.pages import PageSpec
from timeline.theme import template_folders

_SHARED_ENTRIES = (Actor, Episode, Page, Place, Site, Source, Tag)  # covered by the timeline's shared digest


def build_key(timeline: Timeline, templates: Path) -> str:
    """What every page depends on: code, templates, plotly, the clock and the shared content."""
    hasher = hashlib.sha256(f"{__version__}|{version('plotly')}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for number, folder in enumerate((Path(__file__).parent, *template_folders(templates))):
        for path in files_under(folder):  # by their place in the folder, never where the checkout is
            hasher.update(f"{number}:{os.path.relpath(path, folder)}\0".encode())
            hasher.update(Path(path).read_bytes())
    hasher.update(timeline.shared_digest.encode())
    return hasher.hexdigest()


def page_key(page: PageSpec, build: str, all_events: str) -> str:
    """The digest of everything `page` is made from; `all_events` digests every event's file."""
    parts = [build, page.path, page.template, page.title, page.description, str(page.in_sitemap)]
    if page.uses_all_events:
        parts.append(all_events)
    parts.append(_describe(page.context))
    parts.append(_describe(page.depends_on))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def all_events_key(timeline: Timeline) -> str:
    return hashlib.sha256("".join(f"{e.id}:{e.digest}\n" for e in timeline.events).encode()).hexdigest()


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
    if dataclasses.is_dataclass(value):
        fields = ",".join(f"{name}={_describe(getattr(value, name))}" for name in _field_names(kind))
        return f"{kind.__name__}({fields})"
    raise TypeError(f"a page's context holds a {kind.__name__}, which pagekeys cannot describe")


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _FIELD_NAMES[kind]
