"""The default theme shipped inside the package, and a project's own `templates/`, which overrides it file by file."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def theme_folder() -> Path:
    """The packaged default theme: its templates, and static/ for stylesheets, scripts and icons."""
    return Path(str(files("timeline.default_theme")))


def template_folders(templates: Path) -> list[Path]:
    """Where templates are looked up, first match wins: the project's own folder (when it has one), then the theme."""
    theme = theme_folder()
    own = [templates] if templates.is_dir() and templates.resolve() != theme.resolve() else []
    return [*own, theme]


def static_files(templates: Path) -> dict[str, Path]:
    """Every static file by its name below static/: the theme's, each replaced by the project's file of the same name."""
    found: dict[str, Path] = {}
    for folder in reversed(template_folders(templates)):
        static = folder / "static"
        for path in sorted(static.rglob("*")) if static.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                found[path.relative_to(static).as_posix()] = path
    return dict(sorted(found.items()))
