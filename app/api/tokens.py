"""OAuth2 client-credentials access tokens: short-lived JWTs signed with HS256.

The algorithm is pinned when verifying (``algorithms=["HS256"]``), so a token that names
``none``, RS256 or anything else is refused before its signature is even considered, and
``iss``, ``aud``, ``exp``, ``iat`` and ``sub`` are required. A token names its client
(``cid``, the credential's prefix): every request checks that the client still exists, is not
revoked nor expired, so revoking a client ends its tokens at once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import jwt

from app.services.access import Principal

__all__ = ["ALGORITHM", "TokenClaims", "issue_token", "verify_token"]

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user: str
    organization: str
    prefix: str
    scopes: frozenset[str]


def issue_token(
    principal: Principal,
    scopes: frozenset[str],
    *,
    secret: str,
    issuer: str,
    audience: str,
    ttl: int,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": principal.user,
        "org": principal.organization,
        "cid": principal.prefix,
        "scope": " ".join(sorted(scopes)),
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": secrets.token_urlsafe(12),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, *, secret: str, issuer: str, audience: str) -> TokenClaims | None:
    """The claims of a valid token, or ``None`` (forged, expired, wrong audience...)."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError:
        return None
    org, prefix, scope = claims.get("org"), claims.get("cid"), claims.get("scope", "")
    if not isinstance(org, str) or not isinstance(prefix, str) or not isinstance(scope, str):
        return None
    return TokenClaims(str(claims["sub"]), org, prefix, frozenset(scope.split()))
