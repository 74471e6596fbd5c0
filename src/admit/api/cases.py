"""/v1/cases: the inadmissible-person case API (docs/cases.md), a thin shell over CaseService.

Why a shell: the state machine, the guards, the roles and the store live in `admit.cases`;
this router reads the token, the body and the version the caller saw, and turns the typed
errors into statuses: 401 without a valid token (`Authorization: Bearer …`), 403 for the wrong
role, 404 for an unknown case, 409 when the case moved past the caller's version (re-read and
retry), 422 for bad input or a refused transition (with its code, e.g. NON_REFOULEMENT_HOLD),
428 for a change sent without `If-Match`. Every change needs the version it was made on, in
`If-Match` (the `ETag` of the case as read), so no update is ever lost. A case number in the
path is read exactly (`admit.cases.ids`): `1.0` or `+1` is a 422, not case 1. A case's
timeline comes a page at a time (`limit`, `offset`), since a long case has thousands of events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from admit.api.errors import problems_of
from admit.api.jsonio import PERSONAL, json_response, read_json
from admit.cases import CaseError, CaseService, State, User
from admit.cases.audit import parse_anchor
from admit.cases.commands import PERSONAL as CASE_PERSONAL
from admit.cases.commands import as_utc
from admit.cases.errors import VersionRequired
from admit.cases.ids import parse_case_id
from admit.cases.machine import ACTIONS, Action
from admit.cases.service import TIMELINE_LIMIT, TIMELINE_MAX, shared_service
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
# Read as text and parsed exactly here (admit.cases.ids): FastAPI's integers take "1.0", "+1"
# and " 1" for case 1. The pattern documents the form; a value off it is a 422 naming it.
CaseId = Annotated[str, Path(description="The case number: 1 to 10 ASCII digits, without "
                                         "sign, spaces or leading zeros.",
                             json_schema_extra={"pattern": "^[1-9][0-9]{0,9}$"},
                             examples=["1"])]
Limit = Annotated[int, Query(ge=1, le=TIMELINE_MAX,
                             description="How many events of the timeline to give.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="How many events of the "
                              "timeline to skip, from the first (the case opening).")]
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
async def verify(svc: Service, credentials: Credentials,
                 expect_head: Annotated[str | None, Query(
                     max_length=100, description="A head recorded earlier (`chain.head` of an "
                     "intact report, EVENTS:MAC): the trail must still hold that event, "
                     "unchanged.")] = None) -> Response:
    """Prove the keyed chain intact (or name the first broken event), every case and its
    snapshot equal to its events, and, with `expect_head`, that nothing recorded by then was
    cut off or changed. `chain.head` is the value to record outside the database."""
    async def call() -> Response:
        await _user(svc, credentials)
        expect = parse_anchor(expect_head) if expect_head is not None else None
        report = await run_in_threadpool(svc.verify, expect)
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
async def get_case(svc: Service, credentials: Credentials, case_id: CaseId,
                   consider: Annotated[list[str] | None, Query()] = None,
                   limit: Limit = TIMELINE_LIMIT, offset: Offset = 0) -> Response:
    """`consider` adds removal destinations to evaluate beside the case's own. The
    `timeline` is one page: `limit` events after the first `offset`, in order;
    `timeline_page` gives the offset, the limit and the `total` number of events."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        number = parse_case_id(case_id)
        view = await run_in_threadpool(lambda: svc.view(user, number, tuple(consider or ()),
                                                        limit=limit, offset=offset))
        return _case_response(view)
    return await guarded(call)


@router.get("/{case_id}/events", summary="A case's events (its audit trail), a page at a time")
async def case_events(svc: Service, credentials: Credentials, case_id: CaseId,
                      limit: Limit = TIMELINE_LIMIT, offset: Offset = 0) -> Response:
    """`limit` events after the first `offset`, in order, with the `offset`, the `limit` and
    the `total` number of events."""
    async def call() -> Response:
        user = await _user(svc, credentials)
        number = parse_case_id(case_id)
        page = await run_in_threadpool(lambda: svc.timeline(user, number, limit=limit,
                                                            offset=offset))
        return json_response(page)
    return await guarded(call)


def _action_endpoint(act: Action) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request, svc: Service, credentials: Credentials,
                       case_id: CaseId) -> Response:
        async def call() -> Response:
            user = await _user(svc, credentials)
            number = parse_case_id(case_id)
            version = _if_match(request)
            raw = await request.body()
            data = await read_json(request, personal=_PERSONAL) if raw.strip() else {}
            await run_in_threadpool(svc.act, user, number, act.name, data, version)
            view = await run_in_threadpool(svc.view, user, number)
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
