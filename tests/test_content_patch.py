"""Reading the content again in one process (serve's way) reads only the changed event files, and gives exactly
what a full reading gives: the same content and the same problems in the same order, for every kind of edit."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import timeline.convert
from tests.conftest import SMALL_CONTENT
from timeline.content import RawContent, load_content
from timeline.contentpatch import load_content_again
from timeline.diagnostics import Diagnostics


def _settle(content: Path) -> None:
    """Date every file a minute back: files changed in the last seconds are never trusted unchanged."""
    past = time.time() - 60
    for path in content.rglob("*"):
        os.utime(path, (past, past))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    _settle(tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files read and converted from now on."""
    converted: list[str] = []
    original = timeline.convert.read_and_convert

    def counting(file: Path, path: str, *args: object, **kwargs: object) -> object:
        converted.append(path)
        return original(file, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(timeline.convert, "read_and_convert", counting)
    return converted


def _again(content: Path) -> tuple[RawContent, list[str]]:
    diagnostics = Diagnostics()
    raw = load_content_again(content, diagnostics)
    return raw, [d.format_text() for d in diagnostics]


def _afresh(content: Path) -> tuple[RawContent, list[str]]:
    diagnostics = Diagnostics()
    raw = load_content(content, diagnostics)
    return raw, [d.format_text() for d in diagnostics]


def _events(content: Path) -> list[Path]:
    return sorted((content / "events").rglob("*.yaml"))


def _replace(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _retitle(content: Path) -> None:
    _replace(_events(content)[1], "title: ", "title: Edited — ")


def _break_yaml(content: Path) -> None:
    _replace(_events(content)[2], "title: ", "title: [unclosed\n")


def _unknown_actor(content: Path) -> None:
    event = next(e for e in _events(content) if "actors: [" in e.read_text(encoding="utf-8"))
    _replace(event, "actors: [", "actors: [nobody-known, ")


def _add(content: Path) -> None:
    first = _events(content)[0]
    first.with_name(first.stem + "-again.yaml").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")


def _delete(content: Path) -> None:
    _events(content)[0].unlink()


def _registry(content: Path) -> None:
    _replace(content / "actors.yaml", "name: ", "name: The ")


def _site(content: Path) -> None:
    _replace(content / "site.yaml", "title: ", "title: Another ")


def _page(content: Path) -> None:
    page = sorted((content / "pages").glob("*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "an event retitled": _retitle,
    "an event's YAML broken": _break_yaml,
    "an unknown actor named": _unknown_actor,
    "an event added": _add,
    "an event deleted": _delete,
    "a registry entry changed": _registry,
    "the site file changed": _site,
    "a page changed": _page,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_reading_again_after_an_edit_equals_reading_afresh(content: Path, edit: str) -> None:
    _again(content)
    EDITS[edit](content)
    again = _again(content)
    assert again == _afresh(content)
    _retitle(content)  # and the next edit after it, from the record this one left
    assert _again(content) == _afresh(content)


def test_an_edit_and_its_undoing_give_back_the_first_problems(content: Path) -> None:
    first = _again(content)
    event = _events(content)[3]
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("title: ", "title: [unclosed\n", 1), encoding="utf-8")
    broken = _again(content)
    assert any("error" in line for line in broken[1])
    event.write_text(text, encoding="utf-8")
    assert _again(content) == first


def test_only_the_edited_event_file_is_read_again(content: Path, conversions: list[str]) -> None:
    _again(content)
    assert len(conversions) > 3  # the first reading reads every file
    conversions.clear()
    edited = _events(content)[1]
    _replace(edited, "title: ", "title: Edited — ")
    raw, _ = _again(content)
    assert conversions == [raw.paths[f"events/{edited.stem}"]]
    assert raw.events[edited.stem]["title"].startswith("Edited — ")


def test_the_problems_of_unchanged_events_are_reported_again_in_order(content: Path) -> None:
    _break_yaml(content)
    _replace(_events(content)[0], "date: ", "date: 2022-13-45\nunknown_field: 1\nwas_date: ")
    _settle(content)
    first = _again(content)
    assert len([line for line in first[1] if ": error: " in line]) >= 2
    _retitle(content)  # neither broken event is read again
    again = _again(content)
    assert again == _afresh(content)
    assert [line for line in again[1] if ": error: " in line] == [line for line in first[1] if ": error: " in line]
