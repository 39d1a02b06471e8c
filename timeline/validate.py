"""Checks that look across files: references, episodes, sources, Markdown links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from timeline.attribution import PublisherIndex, check_event_attribution, publisher_index
from timeline.checkmemo import EventMemo, changed_files, keep, slot
from timeline.content import RawContent
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.fields import TextOrigin
from timeline.fields.suggest import Suggester
from timeline.markdown import inspect_markdown
from timeline.schema import REFERENCE_KINDS
from timeline.uses import UseCounts, count_uses

_KIND_NAMES = {"events": "event", "episodes": "episode", "actors": "actor", "places": "place", "tags": "tag"}


def known_ids(raw: RawContent, kind: str) -> set[str]:
    """Ids of one kind ("events", "actors", ...): every event file counts, even one that failed to load."""
    if kind == "events":
        return {key[7:] for key in raw.paths if key.startswith("events/")}
    return set(raw.registries.get(kind, {}))


def validate(raw: RawContent, diagnostics: Diagnostics) -> None:
    """Report every cross-file problem; adds to `diagnostics`, never stops early.

    What each event's checks found is remembered (see checkmemo): after an edit only the events that changed, or
    whose checks read something that changed, are checked again. The diagnostics, and their order, are those of
    checking everything afresh."""
    ids = {kind: known_ids(raw, registry) for kind, registry in REFERENCE_KINDS.items()}
    suggest = Suggester()
    changed = changed_files(raw.digests)
    uses = count_uses(raw, changed)
    if _any_unknown(raw, ids, uses):
        _check_references(raw, ids, suggest, diagnostics)
    _check_republishing(raw, diagnostics)
    found = _check_events(raw, ids, suggest, changed)
    diagnostics.extend(found.events)
    diagnostics.extend(found.markdown)
    _check_other_markdown(raw, ids, suggest, diagnostics)
    diagnostics.extend(found.attribution)
    _warn_unused(raw, uses, diagnostics)
    diagnostics.extend(found.imported_only)


class _Record(Diagnostics):
    """Keeps every diagnostic, uncapped: the cap is applied when they are added to the run's diagnostics."""

    def __init__(self) -> None:  # one or four for each event checked: no counts, which are not used
        self.items = []

    def add(self, item: Diagnostic) -> None:
        self.items.append(item)


def _any_unknown(raw: RawContent, ids: dict[str, set[str]], uses: UseCounts) -> bool:
    """Whether any reference is to an id that does not exist (in a registry that could be read)."""
    return any(
        REFERENCE_KINDS[kind] not in raw.unreadable and not uses.used(kind).keys() <= ids[kind] for kind in REFERENCE_KINDS
    )


def _check_references(raw: RawContent, ids: dict[str, set[str]], suggest: Suggester, diagnostics: Diagnostics) -> None:
    for ref in raw.references:
        if ref.value in ids[ref.kind] or REFERENCE_KINDS[ref.kind] in raw.unreadable:
            continue  # known, or its registry could not be read (already reported)
        guess = suggest(ref.kind, ref.value, ids[ref.kind], ref.path)
        where = "content/events/" if ref.kind == "event" else f"content/{REFERENCE_KINDS[ref.kind]}.yaml"
        hint = f"did you mean '{guess}'?" if guess else f"add '{ref.value}' to {where} first, or fix the id"
        diagnostics.error(ref.path, ref.line, ref.column, f"unknown {ref.kind} '{ref.value}'", hint, ref.field)


def _check_republishing(raw: RawContent, diagnostics: Diagnostics) -> None:
    sources = raw.registries.get("sources", {})
    path = raw.paths.get("sources", "content/sources.yaml")
    for source_id in sorted(sources):
        seen = [source_id]
        current = sources[source_id].get("republishes")
        while current in sources and current not in seen:
            seen.append(current)
            current = sources[current].get("republishes")
        if current in seen:
            line, column = raw.position(path, f"{source_id}.republishes")
            chain = " -> ".join([*seen, current])
            diagnostics.error(
                path,
                line,
                column,
                f"'republishes' goes round in a circle: {chain}",
                "an original source has no `republishes`",
                f"{source_id}.republishes",
            )


