"""Parts of the plan made over every event (sources pages, search filters, the Data page's years, the months'
descriptions) are taken again after an edit that leaves them as they were, and equal what a fresh plan makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.process import as_a_new_process
from tests.test_model_index_patch import generated  # noqa: F401  (a fixture)
from tests.test_plan_memo import EDITS, _model
from timeline import feeds, pagekeys, pages
from timeline.exports import export_listing, export_years
from timeline.pages import plan_pages


@pytest.fixture
def content(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:  # noqa: F811
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    as_a_new_process(monkeypatch)
    shutil.copytree(generated, tmp_path / "content")
    return tmp_path / "content"


def _sources_pages(planned: list[pages.PageSpec]) -> list[pages.PageSpec]:
    return [page for page in planned if page.template == "sources.html"]


@pytest.mark.parametrize("edit", list(EDITS))
def test_the_sources_pages_and_filters_equal_a_fresh_plans(content: Path, monkeypatch: pytest.MonkeyPatch, edit: str) -> None:
    before = _model(content)
    plan_pages(before)
    EDITS[edit](content)
    again = plan_pages(_model(content, before))
    as_a_new_process(monkeypatch)
    fresh = plan_pages(_model(content))
    assert again == fresh
    timeline = _model(content)
    every = pages.filter_options(timeline, tuple(timeline.events))  # not the timeline's own tuple: counted by hand
    assert pages.filter_options(timeline, timeline.events) == every


def test_an_edit_takes_the_sources_pages_of_untouched_sources_again(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "SOURCES_PER_PAGE", 10)
    before = _model(content)
    first = _sources_pages(plan_pages(before))
    assert len(first) > 3
    EDITS["edit an event"](content)
    edited = _model(content, before)
    cited = {s.id for e in edited.events if e not in before.events for s in e.sources}
    second = _sources_pages(plan_pages(edited))
    kept = [new is old for new, old in zip(second, first, strict=True)]
    touched = [any(s.id in cited for s in page.context["sources"]) for page in second]
    assert kept == [not t and number > 0 for number, t in enumerate(touched)]  # the first counts every event


def test_a_month_taken_again_is_described_once(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeline = _model(content)
    months = pages.months_of(timeline)
    described: list[str] = []
    real = pagekeys._describe

    def counted(value: object) -> str:
        described.append(type(value).__name__)
        return real(value)

    monkeypatch.setattr(pagekeys, "_describe", counted)
    first = pagekeys._describe(months)
    assert described.count("Month") == len(months)
    described.clear()
    assert pagekeys._describe(pages.months_of(timeline)) == first
    assert described.count("tuple") == 0  # no month's events described again


def test_the_data_pages_years_are_those_of_the_exports(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timeline = _model(content)
    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 10)
    years = list(export_years(timeline))
    assert years == ["2022"]  # split, though into one year here
    assert [[year for year, _ in entry[3]] for entry in export_listing(timeline)] == [years] * 4
    monkeypatch.setattr(feeds, "SPLIT_EXPORT_ABOVE", 10_000)
    assert [[year for year, _ in entry[3]] for entry in export_listing(timeline)] == [[""]] * 4
