"""JSON with the line and column of every value, so a problem can be shown where it is, with its JSON path."""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from timeline.importers.problems import Where

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_WORDS = {"true": True, "false": False, "null": None}
MAX_DEPTH = 64


class MalformedJson(Exception):
    """The text is not JSON; `where` is the first place it goes wrong."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(f"the JSON is malformed: {message}")
        self.where = where


class JsonDocument:
    """A parsed JSON text: `value`, and `where(path)` for any JSON path such as `events[2].start_date.year`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, tuple[int, int]] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        end, self.value = self._value(self._skip(0), "", 0)
        if self._skip(end) != len(text):
            raise self._error(self._skip(end), "there is more after the JSON value")

    def where(self, path: str) -> Where:
        """The position of the value at `path`, or of its nearest parent that exists."""
        probe = path
        while probe not in self.positions and probe:
            parent = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", probe)
            probe = "" if parent == probe else parent
        line, column = self.positions.get(probe, (1, 1))
        return Where(line, column, path)

    def _position(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        index = bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def _error(self, offset: int, message: str) -> MalformedJson:
        return MalformedJson(Where(*self._position(offset)), message)

    def _skip(self, offset: int) -> int:
        return _WHITESPACE.match(self.text, offset).end()  # type: ignore[union-attr]

    def _value(self, offset: int, path: str, depth: int) -> tuple[int, Any]:
        if depth > MAX_DEPTH:
            raise self._error(offset, f"nested more than {MAX_DEPTH} levels deep")
        self.positions[path] = self._position(offset)
        char = self.text[offset : offset + 1]
        if char == "{":
            return self._object(offset + 1, path, depth)
        if char == "[":
            return self._array(offset + 1, path, depth)
        if char == '"':
            try:
                value, end = scanstring(self.text, offset + 1, True)
            except json.JSONDecodeError as exc:
                raise self._error(exc.pos, exc.msg) from None
            return end, value
        for word, value in _WORDS.items():
            if self.text.startswith(word, offset):
                return offset + len(word), value
        match = _NUMBER.match(self.text, offset)
        if match and match.end() > offset:
            number = match.group()
            return match.end(), float(number) if any(c in number for c in ".eE") else int(number)
        raise self._error(offset, "expected a value" if char else "the text ends too early")

    def _object(self, offset: int, path: str, depth: int) -> tuple[int, dict[str, Any]]:
        result: dict[str, Any] = {}
        offset = self._skip(offset)
        if self.text.startswith("}", offset):
            return offset + 1, result
        while True:
            if not self.text.startswith('"', offset):
                raise self._error(offset, "expected a key in double quotes")
            try:
                key, offset = scanstring(self.text, offset + 1, True)
            except json.JSONDecodeError as exc:
                raise self._error(exc.pos, exc.msg) from None
            offset = self._skip(offset)
            if not self.text.startswith(":", offset):
                raise self._error(offset, "expected ':' after the key")
            child = f"{path}.{key}" if path else key
            offset, result[key] = self._value(self._skip(offset + 1), child, depth + 1)
            offset = self._skip(offset)
            if self.text.startswith(",", offset):
                offset = self._skip(offset + 1)
            elif self.text.startswith("}", offset):
                return offset + 1, result
            else:
                raise self._error(offset, "expected ',' or '}'")

    def _array(self, offset: int, path: str, depth: int) -> tuple[int, list[Any]]:
        result: list[Any] = []
        offset = self._skip(offset)
        if self.text.startswith("]", offset):
            return offset + 1, result
        while True:
            offset, item = self._value(offset, f"{path}[{len(result)}]", depth + 1)
            result.append(item)
            offset = self._skip(offset)
            if self.text.startswith(",", offset):
                offset = self._skip(offset + 1)
            elif self.text.startswith("]", offset):
                return offset + 1, result
            else:
                raise self._error(offset, "expected ',' or ']'")
