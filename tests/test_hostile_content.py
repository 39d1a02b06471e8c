"""Hostile content and the Content-Security-Policy.

Content comes from strangers' pull requests. A corpus of injection payloads is put into every text field of
the content model, in a copy of the small fixture site made in tmp_path. Each placement is either refused by
validation with a file:line:col message (which placements must be refused is asserted), or it builds; each
payload's build is then loaded page by page in Chromium, charts drawn and hovered, and nothing may run: no
dialog, no on* attribute, no script but the site's own, no javascript: or data: address, no CSP violation,
and the payload shows as text.

The pages' policy is checked as written (script-src 'self', nothing unsafe for scripts) and as enforced: no
violation while the real site's charts draw and its filters are used.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SMALL_CONTENT, build, page_kinds, serve, wait_until
from timeline.build import load_timeline
from timeline.controls import escape_controls
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.markdown import plain_text

# ---- The corpus ---------------------------------------------------------------------------------------

PAYLOADS: dict[str, str] = {
    "script-tag": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg/onload=alert(1)>",
    "double-quote-breakout": '" onmouseover="alert(1)" x="',
    "single-quote-breakout": "' autofocus onfocus='alert(1)' x='",
    "script-close-in-json": "</script><script>alert(1)</script>",
    "javascript-url": "javascript:alert(1)",
    "javascript-url-mixed-case": "JaVaScRiPt:alert(1)",
    "data-url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "markdown-javascript-link": "[x](javascript:alert(1))",
    "markdown-mixed-case-link": "[x](JaVaScRiPt:alert(1))",
    "markdown-vbscript-link": "[x](vbscript:msgbox(1))",
    "markdown-entity-link": "[x](java&#115;cript:alert(1))",
    "markdown-autolink": "<javascript:alert(1)>",
    "markdown-reference-link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "html-link": '<a href="https://evil.example/">click</a>',
    "plotly-markup": '<b>bold</b><br><span style="color:red">red</span>',
    "template-syntax": "{{ 7 * 7 }}{% raw %}",
    "entities": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "bidi-override": "\u202egnp.exe",
    "bidi-isolate-unclosed": "\u2067\u202eevil",
    "url-attribute-breakout": 'https://example.org/x"><img/src=x/onerror=alert(1)>',
    "url-with-spaces": 'https://example.org/" onmouseover="alert(1)',
}
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
RAW_HTML = re.compile(r"<(script|img|svg|a|b|br|span)(\s|/?>)|</[a-z]+\s*>", re.IGNORECASE)  # CommonMark's raw HTML
UNSAFE_MARKDOWN_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file):", re.IGNORECASE)
SMALL_BASE_URL = "https://example.org/small/"
JSON_TYPES = ("application/json", "application/ld+json")
WEB_ADDRESS = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$")


@dataclass(frozen=True)
class Placement:
    """Where a payload goes: a file of the content and the keys inside it (several keys get the same value)."""

    name: str
    file: str
    keys: tuple[tuple[str | int, ...], ...]
    kind: str  # line (one-line text), text (may span lines), markdown, url, hidden (text shown nowhere), id, zone


def _p(name: str, file: str, kind: str, *keys: tuple[str | int, ...]) -> Placement:
    return Placement(name, file, keys, kind)


EVENT = "events/2022/2022-07-03-lysychansk-claim.yaml"
PLACEMENTS = [
    _p("site title", "site.yaml", "line", ("title",)),
    _p("site description", "site.yaml", "text", ("description",)),
    _p("site timezone", "site.yaml", "zone", ("timezone",)),
    _p("site base_url", "site.yaml", "url", ("base_url",)),
    _p("comparison title", "site.yaml", "line", ("comparison", "title")),
    _p("comparison intro", "site.yaml", "markdown", ("comparison", "intro")),
    _p("episode title", "episodes.yaml", "line", ("fall-2022", "title")),
    _p("episode short title", "episodes.yaml", "line", ("fall-2022", "short_title")),
    _p("episode summary", "episodes.yaml", "markdown", ("fall-2022", "summary")),
    _p("actor name", "actors.yaml", "line", ("shoigu", "name")),
    _p("actor role", "actors.yaml", "line", ("shoigu", "role")),
    _p("actor other name", "actors.yaml", "line", ("shoigu", "alt_names", 0)),
    _p("place name", "places.yaml", "line", ("lysychansk", "name")),
    _p("place oblast", "places.yaml", "line", ("lysychansk", "oblast")),
    _p("place country", "places.yaml", "line", ("lysychansk", "country")),
    _p("place other name", "places.yaml", "line", ("lysychansk", "alt_names", 0)),
    _p("source title", "sources.yaml", "line", ("wire-2022", "title")),
    _p("source publisher", "sources.yaml", "line", ("wire-2022", "publisher")),
    _p("source author", "sources.yaml", "line", ("wire-2022", "author")),
    _p("source note", "sources.yaml", "text", ("tv-2025", "note")),
    _p("source seed", "sources.yaml", "hidden", ("wire-2022", "seed")),
    _p("source url", "sources.yaml", "url", ("copy-2022", "url")),
    _p("source archive url", "sources.yaml", "url", ("copy-2022", "archive_url")),
    _p("tag label", "tags.yaml", "line", ("control", "label")),
    _p("tag description", "tags.yaml", "text", ("control", "description")),
    _p("event title", EVENT, "line", ("title",)),
    _p("event date note", EVENT, "line", ("date_note",)),
    _p("event summary", EVENT, "markdown", ("summary",)),
    _p("claim text", EVENT, "text", ("claims", 0, "text")),
    _p("claim status note", EVENT, "text", ("claims", 0, "status_note")),
    _p("claim quote", EVENT, "text", ("claims", 0, "sources", 0, "quote")),
    _p("claim reported as", EVENT, "line", ("claims", 0, "sources", 0, "reported_as")),
    _p("figure label", EVENT, "line", ("figures", 0, "label"), ("figures", 1, "label")),
    _p("figure unit", EVENT, "line", ("figures", 0, "unit")),
    _p("figure qualifier", EVENT, "line", ("figures", 0, "qualifier")),
    _p("figure note", EVENT, "text", ("figures", 1, "note")),
    _p("page title", "pages/about.md", "line", ("title",)),
    _p("page description", "pages/about.md", "text", ("description",)),
    _p("page body", "pages/about.md", "markdown", ("body",)),
    _p("tag id", "tags.yaml", "id"),
    _p("event tag reference", EVENT, "id", ("tags", 0)),
    _p("event id (file name)", "events/2022/2022-07-03-{}.yaml", "id"),
]


def value_for(placement: Placement, payload: str, index: int) -> str:
    """Text fields get a marker first, so that the payload can be found on the page it shows on."""
    return payload if placement.kind in ("url", "id") else f"zq{index:02d} {payload}"


def applicable(placement: Placement, value: str) -> bool:
    """A file name cannot hold a slash."""
    return placement.name != "event id (file name)" or ("/" not in value and len(value.encode()) < 200)


def must_refuse(placement: Placement, value: str) -> bool | None:
    """True: validation must refuse the value here; False: it must build; None: either, judged on its merits."""
    if placement.kind in ("id", "zone"):  # no payload is an id or a time zone name
        return True
    if placement.kind == "url":
        return not WEB_ADDRESS.match(value)
    if placement.kind in ("line", "hidden") and "\n" in value:  # every field of those kinds is one line
        return True
    if placement.kind == "markdown" and (RAW_HTML.search(value) or UNSAFE_MARKDOWN_LINK.search(value)):
        return True
    if BIDI.search(value):
        return None  # refusing invisible direction controls is a fair rule; the pages contain them either way
    return False


# ---- Writing the fixture ------------------------------------------------------------------------------


class Content:
    """A copy of the small fixture's content in which one placement at a time is changed and put back."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(SMALL_CONTENT, folder)
        self.originals = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.*")}

    def reset(self) -> None:
        for events in (self.folder / "events").rglob("*.yaml"):
            if events.relative_to(self.folder).as_posix() not in self.originals:
                events.unlink()
        for name, text in self.originals.items():
            (self.folder / name).write_text(text, encoding="utf-8")

    def apply(self, placements: list[tuple[Placement, str]]) -> dict[str, str]:
        """Write the values in; returns the text of each file written."""
        files: dict[str, Any] = {}
        written: dict[str, str] = {}
        for placement, value in placements:
            if placement.name == "event id (file name)":
                name = placement.file.format(value)
                (self.folder / name).write_text(self.originals[EVENT], encoding="utf-8")
                written[name] = self.originals[EVENT]
                continue
            data = files.setdefault(placement.file, self._load(placement.file))
            if placement.name == "tag id":
                data[value] = {"label": "Hostile id", "description": "A tag whose id is hostile."}
            for keys in placement.keys:
                target = data
                for key in keys[:-1]:
                    if isinstance(key, str) and key not in target:
                        target[key] = []
                    target = target[key]
                last = keys[-1]
                if isinstance(target, list) and isinstance(last, int) and last >= len(target):
                    target.append(value)
                else:
                    target[last] = value
        for name, data in files.items():
            written[name] = self._dump(name, data)
            (self.folder / name).write_text(written[name], encoding="utf-8")
        return written

    def _load(self, name: str) -> Any:
        text = self.originals[name]
        if name.endswith(".md"):
            _, front, body = text.split("---\n", 2)
            return {**yaml.safe_load(front), "body": body}
        return yaml.safe_load(text)

    @staticmethod
    def _dump(name: str, data: Any) -> str:
        if name.endswith(".md"):
            front = {k: v for k, v in data.items() if k != "body"}
            header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
            return f"---\n{header}---\n{data['body']}\n"
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


