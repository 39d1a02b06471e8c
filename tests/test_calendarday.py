"""The calendar day type: the same days as Python's date where both exist, and the proleptic Gregorian
calendar in astronomical numbering before the year 1."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from timeline.calendarday import CalendarDay, days_in_month, era_year, is_leap, iso_year


@pytest.mark.parametrize("ordinal", [1, 2, 59, 60, 365, 366, 719163, 730120, 738704, 3652059, *range(1, 3652059, 9973)])
def test_ordinals_match_python_dates(ordinal: int) -> None:
    date = dt.date.fromordinal(ordinal)
    day = CalendarDay.from_ordinal(ordinal)
    assert (day.year, day.month, day.day) == (date.year, date.month, date.day)
    assert CalendarDay(date.year, date.month, date.day).toordinal() == date.toordinal()
    assert day.to_date() == date
    assert day.isoformat() == date.isoformat()


def test_every_day_of_four_centuries_matches_python() -> None:
    """Four hundred years cover every case of the leap-year rule."""
    day = CalendarDay(1600, 1, 1)
    date = dt.date(1600, 1, 1)
    while date.year < 2001:
        assert (day.year, day.month, day.day, day.toordinal()) == (date.year, date.month, date.day, date.toordinal())
        day, date = day + 1, date + dt.timedelta(days=1)


def test_arithmetic_matches_python_dates() -> None:
    a, b = CalendarDay(2022, 2, 24), CalendarDay(2022, 7, 3)
    assert b - a == dt.date(2022, 7, 3) - dt.date(2022, 2, 24)
    assert a + dt.timedelta(days=129) == b
    assert b - dt.timedelta(days=129) == a
    assert b - 129 == a


def test_ides_of_march_44_bce() -> None:
    """44 BCE is astronomical -43; the days before the year 1 continue the count backwards without a gap."""
    ides = CalendarDay(-43, 3, 15)
    assert ides.isoformat() == "-0043-03-15"
    assert ides.to_date() is None
    assert ides + 17 == CalendarDay(-43, 4, 1)  # March has 31 days
    assert ides - 15 == CalendarDay(-43, 2, 28)  # -43 is no leap year
    assert ides + 365 == CalendarDay(-42, 3, 15)
    first_ce = CalendarDay(1, 1, 1)
    assert first_ce.toordinal() == 1
    assert CalendarDay(0, 12, 31).toordinal() == 0
    # 44 years, -43 to 0, with 11 leap days (-40, -36, …, 0), less 1 January to 15 March
    assert (first_ce - ides).days == 44 * 365 + 11 - 31 - 28 - 14
    assert CalendarDay.from_ordinal(ides.toordinal()) == ides


@pytest.mark.parametrize(("year", "leap"), [(0, True), (-4, True), (-400, True), (-100, False), (-1, False), (-43, False)])
def test_leap_years_before_the_common_era(year: int, leap: bool) -> None:
    assert is_leap(year) is leap
    assert days_in_month(year, 2) == (29 if leap else 28)
    assert (CalendarDay(year + 1, 1, 1) - CalendarDay(year, 1, 1)).days == (366 if leap else 365)


def test_ordering_and_hashing_across_the_era_boundary() -> None:
    days = [CalendarDay(1, 1, 1), CalendarDay(-43, 3, 15), CalendarDay(0, 12, 31), CalendarDay(-9999, 1, 1)]
    assert sorted(days) == [days[3], days[1], days[2], days[0]]
    assert CalendarDay(0, 12, 31) + 1 == CalendarDay(1, 1, 1)
    assert len({CalendarDay(-43, 3, 15), CalendarDay(-44, 12, 31) + 74}) == 1
    assert CalendarDay(-43, 3, 15) != CalendarDay(43, 3, 15)


def test_survives_pickling() -> None:
    """The parse cache pickles parsed dates."""
    day = CalendarDay(-43, 3, 15)
    assert pickle.loads(pickle.dumps(day)) == day


@pytest.mark.parametrize(("args", "message"), [((-10000, 1, 1), "year"), ((-43, 2, 29), "day"), ((0, 13, 1), "month")])
def test_out_of_range_days_are_refused(args: tuple[int, int, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CalendarDay(*args)


def test_years_as_written() -> None:
    assert [iso_year(y) for y in (2022, 79, 0, -43, -9999)] == ["2022", "0079", "0000", "-0043", "-9999"]
    assert [era_year(y) for y in (2022, 79, 1, 0, -43)] == ["2022", "79", "1", "1 BCE", "44 BCE"]
    assert era_year(50, mark_ce=True) == "50 CE"