def _episode_spans(episodes: dict[str, dict[str, Any]]) -> list[tuple[str, Any, Any]]:
    """(id, first day, last day) of every episode with both ends, by id."""
    return [
        (episode_id, episode["start"].first_day, episode["end"].last_day)
        for episode_id, episode in sorted(episodes.items())
        if "start" in episode and "end" in episode
    ]


def _episode_containing(event: dict[str, Any], spans: list[tuple[str, Any, Any]]) -> list[str]:
    date = event["date"]
    first, last = date.first_day, date.last_day
    return [episode_id for episode_id, start, end in spans if start <= first and last <= end]


def _check_event(
    event_id: str, event: dict[str, Any], raw: RawContent, spans: list[tuple[str, Any, Any]], diagnostics: Diagnostics
) -> None:
    path = raw.paths[f"events/{event_id}"]
    listed = set(event.get("sources", []))
    used = [
        (f"claims[{i}].sources[{j}].source", ref["source"])
        for i, claim in enumerate(event.get("claims", []))
        for j, ref in enumerate(claim.get("sources", []))
        if "source" in ref
    ]
    used += [(f"figures[{i}].source", fig["source"]) for i, fig in enumerate(event.get("figures", [])) if "source" in fig]
    for where, source_id in used:
        if source_id not in listed and source_id in raw.registries.get("sources", {}):
            line, column = raw.position(path, where)
            diagnostics.error(
                path,
                line,
                column,
                f"'{source_id}' is cited here but not listed in the event's `sources`",
                f"add {source_id} to `sources:`",
                where,
            )
    for index, related in enumerate(event.get("related", [])):
        if related == event_id:
            line, column = raw.position(path, f"related[{index}]")
            diagnostics.error(
                path, line, column, "the event lists itself as related", "remove it from `related`", f"related[{index}]"
            )
    if "date" not in event:
        return
    episodes = raw.registries.get("episodes", {})
    containing = _episode_containing(event, spans)
    if "episode" not in event and len(containing) > 1:
        line, column = raw.position(path, "date")
        diagnostics.error(
            path,
            line,
            column,
            f"the date falls inside several episodes: {', '.join(containing)}",
            "say which with `episode:`",
            "date",
        )
    episode = episodes.get(event.get("episode", ""))
    if episode and "start" in episode and "end" in episode and event.get("episode") not in containing:
        line, column = raw.position(path, "episode")
        diagnostics.error(
            path,
            line,
            column,
            f"the date {event['date']} is outside episode '{event['episode']}' ({episode['start']} to {episode['end']})",
            "correct the date or the episode, or widen the episode in content/episodes.yaml",
            "episode",
        )


@dataclass
class _Found:
    """What the checks of every event found, check by check, in the order of the events."""

    events: list[Diagnostic] = field(default_factory=list)
    markdown: list[Diagnostic] = field(default_factory=list)
    attribution: list[Diagnostic] = field(default_factory=list)
    imported_only: list[Diagnostic] = field(default_factory=list)


_NOTHING: tuple[tuple[Diagnostic, ...], ...] = ((), (), ())
_NO_MARKDOWN: tuple[tuple[Diagnostic, ...], frozenset[str]] = ((), frozenset())


def _context(raw: RawContent, registries: tuple[str, ...]) -> tuple[str, ...]:
    """What checks that read `registries` were made against: their files' digests, and which could not be read."""
    return tuple(f"{raw.digests.get(raw.paths.get(name, ''), '')}|{name in raw.unreadable}" for name in registries)


