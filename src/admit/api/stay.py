"""POST /v1/stay: the stay calculator (docs/design.md's Stay contract), as `admit stay --json`.

Why a thin shell: `admit.stay.compute_from_json` reads, checks and answers the request; the CLI
calls the same function, so both accept and refuse exactly the same input with the same words.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from admit.api import schemas
from admit.api.jsonio import json_response, read_json
from admit.stay import compute_from_json

router = APIRouter(prefix="/v1", tags=["stay"])


@router.post("/stay", summary="Days used and left, and the latest exit, under a stay rule",
             openapi_extra=schemas.body("StayRequest"),
             responses=schemas.answers("StayResult", 413))
async def stay(request: Request) -> Response:
    """Control (`query_date`: the traveller is checked on that day) or planning
    (`planned_entry`: a new stay begins that day)."""
    return json_response(compute_from_json(await read_json(request)))
