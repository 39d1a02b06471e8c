"""The cache of rendered outputs: entries found by key, checked before use, bounded in size, shared by builds."""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

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


def saved(folder: Path, count: int, limit: int = 10**9) -> RenderCache:
    """A cache whose index holds `count` keys, saved as one base."""
    cache = RenderCache(folder / "cache", limit=limit)
    for number in range(count):
        cache.store(f"k{number}", [made(folder / "site", f"{number}.html", b"x" * 10)])
    cache.save({f"k{number}" for number in range(count)})
    return cache


def test_a_build_that_adds_little_appends_a_record_and_leaves_the_base_as_it_was(tmp_path: Path) -> None:
    cache = saved(tmp_path, 600)
    base = os.stat(cache._index())
    cache.store("new", [made(tmp_path / "site", "new.html", b"<p>new</p>")])
    cache.save({f"k{number}" for number in range(600)} | {"new"})
    after = os.stat(cache._index())
    assert (after.st_ino, after.st_mtime_ns) == (base.st_ino, base.st_mtime_ns)
    assert os.path.getsize(cache._journal()) < 1000  # the new group only: the 600 live ones were used just now
    again = RenderCache(tmp_path / "cache", limit=10**9)
    assert again.groups == cache.groups
    assert again.total == cache.total == 600 * 10 + len(b"<p>new</p>")
    assert [e.relative for e in again.entries("new")] == ["pages/new.html"]
    assert cache.current()


def test_a_build_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    cache = saved(tmp_path, 3)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "cache").iterdir())
    cache.entries("k1")
    cache.save({"k0", "k1", "k2"})
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "cache").iterdir()) == before


def test_a_group_last_recorded_long_ago_is_recorded_as_used_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = saved(tmp_path, 2, limit=25)  # room for two groups of ten bytes
    later = time.time() + rendercache.REFRESH_SECONDS + 1
    monkeypatch.setattr(rendercache, "time", SimpleNamespace(time=lambda: later))
    cache.save({"k0"})  # k0 used again: no longer the least recently used
    cache.store("k2", [made(tmp_path / "site", "2.html", b"x" * 10)])
    cache.save({"k2"})
    again = RenderCache(tmp_path / "cache", limit=25)
    assert sorted(again.groups) == ["k0", "k2"]
    assert again.total == 20
    assert not again.path("k1", "pages/1.html").exists()


def test_the_journal_is_folded_into_the_base_when_it_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rendercache, "FOLD_AT_LEAST", 2)
    cache = saved(tmp_path, 3)
    first = cache.generation
    for number in range(3, 7):
        cache.store(f"k{number}", [made(tmp_path / "site", f"{number}.html", b"x" * 10)])
        cache.save({f"k{number}"})
    assert cache.generation != first
    assert [p.name for p in (tmp_path / "cache").glob("journal-*")] in ([], [cache._journal().name])
    again = RenderCache(tmp_path / "cache", limit=10**9)
    assert again.groups == cache.groups
    assert again.total == 70


def test_a_record_cut_short_ends_the_journal_there(tmp_path: Path) -> None:
    cache = saved(tmp_path, 3)
    for name in ("a", "b"):
        cache.store(name, [made(tmp_path / "site", f"{name}.html", b"y")])
        cache.save({name})
    journal = cache._journal()
    journal.write_bytes(journal.read_bytes()[:-5])  # a build killed while appending its record
    again = RenderCache(tmp_path / "cache", limit=10**9)
    assert sorted(again.groups) == ["a", "k0", "k1", "k2"]
    again.store("c", [made(tmp_path / "site", "c.html", b"z")])
    again.save({"c"})  # not appended past the damage, where no reader would see it
    assert sorted(RenderCache(tmp_path / "cache", limit=10**9).groups) == ["a", "c", "k0", "k1", "k2"]


def test_a_build_reads_the_records_another_build_appended(tmp_path: Path) -> None:
    first = saved(tmp_path, 3)
    second = RenderCache(tmp_path / "cache", limit=10**9)
    second.store("b", [made(tmp_path / "two", "b.html", b"b")])
    second.save({"b"})
    assert not first.current()
    first.store("a", [made(tmp_path / "one", "a.html", b"a")])
    first.save({"a"})
    assert sorted(first.groups) == ["a", "b", "k0", "k1", "k2"]
    assert RenderCache(tmp_path / "cache", limit=10**9).groups == first.groups


def test_the_groups_of_the_site_just_made_are_pruned_last(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", limit=25)
    for number in range(2):
        cache.store(f"k{number}", [made(tmp_path / "site", f"{number}.html", b"x" * 10)])
        cache.save({f"k{number}"})
    cache.store("k2", [made(tmp_path / "site", "2.html", b"x" * 10)])
    cache.save({"k0", "k2"})  # k0 is recorded as used before k1 (within the hour), but this build used it
    assert sorted(RenderCache(tmp_path / "cache", limit=25).groups) == ["k0", "k2"]


def test_pruning_leaves_room_below_the_bound(tmp_path: Path) -> None:
    cache = saved(tmp_path, 10, limit=100)
    cache.store("more", [made(tmp_path / "site", "more.html", b"x" * 5)])
    cache.save({"more"})
    assert cache.total <= 100 * rendercache.PRUNE_TO
    assert RenderCache(tmp_path / "cache", limit=100).total == cache.total == 85


def test_the_files_of_an_index_of_another_version_are_removed(tmp_path: Path) -> None:
    import pickle

    cache = RenderCache(tmp_path / "cache", limit=10**6)
    cache.store("k1", [made(tmp_path / "site", "a.html", b"<p>a</p>")])
    cache.save({"k1"})
    kept = cache.path("k1", "pages/a.html")
    assert kept.exists()
    index = tmp_path / "cache" / "index.pickle"
    index.write_bytes(pickle.dumps((1, {"k1": (0.0, ())})))  # what an earlier version wrote: nothing names it now
    again = RenderCache(tmp_path / "cache", limit=10**6)
    assert again.entries("k1") == ()
    assert not kept.exists()
    assert (tmp_path / "site" / "a.html").read_bytes() == b"<p>a</p>"  # the build's own file is not touched
