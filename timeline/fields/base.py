"""What every field type shares: the context conversion reports into, the INVALID marker, small helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from timeline.diagnostics import Diagnostics
from timeline.fields.positions import Anchor, anchored_position
from timeline.yamlsource import MapNode, Node, ScalarNode, SeqNode

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
EVENT_ID_PATTERN = r"^-?[a-z0-9]+(-[a-z0-9]+)*$"  # an event's id starts with its date: -0043-03-15-… before 1 BCE


class _Invalid:
    """Marks a value that failed to convert (its problem is already reported)."""

    def __repr__(self) -> str:
        return "INVALID"

    def __reduce__(self) -> str:
        return "INVALID"  # unpickled (from the cache, from a worker) as the one INVALID, which is tested with `is`


INVALID: Any = _Invalid()


class Reference(NamedTuple):
    """A use of an id of another kind of record, kept to check it once everything is loaded."""

    kind: str
    value: str
    path: str
    line: int
    column: int
    field: str


class TextOrigin(NamedTuple):
    """Where the text of a Markdown field starts in its file, to place problems found inside the text."""

    line: int  # line of the text's first line
    first_column: int  # column of the text's first character
    column: int  # column where each later line's text starts (a block's indentation + 1)
    anchors: tuple[Anchor, ...] = ()  # for text not copied line for line from the file (see fields.positions)

    def locate(self, text: str, line: int, column: int) -> tuple[int, int]:
        """File position of the character at `line` and `column` (0-based, lines as str.splitlines splits them)."""
        if self.anchors:
            before = text.splitlines(keepends=True)[:line]
            return anchored_position(self.anchors, sum(map(len, before)) + column)
        return self.line + line, (self.first_column if line == 0 else self.column) + column


@dataclass
class Context:
    """What conversion of one file reports into."""

    path: str
    diagnostics: Diagnostics
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    text_origins: dict[str, TextOrigin] = field(default_factory=dict)
    source: str | None = None  # the file's text, to place what is found inside values that are not copied verbatim
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The file's lines, split once and only when a value needs them."""
        if self._lines is None:
            self._lines = (self.source or "").splitlines()
        return self._lines

    def error(self, node: Node, where: str, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, node.line, node.column, message, hint, where)

    def warning(self, node: Node, where: str, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.path, node.line, node.column, message, hint, where)


def describe(node: Node) -> str:
    if isinstance(node, MapNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SeqNode):
        return "a list"
    return "an empty value" if node.is_null else f"'{shorten(node.value)}'"


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def article(noun: str) -> str:
    """'an actor', 'a place'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def label(where: str) -> str:
    return f"'{where}'" if where else "the file"


class FieldType:
    """Base of all field types."""

    description: str = ""
    expected: str = "a value"

    def convert(self, node: Node, where: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError


class Scalar(FieldType):
    """A single value written on one line or as a block; always arrives as a string."""

    def convert(self, node: Node, where: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode):
            ctx.error(node, where, f"{label(where)} should be {self.expected}, but it is {describe(node)}", self.example())
            return INVALID
        ctx.marks[where] = (node.line, node.column)
        return self.parse(node, where, ctx)

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        raise NotImplementedError

    def example(self) -> str:
        return ""


def described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    if description:
        schema["description"] = description
    return schema
