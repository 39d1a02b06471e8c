"""The YAML loader: nodes with 1-based positions, every scalar a string, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.diagnostics import Diagnostics
from timeline.yamlsource import (
    MAX_BYTES,
    MAX_DEPTH,
    TOO_LARGE_HINT,
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    decode_utf8,
    load_yaml_file,
    parse_yaml,
)


def parse(text: str) -> tuple[Node | None, list[str]]:
    diagnostics = Diagnostics()
    node = parse_yaml(text, "f.yaml", diagnostics)
    return node, [d.format_text() for d in diagnostics]


def parsed(text: str) -> MapNode:
    node, problems = parse(text)
    assert problems == []
    assert isinstance(node, MapNode)
    return node


def value(node: MapNode, key: str) -> Node:
    matches = [child for k, child in node.items if k.value == key]
    assert len(matches) == 1
    return matches[0]


def scalar(node: MapNode, key: str) -> ScalarNode:
    child = value(node, key)
    assert isinstance(child, ScalarNode)
    return child


def refused(text: str) -> list[str]:
    node, problems = parse(text)
    assert node is None
    assert len(problems) == 1
    return problems


def test_positions_are_one_based_line_and_column() -> None:
    root = parsed("title: Lysychansk\ntags:\n  - control\n  - military\nplaces: [a, bb]\nclaim:\n  by: shoigu\n")
    assert (root.line, root.column) == (1, 1)
    title_key, title = root.items[0]
    assert (title_key.value, title_key.line, title_key.column) == ("title", 1, 1)
    assert (title.value, title.line, title.column) == ("Lysychansk", 1, 8)
    tags = value(root, "tags")
    assert isinstance(tags, SeqNode)
    assert (tags.line, tags.column) == (3, 3)  # the first `-`
    assert [(i.value, i.line, i.column) for i in tags.items if isinstance(i, ScalarNode)] == [
        ("control", 3, 5),
        ("military", 4, 5),
    ]
    places = value(root, "places")
    assert isinstance(places, SeqNode)
    assert (places.line, places.column) == (5, 9)  # the `[`
    assert [(i.line, i.column) for i in places.items] == [(5, 10), (5, 13)]
    claim = value(root, "claim")
    assert isinstance(claim, MapNode)
    assert (claim.line, claim.column) == (7, 3)
    by_key, by = claim.items[0]
    assert (by_key.line, by_key.column, by.line, by.column) == (7, 3, 7, 7)


def test_positions_of_quoted_and_block_scalars() -> None:
    root = parsed("a: 'single'\nb: \"double\"\nsummary: |\n  first\n  second\nfolded: >\n  one\n  two\n")
    a, b = scalar(root, "a"), scalar(root, "b")
    assert (a.value, a.line, a.column, a.plain, a.block) == ("single", 1, 4, False, False)
    assert (b.value, b.line, b.column, b.plain, b.block) == ("double", 2, 4, False, False)
    summary = scalar(root, "summary")
    assert (summary.value, summary.line, summary.column, summary.plain, summary.block) == ("first\nsecond\n", 3, 10, False, True)
    assert scalar(root, "folded").value == "one two\n"
    assert scalar(root, "folded").block


def test_multibyte_characters_count_as_one_column() -> None:
    root = parsed("title: Лисичанськ — Шойгу\nnext: x\nafter: «y»\n")
    assert scalar(root, "next").column == 7
    line = "after: «y»"
    assert scalar(root, "after").column == line.index("«") + 1


@pytest.mark.parametrize(
    "text",
    ["no", "yes", "on", "off", "true", "False", "2022-07-03", "1.0", "3", "0x1F", "1e3", ".inf", ".nan", "12:30", "0755", "+1"],
)
def test_every_scalar_stays_the_string_written(text: str) -> None:
    node = scalar(parsed(f"v: {text}\n"), "v")
    assert node.value == text
    assert type(node.value) is str
    assert not node.is_null


def test_no_in_a_list_is_the_word_no() -> None:
    tags = value(parsed("tags: [control, no, yes, off]\n"), "tags")
    assert isinstance(tags, SeqNode)
    assert [i.value for i in tags.items if isinstance(i, ScalarNode)] == ["control", "no", "yes", "off"]


@pytest.mark.parametrize("text", ["v:", "v: ~", "v: null", "v: Null", "v: NULL", "v:   # a comment"])
def test_plain_null_words_and_nothing_are_null(text: str) -> None:
    node = scalar(parsed(text + "\n"), "v")
    assert node.is_null
    assert node.plain


@pytest.mark.parametrize("text", ['v: "null"', "v: '~'", 'v: ""', "v: nil", "v: none"])
def test_quoted_null_words_and_other_words_are_not_null(text: str) -> None:
    assert not scalar(parsed(text + "\n"), "v").is_null


def test_duplicate_key_is_refused_at_the_second_with_the_first_line() -> None:
    assert refused("date: 2022\ntitle: a\n\ntitle: b\n") == [
        "f.yaml:4:1: error: duplicate key 'title'\n  hint: it is already set on line 2; keep one of the two"
    ]


def test_quoted_and_plain_spellings_of_a_key_are_duplicates() -> None:
    assert refused('title: a\n"title": b\n')[0].startswith("f.yaml:2:1: error: duplicate key 'title'")


def test_the_same_key_in_different_mappings_is_fine() -> None:
    root = parsed("shoigu:\n  name: a\nhaidai:\n  name: b\n")
    assert [k.value for k, _ in root.items] == ["shoigu", "haidai"]


def test_duplicate_key_in_a_nested_mapping() -> None:
    assert refused("claims:\n  - by: a\n    text: x\n    by: b\n") == [
        "f.yaml:4:5: error: duplicate key 'by'\n  hint: it is already set on line 2; keep one of the two"
    ]


def test_anchor_is_refused_where_it_is_written() -> None:
    assert refused("a: 1\nb: &x [1, 2]\nc: *x\n") == [
        "f.yaml:2:4: error: anchors (&name) are not supported\n  hint: remove the anchor and write values out"
    ]


def test_alias_is_refused_where_it_is_written() -> None:
    assert refused("a: 1\nb: *x\n") == [
        "f.yaml:2:4: error: aliases (*name) are not supported\n  hint: write the value out in full instead of reusing it"
    ]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
    problems = refused("\n".join(lines) + "\n")  # refused at the first anchor, before anything is expanded
    assert problems[0].startswith("f.yaml:1:4: error: anchors (&name) are not supported")


@pytest.mark.parametrize(
    ("text", "tag", "column"),
    [
        ("v: !!str 3\n", "!!str", 4),
        ("v: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system", 4),
        ("v: !custom x\n", "!custom", 4),
        ("v: !!map {a: 1}\n", "!!map", 4),
        ("v: !!seq [a]\n", "!!seq", 4),
    ],
)
def test_explicit_tags_are_refused(text: str, tag: str, column: int) -> None:
    assert refused(text) == [f"f.yaml:1:{column}: error: explicit YAML tags ({tag}) are not supported\n  hint: remove the tag"]


def test_the_non_specific_tag_is_harmless() -> None:
    assert scalar(parsed("v: ! 3\n"), "v").value == "3"


def test_several_documents_are_refused_at_the_second() -> None:
    assert refused("a: 1\n---\nb: 2\n") == [
        "f.yaml:2:1: error: the file holds more than one YAML document\n  hint: remove the `---` line"
    ]


def test_one_document_with_start_and_end_markers_is_fine() -> None:
    root = parsed("---\na: 1\n...\n")
    assert (root.line, scalar(root, "a").value) == (2, "1")


def test_mapping_key_must_be_a_scalar() -> None:
    assert refused("[a, b]: c\n") == ["f.yaml:1:1: error: a mapping key must be a plain word\n  hint: write `key: value`"]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a:\n\t- b\n", 2, 1),
        ("a:\n  \tb: c\n", 2, 3),
        ("a:\n  b:\n   \t c: d\n", 3, 4),
    ],
)
def test_tab_in_indentation_is_refused_at_the_tab(text: str, line: int, column: int) -> None:
    assert refused(text) == [
        f"f.yaml:{line}:{column}: error: a tab is used for indentation\n"
        "  hint: YAML indents with spaces only: replace the tab with spaces"
    ]


def test_tab_inside_a_value_is_fine() -> None:
    assert scalar(parsed("v: a\tb\n"), "v").value == "a\tb"


def test_tab_inside_a_block_scalar_is_content() -> None:
    """A tab after a block's indentation is text (valid YAML), not indentation."""
    summary = scalar(parsed("summary: |\n  Code:\n  \tindented with a tab\n"), "summary")
    assert summary.value == "Code:\n\tindented with a tab\n"


