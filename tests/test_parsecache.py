"""Content files are read again only when they change; the cache never changes what a load gives."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONTENT
from timeline import convert
from timeline.content import RawContent, load_content
from timeline.diagnostics import Diagnostics
from timeline.parsecache import ParseCache

HAIDAI = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"


@pytest.fixture
def settled(tmp_path: Path) -> Path:
    """A copy of the small content whose files were all last modified a minute ago."""
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    for path in content.rglob("*"):
        os.utime(path, (time.time() - 60,) * 2)
    return content


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The display paths of the files read and converted (not answered from the cache)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    seen: list[str] = []
    real = convert.read_and_convert

    def counting(file: Path, path: str, schema: object, keep_marks: bool = False) -> object:
        seen.append(path)
        return real(file, path, schema, keep_marks)

    monkeypatch.setattr(convert, "read_and_convert", counting)
    return seen


def load(content: Path) -> tuple[RawContent, list[str]]:
    diagnostics = Diagnostics()
    raw = load_content(content, diagnostics)
    return raw, [d.format_text() for d in diagnostics]


def uncached(content: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> tuple[RawContent, list[str]]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-cache"))
    return load(content)


def test_a_second_load_reads_no_file_and_gives_the_same_content(settled: Path, reads: list[str]) -> None:
    first, first_messages = load(settled)
    assert len(reads) == len(list((settled / "events").rglob("*.yaml"))) + 6  # events, site.yaml, five registries
    reads.clear()
    second, second_messages = load(settled)
    assert reads == []
    assert second.events == first.events
    assert second.registries == first.registries
    assert second.marks == first.marks
    assert second.references == first.references
    assert second_messages == first_messages


def test_an_edited_file_is_read_again_and_only_it(
    settled: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    load(settled)
    reads.clear()
    event = settled / HAIDAI
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("actors: [haidai]", "actorz: [haidai]"), encoding="utf-8")
    os.utime(event, (time.time() - 30,) * 2)
    raw, messages = load(settled)
    assert reads == [f"{settled}/{HAIDAI.as_posix()}"]
    assert any("unknown key 'actorz'" in m for m in messages)
    fresh, fresh_messages = uncached(settled, monkeypatch, tmp_path)
    assert raw.events == fresh.events
    assert messages == fresh_messages


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(settled: Path, reads: list[str]) -> None:
    load(settled)
    reads.clear()
    event = settled / HAIDAI
    before = event.stat()
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace("actors: [haidai]", "actorx: [haidai]"), encoding="utf-8")
    os.utime(event, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert event.stat().st_size == before.st_size
    _, messages = load(settled)
    assert len(reads) == 1
    assert any("unknown key 'actorx'" in m for m in messages)


def test_a_file_changed_a_moment_ago_is_not_kept(settled: Path, reads: list[str]) -> None:
    event = settled / HAIDAI
    event.write_text(event.read_text(encoding="utf-8"), encoding="utf-8")  # modified now
    load(settled)
    reads.clear()
    load(settled)
    assert reads == [f"{settled}/{HAIDAI.as_posix()}"]


def test_a_damaged_cache_is_ignored(settled: Path, reads: list[str], tmp_path: Path) -> None:
    first, first_messages = load(settled)
    for cached in (tmp_path / "cache").rglob("*.pickle"):
        cached.write_bytes(b"not a pickle")
    reads.clear()
    second, second_messages = load(settled)
    assert len(reads) > 0
    assert second.events == first.events
    assert second_messages == first_messages


def test_files_that_are_gone_are_forgotten(settled: Path, reads: list[str], tmp_path: Path) -> None:
    load(settled)
    groups = {p.name for p in (tmp_path / "cache").rglob("*.pickle")}
    shutil.rmtree(settled / "events" / "2014")
    raw, _ = load(settled)
    assert not any(event_id.startswith("2014") for event_id in raw.events)
    left = {p.name for p in (tmp_path / "cache").rglob("*.pickle")}
    assert left < groups
    assert not any(name.startswith("2014_") for name in left)


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are read in worker processes, however few."""
    monkeypatch.setattr(convert, "PARALLEL_LOAD_ABOVE", 1)
    monkeypatch.setattr(convert, "cores", lambda: 2)


def test_content_read_in_workers_is_the_content_read_here_and_is_kept_by_them(
    settled: Path, in_workers: None, reads: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (settled / "events" / "2022" / "2022-07-03-not-yaml.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    os.utime(settled / "events" / "2022" / "2022-07-03-not-yaml.yaml", (time.time() - 60,) * 2)
    saved: list[str] = []
    real_save = ParseCache.save
    monkeypatch.setattr(ParseCache, "save", lambda self: (saved.extend(self.dirty), real_save(self))[1])
    first, first_messages = load(settled)
    assert reads == []  # not one file was read in this process
    assert saved == []  # and the workers wrote every group of the cache
    assert any("this is not valid YAML" in m for m in first_messages)
    second, second_messages = load(settled)  # from the cache the workers wrote
    assert reads == []
    monkeypatch.setattr(convert, "PARALLEL_LOAD_ABOVE", 10**9)
    here, here_messages = uncached(settled, monkeypatch, tmp_path)
    assert len(reads) == len(list((settled / "events").rglob("*.yaml"))) + 6
    for raw in (first, second):
        assert raw.events == here.events
        assert raw.registries == here.registries
        assert raw.references == here.references
        assert raw.text_origins == here.text_origins
        assert raw.findings == here.findings
        assert raw.digests == here.digests
        assert raw.unmarked.keys() == here.unmarked.keys()
    assert first_messages == second_messages == here_messages


def test_a_group_partly_in_the_cache_is_completed_by_the_parent(
    settled: Path, in_workers: None, reads: list[str], tmp_path: Path
) -> None:
    load(settled)
    event = settled / HAIDAI
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidai]", "actorz: [haidai]"), encoding="utf-8")
    os.utime(event, (time.time() - 30,) * 2)
    raw, messages = load(settled)  # one file to read, in a worker; the rest of its group is in the cache
    assert any("unknown key 'actorz'" in m for m in messages)
    again, again_messages = load(settled)
    assert reads == []
    assert again.events == raw.events
    assert again_messages == messages


def test_a_file_that_could_not_be_read_is_reported_the_same_from_the_cache(settled: Path, reads: list[str]) -> None:
    broken = settled / "events" / "2022" / "2022-07-03-not-yaml.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    os.utime(broken, (time.time() - 60,) * 2)
    _, first_messages = load(settled)
    reads.clear()
    second, second_messages = load(settled)
    assert reads == []
    assert "2022-07-03-not-yaml" not in second.events
    assert "events/2022-07-03-not-yaml" in second.unreadable
    assert second_messages == first_messages
    assert any("not-yaml.yaml:2:1: error: this is not valid YAML" in m for m in second_messages)
