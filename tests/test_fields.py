"""Field types: conversion, error messages and hints, JSON Schema fragments."""

from __future__ import annotations

import re
from typing import Any

import pytest

from timeline.diagnostics import Diagnostics
from timeline.edtf import EdtfDate, EdtfPoint
from timeline.fields import (
    ID_PATTERN,
    INVALID,
    Choice,
    Context,
    Date,
    Field,
    FieldType,
    Identifier,
    Integer,
    ListOf,
    Number,
    Record,
    Ref,
    Reference,
    Registry,
    Text,
    TextOrigin,
    Url,
    closest,
    describe,
)
from timeline.yamlsource import MapNode, Node, parse_yaml


def node_of(text: str) -> Node:
    """The node of `v:` in `v: <text>` (text may span lines)."""
    root = parse_yaml(f"v: {text}\n", "f.yaml", Diagnostics())
    assert isinstance(root, MapNode)
    return root.items[0][1]


def convert(ftype: FieldType, text: str, where: str = "v") -> tuple[Any, list[str], Context]:
    ctx = Context("f.yaml", Diagnostics())
    value = ftype.convert(node_of(text), where, ctx)
    return value, [d.format_text() for d in ctx.diagnostics.items], ctx


def ok(ftype: FieldType, text: str) -> Any:
    value, problems, _ = convert(ftype, text)
    assert problems == []
    return value


def problem(ftype: FieldType, text: str, where: str = "v") -> str:
    value, problems, _ = convert(ftype, text, where)
    assert value is INVALID
    assert len(problems) == 1
    return problems[0]


# Text


def test_text_is_stripped() -> None:
    assert ok(Text(), "  Lysychansk falls  ") == "Lysychansk falls"
    assert ok(Text(), "'  quoted  '") == "quoted"


@pytest.mark.parametrize(("text", "column"), [('""', 4), ("''", 4), ("", 3), ("~", 4), ("'   '", 4), ("|\n  \n", 4)])
def test_empty_text(text: str, column: int) -> None:
    assert problem(Text(), text, "title") == (
        f"f.yaml:1:{column}: error: 'title' is empty\n  hint: write the text, or remove the key if it is optional"
    )


def test_quoted_null_word_is_text() -> None:
    assert ok(Text(), '"null"') == "null"


def test_text_given_a_list_or_mapping() -> None:
    assert problem(Text(), "[a, b]", "title") == "f.yaml:1:4: error: 'title' should be text, but it is a list"
    assert problem(Text(), "{a: b}", "title") == (
        "f.yaml:1:4: error: 'title' should be text, but it is a mapping (key: value lines)"
    )
    assert problem(Text(markdown=True), "[a]", "summary").endswith("'summary' should be Markdown text, but it is a list")


def test_single_line_text() -> None:
    assert ok(Text(single_line=True), ">\n  folded\n  onto one line\n") == "folded onto one line"
    assert problem(Text(single_line=True), "|\n  one\n  two\n", "title") == (
        "f.yaml:1:4: error: 'title' must fit on one line\n  hint: join the lines into one"
    )


def test_text_pattern() -> None:
    language = Text(pattern=r"^[a-z]{2}$", pattern_hint="a two-letter code")
    assert ok(language, "en") == "en"
    assert problem(language, "English", "language") == (
        "f.yaml:1:4: error: 'language' is 'English', which is not valid\n  hint: a two-letter code"
    )


def test_markdown_keeps_inner_lines_and_records_where_the_text_starts() -> None:
    value, problems, ctx = convert(Text(markdown=True), "|\n  first\n\n  second\n", "summary")
    assert problems == []
    assert value == "first\n\nsecond"
    assert ctx.marks["summary"] == (1, 4)
    assert ctx.text_origins["summary"] == TextOrigin(line=2, first_column=3, column=3)
    _, _, ctx = convert(Text(markdown=True), "plain text here", "summary")
    assert ctx.text_origins["summary"] == TextOrigin(line=1, first_column=4, column=1)
    _, _, ctx = convert(Text(markdown=True), "'quoted text'", "summary")
    assert ctx.text_origins["summary"] == TextOrigin(line=1, first_column=5, column=1)


