""""Where can I go?": a world map coloured by the traveller's status, and the same as a table.

Why: a traveller holding a given passport (and perhaps a US visa or an EU residence permit)
wants the whole picture on one date, not one destination at a time. The answer is
`admit.api.where.destinations`, the same as GET /v1/destinations, whose URL the page links as
its JSON twin. The map is for the eye (reason on hover or tap); the sortable table beside it
says the same for screen readers and keyboards. The form is sent by GET so that a question can
be bookmarked: it carries nationalities and document dates, never names or numbers, and the
access log leaves query strings out.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from admit.api import where
from admit.api.deps import rules_of
from admit.errors import InputError
from admit.model import AuthorizationType, DocumentType
from admit.web import worldmap
from admit.web.forms import FieldError, Form, country_code
from admit.web.templating import render

router = APIRouter(include_in_schema=False)

ROWS = {"nat": 2, "doc": 2, "auth": 1}


@router.get("/where", response_class=HTMLResponse)
async def where_page(request: Request) -> HTMLResponse:
    form = Form.read(request.query_params.multi_items(), ROWS)
    if form.get("add") in ROWS:
        form.add_row(form.get("add"))
        return _page(request, form)
    if not any(form.get(f"nat-{i}-code") for i in range(form.rows["nat"])):
        return _page(request, form)  # nothing asked yet: the empty form
    query = _query(form)
    rules = rules_of(request)
    try:
        ask = where.question(query["nationality"], query["document"], query["authorization"],
                             query["date"] or date.today().isoformat(), query["origin"] or None,
                             rules)
    except InputError as exc:
        return _page(request, form, errors=[form.error(exc)], status_code=422)
    answers = where.destinations(ask, rules)
    twin = {**query, "date": ask.day.isoformat()}
    return _page(request, form, answers=answers, day=ask.day, origin=ask.origin,
                 twin="/v1/destinations?" + urlencode(
                     [(k, v) for k, vs in twin.items()
                      for v in (vs if isinstance(vs, list) else [vs]) if v]))


def _query(form: Form) -> dict[str, Any]:
    """The form as /v1/destinations' query values; records which row each value came from."""
    nationalities: list[str] = []
    for i in range(form.rows["nat"]):
        code = country_code(form.get(f"nat-{i}-code"))
        if code:
            form.paths[f"nationality[{len(nationalities)}]"] = (f"nat-{i}", f"Nationality {i + 1}")
            nationalities.append(code)
    form.paths["nationality"] = ("nat-0-code", "Nationality")
    documents: list[str] = []
    for i in range(form.rows["doc"]):
        if not form.row_filled("doc", i):
            continue
        issuer = country_code(form.get(f"doc-{i}-issuer")) or (nationalities or [""])[0]
        form.paths[f"document[{len(documents)}]"] = (f"doc-{i}", f"Document {i + 1}")
        documents.append(":".join([form.get(f"doc-{i}-type") or "passport", issuer,
                                   form.get(f"doc-{i}-expires"),
                                   form.get(f"doc-{i}-issued")]).rstrip(":"))
    form.paths["document"] = ("doc-0-expires", "Document")
    authorizations: list[str] = []
    for i in range(form.rows["auth"]):
        if not form.row_filled("auth", i):
            continue
        form.paths[f"authorization[{len(authorizations)}]"] = (f"auth-{i}",
                                                               f"Visa or permit {i + 1}")
        authorizations.append(":".join([form.get(f"auth-{i}-type") or "visa",
                                        country_code(form.get(f"auth-{i}-issuer")),
                                        form.get(f"auth-{i}-expires")]).rstrip(":"))
    form.paths["date"] = ("date", "Date of arrival")
    form.paths["origin"] = ("origin", "Travelling from")
    return {"nationality": nationalities, "document": documents,
            "authorization": authorizations, "date": form.get("date"),
            "origin": country_code(form.get("origin"))}


def _page(request: Request, form: Form, *, errors: list[FieldError] | None = None,
          answers: list[where.Answer] | None = None, day: date | None = None,
          origin: str | None = None, twin: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    by_code = {a.country: a for a in answers} if answers is not None else {}
    return render(request, "where.html", {
        "form": form, "errors": errors or [], "answers": answers, "by_code": by_code,
        "counts": where.counts(answers) if answers is not None else {},
        "day": day, "origin": origin, "twin": twin,
        "map": worldmap.world_map() if answers is not None else None,
        "map_available": worldmap.available(),
        "document_types": [t.value for t in DocumentType],
        "authorization_types": [t.value for t in AuthorizationType],
    }, status_code=status_code)
