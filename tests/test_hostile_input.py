"""Hostile input that once crashed, escaped content/ or fooled the terminal: links, control characters,
floods of errors, huge pages. Each test runs `check` or `build` on a copy of the small site in tmp_path."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.bad_cases import BUILD_ARGS, CHECK_ARGS, SMALL_CONTENT, run_cli
from timeline.diagnostics import MAX_PER_FILE

HAIDAI = Path("events/2022/2022-07-03-haidai-account.yaml")
SECRET = "root:x:0:0:root:/root:/bin/bash"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small site in tmp_path/project/content, and a secret file outside the project."""
    shutil.copytree(SMALL_CONTENT, tmp_path / "project" / "content")
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return tmp_path / "project"


def run(project: Path, *args: str) -> tuple[int, str]:
    code, out, err = run_cli(list(args), project)
    assert "Traceback" not in out + err
    return code, out + err


def both(project: Path) -> list[tuple[int, str]]:
    """`check` and `build` on the project, each with its exit code and output."""
    return [run(project, *CHECK_ARGS), run(project, *BUILD_ARGS)]


# ---- Symbolic links: none inside content/, each one an error with its own path, the target never read ---------


def test_an_event_linked_to_a_file_outside_content_is_refused_and_not_published(project: Path) -> None:
    outside = project.parent / "2022-07-05-elsewhere.yaml"
    outside.write_bytes((SMALL_CONTENT / HAIDAI).read_bytes().replace(b"2022-07-03", b"2022-07-05"))
    (project / "content/events/2022/2022-07-05-elsewhere.yaml").symlink_to(outside)
    for code, output in both(project):
        assert code == 1
        assert "content/events/2022/2022-07-05-elsewhere.yaml:1:1: error: this is a symbolic link" in output
    assert not (project / "site").exists()


def test_a_link_to_a_secret_file_never_shows_its_content(project: Path) -> None:
    (project / "content/site.yaml").unlink()
    (project / "content/site.yaml").symlink_to(project.parent / "secret.txt")
    (project / "content/pages/secret.md").symlink_to(project.parent / "secret.txt")
    for code, output in both(project):
        assert code == 1
        assert SECRET not in output
        assert "root:" not in output
        assert "content/site.yaml:1:1: error: this is a symbolic link" in output
        assert "content/pages/secret.md:1:1: error: this is a symbolic link" in output


def test_link_loops_and_dangling_links_are_errors_not_crashes(project: Path) -> None:
    events = project / "content/events/2022"
    (events / "2022-07-05-loop.yaml").symlink_to("2022-07-05-loop.yaml")
    (events / "2022-07-06-dangling.yaml").symlink_to(project.parent / "nowhere.yaml")
    (project / "content/actors-loop").symlink_to("actors-loop")  # not a content file, and harmless
    for code, output in both(project):
        assert code == 1
        assert "content/events/2022/2022-07-05-loop.yaml:1:1: error: this is a symbolic link" in output
        assert "content/events/2022/2022-07-06-dangling.yaml:1:1: error: this is a symbolic link" in output


def test_a_linked_year_folder_is_an_error_not_silently_skipped(project: Path) -> None:
    elsewhere = project.parent / "2023"
    elsewhere.mkdir()
    (elsewhere / "2023-01-01-new-year.yaml").write_bytes((SMALL_CONTENT / HAIDAI).read_bytes())
    (project / "content/events/2023").symlink_to(elsewhere)
    for code, output in both(project):
        assert code == 1
        assert "content/events/2023:1:1: error: this is a symbolic link" in output


def test_a_named_pipe_does_not_make_the_build_wait(project: Path) -> None:
    os.mkfifo(project / "content/events/2022/2022-07-05-pipe.yaml")
    for code, output in both(project):
        assert code == 1
        assert "content/events/2022/2022-07-05-pipe.yaml:1:1: error: this is neither a file nor a folder" in output


def test_a_linked_content_folder_is_the_users_choice_and_builds(project: Path) -> None:
    (project / "content").rename(project / "real-content")
    (project / "content").symlink_to("real-content")
    assert run(project, *CHECK_ARGS)[0] == 0


# ---- Control characters: refused with a position, escaped in everything printed --------------------------------


@pytest.mark.parametrize("style", ["text", "github"])
def test_check_never_prints_a_control_character(project: Path, style: str) -> None:
    event = project / "content" / HAIDAI
    event.write_bytes(event.read_bytes().replace(b"actors: [haidai]", b'"actors\\e[2J\\x9b": [haidai]'))
    code, output = run(project, "check", "--content", "content", "--format", style)
    assert code == 1
    assert f"content/{HAIDAI.as_posix()}" in output
    assert "4" in output
    assert "U+001B" in output
    assert not any(char in output for char in "\x1b\x9b\r")


