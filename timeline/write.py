"""Render every output of the site and hand it to the writer, which swaps the whole new site in."""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from timeline.charts import build_charts, build_maps, map_assets, plotly_assets, plotly_style_ids
from timeline.exports import export_files
from timeline.exports.jsonfeed import json_feed
from timeline.feeds import DataFile, atom_feed, data_export, sitemaps
from timeline.memories import KEPT_UP_TO
from timeline.model import Timeline
from timeline.output import SiteWriter, Staged, fingerprint
from timeline.pagekeys import all_events_key, build_key, page_key
from timeline.pages import PageSpec, plan_pages, source_pages
from timeline.progress import QUIET, Progress
from timeline.render import Fragments, make_environment
from timeline.rendercache import Entry, RenderCache, render_cache
from timeline.report import BuildReport
from timeline.search import search_files
from timeline.theme import static_files


def copy_static(templates: Path, writer: SiteWriter, timeline: Timeline) -> dict[str, str]:
    """Copy the theme's static files (the project's own first), plotly's files and the maps' base map with
    fingerprinted names; returns name -> path below the root."""
    files = {name: path.read_bytes() for name, path in static_files(templates).items()}
    files.update(plotly_assets())
    files.update(map_assets(timeline))
    assets: dict[str, str] = {}
    for name, data in files.items():
        stem, dot, suffix = name.rpartition(".")
        assets[name] = f"static/{stem}.{fingerprint(data)}.{suffix}" if dot else f"static/{name}"
        writer.write(assets[name], data)
    return assets


def template_position(exc: TemplateError, templates: Path) -> tuple[str, int]:
    """The template file and line an error comes from (Jinja puts template lines in the traceback)."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    position = (str(templates), 1)
    trace = exc.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml")):
            position = (filename, trace.tb_lineno)
        trace = trace.tb_next
    return position


PARALLEL_ABOVE = 400  # pages: below this, starting worker processes costs more than it saves
EVENTS_PER_JOB_PAGE = 20  # a job (a feed, an export, the search index) costs about a page per this many events
_SHARED: dict[str, Any] = {}  # what forked workers inherit: the environment, the pages, their keys, the writer


CHUNK = 200  # pages a worker renders before reporting back
COPY_CHUNK = 1000  # pages from the cache a worker puts in the tree before reporting back
COPIES_PER_PAGE = 4  # putting a page from the cache in the tree costs about a quarter of rendering it


def _render(env: Environment, page: PageSpec) -> bytes:
    return _page_text(env, page).encode("utf-8")


def _page_text(env: Environment, page: PageSpec) -> str:
    return env.get_template(page.template).render(page=page, root=page.root, **page.context)


def _page_job(env: Environment, page: PageSpec) -> dict[str, str]:
    return {page.output: _page_text(env, page)}


Job = tuple[str, Callable[[], dict[str, str]]]  # outputs made together (a feed, an export): their key and maker
Copy = tuple[str, str, Path, Entry]  # an output found in the cache of rendered outputs: its path, key, file and entry
Done = tuple[str, dict[str, Staged], dict[str, tuple[Entry, ...]], list[int]]  # see _task


def _kept(key: str, staged: dict[str, Staged]) -> dict[str, tuple[Entry, ...]]:
    """Put outputs just staged from `key` in the cache of rendered outputs (a hard link each): what to add to it."""
    cache: RenderCache = _SHARED["cache"]
    writer: SiteWriter = _SHARED["writer"]
    if cache.knows(key):
        return {}
    entries = [cache.place(key, name, writer.staging / name, s.digest, s.size) for name, s in staged.items()]
    return {key: tuple(e for e in entries if e is not None)} if all(entries) else {}


def _render_chunk(start: int) -> Done:
    """Render pages[start:start + CHUNK] and stage them."""
    env, pages, keys, writer = _SHARED["env"], _SHARED["pages"], _SHARED["keys"], _SHARED["writer"]
    staged: dict[str, Staged] = {}
    kept: dict[str, tuple[Entry, ...]] = {}
    for page, key in zip(pages[start : start + CHUNK], keys[start : start + CHUNK], strict=True):
        staged[page.output] = writer.stage(page.output, _render(env, page), key)
        kept.update(_kept(key, {page.output: staged[page.output]}))
    return "pages", staged, kept, []


def _make_job(index: int) -> Done:
    """Make the outputs of jobs[index] and stage them."""
    key, make = _SHARED["jobs"][index]
    writer: SiteWriter = _SHARED["writer"]
    staged = {name: writer.stage(name, text.encode("utf-8"), key) for name, text in make().items()}
    return "job", staged, _kept(key, staged), []


def _copy_chunk(start: int) -> Done:
    """Put copies[start:start + COPY_CHUNK] in the tree; the numbers of those whose file was gone."""
    copies: Sequence[Copy] = _SHARED["copies"]
    writer: SiteWriter = _SHARED["writer"]
    staged: dict[str, Staged] = {}
    gone: list[int] = []
    for number, (relative, key, source, entry) in enumerate(copies[start : start + COPY_CHUNK], start=start):
        done = writer.stage_file(relative, source, entry.digest, entry.size, key)
        if done is None:
            gone.append(number)
        else:
            staged[relative] = done
    return "copies", staged, {}, gone


def _task(task: tuple[str, int]) -> Done:
    kind, number = task
    return {"job": _make_job, "copies": _copy_chunk, "pages": _render_chunk}[kind](number)


def _start_worker(parent: int) -> None:
    """Run in each worker as it starts."""
    _die_with_parent(parent)
    fragments = getattr(_SHARED.get("env"), "globals", {}).get("fragments")
    if isinstance(fragments, Fragments):
        fragments.in_worker()


def _die_with_parent(parent: int) -> None:
    """Stop when the build is killed (even by SIGKILL) instead of waiting for work forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores if "fork" in multiprocessing.get_all_start_methods() else 1


