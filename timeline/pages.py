"""Which pages the site has, where each lives and what each shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import is_
from typing import Any, TypeVar

from timeline.calendarday import CalendarDay, era_year, iso_year
from timeline.edtf import MONTHS
from timeline.exports import export_listing
from timeline.fields import ID_PATTERN
from timeline.model import Episode, Event, Source, Timeline


@dataclass(frozen=True)
class PageSpec:
    """One HTML page: its URL path below the site root, template and context."""

    path: str  # "" for the home page, "events/<id>/" for an event, "404.html" for the error page
    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    in_sitemap: bool = True
    uses_all_events: bool = False  # the template reads the whole timeline, not only the events in `context`
    depends_on: tuple[Event, ...] = ()  # events the page shows beyond those in `context` (in a chart, say)

    @property
    def output(self) -> str:
        return self.path if self.path.endswith(".html") else self.path + "index.html"

    @property
    def root(self) -> str:
        """Relative path from this page back to the site root."""
        return "../" * self.path.count("/")

    @property
    def about_one_event(self) -> bool:
        """An event's own page (most of a site's pages), rather than a page that lists events or the site."""
        return "event" in self.context


T = TypeVar("T")

SITE_FOLDERS = frozenset(
    {
        "actors",
        "charts",
        "compare",
        "data",
        "episodes",
        "events",
        "exports",
        "places",
        "search",
        "sources",
        "static",
        "tags",
        "timeline",
    }
)  # the folders at the site root that the site's own pages and files live in; a content page may not take one's name


def page_name_problem(name: str) -> tuple[str, str] | None:
    """Why a content page may not be called `name` (it becomes the folder `name/` at the site root), with a hint."""
    if not re.fullmatch(ID_PATTERN, name):
        return (
            f"the page name {name!r} is not an id: lowercase letters and digits, words joined by single hyphens",
            "rename the file, e.g. to about.md or our-sources.md",
        )
    if name in SITE_FOLDERS:
        return f"the page name {name!r} is taken by the site's own {name}/ folder", f"rename the file, e.g. to about-{name}.md"
    return None


HOME_PAGE_EVENTS = 300  # above this many events the home page previews each section and links a page per month
PREVIEW_EVENTS = 12


@dataclass(frozen=True)
class Month:
    """A page listing one month's events, for timelines too long for one page."""

    key: str  # 2022-07; -0043-03 for March 44 BCE
    label: str  # July 2022, March 44 BCE
    events: tuple[Event, ...]

    @property
    def path(self) -> str:
        return f"timeline/{self.key}/"


@dataclass(frozen=True)
class EpisodeSection:
    """A section of the home page: an episode, or the events outside the episodes before, between or after them.

    On a long timeline `events` is a preview and `months` links the pages that list the rest.
    """

    id: str
    title: str
    events: tuple[Event, ...]
    episode: Episode | None = None
    total: int = 0
    months: tuple[Month, ...] = ()
    where: str = ""  # for events outside the episodes: "before the first episode", ...


LIST_PAGE_EVENTS = 300  # an episode, actor, place or tag with more events lists them over several pages


@dataclass(frozen=True)
class Pager:
    """Which of the pages a long list of events is split over this one is."""

    number: int  # from 1
    count: int
    first_path: str  # e.g. "tags/attack/"; page n > 1 lives at "tags/attack/n/"
    total: int  # events in the whole list
    size: int  # events on each page but perhaps the last

    @property
    def first(self) -> int:
        """Position of this page's first event in the whole list, from 1."""
        return (self.number - 1) * self.size + 1

    @property
    def last(self) -> int:
        return min(self.number * self.size, self.total)

    def path_of(self, number: int) -> str:
        return self.first_path if number == 1 else f"{self.first_path}{number}/"

    @property
    def path(self) -> str:
        return self.path_of(self.number)


def list_pages(
    path: str,
    template: str,
    title: str,
    context: dict[str, Any],
    events: tuple[Event, ...],
    description: str = "",
    first_shows_all: bool = False,
) -> list[PageSpec]:
    """The page of one episode, actor, place or tag, or several when its events are too many for one.

    Each has `events` (its share of the list) and `pager` in its context; with `first_shows_all` the first
    page also shows something made of every event of the list (the episode chart)."""
    shares = [events[i : i + LIST_PAGE_EVENTS] for i in range(0, len(events), LIST_PAGE_EVENTS)] or [()]
    pages = []
    for number, share in enumerate(shares, start=1):
        pager = Pager(number, len(shares), path, len(events), LIST_PAGE_EVENTS)
        label = title if number == 1 else f"{title}, page {number} of {len(shares)}"
        depends_on = events if first_shows_all and number == 1 else ()
        page_context = {**context, "events": share, "pager": pager}
        pages.append(PageSpec(pager.path, template, label, page_context, description, depends_on=depends_on))
    return pages