def test_quote_word_limit() -> None:
    quote = Text(max_words=40)
    assert ok(quote, " ".join(["word"] * 36)) == " ".join(["word"] * 36)
    assert problem(quote, " ".join(["word"] * 41), "quote") == (
        "f.yaml:1:4: error: 'quote' has 41 words; at most 40 are allowed\n"
        "  hint: quote only the actor's key words; join verbatim pieces with '...'"
    )
    value, problems, ctx = convert(quote, " ".join(["word"] * 37), "quote")
    assert value == " ".join(["word"] * 37)
    assert problems == ["f.yaml:1:4: warning: 'quote' has 37 words, close to the limit of 40\n  hint: shorter quotes read better"]
    assert ctx.diagnostics.errors == []


def test_text_schema() -> None:
    assert Text().json_schema() == {"type": "string", "minLength": 1}
    assert Text(description="d", single_line=True).json_schema() == {
        "type": "string",
        "minLength": 1,
        "pattern": r"^[^\n]*\S[^\n]*$",
        "description": "d",
    }
    assert Text(max_words=40).json_schema()["maxLength"] == 1200
    assert Text(pattern="^x$").json_schema()["pattern"] == "^x$"


# Identifier and Ref


@pytest.mark.parametrize("text", ["shoigu", "fall-2022", "2022-07-03-lysychansk-claim", "a1-b2"])
def test_valid_ids(text: str) -> None:
    assert ok(Identifier(), text) == text


@pytest.mark.parametrize("text", ["Shoigu", "fall_2022", "a--b", "-a", "a-", "a b", "шойгу"])
def test_invalid_ids(text: str) -> None:
    assert problem(Identifier(), text, "id") == (
        f"f.yaml:1:4: error: 'id' is '{text}', which is not valid\n"
        "  hint: ids use lowercase letters, digits and single hyphens, e.g. 'battle-of-lysychansk'"
    )


def test_ref_records_the_reference_with_its_position() -> None:
    value, problems, ctx = convert(Ref(kind="actor"), "shoigu", "claims[0].by")
    assert (value, problems) == ("shoigu", [])
    assert ctx.references == [Reference("actor", "shoigu", "f.yaml", 1, 4, "claims[0].by")]


def test_ref_with_an_invalid_id_records_nothing() -> None:
    value, problems, ctx = convert(Ref(kind="actor"), "Shoigu", "by")
    assert value is INVALID
    assert len(problems) == 1
    assert ctx.references == []


def test_ref_schema() -> None:
    assert Ref(kind="tag").json_schema() == {"type": "string", "pattern": ID_PATTERN, "description": "id of a tag"}
    assert Ref(kind="tag", description="x").json_schema()["description"] == "x"


@pytest.mark.parametrize(("kind", "article"), [("actor", "an"), ("episode", "an"), ("event", "an"), ("place", "a")])
def test_ref_schema_description_uses_the_right_article(kind: str, article: str) -> None:
    """Descriptions use the right article: an actor, a place."""
    assert Ref(kind=kind).json_schema()["description"] == f"id of {article} {kind}"


# Url


@pytest.mark.parametrize(
    "text",
    ["https://example.org", "http://example.org/a/b?c=d#e", "https://www.bbc.co.uk/news/world-europe-62024633"],
)
def test_valid_urls(text: str) -> None:
    assert ok(Url(), text) == text


