"""Access: the OAuth2 token endpoint, who am I, API keys, the audit log, and health."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Caller, Id, scoped, server
from app.api.pagination import Cursor, Limit, Page, decode_cursor, encode_cursor, page_by_key
from app.api.problems import PROBLEM_RESPONSES, ApiProblem
from app.api.tokens import issue_token
from app.services import access

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
Reader = Annotated[Caller, Depends(scoped("read"))]
Admin = Annotated[Caller, Depends(scoped("admin"))]


class Health(BaseModel):
    status: str


class TokenOut(BaseModel):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class Me(BaseModel):
    organization: str
    user: str
    role: str
    scopes: list[str]
    credential: str


class KeyOut(BaseModel):
    id: int
    kind: str
    name: str
    prefix: str
    user: str
    scopes: list[str]
    rate_limit: int
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewKeyOut(KeyOut):
    key: str = Field(description="The key itself: shown this once, never again")


class NewKey(BaseModel):
    """A key for the calling user. ``organization_id``, ``role`` or ``user`` sent along are
    ignored: a key belongs to its creator, in its creator's organization."""

    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(min_length=1, max_length=len(access.API_SCOPES))
    expires_in_days: int | None = Field(None, ge=1, le=3650)
    rate_limit: int = Field(access.DEFAULT_RATE_LIMIT, ge=1, le=1_000_000)


class AuditOut(BaseModel):
    id: int
    actor: str
    action: str
    object: str
    status: int
    outcome: str
    at: datetime


@router.get("/health", response_model=Health, tags=["server"])
def health() -> Health:
    """Answers while the server runs (no credential needed)."""
    return Health(status="ok")


_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string"},
                    },
                }
            }
        },
    }
}


@router.post("/oauth/token", response_model=TokenOut, tags=["server"], openapi_extra=_FORM)
async def token(request: Request, response: Response) -> TokenOut:
    """OAuth2 client credentials (RFC 6749 §4.4): ``client_id`` and ``client_secret`` in the
    form or in HTTP Basic; an optional ``scope`` narrows the client's. Answers a bearer token
    valid ``expires_in`` seconds."""
    state = server(request)
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
    if form.get("grant_type") != "client_credentials":
        raise ApiProblem(400, "grant_type must be client_credentials", slug="unsupported-grant")
    client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise ApiProblem(400, "invalid Basic credentials") from None
    address = request.client.host if request.client else "unknown"
    principal = await anyio.to_thread.run_sync(
        access.authenticate_client, state.workspace, client_id, secret
    )
    if principal is None:
        decision = state.failures.take(("failed", address), state.settings.failed_auth_limit)
        if not decision.allowed:
            raise ApiProblem(
                429, "too many failed attempts", headers={"Retry-After": str(decision.retry_after)}
            )
        raise ApiProblem(401, "invalid client", slug="invalid-client")
    scopes = principal.scopes
    if form.get("scope"):
        scopes = scopes & frozenset(form["scope"].split())
    s = state.settings
    response.headers["Cache-Control"] = "no-store"
    return TokenOut(
        access_token=issue_token(
            principal,
            scopes,
            secret=s.jwt_secret,
            issuer=s.issuer,
            audience=s.audience,
            ttl=s.token_ttl,
        ),
        token_type="Bearer",
        expires_in=s.token_ttl,
        scope=" ".join(sorted(scopes)),
    )


@router.get("/me", response_model=Me, tags=["server"])
def me(caller: Reader) -> Me:
    """Who the credential is: organization, user, role and the scopes it acts with."""
    p = caller.principal
    return Me(
        organization=p.organization,
        user=p.user,
        role=p.role,
        scopes=sorted(p.scopes),
        credential=p.prefix,
    )


def _key(r: access.CredentialRecord) -> KeyOut:
    return KeyOut(
        id=r.id,
        kind=r.kind,
        name=r.name,
        prefix=r.prefix,
        user=r.user.name,
        scopes=list(r.scopes),
        rate_limit=r.rate_limit,
        created_at=r.created_at,
        expires_at=r.expires_at,
        revoked_at=r.revoked_at,
        last_used_at=r.last_used_at,
    )


@router.get("/api-keys", response_model=Page[KeyOut], tags=["access"])
def list_keys(caller: Admin, limit: Limit = 50, cursor: Cursor = None) -> Page[KeyOut]:
    """The organization's API keys and OAuth2 clients (never their secrets)."""
    found = access.list_credentials(caller.workspace)
    items, nxt = page_by_key(found, lambda r: r.id, limit, cursor, int)
    return Page[KeyOut](items=[_key(r) for r in items], next_cursor=nxt)


@router.post("/api-keys", status_code=201, response_model=NewKeyOut, tags=["access"])
def create_key(body: NewKey, caller: Admin) -> NewKeyOut:
    """A new API key of the calling user, with at most the caller's own scopes."""
    extra = set(body.scopes) - caller.principal.scopes
    if extra:
        raise ApiProblem(403, f"a key cannot have scopes its creator lacks: {sorted(extra)}")
    expires = (
        datetime.now(UTC) + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    )
    made = access.create_credential(
        caller.workspace,
        user=caller.principal.user,
        name=body.name,
        scopes=body.scopes,
        expires_at=expires,
        rate_limit=body.rate_limit,
    )
    return NewKeyOut(**_key(made.record).model_dump(), key=made.secret)


@router.delete("/api-keys/{key_id}", response_model=KeyOut, tags=["access"])
def revoke_key(key_id: Id, caller: Admin) -> KeyOut:
    """Revoke a key or client of the organization: it stops working at once."""
    return _key(access.revoke_credential(caller.workspace, key_id))


@router.get("/audit", response_model=Page[AuditOut], tags=["access"])
def audit(caller: Admin, limit: Limit = 50, cursor: Cursor = None) -> Page[AuditOut]:
    """Mutating calls of the organization, newest first: who, what, when, how it ended."""
    before = decode_cursor(cursor, int)
    found = access.audit_log(caller.workspace, limit + 1, before=before)
    page = found[:limit]
    nxt = encode_cursor(page[-1].id) if len(found) > limit and page else None
    return Page[AuditOut](
        items=[
            AuditOut(
                id=a.id,
                actor=a.actor,
                action=a.action,
                object=a.object,
                status=a.status,
                outcome=a.outcome,
                at=a.at,
            )
            for a in page
        ],
        next_cursor=nxt,
    )