SOURCES_PER_PAGE = 500  # the bibliography of a long timeline is split over pages of this many sources


def sources_in_order(timeline: Timeline) -> list[Source]:
    """The bibliography's order: by publisher, then by id (sorted once for the same registry: see _again)."""
    return _again("sources", "", (timeline.sources,), _sorted_sources, timeline.sources)


def _sorted_sources(sources: dict[str, Source]) -> list[Source]:
    return sorted(sources.values(), key=lambda s: (s.publisher, s.id))


def source_pages(timeline: Timeline) -> dict[str, str]:
    """The bibliography page each source is listed on, by source id ("sources/", "sources/2/", ...)."""
    return {
        source.id: "sources/" if index < SOURCES_PER_PAGE else f"sources/{index // SOURCES_PER_PAGE + 1}/"
        for index, source in enumerate(sources_in_order(timeline))
    }


def publisher_counts(timeline: Timeline) -> tuple[tuple[str, int, int], ...]:
    """The bibliography's overview: each publisher with its number of articles and of the events citing them.
    Publishers come in the order of their first source when sorted by publisher, then by id, each ignoring case
    (the order of Jinja's `sort` filter, which the sources page used to sort them with)."""
    by_id = sorted(timeline.sources.values(), key=lambda s: s.id.lower())
    by_publisher: dict[str, list[Source]] = {}
    for source in sorted(by_id, key=lambda s: s.publisher.lower()):
        by_publisher.setdefault(source.publisher, []).append(source)
    return tuple(
        (publisher, len(items), len({e.id for s in items for e in timeline.by_source.get(s.id, ())}))
        for publisher, items in by_publisher.items()
    )


def bibliography_pages(timeline: Timeline) -> list[PageSpec]:
    """The sources page, or several: the first has the overview by publisher, every one its share of sources.

    A share's page shows the events that cite its sources, and depends on those; the first page's overview
    counts every event. Each is made again only when its sources or their index entries are others (see _again)."""
    ordered = sources_in_order(timeline)
    shares = [ordered[i : i + SOURCES_PER_PAGE] for i in range(0, len(ordered), SOURCES_PER_PAGE)] or [[]]
    cited = [timeline.by_source.get(source.id, ()) for source in ordered]
    pages = []
    for number, share in enumerate(shares, start=1):
        start = (number - 1) * SOURCES_PER_PAGE
        shown = cited if number == 1 else cited[start : start + len(share)]  # the first page counts every event
        made_from = (timeline.sources, len(shares), *shown)
        pages.append(_again("sources", str(number), made_from, _bibliography_page, timeline, number, len(shares), share))
    return pages


def _bibliography_page(timeline: Timeline, number: int, count: int, share: list[Source]) -> PageSpec:
    pager = Pager(number, count, "sources/", len(timeline.sources), SOURCES_PER_PAGE)
    citing = {e.id: e for source in share for e in timeline.by_source.get(source.id, ())}
    context: dict[str, Any] = {"sources": tuple(share), "pager": pager, "citing": tuple(citing.values())}
    if number == 1:
        made_from = (timeline.sources, *(timeline.by_source.get(source.id, ()) for source in timeline.sources.values()))
        context["publishers"] = _again("sources", "publishers", made_from, publisher_counts, timeline)
    title = "Sources" if number == 1 else f"Sources, page {number} of {count}"
    description = "Every article the timeline rests on, and what cites it."
    return PageSpec(pager.path, "sources.html", title, context, description, uses_all_events=number == 1)


def month_key(day: CalendarDay) -> str:
    """The month of a day as the name of its page: 2022-07, -0043-03 (March 44 BCE)."""
    return f"{iso_year(day.year)}-{day.month:02d}"


def months_of(timeline: Timeline) -> list[Month]:
    """Every month that has events, in order, each listing its events by the month of their first day. On a
    timeline that begins before the common era the months of the common era say so: `January 1 CE`, which
    `January 1` alone would not."""
    by_month: dict[tuple[int, int], list[Event]] = {}
    for event in timeline.events:
        by_month.setdefault((event.date.first_day.year, event.date.first_day.month), []).append(event)
    mark_ce = any(year < 1 for year, _ in by_month)
    months = []
    for year, month in sorted(by_month):
        key, label = month_key(CalendarDay(year, month, 1)), f"{MONTHS[month - 1]} {era_year(year, mark_ce=mark_ce)}"
        old, events = _LAST["months"].get(key), by_month[(year, month)]
        same = old is not None and old.label == label and len(old.events) == len(events) and all(map(is_, old.events, events))
        months.append(old if same and old is not None else Month(key, label, tuple(events)))
    _LAST["months"] = {month.key: month for month in months}
    return months


