"""GET /v1/version: which engine and which data answered, so a decision can be replayed."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from admit.api import schemas
from admit.api.deps import rules_of
from admit.api.jsonio import json_response
from admit.engine import ENGINE_VERSION

router = APIRouter(prefix="/v1", tags=["meta"])


@router.get("/version", summary="Engine version and data version",
            responses=schemas.answers("Version"))
async def version(request: Request) -> Response:
    rules = rules_of(request)
    return json_response({"engine_version": ENGINE_VERSION, "data_version": rules.data_version,
                          "destinations": len(rules.destinations)})
