"""What an import brings in, before it is written: events and the registry entries they refer to.

Ids are made from the input's own ids or names, so the same input gives the same ids every time. A
registry entry that the project already has (same id, same thing) is reused; one that clashes with a
different thing of the same id gets a numbered id instead.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from timeline.calendarday import iso_year
from timeline.edtf import EdtfDate
from timeline.importers.problems import START, Where
from timeline.scaffold import slugify

MAX_ID_WORDS = 8


def make_id(*parts: str, fallback: str = "item") -> str:
    """A registry or event id from words: lowercase ASCII words joined by hyphens, at most eight words."""
    words = slugify(" ".join(parts)).split("-")[:MAX_ID_WORDS]
    return "-".join(w for w in words if w) or fallback


@dataclass
class Entry:
    """One new registry entry: content/<registry>.yaml gets `id:` with these fields."""

    registry: str
    id: str
    fields: dict[str, Any]
    where: Where


@dataclass
class ImportedEvent:
    """One event to write; `key` is the input's own id for it, recorded so a later import finds its file."""

    key: str
    slug: str
    date: EdtfDate
    fields: dict[str, Any]  # every key but `date`, in the order they are written
    where: Where

    @property
    def id(self) -> str:
        return f"{str(self.date.start).rstrip('~?%')}-{self.slug}"

    @property
    def path(self) -> str:
        """Relative to the content folder."""
        return f"events/{iso_year(self.date.start.year)}/{self.id}.yaml"


def _norm(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return " ".join(str(value).split()).casefold()


def _same_keys(*keys: str) -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    return lambda a, b: all(_norm(a.get(k, "")) == _norm(b.get(k, "")) for k in keys)


def _same_source(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("url") or b.get("url"):
        return _norm(a.get("url", "")) == _norm(b.get("url", ""))
    return _same_keys("title", "publisher", "published")(a, b)


def _same_place(a: dict[str, Any], b: dict[str, Any]) -> bool:
    near = all(abs(float(a.get(k, 999)) - float(b.get(k, -999))) < 0.01 for k in ("latitude", "longitude"))
    return near and _norm(a.get("name", "")) == _norm(b.get("name", ""))


SAME: dict[str, Callable[[dict[str, Any], dict[str, Any]], bool]] = {
    "sources": _same_source,
    "places": _same_place,
    "actors": _same_keys("name"),
    "tags": _same_keys("label"),
    "episodes": _same_keys("title", "start", "end"),
}


def import_date() -> str:
    """Today (UTC), or the day of SOURCE_DATE_EPOCH when it is set, so tests and builds can be repeated."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch.isdigit() else dt.datetime.now(dt.UTC)
    return now.date().isoformat()


@dataclass
class Batch:
    """Everything one input file brings in; `existing` holds the project's registries as read."""

    input_name: str
    language: str
    existing: dict[str, dict[str, dict[str, Any]]]
    events: list[ImportedEvent] = field(default_factory=list)
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    import_source: str = ""

    def add(self, registry: str, base_id: str, fields: dict[str, Any], where: Where = START) -> str:
        """The id of this entry: an existing one for the same thing, else a new entry under a free id."""
        same = SAME[registry]
        for n in range(1, 1000):
            candidate = base_id if n == 1 else f"{base_id}-{n}"
            new = self.entries.get((registry, candidate))
            if new is not None:
                if same(new.fields, fields):
                    return candidate
                continue
            old = self.existing.get(registry, {}).get(candidate)
            if old is not None:
                if same(old, fields):
                    return candidate
                continue
            self.entries[(registry, candidate)] = Entry(registry, candidate, fields, where)
            return candidate
        raise RuntimeError(f"no free id for {base_id}")  # a thousand different things of one name: not real input

    def add_import_source(self, title: str, publisher: str, note: str) -> str:
        """The input file itself as a source: cited by every event, and marked so `check` can tell."""
        fields = {
            "title": title,
            "publisher": publisher,
            "published": import_date(),
            "language": self.language,
            "imported_from": self.input_name,
            "note": note,
        }
        wanted = make_id("import", os.path.splitext(self.input_name)[0])
        existing = self.existing.get("sources", {}).get(wanted)
        if existing is not None and existing.get("imported_from") == self.input_name:
            self.import_source = wanted  # made by an earlier import of this file: keep it as it is
        else:
            self.import_source = self.add("sources", wanted, fields)
        return self.import_source

    def add_event(self, event: ImportedEvent) -> None:
        """Add an event; a second event with the same id in this input gets a numbered slug."""
        taken = {e.id for e in self.events}
        base = event.slug
        n = 1
        while event.id in taken:
            n += 1
            event.slug = f"{base}-{n}"
        self.events.append(event)
