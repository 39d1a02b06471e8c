"""The content as immutable, cross-linked objects: what every later stage reads."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from timeline.edtf import EdtfDate
from timeline.modelindex import by_id_of, in_order, model_indexes, related_index, related_of


@dataclass(frozen=True)
class Site:
    title: str
    description: str
    base_url: str
    language: str
    timezone: str
    comparison_tag: str | None = None
    comparison_title: str = ""
    comparison_intro: str = ""


@dataclass(frozen=True)
class Episode:
    id: str
    title: str
    start: EdtfDate
    end: EdtfDate
    summary: str
    short_title: str = ""

    @property
    def label(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    side: str
    role: str = ""
    alt_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    latitude: float | None = None  # both or neither: a place's position may not be known
    longitude: float | None = None
    geonames: int | None = None  # the GeoNames id the coordinates come from
    alt_names: tuple[str, ...] = ()
    oblast: str = ""
    country: str = ""

    @property
    def located(self) -> bool:
        """Whether the place has coordinates (a region or a river may have none)."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    published: EdtfDate
    language: str
    url: str = ""
    author: str = ""
    archive_url: str = ""
    republishes: str = ""
    note: str = ""
    seed: str = ""
    imported_from: str = ""  # the file `timeline import` read, when this source is that file


@dataclass(frozen=True)
class Tag:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class ClaimSource:
    source: Source
    quote: str = ""
    reported_as: str = ""


@dataclass(frozen=True)
class Claim:
    by: Actor
    said_on: EdtfDate
    text: str
    status: str
    sources: tuple[ClaimSource, ...]
    status_note: str = ""


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    source: Source
    unit: str = ""
    qualifier: str = ""
    by: Actor | None = None
    note: str = ""

    @property
    def display(self) -> str:
        number = f"{self.value:,}" if isinstance(self.value, int) else f"{self.value:,.10g}"
        return " ".join(part for part in (self.qualifier, number, self.unit) if part)


@dataclass(frozen=True)
class Event:
    id: str
    date: EdtfDate
    title: str
    summary: str
    sources: tuple[Source, ...]
    episode: Episode | None = None
    date_note: str = ""
    tags: tuple[Tag, ...] = ()
    places: tuple[Place, ...] = ()
    actors: tuple[Actor, ...] = ()
    importance: int = 2
    claims: tuple[Claim, ...] = ()
    figures: tuple[Figure, ...] = ()
    related_ids: tuple[str, ...] = ()
    independent_sources: int = 0
    digest: str = field(default="", compare=False, repr=False)  # of the event's file: changes when it is edited

    @property
    def track(self) -> Tag | None:
        """The event's main tag: its row in the overview chart."""
        return self.tags[0] if self.tags else None

    @cached_property
    def sides(self) -> tuple[str, ...]:
        """Sides of the actors involved or claiming, in a stable order."""
        return tuple(sorted({a.side for a in self.actors} | {c.by.side for c in self.claims}))

    @cached_property
    def statuses(self) -> tuple[str, ...]:
        return tuple(sorted({c.status for c in self.claims}))

    @cached_property
    def all_actors(self) -> tuple[Actor, ...]:
        seen = {a.id: a for a in self.actors}
        for claim in self.claims:
            seen.setdefault(claim.by.id, claim.by)
        return tuple(seen.values())


@dataclass(frozen=True)
class Interlude:
    """Events outside every episode that fall before the first episode, between two, or after the last."""

    id: str  # the anchor of its section on the home page
    title: str
    where: str  # "before the first episode", ...: what places its events here
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    body: str
    description: str = ""


