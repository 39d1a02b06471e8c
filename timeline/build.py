"""The pipeline, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline.buildlock import BuildLock
from timeline.collector import cycle_collector_paused
from timeline.diagnostics import Diagnostics
from timeline.manifest import Manifest, manifest_path, read_manifest, verified
from timeline.output import OutsideOutput, SiteWriter, inputs_fingerprint
from timeline.progress import QUIET, Progress
from timeline.replay import replay, save_listing, site_key
from timeline.report import BuildReport
from timeline.sitetree import clean_leftovers
from timeline.theme import template_folders

if TYPE_CHECKING:  # the stages are imported when used, so a rebuild with nothing to do starts fast
    from timeline.content import RawContent
    from timeline.model import Timeline

__all__ = ["BuildReport", "OutputRefused", "build_site", "check_content", "load_timeline"]


class OutputRefused(Exception):
    """The output folder is not one a build may replace; `hint` says what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _inputs(content: Path, templates: Path) -> str:
    """What a build's output depends on, cheaply: the stats of content, templates and code; plotly's version."""
    from importlib.metadata import version

    from timeline import __version__

    extra = f"{__version__}|{version('plotly')}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"
    code = Path(__file__).parent  # the package's own files: a change to the code is a change to the output
    return inputs_fingerprint([p for p in (content, *template_folders(templates), code) if p.is_dir()], extra)


def check_content(content: Path, diagnostics: Diagnostics, progress: Progress = QUIET, in_process: bool = False) -> RawContent:
    """Read and check all content, reporting every problem into `diagnostics`; `in_process`, keep what was read in
    this process for the next build too (`serve`), which then reads only the files that changed."""
    from timeline.content import load_content
    from timeline.contentpatch import load_content_again
    from timeline.validate import validate

    with cycle_collector_paused():
        progress.update("reading content")
        raw = load_content_again(content, diagnostics) if in_process else load_content(content, diagnostics)
        progress.update("checking across files")
        validate(raw, diagnostics)
    return raw


def load_timeline(
    content: Path, diagnostics: Diagnostics, progress: Progress = QUIET, in_process: bool = False
) -> Timeline | None:
    """Read and check all content; the model, or None when any error was found (see check_content)."""
    from timeline.model import build_timeline
    from timeline.snapshot import recent_model

    raw = check_content(content, diagnostics, progress, in_process)
    if diagnostics.errors:
        return None
    progress.update("building the model")
    with cycle_collector_paused():
        return build_timeline(raw, recent_model())


def model_key(content: Path) -> str:
    """The digest of the content files and the code (see snapshot); empty without a content folder."""
    from timeline.content import display_path
    from timeline.snapshot import content_key

    return content_key(content, display_path(content / "_", content)[:-1]) if content.is_dir() else ""


def load_model(
    content: Path, diagnostics: Diagnostics, key: str, on_disk: bool = True, progress: Progress = QUIET
) -> tuple[Timeline | None, bool, bool]:
    """The model, from the snapshot of the content with this `model_key` when there is one (see snapshot), else
    read and checked, then kept in this process; None when any error was found. Then whether it is the model of
    `key` (no file changed while it was read), and whether it was made here rather than loaded. Reading starts
    from what this process read last, else from the newest snapshot: only the files that changed since are read,
    and only the events they hold are made. Without `on_disk` (serve's builds), nothing is kept on disk. A
    command-line build of more than memories.KEPT_UP_TO content files reads everything, and keeps only the model."""
    from timeline.digests import file_digests
    from timeline.memories import KEPT_UP_TO, keep_nothing
    from timeline.snapshot import keep_in_process, load_snapshot, recent_model, take_newest

    patched = not on_disk or len(file_digests(content).seen) <= KEPT_UP_TO  # past that, the memory is not spared
    if not patched:
        keep_nothing()
    if key:
        progress.update("loading the kept model")
        with cycle_collector_paused():
            found = load_snapshot(key, diagnostics)
            if found is not None:
                return found, True, False
            if patched and (on_disk or recent_model() is None):  # serve's first build starts from the last one's
                take_newest(content)
    before = len(diagnostics.items)
    timeline = load_timeline(content, diagnostics, progress, patched)
    progress.update("digesting the content")
    if timeline is None or not key or model_key(content) != key:
        return timeline, False, True
    keep_in_process(key, timeline, diagnostics.items[before:])
    return timeline, True, True


def keep_model(content: Path, key: str, timeline: Timeline, items: list[Any]) -> None:
    """Keep the model this build made, what it was read from and what the later stages remember, for the next
    command-line build (see snapshot)."""
    from timeline.contentpatch import record_of
    from timeline.snapshot import keep_snapshot

    with cycle_collector_paused():
        keep_snapshot(content, key, timeline, items, record_of(content))


