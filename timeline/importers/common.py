"""Pieces the table formats share: actors, places and sources as registry entries; columns not carried."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline.importers.problems import Report, Unmappable, Where
from timeline.importers.records import Batch, make_id
from timeline.importers.tables import Row, Table, read_table, require_columns
from timeline.importers.values import parse_coordinate, parse_day
from timeline.schema import SIDES


def side_of(name: str) -> str:
    """The project's side whose name the actor's name contains (e.g. 'Government of Ukraine'), else 'other'."""
    lowered = name.lower()
    for side in SIDES:
        if side != "other" and side.replace("-", " ") in lowered:
            return side
    return "other"


def add_actor(batch: Batch, name: str, kind: str, where: Where) -> str:
    fields = {"name": name, "kind": kind, "side": side_of(name)}
    return batch.add("actors", make_id(name, fallback="actor"), fields, where)


def add_place(batch: Batch, row: Row, report: Report, name: str, columns: tuple[str, str], extra: dict[str, str]) -> str | None:
    """A place from a name and the row's latitude and longitude columns; None (reported) when they are bad."""
    coordinates: dict[str, float] = {}
    for column, what in zip(columns, ("latitude", "longitude"), strict=True):
        try:
            coordinates[what] = parse_coordinate(row.get(column), what)
        except Unmappable as problem:
            report.unmappable(row.where(column), problem)
    if len(coordinates) < 2 or not name:
        return None
    fields: dict[str, Any] = {"name": name, **coordinates, **{k: v for k, v in extra.items() if v}}
    return batch.add("places", make_id(name, fallback="place"), fields, row.where(columns[0]))


def add_source(batch: Batch, title: str, publisher: str, published: str, url: str, where: Where) -> str:
    fields = {"url": url, "title": title, "publisher": publisher, "published": published, "language": batch.language}
    return batch.add("sources", make_id(publisher, published, title, fallback="source"), fields, where)


def day(row: Row, column: str, report: Report) -> str | None:
    try:
        return parse_day(row.get(column)).isoformat()
    except Unmappable as problem:
        report.unmappable(row.where(column), problem)
        return None


def read_dataset(file: Path, report: Report, required: list[str], optional: list[str], what: str) -> Table | None:
    """An event dataset's table (UCDP, ACLED), or None: every required column is there, and the columns it has
    that no event carries are named once."""
    table = read_table(file, report)
    if table is None or not require_columns(table, required, report, what):
        return None
    warn_not_carried(table, {*required, *optional}, report, what)
    return table


def warn_not_carried(table: Table, used: set[str], report: Report, what: str) -> None:
    """One warning naming the columns the import does not carry into events."""
    left = [name for name in table.header if name and name not in used]
    if left:
        report.warning(
            Where(1, table.header.index(left[0]) + 1, left[0]),
            f"{len(left)} column(s) of the {what} file are not carried into events: {', '.join(left)}",
            "see docs/importing.md for what each format keeps",
        )
