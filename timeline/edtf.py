"""The subset of the Extended Date/Time Format (ISO 8601-2, level 1) that events use.

`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by `~` (approximate), `?` (uncertain) or
`%` (both), and intervals `start/end` of two such dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)$", re.ASCII)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class EdtfError(ValueError):
    """A date that is not in the supported subset; the message says why, the hint how to fix it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class EdtfPoint:
    """One date at year, month or day precision."""

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: str = ""  # "", "~", "?" or "%"

    @cached_property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    def human(self) -> str:
        """`3 July 2022`, `July 2022`, `2022`, with `about` or `?` for the qualifiers."""
        if self.day and self.month:
            text = f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        elif self.month:
            text = f"{MONTHS[self.month - 1]} {self.year}"
        else:
            text = str(self.year)
        if self.approximate:
            text = "about " + text
        if self.uncertain:
            text += " (uncertain)"
        return text


@dataclass(frozen=True)
class EdtfDate:
    """A point or an interval; `start` sorts events, `end` is the last day it may cover."""

    start: EdtfPoint
    end: EdtfPoint | None = None

    @cached_property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @cached_property
    def last_day(self) -> dt.date:
        return (self.end or self.start).last_day

    @property
    def midpoint(self) -> dt.date:
        first, last = self.first_day, self.last_day
        return first + (last - first) / 2

    @property
    def is_exact_day(self) -> bool:
        return self.end is None and self.start.precision == "day" and not self.start.qualifier

    @property
    def sort_day(self) -> dt.date:
        """The day the date sorts on: a start known only to its month or year sorts at the end of it, so that an
        event dated `2022` never comes before one of 24 February 2022."""
        return self.start.last_day

    @property
    def sort_key(self) -> tuple[dt.date, int, dt.date, str]:
        """Chronological by `sort_day`; on the same day, the finer start first, then the narrower date."""
        return (self.sort_day, ("day", "month", "year").index(self.start.precision), self.last_day, str(self))

    def __str__(self) -> str:
        return f"{self.start}/{self.end}" if self.end else str(self.start)

    def human(self) -> str:
        return f"{self.start.human()} to {self.end.human()}" if self.end else self.start.human()

    def iso(self) -> str:
        """The first day as ISO 8601 (for machines: feeds, sitemaps, JSON-LD)."""
        return self.first_day.isoformat()


def _parse_point(text: str) -> EdtfPoint:
    match = _PART.fullmatch(text)
    if not match:
        raise EdtfError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day, qualifier = match.groups()
    y = int(year)
    if y == 0:
        raise EdtfError(f"'{text}' has year 0000; years run from 0001")
    m = int(month) if month else None
    d = int(day) if day else None
    if m is not None and not 1 <= m <= 12:
        raise EdtfError(f"'{text}' has month {m:02d}; months run from 01 to 12")
    if m is not None and d is not None:
        last = calendar.monthrange(y, m)[1]
        if not 1 <= d <= last:
            raise EdtfError(f"'{text}' has day {d:02d}, but {MONTHS[m - 1]} {y} has {last} days")
    return EdtfPoint(y, m, d, qualifier)


def check_drawable(date: EdtfDate) -> None:
    """Raise EdtfError for a date that touches the first or last day of the calendar (0001-01-01, 9999-12-31):
    a chart pads its axis by a day on each side, which would overflow Python's dates."""
    if date.first_day == dt.date.min or date.last_day == dt.date.max:
        end = "first" if date.first_day == dt.date.min else "last"
        raise EdtfError(
            f"'{date}' reaches the {end} day of the calendar, which cannot be drawn",
            "dates run from 0001-01-02 to 9999-12-30; write the real date",
        )


def parse_edtf(text: str) -> EdtfDate:
    """Parse a date of the supported subset, raising EdtfError with a readable reason."""
    text = text.strip()
    if "/" in text:
        first, _, second = text.partition("/")
        start, end = _parse_point(first), _parse_point(second)
        if end.last_day < start.first_day:
            raise EdtfError(f"the interval '{text}' ends before it starts", f"put the earlier date first: {second}/{first}")
        return EdtfDate(start, end)
    return EdtfDate(_parse_point(text))
