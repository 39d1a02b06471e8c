"""Templates compiled by timeline.templatecode render what Jinja2's own environment renders, and their errors still
point at the template line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, TemplateError, UndefinedError, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from timeline.templatecode import TemplateEnvironment, escape_text
from timeline.write import template_position


class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class Thing:
    def __init__(self, name: str) -> None:
        self.name = name

    def shout(self, end: str = "!") -> str:
        return self.name.upper() + end

    def __str__(self) -> str:
        return f"<{self.name}>"


@pytest.mark.parametrize("value", ["plain", "<a href='x'>&\"</a>", Markup("<i>kept</i>"), Html(), 3, 2.5, None, Thing("t")])
def test_escape_text_is_escape_as_a_plain_string(value: Any) -> None:
    text = escape_text(value)
    assert type(text) is str
    assert text == str(escape(value))


@pass_context
def context_name(context: Context, suffix: str = "") -> str:
    """A function that asks for the context: it must still be given the one of the loop it is called in."""
    return str(context.get("label", "none")) + suffix


class Counter:
    """A callable object: called through Jinja's own path."""

    def __call__(self, n: int) -> str:
        return "<" * n


def stops() -> str:
    raise StopIteration


TEMPLATES = {
    "_macros.html": """{% macro card(t, n=1) %}<div title="{{ t.name }}">{{ t.shout() }} {{ n }}</div>{% endmacro %}
{% macro box(t) %}[{{ t.name }}: {{ caller() }}]{% endmacro %}""",
    "base.html": """<title>{{ title }}</title>{% block body %}{% endblock %}{{ footer|default("") }}""",
    "page.html": """{% extends "base.html" %}
{% import "_macros.html" as m %}
{% block body %}
{{ m.card(thing, 2) }}
{% call m.box(thing) %}<i>{{ "<" ~ thing.name }}</i>{% endcall %}
{% for item in items %}{% set label = item ~ "." %}{{ item }}{{ context_name("/") }}|{{ counter(loop.index) }}|{% endfor %}
{% set captured %}{{ thing }} & {{ raw }}{% endset %}{{ captured }}{{ captured|length }}
{% filter upper %}{{ thing.name }} <{{ raw }}>{% endfilter %}
{% autoescape false %}{{ "<raw>" }}{{ thing }}{{ m.card(thing)|e }}{% endautoescape %}
{{ "{:,}".format(12345) }} {{ lookup.get("a", "-") }} {{ stops() is undefined }} {{ 7 }} {{ html }}
{{ thing.shout(end="?")|e }} {{ items|join(", ") }} {{ ["<", raw]|join }}
{% endblock %}""",
}
CONTEXT = {
    "title": "Ti<t>le",
    "thing": Thing("o'k"),
    "items": ["a&", Markup("<b>"), 3],
    "raw": "r&d",
    "lookup": {"a": "<x>"},
    "html": Html(),
    "context_name": context_name,
    "counter": Counter(),
    "stops": stops,
}


def render(env_class: type[Environment]) -> str:
    env = env_class(loader=DictLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)
    return env.get_template("page.html").render(CONTEXT)


def test_pages_render_as_jinja_renders_them() -> None:
    ours = render(TemplateEnvironment)
    assert ours == render(Environment)
    assert "a&amp;a&amp;./|&lt;|" in ours  # a pass_context function saw the variable set in the loop
    assert '<div title="o&#39;k">' in ours
    assert "<raw>" in ours  # autoescape false is still honoured


def test_an_error_points_at_its_template_line(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text('{% import "_macros.html" as m %}\n<p>\n{{ m.broken(thing) }}\n', encoding="utf-8")
    (tmp_path / "_macros.html").write_text(
        "{% macro broken(t) %}\n{% for i in [1, 2] %}\n{{ t.name }}\n{{ t.missing.deeper }}\n{% endfor %}\n{% endmacro %}\n",
        encoding="utf-8",
    )
    from jinja2 import FileSystemLoader

    env = TemplateEnvironment(loader=FileSystemLoader(str(tmp_path)), autoescape=True, undefined=StrictUndefined)
    with pytest.raises(UndefinedError) as caught:
        env.get_template("page.html").render(thing=Thing("x"))
    error: TemplateError = caught.value
    assert template_position(error, tmp_path) == (str(tmp_path / "_macros.html"), 4)
