"""Problems found in content, with the position they were found at, and the ways to print them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from timeline.controls import escape_controls


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what is wrong and, where it helps, how to fix it."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"
    field: str = ""  # dotted path of the offending field, e.g. claims[1].sources[0].quote

    @property
    def full_message(self) -> str:
        """The message, naming the field by its path when the message does not already."""
        if self.field and f"'{self.field}'" not in self.message:
            return f"{self.message} (field: {self.field})"
        return self.message

    def format_text(self) -> str:
        """`path:line:column: severity: message` and a hint line; controls escaped, so content cannot steer a terminal."""
        where = f"{escape_controls(self.path)}:{self.line}:{self.column}"
        text = f"{where}: {self.severity}: {escape_controls(self.full_message)}"
        if self.hint:
            text += f"\n  hint: {escape_controls(self.hint)}"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so a pull request shows the problem on its line."""
        title = escape_controls(f"{self.field}: {self.severity}" if self.field else self.severity)
        body = escape_controls(self.full_message + (f" (hint: {self.hint})" if self.hint else ""))
        kind = "error" if self.severity == "error" else "warning"
        return (
            f"::{kind} file={_escape_property(escape_controls(self.path))},line={self.line},col={self.column},"
            f"title={_escape_property(title)}::{_escape_data(body)}"
        )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


MAX_PER_FILE = 100  # errors, and separately warnings, shown for one file: past that, more is noise, and costs memory


@dataclass
class Diagnostics:
    """Collects every problem of a run, so that all of them are reported at once.

    At most MAX_PER_FILE errors and MAX_PER_FILE warnings are kept per file; the first one past the
    limit is replaced by a note saying that more were found, so a hostile file cannot make a run print
    (or hold in memory) a message for every byte it has.
    """

    items: list[Diagnostic] = field(default_factory=list)
    _counts: dict[tuple[str, str], int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def error(self, path: str | Path, line: int, column: int, message: str, hint: str = "", fld: str = "") -> None:
        self.add(Diagnostic(str(path), line, column, message, hint, "error", fld))

    def warning(self, path: str | Path, line: int, column: int, message: str, hint: str = "", fld: str = "") -> None:
        self.add(Diagnostic(str(path), line, column, message, hint, "warning", fld))

    def add(self, item: Diagnostic) -> None:
        key = (item.path, item.severity)
        count = self._counts.get(key, 0)
        self._counts[key] = count + 1
        if count < MAX_PER_FILE:
            self.items.append(item)
        elif count == MAX_PER_FILE:
            kind = "errors" if item.severity == "error" else "warnings"
            message = f"more than {MAX_PER_FILE} {kind} in this file; the rest are not shown"
            hint = "fix the ones above and run again"
            self.items.append(Diagnostic(item.path, item.line, item.column, message, hint, item.severity))

    def full(self, path: str, severity: str = "error") -> bool:
        """True once `path` has all the diagnostics of this severity that are shown, and the note that more
        were found: further ones need no work."""
        return self._counts.get((path, severity), 0) > MAX_PER_FILE

    def extend(self, others: Iterable[Diagnostic]) -> None:
        for item in others:
            self.add(item)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self.items), key=_sort_key))

    def __len__(self) -> int:
        return len(self.items)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.column, d.message)


def format_diagnostics(diagnostics: Iterable[Diagnostic], style: str) -> str:
    """Render diagnostics as `text`, `github` or `json`."""
    items = list(diagnostics)
    if style == "json":
        return json.dumps([asdict(d) for d in items], indent=2, ensure_ascii=False)
    if style == "github":
        return "\n".join(d.format_github() for d in items)
    return "\n".join(d.format_text() for d in items)


class ContentError(Exception):
    """Raised when content has errors; carries all of them."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        super().__init__(f"{len(diagnostics.errors)} error(s) in content")
        self.diagnostics = diagnostics
