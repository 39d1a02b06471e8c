"""Any CSV table, with a mapping from our fields to its columns: `--map title=Headline` or a small YAML file.

date: Date              # required: a date of our subset (2022-07-03, 2022-07, 2022~) or a day such as 03/07/2022
title: Headline         # required
end_date: Until         # optional, the rest too
summary: Description    # plain text; Markdown characters are escaped
tags: Category          # several values separated by `separator` (default ';')
place: Town
latitude: Lat
longitude: Lon
actors: Who
source_url: Link
source_title: Article
source_publisher: Outlet
source_date: Published
figures: {killed: Deaths}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline.diagnostics import Diagnostics
from timeline.fields import closest
from timeline.importers.common import add_actor, add_place, add_source, day
from timeline.importers.htmltext import escape_markdown
from timeline.importers.problems import START, Report, Unmappable, Where
from timeline.importers.records import Batch, ImportedEvent, make_id
from timeline.importers.tables import Row, Table, read_table
from timeline.importers.values import edtf, one_line, parse_day, split_list
from timeline.yamlsource import MapNode, ScalarNode, load_yaml_file

FIELDS = {
    "id": "the row's own id, kept so a later import updates the same file",
    "date": "the date (required)",
    "end_date": "the last day, making the date an interval",
    "date_note": "shown beside the date",
    "title": "the event's title (required)",
    "summary": "what happened, as plain text",
    "tags": "tags, separated by the separator",
    "place": "the place's name; needs latitude and longitude",
    "latitude": "the place's latitude",
    "longitude": "the place's longitude",
    "country": "the place's country",
    "actors": "actors, separated by the separator",
    "source_url": "the row's article: its address",
    "source_title": "the row's article: its headline",
    "source_publisher": "the row's article: who published it",
    "source_date": "the row's article: when",
}
MAP_HINT = "map a field to a column as FIELD=COLUMN, e.g. --map title=Headline; fields: " + ", ".join(FIELDS)


def _read_mapping_file(file: Path, mapping: dict[str, str], figures: dict[str, str], diagnostics: Diagnostics) -> str:
    """Fill `mapping` and `figures` from the YAML file; the separator it names (default ';')."""
    node = load_yaml_file(file, str(file), diagnostics)
    separator = ";"
    if node is None:
        return separator
    report = Report(str(file), diagnostics)
    if not isinstance(node, MapNode):
        report.error(Where(node.line, node.column), "the mapping file should map fields to column names", MAP_HINT)
        return separator
    for key, value in node.items:
        where = Where(key.line, key.column, key.value)
        if key.value == "figures" and isinstance(value, MapNode):
            figures.update({k.value: v.value for k, v in value.items if isinstance(v, ScalarNode)})
        elif key.value == "separator" and isinstance(value, ScalarNode) and value.value:
            separator = value.value
        elif key.value not in FIELDS:
            guess = closest(key.value, [*FIELDS, "figures", "separator"])
            report.error(
                where, f"'{key.value}' is not a field the import knows", f"did you mean '{guess}'?" if guess else MAP_HINT
            )
        elif not isinstance(value, ScalarNode) or not value.value.strip():
            report.error(where, f"'{key.value}' should name one column of the table", MAP_HINT)
        else:
            mapping[key.value] = value.value.strip()
    return separator


def _mapping(options: dict[str, Any], table: Table, report: Report) -> tuple[dict[str, str], dict[str, str], str] | None:
    mapping: dict[str, str] = {}
    figures: dict[str, str] = {}
    separator = str(options.get("separator") or ";")
    if options.get("mapping"):
        separator = _read_mapping_file(Path(options["mapping"]), mapping, figures, report.diagnostics)
    for item in options.get("map") or []:
        field, _, column = str(item).partition("=")
        field, column = field.strip(), column.strip()
        if field.startswith("figure.") and column:
            figures[field[7:]] = column
        elif field not in FIELDS or not column:
            report.error(START, f"--map {item}: '{field}' is not a field the import knows", MAP_HINT)
        else:
            mapping[field] = column
    for field in ("date", "title"):
        if field not in mapping:
            report.error(START, f"no column is mapped to '{field}'", MAP_HINT)
    if "place" in mapping and not {"latitude", "longitude"} <= set(mapping):
        report.error(START, "a place needs its coordinates: map latitude and longitude too", MAP_HINT)
    for field, column in [*mapping.items(), *(("figure." + k, v) for k, v in figures.items())]:
        if not table.has(column):
            guess = closest(column, [c for c in table.header if c])
            hint = f"did you mean '{guess}'?" if guess else f"the header has: {', '.join(table.header)}"
            report.error(
                Where(1, len(table.header) + 1, column), f"the column '{column}' (mapped to {field}) is not in the header", hint
            )
    return None if report.failed else (mapping, figures, separator)


def _date(row: Row, mapping: dict[str, str]) -> str:
    def one(field: str) -> str:
        text = row.get(mapping[field])
        try:
            return str(edtf(text))
        except Unmappable:
            return parse_day(text).isoformat()

    start = one("date")
    if "end_date" in mapping and row.get(mapping["end_date"]):
        end = one("end_date")
        return str(edtf(f"{start}/{end}")) if end != start else start
    return start


def _row(row: Row, mapping: dict[str, str], figures: dict[str, str], separator: str, batch: Batch, report: Report) -> None:
    def cell(field: str) -> str:
        return one_line(row.get(mapping[field])) if field in mapping else ""

    try:
        date = _date(row, mapping)
    except Unmappable as problem:
        column = mapping["end_date"] if "end_date" in mapping and "interval" in str(problem) else mapping["date"]
        report.unmappable(row.where(column), problem)
        return
    if not cell("title"):
        report.error(row.where(mapping["title"]), "the title is empty", "every event needs a title")
        return
    fields: dict[str, Any] = {"date_note": cell("date_note"), "title": cell("title")}
    label = f"the column '{mapping.get('tags', '')}' of {batch.input_name}"
    fields["tags"] = [
        batch.add("tags", make_id(t, fallback="tag"), {"label": t, "description": f"Imported from {label}."})
        for t in split_list(cell("tags"), separator)
    ]
    place = None
    if cell("place"):
        extra = {"country": cell("country")}
        place = add_place(batch, row, report, cell("place"), (mapping["latitude"], mapping["longitude"]), extra)
    fields["places"] = [place] if place else []
    fields["actors"] = [
        add_actor(batch, a, "organisation", row.where(mapping["actors"])) for a in split_list(cell("actors"), separator)
    ]
    fields["summary"] = escape_markdown(row.get(mapping["summary"]).strip() if "summary" in mapping else "") or escape_markdown(
        cell("title")
    )
    own = _own_source(row, mapping, batch, report)
    source = own or batch.import_source
    figure_list = []
    for name, column in figures.items():
        if row.get(column):
            try:
                value = float(row.get(column).replace(",", ""))
            except ValueError:
                report.error(row.where(column), f"'{row.get(column)}' is not a number", f"the column holds the figure '{name}'")
                continue
            figure_list.append({"label": name, "value": int(value) if value.is_integer() else value, "source": source})
    fields["figures"] = figure_list
    fields["sources"] = [source]
    key = cell("id") or f"{date}:{cell('title')}"
    event = ImportedEvent(
        f"row:{key}", make_id(cell("id") or cell("title"), fallback=f"row-{row.number}"), edtf(date), fields, row.start
    )
    batch.add_event(event)


def _own_source(row: Row, mapping: dict[str, str], batch: Batch, report: Report) -> str | None:
    """The row's own article, when it names one: it then replaces the input file as the event's source."""
    url = row.get(mapping["source_url"]) if "source_url" in mapping else ""
    title = row.get(mapping["source_title"]) if "source_title" in mapping else ""
    if not url and not title:
        return None
    if url and not url.lower().startswith(("http://", "https://")):
        report.error(
            row.where(mapping["source_url"]), f"'{url[:60]}' is not a web address", "source addresses start with https://"
        )
        return None
    if "source_date" not in mapping or not row.get(mapping["source_date"]):
        report.error(row.start, "the row names a source but not when it was published", "map source_date to a column")
        return None
    published = day(row, mapping["source_date"], report)
    if published is None:
        return None
    publisher = row.get(mapping["source_publisher"]) if "source_publisher" in mapping else ""
    publisher = publisher or (url.split("/")[2] if url else "publisher not given")
    return add_source(
        batch, one_line(title or url), one_line(publisher), published, url, row.where(mapping.get("source_url", ""))
    )


def read(file: Path, batch: Batch, report: Report, options: dict[str, Any]) -> None:
    table = read_table(file, report)
    if table is None:
        return
    found = _mapping(options, table, report)
    if found is None:
        return
    mapping, figures, separator = found
    used = {*mapping.values(), *figures.values()}
    for index, name in enumerate(table.header, start=1):
        if name and name not in used:
            report.warning(Where(1, index, name), f"the column '{name}' is not mapped to any field; it is not imported")
    note = f"Imported with `timeline import csv` from {file.name}; the date is the day of the first import."
    batch.add_import_source(f"Table {file.name}", str(options.get("publisher") or file.name), note)
    for row in table.rows:
        _row(row, mapping, figures, separator, batch, report)
