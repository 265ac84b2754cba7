"""Errors as RFC 9457 problem details (``application/problem+json``), one shape for all.

``type`` is a URI naming the kind of problem (``/problems/<slug>``, described in
``docs/api.md``), ``title`` its short English name, ``status`` the HTTP status, ``detail``
what went wrong this time (in the server's language), ``instance`` the request path.
Validation problems add ``errors`` (where and what).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.services.access import InvalidCredentialRequest
from app.services.errors import CONFLICTS, NOT_FOUND, USER_ERRORS, describe
from app.services.jobs import RunNotStarted
from app.services.projects import UntrustedProject

__all__ = ["PROBLEM_RESPONSES", "ApiProblem", "Problem", "install_handlers", "problem_response"]

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"

_TITLES = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    409: ("conflict", "Conflict"),
    422: ("invalid", "Invalid input"),
    428: ("precondition-required", "Precondition required"),
    429: ("rate-limited", "Too many requests"),
    500: ("internal", "Internal server error"),
    503: ("unavailable", "Service unavailable"),
}


class Problem(BaseModel):
    """An RFC 9457 problem."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


#: documented on every endpoint: what a client may get instead of a success
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": title}
    for status, (_slug, title) in _TITLES.items()
    if status not in (405, 500)
}


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers, self.errors = status, detail, headers, errors
        self.slug = slug or _TITLES.get(status, ("error", ""))[0]


def problem_body(
    status: int,
    detail: str | None,
    instance: str | None,
    *,
    slug: str | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    default_slug, title = _TITLES.get(status, ("error", "Error"))
    body: dict[str, Any] = {
        "type": f"/problems/{slug or default_slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    detail: str | None,
    instance: str | None = None,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, detail, instance, slug=slug, errors=errors),
        status_code=status,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def install_handlers(app: FastAPI) -> None:
    """Every error leaves as a problem; nothing internal (a traceback, a SQL text) leaks."""

    @app.exception_handler(ApiProblem)
    async def _api(request: Request, err: ApiProblem) -> JSONResponse:
        return problem_response(
            err.status,
            err.detail,
            request.url.path,
            slug=err.slug,
            headers=err.headers,
            errors=err.errors,
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg"))}
            for e in err.errors()
        ]
        detail = "; ".join(f"{e['where']}: {e['problem']}" for e in errors)
        return problem_response(422, detail, request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> JSONResponse:
        detail = err.detail if isinstance(err.detail, str) else None
        return problem_response(
            err.status_code, detail, request.url.path, headers=getattr(err, "headers", None)
        )

    async def _service(request: Request, err: Exception) -> JSONResponse:
        status, slug = _classify(err)
        return problem_response(status, describe(err), request.url.path, slug=slug)

    for cls in (
        *NOT_FOUND,
        *CONFLICTS,
        UntrustedProject,
        RunNotStarted,
        InvalidCredentialRequest,
        *USER_ERRORS,
    ):
        app.add_exception_handler(cls, _service)

    @app.exception_handler(Exception)
    async def _other(request: Request, err: Exception) -> JSONResponse:
        log.error("unexpected error on %s", request.url.path, exc_info=err)
        return problem_response(500, "an unexpected error; see the server log")


def _classify(err: BaseException) -> tuple[int, str | None]:
    if isinstance(err, NOT_FOUND):
        return 404, None
    if isinstance(err, CONFLICTS):
        return 409, "stale-revision" if hasattr(err, "current") else "conflict"
    if isinstance(err, UntrustedProject):
        return 403, "untrusted-project"
    if isinstance(err, RunNotStarted):
        return 503, None
    if isinstance(err, (*USER_ERRORS, InvalidCredentialRequest)):
        return 422, None
    return 500, None


def classify(err: BaseException) -> tuple[int, str | None]:
    """The status and problem slug of an exception raised by a service."""
    return _classify(err)