@dataclass
class Outcome:
    placement: Placement
    value: str
    refused: bool
    errors: list[Diagnostic] = field(default_factory=list)


def try_placement(content: Content, placement: Placement, value: str) -> Outcome:
    content.reset()
    written = content.apply([(placement, value)])
    diagnostics = Diagnostics()
    refused = load_timeline(content.folder, diagnostics) is None
    outcome = Outcome(placement, value, refused, diagnostics.errors)
    if refused:
        check_refusal(outcome, written)
    return outcome


def check_refusal(outcome: Outcome, written: dict[str, str]) -> None:
    """A refusal names the file, a line and column inside it, and says what is wrong."""
    wanted = outcome.placement.file.format(outcome.value)
    for error in outcome.errors:
        text = error.format_text()
        shown = escape_controls(error.path)  # printed with invisible and control characters escaped
        assert text.startswith(f"{shown}:{error.line}:{error.column}: error: "), text
        assert error.path == f"content/{wanted}" or error.path.endswith("/" + wanted), f"{outcome.placement.name}: {text}"
        lines = written[wanted].splitlines() or [""]
        assert 1 <= error.line <= len(lines) + 1, text
        assert error.column >= 1, text
        assert len(error.message) > 10, text


def expected_text(outcome: Outcome) -> str:
    """The words a reader should find on some page for a placement that built."""
    value = plain_text(outcome.value) if outcome.placement.kind == "markdown" else outcome.value
    return normalise(value)


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---- Checking pages in Chromium -----------------------------------------------------------------------

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
});
"""

INSPECT = r"""(allowedScripts) => {
  const problems = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcdoc', 'background', 'ping'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${el.tagName} has the event handler attribute ${name}`);
      /* plotly styles its own elements (and an SVG it measures text with) through the CSSOM, which the CSP allows */
      if (name === 'style' && !el.closest('.chart-plot') && el.namespaceURI === 'http://www.w3.org/1999/xhtml') {
        problems.push(`${el.tagName} has a style attribute`);
      }
      if (urlAttributes.includes(name)) {
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (/^(javascript|vbscript|data|file):/.test(value)) problems.push(`${el.tagName} ${name}=${attr.value}`);
      }
    }
  }
  const foreign = 'iframe, frame, object, embed, base, meta[http-equiv="refresh" i], svg a, svg script, foreignObject, template';
  for (const el of document.querySelectorAll(foreign)) {
    problems.push(`unexpected element ${el.tagName}`);
  }
  for (const el of document.querySelectorAll('style')) problems.push('a <style> element');
  for (const script of document.querySelectorAll('script')) {
    const src = script.getAttribute('src');
    if (src !== null) {
      const path = new URL(src, location.href).pathname.split('/').pop();
      if (!allowedScripts.includes(path)) problems.push(`script src=${src}`);
    } else if (script.type === 'application/json' || script.type === 'application/ld+json') {
      try { JSON.parse(script.textContent); } catch (e) { problems.push(`a ${script.type} block that is not JSON`); }
    } else {
      problems.push(`an inline script: ${script.textContent.slice(0, 80)}`);
    }
  }
  const external = Array.from(document.querySelectorAll('a[href], link[href], area[href]'))
    .filter((a) => !a.href.startsWith(location.origin)).map((a) => a.getAttribute('href'));
  /* Direction controls in the content: whatever follows them inside the nearest isolating or block box
     must be the content's own text, never the site's words beside it. */
  const bidi = /[\u202a-\u202e\u2066-\u2069]/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const match = node.data.match(bidi);
    if (!match || node.parentElement.closest('svg, script')) continue;
    let box = node.parentElement;
    while (box !== document.body) {
      const style = getComputedStyle(box);
      if (['isolate', 'isolate-override', 'plaintext'].includes(style.unicodeBidi)) break;
      if (!['inline', 'contents'].includes(style.display)) break;
      box = box.parentElement;
    }
    const tail = node.data.slice(match.index).replace(/\s+/g, ' ').trim();
    const inBox = box.textContent.replace(/\s+/g, ' ').trim();
    if (!inBox.endsWith(tail)) {
      problems.push(`direction control not isolated in <${box.tagName.toLowerCase()}>: ${JSON.stringify(inBox.slice(-80))}`);
    }
  }
  return {problems, external, text: document.body.innerText, json: Array.from(document.querySelectorAll(
    'script[type="application/json"], script[type="application/ld+json"]')).map((s) => s.textContent),
    violations: window.__cspViolations || []};
}"""


@dataclass
class PageReport:
    problems: list[str]
    external: list[str]
    text: str
    json: list[str]
    violations: list[str]


def inspect(page: Any, allowed_scripts: list[str]) -> PageReport:
    return PageReport(**page.evaluate(INSPECT, allowed_scripts))


def draw_and_hover_charts(page: Any) -> None:
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        wait_until(page, f"document.querySelectorAll('[data-chart]')[{index}].dataset.drawn === 'yes'", 30)
        point = chart.locator(".scatterlayer .point, .barlayer .point").first
        if point.count():
            box = point.bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_timeout(100)


def site_scripts(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "static").glob("*.js"))


@pytest.fixture(scope="module")
def chromium_context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    yield context
    context.close()


RESULTS: dict[str, dict[str, int]] = {}


@pytest.mark.browser
@pytest.mark.parametrize("payload_name", list(PAYLOADS))
def test_hostile_payload_is_refused_or_shown_as_text(payload_name: str, tmp_path: Path, chromium_context: Any) -> None:
    payload = PAYLOADS[payload_name]
    content = Content(tmp_path / "content")
    placements = [(p, value_for(p, payload, i)) for i, p in enumerate(PLACEMENTS)]
    outcomes = [try_placement(content, p, value) for p, value in placements if applicable(p, value)]
    wrong = []
    for o in outcomes:
        expected = must_refuse(o.placement, o.value)
        if expected is not None and o.refused != expected:
            said = f" ({o.errors[0].format_text()})" if o.errors else ""
            wrong.append(f"{o.placement.name}: {'refused' if o.refused else 'built'}, expected the opposite{said}")
    assert wrong == []
    for outcome in outcomes:
        if outcome.refused and BIDI.search(outcome.value) and must_refuse(outcome.placement, outcome.value) is None:
            assert any("U+20" in e.message.upper() or "direction" in e.message for e in outcome.errors), outcome.errors
    built = [o for o in outcomes if not o.refused]
    record = {"tried": len(outcomes), "refused": len(outcomes) - len(built), "built": len(built), "executed": 0}
    RESULTS[payload_name] = record
    if not built:
        return

    content.reset()
    content.apply([(o.placement, o.value) for o in built])
    site = build(content.folder, tmp_path / "site")
    ET.parse(site / "feed.xml")
    ET.parse(site / "sitemap.xml")
    json.loads((site / "events.json").read_text(encoding="utf-8"))

    dialogs: list[str] = []
    page = chromium_context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems: list[str] = []
    texts: list[str] = []
    blocks: list[str] = []
    allowed_urls = {o.value for o in built if o.placement.kind == "url"} | {"https://example.org/copy", SMALL_BASE_URL}
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    server = serve(site)
    url = next(server)
    try:
        for path in pages:
            page.goto(url + path.removesuffix("index.html"))
            draw_and_hover_charts(page)
            report = inspect(page, site_scripts(site))
            problems += [f"{path}: {p}" for p in report.problems]
            problems += [f"{path}: CSP violation {v}" for v in report.violations]
            problems += [f"{path}: link to {h}" for h in report.external if not any(h.startswith(a) for a in allowed_urls)]
            texts.append(report.text)
            blocks += report.json
    finally:
        server.close()
        page.close()
    record["executed"] = len(dialogs)
    assert dialogs == [], f"{payload_name} ran script: {dialogs}"
    assert problems == [], "\n".join(problems[:40])
    shown = normalise("\n".join(texts))
    missing = [o.placement.name for o in built if o.placement.kind not in ("url", "hidden") and expected_text(o) not in shown]
    assert missing == [], f"{payload_name} is not shown as text in: {missing}"
    if "</script>" in payload:
        data = [json.loads(block) for block in blocks]
        assert any(payload in json.dumps(d, ensure_ascii=False).replace("\\/", "/") for d in data), "the payload reached the JSON"


def test_hostile_summary() -> None:
    """Runs last (pytest keeps file order): prints the corpus's figures for the record."""
    if not RESULTS:
        pytest.skip("the hostile payload tests did not run")
    total = {key: sum(r[key] for r in RESULTS.values()) for key in ("tried", "refused", "built", "executed")}
    print(f"\nhostile content: {len(RESULTS)} payloads in {len(PLACEMENTS)} places: {total}")
    assert total["executed"] == 0


