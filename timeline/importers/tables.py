"""CSV tables with the position of every cell, for the formats that come as spreadsheets."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from timeline.importers.problems import START, Report, Where

MAX_TABLE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number and its cells by column name."""

    number: int
    cells: dict[str, str]
    columns: dict[str, int]  # column name -> 1-based column number

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def where(self, column: str) -> Where:
        return Where(self.number, self.columns.get(column, 1), column)

    @property
    def start(self) -> Where:
        return Where(self.number, 1)


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[Row]

    def has(self, column: str) -> bool:
        return column in self.header


def read_text(file: Path, report: Report) -> str | None:
    """The file as text (UTF-8, a byte order mark allowed), or None after reporting why it cannot be read."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        report.error(START, f"cannot read the file: {exc.strerror}", "check the path")
        return None
    if len(data) > MAX_TABLE_BYTES:
        report.error(START, f"the file is larger than {MAX_TABLE_BYTES // 2**20} MB", "split it and import the parts")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(Where(line, column), "the file is not UTF-8", "save it as UTF-8 (CSV UTF-8 in a spreadsheet program)")
        return None


def _delimiter(first_line: str) -> str:
    """Comma unless the header is clearly split by semicolons or tabs (as some spreadsheet programs save)."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_table(file: Path, report: Report) -> Table | None:
    """Read a CSV file with a header row; None after reporting when it cannot be read at all."""
    text = read_text(file, report)
    if text is None:
        return None
    if not text.strip():
        report.error(START, "the file is empty", "export the table with its header row")
        return None
    reader = csv.reader(text.splitlines(keepends=True), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        report.error(Where(reader.line_num, 1), f"the CSV is malformed: {exc}", "check the quoting on that line")
        return None
    header = [name.strip() for name in records[0]]
    columns: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        if name and name in columns:
            report.error(Where(1, index, name), f"the column '{name}' appears twice", "rename or remove one of them")
        columns.setdefault(name, index)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
            report.error(Where(number, len(header) + 1), f"the row has {len(record)} cells but the header has {len(header)}")
        cells = {name: record[i] if i < len(record) else "" for i, name in enumerate(header) if name}
        rows.append(Row(number, cells, columns))
    return Table(header, rows)


def require_columns(table: Table, required: list[str], report: Report, what: str) -> bool:
    """Report every required column the header lacks (at row 1); True when all are there."""
    missing = [name for name in required if not table.has(name)]
    for name in missing:
        report.error(
            Where(1, len(table.header) + 1, name),
            f"the column '{name}' is missing from the header",
            f"{what} files have the columns {', '.join(required)}",
        )
    return not missing
