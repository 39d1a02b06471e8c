"""Reading and converting content files: one (`read_and_convert`), or many at once on every core (`convert_files`).

Nothing here looks across files; `content` puts the results together.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.diagnostics import Diagnostics
from timeline.fields import INVALID, Context, Reference, TextOrigin
from timeline.markdown import MarkdownFindings, inspect_markdown, plain_text
from timeline.parsecache import ParseCache, StatKey, dump_group, group_of, stat_key_of, write_group
from timeline.schema import EVENT, REGISTRIES, SITE
from timeline.yamlsource import MAX_BYTES, MAX_REGISTRY_BYTES, MapNode, decode_utf8, is_blank, parse_yaml, read_file

Job = tuple[Path, str, Any]  # a file, the path messages name it by, its schema
PlainReference = tuple[str, str, str, int, int, str]


def plain_references(references: list[Reference]) -> list[PlainReference]:
    return [(ref.kind, ref.value, ref.path, ref.line, ref.column, ref.field) for ref in references]


@dataclass
class Converted:
    """One file read and converted, possibly in another process: everything it reports."""

    value: Any
    marks: dict[str, tuple[int, int]] | None  # None when not kept
    text_origins: dict[str, TextOrigin]
    references: list[PlainReference]  # as plain tuples, which pickle ten times faster than Reference
    diagnostics: list[Any]
    findings: dict[str, MarkdownFindings] = field(default_factory=dict)  # what each Markdown field holds to check
    digest: str = ""  # of the file's bytes
    plain: dict[str, str] = field(default_factory=dict)  # each Markdown field -> its plain words


def read_and_convert(file: Path | str, path: str, schema: Any, keep_marks: bool = False) -> Converted:
    """Read and convert one file. The positions of an event's fields are dropped unless `keep_marks`: they are
    most of what a converted event weighs, and needed only for a message (see RawContent.position)."""
    diagnostics = Diagnostics()
    limit = MAX_BYTES if schema is EVENT else MAX_REGISTRY_BYTES
    data = read_file(file, path, diagnostics, limit)
    if data is not None and schema in REGISTRIES.values() and is_blank(data.decode("utf-8", errors="replace")):
        return Converted({}, {}, {}, [], [], digest=hashlib.sha256(data).hexdigest())  # a new project's registry
    text = None if data is None else decode_utf8(data, path, diagnostics)
    if text is not None and schema in REGISTRIES.values() and len(text) > STREAM_REGISTRY_ABOVE:
        node, value, ctx = _convert_streamed(text, path, schema, diagnostics, limit)
    else:
        node = None if text is None else parse_yaml(text, path, diagnostics, limit)
        ctx = Context(path, diagnostics, source=text)
        value = INVALID if node is None else schema.convert(node, "", ctx)
    if node is None:
        return Converted(INVALID, {}, {}, [], diagnostics.items)
    ctx.marks.setdefault("", (node.line, node.column))
    texts = {where: value_at(value, where) for where in ctx.text_origins}
    findings = {where: inspect_markdown(text) for where, text in texts.items()}
    plain = {where: plain_text(text) for where, text in texts.items() if not findings[where][0]}
    digest = hashlib.sha256(data).hexdigest()  # type: ignore[arg-type]
    marks = ctx.marks if keep_marks or schema is not EVENT else None
    references = plain_references(ctx.references)
    return Converted(value, marks, ctx.text_origins, references, diagnostics.items, findings, digest, plain)


STREAM_REGISTRY_ABOVE = 1_000_000  # characters: a larger registry is converted entry by entry as it is read


def _convert_streamed(text: str, path: str, schema: Any, diagnostics: Diagnostics, limit: int) -> tuple[Any, Any, Context]:
    """A registry converted one entry at a time while it is read, so that no tree of the whole file is ever held:
    a large file's tree weighs some 20 bytes for each of its bytes. Its parse problems, if any, are all that is
    reported (as when a file is parsed whole first)."""
    ctx = Context(path, Diagnostics(), source=text)
    entries: dict[str, Any] = {}

    def convert(entry: MapNode) -> None:
        value = schema.convert(entry, "", ctx)
        if value is not INVALID:
            entries.update(value)

    node = parse_yaml(text, path, diagnostics, limit, convert)
    if node is None:
        return None, INVALID, ctx
    value = schema.convert(node, "", ctx) if not isinstance(node, MapNode) else entries
    diagnostics.extend(ctx.diagnostics.items)
    ctx.diagnostics = diagnostics
    return node, value, ctx


_FIELD_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[]+)")


def value_at(value: Any, where: str) -> Any:
    """The value a field path such as `claims[0].sources[1].quote` names."""
    if where in value:  # a key of the record itself, as an event's summary is
        return value[where]
    for index, key in _FIELD_PATH_PART.findall(where):
        value = value[int(index)] if index else value[key]
    return value


PARALLEL_LOAD_ABOVE = 1000  # files to convert: below this, worker processes cost more than they save


def convert_files(jobs: list[Job], cache: ParseCache, keys: list[StatKey | None] | None = None) -> Iterator[Converted]:
    """Read and convert files, reusing what the cache holds for unchanged ones; the results in the jobs' order,
    each as soon as it is known, so that the caller puts them together while the rest are being converted.

    When there are many to convert, they are converted on every core, a group of the cache at a time (see
    `group_of`): the worker that converts a whole group also writes it into the cache, so the parent only
    gathers the results and never waits to write the cache. `keys` are the files' stat keys, when the caller has them."""
    keys = keys if keys is not None else [stat_key_of(file) for file, _, _ in jobs]
    results: list[Converted | None] = [cache.get(file, path, key) for (file, path, _), key in zip(jobs, keys, strict=True)]
    missing = [index for index, result in enumerate(results) if result is None]
    workers = cores()
    if len(missing) < PARALLEL_LOAD_ABOVE or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index, (file, path, schema) in enumerate(jobs):
            result = results[index]
            if result is None:
                result = read_and_convert(file, path, schema)
                cache.put(file, path, keys[index], result)
            yield result
        return
    cached_groups = {group_of(jobs[index][0]) for index, result in enumerate(results) if result is not None}
    groups: dict[str, list[int]] = {}  # in the order of their first file, as the results are wanted
    for index in missing:
        groups.setdefault(group_of(jobs[index][0]), []).append(index)
    schemas = {id(schema): name for name, schema in _SCHEMAS.items()}  # sent by name: a copy would not be the one
    tasks = [
        _Task(
            name,
            [(jobs[index][0], jobs[index][1], schemas[id(jobs[index][2])]) for index in indexes],
            [keys[index] for index in indexes],
            name not in cached_groups,
            cache.folder,
            cache.version,
        )
        for name, indexes in groups.items()
    ]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        arriving = pool.imap(_convert_group, tasks)
        for index in range(len(jobs)):
            while results[index] is None:  # its group comes next, or after groups of earlier files
                name, blob, unkept, written = next(arriving)
                kept: dict[str, tuple[StatKey, str, Converted]] = pickle.loads(blob)[1]
                cache.adopt(name, kept, written)
                for member in groups[name]:
                    file = jobs[member][0]
                    results[member] = kept[file.name][2] if file.name in kept else unkept[file.name]
            yield results[index]  # type: ignore[misc]


_SCHEMAS: dict[str, Any] = {"site": SITE, "event": EVENT, **REGISTRIES}


@dataclass
class _Task:
    """Files of one group of the cache to convert, and where that group is kept."""

    name: str
    jobs: list[tuple[Path, str, str]]  # a file, its path in messages, the name of its schema
    keys: list[StatKey | None]
    whole: bool  # the group has no other file to keep: what converting these gives is all of it
    folder: Path  # the cache's
    version: str  # the cache's


def _convert_group(task: _Task) -> tuple[str, bytes, dict[str, Converted], bool]:
    """Convert a group's files in a worker: (the group, its entries for the cache pickled once, the results that
    are not to be kept, whether the group was written into the cache)."""
    kept: dict[str, tuple[StatKey, str, Converted]] = {}
    unkept: dict[str, Converted] = {}
    for (file, path, schema), key in zip(task.jobs, task.keys, strict=True):
        converted = read_and_convert(file, path, _SCHEMAS[schema])
        if key is None:
            unkept[file.name] = converted
        else:
            kept[file.name] = (key, path, converted)
    blob = dump_group(task.version, kept)
    written = task.whole and not unkept and write_group(task.folder, task.version, task.name, blob)
    return task.name, blob, unkept, written


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
