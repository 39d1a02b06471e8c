"""Lighthouse (npm `lighthouse`, on Debian's Chromium) on the home page and an event page, with its default mobile
settings: performance >= 95, accessibility, best practices and SEO 100.

Lighthouse's SEO audits read the canonical address and robots.txt. The real site's base_url is its public address,
so a copy of the real content is built with base_url set to the local server's own address: the pages then
declare the address they are served from, as they do once published, and robots.txt sits at the server's root.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, build, serve
from timeline.build import load_timeline
from timeline.diagnostics import Diagnostics

pytestmark = pytest.mark.browser
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
MINIMUM = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


@pytest.fixture(scope="module")
def local_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real content built for the address it is served at."""
    work = tmp_path_factory.mktemp("lighthouse")
    site = work / "site"
    site.mkdir()
    server = serve(site)
    url = next(server)
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    settings = content / "site.yaml"
    text, count = re.subn(r"(?m)^base_url:.*$", f"base_url: {url}", settings.read_text(encoding="utf-8"))
    assert count == 1
    settings.write_text(text, encoding="utf-8")
    build(content, site)
    yield url
    server.close()


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    node = shutil.which("node")
    assert node, "Lighthouse runs on Node.js"
    assert LIGHTHOUSE.exists(), "run `npm ci --ignore-scripts` (make install-test) to get lighthouse"
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    run = subprocess.run(
        [
            node,
            str(LIGHTHOUSE),
            url,
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def failing_audits(report: dict[str, Any]) -> list[str]:
    lines = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lines.append(f"{category['id']}: {audit['id']} {audit['score']} {audit.get('displayValue', '')}")
    return lines


def event_path() -> str:
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    event = max(timeline.events, key=lambda e: (len(e.claims), len(e.sources), e.id))
    return f"events/{event.id}/"


@pytest.mark.parametrize("path", ["", event_path()], ids=["index", "event"])
def test_lighthouse_scores(local_site: str, path: str, tmp_path: Path) -> None:
    report = lighthouse(local_site + path, tmp_path / "report.json")
    assert report["configSettings"]["formFactor"] == "mobile"
    assert report["finalDisplayedUrl"] == local_site + path
    scores = {name: category["score"] for name, category in report["categories"].items()}
    print(f"lighthouse {path or 'index'}: {scores}")
    if scores["performance"] < MINIMUM["performance"]:
        # Performance is timed on a shared 2-core machine: judge it by the median of three runs, as Lighthouse advises
        runs = [report] + [lighthouse(local_site + path, tmp_path / f"again-{i}.json") for i in (1, 2)]
        runs.sort(key=lambda r: r["categories"]["performance"]["score"])
        report = runs[1]
        scores["performance"] = report["categories"]["performance"]["score"]
        print(f"lighthouse {path or 'index'}, median of 3: {[r['categories']['performance']['score'] for r in runs]}")
    low = {name: score for name, score in scores.items() if score is None or score < MINIMUM[name]}
    assert low == {}, "\n".join(failing_audits(report))
