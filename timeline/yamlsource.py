"""YAML to a tree of nodes that remember their line and column.

Every scalar stays a string: the schema decides what a value means, so YAML 1.1's implicit typing
(`no` becoming false, `2022-02-30` crashing the date constructor) never reaches the content.
The tree is composed here from the parser's event stream, which lets us refuse what content never
needs and what makes YAML dangerous: aliases (alias bombs), explicit tags, several documents,
absurd nesting (the C composer overflows the stack, the pure one raises RecursionError) and tabs
in indentation (accepted by libyaml, refused by the pure parser).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from timeline.contentfiles import (
    LINK_HINT,
    LINK_MESSAGE,
    NOT_REGULAR_HINT,
    NOT_REGULAR_MESSAGE,
    IsALink,
    NotRegularFile,
    TooLarge,
    read_regular_file,
)
from timeline.controls import CONTROL_HINT, RAW_CONTROL, VALUE_CONTROL, control_position, describe_control
from timeline.diagnostics import Diagnostics

try:  # libyaml is an order of magnitude faster; the pure parser gives the same events
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """A loader that never resolves implicit types: every scalar stays a string, so resolving is wasted work
    (a Python call per node, a third of the composing time)."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return "tag:yaml.org,2002:str"

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


MAX_DEPTH = 32
MAX_BYTES = 2_000_000  # an event, a page
MAX_REGISTRY_BYTES = 64_000_000  # a registry: a timeline of 100,000 events cites some 30,000 sources
TOO_LARGE_HINT = "a content file this large is almost certainly a mistake: one event per file, registries of short entries"
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(slots=True)
class ScalarNode:
    value: str
    line: int
    column: int
    plain: bool = True  # written without quotes or block indicators
    block: bool = False  # a literal (|) or folded (>) block: its text starts on the next line
    indent: int = 0  # for blocks: the columns of indentation stripped from each line of text

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class SeqNode:
    line: int
    column: int
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class MapNode:
    line: int
    column: int
    items: list[tuple[ScalarNode, Node]] = field(default_factory=list)


Node = ScalarNode | SeqNode | MapNode


