"""The Jinja2 environment: templates, filters and safe JSON embedding."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from timeline import __version__
from timeline.edtf import span_words
from timeline.files import files_under
from timeline.markdown import plain_text, render_inline, render_markdown
from timeline.schema import CLAIM_STATUSES, SIDES
from timeline.templatecache import kept_templates
from timeline.templatecode import TemplateEnvironment
from timeline.theme import template_folders

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dump_json(value: Any, indent: int | None = None) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=separators, indent=indent, default=str)


def _html_safe_json(text: str) -> str:
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def json_for_html(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: nothing in it can close the element."""
    return Markup(_html_safe_json(dump_json(value)))


def ld_date(point: Any) -> str:
    """A date for schema.org: the ISO 8601 form of an EDTF point at its own precision (2022, 2022-07, 2022-07-03),
    without EDTF's ~ ? % qualifiers."""
    return str(point).rstrip("~?%")


def ld_citation(source: Any) -> dict[str, Any]:
    """A source as schema.org data: an item of an event's `citation`."""
    item = {
        "@type": "NewsArticle",
        "headline": source.title,
        "publisher": {"@type": "Organization", "name": source.publisher},
        "datePublished": ld_date(source.published.start),
        "inLanguage": source.language,
    }
    if source.url:
        item["url"] = source.url
    if source.archive_url:
        item["archivedAt"] = source.archive_url
    return item


def event_json_ld(event: Any, url: str, citations: Any = None) -> dict[str, Any]:
    """An event as schema.org data, for search engines and link previews (event.html puts it in its head);
    `citations` stands in for the list of its sources' `ld_citation` when given."""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": ld_date(event.date.start),
        "description": plain_text(event.summary),
        "url": url,
        "citation": [ld_citation(s) for s in event.sources] if citations is None else citations,
    }
    if event.date.end:
        data["endDate"] = ld_date(event.date.end)
    if event.places:
        data["location"] = [
            {"@type": "Place", "name": p.name}
            | (
                {"geo": {"@type": "GeoCoordinates", "latitude": p.latitude, "longitude": p.longitude}}
                if p.latitude is not None
                else {}
            )
            for p in event.places
        ]
    return data


_CITATIONS = "\0citations\0"  # stands in for an event's citations in its JSON-LD: its JSON is "\u0000citations\u0000"
_CITATIONS_JSON = dump_json(_CITATIONS)


def ids(items: Any) -> str:
    """The ids of model objects, space-separated: `e.tags|ids`."""
    return " ".join(item.id for item in items)


def side_label(side: str) -> str:
    return {"united-states": "United States", "nato": "NATO"}.get(side, side.replace("-", " ").title())


