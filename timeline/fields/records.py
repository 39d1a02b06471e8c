"""Fields made of other fields: lists, records with fixed keys, registries of id -> record."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from timeline.fields.base import ID_PATTERN, ID_RE, INVALID, Context, FieldType, Scalar, describe, described, label, shorten
from timeline.fields.suggest import closest
from timeline.fields.text import Identifier
from timeline.fields.values import Choice
from timeline.yamlsource import MapNode, Node, ScalarNode, SeqNode


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
        return described(schema, self.description)


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
        return described(schema, self.description)


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
            if not ID_RE.fullmatch(key.value):
                shown = key.value if len(key.value) <= 40 else shorten(key.value)  # whitespace kept: it may be the fault
                ctx.error(key, key.value, f"the id '{shown}' is not valid", id_type.pattern_hint)
                continue
            value = self.record.convert(child, key.value, ctx)
            if value is not INVALID:
                entries[key.value] = value
        return entries

    def json_schema(self) -> dict[str, Any]:
        return described(
            {
                "type": "object",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": self.record.json_schema(),
            },
            self.description,
        )
