"""What pages compute once rather than in every template render gives what the templates computed."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import Environment

from timeline.pages import publisher_counts

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
