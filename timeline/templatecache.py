"""Compiled templates kept between builds: a build compiles each template only when its source changed.

Parsing and compiling the theme's templates costs about 0.3 s, paid by every render worker of every build, and
by every `serve` build. Jinja's own bytecode cache keeps each compiled template by its name and file, and checks
the source's checksum before using it. It is kept in this process (for `serve`) and in the user's cache folder,
in a folder named after the code that compiles templates (templatecode.py, the environment's settings in
render.py, and Jinja's version), so that a change to any of them compiles afresh. Like the rest of the cache
folder it may be deleted at any time.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from timeline.parsecache import cache_folder


class KeptTemplates(FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, with the ones read or written kept in this process too."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.kept.get(bucket.key)
        if data is None:
            try:
                super().load_bytecode(bucket)
            except OSError:  # an unreadable cache compiles afresh
                return
            if bucket.code is not None:
                self.kept[bucket.key] = bucket.bytecode_to_string()
            return
        bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:  # a read-only cache folder compiles every time
            return


@cache
def _compiler_version() -> str:
    """What compiled code depends on beyond a template's source: the code generator (templatecode.py), the
    environment's settings (render.py: trim_blocks, autoescape, …) and Jinja itself."""
    package = Path(__file__).parent
    sources = b"".join((package / name).read_bytes() for name in ("templatecode.py", "render.py"))
    return hashlib.sha256(sources + jinja2.__version__.encode()).hexdigest()[:16]


_KEPT: dict[Path, KeptTemplates] = {}


def kept_templates() -> KeptTemplates:
    """The cache of compiled templates for this cache folder and this code."""
    folder = cache_folder() / f"templates-{_compiler_version()}"
    if folder not in _KEPT:
        _KEPT.clear()
        _KEPT[folder] = KeptTemplates(folder)
    return _KEPT[folder]
