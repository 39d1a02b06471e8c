"""UCDP Georeferenced Event Dataset (GED) CSV: one event per row, with its sides, place, deaths and sources.

`date_prec` (1 exact day ... 5 within a year) and `date_start`/`date_end` become a day, an approximate
day, a month, a year or an interval; `best`, `low` and `high` become three figures side by side.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from timeline.importers.common import add_actor, add_place, add_source, day, read_dataset
from timeline.importers.htmltext import escape_markdown
from timeline.importers.problems import Report, Unmappable, Where
from timeline.importers.records import Batch, ImportedEvent, make_id
from timeline.importers.tables import Row
from timeline.importers.values import edtf, parse_day, parse_int, split_list

REQUIRED = [
    "id",
    "date_start",
    "date_end",
    "date_prec",
    "type_of_violence",
    "side_a",
    "side_b",
    "where_coordinates",
    "latitude",
    "longitude",
    "best",
    "low",
    "high",
]
OPTIONAL = [
    "relid", "year", "where_prec", "adm_1", "adm_2", "country", "conflict_name", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "number_of_sources", "source_article", "source_headline",
    "source_date", "source_office",
]  # fmt: skip
NUMBERS = ["date_prec", "type_of_violence", "best", "low", "high", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]
VIOLENCE = {1: "state-based violence", 2: "non-state violence", 3: "one-sided violence"}
PRECISION = {
    2: "UCDP knows the day only within 2 to 6 days",
    3: "UCDP knows only the week",
    4: "UCDP knows only the month, or a span of 8 to 30 days",
    5: "UCDP knows only a span of more than a month within the year",
}


def date_of(start: dt.date, end: dt.date, precision: int) -> tuple[str, str]:
    """Our date and its note from UCDP's span and precision code."""
    note = PRECISION.get(precision, "")
    if start == end:
        return start.isoformat() + ("~" if precision > 1 else ""), note
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start.year:04d}-{start.month:02d}", note
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year:04d}", note
    return f"{start.isoformat()}/{end.isoformat()}", note


def _numbers(row: Row, columns: list[str], report: Report) -> dict[str, int] | None:
    numbers: dict[str, int] = {}
    for column in columns:
        if column == "date_prec" or row.get(column) or column in ("best", "low", "high"):
            try:
                high = 5 if column == "date_prec" else None
                numbers[column] = parse_int(row.get(column), f"'{column}'", 1 if high else 0, high)
            except Unmappable as problem:
                report.unmappable(row.where(column), problem)
    return numbers if len(numbers) >= 4 else None


def _sources(row: Row, batch: Batch, report: Report) -> list[str]:
    """The row's articles: `source_*` columns hold one value per source, separated by ';'."""
    articles, headlines = split_list(row.get("source_article")), split_list(row.get("source_headline"))
    dates, offices = split_list(row.get("source_date")), split_list(row.get("source_office"))
    found = []
    for i in range(max(len(articles), len(headlines))):
        article = articles[i] if i < len(articles) else ""
        url = article if article.lower().startswith(("http://", "https://")) else ""
        title = headlines[i] if i < len(headlines) else (article if not url else "")
        if i >= len(dates):
            report.warning(row.where("source_date"), f"source {i + 1} of the row has no date; it is left out")
            continue
        try:
            published = parse_day(dates[i]).isoformat()
        except Unmappable as problem:
            report.unmappable(row.where("source_date"), problem)
            continue
        publisher = offices[i] if i < len(offices) else "publisher not named by UCDP"
        found.append(add_source(batch, title or url, publisher, published, url, row.where("source_headline")))
    return found


def _row(row: Row, batch: Batch, report: Report) -> None:
    numbers = _numbers(row, NUMBERS, report)
    start, end = day(row, "date_start", report), day(row, "date_end", report)
    if numbers is None or start is None or end is None:
        return
    if end < start:
        report.error(row.where("date_end"), f"date_end {end} is before date_start {start}", "swap the two dates")
        return
    date, note = date_of(dt.date.fromisoformat(start), dt.date.fromisoformat(end), numbers["date_prec"])
    side_a, side_b = row.get("side_a"), row.get("side_b")
    where = row.get("where_coordinates") or row.get("adm_2") or row.get("adm_1") or row.get("country")
    extra = {"oblast": row.get("adm_1"), "country": row.get("country")}
    place = add_place(batch, row, report, where, ("latitude", "longitude"), extra)
    sources = _sources(row, batch, report)
    if report.failed:
        return
    violence = VIOLENCE.get(numbers.get("type_of_violence", 0), "organised violence")
    actors = [add_actor(batch, side_a, "state" if side_a.startswith("Government of") else "armed-force", row.where("side_a"))]
    if side_b and side_b.lower() != "civilians":
        kind = "state" if side_b.startswith("Government of") else "armed-force"
        actors.append(add_actor(batch, side_b, kind, row.where("side_b")))
    tag_fields = {"label": violence.capitalize(), "description": f"UCDP's type of violence: {violence}."}
    tag = batch.add("tags", make_id(violence), tag_fields)
    one_sided = numbers.get("type_of_violence") == 3
    title = f"{side_a} against civilians at {where}" if one_sided else f"Fighting at {where}: {side_a} and {side_b}"
    conflict = row.get("conflict_name")
    summary = (
        f"UCDP records {violence}{f' in the conflict {conflict}' if conflict else ''} at {where}"
        f" between {side_a} and {side_b}. Its best estimate is {numbers['best']} deaths"
        f" (low {numbers['low']}, high {numbers['high']})."
    )
    figures: list[dict[str, Any]] = [
        {"label": "deaths", "value": numbers[k], "unit": "people", "qualifier": f"{k} estimate", "source": batch.import_source}
        for k in ("low", "best", "high")
    ]
    breakdown = (("deaths_a", side_a), ("deaths_b", side_b), ("deaths_civilians", "civilians"), ("deaths_unknown", "unknown"))
    for column, whose in breakdown:
        if numbers.get(column):
            figures.append(
                {"label": f"deaths: {whose}", "value": numbers[column], "unit": "people", "source": batch.import_source}
            )
    fields: dict[str, Any] = {
        "date_note": note,
        "title": title,
        "tags": [tag],
        "places": [place] if place else [],
        "actors": actors,
        "summary": escape_markdown(summary),
        "figures": figures,
        "sources": [*sources, batch.import_source],
    }
    ucdp_id = make_id(row.get("id"), fallback=f"row-{row.number}")
    batch.add_event(ImportedEvent(f"ucdp:{row.get('id')}", f"ucdp-{ucdp_id}", edtf(date), fields, row.start))


def read(file: Path, batch: Batch, report: Report, options: dict[str, Any]) -> None:
    table = read_dataset(file, report, REQUIRED, OPTIONAL, "UCDP GED")
    if table is None:
        return
    note = f"Imported with `timeline import ucdp` from {file.name}; the date is the day of the first import."
    batch.add_import_source(f"UCDP Georeferenced Event Dataset: {file.name}", "Uppsala Conflict Data Program", note)
    seen: dict[str, int] = {}
    for row in table.rows:
        if row.get("id") in seen:
            message = f"the id {row.get('id')} is also on row {seen[row.get('id')]}"
            report.error(row.where("id"), message, "each UCDP event has its own id")
            continue
        seen[row.get("id")] = row.number
        _row(row, batch, report)
    if not table.rows:
        report.error(Where(2, 1), "the file has a header but no rows")
