"""The generator as users get it: the wheel, installed into a fresh virtual environment outside the repository, starts
a project in an empty folder and checks, builds, scaffolds and serves it without reading anything of the repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Runs a `timeline` command and reports every file or folder of the repository it opens or lists.
AUDITED = """\
import os, sys
REPOSITORY = sys.argv.pop(1)
def audit(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path == REPOSITORY or path.startswith(REPOSITORY + os.sep):
            sys.__stderr__.write(f"READS THE REPOSITORY: {event} {path}\\n")
sys.addaudithook(audit)
from timeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the locked runtime dependencies and the wheel built from this repository."""
    work = tmp_path_factory.mktemp("wheel")
    source, dist = work / "source", work / "dist"  # built from a copy: no stale build/ folder can slip into the wheel
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("timeline", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    build = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(source)]
    subprocess.run(build, check=True, capture_output=True, cwd=work)
    [wheel] = dist.glob("timeline-*.whl")
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    pip = [str(env / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "site.txt")], check=True, cwd=work)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, cwd=work)
    return env


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def timeline(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = cwd.parent / "audited.py"
    script.write_text(AUDITED, encoding="utf-8")
    command = [str(venv / "bin" / "python"), str(script), str(ROOT.resolve()), *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=_clean_env(), timeout=300, check=False)


def test_the_wheel_holds_every_module_of_the_package(venv: Path) -> None:
    [site_packages] = (venv / "lib").glob("python*/site-packages")
    ours = {p.relative_to(ROOT).as_posix() for p in (ROOT / "timeline").rglob("*.py")}
    shipped = {p.relative_to(site_packages).as_posix() for p in (site_packages / "timeline").rglob("*.py")}
    assert ours <= shipped, f"not in the wheel: {sorted(ours - shipped)} (list the package in pyproject.toml)"


def test_the_wheel_holds_the_theme_and_is_imported_from_the_environment(venv: Path, tmp_path: Path) -> None:
    code = "import timeline, timeline.default_theme as t, os; print(timeline.__file__); print(os.listdir(t.__path__[0]))"
    result = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    where, files = result.stdout.splitlines()
    assert where.startswith(str(venv)), where
    for name in ("base.html", "event.html", "static"):
        assert name in files


def test_init_check_build_new_and_serve_in_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    outputs = []

    def ok(cwd: Path, *args: str, code: int = 0) -> str:
        result = timeline(venv, cwd, *args)
        outputs.append(result.stderr)
        assert result.returncode == code, f"timeline {' '.join(args)}: {result.stdout}{result.stderr}"
        return result.stdout + result.stderr

    ok(folder, "init", "news-desk")
    project = folder / "news-desk"
    ok(project, "check", "--strict")
    ok(project, "build")
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>News Desk" in home
    assert "An example event to replace with your first one" in home
    ok(project / "content", "new", "The second event", "--date", "2024-05-02")
    assert (project / "content" / "events" / "2024" / "2024-05-02-the-second-event.yaml").is_file()
    ok(project, "check", code=1)  # the new event still needs its source
    (project / "content" / "events" / "2024" / "2024-05-02-the-second-event.yaml").unlink()
    ok(project, "schema")
    assert not [line for out in outputs for line in out.splitlines() if line.startswith("READS THE REPOSITORY")]

    server = subprocess.Popen(
        [str(venv / "bin" / "timeline"), "serve", "--port", "0"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_clean_env(),
    )
    try:
        assert server.stdout is not None
        url, deadline = None, time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            match = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", server.stdout.readline())
            url = match.group(1) if match else None
        assert url, "the preview server did not start"
        with urllib.request.urlopen(url + "events/2024-05-01-example-event/", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200
        assert "An example event to replace with your first one" in page
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stdout:
            server.stdout.close()
