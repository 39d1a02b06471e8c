"""The content's digest: every byte counts, and unchanged files are not read again to learn it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from timeline import digests
from timeline.snapshot import content_key

FIXTURE = Path(__file__).parent / "fixtures" / "site-small" / "content"
_OPENED: list[str] = []


def _record_opens(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and isinstance(args[0], str):
        _OPENED.append(args[0])


sys.addaudithook(_record_opens)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(digests, "_IN_PROCESS", {})
    copy = tmp_path / "content"
    shutil.copytree(FIXTURE, copy)
    past = 1_600_000_000 * 10**9  # older than any settling window
    for path in copy.rglob("*"):
        os.utime(path, ns=(past, past))
    return copy


def _event_file(content: Path) -> Path:
    return sorted((content / "events").rglob("*.yaml"))[0]


def test_a_rewrite_that_keeps_size_and_time_still_changes_the_key(content: Path) -> None:
    before = content_key(content, "content")
    event = _event_file(content)
    info = event.stat()
    data = event.read_bytes()
    assert b"e" in data
    event.write_bytes(data.replace(b"e", b"E", 1))
    os.utime(event, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert event.stat().st_size == info.st_size
    assert event.stat().st_mtime_ns == info.st_mtime_ns
    assert content_key(content, "content") != before


def test_unchanged_files_are_not_read_again_even_by_a_new_process(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = content_key(content, "content")
    monkeypatch.setattr(digests, "_IN_PROCESS", {})  # as a new run: only the cache folder remembers
    _OPENED.clear()
    assert content_key(content, "content") == first
    assert not [path for path in _OPENED if path.startswith(str(content))]
    _event_file(content).write_text(_event_file(content).read_text() + "\n")
    _OPENED.clear()
    assert content_key(content, "content") != first
    assert [path for path in _OPENED if path.startswith(str(content))] == [str(_event_file(content))]


def test_the_key_is_the_same_without_the_cache_and_in_another_place(content: Path, tmp_path: Path) -> None:
    first = content_key(content, "content")
    shutil.rmtree(tmp_path / "cache")
    elsewhere = tmp_path / "checkout" / "content"
    shutil.copytree(content, elsewhere)
    assert content_key(content, "content") == first
    assert content_key(elsewhere, "content") == first


def test_a_key_asked_again_reads_nothing_when_no_file_changed(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = content_key(content, "content")
    digested: list[str] = []
    original = digests.FileDigests.digest

    def counted(self: digests.FileDigests, path: str) -> tuple[str, int]:
        digested.append(path)
        return original(self, path)

    monkeypatch.setattr(digests.FileDigests, "digest", counted)
    _OPENED.clear()
    assert content_key(content, "content") == first
    assert digested == []
    assert not [path for path in _OPENED if path.startswith(str(content))]


def test_a_file_changed_a_moment_ago_is_read_again_to_tell_the_key(content: Path) -> None:
    event = _event_file(content)
    event.write_text(event.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # too recent to trust its stat
    first = content_key(content, "content")
    _OPENED.clear()
    assert content_key(content, "content") == first
    assert [path for path in _OPENED if path.startswith(str(content))] == [str(event)]
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    assert content_key(content, "content") != first
    event.write_text(event.read_text(encoding="utf-8").replace("title: Edited ", "title: ", 1), encoding="utf-8")
    assert content_key(content, "content") == first
    other = sorted((content / "events").rglob("*.yaml"))[1]
    other.write_text(other.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert content_key(content, "content") != first
