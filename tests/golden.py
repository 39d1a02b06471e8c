"""The golden copy of the small fixture site: `python -m tests.golden` (or `make golden`) regenerates it.

CI never regenerates it; the test compares a fresh build with it. Static assets are kept as their
fingerprinted names only (a change to templates/static/ changes the name every page links), and
plotly's files, which come from the installed plotly package, are left out with their fingerprints masked.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "site-small"
SMALL_CONTENT = ROOT / "tests" / "fixtures" / "site-small" / "content"
_PLOTLY = re.compile(rb"static/plotly(\.min)?\.[0-9a-f]{10}\.(js|css)")


def snapshot(site: Path) -> dict[str, bytes]:
    """Every file of a built site, by path, as the golden copy keeps it."""
    files = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or _PLOTLY.fullmatch(relative.encode()):
            continue
        if relative.startswith("static/"):
            files[relative] = b"a fingerprinted copy of a file in templates/static/\n"
        else:
            files[relative] = _PLOTLY.sub(rb"static/plotly\1.FINGERPRINT.\2", path.read_bytes())
    return files


def build_small(out: Path) -> dict[str, bytes]:
    from timeline.build import build_site
    from timeline.diagnostics import Diagnostics

    diagnostics = Diagnostics()
    if build_site(SMALL_CONTENT, ROOT / "templates", out, diagnostics) is None:
        raise SystemExit("\n".join(d.format_text() for d in diagnostics))
    return snapshot(out)


def write_tree(files: dict[str, bytes], target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for relative, data in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        files = build_small(Path(tmp) / "site")
    old = snapshot(GOLDEN) if GOLDEN.is_dir() else {}
    write_tree(files, GOLDEN)
    changed = sorted(k for k in files.keys() | old.keys() if files.get(k) != old.get(k))
    print("\n".join(f"changed: {name}" for name in changed) or "golden copy unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
