"""What pages compute once rather than in every template render gives what the templates computed."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
from jinja2 import Environment

from tests.conftest import ROOT, real_timeline
from timeline.pages import publisher_counts
from timeline.render import event_json_ld, json_for_html, make_environment

# What sources.html computed on every page before pages.publisher_counts did it once.
TEMPLATE_COUNTS = """
{%- set all_sources = timeline.sources.values()|sort(attribute="id")|sort(attribute="publisher")|list -%}
{%- set by_publisher = {} -%}
{%- for s in all_sources %}{% set _ = by_publisher.setdefault(s.publisher, []).append(s) %}{% endfor -%}
{%- for pub, items in by_publisher.items() -%}
{%- set citing = [] -%}
{%- for s in items %}{% set _ = citing.extend(timeline.by_source.get(s.id, ())) %}{% endfor -%}
{{ pub }}|{{ items|length }}|{{ citing|map(attribute="id")|unique(case_sensitive=true)|list|length }};
{%- endfor %}"""


def test_publisher_counts_are_the_templates_own() -> None:
    def source(id_: str, publisher: str) -> SimpleNamespace:
        return SimpleNamespace(id=id_, publisher=publisher)

    sources = [
        source("b-2", "reuters"),
        source("A-1", "Reuters"),
        source("a-0", "BBC"),
        source("c", "bbc"),
        source("Z", "Agence"),
        source("y", "agence"),
        source("x", "Kyiv Independent"),
    ]
    event = {name: SimpleNamespace(id=name) for name in ("e1", "e2", "e3")}
    by_source = {"b-2": (event["e1"], event["e2"]), "A-1": (event["e2"],), "c": (event["e3"], event["e3"]), "y": ()}
    timeline = SimpleNamespace(sources={s.id: s for s in sources}, by_source=by_source)

    expected = Environment().from_string(TEMPLATE_COUNTS).render(timeline=timeline)
    ours = "".join(f"{publisher}|{articles}|{events};" for publisher, articles, events in publisher_counts(timeline))  # type: ignore[arg-type]
    assert ours == expected
    assert ours.startswith("agence|1|0;Agence|1|0;BBC|1|0;bbc|1|1;")  # case kept apart, ignored in the order


def test_event_json_ld_made_from_pieces_is_the_whole_made_at_once() -> None:
    timeline = real_timeline()
    env = make_environment(ROOT / "templates", {"timeline": timeline, "site": timeline.site})
    fragments = env.globals["fragments"]
    first = timeline.events[0]
    hostile = dataclasses.replace(
        first,
        title="\0citations\0",  # the stand-in itself, in a key that comes after `citation`
        summary='A summary that would close the element: </script><!-- "\u2028 & \0citations\0',
        sources=tuple(dataclasses.replace(s, id=s.id + "-x", title=s.title + " </script>") for s in first.sources),
    )
    for event in (*timeline.events, hostile):
        url = f"{timeline.site.base_url}events/{event.id}/"
        assert fragments.event_json_ld(event, url) == json_for_html(event_json_ld(event, url))
        assert fragments.event_json_ld(event, url) == json_for_html(event_json_ld(event, url))  # from its pieces
    assert "</script>" not in fragments.event_json_ld(hostile, "u")


# The loop event_list ran before fragments.event_items made the whole list in one call.
EVENT_LIST_LOOP = """<ol class="events">
{% for e in events %}
{{ fragments.event_item(e, h, root) }}
{% endfor %}
</ol>
"""


@pytest.mark.parametrize("count", [0, 1, 3])
@pytest.mark.parametrize(("h", "root"), [(2, "../../"), (3, "")])
def test_event_list_in_one_call_is_the_loop(count: int, h: int, root: str) -> None:
    timeline = real_timeline()
    env = make_environment(ROOT / "templates", {"timeline": timeline, "site": timeline.site, "source_pages": {}})
    events = timeline.events[:count]
    loop = env.from_string(EVENT_LIST_LOOP).render(events=events, h=h, root=root)
    macros = env.globals["fragments"].macros(root)
    assert macros.event_list(events, h) == loop
