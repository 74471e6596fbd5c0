"""/cases: the case pages — the list by next deadline, a case with its timeline, a form for
each action — over the same CaseService as /v1/cases.

Why server-rendered forms: border posts need pages that work in any browser, offline, with no
script. Each page has its JSON twin under /v1/cases. Signing in stores the API token, behind
a fresh session id, in an HttpOnly, SameSite=Strict cookie that script on the page cannot read.
SameSite does not keep out pages on another port or a sibling subdomain (the same site), so
every POST here — sign-in and sign-out included — must also come from this server's own origin
and carry the session's form token (admit.web.csrf), or it is refused with a 403 page before
anything is read or changed. Every form carries the case version it was rendered from:
if someone else changed the case meanwhile, the action is refused (409) and the page shows the
case as it is now, to be checked and sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from admit import codes
from admit.cases import CaseError, CaseService, User
from admit.cases.errors import Unauthenticated
from admit.cases.forms import OPEN_FIELDS, fields_of, payload_from_form, refusal_from_form
from admit.cases.ids import parse_case_id, parse_count
from admit.cases.machine import ACTIONS
from admit.cases.service import TIMELINE_LIMIT, TIMELINE_MAX, shared_service
from admit.errors import InputError
from admit.web import csrf

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
    session = request.cookies.get(COOKIE)
    return csrf.api_token(session) if session else None


async def _user(request: Request) -> User:
    return await run_in_threadpool(_service(request).authenticate, _token(request))


def _csrf(request: Request) -> str:
    """The form token of the browser's session, for the forms of a page ("" if none)."""
    session = request.cookies.get(COOKIE)
    return csrf.session_token(session) if session else ""


def _refused(refusal: csrf.Refusal) -> HTMLResponse:
    return _render("error.html", 403, user=None, code=refusal.code, message=refusal.message)


@dataclass(frozen=True, slots=True)
class _Post:
    form: dict[str, str]
    user: User
    csrf: str


async def _checked_post(request: Request) -> _Post | Response:
    """The form and the signed-in user of a state-changing POST from this site's own page,
    else the refusal: another origin or a wrong form token (403), no valid session (401).
    Only the session cookie signs a form in: an Authorization header is no session, and a
    program has /v1/cases."""
    refusal = csrf.foreign_origin(request)
    if refusal is not None:
        return _refused(refusal)
    form = {k: str(v) for k, v in (await request.form()).items()}
    session = request.cookies.get(COOKIE)
    if not session:
        return _error_page(Unauthenticated("not signed in: sign in at /cases/login"))
    expected = csrf.session_token(session)
    if not csrf.token_matches(expected, form.get(csrf.FIELD)):
        return _refused(csrf.bad_token(form.get(csrf.FIELD)))
    try:
        user = await run_in_threadpool(_service(request).authenticate, csrf.api_token(session))
    except CaseError as exc:
        return _error_page(exc)
    return _Post(form, user, expected)


def _login_redirect(request: Request) -> Response:
    target = quote(request.url.path, safe="/")
    return RedirectResponse(f"/cases/login?next={target}", status_code=303)


def _error_page(exc: CaseError | InputError, user: User | None = None,
                csrf_token: str = "") -> HTMLResponse:
    status = 422 if isinstance(exc, InputError) else exc.status
    code = "INPUT" if isinstance(exc, InputError) else exc.code
    message = str(exc) if isinstance(exc, InputError) else exc.message
    return _render("error.html", status, user=user, code=code, message=message,
                   csrf=csrf_token)


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "/cases") -> HTMLResponse:
    # The pre-session value is kept while the browser has one, so two open sign-in pages
    # both work.
    nonce = csrf.login_nonce(request.cookies.get(csrf.LOGIN_COOKIE)) or csrf.new_login_nonce()
    return _login_page(request, nonce, _safe_next(next))


def _login_page(request: Request, nonce: str, target: str, status: int = 200,
                error: str | None = None) -> HTMLResponse:
    response = _render("login.html", status, next=target, error=error,
                       csrf=csrf.login_token(nonce))
    response.set_cookie(csrf.LOGIN_COOKIE, nonce, httponly=True, samesite="strict",
                        path="/cases/login", secure=request.url.scheme == "https")
    return response


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    refusal = csrf.foreign_origin(request)
    if refusal is not None:
        return _refused(refusal)
    form = {k: str(v) for k, v in (await request.form()).items()}
    nonce = csrf.login_nonce(request.cookies.get(csrf.LOGIN_COOKIE))
    sent = form.get(csrf.FIELD)
    if nonce is None or not csrf.token_matches(csrf.login_token(nonce), sent):
        return _refused(csrf.bad_token(sent, login=True))
    token = form.get("token", "").strip()
    target = _safe_next(form.get("next", "/cases"))
    try:
        await run_in_threadpool(_service(request).authenticate, token)
    except CaseError as exc:
        return _login_page(request, nonce, target, 401, exc.message)
    response = RedirectResponse(target, status_code=303)
    # A new session id at every sign-in: a new form token, and none from before carries over.
    response.set_cookie(COOKIE, csrf.new_session(token), httponly=True, samesite="strict",
                        path="/cases", secure=request.url.scheme == "https")
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/cases/login")
    return response


