"""JSON Schema for editors, generated from the content model in timeline/schema.py."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from timeline.fields import EVENT_ID_PATTERN, ID_PATTERN
from timeline.render import dump_json
from timeline.safewrite import replace_file
from timeline.schema import EVENT, PAGE, REGISTRIES, SITE
from timeline.yamlsource import MapNode, Node, SeqNode

SCHEMA_DIR = ".schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, one per kind of content file."""
    kinds: dict[str, tuple[str, Any]] = {
        "site": ("content/site.yaml", SITE),
        "event": ("content/events/YYYY/YYYY-MM-DD-slug.yaml", EVENT),
        "page": ("front matter of content/pages/*.md", PAGE),
    }
    kinds.update({name: (f"content/{name}.yaml", registry) for name, registry in REGISTRIES.items()})
    result = {}
    for name, (where, definition) in sorted(kinds.items()):
        schema = {"$schema": DIALECT, "$id": f"{name}.json", "title": where, **definition.json_schema()}
        result[f"{name}.json"] = schema
    return result


def schema_for(path: Path, content: Path) -> str | None:
    """Which schema file applies to a content file, or None."""
    relative = path.relative_to(content)
    if relative.parts[0] == "events":
        return "event.json"
    if relative.suffix == ".yaml" and len(relative.parts) == 1 and f"{relative.stem}.json" in schemas():
        return f"{relative.stem}.json"
    return None


def write_schemas(content: Path) -> list[Path]:
    """Write the schemas into content/.schema/; returns the files whose bytes changed.

    Raises UnsafePath rather than write through a link (see timeline.safewrite)."""
    changed = []
    for name, schema in schemas().items():
        relative = Path(SCHEMA_DIR) / name
        path = content / relative
        text = dump_json(schema, indent=2) + "\n"
        if os.path.islink(path) or not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(replace_file(content, relative, text))
    return changed


def modeline(path: Path, content: Path) -> str | None:
    """The `# yaml-language-server: $schema=...` line a content file should start with."""
    name = schema_for(path, content)
    if name is None:
        return None
    depth = len(path.relative_to(content).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{name}"


_YAML12_INT = re.compile(r"^[-+]?[0-9]+$")
_YAML12_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def editor_value(node: Node) -> Any:
    """A node as an editor following YAML 1.2's core schema reads it (what the JSON Schema is checked against)."""
    if isinstance(node, MapNode):
        return {key.value: editor_value(value) for key, value in node.items}
    if isinstance(node, SeqNode):
        return [editor_value(item) for item in node.items]
    if not node.plain:
        return node.value
    if node.is_null:
        return None
    if node.value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return node.value.lower() == "true"
    if _YAML12_INT.fullmatch(node.value):
        return int(node.value)
    if _YAML12_FLOAT.fullmatch(node.value):
        return float(node.value)
    return node.value


REFERENCE_PATH = Path("docs") / "fields.md"
_KIND_ORDER = ("event", "site", "episodes", "actors", "places", "sources", "tags", "page")


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return "date"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"list of {_type_name(schema['items'])}"
    if kind == "object":
        return "mapping"
    if kind == "string" and schema.get("pattern") in (ID_PATTERN, EVENT_ID_PATTERN):
        return "id"
    if kind == "string" and schema.get("format") == "uri":
        return "https:// address"
    return {"string": "text", "integer": "whole number", "number": "number"}.get(kind, kind)


def _rows(schema: dict[str, Any], prefix: str = "") -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for name, field_schema in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        item = field_schema.get("items", {})
        description = field_schema.get("description", "").replace("|", "\\|")
        rows.append(f"| `{path}` | {'yes' if name in required else ''} | {_type_name(field_schema)} | {description} |")
        if field_schema.get("type") == "object":
            rows += _rows(field_schema, f"{path}.")
        elif item.get("type") == "object":
            rows += _rows(item, f"{path}[].")
    return rows


def field_reference() -> str:
    """Every key of every content file, as Markdown tables, from the same schemas editors use."""
    all_schemas = schemas()
    lines = [
        "# Content field reference",
        "",
        "Generated by `timeline schema` from the content model (timeline/schema.py); do not edit by hand.",
        "",
    ]
    for kind in _KIND_ORDER:
        schema = all_schemas[f"{kind}.json"]
        entry: dict[str, Any] = schema["additionalProperties"] if "propertyNames" in schema else schema
        lines += [f"## {schema['title']}", "", schema.get("description", ""), ""]
        if entry is not schema:
            lines += [f"Each entry: `id:` (lowercase words joined by hyphens) then {entry.get('description', '')}.", ""]
        lines += ["| key | required | type | meaning |", "| --- | --- | --- | --- |", *_rows(entry), ""]
    return "\n".join(lines)


def write_reference(root: Path) -> bool:
    """Write docs/fields.md under `root`; True when its bytes changed. Never writes through a link."""
    path = root / REFERENCE_PATH
    text = field_reference()
    if not os.path.islink(path) and path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    replace_file(root, REFERENCE_PATH, text)
    return True
