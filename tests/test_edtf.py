"""The EDTF subset: YYYY, YYYY-MM, YYYY-MM-DD, qualifiers ~ ? %, and intervals a/b."""

from __future__ import annotations

import pytest

from timeline.calendarday import CalendarDay
from timeline.edtf import EdtfDate, EdtfError, EdtfPoint, parse_edtf, span_words

D = CalendarDay


@pytest.mark.parametrize(
    ("text", "point", "precision", "first", "last"),
    [
        ("2022", EdtfPoint(2022), "year", D(2022, 1, 1), D(2022, 12, 31)),
        ("2022-07", EdtfPoint(2022, 7), "month", D(2022, 7, 1), D(2022, 7, 31)),
        ("2022-02", EdtfPoint(2022, 2), "month", D(2022, 2, 1), D(2022, 2, 28)),
        ("2024-02", EdtfPoint(2024, 2), "month", D(2024, 2, 1), D(2024, 2, 29)),
        ("2022-07-03", EdtfPoint(2022, 7, 3), "day", D(2022, 7, 3), D(2022, 7, 3)),
        ("0001-01-01", EdtfPoint(1, 1, 1), "day", D(1, 1, 1), D(1, 1, 1)),
        ("9999-12", EdtfPoint(9999, 12), "month", D(9999, 12, 1), D(9999, 12, 31)),
        ("0000", EdtfPoint(0), "year", D(0, 1, 1), D(0, 12, 31)),
        ("-0043-03-15", EdtfPoint(-43, 3, 15), "day", D(-43, 3, 15), D(-43, 3, 15)),
        ("-0043-02", EdtfPoint(-43, 2), "month", D(-43, 2, 1), D(-43, 2, 28)),
        ("-0004-02", EdtfPoint(-4, 2), "month", D(-4, 2, 1), D(-4, 2, 29)),
        ("-9999", EdtfPoint(-9999), "year", D(-9999, 1, 1), D(-9999, 12, 31)),
    ],
)
def test_points(text: str, point: EdtfPoint, precision: str, first: CalendarDay, last: CalendarDay) -> None:
    date = parse_edtf(text)
    assert date == EdtfDate(point)
    assert date.start.precision == precision
    assert (date.first_day, date.last_day) == (first, last)
    assert str(date) == text
    assert date.iso() == first.isoformat()


@pytest.mark.parametrize(
    ("text", "qualifier", "approximate", "uncertain"),
    [
        ("2022-07-03", "", False, False),
        ("2022-07-03~", "~", True, False),
        ("2022-07?", "?", False, True),
        ("2022%", "%", True, True),
    ],
)
def test_qualifiers(text: str, qualifier: str, approximate: bool, uncertain: bool) -> None:
    point = parse_edtf(text).start
    assert point.qualifier == qualifier
    assert (point.approximate, point.uncertain) == (approximate, uncertain)
    assert str(point) == text


def test_qualifier_does_not_change_the_days_covered() -> None:
    assert parse_edtf("2022-07~").first_day == parse_edtf("2022-07").first_day == D(2022, 7, 1)
    assert parse_edtf("2022-07~").last_day == D(2022, 7, 31)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022-07-01/2022-07-04", D(2022, 7, 1), D(2022, 7, 4)),
        ("2022-07-03/2022-07-03", D(2022, 7, 3), D(2022, 7, 3)),
        ("2022/2023-03", D(2022, 1, 1), D(2023, 3, 31)),
        ("2022-06~/2022-07-03?", D(2022, 6, 1), D(2022, 7, 3)),
        ("2022-07/2022-07-15", D(2022, 7, 1), D(2022, 7, 15)),
        ("-0049/0049", D(-49, 1, 1), D(49, 12, 31)),
        ("-0043-03-15~/-0043-03", D(-43, 3, 15), D(-43, 3, 31)),
    ],
)
def test_intervals(text: str, first: CalendarDay, last: CalendarDay) -> None:
    date = parse_edtf(text)
    assert date.end is not None
    assert (date.first_day, date.last_day) == (first, last)
    assert str(date) == text
    assert not date.is_exact_day