class Fragments:
    """Rendered pieces reused across pages: an event's list item appears on half a dozen pages, a source is cited by
    many events. Each piece is a macro of _macros.html, rendered once for each thing it shows and each `root`.

    Pieces are kept between builds too (see `_KEPT`), when the build can tell its content from another's: under its
    `generation` (a digest of the shared content, the templates and the site-wide globals), an event's pieces by its
    id and its file's digest. After an edit only the edited event's pieces are made again. A piece may read its
    arguments, `root`, the shared content (site, registries, pages) and the site-wide globals; never other events,
    charts or maps (the theme's macros read none of these).

    At most MAX_PIECES are kept (or PIECES_PER_EVENT for each event of a larger timeline), so that a worker's
    memory stays bounded however many pages it renders (starting fresh workers instead would copy the model's
    memory again, and render every piece again, each time)."""

    MAX_PIECES = 20_000
    PIECES_PER_EVENT = 3

    def __init__(self, env: Environment, generation: str = "", events: int = 0) -> None:
        self.env = env
        self.pieces: dict[tuple[Any, ...], Markup] = _kept_pieces(generation) if generation else {}
        self.limit = max(self.MAX_PIECES, self.PIECES_PER_EVENT * events)
        self.unknown = uuid.uuid4().hex  # stands in for the digest of an event that has none: known in this build only
        self.dates: dict[int, tuple[Any, tuple[type, str]]] = {}  # id(date) -> (date, its key): see _date_key
        self.modules: dict[str, Any] = {}

    def macros(self, root: str) -> Any:
        """_macros.html for pages at `root`, made once: `{% set m = fragments.macros(root) %}`."""
        if root not in self.modules:
            self.modules[root] = self.env.get_template("_macros.html").make_module({"root": root})
        return self.modules[root]

    def event_item(self, event: Any, heading: int, root: str) -> Markup:
        """An event in a timeline list: macro event_item."""
        key = ("event_item", event.id, event.digest or self.unknown, heading, root)
        return self._piece(key, root, "event_item", event, heading)

    def event_items(self, events: Any, heading: int, root: str) -> Markup:
        """A list's events, each an event_item followed by a line break: one call for a list of hundreds."""
        items = [self.event_item(event, heading, root) for event in events]
        return Markup("\n".join(items) + "\n" if items else "")

    def event_link(self, event: Any, root: str) -> Markup:
        """An event in a compact list: macro event_link."""
        return self._piece(("event_link", event.id, event.digest or self.unknown, root), root, "event_link", event)

    def event_links(self, events: Any, root: str) -> Markup:
        """A compact list's events, each an event_link followed by a line break: macro event_links in one call."""
        return Markup("".join([self.event_link(event, root) + "\n" for event in events]))

    def citation(self, source: Any, root: str) -> Markup:
        """A source cited in full, with its note: macro citation."""
        return self._piece(("citation", source.id, root), root, "citation", source)

    def source_entry(self, source: Any, path: str, root: str) -> Markup:
        """A source's entry in the bibliography page at `path`: macro source_entry. It lists the events citing the
        source, and is known by their ids and digests."""
        timeline: Any = self.env.globals["timeline"]
        citing = timeline.by_source.get(source.id, ())
        unknown = self.unknown
        cited = tuple([(event.id, event.digest or unknown) for event in citing])
        return self._piece(("source_entry", source.id, path, root, cited), root, "source_entry", source, path)

    def status_badge(self, status: str, root: str) -> Markup:
        """A claim status as a badge: macro status_badge."""
        return self._piece(("status_badge", status, root), root, "status_badge", status)

    def source_ref(self, source: Any, root: str) -> Markup:
        """A short reference to a source: macro source_ref."""
        return self._piece(("source_ref", source.id, root), root, "source_ref", source)

    def actor_link(self, actor: Any, root: str) -> Markup:
        """An actor's name, linked to their page: macro actor_link."""
        return self._piece(("actor_link", actor.id, root), root, "actor_link", actor)

    def date(self, d: Any, note: str, root: str) -> Markup:
        """A date in words with its note: macro date. Many events share a day."""
        return self._piece(("date", self._date_key(d), note, root), root, "date", d, note)

    def when(self, d: Any, root: str) -> Markup:
        """A date in words: macro when. Claims and sources share days with events."""
        return self._piece(("when", self._date_key(d), root), root, "when", d)

    def _date_key(self, d: Any) -> tuple[type, str]:
        """What a date is known by among the pieces: its kind and EDTF text, worked out once for each date object
        (a date is a frozen dataclass, which would hash and compare its fields in Python at every look-up)."""
        known = self.dates.get(id(d))
        if known is None or known[0] is not d:
            known = self.dates[id(d)] = (d, (type(d), str(d)))
        return known[1]

    def event_json_ld(self, event: Any, url: str) -> Markup:
        """`event_json_ld(event, url)|json_for_html`, with each source's citation made once: a source is cited by many
        events. Keys are sorted, so `citation` is the first key whose value is not always the same: the stand-in
        replaced is that one."""
        citations = []
        for source in event.sources:
            key = ("ld_citation", source.id)
            citation = self.pieces.get(key)
            if citation is None:
                citation = self._keep(key, Markup(_html_safe_json(dump_json(ld_citation(source)))))
            citations.append(citation)
        text = _html_safe_json(dump_json(event_json_ld(event, url, _CITATIONS)))
        return Markup(text.replace(_CITATIONS_JSON, "[" + ",".join(citations) + "]", 1))

    def site_header(self, nav: list[tuple[str, str]], path: str, home: str, root: str) -> Markup:
        """base.html's header: macro site_header, with each nav entry marked as this page, its section, or neither."""
        items = tuple((p, label, "page" if path == p else "section" if p and path.startswith(p) else "") for p, label in nav)
        return self._piece(("site_header", root, home, not path, items), root, "site_header", items, home, not path)

    def site_footer(self, home: str, root: str) -> Markup:
        """base.html's footer: macro site_footer."""
        return self._piece(("site_footer", root, home), root, "site_footer", home)

    def _piece(self, key: tuple[Any, ...], root: str, macro: str, *args: Any) -> Markup:
        piece = self.pieces.get(key)
        if piece is None:
            piece = self._keep(key, Markup(getattr(self.macros(root), macro)(*args)))
        return piece

    def in_worker(self) -> None:
        """This is a render worker's copy: what it makes dies with it, so it keeps at most MAX_PIECES more than it
        started with, however large the timeline (a worker renders most of the pages: its memory counts most)."""
        self.limit = len(self.pieces) + self.MAX_PIECES

    def _keep(self, key: tuple[Any, ...], piece: Markup) -> Markup:
        if len(self.pieces) >= self.limit:
            self.pieces.clear()  # start again: the pages of one list come together, so few pieces are made twice
            self.dates.clear()
        self.pieces[key] = piece
        return piece


