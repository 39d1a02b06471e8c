"""Bad-content cases: small faults laid over the valid small site, each with the exact diagnostics it must give.

A case is a folder `tests/fixtures/bad/<name>/` holding

- `content/...`   files that replace or add files in a copy of `tests/fixtures/site-small/content/`;
- `remove.txt`    (optional) paths relative to `content/` to delete from the copy, one a line;
- `expected.txt`  exactly what `timeline build` prints to stderr, run with the working directory set to the
                  copy's parent (so paths read `content/events/2022/...`), without the closing summary lines
                  ("N error(s), M warning(s)" and "build failed: ...").

Files that cannot sensibly be committed (bytes that are not UTF-8, an invisible BOM or CR, generated or
huge files) are built by the functions registered in `GENERATED`; the case folder then holds only
`expected.txt`, and the generated files are laid over the copy after `content/`.

To rewrite `expected.txt` from the actual output (never in CI; read every diff before committing):

    python -m tests.bad_cases --regenerate            # every case
    python -m tests.bad_cases --regenerate NAME ...   # just these
    python -m tests.bad_cases --show NAME             # print a case's actual diagnostics

It prints which files changed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from timeline.cli import main as cli_main

TESTS = Path(__file__).resolve().parent
BAD = TESTS / "fixtures" / "bad"
SMALL_CONTENT = TESTS / "fixtures" / "site-small" / "content"
BUILD_ARGS = ["build", "--content", "content", "--out", "site"]
CHECK_ARGS = ["check", "--content", "content"]
_SUMMARY = re.compile(r"^(\d+ error\(s\), \d+ warning\(s\)|build failed: .*)$")

LYSYCHANSK = "events/2022/2022-07-03-lysychansk-claim.yaml"
HAIDAI = "events/2022/2022-07-03-haidai-account.yaml"
SEPARATISTS = "events/2014/2014-separatists.yaml"

GENERATED: dict[str, Callable[[], dict[str, bytes]]] = {}


def generated(name: str) -> Callable[[Callable[[], dict[str, bytes]]], Callable[[], dict[str, bytes]]]:
    """Register a function that returns the files (path below content/ -> bytes) of case `name`."""

    def register(function: Callable[[], dict[str, bytes]]) -> Callable[[], dict[str, bytes]]:
        GENERATED[name] = function
        return function

    return register


def small(relative: str) -> bytes:
    """A file of the valid small site."""
    return (SMALL_CONTENT / relative).read_bytes()


def replaced(relative: str, old: bytes, new: bytes) -> bytes:
    """A file of the small site with one piece replaced; fails loudly if the piece is not there."""
    data = small(relative)
    if data.count(old) != 1:
        raise ValueError(f"{old!r} occurs {data.count(old)} times in {relative}")
    return data.replace(old, new)


@generated("non-utf8")
def _non_utf8() -> dict[str, bytes]:
    # an em dash (3 bytes, 1 character) before the bad byte: the column counts characters, not bytes
    title = "title: Shoigu claims Lysychansk — ".encode() + b"\xff"
    return {LYSYCHANSK: replaced(LYSYCHANSK, b"title: Shoigu claims Lysychansk", title)}


@generated("non-utf8-latin1-page")
def _non_utf8_latin1_page() -> dict[str, bytes]:
    # saved as Latin-1 by an old editor: 'é' is the single byte 0xe9
    return {"pages/about.md": "---\ntitle: About\n---\nA small site.\n\nMade by the café team.\n".encode("latin-1")}


@generated("alias-bomb")
def _alias_bomb() -> dict[str, bytes]:
    """The 'billion laughs': nine levels of nine aliases each would expand to 9**9 strings."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        name, previous = "abcdefghi"[level], "abcdefghi"[level - 1]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return {HAIDAI: ("\n".join(lines) + "\n").encode()}


@generated("deep-nesting")
def _deep_nesting() -> dict[str, bytes]:
    return {HAIDAI: b"date: " + b"[" * 100_000 + b"\n"}


@generated("huge-file")
def _huge_file() -> dict[str, bytes]:
    words = b"Separatists take parts of Luhansk and Donetsk. " * 64_000  # 3 MB
    return {SEPARATISTS: replaced(SEPARATISTS, b"Separatists take parts of Luhansk and Donetsk.", words.strip())}


@generated("tab-indentation")
def _tab_indentation() -> dict[str, bytes]:
    return {LYSYCHANSK: replaced(LYSYCHANSK, b"  - by: shoigu", b"\t- by: shoigu")}


@generated("bom-positions")
def _bom_positions() -> dict[str, bytes]:
    # a byte order mark at the start must not shift the columns of line 1
    data = replaced(HAIDAI, b"date: 2022-07-03", b"date: 2022-07-33")
    return {HAIDAI: b"\xef\xbb\xbf" + data}


@generated("crlf-positions")
def _crlf_positions() -> dict[str, bytes]:
    # Windows line ends must not shift line or column numbers
    data = replaced(LYSYCHANSK, b"date_note: Sunday", b"date_nte: Sunday").replace(b"actors: [shoigu]", b"actors: [shoigy]")
    return {LYSYCHANSK: data.replace(b"\n", b"\r\n")}


