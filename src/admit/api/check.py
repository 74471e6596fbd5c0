"""POST /v1/check: docs/design.md's trip in, its decision out.

Why a thin shell: the trip is read by `admit.tripjson` (the same messages as `admit check`),
bounded by `admit.api.bounds`, and decided by `admit.engine.check`; this module only moves JSON.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from admit.api import schemas
from admit.api.bounds import check_trip
from admit.api.deps import rules_of
from admit.api.jsonio import json_response, read_json
from admit.engine import check
from admit.model import Trip

router = APIRouter(prefix="/v1", tags=["check"])


@router.post("/check", summary="May this traveller board this trip and enter its countries?",
             openapi_extra=schemas.body("Trip"), responses=schemas.answers("Decision", 413))
async def check_trip_endpoint(request: Request) -> Response:
    """Each leg's status, the document used, the longest stay and every reason with its rule
    and sources. `board` is true only when every leg is admissible (on arrival included)."""
    rules = rules_of(request)
    trip = Trip.from_json(await read_json(request), extra_codes=rules.extra_codes)
    check_trip(trip)
    return json_response(check(trip, rules).to_json())
