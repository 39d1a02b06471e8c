"""An incremental rebuild renders only the pages whose inputs changed, and its output equals a clean build's,
byte for byte, whatever was edited: an event, a related link, a registry, a Markdown page, a template."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.process import as_a_new_process
from timeline import build as build_module
from timeline.build import BuildReport, build_site
from timeline.diagnostics import Diagnostics

EVENTS = Path("events") / "2022"
CLAIM = EVENTS / "2022-07-03-shoigu-claims-lysychansk-and-luhansk.yaml"
DEATHS = EVENTS / "2022-07-03-belgorod-deaths.yaml"


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(content: Path, templates: Path, out: Path, preview: bool = False) -> BuildReport:
    diagnostics = Diagnostics()
    report = build_site(content, templates, out, diagnostics, preview=preview)
    assert report is not None, [d.format_text() for d in diagnostics]
    return report


def clean_build(content: Path, templates: Path, out: Path) -> BuildReport:
    """A build that takes nothing from earlier ones: its own empty cache folder, nothing kept in the process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(out.parent / f"{out.name}-cache"))
        as_a_new_process(patch)
        return build(content, templates, out)


def retitle_an_event(content: Path, templates: Path) -> None:
    replace(content / CLAIM, "title: ", "title: Edited — ")


def relate_two_events(content: Path, templates: Path) -> None:
    replace(content / DEATHS, "related: [", "related: [2022-07-03-ukraine-confirms-withdrawal, ")


def add_an_event(content: Path, templates: Path) -> None:
    text = (content / DEATHS).read_text(encoding="utf-8")
    (content / EVENTS / "2022-07-03-belgorod-deaths-again.yaml").write_text(text.replace("title: ", "title: Again — ", 1))


def delete_an_event(content: Path, templates: Path) -> None:
    (content / EVENTS / "2022-07-03-melitopol-base-hit.yaml").unlink()


def rename_an_actor(content: Path, templates: Path) -> None:
    replace(content / "actors.yaml", "name: Russia\n", "name: The Russian Federation\n")


def edit_a_page(content: Path, templates: Path) -> None:
    about = content / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")


def edit_a_template(content: Path, templates: Path) -> None:
    replace(templates / "_macros.html", "</", " </")


EDITS: list[Callable[[Path, Path], None]] = [
    retitle_an_event,
    relate_two_events,
    add_an_event,
    delete_an_event,
    rename_an_actor,
    edit_a_page,
    edit_a_template,
]


@pytest.mark.parametrize("preview", [False, True], ids=["build", "serve"])
@pytest.mark.parametrize("change", EDITS, ids=[edit.__name__ for edit in EDITS])
def test_an_incremental_rebuild_equals_a_clean_build(tmp_path: Path, change: Callable[[Path, Path], None], preview: bool) -> None:
    """`serve`'s builds (preview) keep their model and drawings in the process; they too equal a clean build."""
    content, templates, site = tmp_path / "content", tmp_path / "templates", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    first = build(content, templates, site, preview)
    assert first.rendered == first.pages
    change(content, templates)
    report = build(content, templates, site, preview)
    clean = tmp_path / "clean"
    clean_build(content, templates, clean)
    assert files_of(site) == files_of(clean)
    assert report.changed > 0


def test_an_event_edit_renders_only_the_pages_that_show_the_event(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)
    retitle_an_event(content, ROOT / "templates")
    report = build(content, ROOT / "templates", site)
    assert 0 < report.rendered < report.pages / 2, f"{report.rendered} of {report.pages} pages rendered"
    page = (site / "events" / CLAIM.stem / "index.html").read_text(encoding="utf-8")
    assert "Edited — " in page
    untouched = (site / "places" / "kyiv" / "index.html").read_text(encoding="utf-8")
    assert "Edited — " not in untouched


