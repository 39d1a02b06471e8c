"""feed.json: JSON Feed 1.1 (jsonfeed.org/version/1.1) beside feed.xml, with the same entries.

The same newest events as the Atom feed, in the same order: `id` and `url` the event's page (the Atom
entry's id), `title`, `content_text` the Atom summary, `date_published` the Atom `updated` (left out before 1 CE), `tags` the
tag labels. The EDTF date, which neither feed format has a field for, is in the `_timeline` extension.
"""

from __future__ import annotations

import json
from typing import Any

from timeline.exports.common import event_url
from timeline.feeds import entry_time, feed_events, feed_summary
from timeline.model import Event, Timeline

VERSION = "https://jsonfeed.org/version/1.1"


def _item(event: Event, timeline: Timeline) -> dict[str, Any]:
    url = event_url(timeline.site, event)
    item: dict[str, Any] = {
        "id": url,
        "url": url,
        "title": event.title,
        "content_text": feed_summary(event),
    }
    published = entry_time(event)
    if published:  # an event before 1 CE has none: RFC 3339 cannot write its date, and the field is optional
        item["date_published"] = published
    if event.tags:
        item["tags"] = [t.label for t in event.tags]
    item["_timeline"] = {"date": str(event.date)}
    return item


def json_feed(timeline: Timeline) -> str:
    """The feed as JSON, keys in the order the specification lists them (version first)."""
    site = timeline.site
    feed = {
        "version": VERSION,
        "title": site.title,
        "home_page_url": site.base_url,
        "feed_url": site.base_url + "feed.json",
        "description": site.description,
        "authors": [{"name": site.title}],
        "language": site.language,
        "items": [_item(event, timeline) for event in feed_events(timeline)],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