@pytest.mark.parametrize(
    "text",
    [
        "ftp://example.org/file",
        "javascript:alert(1)",
        "example.org/page",
        "//example.org/page",
        "https://localhost/page",
        "https://exa mple.org",
        "mailto:someone@example.org",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_invalid_urls(text: str) -> None:
    assert problem(Url(), f"'{text}'", "url") == (
        "f.yaml:1:4: error: 'url' must be a full web address starting with https:// or http://\n"
        "  hint: copy the address from the browser's address bar; leave the key out if none is known"
    )


def test_url_must_be_one_line() -> None:
    assert "must fit on one line" in problem(Url(), "|\n  https://example.org/a\n  b\n")


def test_url_schema() -> None:
    assert Url(description="d").json_schema() == {
        "type": "string",
        "format": "uri",
        "pattern": r"^https?://\S+$",
        "description": "d",
    }


# Date


def test_date_converts_to_edtf() -> None:
    assert ok(Date(), "2022-07-03") == EdtfDate(EdtfPoint(2022, 7, 3))
    assert ok(Date(), "2014") == EdtfDate(EdtfPoint(2014))
    assert ok(Date(), "2022-07-01/2022-07-04").end == EdtfPoint(2022, 7, 4)


def test_bad_date_says_why_and_shows_the_format() -> None:
    assert problem(Date(), "2022-02-30", "date") == (
        "f.yaml:1:4: error: 'date' is not a valid date: '2022-02-30' has day 30, but February 2022 has 28 days\n"
        "  hint: write YYYY-MM-DD (2022-07-03), YYYY-MM or YYYY (-0043 for 44 BCE); add ~ if approximate, ? if uncertain"
    )


def test_date_given_a_list() -> None:
    assert problem(Date(), "[2022, 2023]", "date") == (
        "f.yaml:1:4: error: 'date' should be a date, but it is a list\n"
        "  hint: write YYYY-MM-DD (2022-07-03), YYYY-MM or YYYY (-0043 for 44 BCE); add ~ if approximate, ? if uncertain"
    )


def test_date_schema_accepts_the_subset_and_a_bare_year() -> None:
    schema = Date(description="d").json_schema()
    assert schema["description"] == "d"
    string, year, bce = schema["anyOf"]
    assert year == {"type": "integer", "minimum": 1000, "maximum": 9999}
    assert bce == {"type": "integer", "minimum": -9999, "maximum": -1}  # a bare -0043, which YAML 1.2 reads as -43
    pattern = re.compile(string["pattern"])
    for text in ["2022", "2022-07", "2022-07-03~", "2022-06?/2022-07%", "-0043-03-15", "-0049/0050~", "0000"]:
        assert pattern.match(text)
    for text in ["22", "2022-7", "yesterday", "2022-07-03T10:00", "-44", "--0043", "-10000"]:
        assert not pattern.match(text)


# Integer


@pytest.mark.parametrize(("text", "number"), [("3", 3), ("+2", 2), ("01", 1), ('"2"', 2)])
def test_integer(text: str, number: int) -> None:
    value = ok(Integer(minimum=1, maximum=3), text)
    assert value == number
    assert type(value) is int


@pytest.mark.parametrize("text", ["high", "2.5", "3.0", "1e0", "three", "[3]"])
def test_integer_not_a_whole_number(text: str) -> None:
    message = problem(Integer(minimum=1, maximum=3), text, "importance")
    if text == "[3]":
        assert message == (
            "f.yaml:1:4: error: 'importance' should be a whole number, but it is a list\n  hint: write a number from 1 to 3"
        )
    else:
        assert message == (
            f"f.yaml:1:4: error: 'importance' should be a whole number, but it is '{text}'\n  hint: write a number from 1 to 3"
        )


def test_integer_without_bounds_hint() -> None:
    assert problem(Integer(), "x").endswith("  hint: write a number such as 3")


@pytest.mark.parametrize("text", ["0", "4", "-1", "99999999999999999999"])
def test_integer_out_of_range(text: str) -> None:
    assert problem(Integer(minimum=1, maximum=3), text, "importance").split("\n")[0] == (
        f"f.yaml:1:4: error: 'importance' is {int(text)}, outside the allowed range 1 to 3"
    )


def test_out_of_range_has_a_hint() -> None:
    """A value out of range says what to write instead."""
    assert problem(Integer(minimum=1, maximum=3), "5", "importance") == (
        "f.yaml:1:4: error: 'importance' is 5, outside the allowed range 1 to 3\n  hint: write a number from 1 to 3"
    )
    assert problem(Number(minimum=-90, maximum=90), "148.9", "latitude") == (
        "f.yaml:1:4: error: 'latitude' is 148.9, outside the allowed range -90 to 90\n  hint: write a number from -90 to 90"
    )


def test_integer_schema() -> None:
    assert Integer(description="d", minimum=1, maximum=3).json_schema() == {
        "type": "integer",
        "minimum": 1,
        "maximum": 3,
        "description": "d",
    }
    assert Integer().json_schema() == {"type": "integer"}


# Number


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        ("48.9167", 48.9167, float),
        ("3", 3, int),
        ("-38", -38, int),
        ("26_700", 26700, int),
        ("1e3", 1000.0, float),
        (".5", 0.5, float),
        ("5.", 5.0, float),
        ("'7'", 7, int),
    ],
)
def test_number(text: str, number: float, kind: type) -> None:
    value = ok(Number(), text)
    assert value == number
    assert type(value) is kind


