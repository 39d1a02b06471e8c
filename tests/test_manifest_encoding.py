"""The manifest's text is the standard library's `json.dumps(..., indent=0, sort_keys=True)`, made faster."""

from __future__ import annotations

import json
from pathlib import Path

from timeline.manifest import Recorded, _encoded, manifest_path, read_manifest, write_manifest


def as_json(value: object) -> str:
    return json.dumps(value, indent=0, sort_keys=True)


def test_the_encoding_is_the_standard_librarys() -> None:
    outputs = {
        "b/index.html": Recorded("d" * 64, 120, "k" * 64),
        'a/é "quoted"\\/\t.html': Recorded("e" * 64, 0, ""),
        "static/x.css": Recorded("f" * 64, 7, ""),
    }
    value = {
        "format": 3,
        "inputs": "",
        "tree": [1, 2, 3],
        "outputs": outputs,
        "previous": {"tree": None, "differs": {"gone.html": None, "b/index.html": Recorded("0" * 64, 1, "x")}},
        "empty": {},
        "none": [],
    }
    assert _encoded(value) == as_json(value)


def test_a_written_manifest_is_the_standard_encoding_and_reads_back(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    outputs = {f"events/{n}/index.html": Recorded(f"{n:064x}", n, f"key{n}") for n in range(50)}
    previous = dict(list(outputs.items())[:40]) | {"old.html": Recorded("a" * 64, 3, "")}
    write_manifest(target, "inputs", outputs, previous)
    text = manifest_path(target).read_text(encoding="utf-8")
    assert text == as_json(json.loads(text)) + "\n"
    manifest = read_manifest(target)
    assert manifest.outputs == outputs
    assert manifest.inputs == "inputs"
    assert manifest.previous == previous
