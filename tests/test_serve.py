"""`timeline serve`: rebuilds on an edit, reloads the open page, and survives a broken edit."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SMALL_CONTENT, wait_until

pytestmark = pytest.mark.browser
EVENT = Path("events") / "2022" / "2022-07-03-haidai-account.yaml"


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content", str(content)]
    command += ["--templates", str(ROOT / "templates")]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    try:  # the server is stopped even when it never says where it listens
        url, said = None, []
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline and process.poll() is None:
            said.append(process.stdout.readline())
            match = re.search(r"serving on (http://127\.0\.0\.1:\d+/)", said[-1])
            url = match.group(1) if match else None
        assert url, "the preview server did not start:\n" + "".join(said)
        yield url, content
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_reloads_the_open_page_and_errors_show_until_fixed(browser: Any, preview: tuple[str, Path]) -> None:
    url, content = preview
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "events/2022-07-03-haidai-account/")
    assert page.locator("h1").inner_text() == "The governor describes the assault"
    page.wait_for_timeout(300)  # the page's event stream is connected

    edit(content / EVENT, "title: The governor describes the assault", "title: The governor reports the assault")
    wait_until(page, "document.querySelector('h1').textContent.includes('reports the assault')", timeout=2)

    edit(content / EVENT, "actors: [haidai]", "actors: [haidia]")
    overlay = page.locator("#timeline-serve-errors")
    overlay.wait_for(state="visible", timeout=2000)
    assert "unknown actor 'haidia'" in overlay.inner_text()
    assert "did you mean 'haidai'?" in overlay.inner_text()

    edit(content / EVENT, "actors: [haidia]", "actors: [haidai]")
    overlay.wait_for(state="detached", timeout=2000)
    assert page.locator("h1").inner_text() == "The governor reports the assault"
    assert [e for e in errors if "Content Security Policy" in e] == []
