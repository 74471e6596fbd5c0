"""Read a request's JSON body and write JSON responses, with field-named errors.

Why not FastAPI's body models: the public contracts are read by the library's own parsers
(`admit.tripjson`, `admit.stay.contract`), which give the messages every interface shares and
refuse unknown fields. The endpoints therefore take the raw JSON; the OpenAPI schema documents
it separately (admit.api.schemas). Writing responses with `json.dumps` directly skips a second
validation of data the library built itself, which would cost more than the engine's check.

What JSON allows but no answer can carry is refused here, before any parser sees it, each
problem naming its field: NaN and Infinity (Python's reader accepts them), numbers beyond a
double's range (1e400 reads as infinity), integers longer than Python reads (4300 digits),
lone surrogates (`"\\ud800"` reads as a string that cannot be written as UTF-8) and nesting
deeper than any contract has. Echoing such a value in an error would itself fail.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Any

from fastapi import Request, Response

from admit.api.errors import REDACTED, is_personal, safe_text
from admit.errors import InputError, InputErrors

MAX_DEPTH = 32  # the deepest contract (a case's documents) is 5 levels
MAX_PROBLEMS = 20  # named in one answer; a body of a million NaNs gets the first ones
# Personal fields of the trip and MRZ contracts: a problem in them never echoes their value.
PERSONAL = frozenset({"surname", "given_names", "number", "mrz"})


class RawNumber(str):
    """A number as written, where Python's reading could not be written back as JSON."""


# The numbers kept as text while reading one body, noted per thread (a body is read in one
# go, so requests cannot mix): a body without them needs no second look.
_kept = threading.local()


def _raw(text: str) -> RawNumber:
    number = RawNumber(text)
    _kept.numbers.append(number)
    return number


def _real(text: str) -> float | RawNumber:
    value = float(text)
    return value if math.isfinite(value) else _raw(text)


def _whole(text: str) -> int | RawNumber:
    try:
        return int(text)
    except ValueError:  # more digits than Python reads
        return _raw(text)


_DECODER = json.JSONDecoder(parse_float=_real, parse_int=_whole, parse_constant=_raw)


async def read_json(request: Request, *, personal: frozenset[str] = PERSONAL) -> Any:
    """The body as JSON; raises InputError (InputErrors for several problems) for anything
    else. `personal` names the fields whose values a problem withholds."""
    return parse_json(await request.body(), personal=personal)


def parse_json(raw: bytes, *, personal: frozenset[str] = PERSONAL) -> Any:
    if not raw.strip():
        raise InputError("body", None, "a JSON document is required")
    try:
        # Strict decoding: surrogates encoded as UTF-8 bytes are not UTF-8 (json.loads would
        # let them through). A body starting with four ASCII bytes is UTF-8 to json too.
        head = raw[:4]
        encoding = "utf-8" if head.isascii() and b"\x00" not in head else (
            json.detect_encoding(raw))
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise InputError("body", None, "is not UTF-8 text") from None
    numbers: list[RawNumber] = []
    _kept.numbers = numbers
    try:
        document = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise InputError("body", None, f"not JSON: {exc.msg} (line {exc.lineno}, "
                         f"column {exc.colno})") from None
    except RecursionError:
        raise InputError("body", None, "JSON nested too deeply") from None
    # The look through the document is needed only where something may be wrong: a number
    # kept as text, an escape that may be a lone surrogate, or enough brackets to nest deep.
    if numbers or "\\u" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        problems = unwritable(document, personal)
        if problems:
            raise InputErrors(problems)
    return document


def unwritable(document: Any, personal: frozenset[str] = PERSONAL) -> list[InputError]:
    """Every value in `document` that JSON cannot carry back, in document order."""
    found: list[InputError] = []
    # Iterative, so a document as deep as the reader allows cannot exhaust Python's stack.
    stack: list[tuple[Any, str, int]] = [(document, "", 0)]
    while stack and len(found) < MAX_PROBLEMS:
        node, path, depth = stack.pop()
        kind = type(node)
        if kind is str:
            if not node.isascii() and _lone_surrogate(node):
                found.append(_problem(path, node, "contains a lone surrogate (a UTF-16 code "
                                      "unit that is not text)", personal))
        elif kind is RawNumber:
            found.append(_problem(path, node, _number_reason(node), personal))
        elif kind is dict or kind is list:
            if depth >= MAX_DEPTH:
                found.append(InputError(path or "body", None,
                                        f"nested more than {MAX_DEPTH} levels deep"))
                continue
            children: list[tuple[Any, str, int]] = []
            if kind is dict:
                for key, value in node.items():
                    child = f"{path}.{key}" if path else key
                    if not key.isascii() and _lone_surrogate(key):
                        child = f"{path}.{safe_text(key)}" if path else safe_text(key)
                        found.append(_problem(child, key, "a key with a lone surrogate (a "
                                              "UTF-16 code unit that is not text)", personal))
                        continue
                    children.append((value, child, depth + 1))
            else:
                name = path or "body"
                children = [(value, f"{name}[{i}]", depth + 1) for i, value in enumerate(node)]
            stack.extend(reversed(children))
    return found[:MAX_PROBLEMS]


def _problem(path: str, value: str, reason: str, personal: frozenset[str]) -> InputError:
    field = path or "body"
    return InputError(field, REDACTED if is_personal(field, personal) else value, reason)


def _number_reason(text: str) -> str:
    if text.lstrip("-") in ("NaN", "Infinity"):
        return "NaN and Infinity are not JSON numbers"
    if any(c in text for c in ".eE"):
        return "a JSON number beyond the range of a double (about 1.8e308)"
    return "a JSON integer of more than 4300 digits"


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def json_response(obj: object, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False).encode(), status_code=status_code,
                    media_type="application/json", headers=headers)
