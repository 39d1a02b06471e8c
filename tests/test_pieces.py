"""The derived outputs (search index, data export, TimelineJS, CSV, iCalendar, GeoJSON, feeds) are joined from
pieces kept per event: after any edit they equal a fresh computation byte for byte, only the edited event's pieces
are made again, and the kept pieces survive a pickle into a fresh start."""

from __future__ import annotations

import pickle
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.export_model import Spec, make_timeline
from timeline import eventmemo, feeds, search
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics
from timeline.exports import export_files, geojson, ics, jsonfeed, table, timelinejs
from timeline.model import Timeline

EVENTS = Path("events") / "2022"
CLAIM = EVENTS / "2022-07-03-shoigu-claims-lysychansk-and-luhansk.yaml"  # in the feeds: among the newest 100
DEATHS = EVENTS / "2022-07-03-belgorod-deaths.yaml"
MAKERS = (
    (search, "_indexed"),
    (feeds, "_event_record"),
    (feeds, "_atom_entry"),
    (timelinejs, "slide"),
    (table, "_row"),
    (ics, "vevent"),
    (geojson, "_event_text"),
    (jsonfeed, "_item"),
)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_an_event(content: Path) -> None:
    replace(content / CLAIM, "title: ", "title: Edited, with a new word — Zwischenfall ")


def add_an_event(content: Path) -> None:
    text = (content / DEATHS).read_text(encoding="utf-8")
    (content / EVENTS / "2022-07-03-belgorod-deaths-again.yaml").write_text(text.replace("title: ", "title: Again ", 1))


def delete_an_event(content: Path) -> None:
    (content / EVENTS / "2022-07-03-melitopol-base-hit.yaml").unlink()


def rename_an_actor(content: Path) -> None:
    replace(content / "actors.yaml", "name: Russia\n", "name: The Russian Federation\n")


def retitle_the_site(content: Path) -> None:
    replace(content / "site.yaml", 'title: "Luhansk: claimed twice"', 'title: "Luhansk, claimed twice"')


EDITS: list[Callable[[Path], None]] = [edit_an_event, add_an_event, delete_an_event, rename_an_actor, retitle_the_site]


def model(content: Path) -> Timeline:
    diagnostics = Diagnostics()
    timeline = load_timeline(content, diagnostics)
    assert timeline is not None, [d.format_text() for d in diagnostics]
    return timeline


def outputs(timeline: Timeline) -> dict[str, str]:
    """Every output joined from pieces, by its path."""
    files = dict(search.search_files(timeline))
    files.update({data.name: data.make() for data in feeds.data_export(timeline) + export_files(timeline)})
    files["feed.xml"], files["feed.json"] = feeds.atom_feed(timeline), jsonfeed.json_feed(timeline)
    return files