def home_sections(timeline: Timeline, months: list[Month] | None = None) -> list[EpisodeSection]:
    """The episodes and, where they fall between them, the events outside every episode, in date order;
    previews with month links when `months` is given."""
    parts: list[tuple[CalendarDay, str, str, tuple[Event, ...], Episode | None, str]]
    parts = [(e.start.first_day, e.id, e.title, timeline.by_episode.get(e.id, ()), e, "") for e in timeline.episodes]
    parts += [(i.events[0].date.first_day, i.id, i.title, i.events, None, i.where) for i in timeline.interludes]
    parts.sort(key=lambda part: part[0])
    sections = []
    preview = max(1, min(PREVIEW_EVENTS, HOME_PAGE_EVENTS // max(1, len(parts))))  # many sections: fewer each
    for _, section_id, title, events, episode, where in parts:
        if months is None:
            sections.append(EpisodeSection(section_id, title, events, episode, len(events), where=where))
            continue
        keys = {
            month_key(CalendarDay(year, month, 1))
            for year, month in {(e.date.first_day.year, e.date.first_day.month) for e in events}
        }
        linked = tuple(m for m in months if m.key in keys)
        sections.append(EpisodeSection(section_id, title, events[:preview], episode, len(events), linked, where))
    return sections


def comparison_columns(timeline: Timeline) -> list[EpisodeSection]:
    """For the comparison page: the events of the comparison tag, one column per episode."""
    tagged = timeline.by_tag.get(timeline.site.comparison_tag or "", ())
    return [
        EpisodeSection(e.id, e.title, tuple(ev for ev in tagged if ev.episode == e), e)
        for e in timeline.episodes
        if any(ev.episode == e for ev in tagged)
    ]


def filter_options(timeline: Timeline, events: tuple[Event, ...]) -> dict[str, list[tuple[str, str]]]:
    """The values each home-page filter offers: (value, label), only values some of the listed events have."""
    from timeline.render import side_label
    from timeline.schema import CLAIM_STATUSES, SIDES

    if events is timeline.events:  # every event: its tags and actors are the indexes' keys
        used_tags, used_actors = set(timeline.by_tag), set(timeline.by_actor)
        used_sides = {timeline.actors[actor].side for actor in used_actors}  # all_actors: those involved and claiming
        used_status = _statuses(events, len(CLAIM_STATUSES))
    else:
        used_tags = {t.id for e in events for t in e.tags}
        used_actors = {a.id for e in events for a in e.all_actors}
        used_sides = {side for e in events for side in e.sides}
        used_status = {s for e in events for s in e.statuses}
    return {
        "tag": [(t.id, t.label) for t in timeline.tags.values() if t.id in used_tags],
        "actor": sorted(((a.id, a.name) for a in timeline.actors.values() if a.id in used_actors), key=lambda x: x[1]),
        "side": [(s, side_label(s)) for s in SIDES if s in used_sides],
        "status": [(s, s) for s in CLAIM_STATUSES if s in used_status],
    }


def _statuses(events: tuple[Event, ...], every: int) -> set[str]:
    """The claim statuses of `events`, looking no further once all `every` statuses are found."""
    found: set[str] = set()
    for event in events:
        if event.claims:
            found.update(event.statuses)
            if len(found) == every:
                break
    return found


_LAST: dict[str, dict[str, Any]] = {"months": {}, "events": {}, "lists": {}, "month pages": {}, "sources": {}}
"""The last plan's months and pages, with what each was made from (the same objects, never copies): `serve` plans
again after every edit from a model that shares its unchanged events, index entries and related events with the
last (see modelindex), and takes the pages made from the same objects as they were. A fresh model shares nothing
and makes every page; pagekeys then knows a page taken again by its identity."""


def _again(kind: str, key: str, made_from: tuple[Any, ...], make: Callable[..., T], *args: Any, **options: Any) -> T:
    """`make(*args, **options)`, or what it gave in the last plan for `key` when that was made from the same objects."""
    old = _LAST[kind].get(key)
    if old is not None and len(old[0]) == len(made_from) and all(map(is_, old[0], made_from)):
        made: T = old[1]
    else:
        made = make(*args, **options)
    _NEXT[kind][key] = (made_from, made)
    return made


def _month_page(month: Month, previous_month: Month | None, next_month: Month | None) -> PageSpec:
    context = {"month": month, "previous_month": previous_month, "next_month": next_month}
    return PageSpec(month.path, "month.html", month.label, context, f"Events of {month.label}.")


def _event_page(event: Event, related: tuple[Event, ...], previous_event: Event | None, next_event: Event | None) -> PageSpec:
    context = {"event": event, "related": related, "previous_event": previous_event, "next_event": next_event}
    return PageSpec(f"events/{event.id}/", "event.html", event.title, context)


_NEXT: dict[str, dict[str, Any]] = {"events": {}, "lists": {}, "month pages": {}, "sources": {}}  # made now, for the next


def _overview(path: str, template: str, title: str, description: str) -> PageSpec:
    """A page about the whole timeline: its template reads the timeline's indexes."""
    return PageSpec(path, template, title, {}, description, uses_all_events=True)


def plan_pages(timeline: Timeline) -> list[PageSpec]:
    """Every HTML page of the site, in a fixed order."""
    site = timeline.site
    months = months_of(timeline) if len(timeline.events) > HOME_PAGE_EVENTS else None
    sections = home_sections(timeline, months)
    listed = tuple(e for section in sections for e in section.events)
    pages = [
        PageSpec(
            "",
            "index.html",
            site.title,
            {"sections": sections, "filters": filter_options(timeline, listed), "listed": len(listed)},
            site.description,
            uses_all_events=True,
        ),
    ]
    for kind in _NEXT:
        _NEXT[kind] = {}
    for index, month in enumerate(months or []):
        previous_month = months[index - 1] if index else None  # type: ignore[index]
        next_month = months[index + 1] if index + 1 < len(months) else None  # type: ignore[arg-type,index]
        around = (month, previous_month, next_month)
        pages.append(_again("month pages", month.key, around, _month_page, *around))
    events = timeline.events
    for index, event in enumerate(events):
        previous_event = events[index - 1] if index else None
        next_event = events[index + 1] if index + 1 < len(events) else None
        shown = (event, timeline.related(event), previous_event, next_event)
        pages.append(_again("events", event.id, shown, _event_page, *shown))
    pages.append(_overview("episodes/", "episodes.html", "Episodes", "The episodes the timeline covers."))
    for episode in timeline.episodes:
        path, events = f"episodes/{episode.id}/", timeline.by_episode.get(episode.id, ())
        context: dict[str, Any] = {"episode": episode}
        pages += _again(
            "lists",
            path,
            (episode, events),
            list_pages,
            path,
            "episode.html",
            episode.title,
            context,
            events,
            first_shows_all=True,
        )
    pages.append(_overview("actors/", "actors.html", "Actors", "Everyone who acts or speaks in the timeline."))
    for actor in timeline.actors.values():
        path, events = f"actors/{actor.id}/", timeline.by_actor.get(actor.id, ())
        pages += _again(
            "lists", path, (actor, events), list_pages, path, "actor.html", actor.name, {"actor": actor}, events, actor.role
        )
    pages.append(_overview("places/", "places.html", "Places", "The places the timeline mentions."))
    for place in timeline.places.values():
        path, events = f"places/{place.id}/", timeline.by_place.get(place.id, ())
        pages += _again("lists", path, (place, events), list_pages, path, "place.html", place.name, {"place": place}, events)
    pages.append(_overview("tags/", "tags.html", "Tags", "The tags events are filed under."))
    for tag in timeline.tags.values():
        path, events = f"tags/{tag.id}/", timeline.by_tag.get(tag.id, ())
        pages += _again(
            "lists", path, (tag, events), list_pages, path, "tag.html", tag.label, {"tag": tag}, events, tag.description
        )
    pages += bibliography_pages(timeline)
    _LAST.update(_NEXT)
    search = {"filters": filter_options(timeline, timeline.events), "months": months or []}
    pages.append(PageSpec("search/", "search.html", "Search", search, "Search every event.", uses_all_events=True))
    pages.append(_overview("charts/", "charts.html", "Charts", "The timeline in charts, each with its data as a table."))
    if site.comparison_tag:
        pages.append(
            PageSpec(
                "compare/",
                "compare.html",
                site.comparison_title,
                {"columns": comparison_columns(timeline)},
                site.description,
                uses_all_events=True,
            )
        )
    for page in timeline.pages.values():
        pages.append(PageSpec(f"{page.name}/", "page.html", page.title, {"content_page": page}, page.description))
    data = "The timeline's data to take away: TimelineJS, spreadsheet, calendar, map, feeds and the full export."
    pages.append(PageSpec("exports/", "data.html", "Data", {"exports": export_listing(timeline)}, data))
    pages.append(PageSpec("404.html", "404.html", "Page not found", {}, in_sitemap=False))
    return pages
