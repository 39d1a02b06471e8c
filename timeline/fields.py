"""A small declarative schema: field types that turn YAML nodes into Python values.

Each type converts a node, reporting every problem with its position and the dotted path of the
field, and describes itself as JSON Schema, so the validator and the editor schema come from one
definition.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from timeline.diagnostics import Diagnostics
from timeline.edtf import EdtfError, parse_edtf
from timeline.yamlsource import MapNode, Node, ScalarNode, SeqNode

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
_INT = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # invisible controls that reorder text
BIDI_HINT = "delete it (text copied from web pages can bring it along); right-to-left text needs no such character"
EDTF_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?[~?%]?(/\d{4}(-\d{2}(-\d{2})?)?[~?%]?)?$"


class _Invalid:
    """Marks a value that failed to convert (its problem is already reported)."""

    def __repr__(self) -> str:
        return "INVALID"


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


@dataclass
class Context:
    """What conversion of one file reports into."""

    path: str
    diagnostics: Diagnostics
    marks: dict[str, tuple[int, int]] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    text_origins: dict[str, TextOrigin] = field(default_factory=dict)

    def error(self, node: Node, where: str, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.path, node.line, node.column, message, hint, where)

    def warning(self, node: Node, where: str, message: str, hint: str = "") -> None:
        self.diagnostics.warning(self.path, node.line, node.column, message, hint, where)


def describe(node: Node) -> str:
    if isinstance(node, MapNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SeqNode):
        return "a list"
    return "an empty value" if node.is_null else f"'{_shorten(node.value)}'"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The most similar choice, if any is similar enough to be a likely typo.

    The words must also be similar once digits are set aside, so that a shared year
    ('reuters-2022', 'wire-2022') is not mistaken for a typo.
    """
    letters = _letters(word)
    for match in difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6):
        if not letters or difflib.SequenceMatcher(None, letters, _letters(match)).ratio() >= 0.6:
            return match
    return None


def _letters(word: str) -> str:
    return re.sub(r"[\d\W_]+", "", word)


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
        if self.pattern and not _compiled(self.pattern).match(value):
            ctx.error(node, where, f"{label(where)} is '{_shorten(value)}', which is not valid", self.pattern_hint)
            return INVALID
        if self.markdown:
            if node.block:
                origin = TextOrigin(node.line + 1, node.indent + 1, node.indent + 1)
            else:
                start = node.column + (0 if node.plain else 1)
                origin = TextOrigin(node.line, start, 1)
            ctx.text_origins[where] = origin
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
        return _described(schema, self.description)


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

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = super().parse(node, where, ctx)
        if value is not INVALID:
            ctx.references.append(Reference(self.kind, value, ctx.path, node.line, node.column, where))
        return value

    def json_schema(self) -> dict[str, Any]:
        return _described({"type": "string", "pattern": ID_PATTERN}, self.description or f"id of {article(self.kind)}")


@dataclass
class Url(Text):
    """An absolute http or https address."""

    def __post_init__(self) -> None:
        self.single_line = True

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = super().parse(node, where, ctx)
        if value is INVALID:
            return value
        if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#][^\s]*)?$", value):
            ctx.error(
                node,
                where,
                f"{label(where)} must be a full web address starting with https:// or http://",
                "copy the address from the browser's address bar; leave the key out if none is known",
            )
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        schema = {"type": "string", "format": "uri", "pattern": r"^https?://\S+$"}
        return _described(schema, self.description)


@dataclass
class Date(Scalar):
    """A date of the EDTF subset: YYYY, YYYY-MM, YYYY-MM-DD, with ~ ? % and a/b intervals."""

    description: str = ""
    expected: str = "a date"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        try:
            return parse_edtf(node.value)
        except EdtfError as exc:
            ctx.error(node, where, f"{label(where)} is not a valid date: {exc}", exc.hint or self.example())
            return INVALID

    def example(self) -> str:
        return "write YYYY-MM-DD (2022-07-03), YYYY-MM or YYYY; add ~ if approximate, ? if uncertain"

    def json_schema(self) -> dict[str, Any]:
        # YAML 1.2 editors read a bare year (date: 2014) as a number
        year = {"type": "integer", "minimum": 1000, "maximum": 9999}
        return _described({"anyOf": [{"type": "string", "pattern": EDTF_PATTERN}, year]}, self.description)


