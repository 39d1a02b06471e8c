"""The real content: valid, complete, and faithful to the source articles."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_CONTENT
from timeline.build import check_content, load_timeline
from timeline.content import load_content
from timeline.convert import STREAM_REGISTRY_ABOVE
from timeline.diagnostics import MAX_PER_FILE, Diagnostics
from timeline.model import Timeline
from timeline.yamlsource import MAX_BYTES

SEEDS = ROOT.parent / "shared" / "seeds"


def normalise(text: str) -> str:
    for a, b in (
        ("\u2019", "'"),
        ("\u2018", "'"),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u2013", "-"),
        ("\u2014", "-"),
        ("\u00a0", " "),
    ):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


@pytest.fixture(scope="module")
def timeline() -> Timeline:
    diagnostics = Diagnostics()
    result = load_timeline(ROOT / "content", diagnostics)
    assert result is not None, "\n".join(d.format_text() for d in diagnostics)
    return result


def test_content_has_no_errors_or_warnings() -> None:
    diagnostics = Diagnostics()
    load_timeline(ROOT / "content", diagnostics)
    assert [d.format_text() for d in diagnostics] == []


def test_both_episodes_and_the_background_are_covered(timeline: Timeline) -> None:
    assert len(timeline.events) >= 30
    assert {e.id for e in timeline.episodes} == {"lysychansk-2022", "luhansk-2025"}
    for episode in timeline.episodes:
        assert len(timeline.by_episode[episode.id]) >= 8
    years = {e.date.start.year for e in timeline.background}
    assert {2014, 2022} <= years


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are kept beside the project, in ../shared/seeds")
def test_every_quote_is_verbatim_in_its_own_article(timeline: Timeline) -> None:
    articles = {p.name: normalise(p.read_text(encoding="utf-8")) for p in SEEDS.glob("0*.txt")}
    problems = []
    for event in timeline.events:
        for claim in event.claims:
            for cited in claim.sources:
                if not cited.quote:
                    continue
                text = articles.get(cited.source.seed)
                if text is None:
                    problems.append(f"{event.id}: quote attached to {cited.source.id}, whose text is not kept")
                    continue
                pieces = [p.strip(" .,\"'") for p in re.split(r"\.\.\.|\u2026", normalise(cited.quote))]
                if not all(piece in text for piece in pieces if piece):
                    problems.append(f"{event.id}: not verbatim in {cited.source.seed}: {cited.quote!r}")
    assert problems == []


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are kept beside the project, in ../shared/seeds")
def test_source_urls_are_the_known_ones(timeline: Timeline) -> None:
    known = set(re.findall(r"https?://\S+?(?=[\s|)]|$)", (SEEDS / "README.md").read_text(encoding="utf-8")))
    urls = {s.url for s in timeline.sources.values() if s.url} | {
        s.archive_url for s in timeline.sources.values() if s.archive_url
    }
    assert urls <= known
    assert len(urls) == 4  # the three articles with a known address, and the AP original


def test_every_source_is_cited_and_copies_point_to_their_originals(timeline: Timeline) -> None:
    assert [s for s in timeline.sources if s not in timeline.by_source] == []
    copies = {s.id: s.republishes for s in timeline.sources.values() if s.republishes}
    assert set(copies.values()) == {"ap-2022-07-03", "fox-2025-06-30"}


def test_figures_the_articles_disagree_on_are_shown_both_ways(timeline: Timeline) -> None:
    belgorod = {(f.value, f.source.id) for e in timeline.events for f in e.figures if "Belgorod" in f.label}
    assert {v for v, _ in belgorod} == {3, 4}
    melitopol = {c.reported_as for e in timeline.events if "melitopol" in e.id for cl in e.claims for c in cl.sources}
    assert {"damaged", "destroyed"} <= melitopol


def test_the_two_full_control_claims_are_compared(timeline: Timeline) -> None:
    tag = timeline.site.comparison_tag
    assert tag
    claims_by_year = {e.date.start.year for e in timeline.by_tag[tag] if e.importance == 3}
    assert {2022, 2025} <= claims_by_year


def test_a_registry_larger_than_an_event_file_may_be_is_read(tmp_path: Path) -> None:
    """A long timeline cites tens of thousands of sources: sources.yaml may outgrow the limit for one event."""
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    entry = "source-{n}:\n  title: Report {n} of a long war\n  publisher: Wire agency\n  published: 2022-07-03\n  language: en\n"
    extra = "".join(entry.format(n=n) for n in range(MAX_BYTES // len(entry.format(n=0)) + 100))
    sources = content / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert sources.stat().st_size > MAX_BYTES
    diagnostics = Diagnostics()
    raw = load_content(content, diagnostics)
    assert not diagnostics.errors, [d.format_text() for d in diagnostics.errors]
    assert len(raw.registries["sources"]) > 18_000


TAGS = "content/tags.yaml"


def large_tags(content: Path, tail: str = "") -> tuple[Path, int]:
    """tags.yaml of the small site grown past the size above which registries are read entry by entry."""
    tags = content / "tags.yaml"
    entries = "".join(f"tag-{n}:\n  label: Tag {n}\n  description: Tag {n}.\n" for n in range(STREAM_REGISTRY_ABOVE // 40))
    text = tags.read_text(encoding="utf-8") + entries + tail
    tags.write_text(text, encoding="utf-8")
    assert len(text) > STREAM_REGISTRY_ABOVE
    return tags, text.count("\n")


def test_a_large_registry_read_entry_by_entry_places_each_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = Path("content")
    shutil.copytree(SMALL_CONTENT, tmp_path / content)
    monkeypatch.chdir(tmp_path)
    _, lines = large_tags(content, "bad-id-:\n  label: x\nlast:\n  label: y\n  description: z\n  colour: red\n")
    diagnostics = Diagnostics()
    load_content(content, diagnostics)
    errors = [(d.path, d.line, d.column, d.field) for d in diagnostics.errors]
    assert errors == [(TAGS, lines - 5, 1, "bad-id-"), (TAGS, lines, 3, "last.colour")]


def test_a_large_registry_with_a_late_parse_problem_gives_it_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries converted before the problem was read are dropped, as when a file is parsed whole first."""
    content = Path("content")
    shutil.copytree(SMALL_CONTENT, tmp_path / content)
    monkeypatch.chdir(tmp_path)
    _, lines = large_tags(content, "bad-id-:\n  label: x\ncontrol:\n  label: again\n  description: again\n")
    diagnostics = Diagnostics()
    raw = load_content(content, diagnostics)
    assert [(d.path, d.line, d.column, d.message) for d in diagnostics.items] == [(TAGS, lines - 2, 1, "duplicate key 'control'")]
    assert "tags" in raw.unreadable