@dataclass(frozen=True)
class Timeline:
    """All content, with the indexes pages need computed once."""

    site: Site
    episodes: tuple[Episode, ...]
    actors: dict[str, Actor]
    places: dict[str, Place]
    sources: dict[str, Source]
    tags: dict[str, Tag]
    events: tuple[Event, ...]  # in date order
    pages: dict[str, Page]
    by_id: dict[str, Event] = field(default_factory=dict)
    by_actor: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    by_place: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    by_tag: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    by_episode: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    by_source: dict[str, tuple[Event, ...]] = field(default_factory=dict)
    republished_by: dict[str, tuple[Source, ...]] = field(default_factory=dict)
    related_by: dict[str, tuple[Event, ...]] = field(default_factory=dict)  # event id -> events that name it
    shared_digest: str = ""  # of every content file but the events: site, registries, pages
    related_events: dict[str, tuple[Event, ...]] | None = None  # what `related` gives, where not (): see modelindex

    def related(self, event: Event) -> tuple[Event, ...]:
        """Events the event names as related, and events that name it, in date order."""
        if self.related_events is None:  # a model made by hand, without the index
            return related_of(event, self.by_id, self.related_by)
        return self.related_events.get(event.id, ())

    def original_of(self, source: Source) -> Source:
        """Follow `republishes` to the source nothing further is copied from."""
        while source.republishes:
            source = self.sources[source.republishes]
        return source

    @property
    def background(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.episode is None)

    @cached_property
    def interludes(self) -> tuple[Interlude, ...]:
        """The background split where the episodes fall, so that the timeline reads in date order.

        An event outside every episode lies outside their spans (an event within one belongs to it), so the
        episodes that began before it tell which gap it is in.
        """
        starts = [e.start.first_day for e in self.episodes]
        gaps: list[list[Event]] = [[] for _ in range(len(self.episodes) + 1)]
        for event in self.background:
            gaps[bisect_right(starts, event.date.sort_day)].append(event)
        return tuple(_interlude(self.episodes, index, tuple(events)) for index, events in enumerate(gaps) if events)

    def interlude_of(self, event: Event) -> Interlude | None:
        """The interlude an event outside every episode is listed in."""
        return self._interlude_by_event.get(event.id)

    @cached_property
    def _interlude_by_event(self) -> dict[str, Interlude]:
        return {event.id: interlude for interlude in self.interludes for event in interlude.events}


def _interlude(episodes: tuple[Episode, ...], gap: int, events: tuple[Event, ...]) -> Interlude:
    """The events in gap `gap`: 0 is before the first episode, len(episodes) after the last."""
    if gap == 0:
        return Interlude("background", "Background", "before the first episode" if episodes else "", events)
    before = episodes[gap - 1]
    if gap == len(episodes):
        return Interlude(f"after-{before.id}", f"After {before.label}", "after the last episode", events)
    after = episodes[gap]
    title = f"Between {before.label} and {after.label}"
    return Interlude(f"between-{before.id}-and-{after.id}", title, "between two episodes", events)


def _root(source_id: str, sources: dict[str, dict[str, Any]]) -> str:
    while sources[source_id].get("republishes"):
        source_id = sources[source_id]["republishes"]
    return source_id


def build_timeline(raw: Any, previous: Timeline | None = None) -> Timeline:
    """Turn validated raw content (no errors left) into the model.

    An event depends only on its own file and the shared content (site, registries, pages), so when the
    `previous` model (serve's last) was made from the same shared content, its registry entries are taken as
    they are, and so is each event whose file is unchanged: only edited and new events are made. The indexes then
    keep the previous model's entries whose events are unchanged (see modelindex)."""
    shared_digest = _shared_digest(raw)
    if previous is not None and previous.shared_digest == shared_digest:
        site, pages = previous.site, previous.pages
        actors, places, sources, tags = previous.actors, previous.places, previous.sources, previous.tags
        ordered_episodes, kept = previous.episodes, previous.by_id
        before: Timeline | None = previous
    else:
        site, pages = _site(raw.site), _pages(raw)
        actors, places, sources, tags, ordered_episodes = _registries(raw.registries)
        kept, before = {}, None
    made = _Registries(actors, places, sources, tags, {e.id: e for e in ordered_episodes}, ordered_episodes)
    fresh: list[Event] = []
    changed = {event_id for event_id in kept if event_id not in raw.events}  # deleted
    events = []
    paths, digests = raw.paths, raw.digests
    for event_id, data in raw.events.items():
        digest = digests.get(paths[f"events/{event_id}"], "")
        old = kept.get(event_id)
        if old is not None and digest and old.digest == digest:
            events.append(old)
        else:
            event = _event(event_id, data, digest, made, raw)
            events.append(event)
            fresh.append(event)
            changed.add(event_id)
    ordered = in_order(events, fresh, changed, before)
    republished_by: dict[str, list[Source]] = defaultdict(list)
    for source in sources.values():
        if source.republishes:
            republished_by[source.republishes].append(source)
    by_id = by_id_of(ordered, changed, before)
    indexes = model_indexes(ordered, fresh, changed, before)
    related_before = (before.related_events, changed) if before is not None and before.related_events is not None else None
    return Timeline(
        site=site,
        episodes=ordered_episodes,
        actors=actors,
        places=places,
        sources=sources,
        tags=tags,
        events=ordered,
        pages=pages,
        by_id=by_id,
        **indexes,
        republished_by={k: tuple(v) for k, v in sorted(republished_by.items())},
        shared_digest=shared_digest,
        related_events=related_index(ordered, by_id, indexes["related_by"], related_before),
    )


