"""Who may call a Cauce server: users of organizations, their API keys and OAuth2 clients,
and the audit log of what they changed.

A key is ``cauce_<prefix>_<secret>``: 32 random bytes of secret, a 12-character visible
prefix. It is shown once, when created; the metadata DB keeps the prefix (to find it) and the
SHA-256 of the whole key, compared in constant time. An OAuth2 client is the same kind of
credential exchanged at the token endpoint for short-lived tokens: its ``client_id`` is
``cauce_<prefix>`` and its ``client_secret`` the whole string.

Scopes: ``read`` (see), ``write`` (register, import, change), ``run`` (start and cancel runs),
``admin`` (credentials and the audit log), ``unmask`` (see values of columns tagged as personal
data in clear: previews, profiles, bundles' data files), ``backup`` (back up the whole
metadata DB: a server operator's, as it holds every organization) and ``gdpr`` (data-subject
requests: they name people and find, export and erase their rows). A credential acts with the
scopes it was given that its user's role allows (:data:`ROLE_SCOPES`): giving a viewer's key
``write`` does nothing, and only an administrator's key may unmask, back up or handle
data-subject requests.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.i18n import _
from app.services.workspace import Workspace
from app.storage.access import (
    AccessStore,
    AuditRecord,
    CredentialKind,
    CredentialRecord,
    Role,
)

__all__ = [
    "API_SCOPES",
    "ROLE_SCOPES",
    "AuditRecord",
    "CredentialRecord",
    "InvalidCredentialRequest",
    "NewCredential",
    "Principal",
    "audit_log",
    "authenticate_client",
    "authenticate_key",
    "check_credential",
    "create_credential",
    "list_credentials",
    "parse_expiry",
    "record_audit",
    "revocation_generation",
    "revoke_credential",
    "touch",
]

API_SCOPES = ("read", "write", "run", "admin", "unmask", "backup", "gdpr", "detokenize")
ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({"read"}),
    Role.EDITOR: frozenset({"read", "write", "run"}),
    Role.ADMIN: frozenset(API_SCOPES),
}
#: requests per minute of a credential created without a limit
DEFAULT_RATE_LIMIT = 600
_KEY = re.compile(r"cauce_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
_CLIENT_ID = re.compile(r"cauce_([0-9a-f]{12})")


class InvalidCredentialRequest(ValueError):
    """A credential cannot be created as asked (unknown scope, expiry in the past...)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user, its organization, the credential and what it may do."""

    organization: str
    user: str
    role: str
    credential_id: int
    prefix: str
    scopes: frozenset[str]
    rate_limit: int

    @property
    def actor(self) -> str:
        return f"{self.user} ({self.prefix})"


@dataclass(frozen=True)
class NewCredential:
    """A credential just created: ``secret`` is the whole key (or client secret), shown once."""

    record: CredentialRecord
    secret: str

    @property
    def client_id(self) -> str:
        return f"cauce_{self.record.prefix}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_expiry(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """``30d``, ``12h``, ``90m`` from now, or an ISO date/time (UTC when no zone is given).

    >>> parse_expiry("2d", now=datetime(2026, 1, 1, tzinfo=UTC)).isoformat()
    '2026-01-03T00:00:00+00:00'
    >>> parse_expiry(None) is None
    True
    """
    if not text:
        return None
    now = now or datetime.now(UTC)
    found = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if found:
        unit = {"d": "days", "h": "hours", "m": "minutes"}[found.group(2)]
        return now + timedelta(**{unit: int(found.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidCredentialRequest(
            _("invalid expiry {text!r}: use 30d, 12h, 90m or an ISO date").format(text=text)
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def create_credential(
    workspace: Workspace,
    *,
    user: str,
    name: str,
    scopes: list[str],
    role: str | None = None,
    expires_at: datetime | None = None,
    rate_limit: int = DEFAULT_RATE_LIMIT,
    kind: str = CredentialKind.API_KEY,
) -> NewCredential:
    """Create an API key (or an OAuth2 client) for ``user`` of the workspace's organization.

    The user is created with ``role`` (default ``viewer``) when missing; an existing user
    keeps its role unless ``role`` is given by an administrator through the CLI.

    Raises:
        InvalidCredentialRequest: an unknown scope, no scope, an empty name, an expiry in the
            past, or a rate limit below 1.
    """
    unknown = sorted(set(scopes) - set(API_SCOPES))
    if unknown or not scopes:
        raise InvalidCredentialRequest(
            _("unknown or missing scopes {scopes} (choose from {known})").format(
                scopes=unknown or "[]", known=", ".join(API_SCOPES)
            )
        )
    if not name.strip() or not user.strip():
        raise InvalidCredentialRequest(_("a credential needs a name and a user"))
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise InvalidCredentialRequest(_("the expiry is in the past"))
    if rate_limit < 1:
        raise InvalidCredentialRequest(_("the rate limit must be at least 1 request a minute"))
    store = workspace.store(AccessStore)
    found = store.ensure_user(user, role or Role.VIEWER)
    if role is not None and found.role != Role(role):
        found = store.set_role(found.id, role)
    prefix = secrets.token_hex(6)
    secret = f"cauce_{prefix}_{secrets.token_urlsafe(32)}"
    record = store.create_credential(
        found.id,
        kind=kind,
        name=name.strip(),
        prefix=prefix,
        secret_hash=_digest(secret),
        scopes=sorted(set(scopes)),
        rate_limit=rate_limit,
        expires_at=expires_at,
    )
    return NewCredential(record, secret)


def list_credentials(workspace: Workspace) -> list[CredentialRecord]:
    """The credentials of the workspace's organization (never their secrets)."""
    return workspace.store(AccessStore).list_credentials()