# ---- Content-Security-Policy --------------------------------------------------------------------------


class Policy(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []
        self.inline: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(values.get("content") or "")
        if tag == "script":
            self._script = values
        for name, _ in attrs:
            if name.lower().startswith("on") or name.lower() == "style":
                self.inline.append(f"<{tag} {name}>")

    def handle_data(self, data: str) -> None:
        script = self._script
        if script is not None and "src" not in script and data.strip() and script.get("type") not in JSON_TYPES:
            self.inline.append(f"inline script: {data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


@pytest.mark.parametrize("which", ["real", "small"])
def test_every_page_declares_a_strict_policy(which: str, real_site: Path, small_site: Path) -> None:
    site = real_site if which == "real" else small_site
    pages = sorted(site.rglob("*.html"))
    assert pages
    for path in pages:
        parser = Policy()
        parser.feed(path.read_text(encoding="utf-8"))
        assert len(parser.policies) == 1, f"{path}: one Content-Security-Policy"
        policy = directives(parser.policies[0])
        scripts = policy.get("script-src", policy.get("default-src"))
        assert scripts == ["'self'"], f"{path}: script-src {scripts}"
        assert policy.get("object-src") == ["'none'"]
        assert policy.get("base-uri") == ["'none'"]
        for name, sources in policy.items():
            assert "'unsafe-eval'" not in sources, f"{path}: {name}"
            assert not {"*", "http:", "https:"} & set(sources), f"{path}: {name}"
        for name in ("script-src", "script-src-elem", "script-src-attr", "default-src", "style-src"):
            assert "'unsafe-inline'" not in policy.get(name, []), f"{path}: {name}"
        assert parser.inline == [], f"{path}: {parser.inline}"


@pytest.mark.browser
def test_no_csp_violation_while_charts_draw_and_filters_work(chromium_context: Any, real_url: str) -> None:
    page = chromium_context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    violations: list[str] = []
    for path in page_kinds().values():
        page.goto(real_url + path)
        draw_and_hover_charts(page)
        if path == "":
            for name in ("tag", "actor", "side", "status"):
                values = page.eval_on_selector_all(f"select[name={name}] option", "options => options.map(o => o.value)")
                page.select_option(f"select[name={name}]", values[-1])
            page.locator("form.filters button[type=reset]").click()
            page.locator("[data-chart] summary").first.click()
        violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    assert violations == []
    assert console == []
    # the listener hears what the policy blocks: an inline script is refused and reported
    page.evaluate(
        "(() => { const s = document.createElement('script'); s.text = 'window.__ran = 1'; document.body.append(s) })()"
    )
    wait_until(page, "window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    page.close()
