"""Read a request's JSON body and write JSON responses, with field-named errors.

Why not FastAPI's body models: the public contracts are read by the library's own parsers
(`admit.tripjson`, `admit.stay.contract`), which give the messages every interface shares and
refuse unknown fields. The endpoints therefore take the raw JSON; the OpenAPI schema documents
it separately (admit.api.schemas). Writing responses with `json.dumps` directly skips a second
validation of data the library built itself, which would cost more than the engine's check.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request, Response

from admit.errors import InputError


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise InputError("body", None, "a JSON document is required")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise InputError("body", None, "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise InputError("body", None, f"not JSON: {exc.msg} (line {exc.lineno}, "
                         f"column {exc.colno})") from None
    except RecursionError:
        raise InputError("body", None, "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python reads (4300 digits)
        raise InputError("body", None, f"not JSON that can be read: {exc}") from None


def json_response(obj: object, status_code: int = 200,
                  headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(obj, ensure_ascii=False).encode(), status_code=status_code,
                    media_type="application/json", headers=headers)
