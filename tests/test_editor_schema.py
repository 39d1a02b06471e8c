"""The JSON Schema for editors: generated from the content model, current, and right about real content."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import ROOT
from timeline.diagnostics import Diagnostics
from timeline.editor_schema import SCHEMA_DIR, editor_value, modeline, schema_for, schemas
from timeline.yamlsource import load_yaml_file, parse_yaml

CONTENT = ROOT / "content"


def content_files() -> list[Path]:
    return sorted(p for p in CONTENT.rglob("*.yaml") if SCHEMA_DIR not in p.parts)


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((CONTENT / SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_are_current() -> None:
    committed = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (CONTENT / SCHEMA_DIR).glob("*.json")}
    assert committed == schemas(), "run `timeline schema` and commit content/.schema/"


@pytest.mark.parametrize("path", content_files(), ids=lambda p: p.relative_to(CONTENT).as_posix())
def test_real_content_satisfies_its_schema_and_names_it(path: Path) -> None:
    name = schema_for(path, CONTENT)
    assert name is not None
    node = load_yaml_file(path, str(path), Diagnostics())
    assert node is not None
    errors = [e.message for e in validator(name).iter_errors(editor_value(node))]
    assert errors == []
    assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(path, CONTENT)


@pytest.mark.parametrize(
    ("name", "text", "fragment"),
    [
        ("event.json", "date: 2022-07-03\ntitle: x\nsummary: y\nsources: [a]\ntitel: z\n", "Additional properties"),
        ("event.json", "date: 2022-07-03\ntitle: x\nsummary: y\nsources: []\n", "should be non-empty"),
        ("event.json", "date: yesterday\ntitle: x\nsummary: y\nsources: [a]\n", "is not valid under any"),
        ("event.json", "date: 2022-07-03\ntitle: x\nsummary: y\nsources: [a]\nimportance: 5\n", "maximum"),
        ("event.json", "date: 2022-07-03\ntitle: x\nsummary: y\nsources: [a]\ntags: military\n", "is not of type 'array'"),
        ("actors.json", "shoigu:\n  name: S\n  kind: human\n  side: russia\n", "is not one of"),
        (
            "sources.json",
            "a:\n  url: ftp://x.org\n  title: t\n  publisher: p\n  published: 2022\n  language: en\n",
            "does not match",
        ),
        ("tags.json", "Bad_Id:\n  label: l\n  description: d\n", "does not match"),
    ],
)
def test_schema_rejects_mistakes_a_schema_can_catch(name: str, text: str, fragment: str) -> None:
    node = parse_yaml(text, "test.yaml", Diagnostics())
    assert node is not None
    messages = " | ".join(e.message for e in validator(name).iter_errors(editor_value(node)))
    assert fragment in messages


def test_field_reference_is_current() -> None:
    from timeline.editor_schema import REFERENCE_PATH, field_reference

    committed = (ROOT / REFERENCE_PATH).read_text(encoding="utf-8")
    assert committed == field_reference(), "run `timeline schema` and commit docs/fields.md"
    assert "`claims[].sources[].quote`" in committed
