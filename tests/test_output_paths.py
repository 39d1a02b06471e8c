"""Nothing is written, read or removed outside the output folder, and `--out` never replaces a folder this tool did
not build: page names, the manifest's entries and the output folder itself are checked first."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_CONTENT, build
from timeline import output
from timeline.build import build_site, check_content
from timeline.cli import EXIT_USAGE, main
from timeline.diagnostics import Diagnostics
from timeline.manifest import manifest_path
from timeline.output import OutsideOutput, SiteWriter
from timeline.pages import SITE_FOLDERS

TEMPLATES = ROOT / "templates"
EVENT = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def add_page(content: Path, file_name: str) -> Path:
    page = content / "pages" / file_name
    page.write_text("---\ntitle: Mine\n---\nA page of my own.\n", encoding="utf-8")
    return page


# Page names


BAD_NAMES = ["...md", "..md", ".hidden.md", "Upper.md", "two--hyphens.md", "charts.md", "tags.md", "sources.md"]
BAD_NAMES += ["events.md", "404.html.md", "feed.xml.md", "robots.txt.md"]


@pytest.mark.parametrize("file_name", BAD_NAMES)
def test_a_page_name_that_is_not_an_id_or_is_taken_is_a_positioned_error(tmp_path: Path, file_name: str) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    add_page(content, file_name)
    diagnostics = Diagnostics()
    check_content(content, diagnostics)
    errors = [d for d in diagnostics.errors if d.path.endswith(f"pages/{file_name}")]
    assert len(errors) == 1, [d.format_text() for d in diagnostics]
    assert (errors[0].line, errors[0].column) == (1, 1)
    assert repr(file_name[:-3]) in errors[0].message
    assert errors[0].hint


@pytest.mark.parametrize("file_name", ["...md", "..md", "charts.md", "404.html.md", "feed.xml.md", "robots.txt.md"])
def test_a_bad_page_name_fails_the_build_cleanly_and_writes_nothing_outside(tmp_path: Path, file_name: str) -> None:
    content, site = tmp_path / "project" / "content", tmp_path / "project" / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    before, around = files_of(site), sorted(os.listdir(site.parent))
    add_page(content, file_name)
    diagnostics = Diagnostics()
    assert build_site(content, TEMPLATES, site, diagnostics) is None  # no traceback, no "two outputs want the same path"
    assert any(d.path.endswith(f"pages/{file_name}") for d in diagnostics.errors)
    assert files_of(site) == before
    assert sorted(os.listdir(site.parent)) == around


def test_every_folder_the_site_itself_uses_is_reserved(small_site: Path) -> None:
    pages = {p.stem for p in (SMALL_CONTENT / "pages").glob("*.md")}
    folders = {p.name for p in small_site.iterdir() if p.is_dir()} - pages
    assert folders <= SITE_FOLDERS, f"add {sorted(folders - SITE_FOLDERS)} to pages.SITE_FOLDERS"


@pytest.mark.parametrize("relative", ["../index.html", "/etc/x", "a/../../b", "", "a//b", "./a", "a\\..\\b", "a/.."])
def test_the_writer_refuses_an_output_path_outside_the_folder(tmp_path: Path, relative: str) -> None:
    writer = SiteWriter(tmp_path / "site")
    try:
        with pytest.raises(OutsideOutput):
            writer.write(relative, "x")
    finally:
        writer.discard()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# The manifest


def test_manifest_entries_outside_the_folder_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """A site and a manifest committed by someone else: its entries must not reach files beside the site."""
    theirs, mine = tmp_path / "theirs", tmp_path / "mine"
    content = mine / "content"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, theirs / "site")
    manifest = json.loads(manifest_path(theirs / "site").read_text(encoding="utf-8"))
    manifest["outputs"]["../outside/victim.txt"] = ["0" * 64, 6, ""]
    manifest["outputs"]["/tmp/absolute.txt"] = ["0" * 64, 6, ""]
    shutil.copytree(theirs / "site", mine / "site")
    manifest_path(mine / "site").write_text(json.dumps(manifest), encoding="utf-8")
    victim = mine / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("victim", encoding="utf-8")
    diagnostics = Diagnostics()
    assert build_site(content, TEMPLATES, mine / "site", diagnostics) is not None
    assert victim.read_text(encoding="utf-8") == "victim"
    warned = [d for d in diagnostics.warnings if d.path == str(manifest_path((mine / "site").absolute()))]
    assert len(warned) == 2
    assert "'../outside/victim.txt'" in warned[0].message + warned[1].message
    assert not diagnostics.errors


def test_a_planted_link_in_a_site_of_someone_else_is_not_followed(tmp_path: Path) -> None:
    """A committed site whose page is a symbolic link to a private file, with a manifest naming that file's bytes."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, tmp_path / "theirs")
    shutil.copytree(tmp_path / "theirs", site)
    secret = tmp_path / "secret.txt"
    page = site / "about" / "index.html"
    secret.write_bytes(page.read_bytes())  # the same bytes, so its digest matches what the manifest records
    page.unlink()
    page.symlink_to(secret)
    shutil.copy(manifest_path(tmp_path / "theirs"), manifest_path(site))
    assert build_site(content, TEMPLATES, site, Diagnostics()) is not None
    assert not (site / "about" / "index.html").is_symlink()
    assert (site / "about" / "index.html").stat().st_ino != secret.stat().st_ino