class _Refused(Exception):
    """A construct we do not accept; stops composing the file."""

    def __init__(self, line: int, column: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line, self.column, self.message, self.hint = line, column, message, hint


def decode_utf8(data: bytes, path: str, diagnostics: Diagnostics) -> str | None:
    """Decode bytes as UTF-8, reporting the position of the first byte that is not."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        diagnostics.error(
            path,
            line,
            column,
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x} cannot start or continue a character)",
            "save the file as UTF-8; most editors offer this under 'Save with encoding'",
        )
        return None
    return text.removeprefix("\ufeff")


EachEntry = Callable[[MapNode], None]


def parse_yaml(
    text: str, path: str, diagnostics: Diagnostics, limit: int = MAX_BYTES, each_entry: EachEntry | None = None
) -> Node | None:
    """Compose one YAML document of at most `limit` characters into nodes; report problems and return None if it
    cannot be read.

    With `each_entry`, a document that is a mapping is handed over one entry at a time, as a mapping of that one
    entry, as soon as it is read, and the root returned holds none of them: the whole tree of a large registry
    never exists at once. What is handed over before a problem is found later in the file is to be discarded."""
    if len(text) > limit:
        diagnostics.error(path, 1, 1, f"the file is larger than {limit:,} characters", TOO_LARGE_HINT)
        return None
    if is_blank(text):
        diagnostics.error(path, 1, 1, "the file is empty", "add the content, or delete the file")
        return None
    control = control_position(text, RAW_CONTROL)
    if control:
        line, column, char = control
        diagnostics.error(path, line, column, f"the file contains the control character {describe_control(char)}", CONTROL_HINT)
        return None
    lines = text.splitlines()
    try:
        if each_entry is not None:
            return _compose_streamed(text, lines, each_entry)
        root = _compose_fast(text, lines) if not _needs_careful_parse(text, lines) else None
        if root is None:
            root = _compose(yaml.parse(text, Loader=_Loader), lines)
            _refuse_tab_indentation(root, lines)
        if "\\" in text:  # only a double-quoted value's escapes can make a control character
            _refuse_escaped_controls(root)
        return root
    except _Refused as exc:
        diagnostics.error(path, exc.line, exc.column, exc.message, exc.hint)
    except yaml.MarkedYAMLError as exc:
        refused = _refusal_before(text, lines, exc)
        if refused:
            diagnostics.error(path, refused.line, refused.column, refused.message, refused.hint)
            return None
        if _is_tab_problem(exc, lines):
            tab = _first_indenting_tab(lines, set())
            if tab:
                diagnostics.error(path, tab[0], tab[1], *_TAB_MESSAGE)
                return None
        if exc.context == "while scanning a quoted scalar" and exc.context_mark:
            mark = exc.context_mark
            quote = lines[mark.line][mark.column] if mark.line < len(lines) else '"'
            problem = "the quoted value that starts here is never closed"
            hint = f"end the value with a closing {quote} on the same line"
            diagnostics.error(path, mark.line + 1, mark.column + 1, f"this is not valid YAML: {problem}", hint)
            return None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.error(path, line, column, f"this is not valid YAML: {problem}", _yaml_hint(problem))
    except yaml.YAMLError as exc:  # errors without a position, e.g. from the reader
        diagnostics.error(path, 1, 1, f"this is not valid YAML: {exc}", "check the file's syntax")
    return None


def _compose_streamed(text: str, lines: list[str], each_entry: EachEntry) -> Node | None:
    """Compose from the parser's events, handing each entry of a root mapping over as soon as it is complete;
    the checks made on a whole tree are made on each entry."""
    escapes, tabs = "\\" in text, any("\t" in line for line in lines)
    block_lines: set[int] = set()

    def checked(entry: MapNode) -> None:
        if escapes:
            _refuse_escaped_controls(entry)
        if tabs:
            block_lines.update(_block_lines(entry))
        each_entry(entry)

    root = _compose(yaml.parse(text, Loader=_Loader), lines, checked)
    if tabs:
        if not isinstance(root, MapNode):
            block_lines.update(_block_lines(root))
        tab = _first_indenting_tab(lines, block_lines)
        if tab:
            raise _Refused(tab[0], tab[1], *_TAB_MESSAGE)
    if escapes and not isinstance(root, MapNode):
        _refuse_escaped_controls(root)
    return root


def _refusal_before(text: str, lines: list[str], exc: yaml.MarkedYAMLError) -> _Refused | None:
    """Our own refusal (too deep, an alias, a duplicate key) of what comes before the point where libyaml gave up.

    libyaml scans ahead of the events it hands over, so it can fail beyond a problem we would have reported first:
    from PyYAML 6.0.4 it stops nesting 1,000 levels deep, long after our limit. Python's parser hands events over
    as it goes.
    """
    mark = exc.problem_mark or exc.context_mark
    try:
        _compose(yaml.parse(text, Loader=yaml.SafeLoader), lines)
    except _Refused as refused:
        if mark is None or (refused.line, refused.column) <= (mark.line + 1, mark.column + 1):
            return refused
    except yaml.YAMLError:
        pass
    return None


def _refuse_escaped_controls(root: Node | None) -> None:
    """A control character written as an escape ("\\e", "\\x01") in a key or value."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MapNode):
            for key, value in node.items:
                stack += (key, value)
        elif isinstance(node, SeqNode):
            stack.extend(node.items)
        elif isinstance(node, ScalarNode) and not node.plain and VALUE_CONTROL.search(node.value):
            char = VALUE_CONTROL.search(node.value).group()  # type: ignore[union-attr]
            message = f"the value contains the control character {describe_control(char)}"
            raise _Refused(node.line, node.column, message, "remove the escape sequence (such as \\e or \\x01) that writes it")


def is_blank(text: str) -> bool:
    """Whether a file holds nothing but blank lines and comments."""
    return not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


_TAB_MESSAGE = ("a tab is used for indentation", "YAML indents with spaces only: replace the tab with spaces")


def _block_lines(node: Node | None) -> set[int]:
    """Lines holding the text of literal and folded blocks, where a tab is content, not indentation."""
    lines: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MapNode):
            stack.extend(value for _, value in current.items)
        elif isinstance(current, SeqNode):
            stack.extend(current.items)
        elif isinstance(current, ScalarNode) and current.block:
            lines.update(range(current.line + 1, current.line + 2 + current.value.count("\n")))
    return lines


