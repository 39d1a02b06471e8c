"""Command line: `timeline build|check`; exit 0 when all is well, 1 for content errors, 2 for usage errors."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from timeline import __version__
from timeline.build import build_site, check_content
from timeline.controls import escape_controls
from timeline.diagnostics import Diagnostics, format_diagnostics
from timeline.progress import Progress

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Build a sourced event timeline as a static website.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
        sub.add_argument("--format", choices=("text", "github", "json"), default="text", help="how to print problems")

    build = commands.add_parser("build", help="check the content and build the site (the default)")
    common(build)
    build.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
    build.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    check = commands.add_parser("check", help="check the content without writing anything")
    common(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    schema = commands.add_parser("schema", help="write JSON Schema for editors into content/.schema/")
    schema.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    serve = commands.add_parser("serve", help="preview the site with live reload")
    serve.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    serve.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)")
    serve.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME", help="answer to this host name too (default: localhost only)"
    )
    new = commands.add_parser("new", help="create a new event file")
    new.add_argument("title", help="the event's title, in quotes")
    new.add_argument("--date", required=True, help="the event's date, e.g. 2022-07-03")
    new.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    return parser


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


def _out_problem(out: Path, content: Path, templates: Path) -> str:
    """Why `out` cannot be replaced by a built site, if it cannot: it holds the project, or its inputs."""
    target = out.resolve()
    if target == Path.cwd().resolve() or target in Path.cwd().resolve().parents:
        return "is the project folder (or holds it); name a folder of its own, e.g. --out site"
    for name, folder in (("--content", content), ("--templates", templates)):
        inputs = folder.resolve()
        if target == inputs or target in inputs.parents or inputs in target.parents:
            return f"overlaps the {name} folder {folder}; the build would replace its own input"
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv) or ["build"])
    diagnostics = Diagnostics()
    if args.command == "schema":
        from timeline.editor_schema import REFERENCE_PATH, write_reference, write_schemas
        from timeline.safewrite import UnsafePath

        try:
            changed = write_schemas(args.content)
            print(f"wrote {len(changed)} changed schema file(s) in {args.content / '.schema'}/")
            if write_reference(Path.cwd()):
                print(f"wrote {REFERENCE_PATH}")
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
    if args.command == "check":
        from timeline.checkcache import cached_check, check_fingerprint, remember_check

        fingerprint = check_fingerprint(args.content)
        cached = cached_check(args.content, fingerprint)
        if cached is None:
            check_content(args.content, diagnostics)
            remember_check(args.content, fingerprint, diagnostics)
        return _report(cached or diagnostics, args.format, args.strict)
    problem = _out_problem(args.out, args.content, args.templates)
    if problem:
        print(f"timeline build: error: --out {escape_controls(str(args.out))} {problem}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    progress = Progress(enabled=None if args.format == "text" else False)
    report = build_site(args.content, args.templates, args.out, diagnostics, progress)
    progress.done()
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


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
