"""Bad content: every case of tests/fixtures/bad/ gives exactly its expected diagnostics, exit 1, no traceback,
and leaves the previous site as it was. See tests/bad_cases.py for the format of the cases."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests import bad_cases
from timeline import convert
from timeline.cli import main
from timeline.manifest import Recorded, manifest_path, write_manifest
from timeline.output import digest
from timeline.schema import REGISTRIES

CASES = bad_cases.case_names()
PREVIOUS_SITE = {
    "index.html": b"<!doctype html><title>the previous build</title>\n",
    "events/2022-07-03-lysychansk-claim/index.html": b"<p>old event page</p>\n",
    "static/data.bin": bytes(range(256)),
}
DIAGNOSTIC = re.compile(r"^(?P<path>content/\S+):(?P<line>[1-9]\d*):(?P<column>[1-9]\d*): (?P<severity>error|warning): \S.*$")
HINT = re.compile(r"^  hint: \S.*$")
GITHUB_ANNOTATION = re.compile(
    r"^::(?P<severity>error|warning) file=(?P<path>content/[^,]+),line=(?P<line>[1-9]\d*),col=(?P<column>[1-9]\d*),"
    r"title=[^:]+::\S.*$"
)
MANIFEST = ".site.manifest.json"  # beside site/, in the snapshot of a previous site
SUMMARY = re.compile(r"^(?P<errors>\d+) error\(s\), (?P<warnings>\d+) warning\(s\)$")


def write_previous_site(site: Path) -> dict[str, bytes]:
    """A site an earlier build made (with the manifest a build leaves beside it); returns its files and manifest."""
    for relative, data in PREVIOUS_SITE.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    write_manifest(site, "", {r: Recorded(digest(d), len(d), "") for r, d in PREVIOUS_SITE.items()}, None)
    return {**snapshot(site), MANIFEST: manifest_path(site).read_bytes()}


def after_failure(site: Path) -> dict[str, bytes]:
    """What a failed build left of the previous site: its files and its manifest."""
    return {**snapshot(site), MANIFEST: manifest_path(site).read_bytes()}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else b"<dir>" for p in sorted(folder.rglob("*"))}


def diagnostics_of(text: str) -> list[tuple[str, int, int, str]]:
    """(path, line, column, severity) of every diagnostic line."""
    found = []
    for line in text.splitlines():
        match = DIAGNOSTIC.match(line)
        if match:
            found.append((match["path"], int(match["line"]), int(match["column"]), match["severity"]))
    return found


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 25
    assert set(bad_cases.GENERATED) <= set(CASES), "every generated case needs a folder with expected.txt"


def test_the_small_site_itself_is_valid(tmp_path: Path) -> None:
    """The base of every overlay has no problem, so each case's diagnostics come from its overlay alone."""
    shutil.copytree(bad_cases.SMALL_CONTENT, tmp_path / "content")
    code, out, err = bad_cases.run_cli(bad_cases.CHECK_ARGS, tmp_path)
    assert (code, out, err) == (0, "", "")


@pytest.mark.parametrize("name", CASES)
def test_case_is_well_formed(name: str) -> None:
    """expected.txt is a sorted list of diagnostics with hints, and the overlay really changes the small site."""
    folder = bad_cases.case_dir(name)
    assert {p.name for p in folder.iterdir()} <= {"content", "expected.txt", "remove.txt"}
    lines = bad_cases.expected(name).splitlines()
    assert lines, "expected.txt is empty"
    assert DIAGNOSTIC.match(lines[0])
    for line in lines:
        assert DIAGNOSTIC.match(line) or HINT.match(line), f"neither a diagnostic nor a hint: {line!r}"
    positions = diagnostics_of(bad_cases.expected(name))
    assert positions == sorted(positions), "diagnostics are sorted by file, line and column"
    assert any(severity == "error" for *_, severity in positions)
    changes = bad_cases.overlay_files(name)
    assert changes or bad_cases.removals(name)
    for relative in bad_cases.removals(name):
        assert (bad_cases.SMALL_CONTENT / relative).exists()
    for relative, data in changes.items():
        original = bad_cases.SMALL_CONTENT / relative
        assert not original.is_file() or original.read_bytes() != data, f"{relative} is the same as in the small site"


