"""Where each character of a scalar's value is written in its YAML file.

A value is not always a copy of its source text. Folded (`>`) blocks and plain or quoted values that go on over
several lines join their lines with a space and drop the indentation of each; escapes in double quotes
(`\\u00e9`, `\\t`, `\\\\`) and `''` in single quotes write one character with several. A position found inside a
value (by the Markdown checks) is mapped back to the file through the anchors worked out here: one wherever
consecutive characters of the value stop being consecutive in the file.
"""

from __future__ import annotations

from bisect import bisect_right

from timeline.yamlsource import ScalarNode

Anchor = tuple[int, int, int]  # offset in the value, line (1-based) and column (1-based) in the file

_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}  # \xXX, \uXXXX, \UXXXXXXXX; every other escape is two characters


def written_verbatim(node: ScalarNode, lines: list[str]) -> bool:
    """Whether a one-line value stands unchanged on the line it starts on (so columns need no mapping)."""
    if node.block or node.line > len(lines):
        return False
    return lines[node.line - 1].startswith(node.value, node.column - (1 if node.plain else 0))


def value_anchors(node: ScalarNode, lines: list[str]) -> tuple[Anchor, ...]:
    """The anchors of a scalar's value, found by reading its source again alongside the value.

    Each character of the source either gives the value's next character (itself, or the character an escape
    stands for), or is dropped (indentation, the spaces before a line break, a quote). A line break gives the
    space or newline that folding makes of it, when that is the value's next character."""
    value = node.value
    quote = "" if node.plain or node.block else lines[node.line - 1][node.column - 1 : node.column]
    row, column = (node.line, _indent_skipped(lines, node.line, node.indent)) if node.block else (node.line - 1, node.column - 1)
    column += 1 if quote else 0
    anchors: list[Anchor] = []
    expected = (-1, -1)
    index = 0

    def emit(at: int) -> None:
        nonlocal index, expected
        if (row, at) != expected:
            anchors.append((index, row + 1, at + 1))
        expected = (row, at + 1)
        index += 1

    while index < len(value) and row < len(lines):
        text = lines[row]
        if column >= len(text):  # a line break: folding makes a space or a newline of it, or nothing
            if value[index] in " \n":
                emit(column)
            row += 1
            column = _indent_skipped(lines, row, node.indent) if node.block else _leading_space(lines, row)
            continue
        char = text[column]
        if quote == '"' and char == "\\":
            if column + 1 >= len(text):  # an escaped line break joins the lines with nothing between them
                row += 1
                column = _leading_space(lines, row)
                continue
            emit(column)
            column += _ESCAPE_LENGTHS.get(text[column + 1], 2)
        elif quote == "'" and text.startswith("''", column):
            emit(column)
            column += 2
        elif char == value[index]:
            emit(column)
            column += 1
        else:  # dropped: spaces before a line break, the spaces of a blank line
            column += 1
    return tuple(anchors)


def anchored_position(anchors: tuple[Anchor, ...], offset: int) -> tuple[int, int]:
    """File line and column of the value's character at `offset`."""
    at = max(bisect_right(anchors, (offset, 1 << 62, 0)) - 1, 0)
    start, line, column = anchors[at]
    return line, column + offset - start


def _leading_space(lines: list[str], row: int) -> int:
    if row >= len(lines):
        return 0
    text = lines[row]
    return len(text) - len(text.lstrip(" \t"))


def _indent_skipped(lines: list[str], row: int, indent: int) -> int:
    """Where a block's text starts on a line: after its indentation, or at the end of a shorter blank line."""
    if row >= len(lines):
        return 0
    text = lines[row]
    return min(indent, len(text) - len(text.lstrip(" ")))
