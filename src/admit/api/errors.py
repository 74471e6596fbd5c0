"""Bad input becomes 422 with `{"detail": [{"field", "value", "message"}]}`, in one place.

Why: docs/design.md asks that every interface name the field and the value of bad input, and that
nothing a user sends gives a 5xx. The library raises `admit.errors.InputError` for what it
reads (trips, stay requests, MRZ options); FastAPI raises `RequestValidationError` for query
and path parameters. Both are mapped here to the same shape, so a client reads one format.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from admit.errors import InputError

# Where FastAPI says a parameter came from; our field names are the parameter's own name.
_LOCATIONS = frozenset({"query", "path", "body", "header", "cookie"})


def problem(field: str, value: object, message: str) -> dict[str, object]:
    return {"field": field, "value": _jsonable(value), "message": message}


def input_error_response(exc: InputError) -> JSONResponse:
    return JSONResponse({"detail": [exc.to_dict()]}, status_code=422)


def validation_problems(errors: Sequence[Any]) -> list[dict[str, object]]:
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        field = ".".join(loc) or "body"
        value = error.get("input")
        found.append(problem(field, value, f"{field}: {error.get('msg', 'invalid')} "
                                           f"(got {_short(value)})"))
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


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple) and all(
            v is None or isinstance(v, str | int | float | bool) for v in value):
        return list(value)
    return repr(value)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
