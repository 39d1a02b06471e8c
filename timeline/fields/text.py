"""Text fields: prose, one-line text, ids, references to other records, web addresses."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from timeline.fields.base import (
    EVENT_ID_PATTERN,
    ID_PATTERN,
    INVALID,
    Context,
    Reference,
    Scalar,
    TextOrigin,
    article,
    compiled,
    described,
    label,
    shorten,
)
from timeline.fields.positions import value_anchors, written_verbatim
from timeline.yamlsource import ScalarNode

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # invisible controls that reorder text
BIDI_HINT = "delete it (text copied from web pages can bring it along); right-to-left text needs no such character"


@dataclass
class Text(Scalar):
    """Text; `markdown` marks prose rendered as Markdown, `max_words` limits quotes."""

    description: str = ""
    markdown: bool = False
    single_line: bool = False
    max_words: int | None = None
    pattern: str | None = None
    pattern_hint: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "Markdown text" if self.markdown else "text"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = node.value.rstrip() if self.markdown else node.value.strip()
        if node.is_null or not value.strip():
            ctx.error(node, where, f"{label(where)} is empty", "write the text, or remove the key if it is optional")
            return INVALID
        if self.single_line and "\n" in value:
            ctx.error(node, where, f"{label(where)} must fit on one line", "join the lines into one")
            return INVALID
        control = None if value.isascii() else BIDI_CONTROLS.search(value)
        if control:
            code = f"U+{ord(control.group()):04X}"
            message = f"{label(where)} contains the invisible direction control {code}, which reorders how the text is shown"
            ctx.error(node, where, message, BIDI_HINT)
            return INVALID
        if self.pattern and not compiled(self.pattern).fullmatch(value):
            ctx.error(node, where, f"{label(where)} is '{shorten(value)}', which is not valid", self.pattern_hint)
            return INVALID
        if self.markdown:
            ctx.text_origins[where] = _origin(node, ctx)
        if self.max_words is not None:
            words = len(value.split())
            if words > self.max_words:
                ctx.error(
                    node,
                    where,
                    f"{label(where)} has {words} words; at most {self.max_words} are allowed",
                    "quote only the actor's key words; join verbatim pieces with '...'",
                )
                return INVALID
            if words > self.max_words * 0.9:
                ctx.warning(
                    node,
                    where,
                    f"{label(where)} has {words} words, close to the limit of {self.max_words}",
                    "shorter quotes read better",
                )
        return value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern:
            schema["pattern"] = self.pattern
        if self.single_line:
            schema["pattern"] = self.pattern or r"^[^\n]*\S[^\n]*$"
        if self.max_words:
            schema["maxLength"] = self.max_words * 30
        return described(schema, self.description)


def _origin(node: ScalarNode, ctx: Context) -> TextOrigin:
    """Where a Markdown value's text is in the file: line for line (a literal block, a value on one line as
    written), or through anchors (a folded block, a value that goes on over lines, escapes)."""
    if node.block and (ctx.source is None or _is_literal(ctx.lines, node)):
        return TextOrigin(node.line + 1, node.indent + 1, node.indent + 1)
    if not node.block and (ctx.source is None or written_verbatim(node, ctx.lines)):
        return TextOrigin(node.line, node.column + (0 if node.plain else 1), 1)
    return TextOrigin(node.line, node.column, 1, value_anchors(node, ctx.lines))


def _is_literal(lines: list[str], node: ScalarNode) -> bool:
    """A `|` block keeps its lines; a `>` block folds them."""
    return node.line <= len(lines) and lines[node.line - 1][node.column - 1 : node.column] == "|"


@dataclass
class Identifier(Text):
    """An id: lowercase words joined by hyphens."""

    def __post_init__(self) -> None:
        self.single_line = True
        self.pattern = ID_PATTERN
        self.pattern_hint = "ids use lowercase letters, digits and single hyphens, e.g. 'battle-of-lysychansk'"


@dataclass
class Ref(Identifier):
    """The id of a record of another kind (actor, place, source, tag, episode, event)."""

    kind: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind == "event":
            self.pattern = EVENT_ID_PATTERN

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = super().parse(node, where, ctx)
        if value is not INVALID:
            ctx.references.append(Reference(self.kind, value, ctx.path, node.line, node.column, where))
        return value

    def json_schema(self) -> dict[str, Any]:
        return described({"type": "string", "pattern": self.pattern}, self.description or f"id of {article(self.kind)}")


@dataclass
class Url(Text):
    """An absolute http or https address; `base` for the site's own address: no credentials, query or fragment."""

    base: bool = False

    def __post_init__(self) -> None:
        self.single_line = True

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = super().parse(node, where, ctx)
        if value is INVALID:
            return value
        if not re.fullmatch(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#][^\s]*)?$", value):
            ctx.error(
                node,
                where,
                f"{label(where)} must be a full web address starting with https:// or http://",
                "copy the address from the browser's address bar; leave the key out if none is known",
            )
            return INVALID
        if self.base and _base_problem(value):
            hint = "write just the scheme, host and path the site is published at, e.g. https://example.org/timeline/"
            ctx.error(node, where, f"{label(where)} {_base_problem(value)}", hint)
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        schema = {"type": "string", "format": "uri", "pattern": r"^https?://\S+$"}
        return described(schema, self.description)


def _base_problem(address: str) -> str:
    """What makes an address unfit to be the base of every page's address, if anything."""
    parts = urlsplit(address)
    if "@" in parts.netloc:
        return "holds a user name or password, which every page and feed would publish"
    if parts.query or address.rstrip().endswith("?"):
        return "has a ?query part, which cannot start the address of every page"
    if parts.fragment or "#" in address:
        return "has a #fragment, which cannot start the address of every page"
    return ""


_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*")


@dataclass
class TimeZone(Text):
    """A name from the IANA time zone database, such as Europe/Kyiv."""

    def __post_init__(self) -> None:
        self.single_line = True

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = super().parse(node, where, ctx)
        if value is INVALID or _is_time_zone(value):
            return value
        ctx.error(
            node,
            where,
            f"{label(where)} is '{shorten(value)}', which is not a time zone name",
            "use a name from the IANA time zone database, such as Europe/Kyiv or UTC",
        )
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        return described({"type": "string", "pattern": "^" + _ZONE_NAME.pattern + "$"}, self.description)


def _is_time_zone(name: str) -> bool:
    if not _ZONE_NAME.fullmatch(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return not zoneinfo.available_timezones()  # no database to ask: a well-formed name is all we can check
    return True
