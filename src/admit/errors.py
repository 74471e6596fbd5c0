"""Typed errors for everything a user can get wrong.

Why: every interface (CLI, API, batch) must turn bad input into one clear message that names
the field and the value, never a traceback. Raising these types, and only these, for user input
lets each interface map them to exit code 2 or HTTP 422 in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


class AdmitError(Exception):
    """Base of every error admit raises on purpose."""


class InputError(AdmitError, ValueError):
    """Input that cannot be read: names the field (a dotted path) and the offending value."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason} (got {value!r})")

    def to_dict(self) -> dict[str, object]:
        return {"field": self.field, "value": _jsonable(self.value), "message": str(self)}


class InputErrors(InputError):
    """Several problems found in one input, each an InputError; it reads as the first, and
    `problems` holds them all, so an interface can name every wrong field at once."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        first = problems[0]
        super().__init__(first.field, first.value, first.reason)
        self.problems = tuple(problems)
        if len(problems) > 1:
            self.args = (f"{first} (and {len(problems) - 1} more problem"
                         f"{'s' if len(problems) > 2 else ''}: "
                         + "; ".join(p.field for p in problems[1:]) + ")",)


def every_problem(exc: InputError) -> tuple[InputError, ...]:
    return exc.problems if isinstance(exc, InputErrors) else (exc,)


def gather(found: list[InputError], read: Callable[[], T]) -> T | None:
    """`read()`, or None with its problems added to `found`: a reader that goes on past a
    wrong field, so one answer can name them all."""
    try:
        return read()
    except InputError as exc:
        found.extend(every_problem(exc))
        return None


def raise_all(found: Sequence[InputError]) -> None:
    """Raise what `gather` found: the one problem, or all of them."""
    if len(found) == 1:
        raise found[0]
    if found:
        raise InputErrors(found)


class MRZError(InputError):
    """MRZ text that cannot even be split into lines of a known format."""


class RuleDataError(AdmitError):
    """A rule file that does not conform: names the file, the line and what was expected."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)
