"""The one Markdown renderer, and the checks content Markdown must pass.

CommonMark without raw HTML. Links may point to web addresses or to pages of the site
(`/events/<id>/`); site links are written relative to the page that shows them, so the site works
under any base path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

from timeline.fields import BIDI_CONTROLS, BIDI_HINT

_SAFE_HREF = re.compile(r"^(https?://|mailto:|/|#)", re.IGNORECASE)
SITE_LINK = re.compile(r"^/(events|episodes|actors|places|tags)/([a-z0-9-]+)/(#[\w-]*)?$")


@dataclass(frozen=True)
class MarkdownProblem:
    line: int  # 0-based line within the text
    column: int  # 0-based column within that line
    message: str
    hint: str


@dataclass(frozen=True)
class SiteLink:
    line: int
    column: int
    kind: str  # events, episodes, actors, places, tags
    target: str


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.disable("image")
    return md


_RENDERER = _renderer()
_INSPECTOR = MarkdownIt("commonmark", {"html": True})


@lru_cache(maxsize=4096)
def render_markdown(text: str, root: str = "") -> Markup:
    """Markdown to HTML; site links are prefixed with `root`, the relative path to the site's root."""
    tokens = _RENDERER.parse(text)
    for token in _walk(tokens):
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if href.startswith("/") and not href.startswith("//"):
                token.attrSet("href", root + href[1:])
            elif href.startswith(("http://", "https://")):
                token.attrSet("rel", "external noopener")
    return Markup(_RENDERER.renderer.render(tokens, _RENDERER.options, {}))


def render_inline(text: str, root: str = "") -> Markup:
    """Markdown of one paragraph without the <p> around it."""
    html = str(render_markdown(text, root)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)


_PLAIN: dict[str, str] = {}  # Markdown -> its words; seeded from the content cache, so most texts are never parsed here


def plain_text(text: str) -> str:
    """Markdown reduced to its words, for descriptions and feeds."""
    plain = _PLAIN.get(text)
    if plain is None:
        simple = _read_simple(text)
        plain = _PLAIN[text] = simple[1] if simple is not None else _words(_RENDERER.parse(text))
    return plain


def _words(tokens: list[Token]) -> str:
    words = [t.content for t in _walk(tokens) if t.type in ("text", "code_inline")]
    return re.sub(r"\s+", " ", " ".join(words)).strip()


def remember_plain_text(plain: dict[str, str]) -> None:
    """Plain texts worked out elsewhere (in another process, or in an earlier run)."""
    _PLAIN.update(plain)


def _walk(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_walk(token.children))
    return out


def _locate(lines: list[str], block: tuple[int, int], needle: str) -> tuple[int, int]:
    """Line and column (0-based) of `needle` within a block's lines, or the block's first line."""
    for number in range(block[0], min(block[1], len(lines))):
        column = lines[number].find(needle) if needle else -1
        if column >= 0:
            return number, column
    first = lines[block[0]] if block[0] < len(lines) else ""
    return block[0], len(first) - len(first.lstrip())


_UNSAFE_SOURCE_LINK = re.compile(r"\]\(\s*<?\s*((?:javascript|vbscript|data|file):(?:[^()\s]|\([^()\s]*\))*)", re.IGNORECASE)


MarkdownFindings = tuple[list[MarkdownProblem], list[SiteLink]]

