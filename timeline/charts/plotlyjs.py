"""plotly.js and its stylesheet, taken from the installed plotly package, for the site's static folder."""

from __future__ import annotations

import re
from functools import lru_cache

_PLOTLY_RULES = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*([,}])""")


def _js_string(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def plotly_stylesheet(script: str) -> str:
    """plotly.js's own CSS, taken from the bundle, so the page can link it instead of plotly injecting <style>.

    plotly.js skips injecting styles when the page has a stylesheet with id `plotly.js-style-global`
    and class `no-inline-styles`, which a Content-Security-Policy without 'unsafe-inline' needs.
    """
    start = script.find('"X,X div"')
    if start < 0:
        raise RuntimeError("plotly.js bundle without its style rules: cannot build plotly.css")
    position = script.rfind("{", 0, start) + 1
    rules = []
    while True:
        match = _PLOTLY_RULES.match(script, position)
        if not match:
            break
        selector = _js_string(match.group(1)).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        if selector.startswith(","):
            selector = " " + selector
        rules.append(f"{selector}{{{_js_string(match.group(2))}}}")
        position = match.end()
        if match.group(3) == "}":
            break
    return "\n".join(rules) + "\n"


_BUNDLED_STYLE = re.compile(r'getElementById\("(?P<id>[0-9a-f]{64})"\)\)\{var (?P<v>\w+)=document\.createElement\("style"\)')


@lru_cache(maxsize=1)
def plotly_assets() -> dict[str, bytes]:
    """plotly.js from the installed plotly package, and its stylesheet."""
    from importlib.resources import files

    script = files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    return {"plotly.min.js": script, "plotly.css": plotly_stylesheet(script.decode("utf-8")).encode("utf-8")}


@lru_cache(maxsize=1)
def plotly_style_ids() -> tuple[str, ...]:
    """Ids of stylesheets plotly.js injects when it loads unless an element with the id exists.

    They style map traces (maplibre), which the site does not draw: charts.js puts a placeholder
    element with each id in the page before loading plotly.js, so nothing is injected.
    """
    script = plotly_assets()["plotly.min.js"].decode("utf-8")
    return tuple(sorted(m.group("id") for m in _BUNDLED_STYLE.finditer(script)))
