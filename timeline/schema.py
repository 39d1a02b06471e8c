"""The content model: every file kind, its keys and what each means.

The validator converts content with these definitions, and `timeline schema` writes them out as
JSON Schema for editors, so there is one description of the format.
"""

from __future__ import annotations

from typing import Any

from timeline.fields import (
    Choice,
    Context,
    Date,
    Field,
    Identifier,
    Integer,
    ListOf,
    MapNode,
    Number,
    Record,
    Ref,
    Registry,
    Text,
    TimeZone,
    Url,
)

CLAIM_STATUSES = {
    "claimed": "asserted by the actor; nothing more is known from the sources",
    "unverified": "the sources say they could not confirm it independently",
    "disputed": "another party contests it",
    "denied": "the party it concerns denies it",
    "confirmed": "the other side or later events confirm it, according to the sources",
}
ACTOR_KINDS = {
    "person": "a named or described individual",
    "organisation": "a ministry, office, company or other body",
    "state": "a country or its government",
    "armed-force": "an army, militia or other armed force",
}
SIDES = {
    "russia": "Russia and the authorities it installed",
    "ukraine": "Ukraine",
    "belarus": "Belarus",
    "united-states": "the United States",
    "nato": "NATO",
    "syria": "Syria",
    "other": "anyone else: journalists, analysts, other governments",
}
LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def _text(description: str, **options: Any) -> Field:
    return Field(Text(description=description, **options))


def _line(description: str) -> Field:
    return Field(Text(description=description, single_line=True))


def _refs(kind: str, description: str, min_items: int = 0) -> Field:
    return Field(ListOf(Ref(kind=kind), description=description, min_items=min_items, unique=True))


def _names(description: str) -> Field:
    return Field(ListOf(Text(single_line=True), description=description, unique=True))


COMPARISON = Record(
    "the comparison",
    {
        "tag": Field(Ref(kind="tag", description="events with this tag are compared, one column per episode"), True),
        "title": Field(Text(description="heading of the comparison page", single_line=True), True),
        "intro": _text("introduction, Markdown", markdown=True),
    },
    description="the page that sets events of one tag side by side, one column per episode",
)

SITE = Record(
    "site settings",
    {
        "title": Field(Text(description="the site's name", single_line=True), True),
        "description": Field(Text(description="one sentence shown under the title and to search engines"), True),
        "base_url": Field(Url(description="the address the site is published at, ending in /", base=True), True),
        "language": Field(Text(description="language code, e.g. en", pattern=LANGUAGE, single_line=True), True),
        "timezone": Field(TimeZone(description="time zone dates refer to, e.g. Europe/Kyiv"), True),
        "comparison": Field(COMPARISON),
    },
    description="content/site.yaml: the site's settings",
)


def _check_episode(value: dict[str, Any], node: MapNode, where: str, ctx: Context) -> None:
    start, end = value.get("start"), value.get("end")
    if start and end and end.last_day < start.first_day:
        ctx.error(node, f"{where}.end", f"episode '{where}' ends before it starts", "swap `start` and `end`")


EPISODE = Record(
    "an episode",
    {
        "title": _line("the episode's title"),
        "short_title": _line("a short name for navigation, e.g. 'July 2022'"),
        "start": Field(Date(description="first day of the episode"), True),
        "end": Field(Date(description="last day of the episode"), True),
        "summary": _text("what happened, in our own words (Markdown)", markdown=True),
    },
    description="a story arc; events whose date falls inside it belong to it",
    check=_check_episode,
)
EPISODE.fields["title"].required = True
EPISODE.fields["summary"].required = True

ACTOR = Record(
    "an actor",
    {
        "name": Field(Text(description="name as the sources give it", single_line=True), True),
        "kind": Field(Choice(ACTOR_KINDS, description="what kind of actor"), True),
        "side": Field(Choice(SIDES, description="whose side the actor speaks for"), True),
        "role": _line("role at the time, as the sources describe it"),
        "alt_names": _names("other spellings found in the sources"),
    },
    description="a person, body, state or armed force that acts or speaks in events",
)


def _check_place(value: dict[str, Any], node: MapNode, where: str, ctx: Context) -> None:
    given = {key.value for key, child in node.items if not getattr(child, "is_null", False)} & {"latitude", "longitude"}
    if len(given) == 1:
        (has,) = given
        missing = "longitude" if has == "latitude" else "latitude"
        hint = f"add `{missing}:`, or leave out both when no source gives the place's position"
        ctx.error(node, f"{where}.{missing}", f"place '{where}' has a {has} but no {missing}", hint)


PLACE = Record(
    "a place",
    {
        "name": Field(Text(description="name in English", single_line=True), True),
        "alt_names": _names("other spellings found in the sources"),
        "geonames": Field(
            Integer(description="the GeoNames id its coordinates come from (https://www.geonames.org/ID)", minimum=1)
        ),
        "latitude": Field(
            Number(description="decimal degrees north; leave out with longitude if not known", minimum=-90, maximum=90)
        ),
        "longitude": Field(
            Number(description="decimal degrees east; leave out with latitude if not known", minimum=-180, maximum=180)
        ),
        "oblast": _line("the region (oblast) it lies in"),
        "country": _line("the country it lies in"),
    },
    description="a city, region or other place, with its coordinates when they are known",
    check=_check_place,
)

