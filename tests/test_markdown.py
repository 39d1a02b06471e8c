"""Reading a text's Markdown once serves both its checks and its plain text."""

from __future__ import annotations

import pytest
import yaml

from tests.conftest import ROOT
from timeline import markdown

SAMPLES = [
    "Plain words only.",
    "A [link](/events/2022-07-03-x/) and **bold** and _italic_ and `code`.",
    "Two paragraphs.\n\nThe second has an <https://example.org/autolink> and &amp; an entity.",
    "- a list\n- of *two* items\n\n> a quote\n\n# a heading",
    "Less than: a < b, and 3 > 2; a tilde ~ and \\*escaped\\* stars.",
    "See [the report](https://example.org/a_(b)) ([copy](https://example.org/c)).",
    "    indented code is not words\n\nafter it",
    "Line one\nline two with trailing spaces  \nline three",
]


def real_summaries() -> list[str]:
    texts = []
    for path in sorted((ROOT / "content" / "events").rglob("*.yaml")):
        texts.append(str(yaml.safe_load(path.read_text(encoding="utf-8"))["summary"]))
    return texts


def parsed_by_the_checks(text: str) -> bool:
    """The checks parse only texts that could hold HTML, a link or an image."""
    return any(mark in text for mark in ("<", "](", "]:"))


TEXTS = [text for text in SAMPLES + real_summaries() if parsed_by_the_checks(text)]


def test_the_samples_include_texts_the_checks_parse() -> None:
    assert len([t for t in SAMPLES if parsed_by_the_checks(t)]) >= 4
    assert len(TEXTS) >= 6


@pytest.mark.parametrize("text", TEXTS)
def test_the_checks_give_the_plain_text_the_renderer_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "_PLAIN", {})
    from_renderer = markdown.plain_text(text)
    monkeypatch.setattr(markdown, "_PLAIN", {})
    problems, _ = markdown.inspect_markdown(text)
    assert problems == []
    assert markdown._PLAIN.get(text) == from_renderer


def test_a_text_with_problems_is_not_given_a_plain_text_by_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(markdown, "_PLAIN", {})
    problems, _ = markdown.inspect_markdown("Raw <b>HTML</b> and ![an image](https://example.org/i.png).")
    assert problems
    assert markdown._PLAIN == {}


# Texts at the edge of what `_read_simple` reads without the parser: each must give the parser's site links (with
# their positions) and plain text, or be left to the parser.
EDGE = [
    "See [the previous event](/events/2023-03-22-event-3913/).\nConfirmed village border.",
    "[At the start](/events/2022-07-03-a/) of a line, and [twice](/events/2022-07-03-a/) the same link.",
    "One paragraph.\n\nA second with [a link](/actors/shoigu/) and [another](/places/lysychansk/)\n\n\nA third.",
    "   Three spaces before, [then a link](/tags/claim/).\n  and a continuation line with two.",
    "    Four spaces: [code, not a link](/events/2022-07-03-a/).",
    "Before\n    four spaces continue the paragraph [here](/events/2022-07-03-a/).",
    "- a list item with [a link](/events/2022-07-03-a/)",
    "1. an ordered item with [a link](/events/2022-07-03-a/)",
    "2022) a year and a bracket [link](/events/2022-07-03-a/)",
    "Text\n---\nunderlined: [a link](/episodes/lysychansk-2022/)",
    "Text\n===\nunderlined: [a link](/episodes/lysychansk-2022/)",
    "An [empty]() link and [a page](/sources/) and [the root](/).",
    "[](/events/2022-07-03-a/) an empty text.",
    'A [link with a title](/events/2022-07-03-a/ "title").',
    "A [link](</events/2022-07-03-a/>) in angle brackets.",
    "A [nested [link]](/events/2022-07-03-a/).",
    "A [link\nover two lines](/events/2022-07-03-a/).",
    "A [web link](https://www.geonames.org/) and [another](http://example.org/a/b.html).",
    "A [web link with a query](https://example.org/a?b=c&d=e).",
    "A [protocol-relative link](//example.org/).",
    "An [unknown page](/nowhere/) and [an upper-case id](/events/2022-07-03-A/).",
    "A [fragment](/events/2022-07-03-a/#claims).",
    "Reference [style][ref].\n\n[ref]: /events/2022-07-03-a/",
    "Emphasis *inside* text [and a link](/events/2022-07-03-a/).",
    "Trailing spaces  \nmake a hard break [here](/events/2022-07-03-a/).",
    "A backslash \\\nbreak [here](/events/2022-07-03-a/).",
    'Quotes ‘curly’ and "straight", dashes – and —, (brackets) and: colons [here](/events/2022-07-03-a/).',
    "Кириллица и [ссылка](/places/lysychansk/).",
    "Windows\r\nline ends [here](/events/2022-07-03-a/).",
    "A tab\tinside [here](/events/2022-07-03-a/).",
    "A non-breaking\u00a0space [here](/events/2022-07-03-a/)\n\u00a0\nand a line of it above.",
    "Line separator\u2028inside [here](/events/2022-07-03-a/).",
    "Ideographic\u3000space, zero\u200bwidth space [here](/events/2022-07-03-a/)\u3000\n\u2003",
    "A [link](/events/2022-07-03-a/)(and brackets after) and ([inside brackets](/events/2022-07-03-b/)).",
    "An ![image](/events/2022-07-03-a/) is not a link.",
    "A [link](javascript:alert(1)) and a [data link](data:text/html,x).",
    "Entity &amp; [here](/events/2022-07-03-a/).",
    "Raw <b>html</b> [here](/events/2022-07-03-a/).",
    "# A heading [link](/events/2022-07-03-a/)",
    "> A quote [link](/events/2022-07-03-a/)",
    "",
    "   ",
    "Plain words, no link at all.\n\nTwo paragraphs.",
]


