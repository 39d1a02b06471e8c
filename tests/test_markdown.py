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
