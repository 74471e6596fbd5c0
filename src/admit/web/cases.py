"""/cases: the case pages — the list by next deadline, a case with its timeline, a form for
each action — over the same CaseService as /v1/cases.

Why server-rendered forms: border posts need pages that work in any browser, offline, with no
script. Each page has its JSON twin under /v1/cases. Signing in stores the API token in an
HttpOnly, SameSite=Strict cookie, so another site cannot post a form with it (no CSRF), and
script on the page cannot read it. Every form carries the case version it was rendered from:
if someone else changed the case meanwhile, the action is refused (409) and the page shows the
case as it is now, to be checked and sent again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from admit import codes
from admit.cases import CaseError, CaseService, User
from admit.cases.forms import OPEN_FIELDS, fields_of, payload_from_form, refusal_from_form
from admit.cases.machine import ACTIONS
from admit.cases.service import shared_service
from admit.errors import InputError

router = APIRouter(prefix="/cases", tags=["case pages"], include_in_schema=False)
COOKIE = "admit_cases_token"
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent / "templates" / "cases"),
    autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def _country(code: str | None) -> str:
    if not code:
        return ""
    try:
        return f"{codes.name(code)} ({code})"
    except KeyError:
        return code


_templates.filters["country"] = _country


def _render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _templates.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status,
                        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"})


def _service(request: Request) -> CaseService:
    return shared_service(request.app.state)


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


async def _user(request: Request) -> User:
    return await run_in_threadpool(_service(request).authenticate, _token(request))


def _login_redirect(request: Request) -> Response:
    target = quote(request.url.path, safe="/")
    return RedirectResponse(f"/cases/login?next={target}", status_code=303)


def _error_page(exc: CaseError | InputError, user: User | None = None) -> HTMLResponse:
    status = 422 if isinstance(exc, InputError) else exc.status
    code = "INPUT" if isinstance(exc, InputError) else exc.code
    message = str(exc) if isinstance(exc, InputError) else exc.message
    return _render("error.html", status, user=user, code=code, message=message)


@router.get("/login", response_class=HTMLResponse)
async def login_form(next: str = "/cases") -> HTMLResponse:
    return _render("login.html", next=_safe_next(next), error=None)


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    token = form.get("token", "").strip()
    target = _safe_next(form.get("next", "/cases"))
    try:
        await run_in_threadpool(_service(request).authenticate, token)
    except CaseError as exc:
        return _render("login.html", 401, next=target, error=exc.message)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/cases",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
async def logout() -> Response:
    response = RedirectResponse("/cases/login", status_code=303)
    response.delete_cookie(COOKIE, path="/cases")
    return response


def _safe_next(target: str) -> str:
    """Only a path inside /cases: a login link must not send anyone elsewhere."""
    return target if target.startswith("/cases") and "//" not in target else "/cases"


@router.get("", response_class=HTMLResponse, response_model=None)
async def case_list(request: Request) -> Response:
    try:
        user = await _user(request)
    except CaseError:
        return _login_redirect(request)
    svc = _service(request)
    rows = await run_in_threadpool(svc.summaries, user)
    now = svc.clock()
    return _render("list.html", user=user, now=now, cases=[r.to_json(now) for r in rows],
                   can_open=user.role in ACTIONS["open"].roles)


@router.get("/new", response_class=HTMLResponse, response_model=None)
async def new_case_form(request: Request) -> Response:
    try:
        user = await _user(request)
    except CaseError:
        return _login_redirect(request)
    return _render("new.html", user=user, fields=OPEN_FIELDS, values={}, error=None)


@router.post("/new", response_model=None)
async def new_case(request: Request) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        user = await _user(request)
        case = await run_in_threadpool(_service(request).open, user, refusal_from_form(form))
    except InputError as exc:
        return _render("new.html", 422, user=None, fields=OPEN_FIELDS, values=form,
                       error=str(exc))
    except CaseError as exc:
        return _error_page(exc)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/{case_id}", response_class=HTMLResponse, response_model=None)
async def case_page(request: Request, case_id: int) -> Response:
    try:
        user = await _user(request)
    except CaseError:
        return _login_redirect(request)
    return await _case_page(request, user, case_id)


async def _case_page(request: Request, user: User, case_id: int, *, status: int = 200,
                     error: str | None = None, failed: str | None = None,
                     values: dict[str, str] | None = None) -> Response:
    svc = _service(request)
    try:
        view = await run_in_threadpool(svc.view, user, case_id)
    except CaseError as exc:
        return _error_page(exc, user)
    forms = [{"name": name, "title": ACTIONS[name].title,
              "fields": fields_of(ACTIONS[name].payload)} for name in view["actions"]]
    return _render("case.html", status, user=user, case=view, forms=forms, error=error,
                   failed=failed, values=values or {}, done=request.query_params.get("done"))


@router.post("/{case_id}/{action}", response_model=None)
async def case_action(request: Request, case_id: int, action: str) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        user = await _user(request)
    except CaseError as exc:
        return _error_page(exc)
    act = ACTIONS.get(action)
    try:
        if act is None or action == "open":
            raise InputError("action", action, "not an action on a case")
        version = int(form.get("version", ""))
    except ValueError:
        return _error_page(InputError("version", form.get("version"), "missing from the form"),
                           user)
    except InputError as exc:
        return _error_page(exc, user)
    data = payload_from_form(act.payload, form)
    try:
        await run_in_threadpool(_service(request).act, user, case_id, action, data, version)
    except InputError as exc:
        return await _case_page(request, user, case_id, status=422, error=str(exc),
                                failed=action, values=form)
    except CaseError as exc:
        if exc.status in (403, 404):
            return _error_page(exc, user)
        return await _case_page(request, user, case_id, status=exc.status,
                                error=f"{exc.code}: {exc.message}", failed=action, values=form)
    return RedirectResponse(f"/cases/{case_id}?done={action}", status_code=303)