SOURCE = Record(
    "a source",
    {
        "url": Field(Url(description="the article's own address; leave out if not known")),
        "title": Field(Text(description="the article's headline", single_line=True), True),
        "publisher": Field(Text(description="who published it", single_line=True), True),
        "published": Field(Date(description="publication date"), True),
        "author": _line("who wrote or reported it"),
        "archive_url": Field(Url(description="an archived copy's address")),
        "republishes": Field(Ref(kind="source", description="id of the source this one copies or rewrites")),
        "language": Field(Text(description="language code, e.g. en", pattern=LANGUAGE, single_line=True), True),
        "seed": _line("file name of the article's text kept for research"),
        "note": _text("anything a reader should know about this source"),
        "imported_from": _line("the file `timeline import` took events from; `check` flags events resting only on it"),
    },
    description="an article that events rest on",
)

TAG = Record(
    "a tag",
    {
        "label": Field(Text(description="the tag as readers see it", single_line=True), True),
        "description": Field(Text(description="what the tag covers"), True),
    },
    description="a word of the controlled vocabulary events are tagged with",
)

CLAIM_SOURCE = Record(
    "a claim's source",
    {
        "source": Field(Ref(kind="source", description="id of the source that reports the claim"), True),
        "quote": Field(
            Text(
                description="the actor's own words, verbatim from this source, at most 40 words",
                max_words=40,
            )
        ),
        "reported_as": _line("the word or figure as this source reports it, where sources differ"),
    },
    description="where a claim is reported, with the actor's words",
)

CLAIM = Record(
    "a claim",
    {
        "by": Field(Ref(kind="actor", description="id of the actor who made the claim"), True),
        "said_on": Field(Date(description="when it was said; defaults to the event's date")),
        "text": Field(Text(description="what was claimed, in our own words"), True),
        "status": Field(Choice(CLAIM_STATUSES, description="how the claim stands"), True),
        "status_note": _text("why it has this status, and according to which source"),
        "sources": Field(ListOf(CLAIM_SOURCE, description="where the claim is reported", min_items=1), True),
    },
    description="who said what, and how it stands",
)

FIGURE = Record(
    "a figure",
    {
        "label": Field(Text(description="what is counted; the same label from two sources is compared", single_line=True), True),
        "value": Field(Number(description="the number as reported"), True),
        "unit": _line("unit, e.g. people, km2, percent"),
        "qualifier": _line("e.g. 'at least', 'about', 'nearly'"),
        "source": Field(Ref(kind="source", description="id of the source that reports it"), True),
        "by": Field(Ref(kind="actor", description="id of the actor who gave the number")),
        "note": _text("context for the number"),
    },
    description="a number as a source reports it",
)

EVENT = Record(
    "an event",
    {
        "date": Field(
            Date(description="when it happened: YYYY-MM-DD, YYYY-MM or YYYY (-0043 is 44 BCE), ~ approximate, ? uncertain"), True
        ),
        "date_note": _line("shown beside the date, e.g. 'Sunday evening'"),
        "title": Field(Text(description="a short headline in our own words", single_line=True), True),
        "episode": Field(Ref(kind="episode", description="id of the episode; optional when the date falls inside one")),
        "tags": _refs("tag", "ids of tags; the first is the event's track in the overview chart"),
        "places": _refs("place", "ids of places"),
        "actors": _refs("actor", "ids of actors involved"),
        "importance": Field(Integer(description="1 to 3: emphasis in lists, marker size in charts", minimum=1, maximum=3)),
        "summary": Field(Text(description="what happened, in our own words (Markdown, no HTML)", markdown=True), True),
        "claims": Field(ListOf(CLAIM, description="who said what, and how it stands")),
        "figures": Field(ListOf(FIGURE, description="numbers as reported")),
        "sources": _refs("source", "ids of every source the event rests on", min_items=1),
        "related": _refs("event", "ids of related events"),
    },
    description="one event: content/events/YYYY/YYYY-MM-DD-slug.yaml; its id is the file name",
)
EVENT.fields["sources"].required = True

PAGE = Record(
    "page front matter",
    {
        "title": Field(Text(description="the page's title", single_line=True), True),
        "description": Field(Text(description="one sentence for search engines and link previews")),
    },
    description="the front matter of a Markdown page in content/pages/",
)

REGISTRIES: dict[str, Registry] = {
    "episodes": Registry(EPISODE, "content/episodes.yaml: id -> episode"),
    "actors": Registry(ACTOR, "content/actors.yaml: id -> actor"),
    "places": Registry(PLACE, "content/places.yaml: id -> place"),
    "sources": Registry(SOURCE, "content/sources.yaml: id -> source"),
    "tags": Registry(TAG, "content/tags.yaml: id -> tag"),
}
REFERENCE_KINDS = {
    "episode": "episodes",
    "actor": "actors",
    "place": "places",
    "source": "sources",
    "tag": "tags",
    "event": "events",
}
ID = Identifier()
