"""Running an import: read the project, read the input, settle episodes, then list or write the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from timeline.content import display_path, load_content
from timeline.diagnostics import Diagnostics
from timeline.edtf import EdtfDate
from timeline.importers import FORMATS
from timeline.importers.problems import Report
from timeline.importers.records import Batch
from timeline.importers.values import edtf
from timeline.importers.writer import Plan, apply_plan, plan_import


class UsageError(Exception):
    """The command cannot start: a missing file or folder, an unknown format."""


def _spans(batch: Batch) -> list[tuple[str, EdtfDate, EdtfDate]]:
    spans = [(i, e["start"], e["end"]) for i, e in batch.existing.get("episodes", {}).items() if "start" in e and "end" in e]
    spans += [(e.id, edtf(e.fields["start"]), edtf(e.fields["end"])) for (r, _), e in batch.entries.items() if r == "episodes"]
    return spans


def _settle_episodes(batch: Batch, report: Report) -> None:
    """An event inside several episodes must name one: the narrowest (then the first by id), with a warning."""
    spans = _spans(batch)
    for event in batch.events:
        first, last = event.date.first_day, event.date.last_day
        inside = [
            (end.last_day - start.first_day, i) for i, start, end in spans if start.first_day <= first and last <= end.last_day
        ]
        if len(inside) > 1:
            chosen = min(inside)[1]
            event.fields["episode"] = chosen
            names = ", ".join(sorted(i for _, i in inside))
            report.warning(event.where, f"the date falls inside several episodes ({names}); the event is put in '{chosen}'")


def _listing(plan: Plan, content: Path, dry_run: bool) -> list[str]:
    verbs = {"create": "would create", "update": "would update", "remove": "would remove"} if dry_run else {}
    lines = []
    for change in sorted(plan.changes, key=lambda c: (c.path.startswith("events/"), c.path)):
        if change.action == "unchanged":
            continue
        what = f" (new entries: {change.what})" if change.path.endswith(".yaml") and "/" not in change.path else ""
        title = f": {change.what}" if change.path.startswith("events/") and change.what else ""
        lines.append(f"{verbs.get(change.action, change.action)} {display_path(content / change.path, content)}{what}{title}")
    return lines


def _shown(file: Path) -> str:
    """The input's name in messages: relative to the working directory when it is below it."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(file)


def run_import(fmt: str, file: Path, content: Path, options: dict[str, Any], diagnostics: Diagnostics) -> list[str]:
    """Import `file` into the project at `content`; the lines to print. Problems go into `diagnostics`."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    if not file.is_file():
        raise UsageError(f"{file}: no such file")
    if not (content / "site.yaml").is_file():
        raise UsageError(f"{content}/site.yaml not found: run the command in a timeline project, or give --content")
    project = Diagnostics()
    raw = load_content(content, project)
    if project.errors:
        diagnostics.extend(project.errors)
        return ["the project has content errors; fix them first (`timeline check`), then import"]
    report = Report(_shown(file), diagnostics)
    language = str(options.get("language") or raw.site.get("language", "en"))
    batch = Batch(file.name, language, raw.registries)
    FORMATS[fmt](file, batch, report, options)
    if report.failed:
        return [f"nothing was written: {file} has problems"]
    _settle_episodes(batch, report)
    header = f"imported with `timeline import {fmt} {file.name}`"
    plan = plan_import(batch, content, header, report, bool(options.get("force")))
    if report.failed:
        return ["nothing was written"]
    dry_run = bool(options.get("dry_run"))
    lines = _listing(plan, content, dry_run)
    if not dry_run:
        apply_plan(plan, batch, content)
    events = [c for c in plan.changes if c.path.startswith("events/")]
    created, updated, same = (sum(1 for c in events if c.action == a) for a in ("create", "update", "unchanged"))
    summary = f"{len(batch.events)} event(s) from {file.name}: {created} new file(s), {updated} updated, {same} unchanged"
    return [*lines, summary + (" (dry run: nothing written)" if dry_run else "")]
