"""A minimal empty timeline project for the import tests: site.yaml and empty registries."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES

IMPORT_FIXTURES = FIXTURES / "import"
SITE = (
    "title: Imported\ndescription: A project made for import tests.\n"
    "base_url: https://example.org/\nlanguage: en\ntimezone: UTC\n"
)


def empty_project(root: Path) -> Path:
    """An empty project in `root`; returns its content folder."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text(SITE, encoding="utf-8")
    for registry in ("episodes", "actors", "places", "sources", "tags"):
        (content / f"{registry}.yaml").write_text("{}\n", encoding="utf-8")
    return content


def copy_input(name: str, root: Path) -> str:
    """Copy an import fixture beside the project, so messages name it by its bare file name."""
    shutil.copy(IMPORT_FIXTURES / name, root / Path(name).name)
    return Path(name).name
