"""The fast path of reading YAML (libyaml's own composer) gives exactly what the careful path gives.

The careful path composes from the parser's events and refuses, with a position, what content never needs;
the fast path must hand every such file over to it, and change no value of the files it keeps. Each text
below is read both ways and the results compared: that comparison is the contract.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline import yamlsource
from timeline.convert import read_and_convert
from timeline.diagnostics import Diagnostics
from timeline.schema import EVENT
from timeline.yamlsource import Node, parse_yaml

EVENT_START = "date: 2022-07-03\ntitle: A title\nsummary: Words.\nsources: [itv-2022-07-03]\n"

# (text, whether the fast path may read it itself)
TEXTS = [
    (EVENT_START, True),
    ("importance: yes\ntags: [no, on, off, y, n, true, False]\n", True),  # YAML 1.1 booleans stay words
    ("date: 2022-07-03\nsaid_on: 2022-07-03T10:00:00Z\npublished: 2001-12-14 21:59:43.10 -5\n", True),  # timestamps
    ("importance: 010\nvalue: 0x1F\nother: 1_000\nsexagesimal: 1:20\nfloat: .5e3\ninf: .inf\nnan: .NaN\n", True),
    ("episode: ~\nplaces:\ntitle: 'null'\nname: \"~\"\nnote: Null\n", True),
    ("a: &anchor value\nb: *anchor\n", False),  # an alias resolved silently by libyaml's composer
    ("a: &anchor value\n", False),
    ("base: &base {x: 1}\nother:\n  <<: *base\n  y: 2\n", False),  # a merge key with an alias
    ("other:\n  <<: {x: 1}\n  y: 2\n", True),  # a merge key without one is the key '<<'
    ("title: one\ntitle: two\n", False),  # duplicate keys
    ("title: one\n'title': two\n", False),
    ("claims:\n  - by: a\n    by: b\n", False),
    ("title: !!str 2022\n", False),  # an explicit tag
    ("title: !custom x\n", False),
    ("title: ! x\n", True),  # the non-specific tag is harmless
    ("title:\ta value after a tab\n", False),  # any tab before a node on its line: the careful path decides
    ("claims:\n\t- by: a\n", False),  # a tab in indentation
    ("summary: |\n  text with\ta tab inside a block\n", True),
    ("summary: |2\n   indented by an indicator\n", True),
    ("summary: >-\n  folded\n  lines\n\n  kept\n", True),
    ('quote: "escaped \\x41 and \\u00e9 and \\t"\n', True),
    ('quote: "a control \\x01 written as an escape"\n', True),  # refused after either path
    ("? [a, b]\n: c\n", False),  # a key that is not a word
    ("{title: x, tags: [a, b], claims: [{by: a}]}\n", True),
    ("---\ntitle: x\n...\n", True),
    ("---\ntitle: x\n---\ntitle: y\n", False),  # two documents
    ("a: [" * 40 + "]" * 40 + "\n", False),  # too deep
    ("title: [unclosed\n", False),  # not YAML at all
    ("title: 'unclosed\n", False),
    ("- a\n- b\n", True),  # a list at the top
    ("just words\n", True),
]


def _both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple[Node | None, list[str]], tuple[Node | None, list[str]]]:
    def read() -> tuple[Node | None, list[str]]:
        diagnostics = Diagnostics()
        node = parse_yaml(text, "content/x.yaml", diagnostics)
        return node, [d.format_text() for d in diagnostics]

    fast = read()
    with monkeypatch.context() as patched:
        patched.setattr(yamlsource, "_needs_careful_parse", lambda text, lines: True)
        careful = read()
    return fast, careful


@pytest.mark.parametrize(("text", "fast_reads_it"), TEXTS)
def test_the_fast_path_gives_the_careful_paths_tree_and_diagnostics(
    text: str, fast_reads_it: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, careful = _both_ways(text, monkeypatch)
    assert fast == careful
    lines = text.splitlines()
    kept = not yamlsource._needs_careful_parse(text, lines) and yamlsource._compose_fast(text, lines) is not None
    assert kept == fast_reads_it


def test_the_fast_path_keeps_every_value_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    (node, messages), _ = _both_ways(TEXTS[1][0] + TEXTS[3][0].replace("importance", "level"), monkeypatch)
    assert messages == []
    assert isinstance(node, yamlsource.MapNode)
    values = {key.value: value for key, value in node.items}
    assert values["importance"] == yamlsource.ScalarNode("yes", 1, 13)
    assert [item.value for item in values["tags"].items] == ["no", "on", "off", "y", "n", "true", "False"]  # type: ignore[union-attr]
    assert values["level"].value == "010"  # type: ignore[union-attr]
    assert values["sexagesimal"].value == "1:20"  # type: ignore[union-attr]


EVENT_FILES = [
    EVENT_START + "importance: yes\n",  # a YAML 1.1 boolean where a number is wanted
    EVENT_START + "importance: 010\n",  # octal to YAML 1.1
    EVENT_START + "tags: [no]\n",
    EVENT_START.replace("2022-07-03\n", "2022-07-03T10:00:00Z\n", 1),  # a timestamp
    EVENT_START + "date: 2022-07-04\n",  # a duplicate key
    EVENT_START + "<<: {title: x}\n",  # a merge key
    EVENT_START + "related: &r [2022-07-03-a]\nactors: *r\n",  # an anchor and an alias
    EVENT_START + "claims:\n\t- by: a\n",  # a tab
    EVENT_START.replace("Words.", '"Words with \\u00e9 and [a link](/events/2022-07-03-b/)"'),
    EVENT_START.replace("Words.", "|\n  A block with [a link](/events/2022-07-03-b/)\n  and *emphasis*."),
]


@pytest.mark.parametrize("text", EVENT_FILES)
def test_an_event_read_the_fast_way_is_the_event_read_the_careful_way(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "2022-07-03-x.yaml"
    file.write_text(text, encoding="utf-8")
    fast = read_and_convert(file, "content/events/2022/2022-07-03-x.yaml", EVENT, keep_marks=True)
    with monkeypatch.context() as patched:
        patched.setattr(yamlsource, "_needs_careful_parse", lambda text, lines: True)
        careful = read_and_convert(file, "content/events/2022/2022-07-03-x.yaml", EVENT, keep_marks=True)
    assert fast == careful