@generated("control-character-escaped-in-key")
def _control_character_escaped_in_key() -> dict[str, bytes]:
    # ESC [ 2 J written as a YAML escape: printed raw, it would clear the terminal
    return {LYSYCHANSK: replaced(LYSYCHANSK, b"date_note: Sunday", b'"date_note\\e[2J": Sunday')}


@generated("control-character-escaped-in-title")
def _control_character_escaped_in_title() -> dict[str, bytes]:
    # U+0001 would make feed.xml invalid XML
    return {LYSYCHANSK: replaced(LYSYCHANSK, b"title: Shoigu claims Lysychansk", b'title: "Shoigu claims\\x01 Lysychansk"')}


@generated("control-character-nul-byte")
def _control_character_nul_byte() -> dict[str, bytes]:
    return {HAIDAI: replaced(HAIDAI, b"date: 2022-07-03", b"date: 2022-07-03\x00")}


@generated("control-character-in-page")
def _control_character_in_page() -> dict[str, bytes]:
    return {"pages/about.md": b"---\ntitle: About\n---\nA small site.\n\nMade by \x1b[2Jthe team.\n"}


@generated("registry-id-ends-in-newline")
def _registry_id_ends_in_newline() -> dict[str, bytes]:
    # `$` matches before a final newline: the id must match as a whole
    return {
        "actors.yaml": small("actors.yaml") + b'"zelensky\\n":\n  name: Volodymyr Zelensky\n  kind: person\n  side: ukraine\n'
    }


@generated("event-file-name-ends-in-newline")
def _event_file_name_ends_in_newline() -> dict[str, bytes]:
    return {"events/2022/2022-07-04-nl\n.yaml": small(HAIDAI).replace(b"2022-07-03", b"2022-07-04")}


@generated("page-front-matter-not-closed")
def _page_front_matter_not_closed() -> dict[str, bytes]:
    return {"pages/about.md": b"---\ntitle: About\n\nA small site.\n"}


def case_names() -> list[str]:
    """Every case: the folders under tests/fixtures/bad/."""
    return sorted(p.name for p in BAD.iterdir() if p.is_dir()) if BAD.is_dir() else []


def case_dir(name: str) -> Path:
    return BAD / name


def expected(name: str) -> str:
    return (case_dir(name) / "expected.txt").read_text("utf-8")


def removals(name: str) -> list[str]:
    file = case_dir(name) / "remove.txt"
    if not file.is_file():
        return []
    return [line.strip() for line in file.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]


def overlay_files(name: str) -> dict[str, bytes]:
    """Files the case lays over the copy: path below content/ -> bytes."""
    files: dict[str, bytes] = {}
    folder = case_dir(name) / "content"
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                files[file.relative_to(folder).as_posix()] = file.read_bytes()
    if name in GENERATED:
        files.update(GENERATED[name]())
    return files


def make_content(name: str, root: Path) -> Path:
    """Write the case's content folder to root/content: the small site, minus removals, plus the overlay."""
    content = root / "content"
    shutil.copytree(SMALL_CONTENT, content)
    for relative in removals(name):
        target = content / relative
        if not target.exists():
            raise FileNotFoundError(f"{name}/remove.txt: {relative} is not in the small site")
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    for relative, data in overlay_files(name).items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return content


def diagnostics_text(stderr: str) -> str:
    """The diagnostics of a run's stderr, without the summary lines that close it."""
    lines = stderr.splitlines()
    while lines and _SUMMARY.match(lines[-1]):
        lines.pop()
    return "".join(line + "\n" for line in lines)


_YAML_WORDING = re.compile(r"(: error: this is not valid YAML: ).*")


def contract(diagnostics: str) -> str:
    """Diagnostics as the project promises them: positions, severities, our messages and hints. What follows "this is
    not valid YAML:" is PyYAML's own wording, which any of its releases may change, so it is left out."""
    return _YAML_WORDING.sub(r"\1…", diagnostics)


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_cli(argv: Sequence[str], cwd: Path) -> tuple[int, str, str]:
    """Run the command line in-process; exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with _working_directory(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def actual(name: str) -> tuple[int, str]:
    """Exit code and diagnostics of `timeline build` on the case, as they are today."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_content(name, root)
        code, _, stderr = run_cli(BUILD_ARGS, root)
    return code, diagnostics_text(stderr)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(TESTS.parent))
    except ValueError:
        return str(path)


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bad_cases", description=__doc__.split("\n", 1)[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--regenerate", action="store_true", help="rewrite expected.txt from the actual output")
    action.add_argument("--show", action="store_true", help="print the actual diagnostics")
    parser.add_argument("names", nargs="*", help="cases (default: all)")
    args = parser.parse_args(argv)
    names = args.names or case_names()
    unknown = sorted(set(names) - set(case_names()))
    if unknown:
        parser.error(f"no such case: {', '.join(unknown)}")
    changed = 0
    for name in names:
        code, text = actual(name)
        if args.show:
            print(f"== {name} (exit {code})\n{text}", end="")
            continue
        if code != 1:
            print(f"warning: {name}: exit code {code}, expected 1", file=sys.stderr)
        file = case_dir(name) / "expected.txt"
        old = file.read_text("utf-8") if file.is_file() else None
        if old == text:
            continue
        file.write_text(text, "utf-8")
        changed += 1
        print(f"{'changed' if old is not None else 'created'}: {_shown(file)}")
    if args.regenerate:
        print(f"{changed} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
