"""Where a problem in an imported file is, and how it is reported: the project's own diagnostics.

A CSV position is `ROW:COLUMN` as a spreadsheet shows it (the header is row 1, the first column is 1) and
names the column; a JSON position is the line and column of the value and names its JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass

from timeline.diagnostics import Diagnostics


@dataclass(frozen=True)
class Where:
    """A position in the input file: line (or spreadsheet row), column, and the field's name or JSON path."""

    line: int
    column: int
    field: str = ""


START = Where(1, 1)


class Unmappable(ValueError):
    """A value that cannot be brought into our model; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class Report:
    """Problems of one input file, added to the run's diagnostics under the file's name."""

    def __init__(self, path: str, diagnostics: Diagnostics) -> None:
        self.path = path
        self.diagnostics = diagnostics

    def error(self, where: Where, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, where.line, where.column, message, hint, where.field)

    def warning(self, where: Where, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.path, where.line, where.column, message, hint, where.field)

    def unmappable(self, where: Where, problem: Unmappable) -> None:
        self.error(where, str(problem), problem.hint)

    @property
    def failed(self) -> bool:
        return bool(self.diagnostics.errors)
