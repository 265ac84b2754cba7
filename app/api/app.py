"""The application: ``create_app(settings)`` gives the ASGI app ``cauce serve`` runs.

``/api/v1/...`` the resources, ``/api/v1/openapi.json`` their OpenAPI 3.1 document, ``/docs``
the interactive documentation — Swagger UI served from this server (the assets come with the
``fastapi-offline`` package), so it works with no internet access.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.api import (
    routes_access,
    routes_alerts,
    routes_analytics,
    routes_backups,
    routes_dictionary,
    routes_gdpr,
    routes_glossary,
    routes_monitoring,
    routes_outbox,
    routes_pipelines,
    routes_privacy,
    routes_profiles,
    routes_projects,
    routes_retention,
    routes_runs,
    routes_schedules,
    routes_tasks,
    routes_versions,
)
from app.api.deps import SECURITY_SCHEMES
from app.api.middleware import PUBLIC_PATHS, AccessMiddleware
from app.api.problems import install_handlers
from app.api.settings import ServerSettings
from app.api.state import ServerState

__all__ = ["DOCS_ASSETS", "create_app"]

#: Swagger UI's files (Apache-2.0), shipped inside the fastapi-offline package
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
OPENAPI_URL = "/api/v1/openapi.json"
#: how long a starting server waits for its hosted projects to warm up before serving (seconds)
WARM_UP_WAIT = 10.0

DESCRIPTION = """The Cauce server's REST API. Authenticate with an API key
(`Authorization: Bearer cauce_…` or `X-API-Key`) or an OAuth2 client-credentials token from
`/api/v1/oauth/token`. Errors are RFC 9457 problem details; lists are cursor-paginated;
changes send `If-Match`. See `docs/api.md`."""


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings.from_env()
    state = ServerState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        state.workspace.metadata_url()  # the metadata DB created or checked before serving
        # the run use case (the engine, DuckDB) loaded now, so the first run does not wait
        await anyio.to_thread.run_sync(_load_run_use_case)
        # and each hosted project read, planned and recorded once: serving starts when they
        # are warm, or after WARM_UP_WAIT seconds (the rest warm up while the server serves)
        warming = threading.Thread(target=state.warm_hosted, name="cauce-warm-up", daemon=True)
        warming.start()
        await anyio.to_thread.run_sync(warming.join, WARM_UP_WAIT)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="Cauce API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.cauce = state
    install_handlers(app)
    # runs first: their status is the call clients make most (routers are matched in order)
    for module in (
        routes_runs,
        routes_access,
        routes_projects,
        routes_pipelines,
        routes_schedules,
        routes_alerts,
        routes_monitoring,
        routes_versions,
        routes_privacy,
        routes_profiles,
        routes_dictionary,
        routes_glossary,
        routes_gdpr,
        routes_retention,
        routes_tasks,
        routes_analytics,
        routes_outbox,
        routes_backups,
    ):
        app.include_router(module.router)
    _mark_deprecated(app, settings)
    app.mount("/docs/assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="Cauce API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon.png",
        )

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    app.add_middleware(AccessMiddleware, state=state)
    return app


def _load_run_use_case() -> None:
    from app.services import runs  # noqa: F401 - imported to be loaded
    from app.services.projects import load_plugins
    from app.services.workspace import prepare_headless_run

    prepare_headless_run()  # a server runs projects only: pandas stays off its path
    load_plugins()  # the components' registry
    from app.services.warm_up import warm_up

    warm_up()  # the rest of the run path: the first run a client starts does not wait for it


def _mark_deprecated(app: FastAPI, settings: ServerSettings) -> None:
    """The document's security schemes (every operation but the public ones needs one), and
    deprecated endpoints marked ``deprecated: true``."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        spec = build()
        if first:
            spec.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            spec["security"] = [{"bearer": []}, {"apiKey": []}]
            for path in PUBLIC_PATHS:
                for operation in spec.get("paths", {}).get(path, {}).values():
                    operation["security"] = []
            for (method, path), _when in settings.deprecations.items():
                operation = spec.get("paths", {}).get(path, {}).get(method.lower())
                if operation is not None:
                    operation["deprecated"] = True
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