@dataclass
class Integer(Scalar):
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    expected: str = "a whole number"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        if not _INT.match(node.value.strip()):
            ctx.error(node, where, f"{label(where)} should be a whole number, but it is {describe(node)}", self.example())
            return INVALID
        return _in_range(int(node.value), self.minimum, self.maximum, node, where, ctx)

    def example(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"write a number from {self.minimum} to {self.maximum}"
        return "write a number such as 3"

    def json_schema(self) -> dict[str, Any]:
        return _described(_bounds({"type": "integer"}, self.minimum, self.maximum), self.description)


@dataclass
class Number(Scalar):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    expected: str = "a number"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        text = node.value.strip().replace("_", "")
        if not _NUMBER.match(text):
            hint = "write digits only, with a dot for decimals: 26700 or 48.9"
            ctx.error(node, where, f"{label(where)} should be a number, but it is {describe(node)}", hint)
            return INVALID
        value = float(text)
        if not math.isfinite(value):
            ctx.error(node, where, f"{label(where)} is {describe(node)}, a number too large to use", "check the number")
            return INVALID
        number: int | float = int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
        return _in_range(number, self.minimum, self.maximum, node, where, ctx)

    def json_schema(self) -> dict[str, Any]:
        return _described(_bounds({"type": "number"}, self.minimum, self.maximum), self.description)


def _in_range(value: float, low: float | None, high: float | None, node: Node, where: str, ctx: Context) -> Any:
    if (low is not None and value < low) or (high is not None and value > high):
        hint = f"write a number from {_number(low)} to {_number(high)}"
        ctx.error(node, where, f"{label(where)} is {value}, outside the allowed range {_number(low)} to {_number(high)}", hint)
        return INVALID
    return value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _bounds(schema: dict[str, Any], low: float | None, high: float | None) -> dict[str, Any]:
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


@dataclass
class Choice(Scalar):
    """One of a fixed set of words."""

    choices: dict[str, str] = field(default_factory=dict)  # value -> what it means
    description: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = node.value.strip()
        if value in self.choices:
            return value
        guess = closest(value, self.choices)
        hint = f"did you mean '{guess}'? " if guess else ""
        ctx.error(node, where, f"{label(where)} is {describe(node)}, which is not allowed", hint + f"use {self.expected}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        meanings = "; ".join(f"{k}: {v}" for k, v in self.choices.items())
        return _described({"type": "string", "enum": list(self.choices)}, f"{self.description}: {meanings}")


@dataclass
class ListOf(FieldType):
    item: FieldType
    description: str = ""
    min_items: int = 0
    unique: bool = False

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "a list"

    def convert(self, node: Node, where: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and not node.is_null and isinstance(self.item, Scalar):
            hint = f"write a list, even of one item: [{node.value.strip()}]"
            ctx.error(node, where, f"{label(where)} should be a list, but it is {describe(node)}", hint)
            return INVALID
        if not isinstance(node, SeqNode):
            ctx.error(node, where, f"{label(where)} should be a list, but it is {describe(node)}", _list_hint(where))
            return INVALID
        ctx.marks[where] = (node.line, node.column)
        values: list[Any] = []
        seen: dict[str, int] = {}
        for index, child in enumerate(node.items):
            value = self.item.convert(child, sys.intern(f"{where}[{index}]"), ctx)
            if value is INVALID:
                continue
            if self.unique and isinstance(value, str):
                if value in seen:
                    ctx.error(child, f"{where}[{index}]", f"'{value}' is listed twice in {label(where)}", "remove one")
                    continue
                seen[value] = index
            values.append(value)
        if len(node.items) < self.min_items:
            plural = "s" if self.min_items > 1 else ""
            ctx.error(node, where, f"{label(where)} needs at least {self.min_items} item{plural}", _list_hint(where))
            return INVALID
        return values

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.unique:
            schema["uniqueItems"] = True
        return _described(schema, self.description)


def _list_hint(where: str) -> str:
    name = where.rsplit(".", 1)[-1].split("[", maxsplit=1)[0] or "items"
    return f"write `{name}: [first, second]` or one `- item` per line"


@dataclass
class Field:
    type: FieldType
    required: bool = False

    @property
    def description(self) -> str:
        if isinstance(self.type, Choice):
            return f"{self.type.description}: {self.type.expected}"
        return self.type.description


@dataclass
class Record(FieldType):
    """A mapping with a fixed set of keys."""

    name: str
    fields: dict[str, Field]
    description: str = ""
    check: Callable[[dict[str, Any], MapNode, str, Context], None] | None = None
    expected: str = "a mapping of `key: value` lines"

    def __post_init__(self) -> None:
        # Converted records use these key strings, not the ones read from each file: with 100,000 events,
        # one copy of "summary" instead of 100,000. Field paths are interned for the same reason.
        self._names = {name: name for name in self.fields}

    def convert(self, node: Node, where: str, ctx: Context) -> Any:
        if not isinstance(node, MapNode):
            keys = ", ".join(f"`{k}`" for k, f in self.fields.items() if f.required)
            ctx.error(
                node,
                where,
                f"{label(where)} should be {self.name} (a mapping of `key: value` lines), but it is {describe(node)}",
                f"{self.name} needs the keys {keys}" if keys else "",
            )
            return INVALID
        ctx.marks[where] = (node.line, node.column)
        result: dict[str, Any] = {}
        guessed: set[str] = set()
        for key, child in node.items:
            at = sys.intern(f"{where}.{key.value}" if where else key.value)
            spec = self.fields.get(key.value)
            if spec is None:
                guess = closest(key.value, self.fields)
                hint = f"did you mean '{guess}'?" if guess else "allowed keys: " + ", ".join(self.fields)
                ctx.error(key, at, f"unknown key '{key.value}' in {self.name}", hint)
                guessed.add(guess or "")
                continue
            if isinstance(child, ScalarNode) and child.is_null and not spec.required:
                continue  # an optional key left empty means "not given"
            value = spec.type.convert(child, at, ctx)
            if value is not INVALID:
                result[self._names[key.value]] = value
        present = {key.value for key, _ in node.items}
        for name, spec in self.fields.items():
            if spec.required and name not in present and name not in guessed:
                at = f"{where}.{name}" if where else name
                ctx.error(node, at, f"{self.name} is missing the required key '{name}'", f"add `{name}:` ({spec.description})")
        if self.check:
            self.check(result, node, where, ctx)
        return result

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {name: spec.type.json_schema() for name, spec in self.fields.items()},
            "additionalProperties": False,
        }
        required = [name for name, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        return _described(schema, self.description)


@dataclass
class Registry(FieldType):
    """A file of `id: record` entries (actors, places, sources, tags, episodes)."""

    record: Record
    description: str = ""

    def convert(self, node: Node, where: str, ctx: Context) -> Any:
        if not isinstance(node, MapNode):
            noun = self.record.name.split(" ", 1)[-1]
            ctx.error(
                node,
                where,
                f"the file should be a mapping of ids to {noun} entries, but it is {describe(node)}",
                "start each entry with its id at the left margin, e.g. `shoigu:` then indented keys",
            )
            return INVALID
        entries: dict[str, Any] = {}
        id_type = Identifier(description="id")
        for key, child in node.items:
            if not _ID.match(key.value):
                ctx.error(key, key.value, f"the id '{_shorten(key.value)}' is not valid", id_type.pattern_hint)
                continue
            value = self.record.convert(child, key.value, ctx)
            if value is not INVALID:
                entries[key.value] = value
        return entries

    def json_schema(self) -> dict[str, Any]:
        return _described(
            {
                "type": "object",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": self.record.json_schema(),
            },
            self.description,
        )


def _described(schema: dict[str, Any], description: str) -> dict[str, Any]:
    if description:
        schema["description"] = description
    return schema
