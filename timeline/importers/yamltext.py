"""Imported events and registry entries as YAML text in the project's own style, quoting only where needed."""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z0-9][\w ,.'()/&+~?%-]*$")
_SPECIAL = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

EVENT_KEYS = ("date", "date_note", "title", "episode", "tags", "places", "actors", "importance", "summary")


def scalar(value: Any) -> str:
    """One value as a YAML scalar: plain when that reads back the same, double-quoted otherwise."""
    if isinstance(value, bool):
        raise TypeError("imported content has no booleans")
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text == text.strip() and text.lower() not in _SPECIAL and " -" not in text[:2]:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _block(text: str, indent: str) -> str | None:
    """A literal block for multi-line Markdown, or None when the text would not survive one unchanged."""
    lines = text.split("\n")
    if _UNSAFE.search(text) or "\t" in text or lines[0].startswith(" ") or any(line != line.rstrip() for line in lines):
        return None
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return f"|\n{body}"


def _value(key: str, value: Any, indent: str) -> str:
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) for v in value):
            return f"{indent}{key}: [{', '.join(scalar(v) for v in value)}]"
        items = []
        for item in value:
            pairs = list(item.items())
            first = f"{indent}  - {pairs[0][0]}: {scalar(pairs[0][1])}"
            items.append("\n".join([first, *(f"{indent}    {k}: {scalar(v)}" for k, v in pairs[1:])]))
        return f"{indent}{key}:\n" + "\n".join(items)
    if isinstance(value, str) and "\n" in value:
        block = _block(value, indent + "  ")
        if block is not None:
            return f"{indent}{key}: {block}"
    return f"{indent}{key}: {scalar(value)}"


def event_text(date: str, fields: dict[str, Any], header: str) -> str:
    """An event file: a comment naming where it came from, then the keys in the documented order."""
    values = {"date": date, **fields}
    order = [*EVENT_KEYS, *(k for k in values if k not in EVENT_KEYS)]
    lines = [f"# {header}"] + [_value(k, values[k], "") for k in order if k in values and values[k] not in ("", [], None)]
    return "\n".join(lines) + "\n"


def entry_text(entry_id: str, fields: dict[str, Any]) -> str:
    """One registry entry: `id:` and its fields indented under it."""
    lines = [f"{entry_id}:"] + [_value(k, v, "  ") for k, v in fields.items() if v not in ("", [], None)]
    return "\n".join(lines) + "\n"
