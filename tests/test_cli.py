"""The commands contributors use: new, check (text, github, json, strict) and schema."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.conftest import BCE_CONTENT, SMALL_CONTENT
from timeline.cli import main
from timeline.output import SETTLE_SECONDS


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def test_new_writes_an_event_that_passes_check_once_a_source_is_given(content: Path, capsys) -> None:
    assert main(["new", "Haidai: the city still holds", "--date", "2022-07-02"]) == 0
    path = content / "events" / "2022" / "2022-07-02-haidai-the-city-still-holds.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../.schema/event.json\n")
    assert 'title: "Haidai: the city still holds"' in text
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "content/events/2022/2022-07-02-haidai-the-city-still-holds.yaml" in capsys.readouterr().err
    path.write_text(text.replace("sources: []", "sources: [wire-2022]"), encoding="utf-8")
    assert main(["check"]) == 0


def test_new_writes_an_event_before_the_common_era_in_its_minus_year_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """`--date -0043-03-15`, written as a shell user would, with a space: argparse alone would take the date for
    an option. The file goes to events/-0043/ and passes check once it has a source."""
    shutil.copytree(BCE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--date", "-0043-03-16", "Antony reads the will"]) == 0
    path = tmp_path / "content" / "events" / "-0043" / "-0043-03-16-antony-reads-the-will.yaml"
    assert "created content/events/-0043/-0043-03-16-antony-reads-the-will.yaml" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert "\ndate: -0043-03-16\n" in text
    assert main(["check"]) == 1
    assert "content/events/-0043/-0043-03-16-antony-reads-the-will.yaml:" in capsys.readouterr().err
    path.write_text(text.replace("sources: []", "sources: [plutarch]"), encoding="utf-8")
    assert main(["check"]) == 0
    assert main(["new", "A year of the Republic", "--date", "-0499"]) == 0  # a plain negative number, as argparse sees it
    assert (tmp_path / "content" / "events" / "-0499" / "-0499-a-year-of-the-republic.yaml").is_file()
    assert main(["new", "Year zero", "--date", "-0000-01-01"]) == 2
    assert "-0000" in capsys.readouterr().err


def test_new_refuses_to_overwrite_and_rejects_a_bad_date(content: Path, capsys) -> None:
    assert main(["new", "Same title", "--date", "2022-07-02"]) == 0
    before = (content / "events" / "2022" / "2022-07-02-same-title.yaml").read_bytes()
    assert main(["new", "Same title", "--date", "2022-07-02"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (content / "events" / "2022" / "2022-07-02-same-title.yaml").read_bytes() == before
    assert main(["new", "Another", "--date", "2022-02-30"]) == 2
    assert "February 2022 has 28 days" in capsys.readouterr().err


def test_check_json_lists_every_diagnostic_with_its_field(content: Path, capsys) -> None:
    event = content / "events" / "2022" / "2022-07-03-haidai-account.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidai]", "actors: [haidia]"), encoding="utf-8")
    assert main(["check", "--format", "json"]) == 1
    diagnostics = json.loads(capsys.readouterr().out)
    assert diagnostics == [
        {
            "path": "content/events/2022/2022-07-03-haidai-account.yaml",
            "line": 4,
            "column": 10,
            "message": "unknown actor 'haidia'",
            "hint": "did you mean 'haidai'?",
            "severity": "error",
            "field": "actors[0]",
        }
    ]


def test_good_content_prints_nothing_in_github_format(content: Path, capsys) -> None:
    assert main(["check", "--format", "github"]) == 0
    assert capsys.readouterr().out == ""


def test_warnings_fail_only_with_strict(content: Path, capsys) -> None:
    tags = content / "tags.yaml"
    tags.write_text(
        tags.read_text(encoding="utf-8") + "unused:\n  label: Unused\n  description: Nothing uses it.\n", encoding="utf-8"
    )
    assert main(["check"]) == 0
    assert "warning: the tag 'unused' is not used by any event" in capsys.readouterr().err
    assert main(["check", "--strict"]) == 1
    assert main(["check", "--format", "github", "--strict"]) == 1
    assert "::warning file=content/tags.yaml,line=11,col=3" in capsys.readouterr().out


def test_schema_writes_the_editor_schemas(content: Path, capsys) -> None:
    assert main(["schema"]) == 0
    assert sorted(p.name for p in (content / ".schema").iterdir()) == [
        "actors.json",
        "episodes.json",
        "event.json",
        "page.json",
        "places.json",
        "site.json",
        "sources.json",
        "tags.json",
    ]
    assert (content.parent / "docs" / "fields.md").is_file()


def test_check_answers_from_memory_until_a_file_changes(content: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(content.parent / "cache"))
    event = content / "events" / "2022" / "2022-07-03-haidai-account.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidai]", "actors: [haidia]"), encoding="utf-8")
    assert main(["check"]) == 1
    assert not list((content.parent / "cache").rglob("check-*.json"))  # a file changed a moment ago: no answer kept yet
    capsys.readouterr()
    time.sleep(SETTLE_SECONDS)  # setting the files' times back would not do: their change time cannot be set back
    assert main(["check"]) == 1
    first = capsys.readouterr().err
    assert list((content.parent / "cache" / "timeline").glob("check-*.json"))
    assert main(["check"]) == 1
    assert capsys.readouterr().err == first
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidia]", "actors: [haidai]"), encoding="utf-8")
    assert main(["check"]) == 0


def test_build_timings_name_each_stage_once_with_its_seconds(content: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(content.parent / "cache"))  # an empty cache: every stage runs
    assert main(["build", "--content", str(content), "--out", str(content.parent / "site"), "--timings"]) == 0
    rows = [line.split("  ") for line in capsys.readouterr().err.splitlines()]
    names = [row[0].strip() for row in rows[1:]]
    for stage in ("digesting the content", "reading content", "checking across files", "building the model"):
        assert stage in names
    assert names.index("reading content") < names.index("planning pages") < names.index("rendering pages")
    assert names[-1] == "total"
    assert len(names) == len(set(names))
    seconds = [float(row[-1]) for row in rows[1:]]
    assert all(s >= 0 for s in seconds)
    assert abs(sum(seconds[:-1]) - seconds[-1]) < 0.02 * len(seconds)
