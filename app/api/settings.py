"""What a server is configured with: the metadata DB, where imported projects go, the token
key and lifetimes, rate limits, deprecations."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["Deprecation", "ServerSettings"]

#: the shortest token signing key accepted (HS256 wants at least the hash's 32 bytes)
MIN_SECRET_BYTES = 32


@dataclass(frozen=True)
class Deprecation:
    """An endpoint on its way out: announced (``Deprecation``, an RFC 9651 date
    ``@<epoch>``), removed on ``sunset`` (an HTTP date), explained at ``link``."""

    since: int
    sunset: str
    link: str = "/docs"


@dataclass(frozen=True)
class ServerSettings:
    db_url: str | None = None
    #: where bundles imported through the API are written (``<root>/<organization>/<name>``)
    projects_dir: Path | None = None
    #: where ``POST /backups`` writes archives and ``GET /backups`` looks (``CAUCE_BACKUP_DIR``,
    #: else ``backups`` in the data directory)
    backups_dir: Path | None = None
    #: the HS256 key of access tokens: ``CAUCE_JWT_SECRET``, else random for this process
    jwt_secret: str = ""
    issuer: str = "cauce"
    audience: str = "cauce-api"
    #: lifetime of an access token, in seconds
    token_ttl: int = 900
    #: requests a minute from one address without a credential (docs, the token endpoint)
    anonymous_rate_limit: int = 120
    #: failed authentications a minute from one address before it gets 429s
    failed_auth_limit: int = 10
    workers: int = 4
    #: (method, route path) -> deprecation of that endpoint
    deprecations: dict[tuple[str, str], Deprecation] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **given: object) -> ServerSettings:
        """Settings from the arguments, then the environment (``CAUCE_JWT_SECRET``,
        ``CAUCE_JWT_ISSUER``, ``CAUCE_PROJECTS_DIR``, ``CAUCE_BACKUP_DIR``)."""
        secret = str(given.pop("jwt_secret", "") or os.environ.get("CAUCE_JWT_SECRET", ""))
        if not secret:
            log.warning(
                "CAUCE_JWT_SECRET is not set: access tokens are signed with a key of this "
                "process only (they stop working when it restarts)"
            )
            secret = secrets.token_urlsafe(48)
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(
                f"CAUCE_JWT_SECRET is too short: give at least {MIN_SECRET_BYTES} bytes"
            )
        issuer = str(given.pop("issuer", "") or os.environ.get("CAUCE_JWT_ISSUER", "cauce"))
        projects = given.pop("projects_dir", None) or os.environ.get("CAUCE_PROJECTS_DIR")
        backups = given.pop("backups_dir", None) or os.environ.get("CAUCE_BACKUP_DIR")
        return cls(
            jwt_secret=secret,
            issuer=issuer,
            projects_dir=Path(str(projects)) if projects else None,
            backups_dir=Path(str(backups)) if backups else None,
            **given,  # type: ignore[arg-type]
        )