def render_pages(
    env: Environment,
    pages: list[PageSpec],
    keys: list[str],
    writer: SiteWriter,
    progress: Progress = QUIET,
    jobs: Sequence[Job] = (),
    job_weight: int = 0,
    copies: Sequence[Copy] = (),
    cache: RenderCache | None = None,
    here: Sequence[Job] = (),
) -> list[tuple[str, str]]:
    """Render pages, make the jobs' outputs and put the copies from the cache in the tree, on every core when there
    is enough to do (forked workers share the model). The jobs go first: each is long and made in one piece, and
    pages fill the cores around them. `job_weight` is what a job costs in pages. The jobs `here` are made in this
    process, while the workers work. What was made goes in the cache.
    Returns the copies whose file left the cache since it was looked at, with their keys: they are to be rendered."""
    workers = _workers()
    cache = cache or render_cache()
    work = len(pages) + job_weight * len(jobs) + len(copies) // COPIES_PER_PAGE
    if work >= PARALLEL_ABOVE and workers > 1:
        _SHARED.update(env=env, pages=pages, keys=keys, writer=writer, jobs=jobs, copies=copies, cache=cache)
        gc.freeze()  # else a collection in a worker writes to every object's header, copying the whole model
        rendered = 0
        tasks = [("job", index) for index in range(len(jobs))]
        tasks += [("pages", start) for start in range(0, len(pages), CHUNK)]
        tasks += [("copies", start) for start in range(0, len(copies), COPY_CHUNK)]
        recorded: list[str] = []
        gone: list[int] = []
        try:
            context = multiprocessing.get_context("fork")
            start, parent = _start_worker, (os.getpid(),)
            with context.Pool(workers, start, parent) as pool:  # each worker lives for the whole build (see Fragments)
                results = pool.imap_unordered(_task, tasks)  # the pool's own threads hand the tasks out from here on
                recorded += _make_jobs(here, writer)
                for kind, staged, kept, missing in results:
                    writer.record(staged)
                    recorded += staged
                    gone += missing
                    for key, entries in kept.items():
                        cache.add(key, entries)
                    rendered += len(staged) if kind == "pages" else 0
                    if kind != "copies":  # putting pages from the cache in the tree is its caller's stage
                        progress.update("rendering pages", rendered, len(pages))
            for number in gone:
                writer.forget(copies[number][0])
            return [(copies[number][0], copies[number][1]) for number in gone]
        except TemplateError:
            for relative in recorded:  # render again here, where the error's traceback points at the template line
                writer.forget(relative)
        finally:
            _SHARED.clear()
    left = [
        (relative, key)
        for relative, key, file, entry in copies
        if not writer.adopt(relative, file, entry.digest, entry.size, key)
    ]
    for number, (page, key) in enumerate(zip(pages, keys, strict=True), start=1):
        writer.write(page.output, _render(env, page), key)
        if number % CHUNK == 0:
            progress.update("rendering pages", number, len(pages))
    _make_jobs([*jobs, *here], writer)
    return left


