"""Reading the content again in the same process (`serve`'s next build): only the event files that changed.

The first reading is noted in a LoadRecord (see content.load_content). The next one takes the stat keys of the
site file, the registries and every event file from digesting the content (snapshot.content_key, which has just
stat'ed them all; a file it did not see is stat'ed here) and lists the events folder again. When no file but
events changed and no event file came or went, it starts from a copy of the content as it stood before the
events, reads and converts only the changed event files, and takes every other event's conversion, references
and problems from the record, in the same order as a full reading gives them. Pages are always read again (they
are few). Anything else (a registry or the site file edited, or changed too recently to be told apart from its
next edit; an event file added, removed or renamed) reads everything, as the first time did.
"""

from __future__ import annotations

import os
from pathlib import Path

from timeline.collector import cycle_collector_paused
from timeline.content import (
    EventRead,
    LoadRecord,
    RawContent,
    copy_content,
    load_content,
    load_event,
    load_pages,
    remember_plain,
)
from timeline.contentfiles import scan_folder
from timeline.convert import convert_files
from timeline.diagnostics import Diagnostics
from timeline.digests import file_digests
from timeline.parsecache import parse_cache, stat_key_of
from timeline.schema import EVENT

_LAST: dict[Path, LoadRecord] = {}  # the content folder last read in this process -> how that went


def load_content_again(root: Path, diagnostics: Diagnostics) -> RawContent:
    """All of `root`'s content, as content.load_content reads it, reading only what changed since this process
    last read it."""
    record = _LAST.get(root)
    with cycle_collector_paused():
        raw = _patched(root, record, diagnostics) if record is not None else None
    if raw is not None:
        return raw
    record = LoadRecord()
    _LAST.clear()
    raw = load_content(root, diagnostics, in_process=True, record=record)
    if record.before_events is not None:
        _LAST[root] = record
    return raw


def adopt_record(root: Path, record: LoadRecord) -> None:
    """Take `record` as this process's last reading of `root` (one kept by an earlier build: see snapshot), with
    the plain texts its conversions worked out."""
    _LAST.clear()
    _LAST[root] = record
    for read in record.events:
        remember_plain(read.converted)


def record_of(root: Path) -> LoadRecord | None:
    """The record of this process's last reading of `root`."""
    return _LAST.get(root)


def _patched(root: Path, record: LoadRecord, diagnostics: Diagnostics) -> RawContent | None:
    """The content read by patching the record's with the changed event files; None when that cannot be done."""
    if record.before_events is None or record.listing is None:
        return None
    seen = file_digests(root).stat_key  # what digesting the content just found, else stat the file
    if any(key is None or (seen(os.fspath(file)) or stat_key_of(file)) != key for file, key in record.other_keys.items()):
        return None
    if scan_folder(root / "events") != record.listing:
        return None
    keys = [seen(os.fspath(read.job[2])) or stat_key_of(read.job[2]) for read in record.events]
    changed = [index for index, (read, key) in enumerate(zip(record.events, keys, strict=True)) if key is None or key != read.key]
    jobs = [(Path(record.events[i].job[2]), record.events[i].job[3], EVENT) for i in changed]
    converted = convert_files(jobs, parse_cache(root, in_process=True), [keys[i] for i in changed])
    raw = copy_content(record.before_events)
    diagnostics.items.extend(record.diagnostics)
    fresh = set(changed)
    for index, read in enumerate(record.events):
        if index not in fresh:
            load_event(raw, read.job, read.converted, diagnostics, again=read)
            continue
        reported = len(diagnostics.items)
        conversion = next(converted)
        load_event(raw, read.job, conversion, diagnostics)
        record.events[index] = EventRead(read.job, keys[index], conversion, diagnostics.items[reported:])
    load_pages(raw, diagnostics)
    parse_cache(root, in_process=True).save()
    return raw