@pytest.mark.parametrize("text", ["3,000", "about 3", "nan", ".inf", "inf", "1/2", "0x10", "~"])
def test_not_a_number(text: str) -> None:
    shown = "an empty value" if text == "~" else f"'{text}'"
    assert problem(Number(), text, "value") == (
        f"f.yaml:1:4: error: 'value' should be a number, but it is {shown}\n"
        "  hint: write digits only, with a dot for decimals: 26700 or 48.9"
    )


@pytest.mark.parametrize("text", ["1e400", "-1e400"])
def test_number_too_large_for_a_float_is_refused(text: str) -> None:
    """A number too large for a float (it would be infinite, and `Infinity` is not JSON) is refused."""
    value, problems, _ = convert(Number(), text, "value")
    assert value is INVALID
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:1:4: error: 'value' ")


def test_number_range() -> None:
    assert ok(Number(minimum=-90, maximum=90), "-90") == -90
    assert problem(Number(minimum=-90, maximum=90), "90.5", "latitude").split("\n")[0] == (
        "f.yaml:1:4: error: 'latitude' is 90.5, outside the allowed range -90 to 90"
    )


def test_number_schema() -> None:
    assert Number(minimum=-90, maximum=90).json_schema() == {"type": "number", "minimum": -90, "maximum": 90}


# Choice

STATUS = Choice({"claimed": "asserted", "confirmed": "confirmed by others", "denied": "denied"}, description="status")


def test_choice() -> None:
    assert ok(STATUS, "confirmed") == "confirmed"
    assert ok(STATUS, " denied ") == "denied"


def test_choice_typo_gets_did_you_mean() -> None:
    assert problem(STATUS, "confirmd", "status") == (
        "f.yaml:1:4: error: 'status' is 'confirmd', which is not allowed\n"
        "  hint: did you mean 'confirmed'? use one of claimed, confirmed, denied"
    )


def test_choice_without_close_match_lists_the_choices() -> None:
    assert problem(STATUS, "maybe", "status") == (
        "f.yaml:1:4: error: 'status' is 'maybe', which is not allowed\n  hint: use one of claimed, confirmed, denied"
    )


def test_choice_is_case_sensitive() -> None:
    assert "did you mean 'confirmed'?" in problem(STATUS, "Confirmed")


def test_choice_schema() -> None:
    assert STATUS.json_schema() == {
        "type": "string",
        "enum": ["claimed", "confirmed", "denied"],
        "description": "status: claimed: asserted; confirmed: confirmed by others; denied: denied",
    }


# ListOf

TAGS = ListOf(Ref(kind="tag"), description="tags", unique=True)