@pytest.mark.parametrize("style", ["text", "github"])
def test_invisible_characters_echoed_from_content_are_escaped(project: Path, style: str) -> None:
    """Not control characters, so allowed in a key, but direction controls in an
    echoed key would break or disguise the line printed."""
    event = project / "content" / HAIDAI
    event.write_bytes(event.read_bytes().replace(b"actors: [haidai]", "actors\u2066x\u202e: [haidai]".encode()))
    code, output = run(project, "check", "--content", "content", "--format", style)
    assert code == 1
    assert "\u2066" not in output
    assert "\u202e" not in output
    assert "actors\\u2066x\\u202e" in output


def test_a_control_character_in_a_file_name_is_escaped(project: Path) -> None:
    events = project / "content/events/2022"
    (events / "2022-07-05-bell\x07.yaml").write_bytes((SMALL_CONTENT / HAIDAI).read_bytes())
    code, output = run(project, *CHECK_ARGS)
    assert code == 1
    assert "\x07" not in output
    assert "2022-07-05-bell\\x07.yaml" in output


def test_a_title_with_a_control_character_never_reaches_the_feed(project: Path) -> None:
    event = project / "content" / HAIDAI
    text = event.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    event.write_text(text.replace(title, 'title: "Haidai\\x01 speaks"'), encoding="utf-8")
    for code, output in both(project):
        assert code == 1
        assert f"content/{HAIDAI.as_posix()}:2:8: error: the value contains the control character U+0001" in output


# ---- Floods: a bounded number of messages and suggestions per file ---------------------------------------------


def _many_unknown_tags(project: Path, tags: int, unknown: int) -> None:
    registry = project / "content/tags.yaml"
    extra = "".join(f"topic-{i:05d}-words:\n  label: Topic {i}\n  description: A topic.\n" for i in range(tags))
    registry.write_text(registry.read_text(encoding="utf-8") + extra, encoding="utf-8")
    event = project / "content" / HAIDAI
    refs = ", ".join(f"topic-{i:05d}-wrds" for i in range(unknown))
    event.write_text(event.read_text(encoding="utf-8").replace("tags: [", f"tags: [{refs}, ", 1), encoding="utf-8")


def test_thousands_of_unknown_tags_give_a_bounded_number_of_messages(project: Path) -> None:
    _many_unknown_tags(project, tags=3000, unknown=3000)
    started = time.perf_counter()
    code, output = run(project, *CHECK_ARGS)
    print(f"check with 3,000 unknown tags against 3,000 known ones: {time.perf_counter() - started:.2f} s")
    assert code == 1
    event_errors = [line for line in output.splitlines() if line.startswith(f"content/{HAIDAI.as_posix()}:")]
    assert len(event_errors) == MAX_PER_FILE + 1
    assert f"error: more than {MAX_PER_FILE} errors in this file; the rest are not shown" in output
    assert output.count("did you mean") <= 20


def test_a_file_full_of_unknown_keys_gives_a_bounded_number_of_messages(project: Path) -> None:
    event = project / "content" / HAIDAI
    event.write_text(event.read_text(encoding="utf-8") + "".join(f"key{i}: x\n" for i in range(5000)), encoding="utf-8")
    code, output = run(project, *CHECK_ARGS)
    assert code == 1
    assert sum(line.startswith(f"content/{HAIDAI.as_posix()}:") for line in output.splitlines()) == MAX_PER_FILE + 1


# ---- Pages: CRLF, unclosed front matter, size -----------------------------------------------------------------


def test_a_page_with_windows_line_ends_has_front_matter(project: Path) -> None:
    page = project / "content/pages/about.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    assert run(project, *CHECK_ARGS) == (0, "")


def test_a_huge_page_is_refused_without_reading_it_all(project: Path) -> None:
    page = project / "content/pages/huge.md"
    page.write_bytes(b"---\ntitle: Huge\n---\n" + b"word " * 6_000_000)  # 30 MB
    code, output = run(project, *CHECK_ARGS)
    assert code == 1
    assert "content/pages/huge.md:1:1: error: the file is larger than 2,000,000 bytes" in output


