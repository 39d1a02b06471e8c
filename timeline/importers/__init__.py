"""`timeline import FORMAT FILE`: events from other tools, written as ordinary content files.

One module per format reads its input into a Batch (records.py); the shared writer (writer.py) checks
and writes it. Every problem is reported with its position in the input; with any error nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeline.importers import acled, generic, timelinejs, ucdp
from timeline.importers.problems import Report
from timeline.importers.records import Batch

Reader = Callable[[Path, Batch, Report, dict[str, Any]], None]
FORMATS: dict[str, Reader] = {
    "timelinejs": timelinejs.read,
    "ucdp": ucdp.read,
    "acled": acled.read,
    "csv": generic.read,
}
