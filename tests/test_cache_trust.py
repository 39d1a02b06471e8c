"""The memory of `check` and the parse cache never take an edited file for an unchanged one: an edit that
keeps size and modification time (`cp -p`, `touch -r`) is seen by the change time, or, where stat data is not
to be trusted, by a digest of the file's bytes."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.bad_cases import CHECK_ARGS, SMALL_CONTENT, run_cli
from timeline import parsecache
from timeline.checkcache import check_fingerprint

HAIDAI = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"


@pytest.fixture
def settled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the small content, every file last modified a minute ago, with its own cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    for path in content.rglob("*"):
        os.utime(path, (time.time() - 60,) * 2)
    return content


def same_size_edit(event: Path, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (same length) and put the modification time back, as `cp -p` would leave it."""
    assert len(old) == len(new)
    before = event.stat()
    edited = event.parent.parent / "edited.tmp"
    edited.write_bytes(event.read_bytes().replace(old, new))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    shutil.copy2(edited, event)  # cp -p
    edited.unlink()
    assert (event.stat().st_size, event.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_check_sees_an_edit_copied_with_its_old_modification_time(settled: Path) -> None:
    assert run_cli(CHECK_ARGS, settled.parent) == (0, "", "")
    assert list((settled.parent / "cache").rglob("check-*.json")), "the answer was remembered"
    same_size_edit(settled / HAIDAI, b"actors: [haidai]", b"actors: [haidia]")
    code, _, err = run_cli(CHECK_ARGS, settled.parent)
    assert code == 1
    assert "unknown actor 'haidia'" in err


def test_where_stat_is_not_trusted_the_bytes_decide(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Change time and inode mean nothing on some systems: there, a same-size edit with the modification
    time kept is still a change, for the check's memory and for the parse cache."""
    monkeypatch.setattr(parsecache, "stat_trusted", lambda info: False)
    first = check_fingerprint(settled)
    assert run_cli(CHECK_ARGS, settled.parent)[0] == 0
    same_size_edit(settled / HAIDAI, b"actors: [haidai]", b"actors: [haidia]")
    assert check_fingerprint(settled) != first
    code, _, err = run_cli(CHECK_ARGS, settled.parent)
    assert code == 1
    assert "unknown actor 'haidia'" in err


def test_an_untrusted_stat_key_holds_the_digest(settled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsecache, "stat_trusted", lambda info: False)
    event = settled / HAIDAI
    key = parsecache.stat_key(event.stat(), event)
    assert key is not None
    assert key[2:4] == (0, 0)  # change time and inode are left out
    assert len(key[4]) == 64
    assert parsecache.stat_key(event.stat()) is None  # no file to digest: not to be cached
