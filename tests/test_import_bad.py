"""Bad input: every problem reported at its position in the input, exit 1, and nothing written.

Each `tests/fixtures/import/bad/NAME.{csv,json}` has `NAME.expected.txt`: exactly what `timeline import`
prints on stderr (the input is named by its bare file name). Regenerate with
`python -m tests.test_import_bad --regenerate` and review the diff.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import pytest

from tests.import_project import IMPORT_FIXTURES, copy_input, empty_project
from timeline.cli import main

BAD = IMPORT_FIXTURES / "bad"
CASES = {
    "ucdp-missing-column.csv": "ucdp",
    "acled-bad-date.csv": "acled",
    "ucdp-bad-coordinate.csv": "ucdp",
    "timelinejs-script.json": "timelinejs",
    "timelinejs-malformed.json": "timelinejs",
    "table-bad-mapping.csv": "csv",
}
EXTRA = {"table-bad-mapping.csv": ["--map", "date=When", "--map", "title=Headlin", "--map", "colour=Kind"]}


def _run(name: str, root: Path) -> tuple[int, str]:
    content = empty_project(root)
    before = {p: p.read_bytes() for p in content.rglob("*")}
    local = copy_input(f"bad/{name}", root)
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            status = main(["import", CASES[name], local, *EXTRA.get(name, [])])
    finally:
        os.chdir(cwd)
    assert {p: p.read_bytes() for p in content.rglob("*")} == before, "nothing may be written"
    return status, err.getvalue()


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_reported_at_its_position(name: str, tmp_path: Path) -> None:
    status, output = _run(name, tmp_path)
    assert status == 1
    assert "Traceback" not in output
    assert output == (BAD / f"{Path(name).stem}.expected.txt").read_text(encoding="utf-8")


if __name__ == "__main__" and "--regenerate" in sys.argv:
    for case in sorted(CASES):
        with tempfile.TemporaryDirectory() as folder:
            _, text = _run(case, Path(folder))
        (BAD / f"{Path(case).stem}.expected.txt").write_text(text, encoding="utf-8")
        print(f"wrote {Path(case).stem}.expected.txt")
