"""A small model made in code, for the export tests: each event's date, title and text chosen by the test."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.edtf import parse_edtf
from timeline.model import Actor, Claim, ClaimSource, Episode, Event, Place, Site, Source, Tag, Timeline

SITE = Site("Тест, timeline; one", "Exports; tested, with \\ and commas.", "https://example.org/t/", "en", "Europe/Kyiv")
WIRE = Source("wire", "A wire report, long", "Wire agency", parse_edtf("2022-07-03"), "en", url="https://example.org/wire")
PAPER = Source("paper", "=A paper's story", "Paper", parse_edtf("2022-07"), "uk")
KYIV = Place("kyiv", "Kyiv", 50.45, 30.5236, oblast="Kyiv")
WEST = Place("west", "Somewhere west", 40.0, -73.9)
UNUSED = Place("unused", "Nowhere", 10.0, 10.0)
MILITARY = Tag("military", "Military", "Fighting.")
CLAIM = Tag("claim", "Claims", "Who said what.")
ACTOR = Actor("governor", "The governor", "person", "ukraine")
EPISODE = Episode("summer", "Summer, 2022", parse_edtf("2022-06"), parse_edtf("2022-08-15"), "A summer.")


@dataclass(frozen=True)
class Spec:
    id: str
    date: str
    title: str = ""
    summary: str = "Something happened."
    date_note: str = ""
    places: tuple[Place, ...] = ()
    tags: tuple[Tag, ...] = (MILITARY,)
    claimed: bool = False


def make_event(spec: Spec) -> Event:
    claims = ()
    if spec.claimed:
        claims = (Claim(ACTOR, parse_edtf(spec.date), "We hold the city.", "disputed", (ClaimSource(WIRE),)),)
    return Event(
        id=spec.id,
        date=parse_edtf(spec.date),
        title=spec.title or f"Event {spec.id}",
        summary=spec.summary,
        sources=(WIRE, PAPER),
        date_note=spec.date_note,
        tags=spec.tags,
        places=spec.places,
        actors=(ACTOR,),
        claims=claims,
        digest=spec.id,
    )


def make_timeline(specs: list[Spec]) -> Timeline:
    """A timeline of these events, in date order, with the indexes exports read."""
    events = tuple(sorted((make_event(s) for s in specs), key=lambda e: (e.date.sort_key, e.id)))
    by_place: dict[str, list[Event]] = {}
    for event in events:
        for place in event.places:
            by_place.setdefault(place.id, []).append(event)
    return Timeline(
        site=SITE,
        episodes=(EPISODE,),
        actors={ACTOR.id: ACTOR},
        places={p.id: p for p in (KYIV, UNUSED, WEST)},
        sources={s.id: s for s in (PAPER, WIRE)},
        tags={t.id: t for t in (CLAIM, MILITARY)},
        events=events,
        pages={},
        by_id={e.id: e for e in events},
        by_place={k: tuple(v) for k, v in sorted(by_place.items())},
    )