def test_list_of_refs() -> None:
    value, problems, ctx = convert(TAGS, "[control, military]", "tags")
    assert (value, problems) == (["control", "military"], [])
    assert [(r.value, r.column, r.field) for r in ctx.references] == [("control", 5, "tags[0]"), ("military", 14, "tags[1]")]
    assert ctx.marks["tags"] == (1, 4)


def test_block_list() -> None:
    assert ok(TAGS, "\n  - control\n  - military\n") == ["control", "military"]


def test_text_where_a_list_is_expected() -> None:
    assert problem(TAGS, "military", "tags") == (
        "f.yaml:1:4: error: 'tags' should be a list, but it is 'military'\n  hint: write a list, even of one item: [military]"
    )


def test_mapping_where_a_list_is_expected() -> None:
    assert problem(TAGS, "{a: b}", "tags") == (
        "f.yaml:1:4: error: 'tags' should be a list, but it is a mapping (key: value lines)\n"
        "  hint: write `tags: [first, second]` or one `- item` per line"
    )


def test_unique_list_reports_the_second_occurrence() -> None:
    value, problems, _ = convert(TAGS, "[control, military, control]", "tags")
    assert value == ["control", "military"]
    assert problems == ["f.yaml:1:24: error: 'control' is listed twice in 'tags' (field: tags[2])\n  hint: remove one"]


def test_list_keeps_the_good_items_and_reports_the_bad() -> None:
    value, problems, _ = convert(TAGS, "[control, Bad_Id, ~, military]", "tags")
    assert value == ["control", "military"]
    assert [p.split(": error: ")[1].split("\n")[0] for p in problems] == [
        "'tags[1]' is 'Bad_Id', which is not valid",
        "'tags[2]' is empty",
    ]


def test_min_items() -> None:
    sources = ListOf(Ref(kind="source"), min_items=1, unique=True)
    assert problem(sources, "[]", "sources") == (
        "f.yaml:1:4: error: 'sources' needs at least 1 item\n  hint: write `sources: [first, second]` or one `- item` per line"
    )
    assert problem(ListOf(Text(), min_items=2), "[a]", "names").split("\n")[0].endswith("'names' needs at least 2 items")


def test_list_schema() -> None:
    schema = ListOf(Ref(kind="tag"), description="d", min_items=1, unique=True).json_schema()
    assert schema == {
        "type": "array",
        "items": {"type": "string", "pattern": ID_PATTERN, "description": "id of a tag"},
        "minItems": 1,
        "uniqueItems": True,
        "description": "d",
    }
    assert ListOf(Text()).json_schema() == {"type": "array", "items": {"type": "string", "minLength": 1}}


# Record

CHECKED: list[dict[str, Any]] = []
PERSON = Record(
    "a person",
    {
        "name": Field(Text(description="the name"), True),
        "role": Field(Text(description="the role")),
        "born": Field(Date(description="birth date")),
        "tags": Field(TAGS),
    },
    description="someone",
    check=lambda value, node, where, ctx: CHECKED.append(value),
)


def test_record_converts_every_field() -> None:
    CHECKED.clear()
    value = ok(PERSON, "{name: Shoigu, role: minister, born: 1955-05-21, tags: [x]}")
    assert value == {"name": "Shoigu", "role": "minister", "born": EdtfDate(EdtfPoint(1955, 5, 21)), "tags": ["x"]}
    assert [value] == CHECKED


@pytest.mark.parametrize("text", ["{name: Shoigu, role: }", "{name: Shoigu, role: ~, born: null, tags: }"])
def test_optional_null_is_absent(text: str) -> None:
    assert ok(PERSON, text) == {"name": "Shoigu"}


def test_required_null_is_an_error() -> None:
    value, problems, _ = convert(PERSON, "\n  name:\n  role: x\n")
    assert value == {"role": "x"}
    assert problems == ["f.yaml:2:8: error: 'v.name' is empty\n  hint: write the text, or remove the key if it is optional"]


