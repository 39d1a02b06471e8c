"""Charts and maps kept from the last build: drawn again only where an edit touched them, equal to fresh ones."""

from __future__ import annotations

import pickle
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SMALL_CONTENT
from timeline import charts, eventmemo
from timeline.build import check_content
from timeline.charts import Chart, maps, memo
from timeline.diagnostics import Diagnostics
from timeline.model import Timeline, build_timeline

Drawings = tuple[dict[str, Chart], dict[str, Chart]]
HAIDAI = "events/2022/2022-07-03-haidai-account.yaml"
PASECHNIK = "events/2025/2025-06-30-pasechnik.yaml"


def _model(content: Path, previous: Timeline | None = None) -> Timeline:
    diagnostics = Diagnostics()
    raw = check_content(content, diagnostics)
    assert not diagnostics.errors, [d.format_text() for d in diagnostics]
    return build_timeline(raw, previous)


def _draw(timeline: Timeline) -> Drawings:
    return charts.build_charts(timeline), charts.build_maps(timeline)


def _forget_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a fresh process: no chart kept, no event's reads kept."""
    memo.forget()
    monkeypatch.setattr(eventmemo, "_PIECES", {})
    monkeypatch.setattr(eventmemo, "_SHARED", {"digest": ""})


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _forget_everything(monkeypatch)
    yield
    memo.forget()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    return tmp_path / "content"


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The id of every chart and map drawn (not taken from the last build), counted."""
    counts: Counter[str] = Counter()

    def counting(make: Callable[..., Chart | None], slot: Callable[..., str]) -> Callable[..., Chart | None]:
        def draw(*args: Any) -> Chart | None:
            counts[slot(*args)] += 1
            return make(*args)

        return draw

    for name, slot in (
        ("overview_chart", lambda t: "overview"),
        ("places_map", lambda t: "map"),
        ("episode_chart", lambda t, e: f"episode-{e.id}"),
        ("claims_chart", lambda t: "claims"),
        ("sources_per_event_chart", lambda t: "sources-per-event"),
        ("publishers_chart", lambda t: "publishers"),
        ("draw_figures", lambda t, shown: "figures"),
        ("shown_figures", lambda t, reads: "figures-shown"),
    ):
        monkeypatch.setattr(charts, name, counting(getattr(charts, name), slot))
    monkeypatch.setattr(maps, "episode_map", counting(maps.episode_map, lambda t, e: f"map-episode-{e.id}"))
    monkeypatch.setattr(maps, "place_map", counting(maps.place_map, lambda t, p: f"map-place-{p.id}"))
    return counts


def _replace(content: Path, name: str, old: str, new: str) -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def retitle(content: Path) -> None:
    _replace(content, HAIDAI, "title: ", "title: Edited — ")


def move_to_the_other_episode(content: Path) -> None:
    """A new date goes with a new file name (the name starts with the date)."""
    _replace(content, PASECHNIK, "date: 2025-06-30", "date: 2022-07-02")
    (content / PASECHNIK).rename(content / "events/2022/2022-07-02-pasechnik.yaml")


def move_out_of_its_episode(content: Path) -> None:
    _replace(content, PASECHNIK, "date: 2025-06-30", "date: 2025-07-20")
    (content / PASECHNIK).rename(content / "events/2025/2025-07-20-pasechnik.yaml")


def add_a_place(content: Path) -> None:
    _replace(content, HAIDAI, "actors: [haidai]", "actors: [haidai]\nplaces: [lysychansk, luhansk-oblast]")


def change_a_claim_status(content: Path) -> None:
    _replace(content, PASECHNIK, "status: unverified", "status: denied")


def change_the_importance(content: Path) -> None:
    _replace(content, PASECHNIK, "importance: 3", "importance: 1")


def rename_a_place(content: Path) -> None:
    _replace(content, "places.yaml", "name: Lysychansk", "name: Lysychansk city")


def add_an_event(content: Path) -> None:
    text = (content / PASECHNIK).read_text(encoding="utf-8").replace("2025-06-30", "2025-06-27")
    (content / "events/2025/2025-06-27-pasechnik-again.yaml").write_text(text, encoding="utf-8")


def delete_an_event(content: Path) -> None:
    (content / PASECHNIK).unlink()


def retitle_the_site(content: Path) -> None:
    _replace(content, "site.yaml", "title: Small timeline", "title: A small timeline")


EDITS = [
    retitle,
    move_to_the_other_episode,
    move_out_of_its_episode,
    add_a_place,
    change_a_claim_status,
    change_the_importance,
    rename_a_place,
    add_an_event,
    delete_an_event,
    retitle_the_site,
]


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("patched", [True, False], ids=["serve-model", "fresh-model"])
def test_after_every_kind_of_edit_the_kept_and_redrawn_charts_equal_fresh_ones(
    content: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], None], patched: bool
) -> None:
    before = _model(content)
    first = _draw(before)
    edit(content)
    after = _model(content, before if patched else None)
    kept = _draw(after)
    _forget_everything(monkeypatch)
    fresh = _draw(_model(content))
    assert kept == fresh
    assert (kept == first) == (edit is retitle_the_site)  # no chart shows the site's title


def test_a_new_title_redraws_only_what_shows_titles(content: Path, drawn: Counter[str]) -> None:
    before = _model(content)
    _draw(before)
    assert drawn["episode-fall-2022"] == drawn["map-episode-fall-2022"] == drawn["claims"] == 1
    drawn.clear()
    retitle(content)
    _draw(_model(content, before))
    # a short timeline lists every event's title in its overview and sources charts; this event has no figure
    assert set(drawn) == {"episode-fall-2022", "overview", "sources-per-event"}
    assert all(count == 1 for count in drawn.values())


def test_a_new_title_of_an_event_with_shown_figures_redraws_the_figures_but_does_not_choose_them_again(
    content: Path, drawn: Counter[str]
) -> None:
    before = _model(content)
    first = _draw(before)
    drawn.clear()
    _replace(content, "events/2022/2022-07-03-lysychansk-claim.yaml", "title: ", "title: Edited — ")
    kept = _draw(_model(content, before))
    assert drawn["figures"] == 1
    assert "figures-shown" not in drawn
    assert kept[0]["figures"] != first[0]["figures"]


def test_a_new_claim_status_redraws_the_charts_of_statuses_and_no_map(content: Path, drawn: Counter[str]) -> None:
    before = _model(content)
    _draw(before)
    drawn.clear()
    change_a_claim_status(content)
    _draw(_model(content, before))
    assert "claims" in drawn
    assert "episode-claim-2025" in drawn
    assert not any(slot.startswith("map") for slot in drawn)
    assert "episode-fall-2022" not in drawn
    assert "publishers" not in drawn


def test_a_new_place_redraws_the_maps_of_its_episode_and_places_only(content: Path, drawn: Counter[str]) -> None:
    before = _model(content)
    _draw(before)
    drawn.clear()
    add_a_place(content)
    _draw(_model(content, before))
    maps_drawn = {slot for slot in drawn if slot.startswith("map")}
    assert maps_drawn == {"map", "map-episode-fall-2022", "map-place-lysychansk", "map-place-luhansk-oblast"}
    assert "claims" not in drawn
    assert "episode-claim-2025" not in drawn


def test_a_registry_change_redraws_everything(content: Path, drawn: Counter[str]) -> None:
    before = _model(content)
    _draw(before)
    every = set(drawn)
    drawn.clear()
    rename_a_place(content)
    _draw(_model(content, before))
    assert set(drawn) == every


def test_only_the_last_builds_charts_are_kept(content: Path) -> None:
    before = _model(content)
    _draw(before)
    delete_an_event(content)
    after = _model(content, before)
    charts_drawn, maps_drawn = _draw(after)
    state = memo.kept_state()
    kept = {group: {slot for (of, slot) in state if of == group} for group in ("charts", "maps")}
    assert set(charts_drawn) <= kept["charts"]
    assert set(maps_drawn) <= kept["maps"]
    slots = {f"episode-{e.id}" for e in after.episodes} | {"overview", "map", "claims", "sources-per-event", "publishers"}
    # an empty chart is kept as such (the figures chart here), a deleted episode's not at all
    assert kept["charts"] == slots | {"figures-shown", "figures"}
    assert kept["maps"] == {f"map-episode-{e.id}" for e in after.episodes} | {
        f"map-place-{p.id}" for p in after.places.values() if p.located
    }


def test_a_restored_state_in_a_fresh_process_is_reused_and_gives_the_same_charts(
    content: Path, monkeypatch: pytest.MonkeyPatch, drawn: Counter[str]
) -> None:
    first = _draw(_model(content))
    saved = pickle.dumps(memo.kept_state())
    _forget_everything(monkeypatch)
    drawn.clear()
    memo.restore_state(pickle.loads(saved))
    assert _draw(_model(content)) == first
    assert not drawn
    retitle(content)  # and an edit after the restore redraws what it touched only
    _draw(_model(content))
    assert "episode-fall-2022" in drawn
    assert "episode-claim-2025" not in drawn
    assert "claims" not in drawn


def test_a_state_of_another_shape_is_ignored(content: Path, drawn: Counter[str]) -> None:
    memo.restore_state(["not", "a", "state"])
    _draw(_model(content))
    assert drawn["overview"] == 1
