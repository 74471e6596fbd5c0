"""/v1/cases: the inadmissible-person case API (docs/cases.md), a thin shell over CaseService.

Why a shell: the state machine, the guards, the roles and the store live in `admit.cases`;
this router reads the token, the body and the version the caller saw, and turns the typed
errors into statuses: 401 without a valid token (`Authorization: Bearer …`), 403 for the wrong
role, 404 for an unknown case, 409 when the case moved past the caller's version (re-read and
retry), 422 for bad input or a refused transition (with its code, e.g. NON_REFOULEMENT_HOLD),
428 for a change sent without `If-Match`. Every change needs the version it was made on, in
`If-Match` (the `ETag` of the case as read), so no update is ever lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from admit.api.errors import problems_of
from admit.api.jsonio import PERSONAL, json_response, read_json
from admit.cases import CaseError, CaseService, State, User
from admit.cases.commands import PERSONAL as CASE_PERSONAL
from admit.cases.commands import as_utc
from admit.cases.errors import VersionRequired
from admit.cases.machine import ACTIONS, Action
from admit.cases.service import shared_service
from admit.errors import InputError

bearer = HTTPBearer(auto_error=False, description="An API token from `admit users add`.")
_ERROR = {"content": {"application/json": {"schema": {
    "type": "object", "required": ["detail"],
    "properties": {"detail": {"description": "{code, message}, or for bad input a list of "
                                             "{field, value, message}"}}}}}}
_ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid API token (UNAUTHENTICATED)", **_ERROR},
    403: {"description": "The token's role may not do this (FORBIDDEN)", **_ERROR},
    404: {"description": "No such case (CASE_NOT_FOUND)", **_ERROR},
    422: {"description": "Bad input, or a transition the case's state or guards refuse "
                         "(INVALID_TRANSITION, NON_REFOULEMENT_HOLD, …)", **_ERROR},
}
_CHANGE_ANSWERS: dict[int | str, dict[str, Any]] = {
    **_ANSWERS,
    409: {"description": "The case changed since the version in If-Match (VERSION_CONFLICT): "
                         "read it again and retry", **_ERROR},
    428: {"description": "No If-Match header (VERSION_REQUIRED)", **_ERROR},
}
_IF_MATCH = {"name": "If-Match", "in": "header", "required": True,
             "description": "The case version the change was made on (the ETag read).",
             "schema": {"type": "string", "example": '"3"'}}
router = APIRouter(prefix="/v1/cases", tags=["cases"], responses=_ANSWERS)
# A version as an ETag gives it: ASCII digits only (str.isdigit also takes "²", which int()
# refuses), and few enough that the store can hold the number.
_VERSION = re.compile(r'[ \t]*(?:W/)?(?:"([0-9]{1,18})"|([0-9]{1,18}))[ \t]*')
_PERSONAL = CASE_PERSONAL | PERSONAL


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with its local definitions written in place (the API's components are the
    service's own; this keeps each body's schema self-contained)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                return walk(json.loads(json.dumps(defs[ref.rsplit("/", 1)[1]])))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


def case_service(request: Request) -> CaseService:
    return shared_service(request.app.state)


Service = Annotated[CaseService, Depends(case_service)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def error_response(exc: CaseError | InputError) -> Response:
    if isinstance(exc, InputError):
        return json_response({"detail": problems_of(exc, _PERSONAL)}, 422)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return json_response({"detail": exc.to_dict()}, exc.status, headers)


async def guarded(call: Callable[[], Awaitable[Response]]) -> Response:
    try:
        return await call()
    except (CaseError, InputError) as exc:
        return error_response(exc)


async def _user(svc: CaseService, credentials: HTTPAuthorizationCredentials | None) -> User:
    token = credentials.credentials if credentials is not None else None
    return await run_in_threadpool(svc.authenticate, token)


def _case_response(view: dict[str, Any], status: int = 200) -> Response:
    headers = {"ETag": f'"{view["version"]}"'}
    if status == 201:
        headers["Location"] = f"/v1/cases/{view['id']}"
    return json_response(view, status, headers)


def _if_match(request: Request) -> int:
    header = request.headers.get("if-match")
    if header is None:
        raise VersionRequired("send the case version you read in `If-Match` (its ETag)")
    match = _VERSION.fullmatch(header)
    if match is None:
        raise InputError("If-Match", header, "a case version, as the ETag gave it (\"3\")")
    return int(match.group(1) or match.group(2))


@router.get("", summary="Cases, ordered by next deadline")
async def list_cases(svc: Service, credentials: Credentials,
                     state: Annotated[list[State] | None, Query()] = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 200,
                     offset: Annotated[int, Query(ge=0, le=10**9)] = 0) -> Response:
    """Every case (or those in the given states), the next deadline first, decided cases
    last. Each carries its next deadline and whether it is overdue."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        rows = await run_in_threadpool(lambda: svc.summaries(
            user, states=frozenset(state) if state else None, limit=limit, offset=offset))
        now = svc.clock()
        return json_response({"now": now.isoformat(), "cases": [r.to_json(now) for r in rows]})
    return await guarded(call)