def test_unknown_key_with_did_you_mean() -> None:
    assert convert(PERSON, "\n  name: a\n  rol: b\n")[1] == [
        "f.yaml:3:3: error: unknown key 'rol' in a person (field: v.rol)\n  hint: did you mean 'role'?"
    ]


def test_unknown_key_without_close_match_lists_the_keys() -> None:
    assert convert(PERSON, "\n  name: a\n  location: b\n")[1] == [
        "f.yaml:3:3: error: unknown key 'location' in a person (field: v.location)\n  hint: allowed keys: name, role, born, tags"
    ]


def test_missing_required_key_at_the_mapping() -> None:
    value, problems, _ = convert(PERSON, "\n  role: b\n", "actors.x")
    assert value == {"role": "b"}
    assert problems == [
        "f.yaml:2:3: error: a person is missing the required key 'name' (field: actors.x.name)\n  hint: add `name:` (the name)"
    ]


def test_misspelt_required_key_is_one_error() -> None:
    """A misspelt required key gives one error (the unknown key, with its did-you-mean), not two."""
    assert convert(PERSON, "\n  nmae: a\n")[1] == [
        "f.yaml:2:3: error: unknown key 'nmae' in a person (field: v.nmae)\n  hint: did you mean 'name'?"
    ]


def test_record_given_a_list_names_the_required_keys() -> None:
    assert problem(PERSON, "[a, b]", "") == (
        "f.yaml:1:4: error: the file should be a person (a mapping of `key: value` lines), but it is a list\n"
        "  hint: a person needs the keys `name`"
    )


def test_record_schema() -> None:
    schema = PERSON.json_schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name"]
    assert list(schema["properties"]) == ["name", "role", "born", "tags"]
    assert schema["description"] == "someone"


# Registry

PEOPLE = Registry(PERSON, "people")


def test_registry_maps_ids_to_records() -> None:
    assert ok(PEOPLE, "\n  shoigu:\n    name: Sergei Shoigu\n  haidai:\n    name: Serhiy Haidai\n") == {
        "shoigu": {"name": "Sergei Shoigu"},
        "haidai": {"name": "Serhiy Haidai"},
    }


def test_registry_drops_an_entry_with_an_invalid_id() -> None:
    value, problems, _ = convert(PEOPLE, "\n  Shoigu:\n    name: a\n  haidai:\n    name: b\n")
    assert value == {"haidai": {"name": "b"}}
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:2:3: error: ")
    assert "'Shoigu'" in problems[0]


def test_registry_given_a_list() -> None:
    assert problem(PEOPLE, "[a, b]").startswith("f.yaml:1:4: error: the file should be a mapping of ids to ")


def test_registry_schema() -> None:
    schema = PEOPLE.json_schema()
    assert schema["propertyNames"] == {"pattern": ID_PATTERN}
    assert schema["additionalProperties"] == PERSON.json_schema()


# helpers


def test_closest() -> None:
    assert closest("shoigy", ["shoigu", "haidai"]) == "shoigu"
    assert closest("militray", ["control", "military"]) == "military"
    assert closest("xyz", ["shoigu", "haidai"]) is None
    assert closest("anything", []) is None


def test_closest_ignores_a_shared_year_alone() -> None:
    """A shared year alone ('reuters-2022', 'wire-2022') does not make a typo."""
    assert closest("reuters-2022", ["wire-2022", "copy-2022", "tv-2025"]) is None
    assert closest("bbc-2022", ["wire-2022", "copy-2022", "tv-2025"]) is None
    assert closest("wire-2021", ["wire-2022", "copy-2022", "tv-2025"]) == "wire-2022"


def test_describe() -> None:
    assert describe(node_of("[a]")) == "a list"
    assert describe(node_of("{a: b}")) == "a mapping (key: value lines)"
    assert describe(node_of("~")) == "an empty value"
    assert describe(node_of("'~'")) == "'~'"
    assert describe(node_of("x" * 60)) == "'" + "x" * 39 + "…'"
    assert describe(node_of("|\n  two\n  lines\n")) == "'two lines'"
