"""JSON Schema for editors, generated from the content model in timeline/schema.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from timeline.render import dump_json
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
    """Write the schemas into content/.schema/; returns the files whose bytes changed."""
    folder = content / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in schemas().items():
        path = folder / name
        text = dump_json(schema, indent=2) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
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
    if _YAML12_INT.match(node.value):
        return int(node.value)
    if _YAML12_FLOAT.match(node.value):
        return float(node.value)
    return node.value
