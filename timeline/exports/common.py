"""What every export says the same way: an event's address, its sources in one line, its places' names."""

from __future__ import annotations

from timeline.model import Event, Site, Source


def event_url(site: Site, event: Event) -> str:
    """The event's page: base_url from site.yaml, so the address is absolute."""
    return f"{site.base_url}events/{event.id}/"


def source_line(source: Source) -> str:
    """A source as plain text: `Publisher: Title (3 July 2022)`."""
    return f"{source.publisher}: {source.title} ({source.published.human()})"


def date_label(event: Event) -> str:
    """The date as a reader sees it on the site, with its note: `about July 2022, late Saturday`."""
    return ", ".join(part for part in (event.date.human(), event.date_note) if part)