@router.post("/logout", response_model=None)
async def logout(request: Request) -> Response:
    refusal = csrf.foreign_origin(request)
    if refusal is not None:
        return _refused(refusal)
    session = request.cookies.get(COOKIE)
    if session:  # signing out a session takes its token; without one there is nothing to end
        sent = (await request.form()).get(csrf.FIELD)
        sent_text = sent if isinstance(sent, str) else None
        if not csrf.token_matches(csrf.session_token(session), sent_text):
            return _refused(csrf.bad_token(sent_text))
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
                   can_open=user.role in ACTIONS["open"].roles, csrf=_csrf(request))


@router.get("/new", response_class=HTMLResponse, response_model=None)
async def new_case_form(request: Request) -> Response:
    try:
        user = await _user(request)
    except CaseError:
        return _login_redirect(request)
    return _render("new.html", user=user, fields=OPEN_FIELDS, values={}, error=None,
                   csrf=_csrf(request))


@router.post("/new", response_model=None)
async def new_case(request: Request) -> Response:
    post = await _checked_post(request)
    if isinstance(post, Response):
        return post
    form, user = post.form, post.user
    try:
        case = await run_in_threadpool(_service(request).open, user, refusal_from_form(form))
    except InputError as exc:
        return _render("new.html", 422, user=user, fields=OPEN_FIELDS, values=form,
                       error=str(exc), csrf=post.csrf)
    except CaseError as exc:
        return _error_page(exc, user, post.csrf)
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.get("/{case_id}", response_class=HTMLResponse, response_model=None)
async def case_page(request: Request, case_id: str) -> Response:
    try:
        user = await _user(request)
    except CaseError:
        return _login_redirect(request)
    query = request.query_params
    try:
        number = parse_case_id(case_id)
        offset = parse_count(query.get("offset", "0"), "offset", 0, 2**31 - 1)
        limit = parse_count(query.get("limit", str(TIMELINE_LIMIT)), "limit", 1, TIMELINE_MAX)
    except InputError as exc:
        return _error_page(exc, user, _csrf(request))
    return await _case_page(request, user, number, offset=offset, limit=limit)


async def _case_page(request: Request, user: User, case_id: int, *, status: int = 200,
                     offset: int = 0, limit: int = TIMELINE_LIMIT,
                     error: str | None = None, failed: str | None = None,
                     values: dict[str, str] | None = None) -> Response:
    svc = _service(request)
    try:
        view = await run_in_threadpool(
            lambda: svc.view(user, case_id, limit=limit, offset=offset))
    except CaseError as exc:
        return _error_page(exc, user, _csrf(request))
    forms = [{"name": name, "title": ACTIONS[name].title,
              "fields": fields_of(ACTIONS[name].payload)} for name in view["actions"]]
    return _render("case.html", status, user=user, case=view, forms=forms, error=error,
                   failed=failed, values=values or {}, done=request.query_params.get("done"),
                   csrf=_csrf(request))


@router.post("/{case_id}/{action}", response_model=None)
async def case_action(request: Request, case_id: str, action: str) -> Response:
    post = await _checked_post(request)
    if isinstance(post, Response):
        return post
    form, user = post.form, post.user
    try:
        number = parse_case_id(case_id)  # exactly one spelling names a case
    except InputError as exc:
        return _error_page(exc, user, post.csrf)
    act = ACTIONS.get(action)
    try:
        if act is None or action == "open":
            raise InputError("action", action, "not an action on a case")
        # The version the form was drawn at, spelt exactly as the page wrote it.
        version = parse_count(str(form.get("version", "")), "version", 0, 10**9)
    except InputError as exc:
        return _error_page(exc, user, post.csrf)
    data = payload_from_form(act.payload, form)
    try:
        await run_in_threadpool(_service(request).act, user, number, action, data, version)
    except InputError as exc:
        return await _case_page(request, user, number, status=422, error=str(exc),
                                failed=action, values=form)
    except CaseError as exc:
        if exc.status in (403, 404):
            return _error_page(exc, user, post.csrf)
        return await _case_page(request, user, number, status=exc.status,
                                error=f"{exc.code}: {exc.message}", failed=action, values=form)
    return RedirectResponse(f"/cases/{number}?done={action}", status_code=303)
