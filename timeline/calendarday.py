"""A calendar day of the proleptic Gregorian calendar, in astronomical year numbering, years -9999 to 9999.

Python's `datetime.date` stops at the year 1, so events before the common era need a day type of their own.
Year 0 is 1 BCE and -43 is 44 BCE (ISO 8601 and EDTF number years this way); a year is a leap year by the
Gregorian rule applied backwards, so 0, -4 and -400 are leap years and -100 is not.

Days are counted as `datetime.date.toordinal()` counts them (0001-01-01 is day 1), with Howard Hinnant's
`days_from_civil` and `civil_from_days` (https://howardhinnant.github.io/date_algorithms.html), so a day of
the years 1 to 9999 has the same ordinal as Python's date and converts to one with `to_date()`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

MIN_YEAR = -9999
MAX_YEAR = 9999
_UNIX_ORDINAL = 719163  # dt.date(1970, 1, 1).toordinal()
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and is_leap(year) else _MONTH_DAYS[month - 1]


def iso_year(year: int) -> str:
    """The year as ISO 8601 and EDTF write it: four digits, a minus sign before the years up to 1 BCE but 0000."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def era_year(year: int, *, mark_ce: bool = False) -> str:
    """The year as a reader counts it: `44 BCE` for -43, `1 BCE` for 0; `79` (or `79 CE` with `mark_ce`)."""
    if year <= 0:
        return f"{1 - year} BCE"
    return f"{year} CE" if mark_ce else str(year)


def historical_year(year: int) -> int:
    """An astronomical year in the numbering without a year 0 that TimelineJS shows: -43 (44 BCE) is -44."""
    return year if year > 0 else year - 1


def astronomical_year(historical: int) -> int:
    """The inverse of `historical_year`: -44 (44 BCE) is -43, -1 (1 BCE) is 0; there is no historical year 0."""
    if historical == 0:
        raise ValueError("there is no year 0 in a numbering of years CE and BCE")
    return historical if historical > 0 else historical + 1


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 (Hinnant's days_from_civil)."""
    year -= month <= 2
    era = year // 400  # floor division: Hinnant's C adjusts its truncating division for negative years
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a count of days since 1970-01-01 (Hinnant's civil_from_days)."""
    days += 719468
    era = days // 146097
    day_of_era = days - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    return year_of_era + era * 400 + (month <= 2), month, day


class CalendarDay:
    """One day: ordered, hashable, and moved by whole days (`day + 1`, `day - timedelta(days=2)`, `b - a`)."""

    __slots__ = ("_ordinal", "day", "month", "year")

    year: int
    month: int
    day: int
    _ordinal: int

    def __init__(self, year: int, month: int, day: int) -> None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside {MIN_YEAR} to {MAX_YEAR}")
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is outside 1 to 12")
        if not 1 <= day <= days_in_month(year, month):
            raise ValueError(f"day {day} is outside 1 to {days_in_month(year, month)}")
        self.year, self.month, self.day = year, month, day
        self._ordinal = _days_from_civil(year, month, day) + _UNIX_ORDINAL

    @classmethod
    def from_ordinal(cls, ordinal: int) -> CalendarDay:
        """The day numbered `ordinal`, counted as `datetime.date.fromordinal` counts (0001-01-01 is 1)."""
        return cls(*_civil_from_days(ordinal - _UNIX_ORDINAL))

    @classmethod
    def from_date(cls, date: dt.date) -> CalendarDay:
        return cls(date.year, date.month, date.day)

    def toordinal(self) -> int:
        return self._ordinal

    def to_date(self) -> dt.date | None:
        """The same day as Python's date, or None before the year 1 (which Python's dates cannot hold)."""
        return dt.date(self.year, self.month, self.day) if self.year >= 1 else None

    def isoformat(self) -> str:
        """`2022-07-03`, `0079-08-24`, `-0043-03-15` (44 BCE), as ISO 8601 and EDTF write them."""
        return f"{iso_year(self.year)}-{self.month:02d}-{self.day:02d}"

    @property
    def common_era(self) -> bool:
        """True from 1 CE on: days an HTML date, RFC 3339 or iCalendar can write."""
        return self.year >= 1

    def __add__(self, other: int | dt.timedelta) -> CalendarDay:
        days = other.days if isinstance(other, dt.timedelta) else other
        if not isinstance(days, int):
            return NotImplemented
        return CalendarDay.from_ordinal(self._ordinal + days)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        if isinstance(other, CalendarDay):
            return dt.timedelta(days=self._ordinal - other._ordinal)
        if isinstance(other, dt.timedelta | int) and not isinstance(other, bool):
            return self + (-other if isinstance(other, int) else -other.days)
        return NotImplemented

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CalendarDay) and self._ordinal == other._ordinal

    def __lt__(self, other: CalendarDay) -> bool:
        return self._ordinal < other._ordinal

    def __le__(self, other: CalendarDay) -> bool:
        return self._ordinal <= other._ordinal

    def __gt__(self, other: CalendarDay) -> bool:
        return self._ordinal > other._ordinal

    def __ge__(self, other: CalendarDay) -> bool:
        return self._ordinal >= other._ordinal

    def __hash__(self) -> int:
        return hash(self._ordinal)

    def __repr__(self) -> str:
        return f"CalendarDay({self.year}, {self.month}, {self.day})"

    def __str__(self) -> str:
        return self.isoformat()

    def __reduce__(self) -> tuple[Any, ...]:
        return (CalendarDay, (self.year, self.month, self.day))


FIRST_DAY = CalendarDay(MIN_YEAR, 1, 1)
LAST_DAY = CalendarDay(MAX_YEAR, 12, 31)
