"""The cache of rendered outputs: entries found by key, checked before use, bounded in size, shared by builds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from timeline import rendercache
from timeline.rendercache import RenderCache, render_cache


def made(folder: Path, name: str, data: bytes) -> tuple[Path, str, str, int]:
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return (folder / name, f"pages/{name}", hashlib.sha256(data).hexdigest(), len(data))


def test_an_entry_is_found_by_its_key_after_the_index_is_saved(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", limit=10**6)
    cache.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    cache.save({"k1"})
    again = RenderCache(tmp_path / "cache", limit=10**6)
    [entry] = again.entries("k1")
    assert entry.relative == "pages/a.html"
    assert again.path("k1", entry.relative).read_bytes() == b"<p>a</p>"
    assert again.entries("k2") == ()


def test_an_entry_whose_bytes_changed_is_not_used(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", limit=10**6)
    cache.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    cache.save({"k1"})
    (tmp_path / "site" / "a.html").write_bytes(b"<p>b</p>")  # in place, through the hard link: same size
    assert RenderCache(tmp_path / "cache", limit=10**6).entries("k1") == ()


def test_an_entry_restored_with_other_times_is_checked_by_its_digest(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", limit=10**6)
    cache.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    cache.save({"k1"})
    os.utime(cache.path("k1", "pages/a.html"), (1, 1))  # as a restore that does not keep times would
    assert len(RenderCache(tmp_path / "cache", limit=10**6).entries("k1")) == 1


def test_past_the_bound_the_least_recently_used_go_with_their_files(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", limit=25)
    for number in range(3):
        cache.store(f"k{number}", [made(tmp_path / "site", f"{number}.html", b"x" * 10)])
        cache.save({f"k{number}"})
    again = RenderCache(tmp_path / "cache", limit=25)
    assert again.entries("k0") == ()
    assert not again.path("k0", "pages/0.html").exists()
    assert len(again.entries("k1")) == len(again.entries("k2")) == 1


def test_two_builds_saving_one_after_the_other_keep_both_entries(tmp_path: Path) -> None:
    first, second = RenderCache(tmp_path / "cache", limit=10**6), RenderCache(tmp_path / "cache", limit=10**6)
    first.store("k1", [made(tmp_path / "one", "a.html", b"a")])
    second.store("k2", [made(tmp_path / "two", "b.html", b"b")])
    first.save({"k1"})
    second.save({"k2"})
    again = RenderCache(tmp_path / "cache", limit=10**6)
    assert len(again.entries("k1")) == len(again.entries("k2")) == 1


def test_a_cache_folder_that_cannot_be_written_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder would be")
    cache = RenderCache(tmp_path / "cache", limit=10**6)
    cache.store("k1", [made(tmp_path / "site", "a.html", b"a")])
    cache.save({"k1"})
    assert cache.entries("k1") == ()


def test_the_index_is_read_once_in_a_process_until_another_build_saves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(rendercache, "_IN_PROCESS", {})
    first = render_cache()
    first.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    assert render_cache() is not first  # stored but not saved: this state is no build's
    kept = render_cache()
    kept.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    kept.save({"k1"})
    assert render_cache() is kept
    other = RenderCache(tmp_path / "timeline" / "rendered")  # another process's build
    other.store("k2", [made(tmp_path / "other", "b.html", b"<p>b</p>")])
    other.save({"k2"})
    fresh = render_cache()
    assert fresh is not kept
    assert [e.relative for e in fresh.entries("k2")] == ["pages/b.html"]
    assert [e.relative for e in fresh.entries("k1")] == ["pages/a.html"]
