"""Round trip: the flagship's TimelineJS export, imported into a project `timeline init` made, gives back the same
events, dates, titles and sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import BCE_CONTENT, real_timeline
from timeline.build import load_timeline
from timeline.cli import EXIT_OK, main
from timeline.diagnostics import Diagnostics
from timeline.model import Source, Timeline


def _source(source: Source) -> tuple[str, str, str, str, str]:
    return (source.id, source.title, source.publisher, str(source.published), source.url or "")


def test_export_then_import_gives_the_same_events(real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _round_trip(real_site, real_timeline(), tmp_path, monkeypatch)


def test_events_before_the_common_era_come_back_with_their_years(
    bce_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """44 BCE goes out as TimelineJS's year -44 and comes back as -0043; 29 February of 5 BCE and an interval
    across the era boundary come back as they were."""
    original = load_timeline(BCE_CONTENT, Diagnostics())
    assert original is not None
    copy = _round_trip(bce_site, original, tmp_path, monkeypatch)
    assert {str(e.date) for e in copy.events} >= {"-0043-03-15", "-0004-02-29", "-0003/0005", "-0499~", "0079-08-24"}
    assert ("-0043-03-01", "-0043-04-30") in [(str(e.start), str(e.end)) for e in copy.episodes]  # the era


def _round_trip(site: Path, original: Timeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Timeline:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "copy"]) == EXIT_OK
    project = tmp_path / "copy"
    shutil.rmtree(project / "content" / "events")  # the example event: the copy holds only what was imported
    shutil.copy(site / "exports" / "timelinejs.json", project / "timelinejs.json")
    os.chdir(project)
    assert main(["import", "timelinejs", "timelinejs.json"]) == EXIT_OK
    assert main(["check"]) == EXIT_OK

    diagnostics = Diagnostics()
    copy = load_timeline(project / "content", diagnostics)
    assert copy is not None, [d.format_text() for d in diagnostics.errors]
    assert [e.id for e in copy.events] == [e.id for e in original.events]
    for before, after in zip(original.events, copy.events, strict=True):
        assert str(after.date) == str(before.date), before.id
        assert after.title == before.title, before.id
        assert sorted(map(_source, after.sources)) == sorted(map(_source, before.sources)), before.id
        assert after.date_note == before.date_note, before.id
    republished = {s.id: s.republishes for s in original.sources.values() if s.republishes}
    assert {s.id: s.republishes for s in copy.sources.values() if s.republishes} == {
        k: v for k, v in republished.items() if k in copy.sources and v in copy.sources
    }
    assert main(["build"]) == EXIT_OK
    return copy
