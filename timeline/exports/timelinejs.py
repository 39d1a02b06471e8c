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
  address; its id, EDTF date and the id of the source it republishes in data attributes, its title in
  `<cite>`, its publisher in `.tl-publisher`) and `tl-page` (the event's page on the site). Every text
  from the content is HTML-escaped. `timeline import` reads these parts back (importers/ownexport.py);
- `group` the label of the event's main tag (its first), `eras` the episodes;
- a year before 1 CE as TimelineJS counts it, without a year 0: our -0043 (44 BCE) is `year: -44`, which
  TimelineJS shows as "44 BCE" (TLDate.js gives the year to a JavaScript Date; Language.js writes a negative
  year as its absolute value followed by "BCE"). TimelineJS's Date then has -44 as its astronomical year, whose
  leap years differ from those of 44 BCE, so 29 February before 1 CE also gets a `display_date`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from markupsafe import escape

from timeline.calendarday import historical_year
from timeline.edtf import EdtfDate, EdtfPoint
from timeline.eventmemo import remembered_all
from timeline.exports.common import event_url
from timeline.feeds import json_document, json_text
from timeline.markdown import render_markdown
from timeline.model import Event, Source, Timeline

TITLE_ID = "title"  # the title slide's unique_id: event ids start with a year, so never this


def date_object(point: EdtfPoint) -> dict[str, int]:
    """A TimelineJS date object with only the parts the point has, the year counted as TimelineJS shows it."""
    date = {"year": historical_year(point.year)}
    if point.month:
        date["month"] = point.month
    if point.day:
        date["day"] = point.day
    return date


def _shifted_leap_day(point: EdtfPoint) -> bool:
    """29 February before 1 CE, which TimelineJS's Date would put in a year without one (see above)."""
    return point.year < 1 and point.month == 2 and point.day == 29


def display_date(event: Event) -> str | None:
    """The slide's `display_date`, or None when the date objects say it all."""
    date: EdtfDate = event.date
    qualified = any(point.qualifier for point in (date.start, date.end) if point)
    if not qualified and not event.date_note and not any(_shifted_leap_day(p) for p in (date.start, date.end) if p):
        return None
    text = f"{date.human()} ({date})" if qualified else date.human()
    return ", ".join(part for part in (text, event.date_note) if part)


def _source_html(source: Source) -> str:
    """A source as a list item; its id and EDTF date ride along as data attributes, for `timeline import`."""
    title = f"<cite>{escape(source.title)}</cite>"
    linked = f'<a href="{escape(source.url)}">{title}</a>' if source.url else title
    data = f'data-id="{escape(source.id)}" data-published="{escape(str(source.published))}"'
    if source.republishes:
        data += f' data-republishes="{escape(source.republishes)}"'
    publisher = f'<span class="tl-publisher">{escape(source.publisher)}</span>'
    return f"<li {data}>{linked}, {publisher} ({escape(source.published.human())})</li>"


def slide_text(event: Event, timeline: Timeline) -> str:
    """The slide's HTML: summary, claims, sources and the link to the event's page.

    (Written with f-strings around `escape` rather than Markup.format, which took most of the time.)"""
    site = timeline.site
    parts = [f'<div class="tl-summary">{render_markdown(event.summary, site.base_url)}</div>']
    if event.claims:
        claims = "".join(
            f"<li>{escape(c.by.name)} ({escape(c.status)}, {escape(c.said_on.human())}): {escape(c.text)}</li>"
            for c in event.claims
        )
        parts.append(f'<div class="tl-claims"><p>Claims</p><ul>{claims}</ul></div>')
    sources = "".join(_source_html(s) for s in event.sources)
    parts.append(f'<div class="tl-sources"><p>Sources</p><ul>{sources}</ul></div>')
    parts.append(f'<p class="tl-page"><a href="{escape(event_url(site, event))}">This event on {escape(site.title)}</a></p>')
    return "".join(parts)


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


def _slide_text(event: Event, timeline: Timeline) -> str:
    return json_text(slide(event, timeline), "  ")  # an item of the top-level `events`


def timelinejs_json(timeline: Timeline, events: Sequence[Event]) -> str:
    """The events as a TimelineJS3 timeline, with the episodes as eras; the slides are joined from pieces kept per
    event."""
    site = timeline.site
    slides = remembered_all("timelinejs", timeline, events, functools.partial(_slide_text, timeline=timeline))
    url = escape(site.base_url)
    title_text = f'<p>{escape(site.description)}</p><p><a href="{url}">{url}</a></p>'
    data = {
        "title": {"unique_id": TITLE_ID, "text": {"headline": str(escape(site.title)), "text": title_text}},
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
    return json_document(data, "events", slides)
