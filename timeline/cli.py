"""Command line: `timeline build|check|serve|new|schema|init|import`; exit 0 when all is well, 1 for content errors,
2 for usage errors."""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from timeline import __version__
from timeline.build import OutputRefused, build_site, check_content
from timeline.controls import escape_controls
from timeline.diagnostics import Diagnostics, format_diagnostics
from timeline.progress import Progress, StageClock
from timeline.project import PROJECT_MARKER, find_root

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline",
        description="Build a sourced event timeline as a static website.",
        epilog="Commands find the project by looking upward from the current folder for content/site.yaml.",
    )
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    located = argparse.ArgumentParser(add_help=False)
    located.add_argument("--root", type=Path, help="the project's folder (default: found upward from the current folder)")
    located.add_argument("--content", type=Path, help="content folder (default: content/ of the project)")
    commands = parser.add_subparsers(dest="command", metavar="command")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_, parents=[located])

    def formats(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems")

    def templates(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--templates", type=Path, help="your own templates, which override the theme (default: templates/)")

    build = command("build", "check the content and build the site (the default)")
    formats(build)
    templates(build)
    build.add_argument("--out", type=Path, help="output folder (default: site/ of the project)")
    build.add_argument("--force", action="store_true", help="replace --out even if this tool did not build what it holds")
    build.add_argument("--timings", action="store_true", help="print the wall and CPU time of each stage of the build")
    check = command("check", "check the content without writing anything")
    formats(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command("schema", "write JSON Schema for editors into content/.schema/ and the field reference into docs/")
    serve = command("serve", "preview the site with live reload")
    templates(serve)
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    serve.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME", help="answer to this host name too (default: localhost only)"
    )
    new = command("new", "create a new event file")
    new.add_argument("title", help="the event's title, in quotes")
    new.add_argument("--date", required=True, help="the event's date, e.g. 2022-07-03")
    imp = command("import", "bring events in from TimelineJS, UCDP GED, ACLED or a CSV table")
    imp.add_argument(
        "source_format", metavar="FORMAT", choices=("timelinejs", "ucdp", "acled", "csv"), help="timelinejs, ucdp, acled or csv"
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    formats(imp)
    imp.add_argument("--dry-run", action="store_true", help="list what would be written, and write nothing")
    imp.add_argument("--force", action="store_true", help="overwrite event files edited by hand since the last import")
    imp.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="csv: take FIELD from COLUMN (repeatable)")
    imp.add_argument("--mapping", type=Path, help="csv: a YAML file mapping fields to columns")
    imp.add_argument("--language", help="language of the sources the import adds (default: the site's)")
    init = commands.add_parser("init", help="start a new timeline project")
    init.add_argument("folder", nargs="?", type=Path, default=Path(), help="where (default: the current folder)")
    init.add_argument("--title", help="the site's title (default: made from the folder's name)")
    return parser


class NoProject(Exception):
    """No project was found where a command looked for one, or a folder named on the command line is missing."""


def _locate(args: argparse.Namespace) -> None:
    """Fill in the project's paths the user did not give: content/, templates/ and site/ of the project's root."""
    root = args.root
    if root is None:
        found = find_root(Path.cwd())
        root = Path(os.path.relpath(found)) if found else None  # paths in messages stay short: content/…, not /home/…
    elif not (root / PROJECT_MARKER).is_file() and args.content is None:
        raise NoProject(f"--root {root}: there is no {PROJECT_MARKER} in that folder")
    if root is None:
        if args.content is None:
            raise NoProject(f"no timeline project in {Path.cwd()} or any folder above it (none holds {PROJECT_MARKER})")
        root = args.content.parent
    given = getattr(args, "templates", None)
    if given is not None and not given.is_dir():
        raise NoProject(f"--templates {given}: there is no such folder (without --templates, the theme is used)")
    args.root = root
    args.content = args.content or root / "content"
    for name, default in (("templates", "templates"), ("out", "site")):
        if hasattr(args, name) and getattr(args, name) is None:
            setattr(args, name, root / default)


def _report(diagnostics: Diagnostics, style: str, strict: bool = False) -> int:
    items = list(diagnostics)
    if items:
        text = format_diagnostics(items, style)
        print(text, file=sys.stdout if style in ("github", "json") else sys.stderr)
    elif style == "json":
        print("[]")
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    failed = errors or (strict and warnings)
    if style == "text" and (errors or warnings):
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


DATE_OPTIONS = frozenset({"--date"})  # options whose value may start with a minus sign: -0043-03-15 is 44 BCE


def attach_date_values(argv: list[str]) -> list[str]:
    """`--date -0043-03-15` as `--date=-0043-03-15`: argparse takes a word that starts with `-` and is not a
    plain number for an option of its own, and would say that `--date` expected one argument."""
    joined: list[str] = []
    for word in argv:
        if joined and joined[-1] in DATE_OPTIONS and re.match(r"-\d", word) and "--" not in joined[:-1]:
            joined[-1] += f"={word}"
        else:
            joined.append(word)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(attach_date_values(list(sys.argv[1:] if argv is None else argv)) or ["build"])
    if args.command == "init":
        return _init(args.folder, args.title)
    try:
        _locate(args)
    except NoProject as exc:
        print(f"timeline {args.command}: error: {exc}", file=sys.stderr)
        print("  hint: run `timeline init` to start a project, or pass --root or the missing folder", file=sys.stderr)
        return EXIT_USAGE
    diagnostics = Diagnostics()
    if args.command == "schema":
        from timeline.editor_schema import REFERENCE_PATH, write_reference, write_schemas
        from timeline.safewrite import UnsafePath

        try:
            changed = write_schemas(args.content)
            print(f"wrote {len(changed)} changed schema file(s) in {args.content / '.schema'}/")
            if write_reference(args.root):
                print(f"wrote {args.root / REFERENCE_PATH}")
        except (UnsafePath, OSError) as exc:
            print(f"timeline schema: error: {escape_controls(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    if args.command == "serve":
        from timeline.serve import serve

        return serve(args.content, args.templates, "127.0.0.1", args.port, frozenset(n.lower() for n in args.allow_host))
    if args.command == "new":
        from timeline.scaffold import ScaffoldError, new_event

        try:
            path = new_event(args.content, args.title, args.date)
        except ScaffoldError as exc:
            print(f"timeline new: error: {escape_controls(str(exc))}", file=sys.stderr)
            return EXIT_USAGE
        print(f"created {path}: fill in tags, the summary and at least one source, then run `timeline check`")
        return EXIT_OK
    if args.command == "import":
        from timeline.importers.command import UsageError, run_import

        try:
            lines = run_import(args.source_format, args.file, args.content, vars(args), diagnostics)
        except UsageError as exc:
            print(f"timeline import: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        print("\n".join(lines), file=sys.stdout if args.format == "text" else sys.stderr)
        return _report(diagnostics, args.format)
    if args.command == "check":
        from timeline.checkcache import cached_check, check_fingerprint, remember_check

        fingerprint = check_fingerprint(args.content)
        cached = cached_check(args.content, fingerprint)
        if cached is None:
            check_content(args.content, diagnostics)
            remember_check(args.content, fingerprint, diagnostics)
        return _report(cached or diagnostics, args.format, args.strict)
    started = time.perf_counter()
    clock = StageClock() if getattr(args, "timings", False) else None
    progress = Progress(enabled=None if args.format == "text" else False, clock=clock)
    try:
        report = build_site(args.content, args.templates, args.out, diagnostics, progress, args.force)
    except OutputRefused as exc:
        progress.done()
        print(f"timeline build: error: {exc}\n  hint: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    progress.done()
    if clock is not None:
        print(clock.table(), file=sys.stderr)
    status = _report(diagnostics, args.format)
    if report is None:
        if args.format == "text":
            print(f"build failed: {args.out}/ was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    if args.format == "text":
        seconds = time.perf_counter() - started
        if report.up_to_date:
            print(f"{args.out}/ is up to date ({report.files} files; nothing changed) in {seconds:.2f} s")
        else:
            print(
                f"built {report.pages} pages ({report.rendered} rendered), {report.files} files ({report.bytes / 1e6:.1f} MB)"
                f" in {args.out}/ in {seconds:.2f} s: {report.changed} written, {report.removed} removed"
            )
    return status


def _init(folder: Path, title: str | None) -> int:
    from timeline.init import InitError, init_project

    try:
        written = init_project(folder, title)
    except InitError as exc:
        print(f"timeline init: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"started a timeline in {folder}/ ({len(written)} files). Next:")
    where = "" if folder == Path() else f"cd {folder} && "
    print(f"  {where}timeline serve    # preview it on http://127.0.0.1:8000/ while you edit content/")
    return EXIT_OK


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