def fresh(timeline: Timeline, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The outputs made with nothing kept."""
    with monkeypatch.context() as patch:
        patch.setattr(eventmemo, "_PIECES", {})
        patch.setattr(eventmemo, "_SHARED", {"digest": ""})
        patch.setattr(search, "_STATE", {})
        return outputs(timeline)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Nothing kept to begin with; counts the pieces made, by the maker and the event."""
    monkeypatch.setattr(eventmemo, "_PIECES", {})
    monkeypatch.setattr(eventmemo, "_SHARED", {"digest": ""})
    monkeypatch.setattr(search, "_STATE", {})
    counts: Counter[str] = Counter()
    for module, name in MAKERS:
        original = getattr(module, name)

        def counted(
            event: object, *args: object, _original: Callable[..., object] = original, _name: str = name, **kwargs: object
        ) -> object:
            counts[f"{_name} {event.id}"] += 1  # type: ignore[attr-defined]
            return _original(event, *args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return counts


@pytest.fixture(params=[False, True], ids=["whole", "by-year"])
def split(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    if request.param:
        monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 5)
    return bool(request.param)


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
def test_outputs_after_an_edit_equal_a_fresh_computation(
    edit: Callable[[Path], None], split: bool, made: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = outputs(model(content))
    assert (any(name.startswith("data/") for name in before)) is split
    edit(content)
    timeline = model(content)
    after = outputs(timeline)
    assert after == fresh(timeline, monkeypatch)
    assert after != before


def test_an_edit_makes_the_pieces_of_the_edited_event_only(
    split: bool, made: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    events = len(list((content / "events").rglob("*.yaml")))
    outputs(model(content))
    assert made[f"_indexed {CLAIM.stem}"] == made[f"_row {CLAIM.stem}"] == made[f"slide {CLAIM.stem}"] == 1
    assert sum(n for key, n in made.items() if key.startswith("_row ")) == events
    made.clear()
    whole = []
    monkeypatch.setattr(search, "_whole_index", lambda *args, _whole=search._whole_index: whole.append(1) or _whole(*args))
    edit_an_event(content)
    timeline = model(content)
    after = outputs(timeline)
    # the edited event's pieces, once each: its words, record, slide, row, VEVENT, map entry and feed entries
    assert made == Counter({f"{name} {CLAIM.stem}": 1 for _, name in MAKERS})
    assert whole == []  # the search index was brought up to date, not made again
    assert after == fresh(timeline, monkeypatch)


def test_kept_pieces_restored_from_a_pickle_give_the_same_outputs_without_making_any(
    made: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    outputs(model(content))
    kept = pickle.dumps((eventmemo.kept_state(), search.kept_state()))
    edit_an_event(content)
    timeline = model(content)
    expected = fresh(timeline, monkeypatch)
    monkeypatch.setattr(eventmemo, "_PIECES", {})  # a fresh start: nothing in memory but what is restored
    monkeypatch.setattr(search, "_STATE", {})
    pieces, index = pickle.loads(kept)
    eventmemo.restore_state(pieces)
    search.restore_state(index)
    made.clear()
    assert outputs(timeline) == expected
    assert made == Counter({f"{name} {CLAIM.stem}": 1 for _, name in MAKERS})  # only the edited event's


@pytest.mark.parametrize("state", [None, {}, {"format": -1, "pieces": {}}, "junk", {"format": eventmemo.FORMAT}])
def test_a_state_that_is_not_a_kept_one_keeps_nothing(state: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eventmemo, "_PIECES", {"search": {"x": ("d", "piece")}})
    monkeypatch.setattr(search, "_STATE", {"index": "old"})
    eventmemo.restore_state(state)
    search.restore_state(state)
    assert eventmemo._PIECES == {}
    assert search._STATE == {}


def test_an_edit_that_moves_the_build_time_gives_what_a_fresh_computation_gives(
    made: Counter[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build time is in every VEVENT (DTSTAMP) and in the Atom entries of events before 1 CE (`updated`):
    neither is a piece of the event alone."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site-bce" / "content", content)
    first = model(content)
    before = outputs(first)
    text = (content / "events" / "0079" / "0079-08-24-vesuvius.yaml").read_text(encoding="utf-8")
    (content / "events" / "0300").mkdir()
    (content / "events" / "0300" / "0300-01-02-later.yaml").write_text(text.replace("date: 0079-08-24", "date: 0300-01-02"))
    timeline = model(content)
    assert feeds.build_time(timeline) != feeds.build_time(first)
    after = outputs(timeline)
    assert after == fresh(timeline, monkeypatch)
    assert after["feed.xml"].count("<updated>0300-01-02") > 1  # the feed's and an entry's before 1 CE
    assert after["exports/events.ics"] != before["exports/events.ics"]


def test_a_model_made_in_code_keeps_no_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the digest of the shared content, a model cannot be told from another with the same event ids."""
    monkeypatch.setattr(eventmemo, "_PIECES", {})
    first = make_timeline([Spec("2022-07-03-a", "2022-07-03", title="First")])
    second = make_timeline([Spec("2022-07-03-a", "2022-07-03", title="Second")])
    assert "First" in outputs(first)["exports/events.csv"]
    assert "Second" in outputs(second)["exports/events.csv"]
    assert eventmemo._PIECES == {}
