"""Rules every import keeps: stable ids, hand edits never overwritten without --force, --dry-run writes
nothing, HTML becomes Markdown without raw HTML, dates keep their precision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.import_project import copy_input, empty_project
from timeline.cli import main
from timeline.importers import acled, ucdp
from timeline.importers.htmltext import html_to_markdown
from timeline.importers.jsonpos import JsonDocument
from timeline.importers.state import STATE_FILE
from timeline.markdown import inspect_markdown


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return empty_project(tmp_path)


def _files(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}


def test_a_second_import_of_the_same_file_changes_nothing(project: Path, tmp_path: Path, capsys) -> None:
    name = copy_input("ucdp.csv", tmp_path)
    assert main(["import", "ucdp", name]) == 0
    first = _files(project)
    assert main(["import", "ucdp", name]) == 0
    assert _files(project) == first
    assert "0 new file(s), 0 updated, 3 unchanged" in capsys.readouterr().out


def test_a_changed_row_updates_the_same_file(project: Path, tmp_path: Path) -> None:
    name = copy_input("ucdp.csv", tmp_path)
    assert main(["import", "ucdp", name]) == 0
    event = project / "events" / "2022" / "2022-07-03-ucdp-900001.yaml"
    table = tmp_path / name
    table.write_text(table.read_text(encoding="utf-8").replace(",9,14,7,365,369", ",11,14,7,365,369"), encoding="utf-8")
    assert main(["import", "ucdp", name]) == 0
    assert "value: 11" in event.read_text(encoding="utf-8")
    assert len(list((project / "events").rglob("*.yaml"))) == 3


def test_a_file_edited_by_hand_is_kept_unless_forced(project: Path, tmp_path: Path, capsys) -> None:
    name = copy_input("acled.csv", tmp_path)
    assert main(["import", "acled", name]) == 0
    event = project / "events" / "2022" / "2022-07-03-acled-xts1001.yaml"
    edited = event.read_text(encoding="utf-8").replace("Invented row", "Our own words")
    event.write_text(edited, encoding="utf-8")
    before = _files(project)
    capsys.readouterr()
    assert main(["import", "acled", name]) == 1
    assert _files(project) == before, "nothing is written when one file would be overwritten"
    err = capsys.readouterr().err
    assert "content/events/2022/2022-07-03-acled-xts1001.yaml:1:1: error: this file was changed by hand" in err
    assert "--force" in err
    assert main(["import", "acled", name, "--force"]) == 0
    assert "Invented row" in event.read_text(encoding="utf-8")


def test_a_new_date_moves_the_event_to_its_new_file(project: Path, tmp_path: Path) -> None:
    name = copy_input("acled.csv", tmp_path)
    assert main(["import", "acled", name]) == 0
    table = tmp_path / name
    table.write_text(table.read_text(encoding="utf-8").replace("03 July 2022", "04 July 2022"), encoding="utf-8")
    assert main(["import", "acled", name]) == 0
    assert not (project / "events" / "2022" / "2022-07-03-acled-xts1001.yaml").exists()
    assert (project / "events" / "2022" / "2022-07-04-acled-xts1001.yaml").exists()
    assert "2022-07-03-acled-xts1001" not in (project / STATE_FILE).read_text(encoding="utf-8")


def test_dry_run_lists_what_would_be_written_and_writes_nothing(project: Path, tmp_path: Path, capsys) -> None:
    name = copy_input("timelinejs.csv", tmp_path)
    before = _files(project)
    assert main(["import", "timelinejs", name, "--dry-run"]) == 0
    assert _files(project) == before
    out = capsys.readouterr().out
    assert "would create content/events/2022/2022-07-03-russia-claims-lysychansk.yaml" in out
    assert "would update content/episodes.yaml (new entries: the-fall-of-lysychansk)" in out


def test_registry_entries_the_project_has_are_reused_not_duplicated(project: Path, tmp_path: Path) -> None:
    (project / "places.yaml").write_text(
        "# our places\nriverton:\n  name: Riverton\n  latitude: 48.9167\n  longitude: 38.4333\n", encoding="utf-8"
    )
    name = copy_input("acled.csv", tmp_path)
    assert main(["import", "acled", name]) == 0
    places = (project / "places.yaml").read_text(encoding="utf-8")
    assert places.startswith("# our places\nriverton:\n")
    assert places.count("riverton") == 1
    assert "hilltown:" in places


def test_usage_errors_exit_2(project: Path, capsys) -> None:
    assert main(["import", "ucdp", "missing.csv"]) == 2
    assert "missing.csv: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>A <b>bold</b> claim</p><p>Two</p>", "A **bold** claim\n\nTwo"),
        (
            '<a href="https://example.org/x">kept</a> <a href="javascript:alert(1)">text only</a>',
            "[kept](https://example.org/x) text only",
        ),
        ("<script>alert(1)</script><style>p{}</style>after", "after"),
        ("a &lt;b&gt; tag, &amp;copy; and [brackets]", "a \\<b\\> tag, \\&copy; and \\[brackets\\]"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n\n- two"),
        ('<iframe src="https://example.org"></iframe><img src=x onerror="alert(1)">', ""),
    ],
)
def test_html_becomes_markdown_without_raw_html(html: str, markdown: str) -> None:
    text, _ = html_to_markdown(html)
    assert text == markdown
    assert inspect_markdown(text)[0] == []  # the project's own check finds no raw HTML and no unsafe link


def test_dates_keep_their_precision() -> None:
    day = dt.date(2022, 7, 3)
    assert ucdp.date_of(day, day, 1) == ("2022-07-03", "")
    assert ucdp.date_of(day, day, 2)[0] == "2022-07-03~"
    assert ucdp.date_of(day, dt.date(2022, 7, 9), 2)[0] == "2022-07-03/2022-07-09"
    assert ucdp.date_of(dt.date(2022, 7, 1), dt.date(2022, 7, 31), 4)[0] == "2022-07"
    assert ucdp.date_of(dt.date(2022, 1, 1), dt.date(2022, 12, 31), 5)[0] == "2022"
    assert acled.date_of(day, 1) == ("2022-07-03", "")
    assert acled.date_of(day, 2)[0] == "2022-07-03~"
    assert acled.date_of(day, 3)[0] == "2022-07"


def test_json_positions_and_paths() -> None:
    doc = JsonDocument('{\n  "events": [\n    {"start_date": {"year": 2022}}\n  ]\n}')
    where = doc.where("events[0].start_date.year")
    assert (where.line, where.column, where.field) == (3, 29, "events[0].start_date.year")
    missing = doc.where("events[0].text.headline")  # not there: the position of its nearest parent
    assert (missing.line, missing.column) == (3, 5)


def test_a_registry_in_flow_style_is_refused_not_broken(project: Path, tmp_path: Path, capsys) -> None:
    (project / "places.yaml").write_text("{elsewhere: {name: Elsewhere, latitude: 1, longitude: 2}}\n", encoding="utf-8")
    before = _files(project)
    name = copy_input("acled.csv", tmp_path)
    assert main(["import", "acled", name]) == 1
    assert _files(project) == before
    assert "content/places.yaml:1:1: error: new entries cannot be appended to this file" in capsys.readouterr().err
