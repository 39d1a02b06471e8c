"""The subset of the Extended Date/Time Format (ISO 8601-2, level 1) that events use.

`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by `~` (approximate), `?` (uncertain) or
`%` (both), and intervals `start/end` of two such dates. Years run from -9999 to 9999 in astronomical
numbering, as EDTF and ISO 8601 count them: `0000` is 1 BCE and `-0043` is 44 BCE (see timeline.calendarday).
Years beyond four digits (EDTF's `Y-170000002`) are not in the subset.

Checked against the Library of Congress specification (https://www.loc.gov/standards/datetime/, 4 February
2019): level 0 writes years with four digits; "negative calendar year" (`-1985`) is a level 1 feature, as are
the qualifiers; the `Y` prefix is for years of more than four digits only, so `-00043` is refused rather than
read as -43. The specification gives no example of year 0; ISO 8601-1 (§3.2.4, as quoted in tc39/ecma262#2550)
writes zero with a plus sign or none, never a minus, so `-0000` is refused and 1 BCE is `0000`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from timeline.calendarday import FIRST_DAY, LAST_DAY, CalendarDay, days_in_month, era_year, iso_year

_PART = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)$", re.ASCII)
_LONG_YEAR = re.compile(r"^(?:Y-?|-?)\d{5,}", re.ASCII)
_SHORT_YEAR = re.compile(r"^-?\d{1,3}(?:$|[-~?%])", re.ASCII)
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
    def first_day(self) -> CalendarDay:
        return CalendarDay(self.year, self.month or 1, self.day or 1)

    @cached_property
    def last_day(self) -> CalendarDay:
        if self.day:
            return self.first_day
        month = self.month or 12
        return CalendarDay(self.year, month, days_in_month(self.year, month))

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    @property
    def common_era(self) -> bool:
        return self.year >= 1

    def __str__(self) -> str:
        text = iso_year(self.year)
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text + self.qualifier

    def human(self, *, mark_ce: bool = False) -> str:
        """`3 July 2022`, `July 2022`, `2022`, `15 March 44 BCE`, with `about` or `(uncertain)` for the
        qualifiers; `mark_ce` writes `CE` after a year of the common era (for an interval that crosses it)."""
        year = era_year(self.year, mark_ce=mark_ce)
        if self.day and self.month:
            text = f"{self.day} {MONTHS[self.month - 1]} {year}"
        elif self.month:
            text = f"{MONTHS[self.month - 1]} {year}"
        else:
            text = year
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
    def first_day(self) -> CalendarDay:
        return self.start.first_day

    @cached_property
    def last_day(self) -> CalendarDay:
        return (self.end or self.start).last_day

    @property
    def midpoint(self) -> CalendarDay:
        first, last = self.first_day, self.last_day
        return first + (last.toordinal() - first.toordinal()) // 2

    @property
    def common_era(self) -> bool:
        """True when every day of the date is in the common era (1 CE on): an HTML `<time datetime>`, an
        RFC 3339 timestamp and an iCalendar DATE can hold it."""
        return self.start.common_era

    @property
    def is_exact_day(self) -> bool:
        return self.end is None and self.start.precision == "day" and not self.start.qualifier

    @property
    def sort_day(self) -> CalendarDay:
        """The day the date sorts on: a start known only to its month or year sorts at the end of it, so that an
        event dated `2022` never comes before one of 24 February 2022."""
        return self.start.last_day

    @cached_property
    def sort_key(self) -> tuple[CalendarDay, int, CalendarDay, str]:
        """Chronological by `sort_day`; on the same day, the finer start first, then the narrower date."""
        return (self.sort_day, ("day", "month", "year").index(self.start.precision), self.last_day, str(self))

    def __str__(self) -> str:
        return f"{self.start}/{self.end}" if self.end else str(self.start)

    @property
    def ends_in_common_era(self) -> bool:
        """True when the last point of the date is in the common era."""
        return (self.end or self.start).common_era

    def human(self, *, mark_ce: bool = False) -> str:
        """The date in words; an interval from before the common era into it marks both eras: `50 BCE to 50 CE`.
        `mark_ce` writes `CE` after a year of the common era, for the end of a span that crosses it."""
        if not self.end:
            return self.start.human(mark_ce=mark_ce)
        return " to ".join(span_words(EdtfDate(self.start), EdtfDate(self.end), mark_ce=mark_ce))

    def iso(self) -> str:
        """The first day as ISO 8601 (for machines: feeds, sitemaps, JSON-LD); `-0043-03-15` before 1 BCE."""
        return self.first_day.isoformat()

    def html_datetime(self) -> str | None:
        """The first day as an HTML valid date string for `<time datetime>`, or None before 1 CE: HTML's
        dates need a year above zero, so such a date is written in words only."""
        return self.first_day.isoformat() if self.common_era else None


def span_words(first: EdtfDate, last: EdtfDate, *, mark_ce: bool = False) -> tuple[str, str]:
    """The two ends of a span in words: an interval's, or an episode's start and end. A span from before the
    common era into it says so at its end, `50 BCE` to `50 CE`, where `50` alone would read as 50 BCE."""
    crosses = mark_ce or (not first.common_era and last.ends_in_common_era)
    return first.human(mark_ce=mark_ce), last.human(mark_ce=crosses)


BCE_HINT = "years before the common era are negative, counted as ISO 8601 does: 0000 is 1 BCE, -0043 is 44 BCE"


def _parse_point(text: str) -> EdtfPoint:
    match = _PART.fullmatch(text)
    if not match:
        if _LONG_YEAR.match(text):
            raise EdtfError(f"'{text}' has a year of more than four digits; years run from -9999 to 9999", BCE_HINT)
        if _SHORT_YEAR.match(text):
            raise EdtfError(f"'{text}' has a year of fewer than four digits", "write the year with four digits: 0079, -0043")
        raise EdtfError(f"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day, qualifier = match.groups()
    if year == "-0000":
        raise EdtfError(f"'{text}' has year -0000, which EDTF does not allow", "1 BCE is 0000, without a minus sign")
    y = int(year)
    m = int(month) if month else None
    d = int(day) if day else None
    if m is not None and not 1 <= m <= 12:
        raise EdtfError(f"'{text}' has month {m:02d}; months run from 01 to 12")
    if m is not None and d is not None:
        last = days_in_month(y, m)
        if not 1 <= d <= last:
            raise EdtfError(f"'{text}' has day {d:02d}, but {MONTHS[m - 1]} {era_year(y)} has {last} days", _leap_hint(y, m, d))
    return EdtfPoint(y, m, d, qualifier)


def _leap_hint(year: int, month: int, day: int) -> str:
    """For 29 February of a common year, which years are leap years; before 1 CE they are not the ones a reader
    counting BCE years expects (see timeline.calendarday)."""
    if (month, day) != (2, 29):
        return ""
    if year > 0:
        return f"{year} is not a leap year; check the day in the source"
    return (
        f"{era_year(year)} is not a leap year: before 1 CE the leap years are 1 BCE, 5 BCE, 9 BCE... "
        "(0000, -0004, -0008 in EDTF), as the proleptic Gregorian calendar counts them"
    )


def check_drawable(date: EdtfDate) -> None:
    """Raise EdtfError for a date that touches the first or last day of the calendar (-9999-01-01, 9999-12-31):
    a chart pads its axis by a day on each side, which would leave the calendar."""
    if date.first_day == FIRST_DAY or date.last_day == LAST_DAY:
        end = "first" if date.first_day == FIRST_DAY else "last"
        raise EdtfError(
            f"'{date}' reaches the {end} day of the calendar, which cannot be drawn",
            "dates run from -9999-01-02 to 9999-12-30; write the real date",
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
