"""Round trip: the flagship's TimelineJS export, imported into a project `timeline init` made, gives back the same
events, dates, titles and sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import real_timeline
from timeline.build import load_timeline
from timeline.cli import EXIT_OK, main
from timeline.diagnostics import Diagnostics
from timeline.model import Source


def _source(source: Source) -> tuple[str, str, str, str, str]:
    return (source.id, source.title, source.publisher, str(source.published), source.url or "")


def test_export_then_import_gives_the_same_events(real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "copy"]) == EXIT_OK
    project = tmp_path / "copy"
    shutil.rmtree(project / "content" / "events")  # the example event: the copy holds only what was imported
    shutil.copy(real_site / "exports" / "timelinejs.json", project / "timelinejs.json")
    os.chdir(project)
    assert main(["import", "timelinejs", "timelinejs.json"]) == EXIT_OK
    assert main(["check"]) == EXIT_OK

    diagnostics = Diagnostics()
    copy = load_timeline(project / "content", diagnostics)
    assert copy is not None, [d.format_text() for d in diagnostics.errors]
    original = real_timeline()
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
