"""Checks that look across files: references, episodes, sources, Markdown links."""

from __future__ import annotations

from typing import Any

from timeline.attribution import check_attribution
from timeline.content import RawContent
from timeline.diagnostics import Diagnostics
from timeline.fields import TextOrigin
from timeline.fields.suggest import Suggester
from timeline.markdown import inspect_markdown
from timeline.schema import REFERENCE_KINDS

_KIND_NAMES = {"events": "event", "episodes": "episode", "actors": "actor", "places": "place", "tags": "tag"}


def known_ids(raw: RawContent, kind: str) -> set[str]:
    """Ids of one kind ("events", "actors", ...): every event file counts, even one that failed to load."""
    if kind == "events":
        return {key[7:] for key in raw.paths if key.startswith("events/")}
    return set(raw.registries.get(kind, {}))


def validate(raw: RawContent, diagnostics: Diagnostics) -> None:
    """Report every cross-file problem; adds to `diagnostics`, never stops early."""
    ids = {kind: known_ids(raw, registry) for kind, registry in REFERENCE_KINDS.items()}
    suggest = Suggester()
    _check_references(raw, ids, suggest, diagnostics)
    _check_republishing(raw, diagnostics)
    spans = _episode_spans(raw.registries.get("episodes", {}))
    for event_id, event in raw.events.items():
        _check_event(event_id, event, raw, spans, diagnostics)
    _check_all_markdown(raw, ids, suggest, diagnostics)
    check_attribution(raw, diagnostics)
    _warn_unused(raw, diagnostics)
    _warn_imported_only(raw, diagnostics)


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


def _check_all_markdown(raw: RawContent, ids: dict[str, set[str]], suggest: Suggester, diagnostics: Diagnostics) -> None:
    for event_id, event in raw.events.items():
        if "summary" in event:
            _check_markdown(event["summary"], raw.paths[f"events/{event_id}"], "summary", raw, ids, suggest, diagnostics)
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
) -> None:
    origin = raw.text_origins.get(path, {}).get(where) or TextOrigin(*(start or (1, 1)), 1)

    def position(offset: int, offset_column: int) -> tuple[int, int]:
        return origin.locate(text, offset, offset_column)

    found = raw.findings.get(path, {}).get(where)
    problems, links = found if found is not None else inspect_markdown(text)
    for problem in problems:
        diagnostics.error(path, *position(problem.line, problem.column), problem.message, problem.hint, where)
    for link in links:
        known = ids[_KIND_NAMES[link.kind]]
        if link.target not in known:
            guess = suggest(_KIND_NAMES[link.kind], link.target, known, path)
            hint = f"did you mean '/{link.kind}/{guess}/'?" if guess else f"check the {_KIND_NAMES[link.kind]} id"
            message = f"the link to /{link.kind}/{link.target}/ leads nowhere: no such {_KIND_NAMES[link.kind]}"
            diagnostics.error(path, *position(link.line, link.column), message, hint, where)


def _warn_unused(raw: RawContent, diagnostics: Diagnostics) -> None:
    """Registry entries nothing refers to: often a typo elsewhere, or something left behind."""
    if raw.unreadable:
        return  # a file that could not be read may be what uses them
    used = {(ref.kind, ref.value) for ref in raw.references}
    for registry, kind in (("sources", "source"), ("tags", "tag"), ("actors", "actor"), ("places", "place")):
        path = raw.paths.get(registry, "")
        for entry_id in raw.registries.get(registry, {}):
            if diagnostics.full(path, "warning"):
                break  # no more would be shown; working out their positions would only cost time
            if (kind, entry_id) not in used:
                line, column = raw.position(path, entry_id)
                diagnostics.warning(
                    path, line, column, f"the {kind} '{entry_id}' is not used by any event", "use it, or remove it", entry_id
                )


def _warn_imported_only(raw: RawContent, diagnostics: Diagnostics) -> None:
    """Events whose every source is an imported file: they still need the articles they rest on."""
    sources = raw.registries.get("sources", {})
    for event_id, event in raw.events.items():
        cited = event.get("sources", [])
        if cited and all(sources.get(s, {}).get("imported_from") for s in cited):
            path = raw.paths[f"events/{event_id}"]
            files = ", ".join(sorted({sources[s]["imported_from"] for s in cited}))
            diagnostics.warning(
                path,
                *raw.position(path, "sources"),
                f"the event rests only on the imported file {files}",
                "add the articles it rests on to content/sources.yaml and list them in `sources`",
                "sources",
            )
