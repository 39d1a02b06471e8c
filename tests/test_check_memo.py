"""The cross-file checks remember what each event's checks found (timeline/checkmemo.py, timeline/uses.py): after
an edit only what it touched is checked again, and the diagnostics are those of a fresh check, in the same order,
whatever was edited."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SMALL_CONTENT
from timeline import checkmemo
from timeline.build import check_content
from timeline.diagnostics import Diagnostic, Diagnostics

EVENTS = Path("events")
CLAIM = EVENTS / "2022" / "2022-07-03-lysychansk-claim.yaml"
HAIDAI = EVENTS / "2022" / "2022-07-03-haidai-account.yaml"
PASECHNIK = EVENTS / "2025" / "2025-06-30-pasechnik.yaml"
SEPARATISTS = EVENTS / "2014" / "2014-separatists.yaml"


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the small site's content, checked from its project folder with nothing remembered."""
    shutil.copytree(SMALL_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    checkmemo.forget()
    yield Path("content")
    checkmemo.forget()


def check(content: Path) -> list[Diagnostic]:
    diagnostics = Diagnostics()
    check_content(content, diagnostics)
    return diagnostics.items


def made() -> tuple[int, int]:
    """Events whose own checks, and whose Markdown, the last check worked out rather than found."""
    return checkmemo.last_made("event"), checkmemo.last_made("markdown")


def check_both_ways(content: Path) -> list[Diagnostic]:
    """Check with what was remembered; assert a check from nothing finds the same, in the same order."""
    remembered = check(content)
    counts = made()
    state = checkmemo.kept_state()
    checkmemo.forget()
    assert check(content) == remembered
    checkmemo.restore_state(state)
    checkmemo._MADE.update({"event": counts[0], "markdown": counts[1]})
    return remembered


def replace(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def messages(items: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    return [(d.path, d.line, d.column, d.message) for d in items]


def test_an_edited_event_is_the_only_one_checked_again(content: Path) -> None:
    assert check_both_ways(content) == []
    assert made() == (4, 4)  # nothing remembered: every event
    assert check_both_ways(content) == []
    assert made() == (0, 0)
    replace(content / CLAIM, "title: ", "title: Edited ")
    assert check_both_ways(content) == []
    assert made() == (1, 1)


def test_an_attribution_error_comes_and_goes_with_the_edit(content: Path) -> None:
    check_both_ways(content)
    replace(content / PASECHNIK, "summary: The Moscow-backed", "summary: Wire agency says the Moscow-backed")
    found = check_both_ways(content)
    assert made() == (1, 1)
    assert [(d.path, d.line, d.field) for d in found] == [("content/events/2025/2025-06-30-pasechnik.yaml", 8, "summary")]
    assert "Wire agency" in found[0].message
    replace(content / PASECHNIK, "Wire agency says the", "The")
    assert check_both_ways(content) == []
    assert made() == (1, 1)


def test_an_event_deleted_then_restored_changes_the_links_to_it(content: Path) -> None:
    check_both_ways(content)
    kept = (content / HAIDAI).read_text(encoding="utf-8")
    (content / HAIDAI).unlink()
    found = check_both_ways(content)
    assert made() == (0, 1)  # only the event whose summary links to it
    gone = "2022-07-03-haidai-account"
    assert [(d.path.rsplit("/", 1)[-1], d.line, d.severity) for d in found] == [
        ("2022-07-03-lysychansk-claim.yaml", 30, "error"),  # related: the reference check
        ("2022-07-03-lysychansk-claim.yaml", 10, "error"),  # the summary's link, reported after the references
        ("actors.yaml", 7, "warning"),  # the governor was named by that event alone
    ]
    assert all(gone in d.message for d in found[:2])
    (content / HAIDAI).write_text(kept, encoding="utf-8")
    assert check_both_ways(content) == []
    assert made() == (1, 2)


def test_an_added_event_is_checked_alone(content: Path) -> None:
    check_both_ways(content)
    text = (content / HAIDAI).read_text(encoding="utf-8")
    (content / EVENTS / "2022" / "2022-07-03-haidai-again.yaml").write_text(text, encoding="utf-8")
    assert check_both_ways(content) == []
    assert made() == (1, 1)


def test_a_broken_reference_and_link_are_reported_until_fixed(content: Path) -> None:
    check_both_ways(content)
    replace(content / CLAIM, "related: [2022-07-03-haidai-account]", "related: [2022-07-03-haidai-acount]")
    replace(content / CLAIM, "(/events/2022-07-03-haidai-account/)", "(/events/2022-07-03-haidai-acount/)")
    found = check_both_ways(content)
    assert [d.line for d in found] == [30, 10]
    assert all("2022-07-03-haidai-account" in d.hint for d in found)  # the suggestion
    replace(content / SEPARATISTS, "title: ", "title: Edited ")  # an edit elsewhere: the broken link is checked again
    assert messages(check_both_ways(content)) == messages(found)
    assert made() == (1, 2)
    replace(content / CLAIM, "haidai-acount]", "haidai-account]")
    replace(content / CLAIM, "haidai-acount/)", "haidai-account/)")
    assert check_both_ways(content) == []


def test_a_registry_edit_checks_again_what_reads_that_registry(content: Path) -> None:
    check_both_ways(content)
    replace(content / "sources.yaml", "publisher: Broadcaster", "publisher: Wire agency")  # the event cites it now
    replace(content / PASECHNIK, "summary: The Moscow-backed", "summary: Wire agency says the Moscow-backed")
    assert check_both_ways(content) == []
    assert made() == (4, 1)  # every event's own checks read the sources; Markdown does not
    replace(content / "tags.yaml", "military:\n  label: Military\n  description: Fighting.\n", "")
    found = check_both_ways(content)
    assert [d.message for d in found] == ["unknown tag 'military'"] * 2
    assert made() == (0, 4)
    replace(content / "site.yaml", "title: ", "title: Edited ")
    assert messages(check_both_ways(content)) == messages(found)
    assert made() == (0, 0)


def test_an_entry_no_longer_used_is_warned_of(content: Path) -> None:
    check_both_ways(content)
    replace(content / SEPARATISTS, "tags: [background]", "tags: [military]")
    found = check_both_ways(content)
    assert [(d.path, d.severity, d.message) for d in found] == [
        ("content/tags.yaml", "warning", "the tag 'background' is not used by any event")
    ]
    replace(content / SEPARATISTS, "tags: [military]", "tags: [background]")
    assert check_both_ways(content) == []


def test_an_unreadable_event_and_its_repair(content: Path) -> None:
    check_both_ways(content)
    replace(content / HAIDAI, "title: ", "title: [")
    found = check_both_ways(content)
    assert found
    assert all(d.path.endswith("2022-07-03-haidai-account.yaml") for d in found)
    replace(content / HAIDAI, "title: [", "title: ")
    assert check_both_ways(content) == []


_FRESH_PROCESS = """
import json, pickle, sys
from pathlib import Path
from timeline import checkmemo
from timeline.build import check_content
from timeline.diagnostics import Diagnostics
checkmemo.restore_state(pickle.loads(Path(sys.argv[1]).read_bytes()))
diagnostics = Diagnostics()
check_content(Path("content"), diagnostics)
print(json.dumps([checkmemo.last_made("event"), checkmemo.last_made("markdown"), [d.message for d in diagnostics.items]]))
"""


def test_a_kept_state_serves_a_fresh_process(content: Path, tmp_path: Path) -> None:
    check_both_ways(content)
    state = tmp_path / "state.pickle"
    state.write_bytes(pickle.dumps(checkmemo.kept_state()))
    replace(content / PASECHNIK, "summary: The Moscow-backed", "summary: Wire agency says the Moscow-backed")
    expected = [d.message for d in check_both_ways(content)]
    run = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, str(state)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    events, markdown, found = json.loads(run.stdout)
    assert (events, markdown) == (1, 1)
    assert found == expected
    assert len(found) == 1


def test_a_state_of_another_format_is_ignored(content: Path) -> None:
    check(content)
    checkmemo.restore_state(("another format", {}))
    assert check(content) == []
    assert made() == (4, 4)
