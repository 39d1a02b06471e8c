"""The pipeline, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from timeline.collector import cycle_collector_paused
from timeline.diagnostics import Diagnostics
from timeline.output import inputs_fingerprint, read_manifest
from timeline.progress import QUIET, Progress
from timeline.theme import template_folders

if TYPE_CHECKING:  # the stages are imported when used, so a rebuild with nothing to do starts fast
    from timeline.content import RawContent
    from timeline.model import Timeline


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    bytes: int
    changed: int = 0  # files written (all of them on a first build)
    removed: int = 0
    rendered: int = 0  # pages made again (the others' inputs had not changed)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done


def _inputs(content: Path, templates: Path) -> str:
    """What a build's output depends on, cheaply: the stats of content, templates and code; plotly's version."""
    from importlib.metadata import version

    from timeline import __version__

    extra = f"{__version__}|{version('plotly')}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"
    code = Path(__file__).parent  # the package's own files: a change to the code is a change to the output
    return inputs_fingerprint([p for p in (content, *template_folders(templates), code) if p.is_dir()], extra)


def check_content(content: Path, diagnostics: Diagnostics) -> RawContent:
    """Read and check all content, reporting every problem into `diagnostics`."""
    from timeline.content import load_content
    from timeline.validate import validate

    with cycle_collector_paused():
        raw = load_content(content, diagnostics)
        validate(raw, diagnostics)
    return raw


def load_timeline(content: Path, diagnostics: Diagnostics) -> Timeline | None:
    """Read and check all content; the model, or None when any error was found."""
    from timeline.model import build_timeline

    raw = check_content(content, diagnostics)
    if diagnostics.errors:
        return None
    with cycle_collector_paused():
        return build_timeline(raw)


def build_site(
    content: Path, templates: Path, out: Path, diagnostics: Diagnostics, progress: Progress = QUIET
) -> BuildReport | None:
    """Build the whole site into `out`; on any content error, report it and leave `out` untouched."""
    inputs = _inputs(content, templates)
    recorded, outputs = read_manifest(out)
    if inputs and recorded == inputs and outputs:
        return BuildReport(pages=0, files=len(outputs), bytes=0, up_to_date=True)
    progress.update("reading content")
    timeline = load_timeline(content, diagnostics)
    if timeline is None:
        return None
    from jinja2 import TemplateError

    from timeline.write import template_position, write_site  # rendering imports plotly; `check` never pays for it

    try:
        return write_site(timeline, templates, out, inputs, progress)
    except TemplateError as exc:
        progress.done()
        path, line = template_position(exc, templates)
        diagnostics.error(path, line, 1, f"template error: {exc.message}", "fix the template; nothing was written")
        return None