# The output folder


def run_build(tmp_path: Path, *args: str) -> int:
    return main(["build", "--content", "content", "--templates", str(TEMPLATES), *args])


def test_out_refuses_a_folder_this_tool_did_not_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fields.md").write_text("# Fields\n", encoding="utf-8")
    assert run_build(tmp_path, "--out", "docs") == EXIT_USAGE
    err = capsys.readouterr().err
    assert "docs" in err
    assert "--force" in err
    assert "Traceback" not in err
    assert sorted(os.listdir(tmp_path / "docs")) == ["fields.md"]
    assert sorted(os.listdir(tmp_path)) == ["content", "docs"]  # no lock, manifest or new tree left beside it
    assert run_build(tmp_path, "--out", "docs", "--force") == 0
    assert (tmp_path / "docs" / "index.html").is_file()
    assert not (tmp_path / "docs" / "fields.md").exists()
    assert run_build(tmp_path, "--out", "docs") == 0  # now it is a site of ours


@pytest.mark.parametrize("out", ["content", ".", "content/events"])
def test_out_never_replaces_the_content_even_when_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    before = files_of(tmp_path / "content")
    assert run_build(tmp_path, "--out", out, "--force") == EXIT_USAGE
    assert files_of(tmp_path / "content") == before


def test_out_may_be_an_empty_folder_or_a_new_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    (tmp_path / "empty").mkdir()
    assert run_build(tmp_path, "--out", "empty") == 0
    assert run_build(tmp_path, "--out", "new/deeper") == 0
    assert (tmp_path / "new" / "deeper" / "index.html").is_file()


# The up-to-date shortcut


def test_an_equal_size_edit_with_its_time_kept_is_not_taken_for_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """As `cp -p` of an edited copy leaves it: same size, same modification time; only the change time tells."""
    monkeypatch.setattr(output, "SETTLE_SECONDS", 0.0)  # the files are new: let their stat data be trusted at once
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    event = content / EVENT
    info = event.stat()
    text = event.read_text(encoding="utf-8")
    assert "describes the assault" in text
    event.write_text(text.replace("describes the assault", "DESCRIBES the assault"), encoding="utf-8")
    os.utime(event, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (event.stat().st_size, event.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    report = build_site(content, TEMPLATES, site, Diagnostics())
    assert report is not None
    assert not report.up_to_date
    assert "DESCRIBES the assault" in (site / "events" / EVENT.stem / "index.html").read_text(encoding="utf-8")
