"""Scalar fields that are not text: dates, numbers, a choice among fixed words."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from timeline.edtf import EdtfError, check_drawable, parse_edtf
from timeline.fields.base import INVALID, Context, Scalar, describe, described, label
from timeline.fields.suggest import closest
from timeline.yamlsource import Node, ScalarNode

MAX_DIGITS = 100
_INT = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
EDTF_PATTERN = r"^-?\d{4}(-\d{2}(-\d{2})?)?[~?%]?(/-?\d{4}(-\d{2}(-\d{2})?)?[~?%]?)?$"  # -0043 is 44 BCE


@dataclass
class Date(Scalar):
    """A date of the EDTF subset: YYYY, YYYY-MM, YYYY-MM-DD (-YYYY before 1 BCE), with ~ ? % and a/b intervals."""

    description: str = ""
    expected: str = "a date"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        try:
            date = parse_edtf(node.value)
            check_drawable(date)
            return date
        except EdtfError as exc:
            ctx.error(node, where, f"{label(where)} is not a valid date: {exc}", exc.hint or self.example())
            return INVALID

    def example(self) -> str:
        return "write YYYY-MM-DD (2022-07-03), YYYY-MM or YYYY (-0043 for 44 BCE); add ~ if approximate, ? if uncertain"

    def json_schema(self) -> dict[str, Any]:
        # YAML 1.2 editors read a bare year (date: 2014, date: -0043) as a number
        year = {"type": "integer", "minimum": 1000, "maximum": 9999}
        bce = {"type": "integer", "minimum": -9999, "maximum": -1}
        return described({"anyOf": [{"type": "string", "pattern": EDTF_PATTERN}, year, bce]}, self.description)


@dataclass
class Integer(Scalar):
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    expected: str = "a whole number"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        if not _INT.fullmatch(node.value.strip()):
            ctx.error(node, where, f"{label(where)} should be a whole number, but it is {describe(node)}", self.example())
            return INVALID
        if len(node.value.strip()) > MAX_DIGITS:  # int() refuses more than 4,300 digits, and no count needs them
            ctx.error(node, where, f"{label(where)} is {describe(node)}, a number too large to use", self.example())
            return INVALID
        return _in_range(int(node.value), self.minimum, self.maximum, node, where, ctx)

    def example(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"write a number from {self.minimum} to {self.maximum}"
        return "write a number such as 3"

    def json_schema(self) -> dict[str, Any]:
        return described(_bounds({"type": "integer"}, self.minimum, self.maximum), self.description)


@dataclass
class Number(Scalar):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    expected: str = "a number"

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        text = node.value.strip().replace("_", "")
        if not _NUMBER.fullmatch(text):
            hint = "write digits only, with a dot for decimals: 26700 or 48.9"
            ctx.error(node, where, f"{label(where)} should be a number, but it is {describe(node)}", hint)
            return INVALID
        value = float(text)
        if not math.isfinite(value):
            ctx.error(node, where, f"{label(where)} is {describe(node)}, a number too large to use", "check the number")
            return INVALID
        number: int | float = int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
        return _in_range(number, self.minimum, self.maximum, node, where, ctx)

    def json_schema(self) -> dict[str, Any]:
        return described(_bounds({"type": "number"}, self.minimum, self.maximum), self.description)


def _in_range(value: float, low: float | None, high: float | None, node: Node, where: str, ctx: Context) -> Any:
    if (low is not None and value < low) or (high is not None and value > high):
        hint = f"write a number from {_number(low)} to {_number(high)}"
        ctx.error(node, where, f"{label(where)} is {value}, outside the allowed range {_number(low)} to {_number(high)}", hint)
        return INVALID
    return value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _bounds(schema: dict[str, Any], low: float | None, high: float | None) -> dict[str, Any]:
    if low is not None:
        schema["minimum"] = low
    if high is not None:
        schema["maximum"] = high
    return schema


@dataclass
class Choice(Scalar):
    """One of a fixed set of words."""

    choices: dict[str, str] = field(default_factory=dict)  # value -> what it means
    description: str = ""

    @property
    def expected(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(self.choices)

    def parse(self, node: ScalarNode, where: str, ctx: Context) -> Any:
        value = node.value.strip()
        if value in self.choices:
            return value
        guess = closest(value, self.choices)
        hint = f"did you mean '{guess}'? " if guess else ""
        ctx.error(node, where, f"{label(where)} is {describe(node)}, which is not allowed", hint + f"use {self.expected}")
        return INVALID

    def json_schema(self) -> dict[str, Any]:
        meanings = "; ".join(f"{k}: {v}" for k, v in self.choices.items())
        return described({"type": "string", "enum": list(self.choices)}, f"{self.description}: {meanings}")