def test_interval_parts_keep_their_qualifiers() -> None:
    date = parse_edtf("2022-06~/2022-07-03?")
    assert date.start == EdtfPoint(2022, 6, None, "~")
    assert date.end == EdtfPoint(2022, 7, 3, "?")


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_edtf("  2022-07-03\n") == parse_edtf("2022-07-03")


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2022-07-03", "3 July 2022"),
        ("2022-07", "July 2022"),
        ("2022", "2022"),
        ("2022-12-25~", "about 25 December 2022"),
        ("2022-01?", "January 2022 (uncertain)"),
        ("2014%", "about 2014 (uncertain)"),
        ("2022-07-01/2022-07-04", "1 July 2022 to 4 July 2022"),
        ("2022-06~/2022-07?", "about June 2022 to July 2022 (uncertain)"),
        ("0987-03-09", "9 March 987"),
        ("0079-08", "August 79"),
        ("-0043-03-15", "15 March 44 BCE"),
        ("-0043-03", "March 44 BCE"),
        ("-0043", "44 BCE"),
        ("0000", "1 BCE"),
        ("-0499~", "about 500 BCE"),
        ("-0099?", "100 BCE (uncertain)"),
        ("-0049/0050", "50 BCE to 50 CE"),
        ("-0049/-0040", "50 BCE to 41 BCE"),
        ("0000/0001", "1 BCE to 1 CE"),
        ("0001/0002", "1 to 2"),
    ],
)
def test_human(text: str, human: str) -> None:
    assert parse_edtf(text).human() == human


def test_is_exact_day_only_for_an_unqualified_day() -> None:
    assert parse_edtf("2022-07-03").is_exact_day
    assert not parse_edtf("2022-07-03~").is_exact_day
    assert not parse_edtf("2022-07").is_exact_day
    assert not parse_edtf("2022-07-03/2022-07-04").is_exact_day


def test_midpoint() -> None:
    assert parse_edtf("2022-07-01/2022-07-05").midpoint == D(2022, 7, 3)
    assert parse_edtf("2022-07-03").midpoint == D(2022, 7, 3)
    assert parse_edtf("2022").midpoint == D(2022, 7, 2)


def test_sort_order_is_chronological_and_narrower_first() -> None:
    texts = [
        "2023",
        "2022-07-03~",
        "2022",
        "2022-07",
        "2022-07-03",
        "2022-07-01/2022-07-04",
        "2022-07-01",
        "2021-12-31",
        "2022-01-01",
        "2022-01",
    ]
    ordered = sorted(texts, key=lambda t: parse_edtf(t).sort_key)
    assert ordered == [
        "2021-12-31",
        "2022-01-01",
        "2022-01",
        "2022-07-01",
        "2022-07-01/2022-07-04",
        "2022-07-03",
        "2022-07-03~",
        "2022-07",
        "2022",
        "2023",
    ]


@pytest.mark.parametrize(
    ("coarse", "dated"),
    [
        ("2022", ["2022-02-24", "2022-07-03", "2022-12-31", "2022-12", "2022-03/2022-05"]),
        ("2022-07", ["2022-07-01", "2022-07-31", "2022-07-03/2023-01"]),
        ("2022-07/2022-12", ["2022-07-03", "2022-07-31~", "2022-07-02/2022-07-03"]),
        ("2025-06~", ["2025-06-30", "2025-06-25?"]),
    ],
)
def test_a_date_known_only_to_its_month_or_year_does_not_jump_ahead_of_dates_within_it(coarse: str, dated: list[str]) -> None:
    """An event dated 2022 is listed after the dated events of 2022, not before the invasion of 24 February."""
    for other in dated:
        assert parse_edtf(other).sort_key < parse_edtf(coarse).sort_key, other
    assert parse_edtf(coarse).sort_key < parse_edtf(str(int(coarse[:4]) + 1)).sort_key


@pytest.mark.parametrize("text", ["2024-02-29", "2000-02-29", "1996-02-29"])
def test_leap_days_of_leap_years_are_valid(text: str) -> None:
    assert parse_edtf(text).first_day.day == 29


