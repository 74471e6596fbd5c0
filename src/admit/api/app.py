"""`create_app()`: the HTTP service — JSON API under /v1 and the web pages — on one data set.

Why a factory: tests run the service on the fictional fixture data and on the shipped data
side by side, and `admit serve` builds it once per worker. The rules are loaded and compiled
here, before the first request, so a broken data set stops the start with its file and line
instead of failing requests. Routers are listed in one place below; each concern (check, MRZ,
stay, destinations, countries, version, the web pages) lives in its own module.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from admit import codes
from admit.api import check, countries, destinations, docs, errors, mrz, schemas, stay, version
from admit.api.guard import MAX_BODY_BYTES, Guard
from admit.engine import ENGINE_VERSION
from admit.rules import load_rules

DESCRIPTION = """May this person, with these documents, board this trip and enter these
countries on these dates? Every answer carries its reasons, each citing its rule and sources.

Bad input answers 422 with `{"detail": [{"field", "value", "message"}]}`, every value echoed in
a form JSON carries (NaN, 1e400 and lone surrogates are refused, never echoed raw); bodies over
the size limit answer 413, request heads over 16 KiB 431. Personal data (names, document
numbers, MRZ text) is never logged nor echoed."""


def create_app(rules_path: str | Path | None = None, *,
               max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The service on the data set at `rules_path` (default: the shipped data set)."""
    rules = load_rules(rules_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from admit.web import worldmap

        worldmap.warm()  # about a second of work: done before the first visitor asks
        yield

    app = FastAPI(title="admit", version=ENGINE_VERSION, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan)
    app.state.rules = rules
    errors.install(app)
    app.add_middleware(Guard, max_body_bytes=max_body_bytes)

    # ---- Routers. Each concern's module exposes `router`; include new ones here. ----
    from admit.api import cases as case_api
    from admit.web import cases as case_pages
    from admit.web import pages, static  # deferred: the web layer imports Jinja2

    routers: list[APIRouter] = [
        check.router, mrz.router, stay.router, destinations.router, countries.router,
        version.router, case_api.router,
        pages.router, case_pages.router,
    ]
    for router in routers:
        app.include_router(router)
    static.mount(app)
    docs.install(app)

    country_codes = sorted(codes.ALL_CODES | rules.extra_codes)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(
                schemas.components(country_codes))
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
    return app
