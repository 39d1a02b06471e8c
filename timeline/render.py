"""The Jinja2 environment: templates, filters and safe JSON embedding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from timeline.markdown import plain_text, render_inline, render_markdown
from timeline.schema import CLAIM_STATUSES, SIDES

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def dump_json(value: Any, indent: int | None = None) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=separators, indent=indent, default=str)


def json_for_html(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: nothing in it can close the element."""
    text = dump_json(value)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


def side_label(side: str) -> str:
    return {"united-states": "United States", "nato": "NATO"}.get(side, side.replace("-", " ").title())


class Fragments:
    """Rendered pieces reused across pages: an event's list item appears on half a dozen pages."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self.items: dict[tuple[str, int, str], Markup] = {}
        self.modules: dict[str, Any] = {}

    def macros(self, root: str) -> Any:
        """_macros.html for pages at `root`, made once: `{% set m = fragments.macros(root) %}`.

        Its macros see the globals and `root`, not the variables of the page that uses them.
        """
        if root not in self.modules:
            self.modules[root] = self.env.get_template("_macros.html").make_module({"root": root})
        return self.modules[root]

    def event_item(self, event: Any, heading: int, root: str) -> Markup:
        key = (event.id, heading, root)
        if key not in self.items:
            self.items[key] = Markup(self.macros(root).event_item(event, heading))
        return self.items[key]


def make_environment(templates: Path, globals_: dict[str, Any] | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        markdown=render_markdown,
        markdown_inline=render_inline,
        plain=plain_text,
        json_for_html=json_for_html,
        side_label=side_label,
    )
    env.globals.update(CLAIM_STATUSES=CLAIM_STATUSES, SIDES=SIDES, **(globals_ or {}))
    env.globals["fragments"] = Fragments(env)
    return env