def _refuse_unsafe(out: Path, content: Path, templates: Path, found: bool, force: bool) -> None:
    """Raise OutputRefused unless replacing `out` can only lose a site this tool built (or `force` says so)."""
    target = out.resolve()
    for inputs, what in ((content, "content"), (templates, "templates")):
        folder = inputs.resolve()
        if folder == target or target in folder.parents or folder in target.parents:
            raise OutputRefused(f"the output folder {out} overlaps the {what} folder {inputs}", "choose another --out")
    if target.parent == target:
        raise OutputRefused(f"the output folder {out} is the root of the filesystem", "choose another --out")
    if os.path.lexists(target) and not target.is_dir():
        raise OutputRefused(f"the output {out} is not a folder", "choose another --out, or remove the file")
    if found or force or not target.is_dir():
        return
    with os.scandir(target) as entries:
        if not any(entries):
            return
    raise OutputRefused(
        f"the output folder {out} is not empty and was not built by timeline (no {manifest_path(target).name} beside it);"
        " building would delete what it holds",
        "choose another --out, or pass --force to replace its contents",
    )


def build_site(
    content: Path,
    templates: Path,
    out: Path,
    diagnostics: Diagnostics,
    progress: Progress = QUIET,
    force: bool = False,
    preview: bool = False,
) -> BuildReport | None:
    """Build the whole site into `out`; on any content error, report it and leave `out` untouched. A `preview`
    build (`serve`'s) keeps its model in this process only: the next edit comes within seconds.

    Raises OutputRefused when `out` is a folder this tool did not build (unless `force`), or holds the inputs.
    """
    target = Path(os.path.abspath(out))  # the lock, the manifest and the new tree go beside it
    progress.update("checking what changed")
    with BuildLock(target):
        clean_leftovers(target)
        manifest = read_manifest(target)
        _refuse_unsafe(out, content, templates, manifest.found, force)
        for entry in manifest.outside:
            diagnostics.warning(
                manifest_path(target),
                1,
                1,
                f"the manifest lists {entry!r}, which is not inside {out}/; that entry was ignored",
                "delete the manifest unless this tool wrote it; nothing outside the output folder is read or removed",
            )
        inputs = _inputs(content, templates)
        trusted = manifest.describes(target)
        if trusted and inputs and manifest.inputs == inputs and manifest.outputs:
            return BuildReport(pages=0, files=len(manifest.outputs), bytes=0, up_to_date=True)
        progress.update("digesting the content")
        key = model_key(content)
        site = site_key(key, templates) if key else ""
        before = len(diagnostics.items)
        if site and (done := replay(site, lambda: _writer(target, inputs, manifest), diagnostics, progress)):
            return done
        timeline, stable, made = load_model(content, diagnostics, key, not preview, progress)
        if timeline is None:
            return None
        listing = (site if stable else "", diagnostics.items[before:])
        writer = _writer(target, inputs, manifest)
        report = _write(timeline, templates, target, out, writer, listing, diagnostics, progress, preview)
        if report is not None and stable and made and not preview:
            progress.update("keeping the model")
            keep_model(content, key, timeline, listing[1])
        return report


def _writer(target: Path, inputs: str, manifest: Manifest) -> SiteWriter:
    """The writer of the next tree: it reuses what the manifest vouches for."""
    if manifest.describes(target):
        spare = manifest.previous if manifest.describes_previous(target) else None
        return SiteWriter(target, inputs, manifest.outputs, spare, rotate=True)
    # a build was killed after its swap, or the folder comes from elsewhere: believe only the files
    return SiteWriter(target, inputs, verified(target, manifest.outputs))


def _write(
    timeline: Timeline,
    templates: Path,
    target: Path,
    out: Path,
    writer: SiteWriter,
    listing: tuple[str, list[Any]],
    diagnostics: Diagnostics,
    progress: Progress,
    preview: bool = False,
) -> BuildReport | None:
    """Render and write the site; record its outputs under `listing`'s key (with its warnings) for `replay`."""
    from jinja2 import TemplateError

    from timeline.write import cache_key, template_position, write_site  # rendering imports plotly; `check` never does

    try:
        report = write_site(timeline, templates, writer, progress, keeps_pieces=preview)
    except TemplateError as exc:
        progress.done()
        path, line = template_position(exc, templates)
        diagnostics.error(path, line, 1, f"template error: {exc.message}", "fix the template; nothing was written")
        return None
    except OutsideOutput as exc:
        progress.done()
        diagnostics.error(out, 1, 1, str(exc), "nothing was written; report this as a bug")
        return None
    if listing[0]:
        kept_by = {relative: cache_key(staged) for relative, staged in writer.outputs.items()}
        save_listing(listing[0], report.pages, writer.outputs, kept_by, listing[1])
    return report
