"""site/ is always a whole site, the old one or the new one: builds killed at any moment, builds running at once,
a manifest that no longer describes the folder, and what killed builds leave behind."""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate import generate
from tests.conftest import ROOT, SMALL_CONTENT, build
from timeline import sitetree
from timeline.build import build_site
from timeline.buildlock import lock_path
from timeline.diagnostics import Diagnostics
from timeline.manifest import manifest_path, read_manifest, verified

TEMPLATES = ROOT / "templates"
EVENTS = 2000  # about 2,100 pages
TITLES = ("Old Title Of The Site", "New Title Of The Site")


def set_title(content: Path, title: str) -> None:
    site = content / "site.yaml"
    lines = site.read_text(encoding="utf-8").splitlines(keepends=True)
    site.write_text("".join(f"title: {title}\n" if line.startswith("title:") else line for line in lines), encoding="utf-8")


def state_of(site: Path) -> tuple[str, list[str]]:
    """The one title every page of `site` shows, and its files; fails if the pages do not agree."""
    files, seen = [], set()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            files.append(path.relative_to(site).as_posix())
            if path.suffix == ".html":
                data = path.read_bytes()
                shown = [title for title in TITLES if title.encode() in data]
                assert len(shown) == 1, f"{path} shows {shown}"
                seen.add(shown[0])
    assert len(seen) == 1, f"pages of both sites are in {site}: {seen}"
    return seen.pop(), files


