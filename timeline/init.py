"""`timeline init`: start a new timeline project from the starter files shipped in the package."""

from __future__ import annotations

import json
import re
from importlib.metadata import PackageNotFoundError, distribution
from importlib.resources import files
from pathlib import Path

from timeline import __version__
from timeline.editor_schema import write_schemas
from timeline.project import PROJECT_MARKER


class InitError(Exception):
    """A project that cannot be started where asked; the message says why."""


def starter_files() -> dict[str, bytes]:
    """The starter project, by the path each file gets in a new project (`dot-x` is shipped as `.x`)."""
    root = Path(str(files("timeline") / "starter"))
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts = [re.sub(r"^dot-", ".", part) for part in path.relative_to(root).parts]
            found["/".join(parts)] = path.read_bytes()
    return found


def requirement() -> str:
    """How the new project's CI installs this generator: the git commit or index version it was installed from."""
    try:
        direct = distribution("timeline").read_text("direct_url.json")
    except PackageNotFoundError:
        direct = None
    origin = json.loads(direct) if direct else {}
    vcs = origin.get("vcs_info", {})
    if vcs.get("vcs") == "git" and origin.get("url", "").startswith(("https://", "ssh://", "git@")):
        return f"timeline @ git+{origin['url']}@{vcs['commit_id']}\n"
    return (
        "# The generator this project is built with. If it was not installed from a package index, replace the line\n"
        "# below with where it comes from, e.g. timeline @ git+https://github.com/OWNER/REPOSITORY@COMMIT\n"
        f"timeline=={__version__}\n"
    )


def title_from(folder: Path) -> str:
    words = re.split(r"[-_\s]+", folder.resolve().name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) or "My timeline"


def init_project(folder: Path, title: str | None = None) -> list[Path]:
    """Write a new project into `folder` (created if needed); refuse to touch a folder that holds any of its files."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} exists and is not a folder")
    starter = starter_files()
    targets = {folder / name: data for name, data in starter.items()}
    targets[folder / "requirements.txt"] = requirement().encode()
    clashes = sorted(str(p) for p in targets if p.exists() or p.is_symlink())
    if (folder / PROJECT_MARKER).exists() or clashes:
        shown = ", ".join(clashes[:3]) + (" …" if len(clashes) > 3 else "")
        raise InitError(f"{folder} already holds a project ({shown}); nothing was written")
    name = title or title_from(folder)
    for path, data in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        quoted = json.dumps(name, ensure_ascii=False) if path.name == "site.yaml" else name  # a YAML string
        with path.open("xb") as out:  # never replace a file that appeared since the check above
            out.write(data.replace(b"__TITLE__", quoted.encode()))
    written = sorted(targets)
    written += write_schemas(folder / "content")
    return written
