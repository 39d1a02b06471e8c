"""Control characters: found in content (refused, with a position) and escaped in everything printed.

C0 and C1 controls have no place in prose: `\\x01` in a title makes feed.xml invalid XML, and an escape
sequence such as ESC [ 2 J printed by `check` would clear the user's terminal. Tab, line feed and
carriage return (of CRLF line ends) are the only ones a content file may hold as written; where a field
allows neither tab nor newline, its own checks say so.
"""

from __future__ import annotations

import re

# In a file as written: every C0 but tab, LF and CR; DEL; every C1 (NEL included, although YAML 1.1 calls it a line break)
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In a value once YAML escapes are resolved: the same, and a CR too (line ends are LF by then)
VALUE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What is escaped when printing: every control, line breaks and tabs included, and the invisible
# characters that reorder or hide text (bidi controls, line and paragraph separators)
_PRINTED = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
CONTROL_HINT = "delete it; if it came from copied text, retype that part"


def describe_control(char: str) -> str:
    """'U+001B (escape)'-style name of a control character for messages."""
    names = {"\x00": "NUL", "\x1b": "escape", "\r": "carriage return", "\x7f": "delete", "\x85": "next line"}
    name = names.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def control_position(text: str, pattern: re.Pattern[str] = RAW_CONTROL) -> tuple[int, int, str] | None:
    """Line, column (1-based, in characters) and the character of the first control in `text`, if any."""
    match = pattern.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return before.count("\n") + 1, match.start() - line_start + 1, match.group()


def escape_controls(text: str) -> str:
    """`text` with every control shown as a visible escape (\\n, \\x1b, \\u202e), safe for a terminal."""
    if text.isprintable():
        return text
    return _PRINTED.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    special = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in special:
        return special[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
