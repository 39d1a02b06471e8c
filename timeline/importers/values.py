"""Reading one cell or JSON value: days, date parts, numbers, coordinates, lists; each failure is Unmappable."""

from __future__ import annotations

import datetime as dt
import math
import re

from timeline.calendarday import MAX_YEAR, MIN_YEAR, iso_year
from timeline.edtf import EdtfDate, EdtfError, parse_edtf
from timeline.importers.problems import Unmappable

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_DAY_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%d/%m/%Y", "%d-%B-%Y", "%d-%b-%Y", "%d.%m.%Y")


def parse_day(text: str) -> dt.date:
    """A calendar day: YYYY-MM-DD (a time after it is ignored), or day-first forms such as 03 July 2022, 03-07-2022."""
    value = text.strip()
    match = _ISO_DAY.match(value)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
        for form in _DAY_FORMATS:
            try:
                return dt.datetime.strptime(value, form).date()
            except ValueError:
                continue
    except ValueError as exc:
        raise Unmappable(f"'{value}' is not a valid date: {exc}", "write it as YYYY-MM-DD") from None
    raise Unmappable(f"'{value}' is not a date", "write it as YYYY-MM-DD, e.g. 2022-07-03")


def point_text(year: int, month: int | None = None, day: int | None = None) -> str:
    """A date of our EDTF subset from its parts; `year` is astronomical (0 is 1 BCE, -43 is 44 BCE)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        side = "before 10000 BCE" if year < MIN_YEAR else "after 9999"
        raise Unmappable(f"the year {year} is {side}", "dates run from 10000 BCE to 9999 CE")
    text = iso_year(year)
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    elif day is not None:
        raise Unmappable("a day is given without a month", "give the month too, or leave the day out")
    return text


def edtf(text: str) -> EdtfDate:
    """Parse a date of our subset, turning its error into Unmappable."""
    try:
        return parse_edtf(text)
    except EdtfError as exc:
        raise Unmappable(str(exc), exc.hint or "write YYYY-MM-DD, YYYY-MM or YYYY") from None


def parse_int(text: object, what: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number (a JSON number, or text such as '1,234' or '12.0')."""
    if isinstance(text, bool):
        raise Unmappable(f"{what} is {str(text).lower()}, not a number")
    value = str(text).strip().replace(",", "").replace(" ", "")
    try:
        number = float(value)
    except ValueError:
        raise Unmappable(f"{what} is '{text}', not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise Unmappable(f"{what} is '{text}', not a whole number")
    if (low is not None and number < low) or (high is not None and number > high):
        raise Unmappable(f"{what} is {int(number)}, outside {low} to {high}")
    return int(number)


def parse_coordinate(text: str, what: str) -> float:
    """Latitude (-90 to 90) or longitude (-180 to 180) in decimal degrees."""
    limit = 90 if what == "latitude" else 180
    try:
        number = float(text.strip())
    except ValueError:
        raise Unmappable(f"the {what} '{text}' is not a number", "write decimal degrees, e.g. 48.9167") from None
    if not math.isfinite(number) or not -limit <= number <= limit:
        hint = "write decimal degrees; check that latitude and longitude are not swapped"
        raise Unmappable(f"the {what} {text.strip()} is outside -{limit} to {limit}", hint)
    return round(number, 6)


def split_list(text: str, separator: str = ";") -> list[str]:
    """Several values in one cell, separated by `separator`; blanks dropped, order kept, duplicates removed."""
    seen: list[str] = []
    for part in text.split(separator):
        value = " ".join(part.split())
        if value and value not in seen:
            seen.append(value)
    return seen


def one_line(text: str) -> str:
    return " ".join(text.split())