def _check_events(
    raw: RawContent, ids: dict[str, set[str]], suggest: Suggester, changed: tuple[set[str], set[str]] | None
) -> _Found:
    """The checks of each event on its own: of its sources and episode, its summary's Markdown, what it attributes
    to publishers, whether it rests on imported files only; each remembered (see checkmemo)."""
    per_event = EventMemo("event", _context(raw, ("sources", "episodes")), changed)
    markdown = EventMemo("markdown", _context(raw, ("episodes", "actors", "places", "tags")), changed)
    spans = _episode_spans(raw.registries.get("episodes", {}))
    index = _publisher_index(raw)
    stale = per_event.stale(raw.events, raw.paths, raw.digests)
    for event_id in _in_order(raw.events, stale):
        path = raw.paths[f"events/{event_id}"]
        checked = _check_one_event(event_id, raw.events[event_id], path, raw, spans, index)
        per_event.put(event_id, path, raw.digests.get(path, ""), checked, checked is _NOTHING)
    stale = markdown.stale(raw.events, raw.paths, raw.digests) | _linking(markdown, _moved_events(ids["event"]))
    for event_id in _in_order(raw.events, stale):  # suggestions are made in this order
        path, event = raw.paths[f"events/{event_id}"], raw.events[event_id]
        record, targets = _Record(), set[str]()
        known = "summary" not in event or _check_markdown(
            event["summary"], path, "summary", raw, ids, suggest, record, targets=targets
        )
        linked = (tuple(record.items), frozenset(targets)) if record.items or targets else _NO_MARKDOWN
        markdown.put(event_id, path, raw.digests.get(path, ""), linked, not record.items, remember=known)
    found = _Found()
    reported = per_event.found | markdown.found
    for event_id in _in_order(raw.events, reported):
        if event_id in per_event.found:
            checked = per_event.result(event_id)
            found.events.extend(checked[0])
            found.attribution.extend(checked[1])
            found.imported_only.extend(checked[2])
        if event_id in markdown.found:
            found.markdown.extend(markdown.result(event_id)[0])
    per_event.done()
    markdown.done()
    return found


def _in_order(events: dict[str, Any], chosen: set[str]) -> Iterable[str]:
    """The `chosen` event ids, in the order of `events`."""
    if len(chosen) <= 1:
        return chosen  # the usual case after an edit: no need to go through every event
    return [event_id for event_id in events if event_id in chosen]


def _publisher_index(raw: RawContent) -> PublisherIndex | None:
    """The publisher index of `raw`'s sources, made again only when the sources changed."""
    context = _context(raw, ("sources",))
    kept = slot("publisher index")
    if kept is None or kept[0] != context:
        kept = (context, publisher_index(raw))
        keep("publisher index", kept)
    return kept[1]  # type: ignore[no-any-return]


def _moved_events(event_ids: set[str]) -> set[str]:
    """Event ids that came or went since the last run: the links to them may have changed meaning."""
    before = slot("event ids")
    keep("event ids", event_ids)
    return set(event_ids) if before is None else set(before ^ event_ids)  # copied: `^` leaves a big sparse table


def _linking(memo: EventMemo, targets: set[str]) -> set[str]:
    """The events whose kept Markdown links to one of `targets`."""
    if not targets:
        return set()
    return {event_id for event_id, (_, _, linked) in memo.entries.items() if not linked[1].isdisjoint(targets)}


def _check_one_event(
    event_id: str,
    event: dict[str, Any],
    path: str,
    raw: RawContent,
    spans: list[tuple[str, Any, Any]],
    index: PublisherIndex | None,
) -> tuple[tuple[Diagnostic, ...], ...]:
    """(its sources and episode, its attributions, its imported-only sources) of one event."""
    records = _Record(), _Record(), _Record()
    _check_event(event_id, event, raw, spans, records[0])
    if index is not None:
        check_event_attribution(event, path, raw, index, records[1])
    _warn_imported_only(event, path, raw, records[2])
    if not any(record.items for record in records):
        return _NOTHING
    return tuple(tuple(record.items) for record in records)


