"""The one writer every format shares: checks what an import would write, then writes it all or nothing.

Planning finds, for each event, whether its file is new, updated, unchanged, or edited by hand since the
last import (a conflict, unless `force`), and what each registry file gains. Every text is read back with
the project's own schema before anything is written, so an import never leaves content `check` rejects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.content import display_path
from timeline.diagnostics import Diagnostics
from timeline.fields import Context
from timeline.importers.problems import Report
from timeline.importers.records import Batch, Entry, ImportedEvent
from timeline.importers.state import ImportState, digest, load_state, save_state, write_atomic
from timeline.importers.yamltext import entry_text, event_text
from timeline.markdown import inspect_markdown
from timeline.schema import EVENT, REGISTRIES
from timeline.yamlsource import MAX_REGISTRY_BYTES, parse_yaml

REGISTRY_ORDER = ("episodes", "tags", "actors", "places", "sources")


@dataclass
class Change:
    path: str  # relative to the content folder
    action: str  # create, update, unchanged, remove
    text: str = ""
    key: str = ""
    what: str = ""  # for the listing: an event's title, a registry's new ids


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    state: ImportState = field(default_factory=ImportState)

    def count(self, action: str) -> int:
        return sum(1 for c in self.changes if c.action == action)


def _verify_event(event: ImportedEvent, text: str, report: Report) -> None:
    """Read the event back with the schema; a problem there is a problem of the input row it came from."""
    found = Diagnostics()
    node = parse_yaml(text, event.path, found)
    if node is not None:
        EVENT.convert(node, "", Context(event.path, found))
    problems = [(d.message, d.hint) for d in found.errors]
    problems += [(p.message, p.hint) for p in inspect_markdown(str(event.fields.get("summary", "")))[0]]
    for message, hint in problems:
        report.error(event.where, f"the imported event would be invalid: {message}", hint)


def _verify_entry(entry: Entry, report: Report) -> None:
    found = Diagnostics()
    node = parse_yaml(entry_text(entry.id, entry.fields), entry.registry, found)
    if node is not None:
        REGISTRIES[entry.registry].convert(node, "", Context(entry.registry, found))
    for problem in found.errors:
        report.error(entry.where, f"the imported {entry.registry[:-1]} '{entry.id}' would be invalid: {problem.message}")


def _verify_registry(file: Path, registry: str, text: str, content: Path, out: Diagnostics) -> None:
    """The registry with its new entries must still read as one (a file in flow style `{...}` would not)."""
    found = Diagnostics()
    path = display_path(file, content)
    node = parse_yaml(text, path, found, limit=MAX_REGISTRY_BYTES)
    if node is not None:
        REGISTRIES[registry].convert(node, "", Context(path, found))
    if found.errors:
        first = found.errors[0]
        message = f"new entries cannot be appended to this file: {first.message}"
        out.error(path, 1, 1, message, "write the file in block style, one `id:` per line at the left margin")


def _registry_text(file: Path, existing: dict[str, Any], entries: list[Entry], header: str) -> str:
    """The registry file with the new entries appended after a comment; an empty `{}` file is replaced."""
    try:
        old = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        old = ""
    if not existing:  # nothing but comments, blank lines or `{}`
        old = "".join(line for line in old.splitlines(keepends=True) if line.lstrip().startswith("#"))
    if old and not old.endswith("\n"):
        old += "\n"
    added = "".join(entry_text(e.id, e.fields) for e in entries)
    return f"{old}{chr(10) if old else ''}# {header}\n{added}"


def _event_change(event: ImportedEvent, text: str, content: Path, state: ImportState, force: bool, out: Diagnostics) -> Change:
    file = content / event.path
    change = Change(event.path, "create", text, event.key, str(event.fields.get("title", "")))
    if not file.exists():
        return change
    current = file.read_bytes()
    if current == text.encode("utf-8"):
        change.action = "unchanged"
        return change
    change.action = "update"
    recorded = state.files.get(event.path, {}).get("sha256")
    if recorded != digest(current) and not force:
        why = "was changed by hand since the last import" if recorded else "was not written by an import"
        out.error(
            display_path(file, content),
            1,
            1,
            f"this file {why}; importing would overwrite it",
            "run the import again with --force to overwrite it, or keep your edits by leaving this row out",
        )
    return change


def plan_import(batch: Batch, content: Path, header: str, report: Report, force: bool) -> Plan:
    """Everything the import would write; conflicts and invalid results are reported, not planned around."""
    plan = Plan(state=load_state(content))
    for entry in batch.entries.values():
        _verify_entry(entry, report)
    for event in batch.events:
        text = event_text(str(event.date), event.fields, header)
        _verify_event(event, text, report)
        plan.changes.append(_event_change(event, text, content, plan.state, force, report.diagnostics))
    new_paths = {event.path for event in batch.events}
    for event in batch.events:
        old_path = plan.state.path_of(batch.input_name, event.key)
        if old_path and old_path not in new_paths and (content / old_path).exists():
            _plan_removal(old_path, content, plan, force, report.diagnostics)
    for registry in REGISTRY_ORDER:
        entries = [e for (r, _), e in batch.entries.items() if r == registry]
        if entries:
            text = _registry_text(content / f"{registry}.yaml", batch.existing.get(registry, {}), entries, header)
            _verify_registry(content / f"{registry}.yaml", registry, text, content, report.diagnostics)
            plan.changes.append(Change(f"{registry}.yaml", "update", text, what=", ".join(e.id for e in entries)))
    return plan


def _plan_removal(path: str, content: Path, plan: Plan, force: bool, out: Diagnostics) -> None:
    """The input now dates an event differently: its old file goes, unless it was edited by hand."""
    current = (content / path).read_bytes()
    if plan.state.files.get(path, {}).get("sha256") != digest(current) and not force:
        out.error(
            display_path(content / path, content),
            1,
            1,
            "the input now gives this event another date and file name, but this file was changed by hand",
            "run the import again with --force to replace it, or move your edits to the new file afterwards",
        )
    plan.changes.append(Change(path, "remove"))


def apply_plan(plan: Plan, batch: Batch, content: Path) -> None:
    """Write registries first and events after, then record what was written."""
    ordered = sorted(plan.changes, key=lambda c: (c.path.startswith("events/"), c.path))
    for change in ordered:
        file = content / change.path
        if change.action == "remove":
            file.unlink(missing_ok=True)
            plan.state.files.pop(change.path, None)
            continue
        data = change.text.encode("utf-8")
        if change.action != "unchanged":
            write_atomic(file, data)
        if change.path.startswith("events/"):
            plan.state.files[change.path] = {"sha256": digest(data), "input": batch.input_name, "key": change.key}
    save_state(content, plan.state)