def test_a_rebuild_after_a_failed_build_renders_what_changed(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)
    replace(content / CLAIM, "title: ", "title:\n  - broken\ntitle_x: ")
    assert build_site(content, ROOT / "templates", site, Diagnostics()) is None
    replace(content / CLAIM, "title:\n  - broken\ntitle_x: ", "title: Mended — ")
    build(content, ROOT / "templates", site)
    assert "Mended — " in (site / "events" / CLAIM.stem / "index.html").read_text(encoding="utf-8")
    clean_build(content, ROOT / "templates", tmp_path / "clean")
    assert files_of(site) == files_of(tmp_path / "clean")


def test_touched_but_unchanged_files_render_nothing_and_draw_no_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    from timeline import write

    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)
    before = files_of(site)
    for path in content.rglob("*"):  # as a checkout of another branch and back would leave them
        os.utime(path, (time.time() - 30,) * 2)

    def no_drawing(timeline: object) -> None:
        raise AssertionError("charts were drawn for a build that renders no page")

    monkeypatch.setattr(write, "build_charts", no_drawing)
    report = build(content, ROOT / "templates", site)
    assert not report.up_to_date  # the files' times changed, so the quick check cannot answer
    assert report.rendered == 0
    assert report.changed == 0
    assert files_of(site) == before


def test_an_event_edit_rewrites_one_year_of_a_split_data_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import feeds

    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 1)
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)
    before = files_of(site)
    retitle_an_event(content, ROOT / "templates")
    build(content, ROOT / "templates", site)
    after = files_of(site)
    changed = {name for name in after if name.endswith(".json") and after[name] != before.get(name)}
    assert {name for name in changed if not name.startswith("search/")} == {
        "data/events-2022.json",
        "exports/timelinejs-2022.json",
        "feed.json",
    }
    clean_build(content, ROOT / "templates", tmp_path / "clean")
    assert after == files_of(tmp_path / "clean")


@pytest.mark.parametrize("change", [retitle_an_event, relate_two_events, delete_an_event], ids=lambda c: c.__name__)
def test_a_site_split_over_many_pages_rebuilds_like_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[Path, Path], None]
) -> None:
    from timeline import pages

    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 2)
    monkeypatch.setattr(pages, "LIST_PAGE_EVENTS", 3)
    monkeypatch.setattr(pages, "HOME_PAGE_EVENTS", 10)
    as_a_new_process(monkeypatch)  # what earlier builds here remember was made with other settings of the code
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)
    change(content, ROOT / "templates")
    report = build(content, ROOT / "templates", site)
    assert report.rendered < report.pages
    clean_build(content, ROOT / "templates", tmp_path / "clean")
    assert files_of(site) == files_of(tmp_path / "clean")


def test_a_fresh_copy_built_into_an_empty_folder_with_a_warm_cache_renders_nothing_and_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    """What CI does on a merge: a new checkout somewhere else (new inodes and times), no site/, the cache restored."""
    first = tmp_path / "first" / "content"
    shutil.copytree(ROOT / "content", first)
    build(first, ROOT / "templates", tmp_path / "first" / "site")
    checkout = tmp_path / "checkout" / "content"
    shutil.copytree(ROOT / "content", checkout)
    report = build(checkout, ROOT / "templates", tmp_path / "checkout" / "site")
    assert report.rendered == 0, f"{report.rendered} of {report.pages} pages rendered"
    clean = clean_build(checkout, ROOT / "templates", tmp_path / "clean")
    assert clean.rendered == clean.pages
    assert files_of(tmp_path / "checkout" / "site") == files_of(tmp_path / "clean")