def test_depth_limit_allows_exactly_max_depth_collections() -> None:
    inner = "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1)
    node = value(parsed(f"v: {inner}\n"), "v")
    depth = 1
    while isinstance(node, SeqNode):
        depth += 1
        node = node.items[0]
    assert depth == MAX_DEPTH
    assert isinstance(node, ScalarNode)
    assert node.value == "x"


def test_depth_limit_refuses_one_more_at_the_opening_bracket() -> None:
    text = "v: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n"
    assert refused(text) == [
        f"f.yaml:1:{4 + MAX_DEPTH - 1}: error: the content is nested more than {MAX_DEPTH} levels deep\n"
        "  hint: flatten the structure"
    ]


@pytest.mark.parametrize(
    ("prefix", "opening", "suffix", "column"),
    [("v: ", "[", "\n", 4 + MAX_DEPTH - 1), ("v: ", "{a: ", "\n", 4 + 4 * (MAX_DEPTH - 1)), ("", "- ", "x\n", 1 + 2 * MAX_DEPTH)],
)
def test_absurd_nesting_gives_one_error_and_no_crash(prefix: str, opening: str, suffix: str, column: int) -> None:
    """100,000 levels: the C composer would overflow the stack, the pure one raise RecursionError."""
    assert refused(prefix + opening * 100_000 + suffix) == [
        f"f.yaml:1:{column}: error: the content is nested more than {MAX_DEPTH} levels deep\n  hint: flatten the structure"
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n", "# a\n\n  # b\n"])
def test_empty_file(text: str) -> None:
    assert refused(text) == ["f.yaml:1:1: error: the file is empty\n  hint: add the content, or delete the file"]


def test_file_too_large() -> None:
    assert refused("a: " + "x" * MAX_BYTES + "\n") == [
        f"f.yaml:1:1: error: the file is larger than {MAX_BYTES:,} characters\n  hint: {TOO_LARGE_HINT}"
    ]


def test_file_at_the_limit_is_read() -> None:
    text = "a: " + "x" * (MAX_BYTES - 4) + "\n"
    assert len(text) == MAX_BYTES
    assert len(scalar(parsed(text), "a").value) == MAX_BYTES - 4


@pytest.mark.parametrize(
    ("text", "position", "message", "hint"),
    [
        ("a: b: c\n", "1:5", "mapping values are not allowed in this context", "a value containing ': ' must be quoted"),
        ("a: `x`\n", "1:4", "found character that cannot start any token", "quote the value: characters such as ` @"),
        ("a: [b, c\n", "2:1", "did not find expected ',' or ']'", "check indentation, colons and quotes"),
        ("a:\n  - b\n   c: d\n", "3:5", "mapping values are not allowed", "must be quoted"),
    ],
)
def test_syntax_errors_give_position_message_and_hint(text: str, position: str, message: str, hint: str) -> None:
    problem = refused(text)[0]
    first, second = problem.split("\n")
    assert first.startswith(f"f.yaml:{position}: error: this is not valid YAML: ")
    assert message in first
    assert second.startswith("  hint: ")
    assert hint in second


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    """An unclosed quote is reported where it opens, not at the end of the file."""
    assert refused('a: 1\ntitle: "Separatists seize\nc: 2\n') == [
        "f.yaml:2:8: error: this is not valid YAML: the quoted value that starts here is never closed\n"
        '  hint: end the value with a closing " on the same line'
    ]


def test_bom_is_dropped_and_positions_are_unchanged() -> None:
    diagnostics = Diagnostics()
    text = decode_utf8(b"\xef\xbb\xbfa: 1\nb: 2\n", "f.yaml", diagnostics)
    assert text == "a: 1\nb: 2\n"
    assert list(diagnostics) == []
    root = parsed(text)
    assert (scalar(root, "a").line, scalar(root, "a").column) == (1, 4)


@pytest.mark.parametrize(
    ("data", "position", "byte"),
    [
        (b"a: \xff\n", "1:4", "0xff"),
        (b"a: \xc3\xa9\xff\n", "1:5", "0xff"),  # 'é' is two bytes but one column
        (b"x: 1\nb: \xe2\x80\x94 \x80\n", "2:6", "0x80"),  # '—' is three bytes
        (b"x: 1\r\ny: \xd0\x96\xfe", "2:5", "0xfe"),
        (b"a: caf\xe9\n", "1:7", "0xe9"),  # Latin-1
        (b"a: \xe2\x80x\n", "1:4", "0xe2"),  # a sequence cut short: the position of its first byte
    ],
)
def test_utf8_error_position_counts_characters(data: bytes, position: str, byte: str) -> None:
    diagnostics = Diagnostics()
    assert decode_utf8(data, "f.yaml", diagnostics) is None
    assert [d.format_text() for d in diagnostics] == [
        f"f.yaml:{position}: error: the file is not valid UTF-8 (byte {byte} cannot start or continue a character)\n"
        "  hint: save the file as UTF-8; most editors offer this under 'Save with encoding'"
    ]


def test_load_yaml_file_reads_decodes_and_parses(tmp_path: Path) -> None:
    file = tmp_path / "x.yaml"
    file.write_bytes("title: Лисичанськ\n".encode())
    diagnostics = Diagnostics()
    node = load_yaml_file(file, "content/x.yaml", diagnostics)
    assert isinstance(node, MapNode)
    assert scalar(node, "title").value == "Лисичанськ"
    file.write_bytes(b"title: \xff\n")
    assert load_yaml_file(file, "content/x.yaml", diagnostics) is None
    assert [d.path for d in diagnostics] == ["content/x.yaml"]


def test_load_yaml_file_reports_a_file_it_cannot_read(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert load_yaml_file(tmp_path / "missing.yaml", "content/missing.yaml", diagnostics) is None
    assert [d.format_text() for d in diagnostics] == [
        "content/missing.yaml:1:1: error: the file cannot be read: No such file or directory\n  hint: check its permissions"
    ]


def test_top_level_may_be_any_node() -> None:
    node, problems = parse("- a\n- b\n")
    assert problems == []
    assert isinstance(node, SeqNode)
    node, problems = parse("just words\n")
    assert problems == []
    assert isinstance(node, ScalarNode)
    assert node.value == "just words"
