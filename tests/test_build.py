"""The build as a whole: every output exists, builds are deterministic and atomic, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_CONTENT, build
from timeline.build import build_site, load_timeline
from timeline.cli import main
from timeline.diagnostics import Diagnostics

ATOM = "{http://www.w3.org/2005/Atom}"


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_every_page_of_the_design_is_written(small_site: Path) -> None:
    timeline = load_timeline(SMALL_CONTENT, Diagnostics())
    assert timeline is not None
    expected = ["index.html", "404.html", "feed.xml", "events.json", "sitemap.xml", "robots.txt"]
    expected += ["sources/index.html", "charts/index.html", "compare/index.html", "about/index.html"]
    expected += ["episodes/index.html", "actors/index.html", "places/index.html", "tags/index.html"]
    expected += [f"events/{e.id}/index.html" for e in timeline.events]
    expected += [f"episodes/{e.id}/index.html" for e in timeline.episodes]
    expected += [f"actors/{a}/index.html" for a in timeline.actors]
    expected += [f"places/{p}/index.html" for p in timeline.places]
    expected += [f"tags/{t}/index.html" for t in timeline.tags]
    missing = [name for name in expected if not (small_site / name).is_file()]
    assert not missing


def test_machine_outputs_describe_every_event(small_site: Path) -> None:
    timeline = load_timeline(SMALL_CONTENT, Diagnostics())
    assert timeline is not None
    feed = ET.parse(small_site / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"https://example.org/small/events/{e.id}/" for e in reversed(timeline.events)
    ]
    assert feed.findtext(f"{ATOM}updated") == "2025-07-01T00:00:00Z"  # the newest date in the content
    data = json.loads((small_site / "events.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in data["events"]] == [e.id for e in timeline.events]
    pasechnik = next(e for e in data["events"] if e["id"] == "2025-06-30-pasechnik")
    assert pasechnik["claims"][0]["by"] == "pasechnik"
    assert pasechnik["claims"][0]["sources"][0]["source"] == "tv-2025"
    sitemap = ET.parse(small_site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/small/events/2022-07-03-lysychansk-claim/" in locations
    assert all(not (loc or "").endswith("404.html") for loc in locations)


def test_independent_sources_follow_republishing() -> None:
    timeline = load_timeline(SMALL_CONTENT, Diagnostics())
    assert timeline is not None
    claim = timeline.by_id["2022-07-03-lysychansk-claim"]
    assert len(claim.sources) == 2  # the wire report and a copy of it
    assert claim.independent_sources == 1


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = files_of(build(ROOT / "content", tmp_path / "one"))
    second = files_of(build(ROOT / "content", tmp_path / "two"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_source_date_epoch_sets_the_feed_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    site = build(SMALL_CONTENT, tmp_path / "site")
    updated = ET.parse(site / "feed.xml").getroot().findtext(f"{ATOM}updated")
    assert updated == "2023-11-14T22:13:20Z"


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    site = build(content, tmp_path / "site")
    before = files_of(site)
    event = content / "events" / "2022" / "2022-07-03-haidai-account.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("actors: [haidai]", "actors: [haidia]"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--content", "content", "--out", "site", "--templates", str(ROOT / "templates")]) == 1
    err = capsys.readouterr().err
    assert "content/events/2022/2022-07-03-haidai-account.yaml:4:10: error: unknown actor 'haidia'" in err
    assert "hint: did you mean 'haidai'?" in err
    assert files_of(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.manifest.json", "content", "site"]  # nothing left over


def test_a_forced_build_replaces_a_foreign_folder_and_drops_its_files(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "stale.html").write_text("old", encoding="utf-8")
    assert build_site(SMALL_CONTENT, ROOT / "templates", site, Diagnostics(), force=True) is not None
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()


def test_build_py_and_console_script_give_the_same_site(tmp_path: Path) -> None:
    args = ["build", "--content", str(SMALL_CONTENT), "--templates", str(ROOT / "templates")]
    subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--out", str(tmp_path / "a")], check=True, cwd=tmp_path)
    console = shutil.which("timeline")
    command = [console] if console else [sys.executable, "-c", "from timeline.cli import run; run()"]
    subprocess.run([*command, *args, "--out", str(tmp_path / "b")], check=True, cwd=tmp_path)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["publish"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_check_writes_nothing_and_reports_in_github_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    (content / "tags.yaml").write_text("control:\n  label: Control\n  descripton: typo\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "::error file=content/tags.yaml,line=3,col=3,title=control.descripton%3A error::unknown key 'descripton'" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_no_page_refers_to_another_host(real_site: Path) -> None:
    """Only links to the sources' own articles, to the GeoNames entries coordinates come from (and the canonical
    address) leave the site."""
    timeline = load_timeline(ROOT / "content", Diagnostics())
    assert timeline is not None
    allowed = {s.url for s in timeline.sources.values() if s.url} | {
        s.archive_url for s in timeline.sources.values() if s.archive_url
    }
    gazetteer = "https://www.geonames.org/"
    allowed |= {gazetteer} | {f"{gazetteer}{p.geonames}" for p in timeline.places.values() if p.geonames}
    import re

    offenders = set()
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for attribute, url in re.findall(r'\b(src|href|action|content)="(https?://[^"]*)"', html):
            if url.startswith(timeline.site.base_url) or (attribute == "href" and url in allowed):
                continue
            offenders.add((page.relative_to(real_site).as_posix(), url))
    assert not offenders


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_incremental_rebuild_equals_a_clean_build_and_writes_only_what_changed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    site = build(content, tmp_path / "site")
    style = next((site / "static").glob("style.*.css"))
    untouched = {p: p.stat().st_mtime_ns for p in (style, site / "about" / "index.html")}
    edit(content / "events" / "2022" / "2022-07-03-haidai-account.yaml", "describes the assault", "reports the assault")
    (content / "events" / "2014" / "2014-separatists.yaml").unlink()
    edit(content / "events" / "2022" / "2022-07-03-lysychansk-claim.yaml", "tags: [control, military]", "tags: [control]")
    (content / "tags.yaml").write_text(
        (content / "tags.yaml")
        .read_text(encoding="utf-8")
        .replace("background:\n  label: Background\n  description: Earlier events.\n", ""),
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    report = build_site(content, ROOT / "templates", site, diagnostics)
    assert report is not None, [d.format_text() for d in diagnostics]
    clean = build(content, tmp_path / "clean")
    assert files_of(site) == files_of(clean)
    assert not (site / "events" / "2014-separatists").exists()
    assert 0 < report.changed < report.files
    assert report.removed >= 2  # the deleted event's page and its tag's page
    assert {p: p.stat().st_mtime_ns for p in untouched} == untouched


def test_a_rebuild_with_nothing_changed_does_nothing(tmp_path: Path) -> None:
    site = build(SMALL_CONTENT, tmp_path / "site")
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    report = build_site(SMALL_CONTENT, ROOT / "templates", site, Diagnostics())
    assert report is not None
    assert report.up_to_date
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_a_long_timeline_has_a_light_home_page_and_a_page_per_month(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import pages

    monkeypatch.setattr(pages, "HOME_PAGE_EVENTS", 2)
    monkeypatch.setattr(pages, "PREVIEW_EVENTS", 1)
    site = build(SMALL_CONTENT, tmp_path / "site")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('<li class="event ') == 3  # one preview per section
    months = sorted(p.parent.name for p in (site / "timeline").glob("*/index.html"))
    assert months == ["2014-01", "2022-07", "2025-06"]
    for month in months:
        assert f'href="timeline/{month}/"' in home
    listed = "".join((site / "timeline" / m / "index.html").read_text(encoding="utf-8") for m in months)
    timeline = load_timeline(SMALL_CONTENT, Diagnostics())
    assert timeline is not None
    assert all(f'href="../../events/{e.id}/"' in listed for e in timeline.events)


def test_a_long_list_of_events_is_split_over_linked_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline import pages

    monkeypatch.setattr(pages, "LIST_PAGE_EVENTS", 1)
    site = build(SMALL_CONTENT, tmp_path / "site")
    timeline = load_timeline(SMALL_CONTENT, Diagnostics())
    assert timeline is not None
    kinds = {"tags": timeline.by_tag, "actors": timeline.by_actor, "places": timeline.by_place, "episodes": timeline.by_episode}
    split = 0
    for kind, index in kinds.items():
        for entry_id, events in index.items():
            count = len(events)
            folder = site / kind / entry_id
            paths = [folder / ("" if n == 1 else f"{n}/") / "index.html" for n in range(1, count + 1)]
            texts = [path.read_text(encoding="utf-8") for path in paths]
            assert not (folder / f"{count + 1}").exists()
            listed = [re.findall(r'<li class="event [^"]*"[^>]*>.*?href="(?:\.\./)+events/([^/]+)/"', t, re.S) for t in texts]
            assert [e for share in listed for e in share] == [e.id for e in events], f"{kind}/{entry_id}"
            if count > 1:
                split += 1
                assert f"Events 1 to 1 of {len(events)}, page 1 of {count}" in texts[0]
                assert 'href="../../' + f'{kind}/{entry_id}/2/" rel="next"' in texts[0]
                assert f'href="../../../{kind}/{entry_id}/" rel="prev"' in texts[1]
                assert f", page 2 of {count}" in re.search(r"<title>(.*?)</title>", texts[1]).group(1)  # type: ignore[union-attr]
    assert split >= 3


def test_a_home_page_of_many_sections_previews_fewer_events_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.generate import generate
    from timeline import pages

    generate(2000, tmp_path)  # four episodes
    timeline = load_timeline(tmp_path / "content", Diagnostics())
    assert timeline is not None
    monkeypatch.setattr(pages, "HOME_PAGE_EVENTS", 8)
    home = pages.plan_pages(timeline)[0]
    sections = home.context["sections"]
    assert len(sections) >= 3
    listed = [e for s in sections for e in s.events]
    assert all(len(s.events) == min(s.total, max(1, 8 // len(sections))) for s in sections)
    assert home.context["listed"] == len(listed) <= max(8, len(sections))
    offered = {actor_id for actor_id, _ in home.context["filters"]["actor"]}
    assert offered == {a.id for e in listed for a in e.all_actors}


def test_events_outside_the_episodes_are_listed_where_they_fall_between_and_after_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SMALL_CONTENT, content)
    background = content / "events" / "2014" / "2014-separatists.yaml"
    for event_id, day in (("2023-11-05-between", "2023-11-05"), ("2026-02-01-after", "2026-02-01")):
        (content / "events" / day[:4]).mkdir(exist_ok=True)
        text = background.read_text(encoding="utf-8").replace("date: 2014", f"date: {day}")
        (content / "events" / day[:4] / f"{event_id}.yaml").write_text(text, encoding="utf-8")
    site = build(content, tmp_path / "site")

    home = (site / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', home)
    assert headings == [
        ("background", "Background"),
        ("fall-2022", "The fall of Lysychansk"),
        ("between-fall-2022-and-claim-2025", "Between July 2022 and June 2025"),
        ("claim-2025", "One hundred percent"),
        ("after-claim-2025", "After June 2025"),
    ]
    event_days = re.findall(r'<p class="event-date"><time datetime="([\d-]+)">', home)
    assert len(event_days) == 6
    assert event_days == sorted(event_days), "the home page reads in date order"
    event = (site / "events" / "2023-11-05-between" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../#between-fall-2022-and-claim-2025">Between July 2022 and June 2025</a>' in event
    episodes = (site / "episodes" / "index.html").read_text(encoding="utf-8")
    assert 'href="../#after-claim-2025">After June 2025</a> (1 event, after the last episode)' in episodes
