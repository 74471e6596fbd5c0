"""POST /v1/mrz: read a machine-readable zone (docs/design.md's MRZ contract), as `admit mrz`.

Why here and not in the engine: reading an MRZ is also a job on its own (a carrier's scanner, a
border guard's check of a damaged zone). The body names the options of `admit.mrz.parse`; the
MRZ text is answered to the caller and never logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from admit.api import schemas
from admit.api.bounds import check_date
from admit.api.errors import REDACTED
from admit.api.jsonio import json_response, read_json
from admit.errors import InputError, InputErrors
from admit.mrz import parse

router = APIRouter(prefix="/v1", tags=["mrz"])

_KEYS = ("mrz", "profile", "repair", "on", "format")


@router.post("/mrz", summary="Read an MRZ: format, fields, check digits, errors, warnings",
             openapi_extra=schemas.body("MRZRequest"),
             responses=schemas.answers("MRZResult", 413))
async def read_mrz(request: Request) -> Response:
    """`valid` is ICAO Doc 9303 validity and never depends on the date: an expired passport
    has a valid MRZ. `on` resolves two-digit years (default: today)."""
    options = _options(await read_json(request))
    return json_response(parse(options["mrz"], profile=options["profile"],
                               repair=options["repair"], reference_date=options["on"],
                               format=options["format"]).to_dict())


def _options(obj: Any) -> dict[str, Any]:
    """The options, or InputErrors naming every bad one."""
    if not isinstance(obj, Mapping):
        raise InputError("body", _withheld(obj), "must be an object with the key `mrz`")
    problems = [InputError(str(key), key, "unknown field; expected one of: "
                           f"{', '.join(_KEYS)}") for key in obj if key not in _KEYS]
    text = obj.get("mrz")
    if not (isinstance(text, str) or (isinstance(text, list)
                                      and all(isinstance(line, str) for line in text))):
        problems.append(InputError("mrz", _withheld(text), "must be a string or a list of lines"))
    profile = obj.get("profile", "strict")
    if profile not in ("strict", "lenient"):
        problems.append(InputError("profile", profile, "must be strict or lenient"))
    repair = obj.get("repair", False)
    if not isinstance(repair, bool):
        problems.append(InputError("repair", repair, "must be true or false"))
    fmt = obj.get("format")
    if fmt is not None and not isinstance(fmt, str):
        problems.append(InputError("format", fmt, "must be a format name such as TD3"))
    on = obj.get("on")
    day = date.today()
    if on is not None:
        try:
            if not isinstance(on, str):
                raise InputError("on", on, "must be a date written YYYY-MM-DD")
            try:
                day = date.fromisoformat(on)
            except ValueError:
                raise InputError("on", on, "must be a date written YYYY-MM-DD") from None
            check_date("on", day)
        except InputError as exc:
            problems.append(exc)
    if problems:
        raise InputErrors(problems)
    return {"mrz": text, "profile": profile, "repair": repair, "on": day, "format": fmt}


def _withheld(value: object) -> object:
    """A value that may hold MRZ text is not echoed; a number, a boolean or null is."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list) and not any(isinstance(v, str | list | dict) for v in value):
        return value
    return REDACTED
