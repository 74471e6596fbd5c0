"""Bad input becomes 422 with `{"detail": [{"field", "value", "message"}]}`, in one place.

Why: docs/design.md asks that every interface name the field and the value of bad input, and that
nothing a user sends gives a 5xx. The library raises `admit.errors.InputError` for what it
reads (trips, stay requests, MRZ options); FastAPI raises `RequestValidationError` for query
and path parameters. Both are mapped here to the same shape, so a client reads one format.

The value is echoed as the client sent it, but always in a form JSON can carry: a lone
surrogate is written escaped (the text `\\ud800`), a number JSON cannot hold (NaN, 1e400) as the
text it was written with, a long value cut to a few hundred characters, and a nested value as
its JSON text when long. Values of personal fields (names, document numbers) are withheld,
also inside an echoed object, so an error answer never carries them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from admit.errors import InputError, InputErrors

# Where FastAPI says a parameter came from; our field names are the parameter's own name.
_LOCATIONS = frozenset({"query", "path", "body", "header", "cookie"})
# Fields whose values identify a person: never echoed. A problem in an MRZ field is worded by
# the code that reads it (which withholds the text but echoes the MRZ's error codes); inside an
# echoed object MRZ text is withheld here.
PERSONAL = frozenset({"surname", "given_names", "number"})
_NESTED_PERSONAL = PERSONAL | {"mrz"}
REDACTED = "<redacted>"
MAX_ECHO = 200  # characters of a value echoed back
_PARTS = re.compile(r"[^.\[\]]+")


def problem(field: str, value: object, message: str,
            personal: frozenset[str] = _NESTED_PERSONAL) -> dict[str, object]:
    return {"field": safe_text(field), "value": echo(value, personal),
            "message": safe_text(message)}


def problems_of(exc: InputError, personal: frozenset[str] = PERSONAL) -> list[dict[str, object]]:
    """Every problem an InputError carries, as the API answers them; `personal` names the
    fields whose values are withheld (the case API's list is longer)."""
    found: Iterable[InputError] = exc.problems if isinstance(exc, InputErrors) else (exc,)
    return [_problem_of(one, personal) for one in found]


def _problem_of(exc: InputError, personal: frozenset[str]) -> dict[str, object]:
    nested = personal | _NESTED_PERSONAL
    value = REDACTED if is_personal(exc.field, personal) else exc.value
    return problem(exc.field, value, f"{exc.field}: {exc.reason} (got {shown(value, nested)})",
                   nested)


def is_personal(field: str, personal: frozenset[str] = PERSONAL) -> bool:
    return any(part in personal for part in _PARTS.findall(field))


def input_error_response(exc: InputError) -> JSONResponse:
    return JSONResponse({"detail": problems_of(exc)}, status_code=422)


def validation_problems(errors: Sequence[Any]) -> list[dict[str, object]]:
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        field = ".".join(loc) or "body"
        value = REDACTED if is_personal(field) else error.get("input")
        found.append(problem(field, value, f"{field}: {error.get('msg', 'invalid')} "
                                           f"(got {shown(value)})"))
    return found


def install(app: FastAPI) -> None:
    async def on_input_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InputError)
        return input_error_response(exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": validation_problems(exc.errors())}, status_code=422)

    app.add_exception_handler(InputError, on_input_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)


def safe_text(text: str) -> str:
    """`text` with any lone surrogate written as its escape, so it can be encoded as UTF-8."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def echo(value: object, personal: frozenset[str] = _NESTED_PERSONAL) -> object:
    """`value` as a JSON answer can carry it back (see the module's docstring); inside an
    object, the values of `personal` keys are withheld."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _cut(safe_text(value))
    if isinstance(value, int):
        return value if value.bit_length() <= 256 else _cut(_int_text(value))
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, Mapping | list | tuple):
        plain = _plain(value, 0, personal)
        text = json.dumps(plain, ensure_ascii=False)
        return plain if len(text) <= MAX_ECHO else _cut(text)
    return _cut(safe_text(repr(value)))


def shown(value: object, personal: frozenset[str] = _NESTED_PERSONAL) -> str:
    """`value` as a message quotes it: Python's repr of the echoed value, cut."""
    echoed = echo(value, personal)
    text = repr(echoed) if not isinstance(echoed, list | dict) else json.dumps(
        echoed, ensure_ascii=False)
    return _cut(text)


def _plain(value: object, depth: int, personal: frozenset[str]) -> object:
    """A JSON-safe copy of a nested value, personal fields withheld, nesting cut."""
    if depth > 8:
        return "…"
    if isinstance(value, Mapping):
        return {safe_text(str(k)): REDACTED if k in personal else _plain(v, depth + 1, personal)
                for k, v in list(value.items())[:50]}
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1, personal) for v in value[:50]]
    if isinstance(value, str):
        return safe_text(value[:MAX_ECHO + 1])
    return echo(value)


def _int_text(value: int) -> str:
    try:
        return str(value)
    except ValueError:  # more digits than Python writes (4300)
        return f"an integer of {value.bit_length()} bits"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…"
