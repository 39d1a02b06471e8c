"""exports/events.ics: the events as an iCalendar (RFC 5545) calendar, one VEVENT per event.

- Every event is all-day: `DTSTART;VALUE=DATE` is the first day the date may mean and `DTEND;VALUE=DATE`
  the day after the last (DTEND is exclusive). A month date spans the month, an interval both its ends,
  and the EDTF string itself is kept in `X-TIMELINE-EDTF` (`2022-07~`, `2022-06-20/2022-07-03`).
- `UID` is `<event id>@<host of base_url>`, stable from build to build; `URL` the event's page;
  `LOCATION` the names of its places and `GEO` the first located place's latitude;longitude.
- `DTSTAMP` is the feed's build time (the newest content date, or SOURCE_DATE_EPOCH), so that the same
  content gives the same bytes.
- Events that begin before 1 CE are left out. RFC 5545's DATE has a four-digit year and no era, and is read
  by calendar programs (and Python's `datetime`, which the `icalendar` package uses) as a year of the common
  era; year 0000 would mean 1 BCE to none of them. The Data page says so.
- Text values are escaped (`\\`, `;`, `,`, line breaks), lines end in CRLF and are folded at 75 octets
  without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from timeline.calendarday import CalendarDay
from timeline.eventmemo import remembered_all
from timeline.exports.common import date_label, event_url, source_line
from timeline.feeds import build_time, joined
from timeline.markdown import plain_text
from timeline.model import Event, Timeline

LINE_OCTETS = 75
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # TEXT may not hold controls; \n is escaped, the rest dropped


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", text)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545, 3.1): CRLF and a space before each continuation."""
    if line.isascii():  # most lines: one octet a character
        if len(line) <= LINE_OCTETS:
            return line + "\r\n"
        rest = line[LINE_OCTETS:]
        pieces = [line[:LINE_OCTETS]] + [rest[i : i + LINE_OCTETS - 1] for i in range(0, len(rest), LINE_OCTETS - 1)]
        return "\r\n ".join(pieces) + "\r\n"
    data = line.encode("utf-8")
    pieces_b: list[bytes] = []
    start, limit = 0, LINE_OCTETS
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # never between the octets of one character
            cut -= 1
        pieces_b.append(data[start:cut])
        start, limit = cut, LINE_OCTETS - 1  # the leading space counts
    pieces_b.append(data[start:])
    return b"\r\n ".join(pieces_b).decode("utf-8") + "\r\n"


def _day(day: CalendarDay) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _description(event: Event, timeline: Timeline) -> str:
    parts = [date_label(event), plain_text(event.summary)]
    parts += [f"{c.by.name} ({c.status}): {c.text}" for c in event.claims]
    parts.append("Sources:\n" + "\n".join(f"- {source_line(s)}" + (f" {s.url}" if s.url else "") for s in event.sources))
    parts.append(event_url(timeline.site, event))
    return "\n\n".join(parts)


def vevent(event: Event, timeline: Timeline, host: str) -> tuple[list[str], list[str]]:
    """The content lines of one event, unfolded, before and after its DTSTAMP (the build's time, not the event's)."""
    head = ["BEGIN:VEVENT", f"UID:{event.id}@{host}"]
    lines = [
        f"DTSTART;VALUE=DATE:{_day(event.date.first_day)}",
        f"DTEND;VALUE=DATE:{_day(event.date.last_day + dt.timedelta(days=1))}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(_description(event, timeline))}",
        f"URL:{event_url(timeline.site, event)}",
    ]
    if event.places:
        lines.append(f"LOCATION:{escape_text('; '.join(p.name for p in event.places))}")
    located = [p for p in event.places if p.located]
    if located:
        lines.append(f"GEO:{located[0].latitude};{located[0].longitude}")
    if event.tags:
        lines.append("CATEGORIES:" + ",".join(escape_text(t.label) for t in event.tags))
    lines += [f"X-TIMELINE-EDTF:{event.date}", "TRANSP:TRANSPARENT", "END:VEVENT"]
    return head, lines


def _vevent_text(event: Event, timeline: Timeline) -> tuple[str, str]:
    """The event's VEVENT folded, before and after its DTSTAMP line; empty before 1 CE (see above)."""
    if not event.date.common_era:  # a calendar cannot hold a day before 1 CE
        return "", ""
    head, tail = vevent(event, timeline, urlsplit(timeline.site.base_url).hostname or "localhost")
    return "".join(map(fold, head)), "".join(map(fold, tail))


def events_ics(timeline: Timeline, events: Sequence[Event]) -> str:
    """The events as one VCALENDAR; each VEVENT is joined from pieces kept per event."""
    site = timeline.site
    stamp = build_time(timeline).replace("-", "").replace(":", "")  # 2025-07-01T00:00:00Z -> 20250701T000000Z
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(site.title)}//timeline//{site.language.upper()}",
        "CALSCALE:GREGORIAN",
        f"NAME:{escape_text(site.title)}",
        f"X-WR-CALNAME:{escape_text(site.title)}",
        f"DESCRIPTION:{escape_text(site.description)}",
        f"URL:{site.base_url}",
    ]
    stamp_line = fold(f"DTSTAMP:{stamp}")
    pieces = remembered_all("ics", timeline, events, functools.partial(_vevent_text, timeline=timeline))
    parts = [part for head, tail in pieces if head for part in (head, stamp_line, tail)]
    return joined("".join(map(fold, lines)), parts, "", fold("END:VCALENDAR"))
