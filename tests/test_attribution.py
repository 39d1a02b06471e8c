"""A summary or note naming a publisher the event does not cite is an error (timeline/attribution.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import bad_cases
from timeline.attribution import PublisherIndex, cited_publishers, publisher_names

SOURCES = {
    "ap": {"publisher": "Associated Press"},
    "itv": {"publisher": "ITV News", "republishes": "ap"},
    "copy": {"publisher": "Unattributed website", "republishes": "itv"},
    "fox": {"publisher": "Fox News Digital"},
    "inter": {"publisher": "internewscast.com", "republishes": "fox"},
    "nw": {"publisher": "Unconfirmed (attributed to Newsweek)"},
    "mint": {"publisher": "Mint"},
}


@pytest.mark.parametrize(
    ("publisher", "names"),
    [
        ("ITV News", {("ITV News", False), ("ITV", False)}),
        ("Fox News Digital", {("Fox News Digital", False), ("Fox", False)}),
        ("Associated Press", {("Associated Press", False)}),  # not "AP": photo credits use it too
        ("internewscast.com", {("internewscast.com", False), ("internewscast", True)}),
        ("Unconfirmed (attributed to Newsweek)", {("Unconfirmed (attributed to Newsweek)", False), ("Newsweek", False)}),
        ("Unattributed website", {("Unattributed website", False)}),
        ("Mint", {("Mint", False)}),
    ],
)
def test_the_names_a_publisher_goes_by(publisher: str, names: set[tuple[str, bool]]) -> None:
    assert set(publisher_names(publisher)) == names


def test_mentions_are_whole_words_and_the_longest_name_wins() -> None:
    index = PublisherIndex(SOURCES)
    text = "Fox News Digital could not confirm it (Internewscast); the Associated\nPress copy; mint, ITVX, Fox's and ITV."
    found = [(text[offset : offset + len(written)], written, publishers) for offset, written, publishers in index.mentions(text)]
    assert found == [
        ("Fox News Digital", "Fox News Digital", {"Fox News Digital"}),
        ("Internewscast", "Internewscast", {"internewscast.com"}),
        ("Associated\nPress", "Associated\nPress", {"Associated Press"}),
        ("Fox", "Fox", {"Fox News Digital"}),
        ("ITV", "ITV", {"ITV News"}),
    ]


def test_a_cited_copy_vouches_for_every_original_behind_it() -> None:
    assert cited_publishers(["copy"], SOURCES) == {"Unattributed website", "ITV News", "Associated Press"}
    assert cited_publishers(["ap"], SOURCES) == {"Associated Press"}  # an original does not cite its copies
    circle = {"a": {"publisher": "A", "republishes": "b"}, "b": {"publisher": "B", "republishes": "a"}}
    assert cited_publishers(["a"], circle) == {"A", "B"}  # a circle (reported elsewhere) does not hang


def test_naming_the_original_of_a_cited_copy_passes_and_an_uncited_publisher_fails(tmp_path: Path) -> None:
    shutil.copytree(bad_cases.SMALL_CONTENT, tmp_path / "content")
    event = tmp_path / "content" / bad_cases.HAIDAI
    text = event.read_text(encoding="utf-8")
    good = text.replace("    status: claimed\n", "    status: claimed\n    status_note: As the Wire agency put it.\n")
    event.write_text(good, encoding="utf-8")
    assert bad_cases.run_cli(bad_cases.CHECK_ARGS, tmp_path)[0] == 0  # copy-2022 republishes wire-2022

    event.write_text(good.replace("As the Wire agency", "As the Broadcaster"), encoding="utf-8")
    code, _, err = bad_cases.run_cli(bad_cases.CHECK_ARGS, tmp_path)
    assert code == 1
    line = next(n for n, row in enumerate(good.splitlines(), 1) if "status_note" in row)
    column = good.splitlines()[line - 1].index("Wire agency") + 1
    assert f"{bad_cases.HAIDAI}:{line}:{column}: error: names the publisher 'Broadcaster'" in err
    assert "hint: add tv-2025" in err