def _site(data: dict[str, Any]) -> Site:
    comparison = data.get("comparison", {})
    return Site(
        title=data["title"],
        description=data["description"],
        base_url=data["base_url"].rstrip("/") + "/",
        language=data["language"],
        timezone=data["timezone"],
        comparison_tag=comparison.get("tag"),
        comparison_title=comparison.get("title", ""),
        comparison_intro=comparison.get("intro", ""),
    )


def _pages(raw: Any) -> dict[str, Page]:
    return {name: Page(name, p.meta["title"], p.body, p.meta.get("description", "")) for name, p in sorted(raw.pages.items())}


@dataclass(frozen=True)
class _Registries:
    """The registry entries events point at."""

    actors: dict[str, Actor]
    places: dict[str, Place]
    sources: dict[str, Source]
    tags: dict[str, Tag]
    episodes: dict[str, Episode]
    ordered_episodes: tuple[Episode, ...]


def _registries(
    reg: dict[str, Any],
) -> tuple[dict[str, Actor], dict[str, Place], dict[str, Source], dict[str, Tag], tuple[Episode, ...]]:
    episodes = {k: Episode(id=k, **v) for k, v in reg["episodes"].items()}
    actors = {k: Actor(id=k, **{**v, "alt_names": tuple(v.get("alt_names", ()))}) for k, v in sorted(reg["actors"].items())}
    places = {k: Place(id=k, **{**v, "alt_names": tuple(v.get("alt_names", ()))}) for k, v in sorted(reg["places"].items())}
    sources = {k: Source(id=k, **v) for k, v in sorted(reg["sources"].items())}
    tags = {k: Tag(id=k, **v) for k, v in sorted(reg["tags"].items())}
    ordered_episodes = tuple(sorted(episodes.values(), key=lambda e: (e.start.sort_key, e.id)))
    return actors, places, sources, tags, ordered_episodes


def _event(event_id: str, data: dict[str, Any], digest: str, made: _Registries, raw: Any) -> Event:
    actors, sources = made.actors, made.sources
    episode = made.episodes.get(data.get("episode", "")) or _containing(data["date"], made.ordered_episodes)
    claims = tuple(
        Claim(
            by=actors[c["by"]],
            said_on=c.get("said_on", data["date"]),
            text=c["text"],
            status=c["status"],
            status_note=c.get("status_note", ""),
            sources=tuple(ClaimSource(sources[s["source"]], s.get("quote", ""), s.get("reported_as", "")) for s in c["sources"]),
        )
        for c in data.get("claims", [])
    )
    figures = tuple(
        Figure(
            label=f["label"],
            value=f["value"],
            source=sources[f["source"]],
            unit=f.get("unit", ""),
            qualifier=f.get("qualifier", ""),
            by=actors.get(f.get("by", "")),
            note=f.get("note", ""),
        )
        for f in data.get("figures", [])
    )
    return Event(
        id=event_id,
        date=data["date"],
        title=data["title"],
        summary=data["summary"],
        sources=tuple(sources[s] for s in data["sources"]),
        episode=episode,
        date_note=data.get("date_note", ""),
        tags=tuple(made.tags[t] for t in data.get("tags", [])),
        places=tuple(made.places[p] for p in data.get("places", [])),
        actors=tuple(actors[a] for a in data.get("actors", [])),
        importance=data.get("importance", 2),
        claims=claims,
        figures=figures,
        related_ids=tuple(data.get("related", [])),
        independent_sources=len({_root(s, raw.registries["sources"]) for s in data["sources"]}),
        digest=digest,
    )


def _shared_digest(raw: Any) -> str:
    """One digest of every content file that is not an event: any page may show what they hold. Files are named
    from the content folder, never by where it is, so that a copy of the content has the same digest. Event
    files are those under events/ (see content.load_content)."""
    root = raw.paths["site"].removesuffix("site.yaml")  # how messages name the content folder, with a separator
    start = len(root)
    shared = sorted(
        (path[start:], digest)
        for path, digest in raw.digests.items()
        if not (path.startswith(root) and path.startswith("events/", start))
    )
    return hashlib.sha256(repr(shared).encode()).hexdigest()


def _containing(date: EdtfDate, episodes: tuple[Episode, ...]) -> Episode | None:
    matches = [e for e in episodes if e.start.first_day <= date.first_day and date.last_day <= e.end.last_day]
    return matches[0] if len(matches) == 1 else None
