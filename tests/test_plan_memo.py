"""Planning pages after an edit takes again what is unchanged (pages, keys, the build key, related events), and
gives exactly what planning afresh gives, for every kind of edit and from a memory restored in a fresh process."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.generate import generate
from timeline import pagekeys, pages
from timeline.build import check_content
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline, build_timeline
from timeline.modelindex import related_of
from timeline.pages import PageSpec, plan_pages

EVENTS = 400  # and one more (see generated); above pages.HOME_PAGE_EVENTS: the site has month pages too


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(EVENTS, folder)  # every event is named by the next one's summary: one more that nothing names
    named = next(f for f in _event_files(folder / "content")[EVENTS // 2 :] if "related:" in f.read_text(encoding="utf-8"))
    named.with_name(named.stem + "-unnamed.yaml").write_text(named.read_text(encoding="utf-8"), encoding="utf-8")
    return folder / "content"


@pytest.fixture
def content(generated: Path, tmp_path: Path) -> Path:
    shutil.copytree(generated, tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    return tmp_path / "templates"  # none of its own: the packaged theme


@pytest.fixture(autouse=True)
def _empty_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget(monkeypatch)


def _forget(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a fresh process starts from."""
    monkeypatch.setattr(pages, "_LAST", {kind: {} for kind in pages._LAST})
    monkeypatch.setattr(pagekeys, "_MEMORY", {"builds": {}, "build": "", "pages": {}})
    monkeypatch.setattr(pagekeys, "_LAST", {})


def _model(content: Path, previous: Timeline | None = None) -> Timeline:
    diagnostics = Diagnostics()
    raw = check_content(content, diagnostics)
    assert not diagnostics.errors, [d.format_text() for d in diagnostics]
    return build_timeline(raw, previous)


def _plan(timeline: Timeline, templates: Path) -> tuple[list[PageSpec], list[str]]:
    """What write.py does to plan: the pages and their keys."""
    planned = plan_pages(timeline)
    build, every_event = pagekeys.build_key(timeline, templates), pagekeys.all_events_key(timeline)
    return planned, [pagekeys.page_key(page, build, every_event) for page in planned]


def _counting_descriptions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the pages whose key is made from their description from now on."""
    described: list[str] = []
    make = pagekeys._page_key

    def counted(page: PageSpec, build: str, all_events: str) -> str:
        described.append(page.path)
        return make(page, build, all_events)

    monkeypatch.setattr(pagekeys, "_page_key", counted)
    return described


def _event_files(content: Path) -> list[Path]:
    return sorted((content / "events").rglob("*.yaml"))


def _unnamed(content: Path) -> Path:
    """The event no other event names (deleting or renaming it leaves valid content); it names related events."""
    return next(f for f in _event_files(content) if f.stem.endswith("-unnamed"))


def _retitle(content: Path) -> None:
    file = _event_files(content)[EVENTS // 2]
    file.write_text(file.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")


def _redate(content: Path) -> None:
    """Moves an event that names related events to another month: its neighbours, months and related events change."""
    file = _unnamed(content)
    text = re.sub(r"^date: \S+", "date: 2022-03-01", file.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    file.unlink()
    moved = content / "events" / "2022" / ("2022-03-01" + file.stem[10:] + ".yaml")
    moved.write_text(text, encoding="utf-8")


def _add(content: Path) -> None:
    source = _event_files(content)[EVENTS // 3]
    source.with_name(source.stem + "-again.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")


def _delete(content: Path) -> None:
    _unnamed(content).unlink()


def _rename_actor(content: Path) -> None:
    actors = content / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("name: ", "name: The ", 1), encoding="utf-8")


def _retitle_site(content: Path) -> None:
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "edit an event": _retitle,
    "move an event": _redate,
    "add an event": _add,
    "delete an event": _delete,
    "change a registry entry": _rename_actor,
    "change the site file": _retitle_site,
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_planning_after_an_edit_gives_what_planning_afresh_gives(
    content: Path, templates: Path, edit: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _model(content)
    _plan(before, templates)
    edit(content)
    patched = _model(content, before)
    planned, keys = _plan(patched, templates)
    _forget(monkeypatch)
    fresh = _model(content)
    fresh_planned, fresh_keys = _plan(fresh, templates)
    assert patched == fresh
    expected = {e.id: related_of(e, fresh.by_id, fresh.related_by) for e in fresh.events}
    assert patched.related_events == {key: value for key, value in expected.items() if value}
    assert [p.path for p in planned] == [p.path for p in fresh_planned]
    assert planned == fresh_planned
    assert keys == fresh_keys


def test_an_edited_event_makes_again_only_the_pages_that_show_it(
    content: Path, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _model(content)
    planned_before, keys_before = _plan(before, templates)
    _retitle(content)
    patched = _model(content, before)
    described = _counting_descriptions(monkeypatch)
    planned, keys = _plan(patched, templates)
    taken_again = {id(p) for p in planned_before} & {id(p) for p in planned}
    changed = {p.path for p, old, new in zip(planned, keys_before, keys, strict=True) if old != new}
    event_pages = [p for p in planned if p.template == "event.html"]
    assert len(event_pages) == EVENTS + 1
    assert sum(id(p) in taken_again for p in event_pages) >= EVENTS - 10  # the edited one, its neighbours, related
    listing = ("events/", "timeline/", "episodes/", "actors/", "places/", "tags/")  # the pages planned from events
    assert [path for path in described if path.startswith(listing) and path not in changed] == []
    assert len(described) < len(planned) // 10
    assert len(changed) < len(planned) // 10


def test_a_restored_memory_gives_the_same_keys_without_describing_event_pages(
    content: Path, templates: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _model(content)
    planned, keys = _plan(first, templates)
    kept = pickle.loads(pickle.dumps(pagekeys.kept_state()))
    _forget(monkeypatch)
    pagekeys.restore_state(kept)
    described = _counting_descriptions(monkeypatch)
    again = _model(content)  # a fresh process's model: no object shared with the first
    assert not {id(e) for e in again.events} & {id(e) for e in first.events}
    _, keys_again = _plan(again, templates)
    assert keys_again == keys
    assert not [path for path in described if path.startswith("events/")]
    assert len(described) < len(planned) // 4


def test_a_memory_of_another_format_is_ignored(content: Path, templates: Path) -> None:
    timeline = _model(content)
    _, keys = _plan(timeline, templates)
    for junk in (None, "x", (0, {}), (pagekeys.FORMAT, {"builds": "no", "pages": {}})):
        pagekeys.restore_state(junk)
    assert _plan(_model(content), templates)[1] == keys


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        read.append(str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    return read


def test_the_build_key_reads_no_file_whose_stat_is_unchanged_and_sees_every_change(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeline = _model(content)
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "page.html").write_text("{{ page.title }}\n", encoding="utf-8")
    old = (os.stat(own / "page.html").st_mtime_ns - 10**10,) * 2  # settled: older than a build would distrust
    os.utime(own / "page.html", ns=old)
    first = pagekeys.build_key(timeline, own)
    read = _reads(monkeypatch)
    assert pagekeys.build_key(timeline, own) == first
    assert read == []
    (own / "page.html").write_text("{{ page.title }}!\n", encoding="utf-8")
    os.utime(own / "page.html", ns=old)  # the same times as before: the size and the change time tell
    changed = pagekeys.build_key(timeline, own)
    assert read
    _forget(monkeypatch)
    assert changed != first
    assert pagekeys.build_key(timeline, own) == changed
