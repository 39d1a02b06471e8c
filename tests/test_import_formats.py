"""Each format imports into an empty project, after which `check` passes and `build` builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import build
from tests.import_project import copy_input, empty_project
from timeline.build import check_content
from timeline.cli import main
from timeline.diagnostics import Diagnostics


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: the import source's date
    monkeypatch.chdir(tmp_path)
    return empty_project(tmp_path)


def _event(content: Path, event_id: str) -> dict:
    """An event file as YAML reads it, every value a string (as the project reads it)."""
    year = event_id[:5] if event_id.startswith("-") else event_id[:4]  # -0043 before 1 BCE
    return yaml.load((content / "events" / year / f"{event_id}.yaml").read_text(encoding="utf-8"), yaml.BaseLoader)


def _registry(content: Path, name: str) -> dict:
    return yaml.load((content / f"{name}.yaml").read_text(encoding="utf-8"), yaml.BaseLoader) or {}


def _imports_checks_and_builds(content: Path, args: list[str], tmp_path: Path) -> Diagnostics:
    assert main(["import", *args]) == 0
    diagnostics = Diagnostics()
    check_content(content, diagnostics)
    assert not diagnostics.errors, "\n".join(d.format_text() for d in diagnostics.errors)
    build(content, tmp_path / "site")
    return diagnostics


def test_timelinejs_json(project: Path, tmp_path: Path) -> None:
    name = copy_input("timelinejs.json", tmp_path)
    diagnostics = _imports_checks_and_builds(project, ["timelinejs", name], tmp_path)
    claim = _event(project, "2022-07-03-lysychansk-claim")
    assert claim["date_note"] == "14:30"
    assert claim["tags"] == ["control-of-luhansk"]
    assert "[a report](https://example.org/report)" in claim["summary"]
    assert "javascript" not in claim["summary"]
    assert "<" not in claim["summary"]
    assert _event(project, "2022-07-fighting-moves-west")["date"] == "2022-07/2022-08"
    assert _event(project, "2022-07-fighting-moves-west")["date_note"] == "Summer 2022"
    assert _event(project, "0850-a-settlement-is-recorded")["date"] == "0850"  # a year under 1000
    episodes = _registry(project, "episodes")
    assert episodes["the-fall-of-lysychansk"]["start"] == "2022-07-01"  # the era
    source = _registry(project, "sources")["import-timelinejs"]
    assert (source["title"], source["imported_from"], source["published"]) == ("Luhansk in brief", name, "2026-01-01")
    resting = [d for d in diagnostics.warnings if "rests only on the imported file timelinejs.json" in d.message]
    assert len(resting) == 3
    assert (tmp_path / "site" / "events" / "0850-a-settlement-is-recorded" / "index.html").exists()


def test_timelinejs_spreadsheet_csv(project: Path, tmp_path: Path) -> None:
    name = copy_input("timelinejs.csv", tmp_path)
    _imports_checks_and_builds(project, ["timelinejs", name], tmp_path)
    claim = _event(project, "2022-07-03-russia-claims-lysychansk")
    assert claim["date_note"] == "Sunday"
    assert "Media: [A photo](https://example.org/photo.jpg) (Agency)" in claim["summary"]
    assert _event(project, "0998-a-chronicle-entry")["summary"] == "Plain text with a \\< sign."
    assert _registry(project, "sources")["import-timelinejs"]["title"] == "Two claims of Luhansk"
    assert list(_registry(project, "episodes")) == ["the-fall-of-lysychansk"]
    assert len(list((project / "events").rglob("*.yaml"))) == 3  # the title and era rows are not events


def test_timelinejs_json_with_years_before_the_common_era(project: Path, tmp_path: Path) -> None:
    """TimelineJS's year -44 is shown by TimelineJS as 44 BCE: it becomes -0043, which the site shows so too."""
    name = copy_input("timelinejs-bce.json", tmp_path)
    _imports_checks_and_builds(project, ["timelinejs", name], tmp_path)
    assert _event(project, "-0043-03-15-caesar-is-killed")["date"] == "-0043-03-15"
    founded = _event(project, "-0508-the-republic-is-founded")  # "-509" as text, as a spreadsheet gives it
    assert (founded["date"], founded["date_note"]) == ("-0508", "around 509 BCE")
    assert _event(project, "-0003-a-reign-across-the-eras")["date"] == "-0003/0006"
    assert _event(project, "0079-08-24-vesuvius-erupts")["date"] == "0079-08-24"
    assert _registry(project, "episodes")["the-ides-of-march"]["start"] == "-0043-03-01"
    page = (tmp_path / "site" / "events" / "-0043-03-15-caesar-is-killed" / "index.html").read_text(encoding="utf-8")
    assert "15 March 44 BCE" in page
    assert "4 BCE to 6 CE" in (tmp_path / "site" / "events" / "-0003-a-reign-across-the-eras" / "index.html").read_text()