# ---- Content that passed `check` but crashed `build` ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"), [("end: 2025-07-01", "end: 9999-12-31", "12:8"), ("start: 2022-07-01", "start: -9999-01-01", "4:10")]
)
def test_an_episode_at_the_end_of_the_calendar_is_refused_by_check_and_build(
    project: Path, old: str, new: str, where: str
) -> None:
    episodes = project / "content/episodes.yaml"
    episodes.write_text(episodes.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    for code, output in both(project):
        assert code == 1
        assert f"content/episodes.yaml:{where}: error:" in output
        assert "day of the calendar" in output


def test_an_importance_of_thousands_of_digits_is_an_error_not_a_crash(project: Path) -> None:
    event = project / "content" / HAIDAI
    event.write_text(event.read_text(encoding="utf-8") + "importance: " + "9" * 5000 + "\n", encoding="utf-8")
    for code, output in both(project):
        assert code == 1
        assert "error: 'importance' is '999" in output
        assert "a number too large to use" in output


def test_an_empty_new_project_builds(tmp_path: Path) -> None:
    """site.yaml and registries holding nothing yet: no events, no sources, no pages."""
    content = tmp_path / "content"
    content.mkdir()
    site = (SMALL_CONTENT / "site.yaml").read_text(encoding="utf-8")
    (content / "site.yaml").write_text(site[: site.index("comparison:")], encoding="utf-8")
    for registry in ("actors", "places", "sources", "tags", "episodes"):
        (content / f"{registry}.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert run(tmp_path, *CHECK_ARGS) == (0, "")
    code, output = run(tmp_path, *BUILD_ARGS, "--templates", str(Path(__file__).resolve().parents[1] / "templates"))
    assert code == 0, output
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "feed.xml").is_file()


# ---- `timeline new`, `timeline schema` and `--out`: nothing written outside the project ------------------------


def test_new_does_not_write_through_a_linked_year_folder(project: Path) -> None:
    outside = project.parent / "outside"
    outside.mkdir()
    (project / "content/events/2023").symlink_to(outside)
    code, output = run(project, "new", "A new year", "--date", "2023-01-01")
    assert code == 2
    assert "content/events/2023 is a symbolic link" in output
    assert list(outside.iterdir()) == []


def test_new_does_not_write_through_a_dangling_link(project: Path) -> None:
    target = project.parent / "planted.yaml"
    (project / "content/events/2022/2022-07-09-a-quiet-day.yaml").symlink_to(target)
    code, output = run(project, "new", "A quiet day", "--date", "2022-07-09")
    assert code == 2
    assert "already exists" in output
    assert not target.exists()


def test_schema_does_not_write_through_links(project: Path) -> None:
    outside = project.parent / "outside"
    outside.mkdir()
    (project / "content/.schema").symlink_to(outside)
    code, output = run(project, "schema", "--content", "content")
    assert code == 2
    assert "content/.schema is a symbolic link" in output
    assert list(outside.iterdir()) == []
    (project / "content/.schema").unlink()
    (project / "docs").mkdir()
    (project / "docs/fields.md").symlink_to(project.parent / "victim.md")
    (project.parent / "victim.md").write_text("mine\n", encoding="utf-8")
    assert run(project, "schema", "--content", "content")[0] == 0
    assert (project.parent / "victim.md").read_text(encoding="utf-8") == "mine\n"
    assert not (project / "docs/fields.md").is_symlink()
    assert (project / "docs/fields.md").read_text(encoding="utf-8").startswith("# Content field reference")


def test_new_refuses_a_title_with_a_carriage_return(project: Path) -> None:
    code, output = run(project, "new", "Shoigu\rclaims", "--date", "2022-07-09")
    assert code == 2
    assert "U+000D" in output
    assert "\r" not in output
    assert list((project / "content/events/2022").glob("2022-07-09-*")) == []


def test_new_makes_a_slug_from_a_cyrillic_title_and_the_file_checks(project: Path) -> None:
    code, output = run(project, "new", "Лисичанськ взято", "--date", "2022-07-09")
    assert code == 0, output
    created = project / "content/events/2022/2022-07-09-lysychansk-vzyato.yaml"
    assert created.is_file()
    assert 'title: "Лисичанськ взято"' in created.read_text(encoding="utf-8")
    code, output = run(project, *CHECK_ARGS)
    problems = [line for line in output.splitlines() if "2022-07-09-lysychansk-vzyato.yaml:" in line]
    assert problems
    assert all("'sources' needs at least 1 item" in line for line in problems)  # it parses; only sources are to fill


def test_new_with_a_title_in_a_script_without_latin_letters_uses_a_plain_slug(project: Path) -> None:
    assert run(project, "new", "東京", "--date", "2022-07-09")[0] == 0
    assert (project / "content/events/2022/2022-07-09-event.yaml").is_file()


@pytest.mark.parametrize("out", [".", "..", "content", "content/site"])
def test_build_refuses_an_output_folder_that_holds_the_project_or_its_content(project: Path, out: str) -> None:
    before = sorted(p.relative_to(project.parent) for p in project.parent.rglob("*"))
    code, output = run(project, "build", "--content", "content", "--out", out)
    assert code == 2
    assert f"timeline build: error: the output folder {out} overlaps the content folder" in output
    assert sorted(p.relative_to(project.parent) for p in project.parent.rglob("*")) == before