def _make_jobs(jobs: Sequence[Job], writer: SiteWriter) -> list[str]:
    """Make the jobs' outputs here and write them; their paths."""
    made = []
    for key, make in jobs:
        for name, text in make().items():
            writer.write(name, text, key)
            made.append(name)
    return made


def from_cache(writer: SiteWriter, cache: RenderCache, key: str) -> bool:
    """Take the outputs made from `key` from the rendered-output cache; False (and nothing taken) if it lacks any."""
    entries = cache.entries(key)
    taken: list[str] = []
    for entry in entries:
        if entry.relative in writer.outputs or not writer.adopt(
            entry.relative, cache.path(key, entry.relative), entry.digest, entry.size, key
        ):
            for relative in taken:
                writer.forget(relative)
            return False
        taken.append(entry.relative)
    return bool(entries)


def pages_to_render(
    pages: list[PageSpec], build: str, every_event: str, writer: SiteWriter, cache: RenderCache
) -> tuple[list[PageSpec], list[str], list[Copy]]:
    """The pages whose inputs changed since the last build, with their keys, and those of them the cache of rendered
    outputs has; the others are kept as they are."""
    todo: list[PageSpec] = []
    keys: list[str] = []
    copies: list[Copy] = []
    for page in pages:
        key = page_key(page, build, every_event)
        if writer.keep(page.output, key):
            continue
        entries = cache.entries(key)
        if len(entries) == 1 and entries[0].relative == page.output:
            copies.append((page.output, key, cache.path(key, page.output), entries[0]))
            continue
        todo.append(page)
        keys.append(key)
    return todo, keys, copies


def jobs_to_do(writer: SiteWriter, cache: RenderCache, jobs: list[Job]) -> list[Job]:
    """Outputs made together from the same inputs (a feed, the data export): kept if their key is unchanged, or
    taken from the cache; the jobs whose outputs must be made."""
    return [(key, make) for key, make in jobs if not writer.keep_all(key) and not from_cache(writer, cache, key)]


def cache_key(staged: Staged) -> str:
    """What an output is kept by in the cache of rendered outputs: its key, or its digest when it has no key."""
    return staged.key or f"file:{staged.digest}"


def keep_rendered(writer: SiteWriter, cache: RenderCache) -> None:
    """Put every output in the cache of rendered outputs (linked, not written again), and save it. Outputs whose
    key the cache holds already cost a look-up (and no object that outlives it): only new ones are gathered."""
    counts: dict[str, int] = {}
    for staged in writer.outputs.values():
        key = cache_key(staged)
        counts[key] = counts.get(key, 0) + 1
    new = {key for key, count in counts.items() if not cache.holds(key, count)}
    groups: dict[str, list[tuple[Path | str, str, str, int]]] = {}
    staging = str(writer.staging)
    for relative, staged in writer.outputs.items() if new else ():
        if (key := cache_key(staged)) in new:
            groups.setdefault(key, []).append((f"{staging}/{relative}", relative, staged.digest, staged.size))
    for key, files in groups.items():
        cache.store(key, files)
    cache.save(counts.keys())


def _made(data: DataFile) -> dict[str, str]:
    return {data.name: data.make()}


def _group_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def derived_jobs(timeline: Timeline, in_sitemap: list[str], build: str, every_event: str) -> tuple[list[Job], list[Job]]:
    """The outputs made together from the whole timeline or a part of it: feeds, search index, data, exports, sitemap.
    Those made from pieces kept per event (see eventmemo) come second."""
    base = timeline.site.base_url
    feeds = {"feed.xml": atom_feed, "feed.json": json_feed}
    jobs: list[Job] = []
    remembering: list[Job] = [
        (_group_key("feed", build, every_event), lambda: {n: f(timeline) for n, f in feeds.items()}),
        (_group_key("search", build, every_event), lambda: search_files(timeline)),
    ]
    for data in data_export(timeline) + export_files(timeline):
        job = (_group_key("data", build, data.name, data.key), functools.partial(_made, data))
        (remembering if data.remembers else jobs).append(job)
    jobs.append((_group_key("sitemap", build, *in_sitemap), lambda: sitemaps(base, in_sitemap)))
    return jobs, remembering