FORMAT = 1  # of the kept pieces: a change to what a piece holds, or to how it is keyed, must change this
_KEPT: dict[str, Any] = {"generation": "", "pieces": {}}
"""The pieces kept between builds (`serve` builds again and again in one process), for one generation."""
_SITE_WIDE = ("source_pages", "assets", "plotly_style_ids")  # globals beyond the timeline that a piece may read


def _kept_pieces(generation: str) -> dict[tuple[Any, ...], Markup]:
    """The pieces kept for `generation`; those of any other are forgotten."""
    if generation != _KEPT["generation"]:
        _KEPT["generation"], _KEPT["pieces"] = generation, {}
    pieces: dict[tuple[Any, ...], Markup] = _KEPT["pieces"]
    return pieces


def generation(folders: list[Path], globals_: dict[str, Any]) -> str:
    """What every piece depends on beyond its own arguments, as one digest: the code's version, every template in
    `folders` (static files are in the site-wide `assets` by their digests), the shared content and the site-wide
    globals. "" when the timeline cannot tell its content from another's (a model made in code has no shared
    digest): its pieces are kept for one build only."""
    shared = getattr(globals_.get("timeline"), "shared_digest", "")
    if not shared:
        return ""
    hasher = hashlib.sha256(f"{FORMAT}|{__version__}|{jinja2.__version__}|{shared}\0".encode())
    for number, folder in enumerate(folders):
        static = os.path.join(folder, "static", "")
        for path in files_under(folder):
            if not path.startswith(static):
                hasher.update(f"{number}:{os.path.relpath(path, folder)}\0".encode())
                try:
                    hasher.update(Path(path).read_bytes())
                except OSError:  # gone while it was read (an editor's file): this build keeps its pieces to itself
                    return ""
    hasher.update(dump_json([globals_.get(name) for name in _SITE_WIDE]).encode())
    return hasher.hexdigest()


def kept_state() -> dict[Any, Any]:
    """The pieces kept, as picklable plain data for `restore_state`: a flat dict, each piece under its key."""
    return {"format": FORMAT, "version": __version__, "generation": _KEPT["generation"], **_KEPT["pieces"]}


def restore_state(state: object) -> None:
    """Take back the pieces `kept_state` gave; anything else (another format or version, damaged data) keeps none."""
    generation: object = ""
    pieces: dict[tuple[Any, ...], Markup] = {}
    if isinstance(state, dict) and state.get("format") == FORMAT and state.get("version") == __version__:
        generation = state.get("generation")
        pieces = {key: piece for key, piece in state.items() if type(key) is tuple and type(piece) is Markup}
    if not isinstance(generation, str) or not generation:
        generation, pieces = "", {}
    _KEPT["generation"], _KEPT["pieces"] = generation, pieces


def make_environment(templates: Path, globals_: dict[str, Any] | None = None) -> Environment:
    """Templates come from the project's `templates` folder first, then from the packaged theme."""
    folders = template_folders(templates)
    env = TemplateEnvironment(
        loader=FileSystemLoader([str(folder) for folder in folders]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to look at each template file again for every page
        bytecode_cache=kept_templates(),
    )
    env.filters.update(
        markdown=render_markdown,
        markdown_inline=render_inline,
        plain=plain_text,
        json_for_html=json_for_html,
        side_label=side_label,
        ids=ids,
    )
    env.globals.update(
        CLAIM_STATUSES=CLAIM_STATUSES, SIDES=SIDES, event_json_ld=event_json_ld, span_words=span_words, **(globals_ or {})
    )
    timeline = env.globals.get("timeline")
    events = len(getattr(timeline, "events", ()))
    env.globals["fragments"] = Fragments(env, generation(folders, env.globals), events)
    return env
