"""The manifest beside the output folder (`.site.manifest.json`): what the last build made, and from what.

It records each output's digest, size and key (see pagekeys), the inputs fingerprint, and which folder it
describes (sitetree.tree_identity): a manifest that does not match the folder now in place (a build was
killed after its swap, or the folder came from elsewhere) is checked against the files' real digests before
any of its entries is relied on. It also records the tree of the build before (`.site-previous`), kept to
be brought up to date by the next build instead of making a whole new tree. Entries naming paths outside
the folder are set aside, never followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _string  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, NamedTuple

from timeline.sitetree import is_inside, previous_tree, tree_identity


class Recorded(NamedTuple):
    """What the manifest says of one output of a build."""

    digest: str
    size: int
    key: str


def manifest_path(target: Path) -> Path:
    """Where the hashes of a site's files are kept: beside it, so the site holds only the site."""
    return target.parent / f".{target.name}.manifest.json"


MANIFEST_FORMAT = 3
_READABLE_FORMATS = (2, 3)  # format 2 did not record the tree: its entries are checked against the files


@dataclass
class Manifest:
    """What the last build into a folder recorded, and how far to trust it."""

    found: bool = False  # a manifest of ours is there: the target is a folder this tool built
    inputs: str = ""
    outputs: dict[str, Recorded] = field(default_factory=dict)
    tree: list[int] | None = None  # the identity of the folder it was written for
    outside: list[str] = field(default_factory=list)  # entries naming paths outside the folder: ignored
    previous: dict[str, Recorded] = field(default_factory=dict)  # what `.site-previous` holds
    previous_tree: list[int] | None = None

    def describes(self, target: Path) -> bool:
        """Whether the folder now at `target` is the one this manifest was written for."""
        return self.tree is not None and self.tree == tree_identity(target)

    def describes_previous(self, target: Path) -> bool:
        return self.previous_tree is not None and self.previous_tree == tree_identity(previous_tree(target))


def _identity(value: Any) -> list[int] | None:
    return value if isinstance(value, list) and all(isinstance(n, int) for n in value) else None


def _entries(raw: dict[str, Any], outside: list[str]) -> dict[str, Recorded | None]:
    entries: dict[str, Recorded | None] = {}
    for path, entry in raw.items():
        if not is_inside(path):
            outside.append(path)
        elif entry is None:
            entries[path] = None
        else:
            digest, size, key = entry
            if isinstance(digest, str) and isinstance(size, int) and isinstance(key, str):
                entries[path] = Recorded(digest, size, key)
    return entries


def read_manifest(target: Path) -> Manifest:
    """The manifest of the site in `target`, if this tool made it; entries outside the folder are set aside."""
    try:
        data = json.loads(manifest_path(target).read_text(encoding="utf-8"))
        if data.get("format") not in _READABLE_FORMATS or not isinstance(data["inputs"], str):
            return Manifest()
        manifest = Manifest(found=True, inputs=data["inputs"], tree=_identity(data.get("tree")))
        manifest.outputs = {p: r for p, r in _entries(data["outputs"], manifest.outside).items() if r is not None}
        before = data.get("previous")
        if isinstance(before, dict):
            differs = _entries(before["differs"], [])
            kept = {p: r for p, r in manifest.outputs.items() if p not in differs}
            manifest.previous = kept | {p: r for p, r in differs.items() if r is not None}
            manifest.previous_tree = _identity(before.get("tree"))
        if not target.is_dir():
            manifest.inputs, manifest.outputs = "", {}
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def write_manifest(target: Path, inputs: str, outputs: dict[str, Recorded], previous: dict[str, Recorded] | None) -> None:
    """Record the site now in `target` (and, if kept, the tree before it in `.site-previous`); atomic."""
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "inputs": inputs,
        "tree": tree_identity(target),
        "outputs": outputs,
    }
    if previous is not None:
        differs: dict[str, Recorded | None] = {p: r for p, r in previous.items() if outputs.get(p) != r}
        differs.update((p, None) for p in outputs.keys() - previous.keys())
        manifest["previous"] = {"tree": tree_identity(previous_tree(target)), "differs": differs}
    path = manifest_path(target)
    descriptor, temporary = tempfile.mkstemp(prefix=f"{path.stem}-", suffix=".tmp", dir=path.parent)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(_encoded(manifest) + "\n")
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def _encoded(value: Any) -> str:
    """`json.dumps(value, indent=0, sort_keys=True)`, for the plain data of a manifest, written out here: the
    standard library does that in pure Python, which costs a site of ten thousand pages a tenth of a second."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + ",\n".join(f"{_string(k)}: {_encoded(value[k])}" for k in sorted(value)) + "\n}"
    if isinstance(value, Recorded):  # the bulk of it: one line each, with no call per field
        return f"[\n{_string(value.digest)},\n{int(value.size)},\n{_string(value.key)}\n]"
    if isinstance(value, list | tuple):
        return "[\n" + ",\n".join(_encoded(item) for item in value) + "\n]" if value else "[]"
    return json.dumps(value)


def verified(target: Path, outputs: dict[str, Recorded]) -> dict[str, Recorded]:
    """The recorded outputs whose file in `target` really has the recorded bytes (symbolic links are not followed)."""
    found: dict[str, Recorded] = {}
    pending = [""] if outputs and target.is_dir() and not target.is_symlink() else []
    while pending:
        folder = pending.pop()
        with os.scandir(target / folder) as entries:
            for entry in entries:
                relative = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(relative)
                    continue
                recorded = outputs.get(relative)
                if recorded is None or not entry.is_file(follow_symlinks=False):
                    continue
                if entry.stat(follow_symlinks=False).st_size != recorded.size:
                    continue
                with open(entry.path, "rb") as stream:
                    if hashlib.sha256(stream.read()).hexdigest() == recorded.digest:
                        found[relative] = recorded
    return found