_DRAWN: dict[int, tuple[Timeline, dict[str, Any], dict[str, Any]]] = {}  # the last model's charts and maps


def _drawings(timeline: Timeline) -> tuple[dict[str, Any], dict[str, Any]]:
    """The charts and maps of `timeline`, drawn once for it: `serve` reuses its model while only templates change."""
    if id(timeline) not in _DRAWN:
        _DRAWN.clear()
        _DRAWN[id(timeline)] = (timeline, build_charts(timeline), build_maps(timeline))
    return _DRAWN[id(timeline)][1:]


def _environment(timeline: Timeline, templates: Path, assets: dict[str, str], drawn: bool) -> Environment:
    """The templates' environment; the charts and maps are drawn only when `drawn` (a page will be rendered)."""
    charts, maps = _drawings(timeline) if drawn else ({}, {})
    return make_environment(
        templates,
        {
            "timeline": timeline,
            "site": timeline.site,
            "assets": assets,
            "charts": charts,
            "maps": maps,
            "plotly_style_ids": " ".join(plotly_style_ids()),
            "source_pages": source_pages(timeline),
        },
    )


def write_site(
    timeline: Timeline,
    templates: Path,
    writer: SiteWriter,
    progress: Progress = QUIET,
    cache: RenderCache | None = None,
    keeps_pieces: bool = False,
) -> BuildReport:
    """Render what changed, reuse what the writer has from the last builds or the cache has, and swap the new site in.

    A build that `keeps_pieces` makes the outputs built from pieces kept per event in this process, where the
    pieces stay for its next build (serve's) or are kept with the snapshot (see memories); otherwise workers make
    them with the rest. A timeline of more than memories.KEPT_UP_TO events keeps them only when told to."""
    progress.update("planning pages")
    cache = cache or render_cache()
    try:
        assets = copy_static(templates, writer, timeline)
        pages = plan_pages(timeline)
        build, every_event = build_key(timeline, templates), all_events_key(timeline)
        todo, keys, copies = pages_to_render(pages, build, every_event, writer, cache)
        jobs, remembering = derived_jobs(timeline, [p.path for p in pages if p.in_sitemap], build, every_event)
        keeps_pieces = keeps_pieces or len(timeline.events) <= KEPT_UP_TO
        here = jobs_to_do(writer, cache, remembering) if keeps_pieces else []
        jobs = jobs_to_do(writer, cache, jobs if keeps_pieces else jobs + remembering)
        weight = len(timeline.events) // EVENTS_PER_JOB_PAGE
        if todo:  # a rebuild that renders no page draws no chart
            progress.update("drawing charts")
        env = _environment(timeline, templates, assets, drawn=bool(todo))
        progress.update("rendering pages")
        rendered = len(todo)
        if keeps_pieces:  # pages that list events are made here too, where their pieces stay (see Fragments)
            whole = {index for index, page in enumerate(todo) if not page.about_one_event}
            here += [(keys[index], functools.partial(_page_job, env, todo[index])) for index in sorted(whole)]
            todo, keys = [p for i, p in enumerate(todo) if i not in whole], [k for i, k in enumerate(keys) if i not in whole]
        left = render_pages(env, todo, keys, writer, progress, jobs, weight, copies, cache, here)
        if left:  # pages the cache lost while the build ran
            env = _environment(timeline, templates, assets, drawn=True)
            planned = {page.output: page for page in pages}
            render_pages(env, [planned[relative] for relative, _ in left], [key for _, key in left], writer, progress)
        base = timeline.site.base_url
        writer.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
        progress.update("writing files")
        keep_rendered(writer, cache)
        writer.commit()
    except BaseException:
        writer.discard()
        raise
    written = writer.written
    return BuildReport(
        len(pages), len(written), sum(written.values()), len(writer.changed), len(writer.removed), rendered + len(left)
    )
