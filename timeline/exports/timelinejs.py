"""exports/timelinejs.json: the timeline as TimelineJS3 JSON, which TimelineJS opens as it is.

The format (NUKnightLab/TimelineJS3, website/docs/json-format.njk): a `title` slide, `events` (slides),
`eras` and `scale`. Here:

- one slide per event, `unique_id` the event's id;
- `start_date` (and `end_date` for an interval) as date objects at the date's own precision: a month
  date gives `{year, month}`, which TimelineJS shows as a month;
- a slide `display_date` whenever the date objects alone would say less than the site does: a date
  with a qualifier (`~`, `?`, `%`) reads `about July 2022 (2022-07~)`, the EDTF string in brackets
  at the end so that it can be read back; a date note follows after a comma (`3 July 2022, evening`);
- `text.headline` the title, `text.text` HTML in parts marked by class: `tl-summary` (the summary),
  `tl-claims` (who claimed what, with its status), `tl-sources` (each source, linked when it has an
  address) and `tl-page` (the event's page on the site). Every text from the content is HTML-escaped;
- `group` the label of the event's main tag (its first), `eras` the episodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from timeline.edtf import EdtfDate, EdtfPoint
from timeline.exports.common import event_url
from timeline.markdown import render_markdown
from timeline.model import Event, Source, Timeline
from timeline.render import dump_json

TITLE_ID = "title"  # the title slide's unique_id: event ids start with a year, so never this


def date_object(point: EdtfPoint) -> dict[str, int]:
    """A TimelineJS date object with only the parts the point has."""
    date = {"year": point.year}
    if point.month:
        date["month"] = point.month
    if point.day:
        date["day"] = point.day
    return date


def display_date(event: Event) -> str | None:
    """The slide's `display_date`, or None when the date objects say it all."""
    date: EdtfDate = event.date
    qualified = any(point.qualifier for point in (date.start, date.end) if point)
    if not qualified and not event.date_note:
        return None
    text = f"{date.human()} ({date})" if qualified else date.human()
    return ", ".join(part for part in (text, event.date_note) if part)


def _source_html(source: Source) -> Markup:
    title = escape(source.title)
    linked = Markup('<a href="{}">{}</a>').format(source.url, title) if source.url else title
    return Markup("<li>{}, {} ({})</li>").format(linked, source.publisher, source.published.human())


def slide_text(event: Event, timeline: Timeline) -> str:
    """The slide's HTML: summary, claims, sources and the link to the event's page."""
    base = timeline.site.base_url
    parts = [Markup('<div class="tl-summary">{}</div>').format(render_markdown(event.summary, base))]
    if event.claims:
        claims = [Markup("<li>{} ({}, {}): {}</li>").format(c.by.name, c.status, c.said_on.human(), c.text) for c in event.claims]
        parts.append(Markup('<div class="tl-claims"><p>Claims</p><ul>{}</ul></div>').format(Markup("").join(claims)))
    sources = Markup("").join(_source_html(s) for s in event.sources)
    parts.append(Markup('<div class="tl-sources"><p>Sources</p><ul>{}</ul></div>').format(sources))
    page = Markup('<p class="tl-page"><a href="{}">This event on {}</a></p>')
    parts.append(page.format(event_url(timeline.site, event), timeline.site.title))
    return str(Markup("").join(parts))


def slide(event: Event, timeline: Timeline) -> dict[str, Any]:
    data: dict[str, Any] = {"unique_id": event.id, "start_date": date_object(event.date.start)}
    if event.date.end:
        data["end_date"] = date_object(event.date.end)
    shown = display_date(event)
    if shown:
        data["display_date"] = shown
    data["text"] = {"headline": str(escape(event.title)), "text": slide_text(event, timeline)}
    if event.track:
        data["group"] = event.track.label
    data["autolink"] = False  # the text's links are all ours; TimelineJS need not look for more
    return data


def timelinejs_json(timeline: Timeline, events: Sequence[Event]) -> str:
    """The events as a TimelineJS3 timeline, with the episodes as eras."""
    site = timeline.site
    title_text = Markup('<p>{}</p><p><a href="{}">{}</a></p>').format(site.description, site.base_url, site.base_url)
    data = {
        "title": {"unique_id": TITLE_ID, "text": {"headline": str(escape(site.title)), "text": str(title_text)}},
        "events": [slide(event, timeline) for event in events],
        "eras": [
            {
                "start_date": date_object(episode.start.start),
                "end_date": date_object(episode.end.end or episode.end.start),
                "text": {"headline": str(escape(episode.title))},
            }
            for episode in timeline.episodes
        ],
        "scale": "human",
    }
    return dump_json(data, indent=1) + "\n"
