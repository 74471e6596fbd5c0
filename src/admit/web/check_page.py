""""Can I travel?": the traveller, their documents (or a pasted MRZ) and the legs, in one form.

Why: this is the question admit exists to answer, for people who will not write JSON. The form
is turned into docs/design.md's trip and decided by the same calls as POST /v1/check; the page shows
a board / no-board banner, each leg's status, every reason with its rule and sources, the
longest stay and the latest lawful exit. A pasted MRZ is read and shown back with its check
digits before it is used, so a misread zone is seen, not silently trusted. The form is sent by
POST: it holds document numbers and MRZ text, which must not sit in URLs or logs.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from admit.api.bounds import check_trip
from admit.api.deps import rules_of
from admit.engine import check
from admit.errors import InputError
from admit.model import AuthorizationType, Decision, DocumentType, Purpose, Trip
from admit.mrz import parse as parse_mrz
from admit.mrz.result import MRZResult
from admit.web.forms import FieldError, Form, country_code
from admit.web.templating import render

router = APIRouter(include_in_schema=False)

ROWS = {"nat": 2, "doc": 1, "auth": 1, "leg": 2}
LABELS = {"type": "type", "issuer": "issuer", "expires": "expiry date", "issued": "issue date",
          "number": "number", "from": "from", "to": "to", "date": "arrival date",
          "until": "departure date", "transit": "transit", "purpose": "purpose",
          "valid_from": "valid from", "mrz": "MRZ"}


@router.get("/", response_class=HTMLResponse)
async def check_form(request: Request) -> HTMLResponse:
    return _page(request, Form.read((), ROWS))


@router.post("/check", response_class=HTMLResponse)
async def check_submit(request: Request) -> HTMLResponse:
    form = Form.read((await request.form()).multi_items(), ROWS)
    form.labels = LABELS
    for kind in ROWS:
        if form.get("add") == kind:  # "add a leg" without JavaScript: the same form, one row more
            form.add_row(kind)
            return _page(request, form)
    rules = rules_of(request)
    obj = trip_json(form)
    mrz = _read_mrz(form.get("mrz"), _first_date(obj))
    try:
        trip = Trip.from_json(obj, extra_codes=rules.extra_codes)
        check_trip(trip)
    except InputError as exc:
        return _page(request, form, errors=[form.error(exc)], mrz=mrz, status_code=422)
    decision = check(trip, rules)
    return _page(request, form, decision=decision, mrz=mrz, trip=obj)


def trip_json(form: Form) -> dict[str, Any]:
    """The form as docs/design.md's trip; records which row each list item came from."""
    nationalities: list[str] = []
    for i in range(form.rows["nat"]):
        code = country_code(form.get(f"nat-{i}-code"))
        if code:
            form.paths[f"traveller.nationalities[{len(nationalities)}]"] = (
                f"nat-{i}", f"Nationality {i + 1}")
            nationalities.append(code)
    form.paths["traveller.nationalities"] = ("nat-0-code", "Nationality")
    documents: list[dict[str, Any]] = []
    for i in range(form.rows["doc"]):
        if not form.row_filled("doc", i):
            continue
        doc = {"type": form.get(f"doc-{i}-type") or "passport",
               "issuer": country_code(form.get(f"doc-{i}-issuer"))}
        for key in ("expires", "issued", "number"):
            if form.get(f"doc-{i}-{key}"):
                doc[key] = form.get(f"doc-{i}-{key}")
        form.paths[f"traveller.documents[{len(documents)}]"] = (f"doc-{i}", f"Document {i + 1}")
        documents.append(doc)
    if form.get("mrz"):
        form.paths[f"traveller.documents[{len(documents)}]"] = ("mrz", "Pasted MRZ")
        documents.append({"mrz": form.get("mrz")})
    authorizations: list[dict[str, Any]] = []
    for i in range(form.rows["auth"]):
        if not form.row_filled("auth", i):
            continue
        auth = {"type": form.get(f"auth-{i}-type") or "visa",
                "issuer": country_code(form.get(f"auth-{i}-issuer"))}
        for key in ("valid_from", "expires"):
            if form.get(f"auth-{i}-{key}"):
                auth[key] = form.get(f"auth-{i}-{key}")
        form.paths[f"traveller.authorizations[{len(authorizations)}]"] = (
            f"auth-{i}", f"Visa or permit {i + 1}")
        authorizations.append(auth)
    legs: list[dict[str, Any]] = []
    for i in range(form.rows["leg"]):
        if not form.row_filled("leg", i):
            continue
        leg: dict[str, Any] = {"from": country_code(form.get(f"leg-{i}-from")),
                               "to": country_code(form.get(f"leg-{i}-to")),
                               "date": form.get(f"leg-{i}-date"),
                               "transit": form.checked(f"leg-{i}-transit")}
        for key in ("from", "to", "date"):
            if not leg[key]:
                del leg[key]  # missing: the parser names it "is required"
        if form.get(f"leg-{i}-until"):
            leg["until"] = form.get(f"leg-{i}-until")
        if form.get(f"leg-{i}-purpose"):
            leg["purpose"] = form.get(f"leg-{i}-purpose")
        form.paths[f"itinerary[{len(legs)}]"] = (f"leg-{i}", f"Leg {i + 1}")
        legs.append(leg)
    form.paths["itinerary"] = ("leg-0-to", "Itinerary")
    traveller: dict[str, Any] = {"nationalities": nationalities, "documents": documents}
    if authorizations:
        traveller["authorizations"] = authorizations
    return {"traveller": traveller, "itinerary": legs}


