"""Machine-readable outputs: the Atom feed, the sitemap and the full data export."""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from functools import cache
from json.encoder import encode_basestring as _json_string  # as dump_json writes text: UTF-8 kept
from typing import Any

from timeline.calendarday import CalendarDay, iso_year
from timeline.edtf import EdtfDate
from timeline.eventmemo import remembered_all, remembered_by
from timeline.markdown import plain_text
from timeline.model import Actor, Event, Source, Timeline
from timeline.render import dump_json

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
UNIX_EPOCH = CalendarDay(1970, 1, 1)
EXPORT_VERSION = 2  # 2: registries as full records; events split by year on large sites


def build_time(timeline: Timeline) -> str:
    """The feed's `updated`: SOURCE_DATE_EPOCH when set, else the newest date of the common era in the content
    (RFC 3339, which Atom and JSON Feed use, has no years before 1 CE)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sources = remembered_by("newest-source", timeline, "", lambda: _newest(s.published for s in timeline.sources.values()))
    newest = max((d for d in (_newest_start(timeline.events), sources) if d), key=CalendarDay.toordinal, default=None)
    return f"{(newest or UNIX_EPOCH).isoformat()}T00:00:00Z"  # a new project, with nothing in it yet: 1970


def _newest(dates: Iterable[EdtfDate]) -> CalendarDay | None:
    """The newest first day of the common era among `dates`."""
    return max((d.first_day for d in dates if d.first_day.common_era), key=CalendarDay.toordinal, default=None)


def _newest_start(events: Sequence[Event]) -> CalendarDay | None:
    """`_newest` of the events' dates, read from the end: events are in the order of their `sort_day`, which no
    first day comes after, so none before an event that sorts before the newest day found can be newer."""
    newest: CalendarDay | None = None
    for event in reversed(events):
        if newest is not None and event.date.sort_day < newest:
            break
        day = event.date.first_day
        if day.common_era and (newest is None or newest < day):
            newest = day
    return newest


def entry_time(event: Event) -> str | None:
    """An entry's RFC 3339 time, its date's first day; None before 1 CE, which RFC 3339 cannot write (the
    event's date is in the entry's summary all the same)."""
    return f"{event.date.iso()}T00:00:00Z" if event.date.common_era else None


def _xml(root: str) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n' + root + "\n"


# XML is written as text, laid out and escaped as ElementTree's ET.indent and ET.tostring lay out and
# escape it: building and serialising an element tree took most of the feed's time for a large site.


def _text(text: str) -> str:
    """Character data, escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """An attribute value, escaped for double quotes; line breaks and tabs as character references."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return value.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def _start(tag: str, attributes: dict[str, str]) -> str:
    """A start tag without its closing `>`."""
    start = "<" + tag
    for name, value in attributes.items():
        start += f' {name}="{_attribute(value)}"'
    return start


def _leaf(tag: str, text: str = "", **attributes: str) -> str:
    """An element without children; without text it closes itself."""
    start = _start(tag, attributes)
    return f"{start}>{_text(text)}</{tag}>" if text else start + " />"


def _parent(tag: str, children: list[str], level: int, **attributes: str) -> str:
    """An element whose children (already written) go on their own lines, two spaces deeper a level."""
    start = _start(tag, attributes)
    if not children:
        return start + " />"
    inner = "\n" + "  " * (level + 1)
    return f"{start}>{inner}{inner.join(children)}\n{'  ' * level}</{tag}>"


FEED_ENTRIES = 100  # a feed reader wants what is new, not the whole war
SITEMAP_URLS = 50_000  # the most one sitemap file may list (sitemaps.org)
SPLIT_EXPORT_ABOVE = 5_000  # events: above this the data export puts each year's events in a file of its own


def atom_feed(timeline: Timeline) -> str:
    """The newest events (at most FEED_ENTRIES) as Atom entries, newest first."""
    site = timeline.site
    updated = build_time(timeline)
    head = [
        _leaf("title", site.title),
        _leaf("subtitle", site.description),
        _leaf("id", site.base_url),
        _leaf("updated", updated),
        _leaf("link", href=site.base_url + "feed.xml", rel="self", type="application/atom+xml"),
        _leaf("link", href=site.base_url, rel="alternate", type="text/html"),
        _parent("author", [_leaf("name", site.title)], 1),
    ]
    events = feed_events(timeline)
    # kept per event, but for an entry before 1 CE, which is `updated` when the feed is
    make = functools.partial(_atom_entry, base_url=site.base_url)
    dated = iter(remembered_all("atom", timeline, [e for e in events if entry_time(e)], make))
    entries = [next(dated) if entry_time(e) else _atom_entry(e, site.base_url, updated) for e in events]
    return _xml(_parent("feed", head + entries, 0, **{"xmlns": ATOM, "xml:lang": site.language}))


def feed_events(timeline: Timeline) -> list[Event]:
    """The feeds' entries (Atom and JSON Feed alike): the newest FEED_ENTRIES events, newest first (the last of
    `timeline.events`, which are in the order of their dates and then ids)."""
    return list(reversed(timeline.events[-FEED_ENTRIES:]))


def feed_summary(event: Event) -> str:
    """An entry's plain-text summary, led by its date."""
    return f"{event.date.human()}: {plain_text(event.summary)}"