def _by_the_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[markdown.MarkdownFindings, str]:
    with monkeypatch.context() as patched:
        patched.setattr(markdown, "_read_simple", lambda text: None)
        patched.setattr(markdown, "_PLAIN", {})
        findings = markdown.inspect_markdown(text)
        return findings, markdown.plain_text(text)


@pytest.mark.parametrize("text", EDGE + real_summaries())
def test_a_simple_text_read_without_the_parser_gives_what_the_parser_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (problems, links), plain = _by_the_parser(text, monkeypatch)
    simple = markdown._read_simple(text)
    if simple is not None:
        assert problems == []
        assert simple == (links, plain)
    monkeypatch.setattr(markdown, "_PLAIN", {})
    assert markdown.inspect_markdown(text) == (problems, links)
    assert markdown.plain_text(text) == plain


def test_the_simple_reading_serves_the_common_texts_and_leaves_the_rest_to_the_parser() -> None:
    read = [text for text in EDGE if markdown._read_simple(text) is not None]
    for text in (EDGE[0], EDGE[2], EDGE[17]):  # words and links, several paragraphs, web links
        assert text in read
    for text in ("- a list item with [a link](/events/2022-07-03-a/)", 'A [link](/events/2022-07-03-a/ "title").'):
        assert text not in read
    assert markdown._read_simple(EDGE[2]) == (
        [markdown.SiteLink(2, 23, "actors", "shoigu"), markdown.SiteLink(2, 54, "places", "lysychansk")],
        "One paragraph. A second with a link and another A third.",
    )


_PIECES = [
    "word",
    "Word",
    " ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n   ",
    "\n    ",
    "[",
    "]",
    "(",
    ")",
    "](",
    "/events/2022-07-03-a/",
    "/places/x/",
    "/",
    "/sources/",
    "https://example.org/a",
    "-",
    "- ",
    "1.",
    "2)",
    "#",
    "'",
    '"',
    ":",
    ".",
    ",",
    "é",
    "\u00a0",
    "\u3000",
    "ё",
    "?",
    "%",
    "$",
    "@",
    "{",
    "}",
    "—",
    "[a link](/events/2022-07-03-a/)",
    "[x](/tags/y/)",
    "[web](https://example.org/p)",
    "[](/)",
]


def test_random_texts_read_without_the_parser_give_what_the_parser_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    import random

    chance = random.Random(14)
    read = linked = 0
    for _ in range(3000):
        text = "".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 30)))
        simple = markdown._read_simple(text)
        if simple is None:
            continue
        read += 1
        linked += bool(simple[0])
        (problems, links), plain = _by_the_parser(text, monkeypatch)
        assert problems == [], text
        assert simple == (links, plain), text
    assert read > 300  # the comparison covers many texts the simple reading accepts, many with links
    assert linked > 100
