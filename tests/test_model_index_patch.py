"""A model made from the previous one puts the edited events into the previous order and indexes: the result is
exactly a fresh model's (same entries, same order), and only the entries that held or hold an edited event are
made again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate
from tests.test_plan_memo import EDITS, EVENTS, _event_files, _model
from timeline import modelindex
from timeline.model import Timeline

INDEXES = ("by_actor", "by_place", "by_tag", "by_episode", "by_source", "related_by", "related_events", "by_id")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(EVENTS, folder)
    named = next(f for f in _event_files(folder / "content")[EVENTS // 2 :] if "related:" in f.read_text(encoding="utf-8"))
    named.with_name(named.stem + "-unnamed.yaml").write_text(named.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / "content"


@pytest.fixture
def content(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(generated, tmp_path / "content")
    return tmp_path / "content"


def _same_as_fresh(patched: Timeline, fresh: Timeline) -> None:
    assert patched == fresh
    assert [e.id for e in patched.events] == [e.id for e in fresh.events]
    assert patched.shared_digest == fresh.shared_digest
    for name in INDEXES:
        made, expected = getattr(patched, name), getattr(fresh, name)
        if name != "related_events":  # a lookup only: its order means nothing
            assert list(made) == list(expected), name  # the keys in the same order
        if name != "by_id":
            assert {k: [e.id for e in v] for k, v in made.items()} == {k: [e.id for e in v] for k, v in expected.items()}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_model_made_from_the_last_equals_a_fresh_one_after_every_kind_of_edit(content: Path, edit: str) -> None:
    before = _model(content)
    EDITS[edit](content)
    patched = _model(content, before)
    _same_as_fresh(patched, _model(content))


def test_a_second_edit_after_a_first_still_equals_a_fresh_model(content: Path) -> None:
    first = _model(content)
    EDITS["move an event"](content)
    second = _model(content, first)
    EDITS["add an event"](content)
    EDITS["edit an event"](content)
    _same_as_fresh(_model(content, second), _model(content))


def _counting_patches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many entries each patched index made again."""
    made: list[int] = []
    real: Callable[..., modelindex.Index] = modelindex.patched_index

    def counted(previous: modelindex.Index, *args: object) -> modelindex.Index:
        found = real(previous, *args)
        made.append(sum(1 for key, entry in found.items() if previous.get(key) is not entry))
        return found

    monkeypatch.setattr(modelindex, "patched_index", counted)
    return made


def test_an_edit_makes_again_only_the_index_entries_of_the_edited_event(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _model(content)
    file = _event_files(content)[EVENTS // 2]
    old = before.by_id[file.stem]
    made = _counting_patches(monkeypatch)
    EDITS["edit an event"](content)
    patched = _model(content, before)
    assert len(made) == 6  # every index was patched, none made afresh
    new = patched.by_id[file.stem]
    keys = {a.id for a in new.all_actors} | {a.id for a in old.all_actors}
    assert made[0] == len(keys)  # by_actor: the edited event's actors, nothing else
    untouched = [key for key in before.by_actor if key not in keys]
    assert untouched
    assert all(patched.by_actor[key] is before.by_actor[key] for key in untouched)
    assert patched.events[patched.events.index(new) - 1] is before.events[before.events.index(old) - 1]


def test_many_edits_make_the_order_and_indexes_afresh(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _model(content)
    made = _counting_patches(monkeypatch)
    for file in _event_files(content)[: EVENTS // 5]:
        file.write_text(file.read_text(encoding="utf-8").replace("title: ", "title: Many ", 1), encoding="utf-8")
    patched = _model(content, before)
    assert made == []
    _same_as_fresh(patched, _model(content))