def test_timelinejs_spreadsheet_csv_with_negative_years(project: Path, tmp_path: Path) -> None:
    name = copy_input("timelinejs-bce.csv", tmp_path)
    _imports_checks_and_builds(project, ["timelinejs", name], tmp_path)
    assert _event(project, "-0043-03-15-caesar-is-killed")["date"] == "-0043-03-15"
    assert _event(project, "0000-12-31-the-turn-of-the-era")["date"] == "0000-12-31/0001-01-01"  # 1 BCE is 0000
    assert _event(project, "-0752-rome-is-founded")["date"] == "-0752"


def test_ucdp(project: Path, tmp_path: Path) -> None:
    name = copy_input("ucdp.csv", tmp_path)
    _imports_checks_and_builds(project, ["ucdp", name], tmp_path)
    exact = _event(project, "2022-07-03-ucdp-900001")
    deaths = [(f["qualifier"], f["value"]) for f in exact["figures"] if f["label"] == "deaths"]
    assert deaths == [("low estimate", "7"), ("best estimate", "9"), ("high estimate", "14")]
    assert exact["sources"][-1] == "import-ucdp"
    assert len(exact["sources"]) == 3
    assert exact["actors"] == ["government-of-russia-soviet-union", "government-of-ukraine"]
    assert _event(project, "2022-07-05-ucdp-900002")["date"] == "2022-07-05/2022-07-09"  # date_prec 2: a span
    assert _event(project, "2022-07-ucdp-900003")["date"] == "2022-07"  # date_prec 4: the month
    actors = _registry(project, "actors")
    assert actors["government-of-ukraine"]["side"] == "ukraine"
    assert "civilians" not in actors
    places = _registry(project, "places")
    assert places["lysychansk-town"]["latitude"] == "48.9167"
    sources = _registry(project, "sources")
    assert sources["example-news-2022-07-04-lysychansk-falls"]["url"] == "https://example.org/news/lysychansk"


def test_acled(project: Path, tmp_path: Path) -> None:
    name = copy_input("acled.csv", tmp_path)
    diagnostics = _imports_checks_and_builds(project, ["acled", name], tmp_path)
    assert _event(project, "2022-07-03-acled-xts1001")["figures"][0]["value"] == "4"
    week = _event(project, "2022-07-08-acled-xts1002")
    assert week["date"] == "2022-07-08~"
    assert week["actors"] == ["example-rebels"]  # civilians are not actors
    assert _event(project, "2022-08-acled-xts1003")["date"] == "2022-08"  # time_precision 3: the month
    assert {"battles", "armed-clash", "peaceful-protest"} <= set(_registry(project, "tags"))
    assert sum("rests only on the imported file acled.csv" in d.message for d in diagnostics.warnings) == 3


def test_generic_csv_with_a_mapping_file_and_with_options(project: Path, tmp_path: Path) -> None:
    name, mapping = copy_input("table.csv", tmp_path), copy_input("table-mapping.yaml", tmp_path)
    diagnostics = _imports_checks_and_builds(project, ["csv", name, "--mapping", mapping], tmp_path)
    own = _event(project, "2022-07-03-r1")
    assert own["sources"] == ["example-news-2022-07-03-https-example-org"]  # the row's own source replaces the file
    assert _event(project, "2022-07-05-r2")["date"] == "2022-07-05/2022-07-09"
    assert _event(project, "2022-07-r3")["date"] == "2022-07~"
    assert _event(project, "2022-07-05-r2")["figures"] == [{"label": "killed", "value": "3", "source": "import-table"}]
    resting = {d.path.rsplit("/", 1)[-1] for d in diagnostics.warnings if "rests only" in d.message}
    assert resting == {"2022-07-05-r2.yaml", "2022-07-r3.yaml"}
    options = ["--map", "id=Ref", "--map", "date=When", "--map", "title=Headline", "--map", "summary=Description"]
    assert main(["import", "csv", name, *options, "--force"]) == 0
    assert "places" not in _event(project, "2022-07-03-r1")  # mapped by options alone: no place any more
