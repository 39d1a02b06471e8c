"""The exports every build writes, read by the clients people use: icalendar, feedparser, csv, json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import feedparser
import icalendar
import pytest

from benchmarks.generate import generate
from tests.conftest import SMALL_CONTENT, build, real_timeline
from tests.export_model import KYIV, UNUSED, WEST, Spec, make_timeline
from timeline import feeds
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.exports import FOLDER, export_files, export_listing
from timeline.exports.geojson import places_geojson
from timeline.exports.ics import events_ics, fold
from timeline.exports.table import COLUMNS, events_csv
from timeline.feeds import SPLIT_EXPORT_ABOVE, data_export

EXPORTS = ("exports/timelinejs.json", "exports/events.csv", "exports/events.ics", "exports/places.geojson")

# One event of each kind of date, and text that tries every escape.
SPECS = [
    Spec("day", "2022-07-03", title="Kyiv, shelled; again\nat night", places=(KYIV, WEST), tags=()),
    Spec("month", "2022-02", title="Лисичанськ: бої тривають"),
    Spec("year", "2021"),
    Spec("about", "2022-06-25~", date_note="late evening"),
    Spec("interval", "2022-06-20/2022-07-02", places=(KYIV,), claimed=True),
    Spec("leap-month", "2024-02?"),
    Spec("formula", "2022-07-04", title='=HYPERLINK("http://evil")', summary="-1+2 is a formula", places=(WEST,)),
    Spec("at", "2022-07-05", title="@SUM(A1)", date_note="\tevening"),
    Spec("plus", "2022-07-06", title="+1 more", date_note="\rat night"),
]


# ---- the built site: every export written and linked from the Data page -------------------------------------


def test_every_build_writes_the_exports_and_the_data_page_links_them(small_site: Path) -> None:
    for name in (*EXPORTS, "feed.json"):
        assert (small_site / name).stat().st_size > 100, name
    data_page = (small_site / "exports" / "index.html").read_text(encoding="utf-8")
    for name in EXPORTS:
        assert f'href="../{name}"' in data_page
    for name in ("feed.xml", "feed.json", "events.json"):
        assert f'href="../{name}"' in data_page
    home = (small_site / "index.html").read_text(encoding="utf-8")
    assert 'href="exports/"' in home.split('class="site-footer"')[1], "the footer links the Data page"
    assert 'type="application/feed+json"' in home.split("</head>")[0], "feed readers find feed.json"


def test_feed_json_holds_the_atom_feeds_entries(small_site: Path) -> None:
    atom = feedparser.parse((small_site / "feed.xml").read_bytes())
    assert not atom.bozo, atom.get("bozo_exception")
    feed = json.loads((small_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"].endswith("/feed.json")
    assert feed["home_page_url"] == atom.feed.link
    assert len(feed["items"]) == len(atom.entries) == 4
    for item, entry in zip(feed["items"], atom.entries, strict=True):
        assert item["id"] == item["url"] == entry.id == entry.link
        assert item["title"] == entry.title
        assert item["content_text"] == entry.summary
        assert dt.datetime.fromisoformat(item["date_published"]).timetuple()[:6] == entry.updated_parsed[:6]
        assert item.get("tags", []) == [t.label for t in entry.get("tags", [])]


def test_an_event_edit_rewrites_only_its_years_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 1)
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    before = _files(site)
    assert {n for n in before if n.startswith("exports/timelinejs")} == {
        f"exports/timelinejs-{year}.json" for year in ("2014", "2022", "2025")
    }
    event = content / "events" / "2025" / "2025-06-30-pasechnik.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    build(content, site)
    after = _files(site)
    changed = {n for n in after if n.startswith("exports/") and n.endswith(("json", "csv", "ics")) and after[n] != before[n]}
    assert changed == {f"exports/{name}-2025.{suffix}" for name, suffix in _stems()}
    assert after["feed.json"] != before["feed.json"]
    assert "Edited " in after["exports/events-2025.csv"].decode("utf-8")
    assert after == _files(build(content, tmp_path / "clean")), "the rebuild is what a clean build makes"


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


# ---- iCalendar -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def calendar() -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(events_ics(make_timeline(SPECS), make_timeline(SPECS).events))


def _by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize(
    ("event", "first", "end", "edtf"),
    [
        ("day", dt.date(2022, 7, 3), dt.date(2022, 7, 4), "2022-07-03"),
        ("month", dt.date(2022, 2, 1), dt.date(2022, 3, 1), "2022-02"),
        ("year", dt.date(2021, 1, 1), dt.date(2022, 1, 1), "2021"),
        ("about", dt.date(2022, 6, 25), dt.date(2022, 6, 26), "2022-06-25~"),
        ("interval", dt.date(2022, 6, 20), dt.date(2022, 7, 3), "2022-06-20/2022-07-02"),
        ("leap-month", dt.date(2024, 2, 1), dt.date(2024, 3, 1), "2024-02?"),
    ],
)
def test_ics_events_are_all_day_and_span_their_window(
    calendar: icalendar.Calendar, event: str, first: dt.date, end: dt.date, edtf: str
) -> None:
    vevent = _by_uid(calendar)[event]
    start, stop = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (type(start), type(stop)) == (dt.date, dt.date), "all-day: DATE values, not DATE-TIME"
    assert (start, stop) == (first, end), "DTEND is the day after the last day the date may mean"
    assert str(vevent["X-TIMELINE-EDTF"]) == edtf


def test_ics_events_have_a_stable_uid_their_page_and_their_place(calendar: icalendar.Calendar) -> None:
    events = _by_uid(calendar)
    assert len(events) == len(SPECS)
    assert str(events["day"]["UID"]) == "day@example.org"
    assert str(events["day"]["URL"]) == "https://example.org/t/events/day/"
    assert str(events["day"]["SUMMARY"]) == "Kyiv, shelled; again\nat night", "escaped text reads back as written"
    assert str(events["day"]["LOCATION"]) == "Kyiv; Somewhere west"
    geo = events["day"]["GEO"]
    assert (geo.latitude, geo.longitude) == (KYIV.latitude, KYIV.longitude)
    assert "LOCATION" not in events["month"]
    assert "GEO" not in events["month"]
    assert str(events["month"]["SUMMARY"]) == "Лисичанськ: бої тривають"
    description = str(events["interval"]["DESCRIPTION"])
    assert "The governor (disputed): We hold the city." in description
    assert "Wire agency: A wire report, long (3 July 2022) https://example.org/wire" in description
    assert description.endswith("https://example.org/t/events/interval/")
    assert str(calendar["DESCRIPTION"]) == "Exports; tested, with \\ and commas."


def test_ics_lines_end_in_crlf_and_fold_at_75_octets() -> None:
    text = events_ics(make_timeline(SPECS), make_timeline(SPECS).events)
    raw = text.encode("utf-8")
    assert raw.count(b"\n") == raw.count(b"\r\n") > 0
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the descriptions are long enough to fold"
    for line in lines:
        line.decode("utf-8")  # a fold never splits a character
    folded = fold("DESCRIPTION:" + "ї" * 100)
    assert [len(p.encode()) for p in folded.split("\r\n")[:-1]] == [74, 75, 65], "a two-octet letter never straddles a fold"
    assert folded.replace("\r\n ", "").rstrip("\r\n") == "DESCRIPTION:" + "ї" * 100


# ---- GeoJSON -------------------------------------------------------------------------------------------------


def test_geojson_has_a_point_per_place_with_its_events_lon_first() -> None:
    timeline = real_timeline()
    collection = json.loads(places_geojson(timeline, timeline.events))
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(timeline.by_place) <= set(features), "every place that has events has a feature"
    for place_id, events in timeline.by_place.items():
        place, feature = timeline.places[place_id], features[place_id]
        if not place.located:
            assert feature["geometry"] is None
            continue
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180
        assert -90 <= lat <= 90
        assert (lon, lat) == (place.longitude, place.latitude)
        assert [e["id"] for e in feature["properties"]["events"]] == [e.id for e in events]
        assert [e["title"] for e in feature["properties"]["events"]] == [e.title for e in events]


def test_geojson_of_a_share_has_only_its_places() -> None:
    timeline = make_timeline(SPECS)
    whole = json.loads(places_geojson(timeline, timeline.events))
    assert {f["id"] for f in whole["features"]} == {KYIV.id, WEST.id, UNUSED.id}
    share = json.loads(places_geojson(timeline, [timeline.by_id["formula"]]))
    assert [f["id"] for f in share["features"]] == [WEST.id]
    assert share["features"][0]["geometry"]["coordinates"] == [-73.9, 40.0]


# ---- CSV -----------------------------------------------------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_a_row_per_event_and_round_trips_utf8() -> None:
    timeline = make_timeline(SPECS)
    rows = {r["id"]: r for r in _rows(events_csv(timeline, timeline.events))}
    assert list(rows) == [e.id for e in timeline.events]
    assert tuple(next(iter(rows.values()))) == COLUMNS
    assert rows["month"]["title"] == "Лисичанськ: бої тривають"
    assert rows["day"]["title"] == "Kyiv, shelled; again\nat night"
    assert rows["interval"]["date"] == "2022-06-20/2022-07-02"
    assert (rows["interval"]["first_day"], rows["interval"]["last_day"]) == ("2022-06-20", "2022-07-02")
    assert rows["day"]["places"] == "Kyiv; Somewhere west"
    assert rows["day"]["url"] == "https://example.org/t/events/day/"
    assert rows["interval"]["claim_statuses"] == "disputed"
    assert rows["day"]["source_urls"] == "https://example.org/wire"


def test_csv_cells_that_would_start_a_formula_are_made_text() -> None:
    timeline = make_timeline(SPECS)
    rows = {r["id"]: r for r in _rows(events_csv(timeline, timeline.events))}
    assert rows["formula"]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows["formula"]["summary"] == "'-1+2 is a formula"
    assert rows["at"]["title"] == "'@SUM(A1)"
    assert rows["at"]["date_note"] == "'\tevening"
    assert rows["plus"]["title"] == "'+1 more"
    assert rows["plus"]["date_note"] == "'\rat night"
    assert rows["formula"]["sources"].startswith("Wire agency")
    assert "; Paper: =A paper's story" in rows["formula"]["sources"], "only a cell's start can make a formula"
    assert rows["formula"]["longitude"] == "-73.9", "numbers we write stay numbers"
    for row in rows.values():
        for column, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (row["id"], column)
            assert not value.startswith("-") or column == "longitude", (row["id"], column)


# ---- large timelines: split by year --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large_timeline(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("large")
    generate(SPLIT_EXPORT_ABOVE + 1, folder)
    timeline = load_timeline(folder / "content", Diagnostics())
    shutil.rmtree(folder)
    assert timeline is not None
    return timeline


def test_above_the_threshold_each_export_is_split_by_year(large_timeline) -> None:  # type: ignore[no-untyped-def]
    timeline = large_timeline
    years = sorted({str(e.date.first_day.year) for e in timeline.events})
    assert len(years) >= 2
    files = {f.name: f for f in export_files(timeline)}
    expected = {f"{FOLDER}{stem}-{year}.{suffix}" for year in years for stem, suffix in _stems()}
    assert set(files) == expected
    assert {f.name.removeprefix("data/events-") for f in data_export(timeline)[1:]} == {f"{y}.json" for y in years}
    slides = 0
    for year in years:
        data = json.loads(files[f"{FOLDER}timelinejs-{year}.json"].make())
        assert {str(s["start_date"]["year"]) for s in data["events"]} == {year}
        slides += len(data["events"])
        rows = _rows(files[f"{FOLDER}events-{year}.csv"].make())
        assert {r["first_day"][:4] for r in rows} == {year}
        assert len(rows) == len(data["events"])
    assert slides == len(timeline.events)
    listing = export_listing(timeline)
    assert [name for name, *_ in listing] == ["timelinejs.json", "events.csv", "events.ics", "places.geojson"]
    assert all([year for year, _ in files_] == years for *_, files_ in listing)


def test_at_the_threshold_or_below_each_export_is_one_file() -> None:
    timeline = make_timeline(SPECS)
    assert sorted(f.name for f in export_files(timeline)) == sorted(EXPORTS)


def _stems() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in (re.match(r"exports/(\w+)\.(\w+)", n) for n in EXPORTS) if m]


def test_bce_events_stay_out_of_the_calendar_and_keep_their_edtf_elsewhere(bce_site: Path) -> None:
    """RFC 5545 DATE has no era: events that begin before 1 CE are left out of events.ics (the Data page says
    so); the CSV and GeoJSON keep their EDTF strings, feed.json gives them no date_published."""
    calendar = icalendar.Calendar.from_ical((bce_site / "exports" / "events.ics").read_bytes())
    assert [str(e["X-TIMELINE-EDTF"]) for e in calendar.walk("VEVENT")] == ["0079-08-24"]
    vevent = next(iter(calendar.walk("VEVENT")))
    assert vevent.decoded("DTSTART") == dt.date(79, 8, 24)
    rows = list(csv.DictReader(io.StringIO((bce_site / "exports" / "events.csv").read_text(encoding="utf-8-sig"))))
    ides = next(r for r in rows if r["id"] == "'-0043-03-15-caesar-killed")  # a spreadsheet would compute -0043-…
    assert (ides["date"], ides["first_day"], ides["last_day"]) == ("'-0043-03-15", "'-0043-03-15", "'-0043-03-15")
    places = json.loads((bce_site / "exports" / "places.geojson").read_text(encoding="utf-8"))
    rome = next(f for f in places["features"] if f["properties"]["id"] == "rome")
    assert {e["date"] for e in rome["properties"]["events"]} >= {"-0043-03-15", "-0499~"}
    items = {i["_timeline"]["date"]: i for i in json.loads((bce_site / "feed.json").read_text(encoding="utf-8"))["items"]}
    assert "date_published" not in items["-0043-03-15"]
    assert items["0079-08-24"]["date_published"] == "0079-08-24T00:00:00Z"
    assert "15 March 44 BCE" in items["-0043-03-15"]["content_text"]
    data_page = (bce_site / "exports" / "index.html").read_text(encoding="utf-8")
    assert "Events that begin before 1 CE are left out" in data_page
