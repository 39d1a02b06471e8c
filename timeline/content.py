"""Find and read every content file, converting each with its schema.

The result is plain data plus the position of every field; nothing here looks across files.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from timeline.calendarday import era_year, iso_year
from timeline.collector import cycle_collector_paused
from timeline.contentfiles import LINK_HINT, LINK_MESSAGE, NOT_REGULAR_HINT, NOT_REGULAR_MESSAGE, Listing, list_folder
from timeline.controls import CONTROL_HINT, control_position, describe_control
from timeline.convert import Converted, Job, convert_files, plain_references, read_and_convert, value_at
from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.fields import INVALID, Context, Reference, TextOrigin
from timeline.markdown import MarkdownFindings, remember_plain_text
from timeline.pages import page_name_problem
from timeline.parsecache import ParseCache, StatKey, parse_cache, stat_key_of
from timeline.schema import EVENT, PAGE, REGISTRIES, SITE
from timeline.yamlsource import decode_utf8, parse_yaml, read_file

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
    unmarked: dict[str, Path | str] = field(default_factory=dict)  # display path -> event file whose positions were not kept

    def position(self, path: str, where: str) -> tuple[int, int]:
        """Line and column of a field, falling back to its nearest recorded parent."""
        if path not in self.marks and path in self.unmarked:  # only a message needs them: read the file again
            self.marks[path] = read_and_convert(self.unmarked[path], path, EVENT, keep_marks=True).marks or {}
        marks = self.marks.get(path, {})
        while where:
            if where in marks:
                return marks[where]
            where = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", where) if re.search(r"[.\[]", where) else ""
        return marks.get("", (1, 1))


def display_path(file: Path, root: Path) -> str:
    """How a file is named in messages: relative to the working directory when possible."""
    return f"{_display_root(root)}/{_relative(file, root)}"


def _relative(file: Path, root: Path) -> str:
    """`file` relative to `root`, with forward slashes; by string when `file` was made from `root`, as listed
    files are (pathlib's relative_to costs more than reading a small file)."""
    whole, start = os.fspath(file), os.fspath(root)  # both normalised by pathlib, but for ".."
    if whole.startswith(start) and whole[len(start) : len(start) + 1] == os.sep and ".." not in whole:
        return whole[len(start) + 1 :].replace(os.sep, "/")
    return file.relative_to(root).as_posix()


@lru_cache(maxsize=8)
def _display_root(root: Path) -> str:
    try:
        return str(root.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return str(root)


def _merge(converted: Converted, path: str, raw: RawContent, diagnostics: Diagnostics, again: EventRead | None = None) -> Any:
    """Add a converted file to `raw`, and its problems to `diagnostics`; `again`, as that same conversion was
    added before (its problems are taken from there, and its plain texts are known)."""
    if converted.marks is not None:
        raw.marks[path] = converted.marks
    raw.text_origins[path] = converted.text_origins
    raw.findings[path] = converted.findings
    raw.digests[path] = converted.digest
    raw.references.extend(map(_as_reference, converted.references))
    if again is None:
        remember_plain(converted)
        diagnostics.extend(converted.diagnostics)
    return converted.value


def remember_plain(converted: Converted) -> None:
    """Tell the Markdown module the plain texts worked out when the file was converted (see markdown.plain_text)."""
    remember_plain_text({value_at(converted.value, where): plain for where, plain in converted.plain.items()})


_as_reference = partial(tuple.__new__, Reference)  # Reference._make without its Python call


def _convert(text: str, schema: Any, path: str, raw: RawContent, diagnostics: Diagnostics) -> Any:
    node = parse_yaml(text, path, diagnostics)
    if node is None:
        return INVALID
    ctx = Context(path, diagnostics, source=text)
    value = schema.convert(node, "", ctx)
    ctx.marks.setdefault("", (node.line, node.column))
    references = plain_references(ctx.references)
    return _merge(Converted(value, ctx.marks, ctx.text_origins, references, []), path, raw, diagnostics)


@dataclass
class EventRead:
    """What reading one event file gave: its job, its conversion, and what it added to the content and the
    diagnostics (see LoadRecord)."""

    job: EventJob
    key: StatKey | None
    converted: Converted
    diagnostics: list[Diagnostic]

    def __getstate__(self) -> tuple[Any, ...]:  # the file as a plain path: a record loads 10,000 Paths otherwise
        event_id, folder, file, path = self.job
        return (event_id, folder, os.fspath(file), path), self.key, self.converted, self.diagnostics

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.job, self.key, self.converted, self.diagnostics = state


@dataclass
class LoadRecord:
    """How one reading of the content went, so that the next one in the same process can read only the event files
    that changed (see contentpatch): the content as it stood before the events were read (a copy), the stat keys of
    the files other than events, the events folder's listing, the diagnostics up to the events and each event's."""

    before_events: RawContent | None = None
    other_keys: dict[Path, StatKey | None] = field(default_factory=dict)
    listing: tuple[list[str], list[str], list[str]] | None = None  # the events folder's (see scan_folder)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    events: list[EventRead] = field(default_factory=list)


def load_content(root: Path, diagnostics: Diagnostics, in_process: bool = False, record: LoadRecord | None = None) -> RawContent:
    """Read site.yaml, the registries, every event and every page under `root`; `in_process`, keep what was
    converted in this process too, for the next build (see parsecache.parse_cache). With a `record`, how the reading
    went is noted in it."""
    raw = RawContent(root)
    if not root.is_dir():
        diagnostics.error(str(root), 1, 1, "the content folder does not exist", "run from the project's root, or pass --content")
        return raw
    with cycle_collector_paused():
        return _load_all(root, raw, diagnostics, parse_cache(root, in_process), record)


def copy_content(raw: RawContent) -> RawContent:
    """A copy of `raw` whose containers can be changed without changing raw's (the values are shared)."""
    return RawContent(
        raw.root,
        raw.site,
        raw.registries,
        dict(raw.events),
        dict(raw.pages),
        dict(raw.paths),
        dict(raw.marks),
        dict(raw.text_origins),
        dict(raw.findings),
        dict(raw.digests),
        list(raw.references),
        set(raw.unreadable),
        dict(raw.unmarked),
    )


def _load_all(
    root: Path, raw: RawContent, diagnostics: Diagnostics, cache: ParseCache, record: LoadRecord | None = None
) -> RawContent:
    start = len(diagnostics.items)
    jobs: list[Job] = [(root / "site.yaml", display_path(root / "site.yaml", root), SITE)]
    raw.paths["site"] = jobs[0][1]
    for name, registry in REGISTRIES.items():
        file = root / f"{name}.yaml"
        raw.paths[name] = display_path(file, root)
        jobs.append((file, raw.paths[name], registry))
    present = [job for job in jobs if os.path.lexists(job[0])]  # a link or a folder is read, and refused, like a file
    listing = list_folder(root / "events")
    listed = Diagnostics()  # what the listing of the events finds: reported after the registries' problems
    _refuse_links_and_others(listing, raw, listed)
    events = [file for file in listing.files if not file.name.startswith(".")]
    event_jobs = _event_jobs(raw, events, listed)
    all_jobs = present + [(Path(file) if isinstance(file, str) else file, path, EVENT) for _, _, file, path in event_jobs]
    keys = [stat_key_of(file) for file, _, _ in all_jobs]
    # every file at once, so that the registries are converted on one core while the events are on the other
    results = convert_files(all_jobs, cache, keys)
    converted = {path: next(results) for _, path, _ in present}
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
    diagnostics.extend(listed.items)
    if record is not None:
        record.before_events = copy_content(raw)
        record.other_keys = {file: None for file, _, _ in jobs}  # a missing file: none of its kind may come
        record.other_keys.update((file, key) for (file, _, _), key in zip(present, keys, strict=False))
        record.listing = tuple(list(map(os.fspath, found)) for found in (listing.files, listing.links, listing.others))  # type: ignore[assignment]
        record.diagnostics = diagnostics.items[start:]
    event_keys = keys[len(present) :]
    _load_events(raw, event_jobs, event_keys, results, diagnostics, record)
    load_pages(raw, diagnostics)
    cache.keep_only([file for file, _, _ in jobs] + events)
    cache.save()
    return raw


def _load_site(raw: RawContent, converted: Converted | None, diagnostics: Diagnostics) -> None:
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


EventJob = tuple[str, str, Path | str, str]  # event id, year folder, file, display path


def _event_jobs(raw: RawContent, files: list[Path], diagnostics: Diagnostics) -> list[EventJob]:
    """The event files to read, each claiming its id; files misnamed or misplaced are reported instead."""
    jobs: list[EventJob] = []
    for file in files:
        path = display_path(file, raw.root)
        relative = _relative(file, raw.root / "events").split("/")
        if file.suffix != ".yaml":
            hint = f"rename it to {file.stem}.yaml" if file.suffix == ".yml" else "event files are YAML files ending in .yaml"
            diagnostics.error(path, 1, 1, "this file in content/events is not a .yaml file", hint)
            continue
        if len(relative) != 2 or not re.fullmatch(r"-?\d{4}", relative[0]):
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
        if f"events/{event_id}" in raw.paths:
            first = raw.paths[f"events/{event_id}"]
            diagnostics.error(path, 1, 1, f"the event id '{event_id}' is also used by {first}", "rename one of the two files")
            continue
        raw.paths[f"events/{event_id}"] = path
        jobs.append((event_id, relative[0], file, path))
    return jobs


def _load_events(
    raw: RawContent,
    jobs: list[EventJob],
    keys: list[StatKey | None],
    results: Iterator[Converted],
    diagnostics: Diagnostics,
    record: LoadRecord | None = None,
) -> None:
    for job, key, converted in zip(jobs, keys, results, strict=True):
        if record is None:
            load_event(raw, job, converted, diagnostics)
            continue
        reported = len(diagnostics.items)
        load_event(raw, job, converted, diagnostics)
        record.events.append(EventRead(job, key, converted, diagnostics.items[reported:]))


def load_event(
    raw: RawContent, job: EventJob, converted: Converted, diagnostics: Diagnostics, again: EventRead | None = None
) -> None:
    """Add one converted event file to `raw`, with its problems; `again`, as it was added before (see _merge)."""
    event_id, folder, file, path = job
    value = _merge(converted, path, raw, diagnostics, again)
    if converted.marks is None:
        raw.unmarked[path] = file
    if value is INVALID:
        raw.unreadable.add(f"events/{event_id}")
    elif again is None:
        _check_event_name(event_id, folder, value, path, raw, diagnostics)
    if again is not None:
        diagnostics.items.extend(again.diagnostics)
    if value is not INVALID:
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
            f"the date is in {_year_words(date.start.year)} but the file is in events/{folder}/",
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


def _year_words(year: int) -> str:
    """A year as its folder is named, and before 1 CE as a reader counts it too: `-0043 (44 BCE)`."""
    return iso_year(year) if year > 0 else f"{iso_year(year)} ({era_year(year)})"


def load_pages(raw: RawContent, diagnostics: Diagnostics) -> None:
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