def test_a_warm_cache_build_after_an_edit_renders_only_what_changed_and_equals_a_clean_build(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    retitle_an_event(content, ROOT / "templates")
    report = build(content, ROOT / "templates", tmp_path / "elsewhere")
    assert 0 < report.rendered < report.pages / 2
    clean_build(content, ROOT / "templates", tmp_path / "clean")
    assert files_of(tmp_path / "elsewhere") == files_of(tmp_path / "clean")


def test_a_cache_entry_whose_file_changed_is_rendered_again(tmp_path: Path) -> None:
    """A file of the cache edited in place (through a hard link from a site, say) is never copied into a site."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    page = tmp_path / "site" / "events" / CLAIM.stem / "index.html"
    with page.open("r+b") as stream:  # in place: the cache's file is the same file
        stream.write(b"<!-- tampered -->")
    build(content, ROOT / "templates", tmp_path / "other")
    assert not (tmp_path / "other" / "events" / CLAIM.stem / "index.html").read_bytes().startswith(b"<!-- tampered -->")


def test_the_cache_folder_deleted_between_builds_costs_only_rendering(tmp_path: Path) -> None:
    import os

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "timeline" / "rendered")
    report = build(content, ROOT / "templates", tmp_path / "other")
    assert report.rendered == report.pages
    assert files_of(tmp_path / "other") == files_of(tmp_path / "site")


def test_a_copy_of_the_same_content_loads_the_kept_model_with_its_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI's fresh checkout of the same content (elsewhere, new times) reads no content file: it loads the model."""
    shutil.copytree(ROOT / "content", tmp_path / "first" / "content")
    with (tmp_path / "first" / "content" / "tags.yaml").open("a", encoding="utf-8") as stream:
        stream.write("never-used:\n  label: Never used\n  description: A tag no event has.\n")
    monkeypatch.chdir(tmp_path / "first")
    diagnostics = Diagnostics()
    assert build_site(Path("content"), ROOT / "templates", Path("site"), diagnostics) is not None
    [warning] = [d for d in diagnostics if "never-used" in d.message]
    shutil.copytree(tmp_path / "first" / "content", tmp_path / "checkout" / "content")
    monkeypatch.chdir(tmp_path / "checkout")

    def no_reading(content: Path, diagnostics: Diagnostics, *progress: object) -> None:
        raise AssertionError("the content was read again")

    monkeypatch.setattr(build_module, "load_timeline", no_reading)
    again = Diagnostics()
    assert build_site(Path("content"), ROOT / "templates", Path("site"), again) is not None
    assert [d for d in again if "never-used" in d.message] == [warning]
    assert files_of(tmp_path / "checkout" / "site") == files_of(tmp_path / "first" / "site")
    replace(Path("content") / CLAIM, "title: ", "title: Edited — ")
    with pytest.raises(AssertionError, match="read again"):  # other content: the kept model is not used
        build_site(Path("content"), ROOT / "templates", Path("site"), Diagnostics())


@pytest.mark.parametrize("parallel", [False, True], ids=["in one process", "in worker processes"])
def test_pages_the_cache_loses_during_a_build_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    import os

    from timeline import write

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    real = write.pages_to_render

    def then_cache_emptied(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"]) / "timeline" / "rendered")
        return found

    monkeypatch.setattr(write, "pages_to_render", then_cache_emptied)
    monkeypatch.setattr(build_module, "replay", lambda *args: None)  # the pages' own path, not the whole site's
    if parallel:
        monkeypatch.setattr(write, "PARALLEL_ABOVE", 1)
    report = build(content, ROOT / "templates", tmp_path / "other")
    assert report.rendered == report.pages
    assert files_of(tmp_path / "other") == files_of(tmp_path / "site")


def test_a_fresh_copy_takes_its_pages_from_the_cache_in_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import write

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    monkeypatch.setattr(write, "PARALLEL_ABOVE", 1)
    monkeypatch.setattr(build_module, "replay", lambda *args: None)  # the pages' own path, not the whole site's
    report = build(content, ROOT / "templates", tmp_path / "other")
    assert report.rendered == 0
    assert files_of(tmp_path / "other") == files_of(tmp_path / "site")


@pytest.mark.parametrize("parallel", [False, True], ids=["in one process", "in worker processes"])
def test_a_fresh_copy_of_inputs_built_before_renders_nothing_and_reads_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    """CI on a merge: a fresh checkout elsewhere of what was built before, the cache restored, no site."""
    from timeline import write

    for project in ("first", "checkout"):
        shutil.copytree(ROOT / "content", tmp_path / project / "content")
    monkeypatch.chdir(tmp_path / "first")
    first = build(Path("content"), ROOT / "templates", Path("site"))
    monkeypatch.chdir(tmp_path / "checkout")

    def no_writing(*args: object) -> None:
        raise AssertionError("the site was made again")

    monkeypatch.setattr(write, "write_site", no_writing)
    monkeypatch.setattr(build_module, "load_timeline", no_writing)
    if parallel:
        monkeypatch.setattr(write, "PARALLEL_ABOVE", 1)
    report = build(Path("content"), ROOT / "templates", Path("site"))
    assert (report.rendered, report.pages, report.files) == (0, first.pages, first.files)
    assert files_of(tmp_path / "checkout" / "site") == files_of(tmp_path / "first" / "site")
    manifest = (tmp_path / "checkout" / ".site.manifest.json").read_text(encoding="utf-8")
    assert '"outputs"' in manifest


def test_a_build_of_inputs_built_before_whose_cache_lost_a_file_builds_as_usual(tmp_path: Path) -> None:
    import os

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", tmp_path / "site")
    rendered = Path(os.environ["XDG_CACHE_HOME"]) / "timeline" / "rendered"
    next(p for p in sorted(rendered.rglob("*")) if p.is_file() and p.name != "index.pickle").unlink()
    report = build(content, ROOT / "templates", tmp_path / "other")
    assert report.rendered <= 1
    assert files_of(tmp_path / "other") == files_of(tmp_path / "site")


def test_serve_makes_the_pieces_of_the_edited_event_only_and_equals_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` makes the search index and the TimelineJS export itself, from pieces it keeps per event; the pages
    and the other outputs are made by workers meanwhile."""
    from timeline import eventmemo, feeds, search, write
    from timeline.exports import timelinejs

    monkeypatch.setattr(write, "PARALLEL_ABOVE", 0)  # workers, even for this small site
    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 5)  # exports by year
    monkeypatch.setattr(eventmemo, "_PIECES", {})
    made: list[str] = []
    for module, name in ((search, "_indexed"), (timelinejs, "slide")):
        original = getattr(module, name)

        def counted(event: object, *args: object, _original: Callable[..., object] = original, **kwargs: object) -> object:
            made.append(event.id)  # type: ignore[attr-defined]
            return _original(event, *args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    content, templates, site = tmp_path / "content", ROOT / "templates", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, templates, site, preview=True)
    assert len(made) == 2 * len(list((content / "events").rglob("*.yaml")))
    made.clear()
    retitle_an_event(content, templates)
    build(content, templates, site, preview=True)
    assert made == [CLAIM.stem, CLAIM.stem]  # its words and its slide; every other event's were kept
    clean_build(content, templates, tmp_path / "clean")
    assert files_of(site) == files_of(tmp_path / "clean")


def test_fragments_kept_within_a_small_bound_give_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.render import Fragments

    clean_build(ROOT / "content", ROOT / "templates", tmp_path / "unbounded")
    monkeypatch.setattr(Fragments, "MAX_PIECES", 3)
    monkeypatch.setattr(Fragments, "PIECES_PER_EVENT", 0)
    clean_build(ROOT / "content", ROOT / "templates", tmp_path / "bounded")
    assert files_of(tmp_path / "bounded") == files_of(tmp_path / "unbounded")


def test_serve_reads_the_converted_files_from_disk_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import parsecache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(ROOT / "content", content)
    build(content, ROOT / "templates", site)  # a build: the cache of converted files is on disk now
    as_a_new_process(monkeypatch)  # and `serve` starts as a process of its own
    read: list[str] = []
    original = parsecache.ParseCache._read

    def counted(self: parsecache.ParseCache, name: str) -> dict[str, object]:
        read.append(name)
        return original(self, name)  # type: ignore[return-value]

    monkeypatch.setattr(parsecache.ParseCache, "_read", counted)
    relate_two_events(content, ROOT / "templates")
    build(content, ROOT / "templates", site, preview=True)
    assert read  # serve's first build after an edit reads what the last build kept
    read.clear()
    retitle_an_event(content, ROOT / "templates")
    build(content, ROOT / "templates", site, preview=True)
    assert read == []  # and then keeps it
    clean_build(content, ROOT / "templates", tmp_path / "clean")
    assert files_of(site) == files_of(tmp_path / "clean")