def _check_other_markdown(raw: RawContent, ids: dict[str, set[str]], suggest: Suggester, diagnostics: Diagnostics) -> None:
    """The Markdown of the episodes' summaries, the comparison's introduction and the pages."""
    for episode_id, episode in raw.registries.get("episodes", {}).items():
        if "summary" in episode:
            _check_markdown(episode["summary"], raw.paths["episodes"], f"{episode_id}.summary", raw, ids, suggest, diagnostics)
    if "intro" in raw.site.get("comparison", {}):
        _check_markdown(raw.site["comparison"]["intro"], raw.paths["site"], "comparison.intro", raw, ids, suggest, diagnostics)
    for page in raw.pages.values():
        _check_markdown(page.body, page.path, "", raw, ids, suggest, diagnostics, start=(page.body_line, 1))


def _check_markdown(
    text: str,
    path: str,
    where: str,
    raw: RawContent,
    ids: dict[str, set[str]],
    suggest: Suggester,
    diagnostics: Diagnostics,
    start: tuple[int, int] | None = None,
    targets: set[str] | None = None,
) -> bool:
    """Report the Markdown's problems and its links to nothing; add the events it links to to `targets`. Whether
    every link leads somewhere."""
    origin = raw.text_origins.get(path, {}).get(where) or TextOrigin(*(start or (1, 1)), 1)

    def position(offset: int, offset_column: int) -> tuple[int, int]:
        return origin.locate(text, offset, offset_column)

    found = raw.findings.get(path, {}).get(where)
    problems, links = found if found is not None else inspect_markdown(text)
    for problem in problems:
        diagnostics.error(path, *position(problem.line, problem.column), problem.message, problem.hint, where)
    every = True
    for link in links:
        known = ids[_KIND_NAMES[link.kind]]
        if targets is not None and link.kind == "events":
            targets.add(link.target)
        if link.target not in known:
            every = False
            guess = suggest(_KIND_NAMES[link.kind], link.target, known, path)
            hint = f"did you mean '/{link.kind}/{guess}/'?" if guess else f"check the {_KIND_NAMES[link.kind]} id"
            message = f"the link to /{link.kind}/{link.target}/ leads nowhere: no such {_KIND_NAMES[link.kind]}"
            diagnostics.error(path, *position(link.line, link.column), message, hint, where)
    return every


def _warn_unused(raw: RawContent, uses: UseCounts, diagnostics: Diagnostics) -> None:
    """Registry entries nothing refers to: often a typo elsewhere, or something left behind."""
    if raw.unreadable:
        return  # a file that could not be read may be what uses them
    for registry, kind in (("sources", "source"), ("tags", "tag"), ("actors", "actor"), ("places", "place")):
        path = raw.paths.get(registry, "")
        entries = raw.registries.get(registry, {})
        used = uses.used(kind)
        if entries.keys() <= used.keys():
            continue  # all used: the usual case, told without looking at the entries one by one
        for entry_id in entries:
            if diagnostics.full(path, "warning"):
                break  # no more would be shown; working out their positions would only cost time
            if entry_id not in used:
                line, column = raw.position(path, entry_id)
                diagnostics.warning(
                    path, line, column, f"the {kind} '{entry_id}' is not used by any event", "use it, or remove it", entry_id
                )


def _warn_imported_only(event: dict[str, Any], path: str, raw: RawContent, diagnostics: Diagnostics) -> None:
    """An event whose every source is an imported file: it still needs the articles it rests on."""
    sources = raw.registries.get("sources", {})
    cited = event.get("sources", [])
    if cited and all(sources.get(s, {}).get("imported_from") for s in cited):
        files = ", ".join(sorted({sources[s]["imported_from"] for s in cited}))
        diagnostics.warning(
            path,
            *raw.position(path, "sources"),
            f"the event rests only on the imported file {files}",
            "add the articles it rests on to content/sources.yaml and list them in `sources`",
            "sources",
        )
