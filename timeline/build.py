"""The pipeline, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timeline.content import load_content
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline, build_timeline
from timeline.validate import validate


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    bytes: int


def load_timeline(content: Path, diagnostics: Diagnostics) -> Timeline | None:
    """Read and check all content; the model, or None when any error was found."""
    raw = load_content(content, diagnostics)
    validate(raw, diagnostics)
    if diagnostics.errors:
        return None
    return build_timeline(raw)


def build_site(content: Path, templates: Path, out: Path, diagnostics: Diagnostics) -> BuildReport | None:
    """Build the whole site into `out`; on any content error, report it and leave `out` untouched."""
    timeline = load_timeline(content, diagnostics)
    if timeline is None:
        return None
    from jinja2 import TemplateError

    from timeline.write import template_position, write_site  # rendering imports plotly; `check` never pays for it

    try:
        return write_site(timeline, templates, out)
    except TemplateError as exc:
        path, line = template_position(exc, templates)
        diagnostics.error(path, line, 1, f"template error: {exc.message}", "fix the template; nothing was written")
        return None