_revocations = itertools.count(1)
_generation = 0


def revocation_generation() -> int:
    """A number that changes whenever this process revokes a credential: a cache of checked
    credentials that saw another number must check again."""
    return _generation


def revoke_credential(workspace: Workspace, credential_id: int) -> CredentialRecord:
    """Revoke a credential of the workspace's organization (``NotFound`` for another's)."""
    global _generation
    record = workspace.store(AccessStore).revoke_credential(credential_id)
    _generation = next(_revocations)
    return record


def _principal(record: CredentialRecord) -> Principal:
    allowed = ROLE_SCOPES.get(record.user.role, frozenset())
    return Principal(
        organization=record.organization,
        user=record.user.name,
        role=record.user.role,
        credential_id=record.id,
        prefix=record.prefix,
        scopes=frozenset(record.scopes) & allowed,
        rate_limit=record.rate_limit,
    )


def check_credential(
    workspace: Workspace, prefix: str, *, kind: str, secret: str | None = None
) -> Principal | None:
    """The principal of a usable credential with this prefix and kind: it exists, is not
    revoked nor expired, and (when ``secret`` is given) its hash matches — compared in
    constant time. ``None`` otherwise, whichever the reason (nothing to learn from it)."""
    record = workspace.store(AccessStore).find_credential(prefix)
    if record is None or record.kind != kind:
        if secret is not None:  # the same work whether the prefix exists or not
            hmac.compare_digest(_digest(secret), "0" * 64)
        return None
    if secret is not None and not hmac.compare_digest(_digest(secret), record.secret_hash):
        return None
    if record.revoked_at is not None:
        return None
    if record.expires_at is not None and record.expires_at <= datetime.now(UTC):
        return None
    return _principal(record)


def authenticate_key(workspace: Workspace, presented: str) -> Principal | None:
    """The principal of an API key, or ``None`` for anything but a valid, live key."""
    found = _KEY.fullmatch(presented.strip())
    if found is None:
        return None
    return check_credential(
        workspace, found.group(1), kind=CredentialKind.API_KEY, secret=presented.strip()
    )


def authenticate_client(workspace: Workspace, client_id: str, secret: str) -> Principal | None:
    """The principal of an OAuth2 client (``client_id`` ``cauce_<prefix>``, the secret as
    created), or ``None``."""
    found = _CLIENT_ID.fullmatch(client_id.strip())
    given = _KEY.fullmatch(secret.strip())
    if found is None or given is None or given.group(1) != found.group(1):
        return None
    return check_credential(
        workspace, found.group(1), kind=CredentialKind.OAUTH_CLIENT, secret=secret.strip()
    )


def record_audit(
    workspace: Workspace,
    principal: Principal,
    *,
    action: str,
    object: str,
    status: int,
    details: dict[str, Any] | None = None,
) -> None:
    """Note a mutating call of ``principal`` (never its body) in its organization's log."""
    outcome = "ok" if status < 400 else ("denied" if status in (401, 403, 429) else "error")
    workspace.for_organization(principal.organization).store(AccessStore).record_audit(
        actor=principal.actor,
        credential_id=principal.credential_id,
        action=action,
        object=object,
        status=status,
        outcome=outcome,
        details=details,
    )


def audit_log(
    workspace: Workspace, limit: int = 100, *, before: int | None = None
) -> list[AuditRecord]:
    """The organization's audit entries, newest first."""
    return workspace.store(AccessStore).audit_log(limit, before=before)


def touch(workspace: Workspace, principal: Principal, at: datetime) -> None:
    """Record when a credential was last used (servers call it at most once a minute)."""
    workspace.for_organization(principal.organization).store(AccessStore).touch_credential(
        principal.credential_id, at
    )
