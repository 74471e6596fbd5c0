"""GET /docs: the interactive OpenAPI documentation, served from this machine.

Why not FastAPI's default: it loads Swagger UI from a CDN, and the service must work offline.
The Swagger UI 5 files (5 reads OpenAPI 3.1, which FastAPI writes) come from the PyPI package
`fastapi-offline`, which ships them for exactly this; only its files are used, served under
/docs/assets. Without that package /docs still answers: a plain list of the operations, and
the schema at /openapi.json.
"""

from __future__ import annotations

import html
from importlib.util import find_spec
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
ASSETS_PACKAGE = "fastapi_offline"


def install(app: FastAPI) -> None:
    spec = find_spec(ASSETS_PACKAGE)
    bundled = spec is not None and spec.submodule_search_locations is not None
    if spec is not None and spec.submodule_search_locations is not None:
        files = Path(next(iter(spec.submodule_search_locations))) / "static"
        app.mount(ASSETS, StaticFiles(directory=files), name="docs-assets")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def docs() -> HTMLResponse:
        if bundled:
            return get_swagger_ui_html(
                openapi_url="/openapi.json", title="admit — API",
                swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS}/favicon.png",
                # Swagger UI would otherwise send the schema to swagger.io's validator.
                swagger_ui_parameters={"validatorUrl": None})
        return HTMLResponse(_plain(app))


def _plain(app: FastAPI) -> str:
    rows = []
    for path, operations in app.openapi().get("paths", {}).items():
        for method, operation in operations.items():
            rows.append(f"<li><code>{method.upper()} {html.escape(path)}</code> — "
                        f"{html.escape(operation.get('summary', ''))}</li>")
    return ("<!doctype html><html lang=en><meta charset=utf-8><title>admit — API</title>"
            "<link rel=stylesheet href=/static/admit.css><main><h1>admit API</h1>"
            "<p>The OpenAPI schema: <a href=/openapi.json>/openapi.json</a>.</p><ul>"
            + "".join(rows) + "</ul></main></html>")