def test_a_large_registry_gives_at_most_a_hundred_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = Path("content")
    shutil.copytree(SMALL_CONTENT, tmp_path / content)
    monkeypatch.chdir(tmp_path)
    tags, _ = large_tags(content)
    diagnostics = Diagnostics()
    raw = check_content(content, diagnostics)
    assert not diagnostics.errors
    assert len(raw.registries["tags"]) > STREAM_REGISTRY_ABOVE // 40
    warnings = [d for d in diagnostics.warnings if d.path == TAGS]
    assert len(warnings) == MAX_PER_FILE + 1
    assert "more than 100 warnings" in warnings[-1].message
    first = tags.read_text(encoding="utf-8").splitlines().index("tag-0:") + 1
    assert (warnings[0].line, warnings[0].column, warnings[0].field) == (first + 1, 3, "tag-0")  # where its entry's keys start
    assert raw.position(TAGS, "tag-7.description") == (first + 23, 16)


def test_the_claims_of_all_of_luhansk_in_2022_are_disputed_against_the_2025_articles(timeline: Timeline) -> None:
    """ITV reported full control in 2022; both 2025 articles call 2025 the first time. The city itself fell."""
    event = timeline.by_id["2022-07-03-shoigu-claims-lysychansk-and-luhansk"]
    city, *whole, _area = event.claims
    assert city.status == "confirmed"
    assert "Lysychansk" in city.text
    assert [c.status for c in whole] == ["disputed", "disputed"]
    for claim in whole:
        assert all(name in (claim.status_note or "") for name in ("ITV News", "Internewscast", "Mint"))
    assert {"itv-2022-07-03", "internewscast-2025-07-01", "mint-2025-07-01"} <= {s.id for s in event.sources}
    intro = timeline.site.comparison_intro
    assert intro.index("2022") < intro.index("2025") < intro.index("Below")
    assert all(f"({name}," in intro for name in ("ITV News", "Internewscast", "Mint"))


def test_no_event_known_only_to_its_month_or_year_is_listed_before_a_dated_event_within_it(timeline: Timeline) -> None:
    events = list(timeline.events)  # every other list of events keeps this order
    coarse = [e for e in events if e.date.start.precision != "day"]
    assert any(e.date.start.precision == "month" and e.date.end for e in coarse)  # the 2022 annexation
    for event in coarse:
        later = events[events.index(event) + 1 :]
        start = event.date.start
        inside = [
            e.id for e in later if e.date.start.precision == "day" and start.first_day <= e.date.first_day <= start.last_day
        ]
        assert inside == [], event.id
    annexation = timeline.by_id["2022-07-russia-annexes-four-regions"]
    putin = list(timeline.by_actor["putin"])
    assert putin.index(annexation) > putin.index(timeline.by_id["2022-07-03-shoigu-claims-lysychansk-and-luhansk"])
