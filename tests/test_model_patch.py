"""A model made from the previous one (serve's way) equals a model made afresh, sharing the unchanged events."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONTENT
from timeline.build import check_content
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline, build_timeline


def _model(content: Path, previous: Timeline | None = None) -> Timeline:
    diagnostics = Diagnostics()
    raw = check_content(content, diagnostics)
    assert not diagnostics.errors, [d.format_text() for d in diagnostics]
    return build_timeline(raw, previous)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    return tmp_path / "content"


def _retitle(file: Path) -> None:
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("title: ", "title: Edited — ", 1), encoding="utf-8")


def test_an_edited_event_is_made_again_and_the_others_are_taken_as_they_were(content: Path) -> None:
    before = _model(content)
    edited = sorted((content / "events").rglob("*.yaml"))[0]
    _retitle(edited)
    patched = _model(content, before)
    assert patched == _model(content)
    assert patched.by_id[edited.stem].title.startswith("Edited — ")
    assert patched.by_id[edited.stem] is not before.by_id[edited.stem]
    unchanged = [e for e in patched.events if e.id != edited.stem]
    assert unchanged
    assert all(e is before.by_id[e.id] for e in unchanged)
    assert patched.actors is before.actors


def test_a_new_and_a_deleted_event_leave_the_same_model_as_made_afresh(content: Path) -> None:
    before = _model(content)
    files = sorted((content / "events").rglob("*.yaml"))
    files[0].unlink()
    copy = files[1].with_name(files[1].stem + "-again.yaml")
    copy.write_text(files[1].read_text(encoding="utf-8"), encoding="utf-8")
    patched = _model(content, before)
    assert patched == _model(content)
    assert files[0].stem not in patched.by_id
    assert copy.stem in patched.by_id


def test_a_change_to_a_registry_makes_every_event_again(content: Path) -> None:
    before = _model(content)
    actors = content / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("name: ", "name: The ", 1), encoding="utf-8")
    patched = _model(content, before)
    assert patched == _model(content)
    assert patched.actors != before.actors
    assert not any(e is before.by_id.get(e.id) for e in patched.events)