@pytest.mark.parametrize("name", CASES)
def test_build_reports_the_expected_diagnostics_and_keeps_the_previous_site(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_cases.make_content(name, tmp_path)
    before = write_previous_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    code = main(bad_cases.BUILD_ARGS)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert bad_cases.contract(bad_cases.diagnostics_text(captured.err)) == bad_cases.contract(bad_cases.expected(name))
    assert code == 1
    assert captured.err.endswith("build failed: site/ was left as it was\n")
    assert after_failure(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.manifest.json", "content", "site"], "no temporary folder is left"


@pytest.mark.parametrize("name", CASES)
def test_check_reports_the_same_diagnostics_as_text_and_as_github_annotations(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    captured = _check_says_what_is_expected(name, tmp_path, monkeypatch, capsys)
    assert "Traceback" not in captured.out + captured.err
    assert captured.out == ""
    summary = SUMMARY.match(captured.err.splitlines()[-1])
    assert summary, "check ends with the number of errors and warnings"
    severities = [severity for *_, severity in diagnostics_of(captured.err)]
    assert (int(summary["errors"]), int(summary["warnings"])) == (severities.count("error"), severities.count("warning"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"], "check writes nothing"

    assert main([*bad_cases.CHECK_ARGS, "--format", "github"]) == 1
    out = capsys.readouterr().out
    annotations = [GITHUB_ANNOTATION.match(line) for line in out.splitlines()]
    assert all(annotations), f"in github format every line is a workflow command:\n{out}"
    found = [(m["path"], int(m["line"]), int(m["column"]), m["severity"]) for m in annotations if m]
    assert found == diagnostics_of(bad_cases.expected(name)), "one annotation per problem, at its position"


def test_all_problems_of_all_files_come_in_one_run() -> None:
    """The several-files case has errors in five files; all of them are reported, in file order."""
    paths = [path for path, *_ in diagnostics_of(bad_cases.expected("several-files"))]
    assert paths == sorted(paths)
    assert set(paths) == {
        "content/actors.yaml",
        "content/events/2022/2022-07-03-haidai-account.yaml",
        "content/events/2025/2025-06-30-pasechnik.yaml",
        "content/pages/about.md",
        "content/sources.yaml",
    }
    assert paths.count("content/events/2022/2022-07-03-haidai-account.yaml") == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["build", "--bogus"],
        ["check", "--out", "site"],
        ["check", "--format", "xml"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: timeline")
    assert "error:" in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_missing_content_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--content", "nothere"]) == 1
    err = capsys.readouterr().err
    assert bad_cases.diagnostics_text(err) == (
        "nothere:1:1: error: the content folder does not exist\n  hint: run from the project's root, or pass --content\n"
    )


def test_a_missing_templates_folder_given_on_the_command_line_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --templates the packaged theme is used; a --templates folder that is not there is a usage error,
    and the previous site is kept."""
    shutil.copytree(bad_cases.SMALL_CONTENT, tmp_path / "content")
    before = write_previous_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    code = main([*bad_cases.BUILD_ARGS, "--templates", "mine"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "--templates mine" in err
    assert after_failure(tmp_path / "site") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.manifest.json", "content", "site"]


def _check_overlay(tmp_path: Path, files: dict[str, str]) -> tuple[int, str]:
    shutil.copytree(bad_cases.SMALL_CONTENT, tmp_path / "content")
    for relative, text in files.items():
        target = tmp_path / "content" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    code, _, err = bad_cases.run_cli(bad_cases.CHECK_ARGS, tmp_path)
    return code, err


def test_year_zero_is_1_bce_and_minus_zero_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """Year 0000 is 1 BCE, as ISO 8601 counts; -0000 is no year, and is refused rather than left to crash later."""
    event = "date: 0000\ntitle: Year zero\nsummary: Nothing.\nsources: [wire-2022]\n"
    code, err = _check_overlay(tmp_path, {"events/0000/0000-year-zero.yaml": event})
    assert "error" not in err
    assert code == 0
    minus = event.replace("date: 0000", "date: '-0000'")
    code, err = _check_overlay(tmp_path / "minus", {"events/-0000/-0000-year-zero.yaml": minus})
    assert code == 1
    assert err.startswith("content/events/-0000/-0000-year-zero.yaml:1:7: error: 'date' is not a valid date: ")


def test_infinite_figure_is_an_error(tmp_path: Path) -> None:
    """`value: 1e400` would be infinite (and `Infinity` is not JSON): it is refused."""
    event = (bad_cases.SMALL_CONTENT / bad_cases.LYSYCHANSK).read_text(encoding="utf-8").replace("value: 3\n", "value: 1e400\n")
    code, err = _check_overlay(tmp_path, {bad_cases.LYSYCHANSK: event})
    assert code == 1
    assert err.startswith(f"content/{bad_cases.LYSYCHANSK}:21:12: error: 'figures[0].value' ")


def test_a_folder_named_like_a_page_does_not_crash(tmp_path: Path) -> None:
    """A folder named like a page (content/pages/drafts.md/) is not read as one."""
    code, err = _check_overlay(tmp_path, {"pages/drafts.md/notes.txt": "not a page\n"})
    assert "Traceback" not in err
    assert code in (0, 1)
    if code == 1:
        assert err.startswith("content/pages/drafts.md:1:1: error: ")


def test_regenerate_rewrites_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    for name in ("unknown-actor", "unknown-tag"):
        shutil.copytree(bad_cases.case_dir(name), tmp_path / name)
    monkeypatch.setattr(bad_cases, "BAD", tmp_path)
    (tmp_path / "unknown-actor" / "expected.txt").write_text("stale\n", encoding="utf-8")
    unchanged = (tmp_path / "unknown-tag" / "expected.txt").read_bytes()
    assert bad_cases._main(["--regenerate"]) == 0
    out = capsys.readouterr().out
    assert f"changed: {tmp_path / 'unknown-actor' / 'expected.txt'}" in out
    assert out.rstrip().endswith("1 file(s) changed")
    assert (
        (tmp_path / "unknown-actor" / "expected.txt")
        .read_text(encoding="utf-8")
        .startswith(f"content/{bad_cases.LYSYCHANSK}:6:10: error: unknown actor 'shoigy' (field: actors[0])\n")
    )
    assert (tmp_path / "unknown-tag" / "expected.txt").read_bytes() == unchanged


REGISTRY_CASES = [
    name
    for name in CASES
    if any(relative.split("/")[0].removesuffix(".yaml") in REGISTRIES for relative in bad_cases.overlay_files(name))
]


@pytest.mark.parametrize("name", REGISTRY_CASES)
def test_a_registry_read_entry_by_entry_gives_the_same_diagnostics(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Large registries are converted entry by entry as they are read; every registry case says the same that way."""
    monkeypatch.setattr(convert, "STREAM_REGISTRY_ABOVE", 0)
    _check_says_what_is_expected(name, tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("name", CASES)
def test_content_read_in_worker_processes_gives_the_same_diagnostics(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Many files are read in worker processes, a group of the cache at a time; every case says the same that way."""
    monkeypatch.setattr(convert, "PARALLEL_LOAD_ABOVE", 1)
    monkeypatch.setattr(convert, "cores", lambda: 2)
    _check_says_what_is_expected(name, tmp_path, monkeypatch, capsys)


def _check_says_what_is_expected(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> pytest.CaptureResult[str]:
    """`check` on the case's content: exit code 1 and the expected diagnostics; what it printed."""
    bad_cases.make_content(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    code = main(bad_cases.CHECK_ARGS)
    captured = capsys.readouterr()
    assert bad_cases.contract(bad_cases.diagnostics_text(captured.err)) == bad_cases.contract(bad_cases.expected(name))
    assert code == 1
    return captured
