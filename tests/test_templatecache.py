"""Compiled templates are kept in the cache folder: a later build (a new process) compiles none of them again,
and gives the same pages; a template that changed is compiled again."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import Environment

from tests.conftest import ROOT, SMALL_CONTENT
from tests.process import as_a_new_process
from tests.test_incremental import build, files_of


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from their source from now on."""
    names: list[str] = []
    original = Environment.compile

    def counting(self: Environment, source: object, name: str | None = None, *args: object, **kwargs: object) -> object:
        names.append(str(name))
        return original(self, source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def test_a_later_build_compiles_no_template_again(tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    build(SMALL_CONTENT, ROOT / "templates", tmp_path / "first")
    assert "event.html" in compiled
    compiled.clear()
    as_a_new_process(monkeypatch)  # nothing kept in this process: only the cache folder remembers
    build(SMALL_CONTENT, ROOT / "templates", tmp_path / "second")
    assert compiled == []
    assert files_of(tmp_path / "second") == files_of(tmp_path / "first")


def test_a_changed_template_is_compiled_again(tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "404.html"  # the project's own copy, changed in place: same name, same file, other source
    page.write_text((ROOT / "templates" / "404.html").read_text(encoding="utf-8"), encoding="utf-8")
    build(SMALL_CONTENT, templates, tmp_path / "first")
    page.write_text(page.read_text(encoding="utf-8").replace("</ul>", "</ul><p>Changed.</p>", 1), encoding="utf-8")
    compiled.clear()
    as_a_new_process(monkeypatch)
    build(SMALL_CONTENT, templates, tmp_path / "second")
    assert "404.html" in compiled
    assert "Changed." in (tmp_path / "second" / "404.html").read_text(encoding="utf-8")
