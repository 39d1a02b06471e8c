"""How often each id is used by the content, counted file by file and kept between runs (see checkmemo).

The checks of unknown and unused ids need every reference of every file: 140,000 of them at 10,000 events,
which take 25 ms only to gather into a set. So the uses of each file are kept with the digest of its bytes;
after an edit, only the references of the files whose digest changed are counted again, and those are found
in `raw.references` without looking at the others one by one (a file's references are contiguous there).
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from operator import itemgetter

from timeline.checkmemo import keep, slot
from timeline.content import RawContent

_SLOT = "uses"
_PATH = itemgetter(2)  # of a Reference: its file's display path
_KIND_VALUE = itemgetter(0, 1)
MAX_CHANGED = 50  # past this many changed files, counting everything again costs less than finding their references

Uses = tuple[tuple[str, str], ...]  # (kind, value) of each reference of one file


class UseCounts:
    """kind -> id -> how many references to it; with what each file contributes."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, Uses]] = {}  # display path -> (digest, its uses)
        self.counts: dict[str, Counter[str]] = {}
        self.total = 0  # references counted: must equal len(raw.references)
        self.trusted = True  # False when a file with references has no digest: its edits could not be told

    def add(self, path: str, digest: str, uses: Uses) -> None:
        self.files[path] = (digest, uses)
        self.total += len(uses)
        for kind, value in uses:
            counted = self.counts.get(kind)
            if counted is None:
                counted = self.counts[kind] = Counter()
            counted[value] += 1

    def remove(self, path: str) -> None:
        _, uses = self.files.pop(path)
        self.total -= len(uses)
        for kind, value in uses:
            counted = self.counts[kind]
            counted[value] -= 1
            if not counted[value]:
                del counted[value]

    def used(self, kind: str) -> Counter[str]:
        """The ids of `kind` used, each with its number of uses."""
        return self.counts.get(kind) or Counter()


def count_uses(raw: RawContent, changed: tuple[set[str], set[str]] | None) -> UseCounts:
    """The uses of every id in `raw.references`, updated from the last run's for the files `changed` (new or
    changed, gone: see checkmemo.changed_files) when it is known."""
    kept = slot(_SLOT)
    counts = kept if isinstance(kept, UseCounts) and changed is not None else None
    if counts is not None and changed is not None and not _update(counts, raw, *changed):
        counts = None
    if counts is None:
        counts = _count_all(raw)
    keep(_SLOT, counts if counts.trusted else None)
    return counts


def _update(counts: UseCounts, raw: RawContent, changed: set[str], gone: set[str]) -> bool:
    """Bring `counts` up to date with `raw`; False when that cannot be done cheaply or surely."""
    digests = raw.digests
    files = counts.files
    if len(changed) + len(gone) > MAX_CHANGED:
        return False
    for path in gone:
        if path in files:
            counts.remove(path)
    if changed:
        references = raw.references
        paths = list(map(_PATH, references))
        for path in changed:
            if path in files:
                counts.remove(path)
            try:
                start = paths.index(path)
            except ValueError:
                counts.add(path, digests[path], ())
                continue
            end = start + 1
            while end < len(paths) and paths[end] == path:
                end += 1
            counts.add(path, digests[path], tuple(map(_KIND_VALUE, references[start:end])))
    return counts.total == len(raw.references)  # else some file's references were not where they were looked for


def _count_all(raw: RawContent) -> UseCounts:
    """Count every reference (at C speed where it can: this is the cost of a check with nothing kept)."""
    counts = UseCounts()
    pairs = Counter(map(_KIND_VALUE, raw.references))
    for kind in {kind for kind, _ in pairs}:
        counts.counts[kind] = Counter()
    for (kind, value), number in pairs.items():
        counts.counts[kind][value] = number
    counts.total = len(raw.references)
    one = {pair: pair for pair in pairs}.__getitem__  # one object for each use: the kept state pickles it once
    grouped: dict[str, list[tuple[str, str]]] = {}
    for path, references in groupby(raw.references, key=_PATH):
        grouped.setdefault(path, []).extend(map(one, map(_KIND_VALUE, references)))
    for path, digest in raw.digests.items():
        counts.files[path] = (digest, tuple(grouped.pop(path, ())))
    counts.trusted = not grouped  # else a file with references has no digest: its edits could not be told
    return counts
