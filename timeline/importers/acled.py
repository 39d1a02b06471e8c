"""ACLED CSV exports: one event per row, with its type, actors, place, fatalities and the sources ACLED names.

`time_precision` 1 is the day, 2 a day within that week (an approximate day), 3 the month. ACLED names its
sources only by publisher, with no headline, date or address, so they are listed in the summary and the
export file is the event's source; `check` then asks for the articles themselves.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from timeline.importers.common import add_actor, add_place, day, read_dataset
from timeline.importers.htmltext import escape_markdown
from timeline.importers.problems import Report, Unmappable, Where
from timeline.importers.records import Batch, ImportedEvent, make_id
from timeline.importers.tables import Row
from timeline.importers.values import edtf, parse_int

REQUIRED = ["event_id_cnty", "event_date", "time_precision", "event_type", "actor1", "location", "latitude", "longitude"]
OPTIONAL = [
    "sub_event_type", "actor2", "admin1", "admin2", "country", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "timestamp", "inter1", "inter2", "year",
]  # fmt: skip
PRECISION_NOTE = {2: "ACLED knows only the week", 3: "ACLED knows only the month"}
# ACLED's actor types (inter1/inter2), by number or by name: what kind of actor each is, or None for civilians
_INTER = {
    "1": "armed-force", "state forces": "armed-force",
    "2": "armed-force", "rebel group": "armed-force", "rebel groups": "armed-force",
    "3": "armed-force", "political militia": "armed-force", "political militias": "armed-force",
    "4": "armed-force", "identity militia": "armed-force", "identity militias": "armed-force",
    "5": "organisation", "rioters": "organisation",
    "6": "organisation", "protesters": "organisation",
    "7": None, "civilians": None,
    "8": "organisation", "external/other forces": "organisation",
}  # fmt: skip


def actor_kind(name: str, inter: str) -> str | None:
    """What kind of actor an ACLED actor is; None for civilians, who are the event's victims, not its actors."""
    code = inter.strip().lower()
    if code in _INTER:
        return _INTER[code]
    if name.lower().startswith("civilians"):
        return None
    if name.lower().startswith(("military forces", "police forces", "militia")):
        return "armed-force"
    return "state" if name.lower().startswith("government of") else "organisation"


def date_of(when: dt.date, precision: int) -> tuple[str, str]:
    if precision == 3:
        return f"{when.year:04d}-{when.month:02d}", PRECISION_NOTE[3]
    return when.isoformat() + ("~" if precision == 2 else ""), PRECISION_NOTE.get(precision, "")


def _summary(row: Row) -> str:
    notes = " ".join(row.get("notes").split())
    what = row.get("sub_event_type") or row.get("event_type")
    text = escape_markdown(notes or f"ACLED records an event of the type {what} at {row.get('location')}.")
    if row.get("source"):
        scale = f" (scale: {row.get('source_scale')})" if row.get("source_scale") else ""
        text += f"\n\nACLED's sources: {escape_markdown(row.get('source'))}{escape_markdown(scale)}."
    if row.get("geo_precision") not in ("", "1"):
        text += f"\n\nACLED places this event only approximately (geo precision {escape_markdown(row.get('geo_precision'))})."
    return text


def _row(row: Row, batch: Batch, report: Report) -> None:
    when = day(row, "event_date", report)
    numbers: dict[str, int | None] = {"time_precision": None, "fatalities": None}
    for column, low, high in (("time_precision", 1, 3), ("fatalities", 0, None)):
        try:
            if row.get(column) or column == "time_precision":
                numbers[column] = parse_int(row.get(column), f"'{column}'", low, high)
        except Unmappable as problem:
            report.unmappable(row.where(column), problem)
    precision, fatalities = numbers["time_precision"], numbers["fatalities"]
    extra = {"oblast": row.get("admin1"), "country": row.get("country")}
    place = add_place(batch, row, report, row.get("location"), ("latitude", "longitude"), extra)
    if when is None or place is None or precision is None or report.failed:
        return
    date, note = date_of(dt.date.fromisoformat(when), precision)
    actors = []
    for column, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        name, kind = row.get(column), actor_kind(row.get(column), row.get(inter))
        if name and kind:
            actors.append(add_actor(batch, name, kind, row.where(column)))
    tags = []
    for column in ("event_type", "sub_event_type"):
        if row.get(column):
            fields = {"label": row.get(column), "description": f"ACLED's {column.replace('_', ' ')}: {row.get(column)}."}
            tags.append(batch.add("tags", make_id(row.get(column), fallback="event-type"), fields))
    what = row.get("sub_event_type") or row.get("event_type")
    figures: list[dict[str, Any]] = []
    if fatalities is not None:
        figures.append({"label": "fatalities", "value": fatalities, "unit": "people", "source": batch.import_source})
    fields_: dict[str, Any] = {
        "date_note": note,
        "title": f"{what} at {row.get('location')}",
        "tags": tags,
        "places": [place],
        "actors": actors,
        "summary": _summary(row),
        "figures": figures,
        "sources": [batch.import_source],
    }
    event_id = make_id(row.get("event_id_cnty"), fallback=f"row-{row.number}")
    batch.add_event(ImportedEvent(f"acled:{row.get('event_id_cnty')}", f"acled-{event_id}", edtf(date), fields_, row.start))


def read(file: Path, batch: Batch, report: Report, options: dict[str, Any]) -> None:
    table = read_dataset(file, report, REQUIRED, OPTIONAL, "ACLED")
    if table is None:
        return
    note = f"Imported with `timeline import acled` from {file.name}; the date is the day of the first import."
    batch.add_import_source(f"ACLED data export: {file.name}", "Armed Conflict Location & Event Data (ACLED)", note)
    seen: dict[str, int] = {}
    for row in table.rows:
        key = row.get("event_id_cnty")
        if key in seen:
            report.error(
                row.where("event_id_cnty"), f"the id {key} is also on row {seen[key]}", "each ACLED event has its own id"
            )
            continue
        seen[key] = row.number
        _row(row, batch, report)
    if not table.rows:
        report.error(Where(2, 1), "the file has a header but no rows")
