"""`timeline init` starts a project that checks and builds; commands find it from any folder inside it; a project's
own templates/ overrides the packaged theme one file at a time."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from timeline.cli import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, main
from timeline.theme import theme_folder


@pytest.fixture
def inside(tmp_path: Path) -> Iterator[Path]:
    """Run the test with the current folder set to an empty temporary folder."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


@pytest.fixture
def project(inside: Path) -> Path:
    assert main(["init", "mine", "--title", "Our “timeline”: a test"]) == EXIT_OK
    return inside / "mine"


def test_init_writes_a_whole_project(project: Path) -> None:
    written = {p.relative_to(project).as_posix() for p in project.rglob("*") if p.is_file()}
    for expected in (
        "content/site.yaml",
        "content/actors.yaml",
        "content/places.yaml",
        "content/sources.yaml",
        "content/tags.yaml",
        "content/episodes.yaml",
        "content/pages/about.md",
        "content/pages/methodology.md",
        "content/.schema/event.json",
        "content/.schema/site.json",
        ".github/workflows/check.yml",
        ".github/workflows/deploy.yml",
        ".pre-commit-config.yaml",
        ".gitignore",
        "README.md",
        "requirements.txt",
    ):
        assert expected in written
    assert [p for p in written if p.startswith("content/events/")], "no example event"
    site = yaml.safe_load((project / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert site["title"] == "Our “timeline”: a test"
    for registry in ("actors", "places", "sources", "tags", "episodes"):
        entries = yaml.safe_load((project / "content" / f"{registry}.yaml").read_text(encoding="utf-8"))
        assert len(entries) == 1, registry


def test_the_new_project_checks_builds_and_takes_a_new_event(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chdir(project)
    assert main(["check", "--strict"]) == EXIT_OK
    assert main(["build"]) == EXIT_OK
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Our “timeline”: a test" in home
    assert "An example event to replace with your first one" in home
    capsys.readouterr()
    assert main(["new", "A second event", "--date", "2024-05-02"]) == EXIT_OK
    created = project / "content" / "events" / "2024" / "2024-05-02-a-second-event.yaml"
    assert created.is_file()
    assert main(["check"]) == EXIT_CONTENT  # the new file still needs a source: check says so
    assert "2024-05-02-a-second-event.yaml" in capsys.readouterr().err


def test_the_built_site_names_no_local_path(project: Path) -> None:
    os.chdir(project)
    assert main(["build"]) == EXIT_OK
    local = [str(project), str(ROOT), str(theme_folder())]
    for path in (project / "site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".txt", ".css", ".js"):
            text = path.read_text(encoding="utf-8")
            assert not [folder for folder in local if folder in text], path


def test_commands_find_the_project_from_a_folder_inside_it(project: Path) -> None:
    os.chdir(project / "content" / "events")
    assert main(["build"]) == EXIT_OK
    assert (project / "site" / "index.html").is_file()
    assert not (project / "content" / "events" / "site").exists()


def test_root_option_and_no_project(inside: Path, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["check"]) == EXIT_USAGE  # `inside` holds no project; `mine` below it does not count
    err = capsys.readouterr().err
    assert "no timeline project" in err
    assert "timeline init" in err
    assert main(["check", "--root", "mine"]) == EXIT_OK
    assert main(["build", "--root", str(project)]) == EXIT_OK
    assert (project / "site" / "index.html").is_file()
    assert main(["check", "--root", str(inside)]) == EXIT_USAGE


def test_init_refuses_to_overwrite_a_project(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("en", "en  # edited"), encoding="utf-8")
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["init", str(project)]) == EXIT_USAGE
    assert "nothing was written" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_init_writes_nothing_when_any_of_its_files_is_there(inside: Path) -> None:
    (inside / "README.md").write_text("mine\n", encoding="utf-8")
    assert main(["init"]) == EXIT_USAGE
    assert sorted(p.name for p in inside.iterdir()) == ["README.md"]
    assert (inside / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_own_templates_override_the_theme_one_file_at_a_time(project: Path) -> None:
    os.chdir(project)
    own = project / "templates"
    (own / "static").mkdir(parents=True)
    page = (theme_folder() / "page.html").read_text(encoding="utf-8")
    marked = page.replace("{% block content %}", "{% block content %}<p id=own-template>ours</p>", 1)
    assert marked != page
    (own / "page.html").write_text(marked, encoding="utf-8")
    (own / "static" / "style.css").write_text("body { background: rgb(1, 2, 3); }\n", encoding="utf-8")
    assert main(["build"]) == EXIT_OK
    site = project / "site"
    assert "id=own-template" in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "id=own-template" not in (site / "index.html").read_text(encoding="utf-8")  # other templates: the theme's
    styles = [p.read_text(encoding="utf-8") for p in (site / "static").glob("style.*.css")]
    assert styles == ["body { background: rgb(1, 2, 3); }\n"]
    assert list((site / "static").glob("filters.*.js")), "the theme's other static files are still there"


def test_the_starter_workflows_pass_actionlint(project: Path) -> None:
    folder = project / ".github" / "workflows"
    assert sorted(p.name for p in folder.iterdir()) == ["check.yml", "deploy.yml"]
    linter = ["node", str(ROOT / "tests" / "lint_workflows.cjs"), str(folder)]
    result = subprocess.run(linter, cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(("kind", "name"), [("timelinejs", "timelinejs.json"), ("ucdp", "ucdp.csv"), ("acled", "acled.csv")])
def test_a_new_project_takes_an_import_and_still_builds(project: Path, kind: str, name: str) -> None:
    from tests.import_project import copy_input

    os.chdir(project)
    copy_input(name, project)
    before = (project / "content" / "actors.yaml").read_text(encoding="utf-8")
    assert main(["import", kind, name]) == EXIT_OK
    after = (project / "content" / "actors.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # the example entry is kept, the import's entries follow it
    assert main(["check"]) == EXIT_OK  # warnings only: events resting on the imported file
    assert main(["build"]) == EXIT_OK
    assert len(list((project / "site" / "events").iterdir())) > 1
