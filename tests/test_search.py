"""Search: the index the build writes, and the search page and the filters in headless Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import real_timeline, wait_until
from timeline import search
from timeline.model import Event

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def ungap(gaps: list[int]) -> list[int]:
    out, last = [], 0
    for gap in gaps:
        last += gap
        out.append(last)
    return out


def lookup(site: Path, word: str) -> list[str]:
    """What the index on disk gives for one whole word: the paths of its events."""
    manifest = json.loads((site / "search" / "index.json").read_text())
    key = search.word_key(word, manifest["key_letters"])
    chunk = json.loads((site / "search" / "w" / f"{key}.json").read_text())
    paths = []
    for number in ungap(chunk.get(word, [])):
        records = json.loads((site / "search" / "e" / f"{number // manifest['per_file']}.json").read_text())
        paths.append(records[number % manifest["per_file"]][0])
    return paths


def events_having(words: str) -> list[Event]:
    wanted = search.words(words)
    found = []
    for event in real_timeline().events:
        text = set(search.words(f"{event.title} {search.event_body(event)} {search.event_names(event)}"))
        if all(w in text for w in wanted):
            found.append(event)
    return found


def test_words_ignore_case_and_accents() -> None:
    assert search.words("Zapórizhzhia's “100%” a") == ["zaporizhzhia", "100"]
    assert search.words("Зе\u0301ленский") == ["зеленскии"], "an accent written apart stays in its word"
    assert search.word_key("лиси", 2) == "43b-438"


def test_words_are_split_at_underscores_and_listed_once_in_order() -> None:
    assert search.words("snake_case Snake x_y ZAPÓRIZHZHIA zaporizhzhia") == ["snake", "case", "zaporizhzhia"]
    assert search.words("Луганськ · луганськ — Lysychansk") == ["луганськ", "lysychansk"]


def test_the_index_finds_each_event_by_its_words(real_site: Path) -> None:
    timeline = real_timeline()
    actor = timeline.events[0].all_actors[0] if timeline.events[0].all_actors else next(iter(timeline.actors.values()))
    for word in ("lysychansk", search.words(actor.name)[-1]):
        assert lookup(real_site, word) == [f"events/{e.id}/" for e in events_having(word)]
        assert lookup(real_site, word)


def test_the_index_has_every_filter_value(real_site: Path) -> None:
    timeline = real_timeline()
    for tag, events in timeline.by_tag.items():
        numbers = ungap(json.loads((real_site / "search" / "f" / f"tag-{tag}.json").read_text()))
        assert [timeline.events[n] for n in numbers] == list(events)


# ---- In the browser ------------------------------------------------------------------------------------------


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    yield page
    assert page.evaluate("window.__cspViolations") == []
    context.close()


def results_for(page: Any, query: str) -> list[str]:
    """The result links once the page shows the results of `query`."""
    expected = " ".join(search.words(query))
    wait_until(page, f"document.querySelector('ol.search-results').getAttribute('data-searched') === {json.dumps(expected)}")
    return page.eval_on_selector_all("ol.search-results h2 a", "links => links.map(a => a.getAttribute('href'))")


def quote_word() -> tuple[str, Event]:
    """A long, rare word from a quote, and an event that quotes it."""
    for event in real_timeline().events:
        for claim in event.claims:
            for cs in claim.sources:
                for word in sorted(search.words(cs.quote), key=len, reverse=True):
                    if len(events_having(word)) <= 3:
                        return word, event
    raise AssertionError("no quote in the content")


@pytest.mark.browser
def test_typing_an_actor_a_quote_word_and_a_place_finds_their_events_within_a_second(page: Any, real_url: str) -> None:
    timeline = real_timeline()
    page.goto(real_url + "search/")
    wait_until(page, "document.querySelector('ol.search-results').hasAttribute('data-searched')")
    actor = max(timeline.actors.values(), key=lambda a: len(timeline.by_actor.get(a.id, ())))
    place = max(timeline.places.values(), key=lambda p: len(timeline.by_place.get(p.id, ())))
    word, quoted = quote_word()
    for query, must in (
        (actor.name, timeline.by_actor[actor.id][0]),
        (word, quoted),
        (place.name, timeline.by_place[place.id][0]),
    ):
        start = time.monotonic()
        page.fill("#search-q", query)
        links = results_for(page, query)
        took = time.monotonic() - start
        assert took < 1.0, f"{query!r}: {took:.2f} s"
        expected = [f"../events/{e.id}/" for e in events_having(query)]
        assert links == expected[: len(links)]
        assert f"../events/{must.id}/" in links
        marks = page.eval_on_selector_all("ol.search-results mark", "marks => marks.map(m => m.textContent)")
        assert marks, f"{query!r}: the matching words are marked"
        assert all(search.words(m)[0].startswith(tuple(search.words(query))) for m in marks)


@pytest.mark.browser
def test_the_query_survives_a_reload_and_back_returns_to_the_previous_filters(page: Any, real_url: str) -> None:
    page.goto(real_url + "search/?q=lysychansk")
    first = results_for(page, "lysychansk")
    assert first
    assert page.input_value("#search-q") == "lysychansk"
    page.reload()
    assert results_for(page, "lysychansk") == first
    assert page.input_value("#site-search-q") == "lysychansk"
    page.select_option("#search-side", "ukraine")
    wait_until(page, "location.search.indexOf('side=ukraine') >= 0")
    wait_until(page, f"document.querySelectorAll('ol.search-results h2 a').length < {len(first)}")  # filtered again
    narrowed = results_for(page, "lysychansk")
    assert 0 < len(narrowed) < len(first)
    page.go_back()
    wait_until(page, "location.search === '?q=lysychansk'")
    assert results_for(page, "lysychansk") == first
    assert page.input_value("#search-side") == ""
    page.go_forward()
    wait_until(page, "location.search.indexOf('side=ukraine') >= 0")
    assert results_for(page, "lysychansk") == narrowed
    assert page.input_value("#search-side") == "ukraine"


@pytest.mark.browser
def test_the_header_box_leads_to_the_results(page: Any, real_url: str) -> None:
    page.goto(real_url + "sources/")
    box = page.get_by_role("searchbox", name="Search the timeline")
    box.fill("pasechnik")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == real_url + "search/?q=pasechnik"
    assert results_for(page, "pasechnik")


@pytest.mark.browser
def test_back_returns_to_the_previous_filters_on_the_home_page(page: Any, real_url: str) -> None:
    page.goto(real_url)
    total = page.locator("ol.events > li:visible").count()
    page.select_option("select[name=side]", "ukraine")
    wait_until(page, "location.search === '?side=ukraine'")
    page.select_option("select[name=status]", "denied")
    wait_until(page, "location.search === '?side=ukraine&status=denied'")
    both = page.locator("ol.events > li:visible").count()
    page.go_back()
    wait_until(page, "location.search === '?side=ukraine'")
    assert page.input_value("select[name=status]") == ""
    one = page.locator("ol.events > li:visible").count()
    assert both <= one < total
    page.go_back()
    wait_until(page, "location.search === ''")
    assert page.locator("ol.events > li:visible").count() == total


@pytest.mark.browser
def test_without_javascript_the_box_is_a_form_and_the_page_explains(browser: Any, real_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_url + "about/")
    page.fill("#site-search-q", "lysychansk")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    assert page.url == real_url + "search/?q=lysychansk"
    note = page.locator(".search-nojs")
    assert note.is_visible()
    assert "needs JavaScript" in note.inner_text()
    assert note.locator("a[href='../']").count() == 1
    assert not page.locator("form.search-form").is_visible()
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_has_no_axe_violations(browser: Any, real_url: str, scheme: str) -> None:
    from tests.test_accessibility import describe_violations, run_axe

    context = browser.new_context(color_scheme=scheme, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(real_url + "search/?q=luhansk")
    assert results_for(page, "luhansk")
    results = run_axe(page)
    context.close()
    assert len(results["passes"]) > 10, "axe-core did not run its checks"
    assert results["violations"] == [], f"search ({scheme}):\n" + describe_violations(results["violations"])
