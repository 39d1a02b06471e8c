"""exports/events.csv: one row per event, for spreadsheets.

UTF-8 with a byte-order mark, so that Excel reads Cyrillic and other non-ASCII names as UTF-8 (LibreOffice,
Google Sheets and `csv` with `encoding="utf-8-sig"` read it too); rows end in CRLF as RFC 4180 has them.
Several values in one cell (tags, places, actors, sources) are joined by "; ".

A text cell that a spreadsheet would read as a formula, one starting with `=`, `+`, `-`, `@`, a tab or a
carriage return (OWASP's list), is written with a leading apostrophe, which spreadsheets show as text.
Only text from the content is guarded: the numbers and dates we format ourselves (a negative longitude)
stay numbers. Ids and dates before 1 BCE (`-0043-03-15`) start with a minus sign, which a spreadsheet would
compute, so they are guarded too.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence

from timeline.eventmemo import remembered_all
from timeline.exports.common import event_url, source_line
from timeline.feeds import joined
from timeline.markdown import plain_text
from timeline.model import Event, Timeline

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "
COLUMNS = (
    "id",
    "url",
    "date",
    "first_day",
    "last_day",
    "date_note",
    "title",
    "summary",
    "episode",
    "tags",
    "places",
    "latitude",
    "longitude",
    "actors",
    "claim_statuses",
    "importance",
    "sources",
    "source_urls",
)


def safe_cell(text: str) -> str:
    """Text a spreadsheet will not run: a formula-like start gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _row(event: Event, timeline: Timeline) -> list[str]:
    first_place = next((p for p in event.places if p.located), None)
    text = {
        "title": event.title,
        "date_note": event.date_note,
        "summary": plain_text(event.summary),
        "episode": event.episode.title if event.episode else "",
        "tags": JOIN.join(t.label for t in event.tags),
        "places": JOIN.join(p.name for p in event.places),
        "actors": JOIN.join(a.name for a in event.all_actors),
        "claim_statuses": JOIN.join(event.statuses),
        "sources": JOIN.join(source_line(s) for s in event.sources),
        "source_urls": JOIN.join(s.url for s in event.sources if s.url),
    }
    ours = {  # formatted here: ids, addresses, dates, numbers; a BCE id or date (-0043-…) would be a sum
        "id": safe_cell(event.id),
        "url": event_url(timeline.site, event),
        "date": safe_cell(str(event.date)),
        "first_day": safe_cell(event.date.first_day.isoformat()),
        "last_day": safe_cell(event.date.last_day.isoformat()),
        "latitude": f"{first_place.latitude}" if first_place else "",
        "longitude": f"{first_place.longitude}" if first_place else "",
        "importance": str(event.importance),
    }
    return [ours[c] if c in ours else safe_cell(text[c]) for c in COLUMNS]


def _csv_line(row: Sequence[str]) -> str:
    """One row as CSV text, its line end included."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(row)
    return out.getvalue()


def _row_text(event: Event, timeline: Timeline) -> str:
    return _csv_line(_row(event, timeline))


def events_csv(timeline: Timeline, events: Sequence[Event]) -> str:
    """The events as CSV text, the byte-order mark first; the rows are joined from pieces kept per event."""
    rows = remembered_all("csv", timeline, events, functools.partial(_row_text, timeline=timeline))
    return joined(BOM + _csv_line(COLUMNS), rows, "", "")
