"""Rendered pieces (event items and links, bibliography entries) are kept between builds by content: after an edit
`serve` makes only the edited event's pieces again, its site equals a clean build's byte for byte whatever was
edited, and the kept pieces survive a pickle into a fresh process."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.export_model import Spec, make_timeline
from tests.process import as_a_new_process
from tests.test_incremental import build, clean_build, files_of, replace
from timeline import pages, render, write
from timeline.render import Fragments, make_environment

CLAIM = Path("events") / "2022" / "2022-07-03-shoigu-claims-lysychansk-and-luhansk.yaml"
SOURCE = "border-towns-2022-07-03"  # cited by CLAIM
EVENT_PIECES = ("event_item", "event_link")


def retitle_an_event(content: Path, templates: Path) -> None:
    replace(content / CLAIM, "title: ", "title: Edited — ")


def add_an_event(content: Path, templates: Path) -> None:
    text = (content / CLAIM).read_text(encoding="utf-8")
    (content / CLAIM.with_name("2022-07-03-claimed-again.yaml")).write_text(text.replace("title: ", "title: Again — ", 1))


def delete_an_event(content: Path, templates: Path) -> None:
    (content / CLAIM.with_name("2022-07-03-melitopol-base-hit.yaml")).unlink()


def retitle_a_source(content: Path, templates: Path) -> None:
    replace(content / "sources.yaml", "title: ", "title: Retitled — ")


def retitle_the_site(content: Path, templates: Path) -> None:
    replace(content / "site.yaml", 'title: "', 'title: "Now ')


def edit_the_macros(content: Path, templates: Path) -> None:
    replace(templates / "_macros.html", '<li><span class="event-links-date">', '<li class="x"><span class="event-links-date">')


EDITS: list[Callable[[Path, Path], None]] = [
    retitle_an_event,
    add_an_event,
    delete_an_event,
    retitle_a_source,
    retitle_the_site,
    edit_the_macros,
]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """A fresh process rendering every page in itself, with a bibliography of several pages; the keys of the pieces
    made, as they are made."""
    as_a_new_process(monkeypatch)
    monkeypatch.setattr(write, "PARALLEL_ABOVE", 10**9)  # pieces made in forked workers are not kept: none here
    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 2)
    keys: list[tuple[Any, ...]] = []
    original = Fragments._keep

    def counted(self: Fragments, key: tuple[Any, ...], piece: Any) -> Any:
        keys.append(key)
        return original(self, key, piece)

    monkeypatch.setattr(Fragments, "_keep", counted)
    return keys


def project(tmp_path: Path) -> tuple[Path, Path]:
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    return content, templates


def test_an_event_edit_makes_only_the_edited_events_pieces(tmp_path: Path, made: list[tuple[Any, ...]]) -> None:
    content, templates = project(tmp_path)
    build(content, templates, tmp_path / "site", preview=True)
    events = {key[1] for key in made if key[0] in EVENT_PIECES}
    assert len(events) == len(list((content / "events").rglob("*.yaml")))  # every event's pieces were made once
    assert sum(key[0] == "source_entry" for key in made) == 7  # each source's, once, on four pages
    assert (tmp_path / "site" / "sources" / "4" / "index.html").is_file()
    made.clear()
    retitle_an_event(content, templates)
    build(content, templates, tmp_path / "site", preview=True)
    assert {key[1] for key in made if key[0] in EVENT_PIECES} == {CLAIM.stem}
    assert {key[0] for key in made} <= {*EVENT_PIECES, "source_entry"}  # dates, citations, headers: all kept
    entries = {key[1] for key in made if key[0] == "source_entry"}
    assert SOURCE in entries
    assert all(CLAIM.stem in {event for event, _ in key[4]} for key in made if key[0] == "source_entry")
    clean_build(content, templates, tmp_path / "clean")
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


@pytest.mark.parametrize("edit", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_the_site_after_any_edit_equals_a_clean_build(
    tmp_path: Path, edit: Callable[[Path, Path], None], made: list[tuple[Any, ...]]
) -> None:
    content, templates = project(tmp_path)
    build(content, templates, tmp_path / "site", preview=True)
    first = files_of(tmp_path / "site")
    made.clear()
    edit(content, templates)
    build(content, templates, tmp_path / "site", preview=True)
    assert made  # something shown in the pieces changed: some were made again
    clean_build(content, templates, tmp_path / "clean")
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")
    assert files_of(tmp_path / "site") != first


def test_kept_pieces_restored_from_a_pickle_in_a_fresh_process_are_reused(
    tmp_path: Path, made: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, templates = project(tmp_path)
    build(content, templates, tmp_path / "site", preview=True)
    kept = pickle.dumps(render.kept_state())
    as_a_new_process(monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))  # nothing rendered before: every page
    render.restore_state(pickle.loads(kept))
    made.clear()
    build(content, templates, tmp_path / "again")
    assert not [key for key in made if key[0] in (*EVENT_PIECES, "source_entry")]
    assert files_of(tmp_path / "again") == files_of(tmp_path / "site")


@pytest.mark.parametrize(
    "state", [None, "junk", {}, {"format": -1}, {"format": render.FORMAT, "version": "0", "generation": "g"}]
)
def test_a_state_that_is_not_a_kept_one_keeps_nothing(state: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "_KEPT", {"generation": "g", "pieces": {("event_link", "e", "d", ""): "piece"}})
    render.restore_state(state)
    assert render._KEPT == {"generation": "", "pieces": {}}
    assert render.kept_state()["generation"] == ""


def test_a_model_made_in_code_keeps_no_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the digest of the shared content, a model cannot be told from another with the same event ids."""
    monkeypatch.setattr(render, "_KEPT", {"generation": "", "pieces": {}})
    for title in ("First", "Second"):
        timeline = make_timeline([Spec("2022-07-03-a", "2022-07-03", title=title)])
        env = make_environment(ROOT / "templates", {"timeline": timeline, "site": timeline.site, "source_pages": {}})
        assert title in env.globals["fragments"].event_link(timeline.events[0], "")
    assert render._KEPT == {"generation": "", "pieces": {}}