def _first_date(obj: dict[str, Any]) -> date:
    try:
        return date.fromisoformat(obj["itinerary"][0]["date"])
    except (IndexError, KeyError, TypeError, ValueError):
        return date.today()


def _read_mrz(text: str, reference: date) -> MRZResult | None:
    if not text:
        return None
    try:
        return parse_mrz(text, reference_date=reference)
    except InputError:
        return None  # not MRZ-shaped at all: the trip parser names the field


def latest_exits(decision: Decision) -> list[date | None]:
    """Per leg, the latest lawful exit: the engine's (from the stay history) or, for a stay
    beginning on arrival with a limit, the last day of that limit."""
    out: list[date | None] = []
    for leg in decision.legs:
        if leg.latest_exit is not None:
            out.append(leg.latest_exit)
        elif leg.max_stay_days and leg.status.boardable and leg.role == "destination":
            out.append(leg.date + timedelta(days=leg.max_stay_days - 1))
        else:
            out.append(None)
    return out


def _page(request: Request, form: Form, *, errors: list[FieldError] | None = None,
          decision: Decision | None = None, mrz: MRZResult | None = None,
          trip: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    sources: list[str] = []
    if decision is not None:
        for leg in decision.legs:
            for finding in leg.findings:
                sources += [url for url in finding.sources if url not in sources]
    return render(request, "check.html", {
        "form": form, "errors": errors or [], "decision": decision, "mrz": mrz,
        "exits": latest_exits(decision) if decision is not None else [],
        "sources": sources,
        "trip_json": None if trip is None else json.dumps(_without_mrz(trip), indent=2),
        "decision_json": None if decision is None else json.dumps(decision.to_json(), indent=2),
        "document_types": [t.value for t in DocumentType],
        "authorization_types": [t.value for t in AuthorizationType],
        "purposes": [p.value for p in Purpose],
    }, status_code=status_code)


def _without_mrz(trip: dict[str, Any]) -> dict[str, Any]:
    """The trip as shown on the page: the MRZ text is already shown above, once is enough."""
    documents = [{"mrz": "(the MRZ above)"} if "mrz" in d else d
                 for d in trip["traveller"]["documents"]]
    return {**trip, "traveller": {**trip["traveller"], "documents": documents}}