@router.get("/due", summary="Open cases with a deadline due or overdue")
async def due_cases(svc: Service, credentials: Credentials,
                    at: Annotated[datetime | None, Query()] = None,
                    within_hours: Annotated[float, Query(ge=0, le=24 * 366)] = 0) -> Response:
    """Open cases whose next deadline has passed at `at` (default now), or falls within the
    next `within_hours`."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        try:
            moment = as_utc(at) if at is not None else svc.clock()
        except ValueError as exc:
            raise InputError("at", at.isoformat() if at else None, str(exc)) from None
        rows = await run_in_threadpool(svc.due, user, moment, timedelta(hours=within_hours))
        return json_response({"at": moment.isoformat(),
                              "cases": [r.to_json(moment) for r in rows]})
    return await guarded(call)


@router.get("/verify", summary="Verify the audit trail")
async def verify(svc: Service, credentials: Credentials) -> Response:
    """Prove the hash chain intact (or name the first broken event) and every case equal to
    its events."""
    async def call() -> Response:
        await _user(svc, credentials)
        report = await run_in_threadpool(svc.verify)
        return json_response(report.to_json())
    return await guarded(call)


@router.post("", summary="Open a case from a refusal", status_code=201,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": _inline(ACTIONS["open"].payload.model_json_schema(
                     ref_template="#/components/schemas/{model}"))}}}})
async def open_case(request: Request, svc: Service, credentials: Credentials) -> Response:
    """The person, the documents presented (trip JSON form), the arrival and the officer's
    grounds; the engine's decision is computed and kept with its data_version."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        data = await read_json(request, personal=_PERSONAL)
        case = await run_in_threadpool(svc.open, user, data)
        view = await run_in_threadpool(svc.view, user, case.id)
        return _case_response(view, 201)
    return await guarded(call)


@router.get("/{case_id}", summary="A case with its timeline, deadlines and alternatives")
async def get_case(svc: Service, credentials: Credentials, case_id: int,
                   consider: Annotated[list[str] | None, Query()] = None) -> Response:
    """`consider` adds removal destinations to evaluate beside the case's own."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        view = await run_in_threadpool(svc.view, user, case_id, tuple(consider or ()))
        return _case_response(view)
    return await guarded(call)


@router.get("/{case_id}/events", summary="A case's events (its audit trail)")
async def case_events(svc: Service, credentials: Credentials, case_id: int) -> Response:
    async def call() -> Response:
        user = await _user(svc, credentials)
        view = await run_in_threadpool(svc.view, user, case_id)
        return json_response({"id": case_id, "events": view["timeline"]})
    return await guarded(call)


def _action_endpoint(act: Action) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request, svc: Service, credentials: Credentials,
                       case_id: int) -> Response:
        async def call() -> Response:
            user = await _user(svc, credentials)
            version = _if_match(request)
            raw = await request.body()
            data = await read_json(request, personal=_PERSONAL) if raw.strip() else {}
            await run_in_threadpool(svc.act, user, case_id, act.name, data, version)
            view = await run_in_threadpool(svc.view, user, case_id)
            return _case_response(view)
        return await guarded(call)
    endpoint.__name__ = f"case_{act.name}"
    return endpoint


def _register() -> None:
    for act in ACTIONS.values():
        if act.name == "open":
            continue
        roles = " or ".join(sorted(r.value for r in act.roles))
        sources = ", ".join(sorted(s.value for s in act.sources))
        schema = act.payload.model_json_schema(ref_template="#/components/schemas/{model}")
        router.add_api_route(
            f"/{{case_id}}/{act.name}", _action_endpoint(act), methods=["POST"],
            summary=act.title,
            description=f"Role: {roles}. From: {sources}."
                        + (f" To: {act.target.value}." if act.target else "")
                        + " Send the case's version in `If-Match`.",
            responses=_CHANGE_ANSWERS,
            openapi_extra={"parameters": [_IF_MATCH],
                           "requestBody": {"required": False, "content": {
                               "application/json": {"schema": _inline(schema)}}}})


_register()
