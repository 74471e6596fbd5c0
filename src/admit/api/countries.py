"""GET /v1/countries and /v1/countries/{code}: the rules, their sources and verified dates.

Why: a decision cites rules by reference (`MNG#six-months`); these endpoints, and the country
pages that mirror them, show what each rule says, when it applies and where it comes from.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from admit import codes
from admit.api import ruleview, schemas
from admit.api.bounds import check_date
from admit.api.deps import rules_of
from admit.api.jsonio import json_response
from admit.errors import InputError

router = APIRouter(prefix="/v1", tags=["rules"])


@router.get("/countries", summary="Destinations that have rules, with their verified dates",
            responses=schemas.answers("Countries"))
async def countries(request: Request) -> Response:
    rules = rules_of(request)
    return json_response({"countries": ruleview.summaries(rules),
                          "data_version": rules.data_version})


@router.get("/countries/{code}", summary="A destination's rules, dates and sources",
            responses=schemas.answers("Country", 404))
async def country(
    request: Request,
    code: Annotated[str, Path(description="ICAO code of the destination, e.g. MNG.")],
    on: Annotated[date | None, Query(
        description="Only the rules in force on this date (YYYY-MM-DD).")] = None,
) -> Response:
    rules = rules_of(request)
    wanted = codes.normalize(code)
    if not (codes.is_known(wanted) or wanted in rules.extra_codes):
        raise InputError("code", code, "unknown country code (ICAO Doc 9303 codes, e.g. 'MNG')")
    check_date("on", on)
    destination = rules.destinations.get(codes.state_of(wanted))
    if destination is None:
        return json_response({"detail": [{
            "field": "code", "value": code,
            "message": f"code: no rules for {wanted} yet; its checks answer `unknown`"}]},
            status_code=404)
    return json_response(ruleview.country(destination, on, rules))
