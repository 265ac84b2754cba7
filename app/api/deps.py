"""Dependencies of the endpoints: who calls (put there by the middleware), with which scope,
in which organization's workspace."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Path, Request

from app.api.problems import ApiProblem
from app.api.state import ServerState
from app.services.access import Principal
from app.services.workspace import Workspace

__all__ = ["Caller", "Id", "if_match", "scoped", "server"]

#: an object id in a path (ids are 32-bit in every metadata DB)
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]

#: how a request authenticates, for the OpenAPI document (and /docs' "Authorize"); the
#: middleware checks them. Declared once in the document rather than as a dependency of every
#: endpoint: a dependency costs each request its resolution.
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API key or an access token"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "An API key"},
}


@dataclass(frozen=True)
class Caller:
    principal: Principal
    workspace: Workspace
    state: ServerState


def server(request: Request) -> ServerState:
    state: ServerState = request.app.state.cauce
    return state


def scoped(scope: str) -> Callable[..., Awaitable[Caller]]:
    """A dependency: the caller, who must hold ``scope`` (403 otherwise)."""

    async def dependency(request: Request) -> Caller:  # async: no I/O, no thread hop
        principal: Principal | None = getattr(request.state, "principal", None)
        if principal is None:  # the middleware lets no such request through; be sure
            raise ApiProblem(401, "no credential")
        if scope not in principal.scopes:
            raise ApiProblem(
                403, f"this credential lacks the scope {scope!r}", slug="insufficient-scope"
            )
        state = server(request)
        return Caller(principal, state.workspace_for(principal.organization), state)

    return dependency


def if_match(request: Request, *, required: bool = True) -> str | None:
    """The ETag or revision a change is based on (``If-Match``); 428 when it is missing."""
    value = request.headers.get("if-match")
    if value is None:
        if required:
            raise ApiProblem(
                428, "send If-Match with the ETag you read, so that no change is overwritten"
            )
        return None
    return value.strip().removeprefix("W/").strip('"')


def revision_of(request: Request) -> int:
    """``If-Match`` as a project revision."""
    value = if_match(request)
    try:
        return int(str(value))
    except ValueError:
        raise ApiProblem(400, "If-Match must be the project's ETag (its revision)") from None