def test_pieces_kept_within_a_small_bound_give_the_same_site(
    tmp_path: Path, made: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, templates = project(tmp_path)
    build(content, templates, tmp_path / "unbounded", preview=True)
    monkeypatch.setattr(render, "_KEPT", {"generation": "", "pieces": {}})
    monkeypatch.setattr(Fragments, "MAX_PIECES", 3)
    monkeypatch.setattr(Fragments, "PIECES_PER_EVENT", 0)
    build(content, templates, tmp_path / "bounded", preview=True)
    assert len(render._KEPT["pieces"]) <= 3
    retitle_an_event(content, templates)
    build(content, templates, tmp_path / "bounded", preview=True)
    clean_build(content, templates, tmp_path / "clean")
    assert files_of(tmp_path / "bounded") == files_of(tmp_path / "clean")


def test_workers_forked_after_pieces_were_kept_render_the_same_site(
    tmp_path: Path, made: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Render workers start with the pieces kept in the process that forks them; what they make is lost with them.
    The pages that read every event are made in the process that keeps the pieces."""
    content, templates = project(tmp_path)
    build(content, templates, tmp_path / "site", preview=True)
    kept = dict(render._KEPT["pieces"])
    retitle_an_event(content, templates)
    monkeypatch.setattr(write, "PARALLEL_ABOVE", 0)
    monkeypatch.setattr(write, "_workers", lambda: 2)
    build(content, templates, tmp_path / "site", preview=True)
    made_here = render._KEPT["pieces"].keys() - kept.keys()
    assert made_here  # the whole-timeline pages list the edited event: its new pieces are made here, and kept
    assert all(CLAIM.stem in key for key in made_here if key[0] in ("event_item", "event_link"))
    clean_build(content, templates, tmp_path / "clean")
    assert files_of(tmp_path / "site") == files_of(tmp_path / "clean")


def test_any_file_among_the_templates_is_part_of_what_pieces_are_kept_under(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Binary files, files outside static/ and files that cannot be read: the generation is still told, or none."""
    templates = tmp_path / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    (templates / "notes.bin").write_bytes(b"\xff\xfe\x00")
    timeline = make_timeline([Spec("2022-07-03-a", "2022-07-03", title="A")])
    globals_ = {"timeline": type("T", (), {"shared_digest": "s"})()}
    first = render.generation([templates, ROOT / "templates"], globals_)
    assert first
    assert first == render.generation([templates, ROOT / "templates"], globals_)
    (templates / "static" / "logo.png").write_bytes(b"another logo")  # in `assets`, by its digest
    assert render.generation([templates, ROOT / "templates"], globals_) == first
    (templates / "notes.bin").write_bytes(b"\xff")
    assert render.generation([templates, ROOT / "templates"], globals_) != first
    listed = render.files_under(templates)
    monkeypatch.setattr(render, "files_under", lambda folder: [*listed, str(templates / "gone.swp")])
    assert render.generation([templates, ROOT / "templates"], globals_) == ""  # a file gone while it was read
    assert render.generation([templates], {"timeline": timeline}) == ""  # a model made in code
