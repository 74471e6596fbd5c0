"""The country pages: which destinations have rules, and each one's rules with their sources.

Why: every reason on a result page cites a rule; these pages show that rule in full, when it
applies, where it comes from and when the file was last verified — the same data as
GET /v1/countries and /v1/countries/{code}, built by `admit.api.ruleview`.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from admit import codes
from admit.api import ruleview
from admit.api.bounds import FIRST, LAST
from admit.api.deps import rules_of
from admit.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/countries", response_class=HTMLResponse)
async def countries_page(request: Request) -> HTMLResponse:
    rules = rules_of(request)
    return render(request, "countries.html", {"countries": ruleview.summaries(rules),
                                              "data_version": rules.data_version})


@router.get("/countries/{code}", response_class=HTMLResponse)
async def country_page(request: Request, code: str) -> HTMLResponse:
    rules = rules_of(request)
    wanted = codes.state_of(codes.normalize(code))
    destination = rules.destinations.get(wanted)
    on_text = request.query_params.get("on", "")
    on = _date(on_text)
    if destination is None:
        return render(request, "country_missing.html", {"code": wanted[:8]}, status_code=404)
    return render(request, "country.html", {
        "country": ruleview.country(destination, on, rules), "on": on,
        "bad_on": on_text if on_text and on is None else None,
        "twin": f"/v1/countries/{wanted}" + (f"?on={on.isoformat()}" if on else "")})


def _date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST <= day <= LAST else None