def _is_tab_problem(exc: yaml.MarkedYAMLError, lines: list[str]) -> bool:
    mark = exc.problem_mark
    if "tab" in str(exc.problem):
        return True
    return bool(mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t")


def _first_indenting_tab(lines: list[str], skip: set[int]) -> tuple[int, int] | None:
    for number, line in enumerate(lines, start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and number not in skip:
            return number, indent.index("\t") + 1
    return None


def _refuse_tab_indentation(root: Node | None, lines: list[str]) -> None:
    """libyaml accepts some tab indentation that the pure parser refuses; refuse it whichever parser runs."""
    if not any("\t" in line for line in lines):
        return
    tab = _first_indenting_tab(lines, _block_lines(root))
    if tab:
        raise _Refused(tab[0], tab[1], *_TAB_MESSAGE)


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Kyiv: the answer\""
    if "found character" in problem and "cannot start any token" in problem:
        return "quote the value: characters such as ` @ % and tabs cannot start a plain value"
    if "could not find expected ':'" in problem:
        return "each line of a mapping needs `key: value`; check the indentation and quotes above"
    if "expected <block end>" in problem:
        return "check the indentation: items of one list or mapping must line up"
    return "check indentation, colons and quotes near this position"


def read_file(file: Path | str, path: str, diagnostics: Diagnostics, limit: int = MAX_BYTES) -> bytes | None:
    """A content file's bytes (at most `limit`); None, with a diagnostic, if it cannot or must not be read."""
    try:
        return read_regular_file(file, limit)
    except IsALink:
        diagnostics.error(path, 1, 1, LINK_MESSAGE, LINK_HINT)
    except NotRegularFile:
        diagnostics.error(path, 1, 1, NOT_REGULAR_MESSAGE, NOT_REGULAR_HINT)
    except TooLarge as exc:
        diagnostics.error(path, 1, 1, str(exc.strerror), TOO_LARGE_HINT)
    except OSError as exc:
        diagnostics.error(path, 1, 1, f"the file cannot be read: {exc.strerror}", "check its permissions")
    return None


def parse_yaml_bytes(data: bytes, path: str, diagnostics: Diagnostics, limit: int = MAX_BYTES) -> Node | None:
    """Decode and parse one YAML file's bytes; None (with diagnostics) if they cannot be used."""
    text = decode_utf8(data, path, diagnostics)
    return None if text is None else parse_yaml(text, path, diagnostics, limit)


def load_yaml_file(file: Path, path: str, diagnostics: Diagnostics) -> Node | None:
    """Read, decode and parse one YAML file; None (with diagnostics) if it cannot be used."""
    data = read_file(file, path, diagnostics)
    return None if data is None else parse_yaml_bytes(data, path, diagnostics)


def _position(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


# What the fast path cannot check: anchors, aliases and tags (the C composer resolves them silently), and
# anything that could nest deeply (its recursion overflows the C stack long before we could see the depth).
# Nesting needs a bracket, more indentation or another "- " / ": " on the line, so bounding those bounds it.
_ANCHOR_ALIAS_OR_TAG = re.compile(r"(?:^|[\s\[\]{},])[&*!][^\s]")
_MAX_FAST_BRACKETS = 200
_MAX_FAST_INDENT = 400
_MAX_FAST_INDICATORS = 20


def _needs_careful_parse(text: str, lines: list[str]) -> bool:
    """Whether the fast path must not be tried. Each test is first made on the whole text with `in` and
    `count`, which cost little, so that the lines are looked at one by one only when one of them could fail."""
    if text.count("[") + text.count("{") >= _MAX_FAST_BRACKETS:
        return True
    if ("&" in text or "*" in text or "!" in text) and _ANCHOR_ALIAS_OR_TAG.search(text):
        return True
    if " " * (_MAX_FAST_INDENT + 1) in text and any(len(line) - len(line.lstrip(" ")) > _MAX_FAST_INDENT for line in lines):
        return True
    if text.count("- ") + text.count(": ") <= _MAX_FAST_INDICATORS:
        return False
    return any(
        len(line) > 2 * _MAX_FAST_INDICATORS and line.count("- ") + line.count(": ") > _MAX_FAST_INDICATORS for line in lines
    )


def _compose_fast(text: str, lines: list[str]) -> Node | None:
    """libyaml's own composer, then our nodes: about three times faster than composing from events.

    Returns None whenever anything is unusual (a YAML error, a duplicate key, depth, tabs), so that the
    careful path reports it with the same message it always gives.
    """
    try:
        composed = yaml.compose(text, Loader=_Loader)
        return None if composed is None else _convert(composed, lines, 0, lines if "\t" in text else None)
    except (yaml.YAMLError, _Unusual):
        return None


class _Unusual(Exception):
    """Something the careful path must look at."""


def _convert(node: yaml.Node, lines: list[str], depth: int, tabbed: list[str] | None = None) -> Node:
    """A composed node as ours; `tabbed` is the file's lines when it has a tab anywhere (else None)."""
    mark = node.start_mark
    line, column = mark.line + 1, mark.column + 1
    if tabbed is not None and "\t" in tabbed[line - 1][: column - 1]:
        raise _Unusual
    kind = type(node)
    if kind is yaml.ScalarNode:
        style = node.style
        if not style:
            return ScalarNode(node.value, line, column)
        block = style in ("|", ">")
        return ScalarNode(node.value, line, column, False, block, _block_indent(lines, line) if block else 0)
    if depth >= MAX_DEPTH:
        raise _Unusual
    depth += 1
    inline = tabbed is None  # plain scalars, most of the nodes, made here: a call for each costs as much as the node
    if kind is yaml.SequenceNode:
        items: list[Node] = []
        for child in node.value:
            if inline and type(child) is yaml.ScalarNode and not child.style:
                items.append(ScalarNode(child.value, child.start_mark.line + 1, child.start_mark.column + 1))
            else:
                items.append(_convert(child, lines, depth, tabbed))
        return SeqNode(line, column, items)
    pairs: list[tuple[Node, Node]] = []
    seen: set[str] = set()
    for key, value in node.value:
        if type(key) is not yaml.ScalarNode or key.value in seen:
            raise _Unusual
        seen.add(key.value)
        if inline and not key.style:
            ours: Node = ScalarNode(key.value, key.start_mark.line + 1, key.start_mark.column + 1)
        else:
            ours = _convert(key, lines, depth, tabbed)
        if inline and type(value) is yaml.ScalarNode and not value.style:
            pairs.append((ours, ScalarNode(value.value, value.start_mark.line + 1, value.start_mark.column + 1)))
        else:
            pairs.append((ours, _convert(value, lines, depth, tabbed)))
    return MapNode(line, column, pairs)  # type: ignore[arg-type]


def _block_indent(lines: list[str], line: int) -> int:
    """Indentation of a block scalar's text: that of its first non-blank line after the indicator (1-based line)."""
    for text in lines[line:]:
        if text.strip():
            return len(text) - len(text.lstrip(" "))
    return 0


def _compose(events: object, lines: list[str], each_entry: EachEntry | None = None) -> Node | None:
    """Build the node tree iteratively (no recursion, so depth is bounded only by MAX_DEPTH); with `each_entry`,
    each complete entry of a root mapping is handed over instead of kept."""
    stack: list[SeqNode | MapNode] = []
    pending_keys: list[ScalarNode | None] = []
    seen_keys: list[dict[str, int]] = []  # key -> its line
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, SeqNode):
            parent.items.append(node)
            return
        key = pending_keys[-1]
        if key is None:
            if not isinstance(node, ScalarNode):
                raise _Refused(node.line, node.column, "a mapping key must be a plain word", "write `key: value`")
            if node.value in seen_keys[-1]:
                raise _Refused(
                    node.line,
                    node.column,
                    f"duplicate key '{node.value}'",
                    f"it is already set on line {seen_keys[-1][node.value]}; keep one of the two",
                )
            seen_keys[-1][node.value] = node.line
            pending_keys[-1] = node
        else:
            parent.items.append((key, node))
            pending_keys[-1] = None

    for event in events:  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            line, column = _position(event)
            raise _Refused(line, column, "aliases (*name) are not supported", "write the value out in full instead of reusing it")
        if isinstance(event, yaml.NodeEvent) and getattr(event, "anchor", None):
            line, column = _position(event)
            raise _Refused(line, column, "anchors (&name) are not supported", "remove the anchor and write values out")
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and not _implicit(event):
            line, column = _position(event)
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            raise _Refused(line, column, f"explicit YAML tags ({tag}) are not supported", "remove the tag")
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, column = _position(event)
                raise _Refused(line, column, "the file holds more than one YAML document", "remove the `---` line")
        elif isinstance(event, yaml.ScalarEvent):
            line, column = _position(event)
            block = event.style in ("|", ">")
            indent = _block_indent(lines, line) if block else 0
            attach(ScalarNode(event.value, line, column, not event.style, block, indent))
            if each_entry is not None and len(stack) == 1:
                _hand_over(stack[0], each_entry)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            line, column = _position(event)
            if len(stack) >= MAX_DEPTH:
                raise _Refused(line, column, f"the content is nested more than {MAX_DEPTH} levels deep", "flatten the structure")
            collection: SeqNode | MapNode = (
                SeqNode(line, column) if isinstance(event, yaml.SequenceStartEvent) else MapNode(line, column)
            )
            attach(collection)
            stack.append(collection)
            pending_keys.append(None)
            seen_keys.append({})
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
            pending_keys.pop()
            seen_keys.pop()
            if each_entry is not None and len(stack) == 1:
                _hand_over(stack[0], each_entry)
    return root


def _hand_over(root: SeqNode | MapNode, each_entry: EachEntry) -> None:
    """A root mapping's entry just completed: hand it over, and keep nothing of it but its key (for duplicates)."""
    if isinstance(root, MapNode) and root.items:
        entry = root.items.pop()
        each_entry(MapNode(entry[0].line, entry[0].column, [entry]))


def _implicit(event: yaml.Event) -> bool:
    tag = getattr(event, "tag", None)
    if tag is None or tag == "!":
        return True
    implicit = getattr(event, "implicit", True)
    return bool(implicit[0] if isinstance(implicit, tuple) else implicit)