def _atom_entry(event: Event, base_url: str, feed_updated: str = "") -> str:
    """An entry; one of an event before 1 CE is `updated` when the feed is, as Atom requires the element."""
    url = f"{base_url}events/{event.id}/"
    children = [
        _leaf("title", event.title),
        _leaf("id", url),
        _leaf("link", href=url, rel="alternate", type="text/html"),
        _leaf("updated", entry_time(event) or feed_updated),
        _leaf("summary", feed_summary(event)),
    ]
    children += [_leaf("category", term=tag.id, label=tag.label) for tag in event.tags]
    return _parent("entry", children, 1)


def sitemaps(base_url: str, paths: list[str]) -> dict[str, str]:
    """sitemap.xml listing every page; above SITEMAP_URLS pages, an index of sitemap-1.xml, sitemap-2.xml, …"""
    shares = [paths[i : i + SITEMAP_URLS] for i in range(0, len(paths), SITEMAP_URLS)] or [[]]
    if len(shares) == 1:
        return {"sitemap.xml": _urlset(base_url, shares[0])}
    files = {f"sitemap-{number}.xml": _urlset(base_url, share) for number, share in enumerate(shares, start=1)}
    entries = [_parent("sitemap", [_leaf("loc", base_url + name)], 1) for name in files]
    return {"sitemap.xml": _xml(_parent("sitemapindex", entries, 0, xmlns=SITEMAP)), **files}


def _urlset(base_url: str, paths: list[str]) -> str:
    urls = [_parent("url", [_leaf("loc", base_url + path)], 1) for path in paths]
    return _xml(_parent("urlset", urls, 0, xmlns=SITEMAP))


def _plain(value: Any) -> Any:
    """Model objects as JSON values; linked records become their ids, empty fields are left out."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if isinstance(value, EdtfDate):
        return str(value)
    if isinstance(value, (Actor, Source)):
        return value.id
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if is_dataclass(value):
        return _record(value)
    return value


def _record(value: Any) -> dict[str, Any]:
    """A model object's fields as a JSON object: empty fields left out, linked actors and sources as ids."""
    kind: type = type(value)
    record = {}
    for name in _field_names(kind):
        item = getattr(value, name)
        if not _empty(item):
            record[name] = item if type(item) is str else _plain(item)
    return record


def _empty(value: Any) -> bool:
    """A field left out of the export: None, empty text, an empty tuple.

    (Tested by type rather than by `in ("", (), None)`, which calls a dataclass's generated `__eq__`.)
    """
    return value is None or (isinstance(value, (str, tuple)) and not value)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _event_record(event: Event, timeline: Timeline) -> dict[str, Any]:
    return {
        "id": event.id,
        "url": f"{timeline.site.base_url}events/{event.id}/",
        "date": str(event.date),
        "date_first_day": event.date.first_day.isoformat(),
        "date_last_day": event.date.last_day.isoformat(),
        "date_note": event.date_note or None,
        "title": event.title,
        "summary": event.summary,
        "episode": event.episode.id if event.episode else None,
        "tags": [t.id for t in event.tags],
        "places": [p.id for p in event.places],
        "actors": [a.id for a in event.actors],
        "importance": event.importance,
        "claims": [_plain(c) for c in event.claims],
        "figures": [_plain(f) for f in event.figures],
        "sources": [s.id for s in event.sources],
        "independent_sources": event.independent_sources,
        "related": list(event.related_ids),
    }


@dataclass(frozen=True)
class DataFile:
    """One file of the data export, made only when asked: `key` changes whenever its text would."""

    name: str
    key: str  # what the text depends on beyond the site's shared content: its events' digests
    make: Callable[[], str]
    remembers: bool = False  # joined from pieces kept per event in this process (see eventmemo)


def data_export(timeline: Timeline) -> list[DataFile]:
    """events.json: everything on the site as JSON, for reuse. Above SPLIT_EXPORT_ABOVE events it keeps
    the registries and names a file per year (data/events-YYYY.json) that holds that year's events, so an
    edit rewrites one year's file."""
    if len(timeline.events) <= SPLIT_EXPORT_ABOVE:
        whole = functools.partial(_export_index, timeline, timeline.events, {})
        return [DataFile("events.json", event_digests(timeline.events), whole, remembers=True)]
    by_year = events_by_year(timeline.events)
    files = {year: f"data/events-{year}.json" for year in by_year}
    index = DataFile("events.json", f"{len(timeline.events)}|{files}", lambda: _export_index(timeline, None, files))
    return [index] + [
        DataFile(name, event_digests(by_year[year]), functools.partial(_export_year, timeline, int(year), by_year[year]), True)
        for year, name in files.items()
    ]


