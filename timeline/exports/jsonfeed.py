"""feed.json: JSON Feed 1.1 (jsonfeed.org/version/1.1) beside feed.xml, with the same entries.

The same newest events as the Atom feed, in the same order: `id` and `url` the event's page (the Atom
entry's id), `title`, `content_text` the Atom summary, `date_published` the Atom `updated` (left out before 1 CE), `tags` the
tag labels. The EDTF date, which neither feed format has a field for, is in the `_timeline` extension.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from timeline.eventmemo import remembered_all
from timeline.exports.common import event_url
from timeline.feeds import entry_time, feed_events, feed_summary, json_array
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


def _dump(value: Any) -> str:
    """The feed's JSON: keys in the order given (the specification's), indent 1, UTF-8 kept."""
    return json.dumps(value, ensure_ascii=False, indent=1)


def _item_text(event: Event, timeline: Timeline) -> str:
    return _dump(_item(event, timeline)).replace("\n", "\n  ")  # an item of the top-level `items`


def json_feed(timeline: Timeline) -> str:
    """The feed as JSON, keys in the order the specification lists them (version first, items last); the items
    are joined from pieces kept per event."""
    site = timeline.site
    feed = {
        "version": VERSION,
        "title": site.title,
        "home_page_url": site.base_url,
        "feed_url": site.base_url + "feed.json",
        "description": site.description,
        "authors": [{"name": site.title}],
        "language": site.language,
    }
    items = remembered_all("jsonfeed", timeline, feed_events(timeline), functools.partial(_item_text, timeline=timeline))
    head = _dump(feed).removesuffix("\n}")  # the object without its end, to which `items` is added as it is
    return f'{head},\n "items": {json_array(items, " ")}\n}}\n'
