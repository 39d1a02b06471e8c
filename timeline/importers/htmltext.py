"""TimelineJS text (HTML) as Markdown: no raw HTML survives, and only http(s) links are kept.

What cannot be carried (scripts, styles, embedded frames, images, links to other schemes) is dropped
and named, so the importer can report it at the field it came from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_DROPPED = {"script", "style", "iframe", "object", "template", "noscript", "svg", "math", "head", "title", "textarea", "select"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "hr",
    "figure",
    "figcaption",
    "cite",
    "pre",
    "dl",
    "dt",
    "dd",
}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_HTTP = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$", re.IGNORECASE)
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as it is."""
    text = _ESCAPE.sub(r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.dropped: list[str] = []
        self.skipping = 0
        self.quote = 0
        self.lists: list[list[int | str]] = []  # [kind, next number]
        self.marker = ""
        self.links: list[tuple[str | None, int]] = []

    def flush(self) -> None:
        text = "".join(self.inline).strip()
        self.inline = []
        if not text:
            return
        text = re.sub(r"[ \t]*\\\n[ \t]*", "\\\n", re.sub(r" {2,}", " ", text))
        lines = text.split("\n")
        if _LINE_START.match(lines[0]) and not self.marker:
            lines[0] = "\\" + lines[0]
        indent = "  " * max(len(self.lists) - 1, 0)
        if self.marker:
            lines = [indent + self.marker + lines[0]] + [indent + " " * len(self.marker) + line for line in lines[1:]]
            self.marker = ""
        prefix = "> " * self.quote
        self.blocks.append("\n".join(prefix + line for line in lines))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping += tag in _DROPPED
            return
        if tag in _DROPPED:
            self.dropped.append(f"a <{tag}> element was left out: imported text keeps no HTML")
            self.skipping = 1
        elif tag in ("img", "embed", "video", "audio"):
            self.dropped.append(f"an <{tag}> element was left out: imported text keeps no HTML")
        elif tag == "br":
            self.inline.append("\\\n")
        elif tag in _BLOCKS:
            self.flush()
        elif tag == "blockquote":
            self.flush()
            self.quote += 1
        elif tag in ("ul", "ol"):
            self.flush()
            self.lists.append([tag, 1])
        elif tag == "li":
            self.flush()
            if self.lists and self.lists[-1][0] == "ol":
                self.marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] = int(self.lists[-1][1]) + 1
            else:
                self.marker = "- "
        elif tag in _EMPHASIS:
            self.inline.append(_EMPHASIS[tag])
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if href and not _HTTP.match(href):
                self.dropped.append(f"the link to '{href[:60]}' was left out, its text kept: only http and https links are kept")
            self.links.append((href if _HTTP.match(href) else None, len(self.inline)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag in _DROPPED
            return
        if tag in _BLOCKS or tag == "li":
            self.flush()
        elif tag == "blockquote":
            self.flush()
            self.quote = max(self.quote - 1, 0)
        elif tag in ("ul", "ol"):
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag in _EMPHASIS:
            self.inline.append(_EMPHASIS[tag])
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if href:
                label = "".join(self.inline[start:]).strip() or escape_markdown(href)
                target = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
                self.inline[start:] = [f"[{label}]({target})"]

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.inline.append(escape_markdown(re.sub(r"\s+", " ", data)))


def html_to_markdown(html: str) -> tuple[str, list[str]]:
    """The text as Markdown, and what was dropped from it."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    while converter.links:  # an <a> never closed
        converter.handle_endtag("a")
    converter.flush()
    return "\n\n".join(converter.blocks), converter.dropped


class _Words(HTMLParser):
    """Only the words: for a headline, which is plain text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.dropped: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            if not self.skipping:
                self.dropped.append(f"a <{tag}> element was left out: imported text keeps no HTML")
            self.skipping += 1
        elif tag in _VOID or tag in _BLOCKS:
            self.words.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.words.append(data)


def html_to_text(html: str) -> tuple[str, list[str]]:
    """The words of an HTML fragment on one line (for titles), and what was dropped from it."""
    parser = _Words()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.words).split()), parser.dropped
