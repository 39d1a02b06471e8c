"""Positions of what the Markdown checks find inside a value, mapped back to where it is written in the file."""

from __future__ import annotations

import pytest

from timeline.diagnostics import Diagnostics
from timeline.fields import Context, Text
from timeline.fields.positions import anchored_position, value_anchors
from timeline.markdown import inspect_markdown
from timeline.yamlsource import MapNode, ScalarNode, parse_yaml


def summary_node(source: str) -> ScalarNode:
    root = parse_yaml(source, "f.yaml", Diagnostics())
    assert isinstance(root, MapNode)
    node = {key.value: value for key, value in root.items}["summary"]
    assert isinstance(node, ScalarNode)
    return node


def reported(source: str) -> list[tuple[int, int, str]]:
    """Line, column and message of each Markdown problem of `summary`, placed in the file as `check` places them."""
    ctx = Context("f.yaml", Diagnostics(), source=source)
    text = Text(markdown=True).convert(summary_node(source), "summary", ctx)
    problems, _ = inspect_markdown(text)
    origin = ctx.text_origins["summary"]
    return [(*origin.locate(text, problem.line, problem.column), problem.message) for problem in problems]


def where(source: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the `occurrence`-th `needle` in the file."""
    at = -1
    for _ in range(occurrence + 1):
        at = source.index(needle, at + 1)
    line = source.count("\n", 0, at) + 1
    return line, at - (source.rfind("\n", 0, at) + 1) + 1


FOLDED = """\
title: x
summary: >
  Russia's defence minister
  says the city is taken,
  and <b>the governor</b> denies it.

  A second paragraph with <i>more</i>.
tags: [a]
"""

PLAIN = (  # the spaces at the end of a line are dropped by folding
    "title: x\nsummary: Russia's defence minister\n  says the city is taken,\n     and <b>the governor</b>   \n"
    "  denies it.\ntags: [a]\n"
)

SINGLE_QUOTED = """\
summary: 'It''s the minister''s
  claim: <b>taken</b>'
"""

DOUBLE_QUOTED_ESCAPES = 'summary: "caf\\u00e9 \\t \\\\ \\x41 \\U0001F600 \\" <b>x</b>"\n'

DOUBLE_QUOTED_LINES = 'summary: "first line \\\n    continued\n\n  and <b>bold</b>"\n'


@pytest.mark.parametrize(
    ("source", "needles"),
    [
        (FOLDED, ["<b>", "</b>", "<i>", "</i>"]),
        (PLAIN, ["<b>", "</b>"]),
        (SINGLE_QUOTED, ["<b>", "</b>"]),
        (DOUBLE_QUOTED_ESCAPES, ["<b>", "</b>"]),
        (DOUBLE_QUOTED_LINES, ["<b>", "</b>"]),
    ],
    ids=["folded", "plain-multi-line", "single-quoted", "double-quoted-escapes", "double-quoted-lines"],
)
def test_raw_html_is_reported_where_it_is_written(source: str, needles: list[str]) -> None:
    found = reported(source)
    assert [(line, column) for line, column, _ in found] == [where(source, needle) for needle in needles]
    assert all("raw HTML" in message for _, _, message in found)


def test_every_character_of_a_folded_value_maps_to_itself_in_the_file() -> None:
    node = summary_node(FOLDED)
    anchors = value_anchors(node, FOLDED.splitlines())
    lines = FOLDED.splitlines()
    for offset, char in enumerate(node.value):
        line, column = anchored_position(anchors, offset)
        if char not in " \n":  # a space or newline may come from a line break
            assert lines[line - 1][column - 1] == char, (offset, char)


def test_escapes_each_count_their_own_length() -> None:
    node = summary_node(DOUBLE_QUOTED_ESCAPES)
    anchors = value_anchors(node, DOUBLE_QUOTED_ESCAPES.splitlines())
    assert node.value.startswith('café \t \\ A \U0001f600 "')
    assert anchored_position(anchors, node.value.index("é")) == where(DOUBLE_QUOTED_ESCAPES, "\\u00e9")
    assert anchored_position(anchors, node.value.index("A")) == where(DOUBLE_QUOTED_ESCAPES, "\\x41")
    assert anchored_position(anchors, node.value.index("\U0001f600")) == where(DOUBLE_QUOTED_ESCAPES, "\\U0001F600")
    assert anchored_position(anchors, node.value.index('"')) == where(DOUBLE_QUOTED_ESCAPES, '\\"')


def test_literal_blocks_and_verbatim_values_need_no_anchors() -> None:
    literal = "summary: |\n  one <b>x</b>\n  two\n"
    plain = "summary: one <b>x</b>\n"
    quoted = "summary: 'one <b>x</b>'\n"
    for source in (literal, plain, quoted):
        ctx = Context("f.yaml", Diagnostics(), source=source)
        Text(markdown=True).convert(summary_node(source), "summary", ctx)
        assert ctx.text_origins["summary"].anchors == ()
        assert [(line, column) for line, column, _ in reported(source)] == [where(source, "<b>"), where(source, "</b>")]
