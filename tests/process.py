"""Builds in the test process as if each were the first of a new process: what the modules keep between builds
(for `serve`, and what a command-line build takes back from its snapshot) set aside for the while."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest

KEPT_BETWEEN_BUILDS: dict[tuple[str, str], Callable[[], Any]] = {  # where, and what it holds at first
    ("timeline.charts.memo", "_KEPT"): dict,
    ("timeline.checkmemo", "_STATE"): dict,
    ("timeline.contentpatch", "_LAST"): dict,
    ("timeline.digests", "_IN_PROCESS"): dict,
    ("timeline.eventmemo", "_PIECES"): dict,
    ("timeline.memories", "_KEEPING"): lambda: {"on": True},
    ("timeline.eventmemo", "_SHARED"): lambda: {"digest": ""},
    ("timeline.pagekeys", "_MEMORY"): lambda: {"builds": {}, "build": "", "pages": {}},
    ("timeline.pagekeys", "_LAST"): dict,
    ("timeline.pagekeys", "_MONTHS"): dict,
    ("timeline.pages", "_LAST"): lambda: {"months": {}, "events": {}, "lists": {}, "month pages": {}, "sources": {}},
    ("timeline.pages", "_NEXT"): lambda: {"events": {}, "lists": {}, "month pages": {}, "sources": {}},
    ("timeline.parsecache", "_IN_PROCESS"): dict,
    ("timeline.rendercache", "_IN_PROCESS"): dict,
    ("timeline.render", "_KEPT"): lambda: {"generation": "", "pieces": {}},
    ("timeline.search", "_STATE"): dict,
    ("timeline.snapshot", "_IN_PROCESS"): dict,
    ("timeline.snapshot", "_TAKEN"): dict,
    ("timeline.snapshot", "_LAST_KEY"): dict,
    ("timeline.templatecache", "_KEPT"): dict,
    ("timeline.write", "_DRAWN"): dict,
}


def as_a_new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set aside everything the modules keep between builds, until `monkeypatch` is undone."""
    for (name, attribute), first in KEPT_BETWEEN_BUILDS.items():
        module = importlib.import_module(name)
        assert type(getattr(module, attribute)) is type(first()), f"{name}.{attribute} holds something else now"
        monkeypatch.setattr(module, attribute, first())
