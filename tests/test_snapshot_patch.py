"""A build from the command line after an edit starts from the snapshot the last build kept: it reads only the
files that changed since, keeps what changed as a small delta beside the snapshot, and its site and messages
equal a clean build's. Each build here is a process of its own, as on the command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_CONTENT

EVENT = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"
OTHER = Path("events") / "2025" / "2025-06-30-pasechnik.yaml"


def _settle(*paths: Path) -> None:
    """Date files a minute back: files changed in the last seconds are never trusted unchanged. (This changes
    their change time, as any write does: only the files just written are dated back.)"""
    past = time.time() - 60
    for path in paths:
        os.utime(path, (past, past))


def _build(project: Path, cache: Path) -> str:
    """Build `project` in a process of its own with `cache` as its cache folder; what it reported."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build"],
        check=False,
        cwd=project,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return "\n".join(line for line in done.stderr.splitlines() if not line.startswith("built "))


def _edit(project: Path, relative: Path, old: str, new: str) -> None:
    file = project / "content" / relative
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    _settle(file)


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _same_as_clean(project: Path, tmp_path: Path, reported: str) -> None:
    clean = tmp_path / f"clean-{time.monotonic_ns()}"
    shutil.copytree(project / "content", clean / "content")
    assert _build(clean, clean / "cache") == reported
    assert _files(project / "site") == _files(clean / "site")


def _kept(cache: Path) -> list[str]:
    return sorted(p.name for p in (cache / "timeline" / "models").iterdir() if not p.name.startswith("."))


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(SMALL_CONTENT, project / "content")
    _settle(*(project / "content").rglob("*"))
    return project


def test_an_edit_reads_only_the_edited_file_and_is_kept_as_a_delta(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _build(project, cache)
    (snapshot,) = _kept(cache)
    assert snapshot.endswith(".pickle")
    for converted in (cache / "timeline").glob("parsed-*"):
        shutil.rmtree(converted)  # what a build reads and converts is kept here again: it shows what was read
    _edit(project, EVENT, "title: ", "title: Edited — ")
    reported = _build(project, cache)
    assert _kept(cache) == [snapshot.replace(".pickle", ".delta"), snapshot]
    (converted,) = (cache / "timeline").glob("parsed-*")
    assert [p.name for p in converted.iterdir()] == ["2022_2022-07.pickle"]  # the edited event's month, alone
    assert "Edited — " in (project / "site" / "events" / EVENT.stem / "index.html").read_text(encoding="utf-8")
    _same_as_clean(project, tmp_path, reported)


def test_edits_gather_in_the_delta_until_shared_content_changes(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _build(project, cache)
    (snapshot,) = _kept(cache)
    _edit(project, EVENT, "title: ", "title: Edited — ")
    _build(project, cache)
    for converted in (cache / "timeline").glob("parsed-*"):
        shutil.rmtree(converted)  # shows what the next build reads
    _edit(project, OTHER, "title: ", "title: Also edited — ")
    reported = _build(project, cache)
    (converted,) = (cache / "timeline").glob("parsed-*")
    assert [p.name for p in converted.iterdir()] == ["2025_2025-06.pickle"]  # the first edit came from the delta
    assert _kept(cache) == [snapshot.replace(".pickle", ".delta"), snapshot]
    site = project / "site" / "events"
    assert "Edited — " in (site / EVENT.stem / "index.html").read_text(encoding="utf-8")  # the first edit stays
    _same_as_clean(project, tmp_path, reported)
    _edit(project, Path("actors.yaml"), "name: ", "name: The ")
    reported = _build(project, cache)
    assert len([name for name in _kept(cache) if name.endswith(".pickle")]) == 2  # a new snapshot
    _same_as_clean(project, tmp_path, reported)


def test_problems_of_unchanged_files_are_reported_after_a_patched_build(tmp_path: Path) -> None:
    project, cache = _project(tmp_path), tmp_path / "cache"
    _edit(project, Path("actors.yaml"), "haidai:\n", "never-used:\n  name: Nobody\n  kind: person\n  side: russia\nhaidai:\n")
    first = _build(project, cache)
    assert "never-used" in first
    _edit(project, EVENT, "title: ", "title: Edited — ")
    again = _build(project, cache)
    assert again == first
    _same_as_clean(project, tmp_path, again)


def test_a_delta_left_beside_another_snapshot_changes_nothing_a_build_makes(tmp_path: Path) -> None:
    """A delta names the snapshot it was made from, and one beside another is not taken. What it holds could not
    mislead a build anyway (an event file's stat key changes with any write, memories are found by content), so
    this shows only that such a file is harmless: the build still equals a clean one."""
    project, cache = _project(tmp_path), tmp_path / "cache"
    _build(project, cache)
    (snapshot,) = _kept(cache)
    _edit(project, EVENT, "title: ", "title: Edited — ")
    _build(project, cache)
    models = cache / "timeline" / "models"
    stale = (models / snapshot.replace(".pickle", ".delta")).read_bytes()
    _edit(project, Path("site.yaml"), "title: ", "title: Another ")  # a new snapshot, and its own delta later
    _build(project, cache)
    newest = max(models.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    newest.with_suffix(".delta").write_bytes(stale)  # a delta of another snapshot
    _edit(project, OTHER, "title: ", "title: Also edited — ")
    reported = _build(project, cache)
    _same_as_clean(project, tmp_path, reported)


def test_a_large_site_keeps_only_its_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past memories.KEPT_UP_TO content files, neither what the content was read from nor what the later stages find
    is kept: the memory is not spared."""
    import pickle

    from timeline import contentpatch, memories
    from timeline.build import build_site
    from timeline.diagnostics import Diagnostics

    monkeypatch.setattr(memories, "KEPT_UP_TO", 3)
    project, cache = _project(tmp_path), tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    assert build_site(project / "content", ROOT / "templates", project / "site", Diagnostics()) is not None
    assert contentpatch.record_of(project / "content") is None
    from timeline import checkmemo, eventmemo, pagekeys
    from timeline.charts import memo as charts_memo

    assert not checkmemo.kept_state().keys() - {("format",)}  # and the memories of later stages keep nothing
    assert not eventmemo._PIECES
    assert not charts_memo._KEPT
    assert not pagekeys._MEMORY["pages"]
    (snapshot,) = (cache / "timeline" / "models").glob("*.pickle")
    with snapshot.open("rb") as stream:
        pickle.load(stream)  # the model
        with pytest.raises(EOFError):
            pickle.load(stream)
