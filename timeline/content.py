"""Find and read every content file, converting each with its schema.

The result is plain data plus the position of every field; nothing here looks across files.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from timeline.calendarday import iso_year
from timeline.collector import cycle_collector_paused
from timeline.contentfiles import LINK_HINT, LINK_MESSAGE, NOT_REGULAR_HINT, NOT_REGULAR_MESSAGE, Listing, list_folder
from timeline.controls import CONTROL_HINT, control_position, describe_control
from timeline.diagnostics import Diagnostics
from timeline.fields import INVALID, Context, Reference, TextOrigin
from timeline.markdown import MarkdownFindings, inspect_markdown, plain_text, remember_plain_text
from timeline.pages import page_name_problem
from timeline.parsecache import ParseCache, StatKey, stat_key
from timeline.schema import EVENT, PAGE, REGISTRIES, SITE
from timeline.yamlsource import (
    MAX_BYTES,
    MAX_REGISTRY_BYTES,
    MapNode,
    decode_utf8,
    is_blank,
    parse_yaml,
    read_file,
)

EVENT_STEM = re.compile(r"^(-?\d{4}(?:-\d{2}(?:-\d{2})?)?)-[a-z0-9]+(?:-[a-z0-9]+)*$")  # -0043-03-15-… before 1 BCE
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass
class PageSource:
    """A Markdown page: front matter and body, with the line the body starts on."""

    name: str
    path: str
    meta: dict[str, Any]
    body: str
    body_line: int


@dataclass
class RawContent:
    """Everything read from content/, keyed by id, before cross-file checks."""

    root: Path
    site: dict[str, Any] = field(default_factory=dict)
    registries: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    pages: dict[str, PageSource] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # "events/<id>" or "actors" -> display path
    marks: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # display path -> field -> position
    text_origins: dict[str, dict[str, TextOrigin]] = field(default_factory=dict)  # display path -> field -> origin
    findings: dict[str, dict[str, MarkdownFindings]] = field(default_factory=dict)  # display path -> field -> findings
    digests: dict[str, str] = field(default_factory=dict)  # display path -> sha256 of the file's bytes
    references: list[Reference] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)  # registries and events/<id> that could not be read
    unmarked: dict[str, Path] = field(default_factory=dict)  # display path -> event file whose positions were not kept

    def position(self, path: str, where: str) -> tuple[int, int]:
        """Line and column of a field, falling back to its nearest recorded parent."""
        if path not in self.marks and path in self.unmarked:  # only a message needs them: read the file again
            self.marks[path] = _read_and_convert(self.unmarked[path], path, EVENT, keep_marks=True).marks or {}
        marks = self.marks.get(path, {})
        while where:
            if where in marks:
                return marks[where]
            where = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", where) if re.search(r"[.\[]", where) else ""
        return marks.get("", (1, 1))


def display_path(file: Path, root: Path) -> str:
    """How a file is named in messages: relative to the working directory when possible."""
    return f"{_display_root(root)}/{file.relative_to(root).as_posix()}"


@lru_cache(maxsize=8)
def _display_root(root: Path) -> str:
    try:
        return str(root.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return str(root)


@dataclass
class _Converted:
    """One file read and converted, possibly in another process: everything it reports."""

    value: Any
    marks: dict[str, tuple[int, int]] | None  # None when not kept
    text_origins: dict[str, TextOrigin]
    references: list[Reference]
    diagnostics: list[Any]
    findings: dict[str, MarkdownFindings] = field(default_factory=dict)  # what each Markdown field holds to check
    digest: str = ""  # of the file's bytes
    plain: dict[str, str] = field(default_factory=dict)  # each Markdown field -> its plain words


def _read_and_convert(file: Path, path: str, schema: Any, keep_marks: bool = False) -> _Converted:
    """Read and convert one file. The positions of an event's fields are dropped unless `keep_marks`: they are
    most of what a converted event weighs, and needed only for a message (see RawContent.position)."""
    diagnostics = Diagnostics()
    limit = MAX_BYTES if schema is EVENT else MAX_REGISTRY_BYTES
    data = read_file(file, path, diagnostics, limit)
    if data is not None and schema in REGISTRIES.values() and is_blank(data.decode("utf-8", errors="replace")):
        return _Converted({}, {}, {}, [], [], digest=hashlib.sha256(data).hexdigest())  # a new project's registry
    text = None if data is None else decode_utf8(data, path, diagnostics)
    if text is not None and schema in REGISTRIES.values() and len(text) > STREAM_REGISTRY_ABOVE:
        node, value, ctx = _convert_streamed(text, path, schema, diagnostics, limit)
    else:
        node = None if text is None else parse_yaml(text, path, diagnostics, limit)
        ctx = Context(path, diagnostics, source=text)
        value = INVALID if node is None else schema.convert(node, "", ctx)
    if node is None:
        return _Converted(INVALID, {}, {}, [], diagnostics.items)
    ctx.marks.setdefault("", (node.line, node.column))
    texts = {where: _value_at(value, where) for where in ctx.text_origins}
    findings = {where: inspect_markdown(text) for where, text in texts.items()}
    plain = {where: plain_text(text) for where, text in texts.items() if not findings[where][0]}
    digest = hashlib.sha256(data).hexdigest()  # type: ignore[arg-type]
    marks = ctx.marks if keep_marks or schema is not EVENT else None
    return _Converted(value, marks, ctx.text_origins, ctx.references, diagnostics.items, findings, digest, plain)


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


def _value_at(value: Any, where: str) -> Any:
    """The value a field path such as `claims[0].sources[1].quote` names."""
    for index, key in _FIELD_PATH_PART.findall(where):
        value = value[int(index)] if index else value[key]
    return value


def _merge(converted: _Converted, path: str, raw: RawContent, diagnostics: Diagnostics) -> Any:
    if converted.marks is not None:
        raw.marks[path] = converted.marks
    raw.text_origins[path] = converted.text_origins
    raw.findings[path] = converted.findings
    raw.digests[path] = converted.digest
    remember_plain_text({_value_at(converted.value, where): plain for where, plain in converted.plain.items()})
    raw.references.extend(converted.references)
    diagnostics.extend(converted.diagnostics)
    return converted.value


PARALLEL_LOAD_ABOVE = 1000  # event files: below this, worker processes cost more than they save


def _convert_files(jobs: list[tuple[Path, str, Any]], cache: ParseCache) -> list[_Converted]:
    """Read and convert files (file, display path, schema), reusing what the cache holds for unchanged ones.

    The rest are read on every core when there are many (the work is independent per file)."""
    keys = [_stat_key(file) for file, _, _ in jobs]
    results: list[_Converted | None] = [cache.get(file, path, key) for (file, path, _), key in zip(jobs, keys, strict=True)]
    missing = [index for index, result in enumerate(results) if result is None]
    todo = [jobs[index] for index in missing]
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if len(todo) < PARALLEL_LOAD_ABOVE or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        converted = [_read_and_convert(*job) for job in todo]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            converted = pool.starmap(_read_and_convert, todo, chunksize=256)
    for index, result in zip(missing, converted, strict=True):
        file, path, _ = jobs[index]
        cache.put(file, path, keys[index], result)
        results[index] = result
    return results  # type: ignore[return-value]


def _stat_key(file: Path) -> StatKey | None:
    try:
        return stat_key(file.lstat(), file)
    except OSError:
        return None


def _convert(text: str, schema: Any, path: str, raw: RawContent, diagnostics: Diagnostics) -> Any:
    node = parse_yaml(text, path, diagnostics)
    if node is None:
        return INVALID
    ctx = Context(path, diagnostics, source=text)
    value = schema.convert(node, "", ctx)
    ctx.marks.setdefault("", (node.line, node.column))
    return _merge(_Converted(value, ctx.marks, ctx.text_origins, ctx.references, []), path, raw, diagnostics)


def load_content(root: Path, diagnostics: Diagnostics) -> RawContent:
    """Read site.yaml, the registries, every event and every page under `root`."""
    raw = RawContent(root)
    if not root.is_dir():
        diagnostics.error(str(root), 1, 1, "the content folder does not exist", "run from the project's root, or pass --content")
        return raw
    with cycle_collector_paused():
        return _load_all(root, raw, diagnostics)


def _load_all(root: Path, raw: RawContent, diagnostics: Diagnostics) -> RawContent:
    cache = ParseCache(root)
    jobs: list[tuple[Path, str, Any]] = [(root / "site.yaml", display_path(root / "site.yaml", root), SITE)]
    raw.paths["site"] = jobs[0][1]
    for name, registry in REGISTRIES.items():
        file = root / f"{name}.yaml"
        raw.paths[name] = display_path(file, root)
        jobs.append((file, raw.paths[name], registry))
    present = [job for job in jobs if os.path.lexists(job[0])]  # a link or a folder is read, and refused, like a file
    converted = dict(zip((path for _, path, _ in present), _convert_files(present, cache), strict=True))
    _load_site(raw, converted.get(raw.paths["site"]), diagnostics)
    for name in REGISTRIES:
        path = raw.paths[name]
        if path not in converted:
            diagnostics.error(path, 1, 1, f"{name}.yaml is missing", f"create {path}; it maps ids to entries")
            raw.registries[name] = {}
            raw.unreadable.add(name)
            continue
        value = _merge(converted[path], path, raw, diagnostics)
        raw.registries[name] = value if value is not INVALID else {}
        if value is INVALID:
            raw.unreadable.add(name)
    listing = list_folder(root / "events")
    _refuse_links_and_others(listing, raw, diagnostics)
    events = [file for file in listing.files if not file.name.startswith(".")]
    _load_events(raw, events, cache, diagnostics)
    _load_pages(raw, diagnostics)
    cache.keep_only([file for file, _, _ in jobs] + events)
    cache.save()
    return raw


def _load_site(raw: RawContent, converted: _Converted | None, diagnostics: Diagnostics) -> None:
    path = raw.paths["site"]
    if converted is None:
        diagnostics.error(path, 1, 1, "site.yaml is missing", "create it with title, description, base_url, language, timezone")
        return
    value = _merge(converted, path, raw, diagnostics)
    raw.site = value if value is not INVALID else {}


def event_files(root: Path) -> list[Path]:
    """Every regular file under content/events (links are not content), in a stable order."""
    return [file for file in list_folder(root / "events").files if not file.name.startswith(".")]


def _refuse_links_and_others(listing: Listing, raw: RawContent, diagnostics: Diagnostics, events: bool = True) -> None:
    """Links and special files in a content folder are errors; a link named like an event still claims its id."""
    for link in listing.links:
        path = display_path(link, raw.root)
        diagnostics.error(path, 1, 1, LINK_MESSAGE, LINK_HINT)
        if events and link.suffix == ".yaml" and EVENT_STEM.fullmatch(link.stem):
            raw.paths.setdefault(f"events/{link.stem}", path)  # so uses of its id are not reported as unknown too
            raw.unreadable.add(f"events/{link.stem}")
    for other in listing.others:
        diagnostics.error(display_path(other, raw.root), 1, 1, NOT_REGULAR_MESSAGE, NOT_REGULAR_HINT)


def _load_events(raw: RawContent, files: list[Path], cache: ParseCache, diagnostics: Diagnostics) -> None:
    jobs: list[tuple[str, str, Path, str]] = []  # event id, year folder, file, display path
    for file in files:
        path = display_path(file, raw.root)
        relative = file.relative_to(raw.root / "events")
        if file.suffix != ".yaml":
            hint = f"rename it to {file.stem}.yaml" if file.suffix == ".yml" else "event files are YAML files ending in .yaml"
            diagnostics.error(path, 1, 1, "this file in content/events is not a .yaml file", hint)
            continue
        if len(relative.parts) != 2 or not re.fullmatch(r"-?\d{4}", relative.parts[0]):
            hint = "move it to content/events/YYYY/ (-YYYY before 1 BCE)"
            diagnostics.error(path, 1, 1, "event files go in a folder named after their year", hint)
            continue
        event_id = file.stem
        if not EVENT_STEM.fullmatch(event_id):
            diagnostics.error(
                path,
                1,
                1,
                f"the file name '{file.name}' is not of the form YYYY-MM-DD-slug.yaml",
                "use the event's date then a few lowercase words joined by hyphens, e.g. 2022-07-03-lysychansk-falls.yaml",
            )
            continue
        if event_id in raw.events or f"events/{event_id}" in raw.paths:
            first = raw.paths[f"events/{event_id}"]
            diagnostics.error(path, 1, 1, f"the event id '{event_id}' is also used by {first}", "rename one of the two files")
            continue
        raw.paths[f"events/{event_id}"] = path
        jobs.append((event_id, relative.parts[0], file, path))
    results = _convert_files([(file, path, EVENT) for _, _, file, path in jobs], cache)
    for (event_id, folder, file, path), converted in zip(jobs, results, strict=True):
        value = _merge(converted, path, raw, diagnostics)
        if converted.marks is None:
            raw.unmarked[path] = file
        if value is INVALID:
            raw.unreadable.add(f"events/{event_id}")
            continue
        _check_event_name(event_id, folder, value, path, raw, diagnostics)
        raw.events[event_id] = value


def _check_event_name(
    event_id: str, folder: str, event: dict[str, Any], path: str, raw: RawContent, diagnostics: Diagnostics
) -> None:
    date = event.get("date")
    if date is None:
        return
    if int(folder) != date.start.year:
        diagnostics.error(
            path,
            *raw.position(path, "date"),
            f"the date is in {iso_year(date.start.year)} but the file is in events/{folder}/",
            f"move the file to content/events/{iso_year(date.start.year)}/",
            "date",
        )
    prefix = EVENT_STEM.fullmatch(event_id).group(1)  # type: ignore[union-attr]
    expected = str(date.start).rstrip("~?%")
    if prefix != expected:
        diagnostics.error(
            path,
            *raw.position(path, "date"),
            f"the file name starts with {prefix} but the date is {date}",
            f"rename the file to {expected}-{event_id[len(prefix) + 1 :]}.yaml, or correct the date",
            "date",
        )


def _load_pages(raw: RawContent, diagnostics: Diagnostics) -> None:
    listing = list_folder(raw.root / "pages", recursive=False)
    _refuse_links_and_others(listing, raw, diagnostics, events=False)
    for file in (file for file in listing.files if file.suffix == ".md"):
        path = display_path(file, raw.root)
        name_problem = page_name_problem(file.stem)
        if name_problem is not None:
            diagnostics.error(path, 1, 1, *name_problem)
            continue
        data = read_file(file, path, diagnostics)
        text = None if data is None else _page_text(data, path, diagnostics)
        if text is None:
            continue
        match = _FRONT_MATTER.match(text)
        if not match:
            _no_front_matter(text, path, diagnostics)
            continue
        front = "\n" + (match.group(1) or "")  # a blank first line keeps line numbers true to the file
        meta = _convert(front, PAGE, path, raw, diagnostics)
        raw.digests[path] = hashlib.sha256(data).hexdigest()  # type: ignore[arg-type]
        if meta is INVALID:
            continue
        body_line = text[: match.end()].count("\n") + 1
        raw.pages[file.stem] = PageSource(file.stem, path, meta, text[match.end() :], body_line)


def _page_text(data: bytes, path: str, diagnostics: Diagnostics) -> str | None:
    """A page's text with LF line ends; None (reported) if it is not UTF-8 or holds a control character."""
    text = decode_utf8(data, path, diagnostics)
    if text is None:
        return None
    control = control_position(text)
    if control:
        line, column, char = control
        diagnostics.error(path, line, column, f"the page contains the control character {describe_control(char)}", CONTROL_HINT)
        return None
    return text.replace("\r\n", "\n")  # CRLF line ends: same lines, same columns


def _no_front_matter(text: str, path: str, diagnostics: Diagnostics) -> None:
    if re.match(r"---[ \t]*(\n|\Z)", text):
        diagnostics.error(path, 1, 1, "the page's front matter is never closed", "end it with a line of three hyphens: ---")
    else:
        diagnostics.error(path, 1, 1, "the page has no front matter", "start it with ---, a `title:` line, then ---")
