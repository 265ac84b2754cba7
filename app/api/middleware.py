"""Every request passes here first: authentication, rate limits, response headers, audit.

A plain ASGI middleware (no per-request task, streams pass through untouched):

1. A path under ``/api/v1`` other than the public ones needs ``Authorization: Bearer <API key
   or access token>`` (or ``X-API-Key``). An address whose last ``failed_auth_limit``
   attempts in a minute failed gets 429 before its next key is even looked at.
2. The caller's bucket (its credential's rate, or its address's when it has none) pays one
   token; an empty bucket is 429 with ``Retry-After``.
3. Every response carries ``RateLimit-*`` and ``X-RateLimit-*`` headers, and ``Deprecation``,
   ``Sunset`` and ``Link`` for a deprecated endpoint.
4. A mutating call (POST, PUT, PATCH, DELETE) of a known caller is written to the audit log
   with its outcome, never its body.
"""

from __future__ import annotations

import json
import logging

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.limits import Decision
from app.api.problems import MEDIA_TYPE, problem_body
from app.api.state import ServerState
from app.services import access
from app.services.access import Principal

__all__ = ["AccessMiddleware", "PUBLIC_PATHS"]

log = logging.getLogger(__name__)

PREFIX = "/api/v1/"
#: under the prefix, reachable without a credential
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json", "/api/v1/oauth/token", "/api/v1/health"})
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def bearer_of(headers: Headers) -> str | None:
    """The credential a request presents, if any."""
    auth = headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    key = headers.get("x-api-key", "").strip()
    return key or None


class AccessMiddleware:
    def __init__(self, app: ASGIApp, state: ServerState) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state, settings = self.state, self.state.settings
        path: str = scope["path"]
        address = (scope.get("client") or ("unknown", 0))[0]
        principal: Principal | None = None
        if path.startswith(PREFIX) and path not in PUBLIC_PATHS:
            failures = state.failures.peek(("failed", address), settings.failed_auth_limit)
            if failures.remaining < 1:  # locked: ask the bucket when the next try is allowed
                failures = state.failures.take(("failed", address), settings.failed_auth_limit)
                await _problem(send, scope, 429, "too many failed attempts", failures, "locked")
                return
            bearer = bearer_of(Headers(scope=scope))
            if bearer is None:
                decision = state.limiter.take(("ip", address), settings.anonymous_rate_limit)
                await _problem(send, scope, 401, "send an API key or an access token", decision)
                return
            principal = state.cached(bearer) or await anyio.to_thread.run_sync(
                state.authenticate, bearer
            )
            if principal is None:
                decision = state.failures.take(("failed", address), settings.failed_auth_limit)
                status = 401 if decision.allowed else 429
                await _problem(
                    send, scope, status, "invalid, expired or revoked credential", decision
                )
                return
            decision = state.limiter.take(
                ("credential", principal.credential_id), principal.rate_limit
            )
        else:
            decision = state.limiter.take(("ip", address), settings.anonymous_rate_limit)
        if not decision.allowed:
            await _problem(send, scope, 429, "rate limit reached", decision)
            if principal is not None and scope["method"] in MUTATING:
                await self._audit(principal, scope, 429)
            return
        scope.setdefault("state", {})["principal"] = principal
        status_seen: list[int] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(message["status"])
                headers = list(message.get("headers", []))
                headers += decision.headers()
                headers += self._deprecation(scope)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if principal is not None and scope["method"] in MUTATING:
                await self._audit(principal, scope, status_seen[0] if status_seen else 500)

    def _deprecation(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        route = scope.get("route")
        template = getattr(route, "path", None)
        if template is None or not self.state.settings.deprecations:
            return []
        found = self.state.settings.deprecations.get((scope["method"], template))
        if found is None:
            return []
        return [
            (b"deprecation", f"@{found.since}".encode()),
            (b"sunset", found.sunset.encode()),
            (b"link", f'<{found.link}>; rel="deprecation"'.encode()),
        ]

    async def _audit(self, principal: Principal, scope: Scope, status: int) -> None:
        route = scope.get("route")
        template = getattr(route, "path", scope["path"])
        action = f"{scope['method']} {template}"
        params = {k: str(v) for k, v in (scope.get("path_params") or {}).items()}
        try:
            await anyio.to_thread.run_sync(
                lambda: access.record_audit(
                    self.state.workspace,
                    principal,
                    action=action,
                    object=scope["path"],
                    status=status,
                    details={"params": params} if params else None,
                )
            )
        except Exception:  # noqa: BLE001 - a failed audit write is logged, loudly
            log.exception("could not write the audit log for %s by %s", action, principal.actor)


async def _problem(
    send: Send,
    scope: Scope,
    status: int,
    detail: str,
    decision: Decision,
    slug: str | None = None,
) -> None:
    body = json.dumps(problem_body(status, detail, scope["path"], slug=slug)).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        *decision.headers(),
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="cauce"'))
    if status == 429 and not any(k == b"retry-after" for k, _ in headers):
        headers.append((b"retry-after", str(max(1, decision.retry_after)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