@pytest.mark.parametrize(
    ("text", "days"),
    [("2023-02-29", 28), ("1900-02-29", 28), ("2022-02-30", 28), ("2024-02-30", 29)],
)
def test_days_past_the_end_of_february(text: str, days: int) -> None:
    year = text[:4]
    with pytest.raises(EdtfError) as error:
        parse_edtf(text)
    assert str(error.value) == f"'{text}' has day {text[-2:]}, but February {year} has {days} days"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-13", "'2022-13' has month 13; months run from 01 to 12"),
        ("2022-00-10", "'2022-00-10' has month 00; months run from 01 to 12"),
        ("2022-13-45", "'2022-13-45' has month 13; months run from 01 to 12"),
        ("2022-07-00", "'2022-07-00' has day 00, but July 2022 has 31 days"),
        ("2022-04-31", "'2022-04-31' has day 31, but April 2022 has 30 days"),
        ("yesterday", "'yesterday' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("", "'' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-7-3", "'2022-7-3' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("22-07-03", "'22-07-03' has a year of fewer than four digits"),
        ("-44", "'-44' has a year of fewer than four digits"),
        ("-10000", "'-10000' has a year of more than four digits; years run from -9999 to 9999"),
        ("Y-170000002", "'Y-170000002' has a year of more than four digits; years run from -9999 to 9999"),
        ("-0000", "'-0000' has year -0000, which EDTF does not allow"),
        ("--0043", "'--0043' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("-0043-02-29", "'-0043-02-29' has day 29, but February 44 BCE has 28 days"),
        ("0049/-0049", "the interval '0049/-0049' ends before it starts"),
        ("03.07.2022", "'03.07.2022' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-07-03T10:00", "'2022-07-03T10:00' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-07-03~?", "'2022-07-03~?' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("~2022", "'~2022' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-07-03/", "'' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("/2022", "'' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022/2023/2024", "'2023/2024' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2022-07-03/2022-07-01", "the interval '2022-07-03/2022-07-01' ends before it starts"),
        ("2023/2022", "the interval '2023/2022' ends before it starts"),
        ("2022-07-05/2022-06", "the interval '2022-07-05/2022-06' ends before it starts"),
    ],
)
def test_errors_say_why(text: str, message: str) -> None:
    with pytest.raises(EdtfError) as error:
        parse_edtf(text)
    assert str(error.value) == message


def test_edtf_error_is_a_value_error() -> None:
    assert issubclass(EdtfError, ValueError)


@pytest.mark.parametrize("text", ["0000-02-29", "-0004-02-29", "-0400-02-29"])
def test_leap_days_before_the_common_era(text: str) -> None:
    """Astronomical year 0 (1 BCE), -4 (5 BCE) and -400 are leap years of the proleptic Gregorian calendar."""
    assert parse_edtf(text).first_day == parse_edtf(text[:-3]).last_day - 0


@pytest.mark.parametrize(("text", "year"), [("-0001-02-29", "2 BCE"), ("-0100-02-29", "101 BCE")])
def test_no_leap_day_in_common_bce_years(text: str, year: str) -> None:
    """The hint names the year in words and the BCE leap years, which are not the ones divisible by four."""
    with pytest.raises(EdtfError, match="has 28 days") as error:
        parse_edtf(text)
    assert error.value.hint.startswith(f"{year} is not a leap year")
    assert "5 BCE" in error.value.hint
    assert "-0004" in error.value.hint


def test_only_29_february_of_a_common_year_gets_the_leap_year_hint() -> None:
    with pytest.raises(EdtfError) as leap:
        parse_edtf("2025-02-29")
    assert leap.value.hint.startswith("2025 is not a leap year")
    with pytest.raises(EdtfError) as thirtieth:
        parse_edtf("2024-02-30")
    assert "leap" not in thirtieth.value.hint


def test_sort_order_across_the_era_boundary() -> None:
    texts = ["0001", "-0043-03-15", "0000", "-0043", "-0044-12-31", "-0001-06", "0079-08-24", "-0043-03-15/0014"]
    ordered = sorted(texts, key=lambda t: parse_edtf(t).sort_key)
    assert ordered == ["-0044-12-31", "-0043-03-15", "-0043-03-15/0014", "-0043", "-0001-06", "0000", "0001", "0079-08-24"]


def test_bce_dates_have_no_html_datetime() -> None:
    """HTML's valid date string needs a year above zero: a BCE date gets none, a CE date its first day."""
    assert parse_edtf("-0043-03-15").html_datetime() is None
    assert parse_edtf("0000").html_datetime() is None
    assert parse_edtf("-0049/0049").html_datetime() is None
    assert parse_edtf("0079-08").html_datetime() == "0079-08-01"
    assert parse_edtf("-0043-03-15").iso() == "-0043-03-15"


@pytest.mark.parametrize("text", ["２０２２-07-03", "٢٠٢٢", "2022-0٧"])
def test_only_ascii_digits_are_digits(text: str) -> None:
    """Only ASCII digits make a date, as in the JSON Schema pattern (full-width and Arabic-Indic digits do not)."""
    with pytest.raises(EdtfError):
        parse_edtf(text)


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        ("-0049", "0050", ("50 BCE", "50 CE")),  # across the era boundary: the end says CE
        ("-0043-03-01", "-0043-04-30", ("1 March 44 BCE", "30 April 44 BCE")),
        ("0000", "0001", ("1 BCE", "1 CE")),
        ("2022-07-01", "2022-07-31", ("1 July 2022", "31 July 2022")),  # the common era alone: no CE
        ("-0010", "0010/0020", ("11 BCE", "10 CE to 20 CE")),  # an end that is itself an interval
        ("-0010", "-0005/0020", ("11 BCE", "6 BCE to 20 CE")),
    ],
)
def test_span_words_mark_the_common_era_when_a_span_crosses_into_it(first: str, last: str, words: tuple[str, str]) -> None:
    assert span_words(parse_edtf(first), parse_edtf(last)) == words


def test_an_interval_in_words_is_its_span() -> None:
    assert parse_edtf("-0049/0050").human() == " to ".join(span_words(parse_edtf("-0049"), parse_edtf("0050")))
