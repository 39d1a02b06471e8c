"""A build of inputs already built once, anywhere: every output linked from the cache, nothing read or rendered.

After a build, the list of its outputs (path, digest, size, and what the cache of rendered outputs keeps each
by) is saved in the cache folder under a digest of everything the site is made from: the content files'
bytes and the code (snapshot.content_key), the templates and static files, plotly's version and the build's
clock. A later build whose inputs have that digest (CI's fresh checkout with the cache restored, a build
into a new `--out`) puts those outputs in a new tree straight from the cache and swaps it in like any build,
and reports the warnings the first build found. If any output is no longer in the cache, it builds as usual.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from timeline.diagnostics import Diagnostic, Diagnostics
from timeline.files import files_under
from timeline.output import SiteWriter, Staged
from timeline.parsecache import cache_folder
from timeline.progress import QUIET, Progress
from timeline.report import BuildReport
from timeline.theme import template_folders

FORMAT = 1
Listing = tuple[int, dict[str, tuple[str, int, str, str]], list[Diagnostic]]  # pages; path -> digest, size, key, cache key


def site_key(content_key: str, templates: Path) -> str:
    """The digest of everything a site is made from, given the digest of its content and code."""
    hasher = hashlib.sha256(f"{FORMAT}|{content_key}|{version('plotly')}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for number, folder in enumerate(template_folders(templates)):
        for path in files_under(folder):
            hasher.update(f"{number}:{os.path.relpath(path, folder)}\0".encode())
            hasher.update(Path(path).read_bytes())
    return hasher.hexdigest()


def _file(key: str) -> Path:
    return cache_folder() / "sites" / f"{key}.pickle"


def save_listing(key: str, pages: int, outputs: dict[str, Staged], cache_keys: dict[str, str], items: list[Any]) -> None:
    """Record a finished build's outputs under `key`; keep only the newest few listings."""
    listing: Listing = (pages, {r: (s.digest, s.size, s.key, cache_keys[r]) for r, s in outputs.items()}, list(items))
    folder = _file(key).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".site-", dir=folder)
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((FORMAT, listing), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, _file(key))
        kept = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[4:]:
            old.unlink()
    except OSError:
        return


def _load(key: str) -> Listing | None:
    try:
        with _file(key).open("rb") as stream:
            version_, listing = pickle.load(stream)
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None
    return listing if version_ == FORMAT else None  # type: ignore[no-any-return]


def replay(key: str, make_writer: Any, diagnostics: Diagnostics, progress: Progress = QUIET) -> BuildReport | None:
    """Build the site recorded under `key` from the cache; None (nothing changed) when any output is missing."""
    from timeline.rendercache import Entry, render_cache
    from timeline.write import Copy, render_pages

    listing = _load(key)
    if listing is None:
        return None
    pages, outputs, items = listing
    cache = render_cache()
    copies: list[Copy] = []
    found: dict[str, dict[str, Entry]] = {}
    for relative, (digest, _size, output_key, kept_by) in outputs.items():
        if kept_by not in found:
            found[kept_by] = {e.relative: e for e in cache.entries(kept_by)}
        entry = found[kept_by].get(relative)
        if entry is None or entry.digest != digest:
            return None
        copies.append((relative, output_key, cache.path(kept_by, relative), entry))
    writer: SiteWriter = make_writer()
    try:
        progress.update("copying pages from the cache")
        if render_pages(None, [], [], writer, progress, copies=copies, cache=cache):  # type: ignore[arg-type]
            writer.discard()  # an output left the cache meanwhile
            return None
        progress.update("writing files")
        writer.commit()
    except BaseException:
        writer.discard()
        raise
    cache.save({kept_by for *_, kept_by in outputs.values()})
    diagnostics.extend(items)
    written = writer.written
    return BuildReport(pages, len(written), sum(written.values()), len(writer.changed), len(writer.removed), 0)
