"""GET /v1/destinations: "where can I go?" — every destination's status for one traveller.

Why a thin shell: `admit.api.where` reads the question and runs the engine per destination;
the web page's map and table call the same functions. The answer carries a `Server-Timing`
header with the time spent deciding, which the service benchmark reads.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from admit.api import schemas, where
from admit.api.deps import rules_of
from admit.api.jsonio import json_response
from admit.engine import ENGINE_VERSION

router = APIRouter(prefix="/v1", tags=["destinations"])


@router.get("/destinations", summary="Where can I go? The status of every destination",
            responses=schemas.answers("Destinations"))
async def destinations(
    request: Request,
    nationality: Annotated[list[str], Query(
        description="An ICAO nationality code; repeat for several.", examples=["RUS"])] = [],  # noqa: B006
    document: Annotated[list[str], Query(
        description="TYPE:ISSUER[:EXPIRES[:ISSUED]], e.g. passport:RUS:2031-05-01; repeat "
                    "for several.")] = [],  # noqa: B006
    authorization: Annotated[list[str], Query(
        description="TYPE:ISSUER[:EXPIRES[:VALID_FROM]], e.g. visa:USA:2032-01-01.")] = [],  # noqa: B006
    on: Annotated[str | None, Query(
        alias="date", description="The day of arrival, YYYY-MM-DD (default: today).")] = None,
    origin: Annotated[str | None, Query(
        description="Where the trip starts (default: the first nationality).")] = None,
) -> Response:
    """For each destination that has a rule file: status, whether to board, the main reason
    with its rule and sources, and the longest stay."""
    rules = rules_of(request)
    started = time.perf_counter()
    ask = where.question(nationality, document, authorization, on or date.today().isoformat(),
                         origin, rules)
    answers = where.destinations(ask, rules)
    spent = (time.perf_counter() - started) * 1000
    return json_response({
        "date": ask.day.isoformat(), "origin": ask.origin,
        "nationalities": list(ask.trip.traveller.nationalities),
        "counts": where.counts(answers), "destinations": [a.to_json() for a in answers],
        "data_version": rules.data_version, "engine_version": ENGINE_VERSION,
    }, headers={"Server-Timing": f"engine;dur={spent:.2f}"})
