"""Typed field readers for rule files: each returns a checked value or raises `Invalid` with
the file, the line and what was expected.

Why: the loader must fail loudly on a malformed file, and it must do so without the JSON
Schema validator, whose import and run would cost more than the whole cold-start budget. The
allowed keys come from the shipped `schema.json` itself, so the schema stays the one
description of the format and the loader cannot drift from it on which fields exist.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from admit.rules.yamlload import LDict, LList

E = TypeVar("E", bound=StrEnum)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in the rule data, where it is, and what was expected."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Invalid(Exception):
    """Raised by a field reader; the reader turns it into a Problem and goes on."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(file, line, message)


@cache
def schema() -> dict[str, Any]:
    text = (Path(__file__).parent / "schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def allowed_keys(definition: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The properties and the required properties the schema gives an object kind."""
    node = schema()["$defs"][definition]
    return frozenset(node["properties"]), tuple(node.get("required", ()))


def mapping(value: object, file: str, line: int, definition: str, what: str) -> LDict:
    """`value` as a mapping with only the keys the schema allows and all it requires."""
    if not isinstance(value, LDict):
        raise Invalid(file, line, f"{what}: expected a mapping, got {_kind(value)}")
    allowed, required = allowed_keys(definition)
    for key in value:
        if key not in allowed:
            raise Invalid(file, value.line_of(key), f"{what}: unknown field {key!r} "
                          f"(expected one of: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in value:
            raise Invalid(file, value.line, f"{what}: missing required field {key!r}")
    return value


def seq(value: object, file: str, line: int, what: str) -> LList:
    if not isinstance(value, LList):
        raise Invalid(file, line, f"{what}: expected a list, got {_kind(value)}")
    return value


def text(value: object, file: str, line: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(file, line, f"{what}: expected text, got {_kind(value)}")
    return value


def opt_text(node: LDict, key: str, file: str, what: str) -> str | None:
    return None if key not in node else text(node[key], file, node.line_of(key), f"{what}.{key}")


def day(value: object, file: str, line: int, what: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(file, line, f"{what}: expected a date YYYY-MM-DD, got {value!r}")


def verified(value: object, file: str, line: int) -> date:
    """A file's `verified` date: a day that has begun somewhere. A later one is a typo or a
    promise, and would make the data look fresher than anyone has checked it. The last time
    zone to reach a date is UTC+14, so that is the first day no one has seen yet."""
    when = day(value, file, line, "verified")
    if when > (datetime.now(UTC) + timedelta(hours=14)).date():
        raise Invalid(file, line, f"verified: {when} is in the future (the date the file was "
                      "last checked against its sources)")
    return when


def integer(value: object, file: str, line: int, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise Invalid(file, line, f"{what}: expected a whole number >= {minimum}, got {value!r}")
    return value


def opt_integer(node: LDict, key: str, file: str, what: str, minimum: int) -> int | None:
    if key not in node:
        return None
    return integer(node[key], file, node.line_of(key), f"{what}.{key}", minimum)


def boolean(node: LDict, key: str, file: str, what: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise Invalid(file, node.line_of(key), f"{what}.{key}: expected true or false, "
                      f"got {value!r}")
    return value


def choice(value: object, file: str, line: int, what: str, choices: Iterable[str]) -> str:
    options = tuple(choices)
    if value not in options:
        raise Invalid(file, line, f"{what}: expected one of {', '.join(options)}, got {value!r}")
    return str(value)


def enum_set(node: LDict, key: str, file: str, what: str, kind: type[E]) -> frozenset[E] | None:
    """An optional non-empty list of enum values (document types, purposes) as a set."""
    if key not in node:
        return None
    items = seq(node[key], file, node.line_of(key), f"{what}.{key}")
    if not items:
        raise Invalid(file, items.line, f"{what}.{key}: expected at least one value")
    values = [kind(choice(v, file, items.line_of(i), f"{what}.{key}[{i}]",
                          (m.value for m in kind))) for i, v in enumerate(items)]
    return frozenset(values)


def name(value: object, file: str, line: int, what: str) -> str:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise Invalid(file, line, f"{what}: expected an upper-case code or group name, "
                      f"got {value!r}")
    return value


def rule_id(value: object, file: str, line: int, what: str) -> str:
    if not isinstance(value, str) or not _RULE_ID.fullmatch(value):
        raise Invalid(file, line, f"{what}: expected an id of letters, digits, '-', '_' or "
                      f"'.', got {value!r}")
    return value


def url(value: object, file: str, line: int, what: str) -> str:
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise Invalid(file, line, f"{what}: expected an http(s) URL, got {value!r}")
    return value


def _kind(value: object) -> str:
    if isinstance(value, LDict):
        return "a mapping"
    if isinstance(value, LList):
        return "a list"
    return repr(value)