def start(work: Path, content: str = "content") -> subprocess.Popen[bytes]:
    args = ["build", "--content", content, "--templates", str(TEMPLATES), "--out", "site", "--format", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    command = [sys.executable, str(ROOT / "build.py"), *args]
    return subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def finish(process: subprocess.Popen[bytes]) -> str:
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    return err.decode()


def leftovers(work: Path) -> list[str]:
    kept = (".site.manifest.json", ".site-previous")  # the manifest, and the tree the next build brings up to date
    return sorted(name for name in os.listdir(work) if name.startswith(".site") and name not in kept)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("big")
    generate(EVENTS, work)
    set_title(work / "content", TITLES[0])
    return work


def test_builds_killed_at_random_moments_leave_a_whole_site_and_the_next_build_repairs_it(big: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    finish(start(big))
    title, files = state_of(big / "site")
    assert title == TITLES[0]
    set_title(big / "content", TITLES[1])
    began = time.perf_counter()
    finish(start(big))  # how long a rebuild that changes every page takes
    duration = time.perf_counter() - began
    assert state_of(big / "site") == (TITLES[1], files)
    for attempt in range(6):
        set_title(big / "content", TITLES[attempt % 2])
        process = start(big)
        time.sleep(rng.uniform(0.1, duration))
        if attempt % 3 == 0:
            process.send_signal(signal.SIGKILL)  # `kill -9 PID`: its worker processes are left running
        else:  # the whole process group, by SIGKILL or by Ctrl+C
            os.killpg(process.pid, signal.SIGKILL if attempt % 3 == 1 else signal.SIGINT)
        process.communicate()
        assert state_of(big / "site")[1] == files, f"seed {seed}, attempt {attempt}: files differ after a kill"
    set_title(big / "content", TITLES[1])
    finish(start(big))
    assert state_of(big / "site") == (TITLES[1], files), f"seed {seed}"
    assert leftovers(big) == [], f"seed {seed}"
    manifest = read_manifest(big / "site")
    assert manifest.describes(big / "site")
    assert verified(big / "site", manifest.outputs) == manifest.outputs


def test_two_builds_at_once_never_mix(big: Path) -> None:
    shutil.copytree(big / "content", big / "other", dirs_exist_ok=True)
    set_title(big / "content", TITLES[0])
    set_title(big / "other", TITLES[1])
    first, second = start(big), start(big, "other")
    while first.poll() is None or second.poll() is None:
        identity = sitetree.tree_identity(big / "site")
        try:
            state_of(big / "site")
        except (AssertionError, OSError):
            if sitetree.tree_identity(big / "site") == identity:  # not a swap in the middle of the walk
                raise
        time.sleep(0.2)
    errors = finish(first) + finish(second)
    assert "waiting for another build" in errors
    final, _ = state_of(big / "site")
    assert final in TITLES
    assert leftovers(big) == []


def test_a_manifest_left_by_a_build_killed_after_its_swap_is_not_trusted(tmp_path: Path) -> None:
    """Killed between the swap and writing the manifest: the old manifest now sits beside the new site."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    old_manifest = manifest_path(site).read_bytes()
    about = content / "pages" / "about.md"
    original = about.read_text(encoding="utf-8")
    about.write_text(original + "\nA sentence added.\n", encoding="utf-8")
    build(content, site)
    manifest_path(site).write_bytes(old_manifest)
    about.write_text(original, encoding="utf-8")  # back to what the old manifest describes
    report = build_site(content, TEMPLATES, site, Diagnostics())
    assert report is not None
    assert not report.up_to_date
    assert "A sentence added." not in (site / "about" / "index.html").read_text(encoding="utf-8")


def test_leftovers_of_killed_builds_are_removed_and_a_moved_site_is_put_back(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    (tmp_path / ".site-build-abcd1234" / "events").mkdir(parents=True)
    (tmp_path / ".site-build-abcd1234" / "events" / "x.html").write_text("half", encoding="utf-8")
    (tmp_path / ".site.manifest-abcd1234.tmp").write_text("{", encoding="utf-8")
    (tmp_path / ".site-builder-notes").write_text("not ours", encoding="utf-8")  # not a name a build makes
    old = tmp_path / ".site-old-wxyz9876"
    old.mkdir()
    site.rename(old / "site")  # killed between the two renames of a swap without an atomic exchange
    event = content / "events" / "2022" / "2022-07-03-haidai-account.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidai]", "actors: [haidia]"), encoding="utf-8")
    assert build_site(content, TEMPLATES, site, Diagnostics()) is None  # even a failed build tidies up
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before
    assert sorted(os.listdir(tmp_path)) == [".site-builder-notes", ".site.manifest.json", "content", "site"]


def test_without_an_atomic_exchange_the_swap_still_gives_a_whole_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sitetree, "_exchange", lambda a, b: False)
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    build(content, site)
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\nChanged.\n", encoding="utf-8")
    build(content, site)
    assert "Changed." in (site / "about" / "index.html").read_text(encoding="utf-8")
    assert sorted(os.listdir(tmp_path)) == [".site-previous", ".site.manifest.json", "content", "site"]


def test_a_second_build_waits_for_a_live_lock_and_takes_over_a_stale_one(tmp_path: Path) -> None:
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    lock_path(site).write_text("999999999\n", encoding="ascii")  # left by a build that was killed: no one holds it
    build(content, site)
    assert not lock_path(site).exists()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path(site))], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    (content / "pages" / "about.md").write_text("---\ntitle: About\n---\nChanged.\n", encoding="utf-8")
    waiting = start(tmp_path)
    time.sleep(3)
    assert waiting.poll() is None  # still waiting
    assert "Changed." not in (site / "about" / "index.html").read_text(encoding="utf-8")
    holder.communicate("release\n")
    err = finish(waiting)
    assert f"(PID {holder.pid})" in err
    assert "Changed." in (site / "about" / "index.html").read_text(encoding="utf-8")


HOLD_LOCK = f"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, {fcntl.LOCK_EX})
os.write(fd, f"{{os.getpid()}}\\n".encode())
print("locked", flush=True)
sys.stdin.readline()
"""


def test_the_manifest_records_the_folder_it_describes(tmp_path: Path) -> None:
    site = build(SMALL_CONTENT, tmp_path / "site")
    recorded = json.loads(manifest_path(site).read_text(encoding="utf-8"))
    assert recorded["tree"] == sitetree.tree_identity(site)


def test_each_rebuild_through_the_reused_tree_equals_a_clean_build(tmp_path: Path) -> None:
    """The tree of the build before the last is brought up to date: what it had and the site no longer has must go."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    event = content / "events" / "2022" / "2022-07-03-haidai-account.yaml"
    gone = content / "events" / "2014" / "2014-separatists.yaml"
    original, removed = event.read_text(encoding="utf-8"), gone.read_text(encoding="utf-8")
    edits = [
        lambda: event.write_text(original.replace("describes the assault", "reports the assault"), encoding="utf-8"),
        gone.unlink,
        lambda: event.write_text(original, encoding="utf-8"),
        lambda: gone.write_text(removed, encoding="utf-8"),
        (content / "pages" / "about.md").unlink,
    ]
    build(content, site)
    for number, edit in enumerate(edits):
        edit()
        build(content, site)
        clean = build(content, tmp_path / f"clean-{number}")
        assert files_of(site) == files_of(clean), f"after edit {number}"
        assert {p.name for p in tmp_path.iterdir() if p.name.startswith(".site")} == {".site-previous", ".site.manifest.json"}


def files_of(site: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (None): an empty folder left behind counts too."""
    return {p.relative_to(site).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(site.rglob("*"))}


KILL_AT_STEP = """
import os, sys
from timeline.cli import main
limit, count = int(sys.argv[1]), [0]
def wrap(name):
    real = getattr(os, name)
    def step(*args, **kwargs):
        count[0] += 1
        if count[0] == limit:
            os._exit(137)  # as SIGKILL: no cleanup of any kind
        return real(*args, **kwargs)
    setattr(os, name, step)
for name in ("link", "unlink", "rename", "replace", "rmdir", "mkdir"):
    wrap(name)
code = main(sys.argv[2:])
print(f"steps: {count[0]}")
sys.exit(code)
"""


def test_a_build_killed_at_any_step_that_changes_the_disk_leaves_a_whole_site(tmp_path: Path) -> None:
    """Every rename, link, unlink, mkdir and rmdir of a rebuild that changes every page, killed in turn."""
    content, site = tmp_path / "content", tmp_path / "site"
    shutil.copytree(SMALL_CONTENT, content)
    titles = ("Small timeline", "Retitled timeline")
    args = ["build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(site), "--format", "json"]
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run(limit: int) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", KILL_AT_STEP, str(limit), *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)

    def whole() -> str:
        shown = set()
        for page in site.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            shown |= {title for title in titles if f">{title}</a>" in text}
        assert len(shown) == 1, shown
        return shown.pop()

    assert run(0).returncode == 0
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    for title in (titles[1], titles[0]):  # the second round reuses the tree the first left in .site-previous
        set_title(content, title)
        limit, kills = 1, 0
        while (result := run(limit)).returncode == 137:  # killed: the next run starts from what this one left
            assert whole() in titles, f"killed at step {limit}"
            assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == files
            limit, kills = limit + max(1, limit // 3), kills + 1
        assert result.returncode == 0, result.stderr
        assert kills > 5
        assert whole() == title