# Most texts are paragraphs of words with a few links to pages of the site, and for those the parser's tokens are
# known without running it: paragraphs (split by blank lines) of text and links. `_read_simple` reads such a text
# with two regular expressions; anything else (a character Markdown gives a meaning to, a line that could start
# another kind of block, a link written any other way) is left to the parser, so the findings and the plain text
# are the parser's, character for character. tests/test_markdown.py compares the two on texts at the edge.
_SIMPLE_LINK = re.compile(
    r"\[([^\[\]\n]*)\]\("
    r"(/(?:events|episodes|actors|places|tags)/[a-z0-9-]+/|/|/sources/|/charts/|/about/|/methodology/|/compare/"
    r"|https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:/[A-Za-z0-9./-]*)?)\)"
)
_NOT_SIMPLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\\`*_&<>!#~|=+\[\]]|^ *(?:-|\d+[.)]| {4})", re.MULTILINE)


def _read_simple(text: str) -> tuple[list[SiteLink], str] | None:
    """The site links and the plain text of a text made only of paragraphs of words and simple links, as the
    parser would give them; None for any other text."""
    links = list(_SIMPLE_LINK.finditer(text)) if "](" in text else []
    words = _SIMPLE_LINK.sub(lambda link: f" {link.group(1)} ", text) if links else text
    if _NOT_SIMPLE.search(words):
        return None
    found: list[SiteLink] = []
    if links:
        lines = text.splitlines()
        for link in links:
            site = SITE_LINK.fullmatch(link.group(2))
            if site:
                line, column = _locate(lines, _paragraph(lines, text.count("\n", 0, link.start())), link.group(2))
                found.append(SiteLink(line, column, site.group(1), site.group(2)))
    return found, " ".join(words.split())  # as `_words` collapses: str.split and \s know the same white space


def _paragraph(lines: list[str], line: int) -> tuple[int, int]:
    """The lines (first, and one past the last) of the paragraph holding `line`, as the parser maps it."""
    start = line
    while start > 0 and lines[start - 1].strip(" "):
        start -= 1
    end = line + 1
    while end < len(lines) and lines[end].strip(" "):
        end += 1
    return start, end


def inspect_markdown(text: str) -> MarkdownFindings:
    """Problems a contributor must fix (raw HTML, unsafe links, images) and the site links used.

    When it parses a text and finds no problem, the words it read are remembered as the text's plain text:
    without raw HTML or images, this parse and the renderer's give the same tokens, so the text need not
    be parsed a second time."""
    control = BIDI_CONTROLS.search(text)
    if control:
        line = text.count("\n", 0, control.start())
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1)
        message = (
            f"the text contains the invisible direction control U+{ord(control.group()):04X}, which reorders how it is shown"
        )
        return [MarkdownProblem(line, column, message, BIDI_HINT)], []
    if "<" not in text and "](" not in text and "]:" not in text:
        return [], []  # no HTML, no link, no image: nothing to look at (and no parse to pay for)
    simple = _read_simple(text)
    if simple is not None:
        _PLAIN.setdefault(text, simple[1])
        return [], simple[0]
    problems: list[MarkdownProblem] = []
    links: list[SiteLink] = []
    lines = text.splitlines()
    block = (0, 1)

    def problem(needle: str, message: str, hint: str) -> None:
        line, column = _locate(lines, block, needle)
        problems.append(MarkdownProblem(line, column, message, hint))

    tokens = _INSPECTOR.parse(text)
    for token in tokens:
        if token.map:
            block = (token.map[0], token.map[1])
        if token.type == "html_block":
            problem(
                token.content.strip().split("\n")[0],
                "raw HTML is not allowed",
                "use Markdown: **bold**, _italic_, [text](https://…)",
            )
        for child in token.children or []:
            if child.type == "html_inline":
                problem(child.content, f"raw HTML is not allowed: {child.content}", "use Markdown instead of HTML tags")
            elif child.type == "image":
                problem("![", "images are not supported in content", "link to the image instead")
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not _SAFE_HREF.match(href) or href.startswith("//"):
                    problem(
                        href,
                        f"the link '{href[:60]}' is not allowed",
                        "link to https:// addresses or to site pages such as /events/<id>/",
                    )
                elif href.startswith("/"):
                    match = SITE_LINK.fullmatch(href)
                    if match:
                        line, column = _locate(lines, block, href)
                        links.append(SiteLink(line, column, match.group(1), match.group(2)))
                    elif href not in ("/", "/sources/", "/charts/", "/about/", "/methodology/", "/compare/"):
                        problem(href, f"'{href}' is not a page of the site", "site links look like /events/<id>/")
    # markdown-it drops links whose scheme it considers unsafe; find them in the source too
    for number, source_line in enumerate(lines):
        for match in _UNSAFE_SOURCE_LINK.finditer(source_line):
            message = f"the link '{match.group(1)[:60]}' is not allowed"
            problems.append(MarkdownProblem(number, match.start(1), message, "use https:// links"))
    if not problems:
        _PLAIN.setdefault(text, _words(tokens))
    return problems, links
