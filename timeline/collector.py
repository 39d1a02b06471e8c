"""Python's cycle collector, paused while the content is read and modelled."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Reading content makes millions of small objects and no reference cycles, yet Python's cycle collector
    would walk them over and over as they pile up (half the reading time at 10,000 events). Pause it, and
    afterwards freeze what was made, so that later collections skip it. Garbage made before is collected
    first, so that none of it is frozen with the content."""
    if not gc.isenabled():  # already paused by a caller
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
