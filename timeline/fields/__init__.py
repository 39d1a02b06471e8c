"""A small declarative schema: field types that turn YAML nodes into Python values.

Each type converts a node, reporting every problem with its position and the dotted path of the
field, and describes itself as JSON Schema, so the validator and the editor schema come from one
definition. One module per family: `base` (what all share), `text`, `values` (dates, numbers,
choices), `records` (lists, records, registries) and `suggest` (did-you-mean).
"""

from timeline.fields.base import (
    EVENT_ID_PATTERN,
    ID_PATTERN,
    INVALID,
    Context,
    FieldType,
    Reference,
    Scalar,
    TextOrigin,
    article,
    describe,
    label,
)
from timeline.fields.records import Field, ListOf, Record, Registry
from timeline.fields.suggest import closest
from timeline.fields.text import BIDI_CONTROLS, BIDI_HINT, Identifier, Ref, Text, TimeZone, Url
from timeline.fields.values import EDTF_PATTERN, Choice, Date, Integer, Number
from timeline.yamlsource import MapNode

__all__ = [
    "BIDI_CONTROLS",
    "BIDI_HINT",
    "EDTF_PATTERN",
    "EVENT_ID_PATTERN",
    "ID_PATTERN",
    "INVALID",
    "Choice",
    "Context",
    "Date",
    "Field",
    "FieldType",
    "Identifier",
    "Integer",
    "ListOf",
    "MapNode",
    "Number",
    "Record",
    "Ref",
    "Reference",
    "Registry",
    "Scalar",
    "Text",
    "TextOrigin",
    "TimeZone",
    "Url",
    "article",
    "closest",
    "describe",
    "label",
]