def events_by_year(events: Sequence[Event]) -> dict[str, list[Event]]:
    """Events by the year of their first day, in the order given: how large exports are split."""
    by_number: dict[int, list[Event]] = {}
    for event in events:
        year = event.date.first_day.year
        if year in by_number:
            by_number[year].append(event)
        else:
            by_number[year] = [event]
    return {iso_year(year): share for year, share in by_number.items()}


def event_digests(events: Sequence[Event]) -> str:
    """A key that changes whenever any of `events` is edited, added or removed."""
    return "".join([f"{e.id}:{e.digest}\n" for e in events])


def _export_index(timeline: Timeline, events: tuple[Event, ...] | None, files: dict[str, str]) -> str:
    """The export's main file: the registries, and the events or the files that hold them."""
    data: dict[str, Any] = {
        "version": EXPORT_VERSION,
        "site": asdict(timeline.site),
        "episodes": {e.id: _record(e) for e in timeline.episodes},
        "actors": {k: _record(v) for k, v in timeline.actors.items()},
        "places": {k: _record(v) for k, v in timeline.places.items()},
        "sources": {k: _record(v) for k, v in timeline.sources.items()},
        "tags": {k: _record(v) for k, v in timeline.tags.items()},
    }
    if events is not None:
        return json_document(data, "events", _records(timeline, events))
    data["event_count"] = len(timeline.events)
    data["event_files"] = files
    return json_document(data)


def _export_year(timeline: Timeline, year: int, events: list[Event]) -> str:
    return json_document({"version": EXPORT_VERSION, "year": year}, "events", _records(timeline, events))


def _records(timeline: Timeline, events: Sequence[Event]) -> list[str]:
    """The events' records, as items of the export's top-level `events`: pieces kept per event."""
    return remembered_all("export", timeline, events, functools.partial(_record_text, timeline=timeline))


def _record_text(event: Event, timeline: Timeline) -> str:
    return _indented_json(_event_record(event, timeline), "  ")  # an item of the top-level `events`


class JsonText(str):
    """JSON text already written, for `json_text` to take as it is: written for the margin where it will stand."""

    __slots__ = ()


def json_text(value: Any, margin: str = "") -> str:
    """The text of `dump_json(value, indent=1)`, its inner lines indented by `margin` (where it will stand in a
    larger document: two spaces for an item of a top-level list), with JsonText taken as it is."""
    return _indented_json(value, margin)


def json_array(items: list[str], margin: str) -> str:
    """A JSON array (indent 1) standing at `margin`, of items already written for `margin` and one space."""
    if not items:
        return "[]"
    inner = margin + " "
    return joined("[\n" + inner, items, ",\n" + inner, "\n" + margin + "]")


_HOLE = "\0"  # never in JSON text, which writes the character as \u0000


def json_document(value: dict[str, Any], key: str = "", items: Sequence[str] = ()) -> str:
    """A JSON file: `json_text(value)` and a line break; with `key`, `value[key]` is the array of `items`, already
    written as items of a top-level array (two spaces in). The items are copied once: such a file holds megabytes."""
    if not key:
        return _indented_json(value) + "\n"
    head, tail = (_indented_json({**value, key: JsonText(_HOLE)}) + "\n").split(_HOLE)
    return joined(head + "[\n  ", items, ",\n  ", "\n ]" + tail) if items else head + "[]" + tail


def joined(head: str, items: Sequence[str], separator: str, tail: str) -> str:
    """`head + separator.join(items) + tail`, copying the items once (the large files are joined from pieces)."""
    if len(items) < 2:
        return head + "".join(items) + tail
    parts = list(items)
    parts[0], parts[-1] = head + parts[0], parts[-1] + tail
    return separator.join(parts)


def _indented_json(value: Any, margin: str = "") -> str:
    """The text of `dump_json(value, indent=1)`, written faster for the large data export.

    json writes indented output in pure Python, one value at a time; here each container is one join
    of its items. Dicts with text keys, lists, text, integers, finite floats, booleans and None are
    written here; anything else (other keys, NaN, other types) is left to json, its lines indented by
    `margin`, which is exact because JSON text has no line breaks of its own.
    """
    kind = type(value)
    if kind is str:
        return _json_string(value)
    if kind is JsonText:
        return value  # type: ignore[no-any-return]
    if kind is dict:
        return _indented_object(value, margin) if value else "{}"
    if kind is list:
        return _indented_array(value, margin) if value else "[]"
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)
    return _json_by_json(value, margin)


def _indented_object(value: dict[Any, Any], margin: str) -> str:
    inner = margin + " "
    try:
        items = [
            _json_string(k) + ": " + (_json_string(v) if type(v) is str else _indented_json(v, inner))  # text: most values
            for k, v in sorted(value.items())
        ]
    except TypeError:  # a key that is not text: json converts it
        return _json_by_json(value, margin)
    return "{\n" + inner + (",\n" + inner).join(items) + "\n" + margin + "}"


def _indented_array(value: list[Any], margin: str) -> str:
    inner = margin + " "
    return json_array([_json_string(v) if type(v) is str else _indented_json(v, inner) for v in value], margin)


def _json_by_json(value: Any, margin: str) -> str:
    return dump_json(value, indent=1).replace("\n", "\n" + margin)
